package input

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonlReader reads a JSON Lines file: one record object per line, or a
// source object with "type": "source". Lines are independent: a broken line
// is reported and reading goes on with the next.
type jsonlReader struct {
	file  string
	opts  Options
	br    *bufio.Reader
	line  int
	buf   []byte
	fatal bool
}

func newJSONLReader(r io.Reader, file string, opts Options) *jsonlReader {
	return &jsonlReader{file: file, opts: opts, br: bufio.NewReaderSize(newTracker(r, file, false), 64<<10)}
}

// lineOffsets maps offsets within one line to positions.
type lineOffsets struct {
	file string
	line int
	b    []byte
}

func (l *lineOffsets) pos(off int64) Position {
	return Position{File: l.file, Line: l.line, Column: int(off) + 1}
}

func (l *lineOffsets) bytesFrom(off int64) []byte {
	if off < 0 || off > int64(len(l.b)) {
		return nil
	}
	return l.b[off:]
}

func (l *lineOffsets) tokenStart(off int64) int64 {
	for i := off; i < int64(len(l.b)); i++ {
		switch l.b[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			continue
		}
		return i
	}
	return off
}

var typeKey = []byte(`"type"`)

func (j *jsonlReader) Next() (*Item, error) {
	for {
		raw, err := j.Split()
		if err != nil {
			return nil, err
		}
		if it := raw.Decode(); it != nil {
			return it, nil
		}
	}
}

// Split finds the next line that may hold an item of the pass;
// jsonlLine.decode parses it.
func (j *jsonlReader) Split() (Raw, error) {
	for !j.fatal {
		line, err := j.readLine()
		if err != nil {
			if err != io.EOF {
				j.fatal = true
			}
			return Raw{}, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		// Only lines that mention "type" (or hold an escape, which may
		// spell it) can declare a source: the sources pass parses nothing
		// else, and the records pass skips sources.
		mayBeSource := bytes.Contains(line, typeKey) || bytes.IndexByte(line, '\\') >= 0
		if !mayBeSource && !j.opts.wantRecords() {
			continue
		}
		return Raw{d: &jsonlLine{j: j, line: j.line, b: bytes.Clone(line)}}, nil
	}
	return Raw{}, io.EOF
}

// jsonlLine is a line read, to be parsed on any goroutine.
type jsonlLine struct {
	j    *jsonlReader
	line int
	b    []byte
}

// decode parses the line: nil when it holds no item of the pass.
func (l *jsonlLine) decode() *Item {
	it, isSource := l.j.parse(l.b, l.line)
	if it == nil || (isSource && !l.j.opts.wantSources()) || (!isSource && !l.j.opts.wantRecords()) {
		return nil
	}
	return it
}

// readLine returns the next line without its line ending, or io.EOF.
func (j *jsonlReader) readLine() ([]byte, error) {
	j.buf = j.buf[:0]
	for {
		chunk, err := j.br.ReadSlice('\n')
		j.buf = append(j.buf, chunk...)
		if len(j.buf) > j.opts.Limits.MaxLineBytes {
			return nil, &Error{Pos: Position{File: j.file, Line: j.line + 1}, Rule: RuleLimit, Err: ErrLimit,
				Message: fmt.Sprintf("line is longer than %d bytes; a JSON Lines record fits on a shorter line", j.opts.Limits.MaxLineBytes)}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			var e *Error
			if errors.As(err, &e) {
				return nil, e
			}
			return nil, fmt.Errorf("reading %s: %w", j.file, err)
		}
		if err == io.EOF && len(j.buf) == 0 {
			return nil, io.EOF
		}
		j.line++
		return bytes.TrimRight(j.buf, "\r\n"), nil
	}
}

// parse turns one line into an item, and says whether it declares a source.
// A line that is not valid JSON yields an item with a syntax problem, which
// the records pass reports.
// lineNo is the line's number. It reads nothing of j that changes: lines
// are parsed on any goroutine.
func (j *jsonlReader) parse(line []byte, lineNo int) (it *Item, isSource bool) {
	offs := &lineOffsets{file: j.file, line: lineNo, b: line}
	var r io.Reader = bytes.NewReader(line)
	var check *jsonValueLimit
	if bytes.Contains(line, []byte(`\u`)) { // may hold half a surrogate pair
		check = newSurrogateCheck(r, j.file, lineNo)
		r = check
	}
	w := newJSONWalker(r, offs, j.file)
	w.values = check
	start := offs.pos(offs.tokenStart(0))
	broken := func(err error) (*Item, bool) {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Pos: start, Rule: RuleSyntax, Err: ErrSyntax, Message: err.Error()}
		}
		return &Item{Pos: start, Problems: []*Error{e}}, false
	}
	tok, pos, err := w.token()
	if err != nil {
		return broken(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return broken(&Error{Pos: pos, Rule: RuleSyntax, Err: ErrSyntax,
			Message: "each line of a JSON Lines file must be one object: {\"id\": ..., \"kind\": ...}"})
	}
	fields, err := w.object(true)
	if err != nil {
		return broken(err)
	}
	// buildItem leaves out the fields over MaxFieldBytes, but it is done
	// here already: a "type" over it is no type, and a broken line reports
	// its values over it too.
	maxField := j.opts.Limits.MaxFieldBytes
	fields, tooLong := limitFields(fields, maxField)
	if tooLong != nil {
		defer func() { it.Problems = append(tooLong, it.Problems...) }()
	}
	// Anything but white space after the object is an error, even a '}'
	// or ']' (which dec.More would not report).
	if rest := bytes.TrimLeft(line[w.dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		at := int64(len(line) - len(rest))
		return broken(&Error{Pos: offs.pos(at), Rule: RuleSyntax, Err: ErrSyntax,
			Message: "more data after the object; put one object on each line"})
	}
	typ, hasType := findField(fields, "type")
	if !hasType {
		return buildItem(start, fields, false, maxField), false
	}
	if typ.val.kind != nodeString || typ.val.text != "source" {
		it := buildItem(start, dropField(fields, "type"), false, maxField)
		it.Problems = append([]*Error{errorf(typ.val.pos, "type", RuleType,
			`type must be "source" (to declare a source); a record has kind instead`)}, it.Problems...)
		return it, false
	}
	return buildItem(start, dropField(fields, "type"), true, maxField), true
}

func dropField(fields []field, key string) []field {
	out := fields[:0:0]
	for _, f := range fields {
		if f.key != key {
			out = append(out, f)
		}
	}
	return out
}
