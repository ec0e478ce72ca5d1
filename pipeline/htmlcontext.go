package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"export/input"
)

// addContext reads back, from each input file that has a problem shown,
// the lines around each such problem: once per file, after the run, so
// that nothing of the files is kept while the records stream. A file whose
// bytes are no longer those the run read (its SHA-256 differs: it changed
// since) shows no lines rather than wrong ones. Every input can be read
// again: a pipe or a device replays the copy the first reading kept.
func (h *htmlReporter) addContext(s *Summary) {
	digests := make(map[string]string, len(s.Inputs))
	for _, in := range s.Inputs {
		digests[in.Path] = in.SHA256
	}
	byFile := map[string][]*htmlProblem{}
	var order []string
	for i, p := range h.problems {
		if i > 0 && p.line > 0 {
			if prev := h.problems[i-1]; prev.file == p.file && prev.line == p.line && prev.sheet == p.sheet {
				p.SameAs = prev.Anchor
				if prev.SameAs != "" {
					p.SameAs = prev.SameAs
				}
				continue
			}
		}
		switch {
		case p.sheet:
			p.NoContext = "a cell of a workbook: open the sheet at this cell"
			continue
		case p.line <= 0:
			continue
		}
		if _, ok := byFile[p.file]; !ok {
			order = append(order, p.file)
		}
		byFile[p.file] = append(byFile[p.file], p)
	}
	shown := 0 // bytes of lines shown
	for _, name := range order {
		probs := byFile[name]
		f, ok := h.files[name]
		want, known := digests[name]
		if !ok || !known {
			setNoContext(probs, "the input file is not at hand to show its lines")
			continue
		}
		needed := map[int]bool{}
		for _, p := range probs {
			for n := max(1, p.line-htmlContextLines); n <= p.line+htmlContextLines; n++ {
				needed[n] = true
			}
		}
		lines, digest, err := readLines(f, h.limits, needed)
		switch {
		case err != nil:
			setNoContext(probs, "the input file could not be read again: "+safeText(err.Error()))
			continue
		case digest != want:
			setNoContext(probs, "the input file changed since it was read: its lines are not shown")
			continue
		}
		for _, p := range probs {
			if shown >= htmlContextBytes {
				p.NoContext = "lines not shown: the page has shown as many as it keeps; open the file at this line"
				continue
			}
			for n := max(1, p.line-htmlContextLines); n <= p.line+htmlContextLines; n++ {
				if text, ok := lines[n]; ok {
					p.Context = append(p.Context, htmlLine{N: n, Text: text, Marked: n == p.line})
					shown += len(text)
				}
			}
		}
	}
}

func setNoContext(probs []*htmlProblem, why string) {
	for _, p := range probs {
		p.NoContext = why
	}
}

// readLines reads a whole file, keeping the lines it is asked for (cut at
// htmlMaxLineRunes, made printable), and returns the SHA-256 of its bytes.
func readLines(f input.File, lim input.Limits, needed map[int]bool) (map[int]string, string, error) {
	rc, err := f.OpenContext(context.Background(), lim)
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(rc, h), 64<<10)
	lines := map[int]string{}
	var cur []byte
	n := 1
	for {
		chunk, err := br.ReadSlice('\n')
		if needed[n] && len(cur) < 4*htmlMaxLineRunes {
			cur = append(cur, chunk[:min(len(chunk), 4*htmlMaxLineRunes-len(cur))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 && needed[n] {
			if n == 1 {
				cur = bytes.TrimPrefix(cur, []byte("\ufeff"))
			}
			lines[n] = lineText(cur)
		}
		cur = cur[:0]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", err
		}
		n++
	}
	return lines, hex.EncodeToString(h.Sum(nil)), nil
}

// lineText makes an input line fit to show: without its line break, tabs
// as spaces, cut at htmlMaxLineRunes, every other unprintable character
// escaped (safeText).
func lineText(b []byte) string {
	s := strings.TrimRight(string(b), "\r\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	if utf8.RuneCountInString(s) > htmlMaxLineRunes {
		r := []rune(s)
		s = string(r[:htmlMaxLineRunes]) + " …"
	}
	return safeText(s)
}
