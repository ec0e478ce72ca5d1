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
		// A CSV row reads with its header: the first line goes with every
		// problem's lines.
		header := f.Format == input.FormatCSV
		needed := map[int]int{} // line -> bytes of it to keep
		if header {
			needed[1] = lineBytes
		}
		for _, p := range probs {
			for n := max(1, p.line-htmlContextLines); n <= p.line+htmlContextLines; n++ {
				needed[n] = max(needed[n], lineBytes)
			}
			needed[p.line] = markedLineBytes
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
			from := max(1, p.line-htmlContextLines)
			if raw, ok := lines[1]; header && from > 1 && ok {
				text := lineText(raw, 0)
				p.Context = append(p.Context, htmlLine{N: 1, Text: text, Header: true})
				shown += len(text)
			}
			for n := from; n <= p.line+htmlContextLines; n++ {
				if raw, ok := lines[n]; ok {
					col := 0
					if n == p.line {
						col = p.column
					}
					text := lineText(raw, col)
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

// How much of a line readLines keeps: of a problem's own line, enough to
// show the part around a column far along it.
const (
	lineBytes       = 4 * htmlMaxLineRunes
	markedLineBytes = 16 << 10
)

// readLines reads a whole file, keeping the start of each line it is
// asked for (needed: line -> bytes), and returns the SHA-256 of its bytes.
func readLines(f input.File, lim input.Limits, needed map[int]int) (map[int][]byte, string, error) {
	rc, err := f.OpenContext(context.Background(), lim)
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(rc, h), 64<<10)
	lines := map[int][]byte{}
	var cur []byte
	n := 1
	for {
		chunk, err := br.ReadSlice('\n')
		if keep := needed[n]; len(cur) < keep {
			cur = append(cur, chunk[:min(len(chunk), keep-len(cur))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 && needed[n] > 0 {
			if n == 1 {
				cur = bytes.TrimPrefix(cur, []byte("\ufeff"))
			}
			lines[n] = bytes.Clone(cur)
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

// htmlColumnLead is how much of a long line the page shows before the
// problem's column, when the column is too far along to show the line's
// start.
const htmlColumnLead = 40

// lineText makes an input line fit to show: without its line break, tabs
// as spaces, cut to htmlMaxLineRunes, every other unprintable character
// escaped (safeText). With a column (from 1, in characters) too far along
// the line, the part shown starts shortly before it.
func lineText(b []byte, column int) string {
	r := []rune(strings.TrimRight(string(b), "\r\n"))
	start, prefix := 0, ""
	if column > htmlMaxLineRunes-htmlColumnLead {
		start, prefix = min(column-1-htmlColumnLead, max(0, len(r)-htmlMaxLineRunes)), "… "
	}
	end, suffix := len(r), ""
	if end-start > htmlMaxLineRunes {
		end, suffix = start+htmlMaxLineRunes, " …"
	}
	if start <= 0 {
		start, prefix = 0, ""
	}
	s := strings.ReplaceAll(string(r[start:end]), "\t", "    ")
	return prefix + safeText(s) + suffix
}
