package input

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
)

// This file enforces the Limits that apply to every format: the size of a
// file, the number of records in it, and the length of one value. The
// limits of one format (MaxLineBytes, MaxYAMLBytes, the XLSX limits) are
// enforced by its reader.

// FormatSize writes a number of bytes as the flags take it: in KiB, MiB,
// GiB or TiB when it is a whole number of them, else in bytes.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkFileSize refuses a regular file on disk that is larger than the
// limit for its format, from its size, before anything is read. Workbooks
// are checked by the XLSX reader, which opens them itself.
func checkFileSize(file File, lim Limits) *Error {
	if file.disk == "" || file.Format == FormatXLSX || file.Format == "" {
		return nil
	}
	info, err := os.Stat(file.disk)
	if err != nil || !info.Mode().IsRegular() || info.Size() <= fileLimit(file.Format, lim) {
		return nil // the reader reports the error, or counts what it reads
	}
	return fileTooBig(file, lim, fmt.Sprintf("%d bytes", info.Size()))
}

// fileLimit returns the largest file of a format that is read.
func fileLimit(format string, lim Limits) int64 {
	switch format {
	case FormatYAML:
		return lim.MaxYAMLBytes // withDefaults made it at most MaxFileBytes
	case FormatXLSX:
		return lim.MaxXLSXBytes // likewise
	}
	return lim.MaxFileBytes
}

// fileTooBig is the error of a file over its format's size limit; size
// says how large it is ("123 bytes", "more than 1MiB").
func fileTooBig(file File, lim Limits, size string) *Error {
	max := fileLimit(file.Format, lim)
	msg := fmt.Sprintf("the file is %s, over the limit of %s for an input file (--max-file-size); split it into smaller files",
		size, FormatSize(max))
	// A format's own limit, when it is the lower one, has no flag.
	switch {
	case max < lim.MaxFileBytes && file.Format == FormatYAML:
		msg = fmt.Sprintf("the file is %s, over the limit of %s for a YAML file, which is read whole; split it, or use CSV or JSON Lines for large datasets",
			size, FormatSize(max))
	case max < lim.MaxFileBytes && file.Format == FormatXLSX:
		msg = fmt.Sprintf("the file is %s, over the limit of %s for an XLSX workbook; split it into several workbooks, or use CSV or JSON Lines for large datasets",
			size, FormatSize(max))
	}
	return &Error{Pos: Position{File: file.Path}, Rule: RuleLimit, Err: ErrLimit, Message: msg}
}

// limitStream counts the bytes read from r and fails the read that goes
// past the file limit: for content that is not a regular file on disk, or
// a file that grows while it is read. YAML and XLSX bound their reads
// themselves (MaxYAMLBytes, MaxXLSXBytes, which withDefaults made at most
// MaxFileBytes); the XLSX reader needs r as it is, for random access.
func limitStream(file File, r io.Reader, lim Limits) io.Reader {
	switch file.Format {
	case FormatJSON, FormatJSONL, FormatCSV:
		return &sizeLimit{r: r, left: lim.MaxFileBytes, file: file, lim: lim}
	}
	return r
}

// sizeLimit fails the Read past left bytes with the file's limit error;
// left is the file's limit (fileLimit).
type sizeLimit struct {
	r    io.Reader
	left int64
	file File
	lim  Limits
}

func (s *sizeLimit) Read(p []byte) (int, error) {
	if s.left < 0 {
		return 0, fileTooBig(s.file, s.lim, "more than "+FormatSize(fileLimit(s.file.Format, s.lim)))
	}
	// Read at most one byte past the limit: that byte is not delivered,
	// and the next Read fails.
	if int64(len(p)) > s.left+1 {
		p = p[:s.left+1]
	}
	n, err := s.r.Read(p)
	if int64(n) > s.left {
		s.left = -1
		return n - 1, nil
	}
	s.left -= int64(n)
	return n, err
}

// failedReader is the reader of a file refused before it was read.
type failedReader struct {
	err  error
	done bool
}

func (f *failedReader) Next() (*Item, error) {
	if f.done {
		return nil, io.EOF
	}
	f.done = true
	return nil, f.err
}

// recordLimit ends a file at its entry past Limits.MaxRecords. Records,
// sources and the other entries (problems with the file's structure, list
// elements that are not objects) are counted apart.
type recordLimit struct {
	rd                      Reader
	max                     int
	records, sources, other int
	done                    bool
}

func (r *recordLimit) Next() (*Item, error) {
	if r.done {
		return nil, io.EOF
	}
	it, err := r.rd.Next()
	if err != nil || it == nil {
		return it, err
	}
	if err := r.count(it); err != nil {
		r.Close()
		return nil, err
	}
	return it, nil
}

// count counts an item, and returns the error that ends the file when it
// is one too many.
func (r *recordLimit) count(it *Item) error {
	n, what := &r.records, "records"
	switch {
	case it.Source != nil:
		n, what = &r.sources, "sources"
	case it.Record == nil && it.Kind == nil && it.ID == "":
		n, what = &r.other, "entries that are neither records nor sources"
	}
	if *n++; *n > r.max {
		r.done = true
		return &Error{Pos: it.Pos, Rule: RuleLimit, Err: ErrLimit,
			Message: fmt.Sprintf("the file holds more than %d %s, the limit for one file (--max-records); split it into several files", r.max, what)}
	}
	return nil
}

// splitLimit is a recordLimit of a format's reader that splits.
type splitLimit struct {
	*recordLimit
	sp splitter
}

// Split does not look at done, which Limit sets on another goroutine: the
// caller stops at Limit's error.
func (s *splitLimit) Split() (Raw, error) { return s.sp.Split() }

// Limit counts it. The reader is not closed here, since Split may be
// running: the caller closes it once done.
func (s *splitLimit) Limit(it *Item) error { return s.count(it) }

// Close releases what the reader holds (an XLSX reader's temporary files).
func (r *recordLimit) Close() error {
	if c, ok := r.rd.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// valueTooLong is the problem of a value (or a field name) over
// Limits.MaxFieldBytes.
func valueTooLong(pos Position, field string, n, max int, name bool) *Error {
	what := "the value"
	if name {
		what, field = "a field name", ""
	}
	return &Error{Pos: pos, Field: field, Rule: RuleLimit, Err: ErrLimit,
		Message: fmt.Sprintf("%s is %d bytes long, over the limit of %s for one value (--max-field-size); it was not read",
			what, n, FormatSize(int64(max)))}
}

// limitFields leaves out the fields whose name or value (or an element of
// it) is longer than max bytes, and returns the problems that say so. It
// reuses the array of fields.
func limitFields(fields []field, max int) ([]field, []*Error) {
	var problems []*Error
	out := fields[:0]
	for _, f := range fields {
		if len(f.key) > max {
			problems = append(problems, valueTooLong(f.keyPos, f.key, len(f.key), max, true))
			continue
		}
		if p := nodeTooLong(f.key, f.val, max); p != nil {
			problems = append(problems, p)
			continue
		}
		out = append(out, f)
	}
	return out, problems
}

func nodeTooLong(key string, n node, max int) *Error {
	if len(n.text) > max {
		return valueTooLong(n.pos, key, len(n.text), max, false)
	}
	for _, e := range n.items {
		if p := nodeTooLong(key, e, max); p != nil {
			return p
		}
	}
	for _, e := range n.entries {
		if len(e.key) > max {
			return valueTooLong(e.keyPos, key, len(e.key), max, false)
		}
		if p := nodeTooLong(key, e.val, max); p != nil {
			return p
		}
	}
	return nil
}

// jsonValueLimit sits between a JSON file's tracker and the decoder, which
// holds a whole string or number token in memory before it returns it: it
// follows the tokens as the bytes go by, and fails the read as soon as a
// string (counted as decoded: escapes count as the bytes they stand for) or
// a number or literal grows past MaxFieldBytes, or white space between
// tokens past MaxLineBytes (the tracker keeps the bytes between two
// tokens). The bytes before that point are delivered first, so that the
// decoder reports any syntax error in them before the limit.
//
// It also refuses a \u escape of half a UTF-16 surrogate pair without
// the other half (\ud800 alone): encoding/json would decode it as U+FFFD,
// a character the file does not hold, where invalid UTF-8 is an error.
type jsonValueLimit struct {
	r        io.Reader
	file     string
	maxValue int64
	maxSpace int64
	err      error

	state    int
	n        int64 // decoded bytes of the current token, or of white space
	hex      int   // hex digits of a \u escape read so far
	cp       rune  // their value
	off      int64 // offset of the next byte (after a BOM, as the tracker counts)
	line     int   // its line
	lineOff  int64 // offset where that line starts
	startPos Position
	escPos   Position // where the escape being read starts
	high     Position // where a \u escape of a high surrogate starts, while its low half is due
	highCP   rune
	// valueErr is the error of a value (over maxValue, or with half a
	// surrogate pair), once there is one: the walker, which knows the key,
	// names the field in it.
	valueErr *Error
}

const (
	jsOut   = iota // between tokens, not in white space
	jsSpace        // in white space between tokens
	jsStr          // in a string
	jsEsc          // after a backslash in a string
	jsHex          // in the hex digits of \u
	jsBare         // in a number or literal
)

func newJSONValueLimit(r io.Reader, file string, lim Limits) *jsonValueLimit {
	return &jsonValueLimit{r: r, file: file, maxValue: int64(lim.MaxFieldBytes), maxSpace: int64(lim.MaxLineBytes), line: 1}
}

// newSurrogateCheck returns a jsonValueLimit that only refuses half
// surrogate pairs, in one line of JSON Lines (whose limits are checked on
// the whole line).
func newSurrogateCheck(r io.Reader, file string, line int) *jsonValueLimit {
	return &jsonValueLimit{r: r, file: file, maxValue: math.MaxInt64, maxSpace: math.MaxInt64, line: line}
}

func (l *jsonValueLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		if l.state == jsStr {
			// Most bytes: a run of a string up to a quote or a backslash.
			run := p[i:n]
			j := bytes.IndexByte(run, '"')
			if j < 0 {
				j = len(run)
			}
			if k := bytes.IndexByte(run[:j], '\\'); k >= 0 {
				j = k
			}
			if j > 0 && l.high.Line > 0 { // a character after a high surrogate
				l.err = l.halfPair(l.high, l.highCP)
				return i, nil
			}
			if l.n+int64(j) > l.maxValue {
				l.err = l.tooLong("a text")
				return i + int(l.maxValue-l.n), nil
			}
			l.n += int64(j)
			l.advance(run[:j])
			if i += j; i == n {
				break
			}
		}
		c := p[i]
		if e := l.step(c); e != nil {
			l.err = e
			return i, nil
		}
		l.off++
		if c == '\n' {
			l.line++
			l.lineOff = l.off
		}
		i++
	}
	return n, err
}

// advance moves the position past b.
func (l *jsonValueLimit) advance(b []byte) {
	if c := bytes.Count(b, []byte{'\n'}); c > 0 {
		l.line += c
		l.lineOff = l.off + int64(bytes.LastIndexByte(b, '\n')) + 1
	}
	l.off += int64(len(b))
}

func (l *jsonValueLimit) here() Position {
	return Position{File: l.file, Line: l.line, Column: int(l.off-l.lineOff) + 1}
}

// step follows one byte; it returns the error once a limit is crossed.
func (l *jsonValueLimit) step(c byte) *Error {
	switch l.state {
	case jsStr:
		if c == '\\' {
			l.state, l.escPos = jsEsc, l.here()
			return nil
		}
		if l.high.Line > 0 {
			return l.halfPair(l.high, l.highCP)
		}
		if c == '"' {
			l.state = jsOut
			return nil
		}
		return l.grow(1, "a text")
	case jsEsc:
		if c == 'u' {
			l.state, l.hex, l.cp = jsHex, 0, 0
			return nil
		}
		if l.high.Line > 0 {
			return l.halfPair(l.high, l.highCP)
		}
		l.state = jsStr
		return l.grow(1, "a text")
	case jsHex:
		l.cp = l.cp<<4 | rune(hexValue(c))
		if l.hex++; l.hex < 4 {
			return nil
		}
		l.state = jsStr
		if e := l.surrogate(); e != nil {
			return e
		}
		switch {
		case l.cp < 0x80:
			return l.grow(1, "a text")
		case l.cp < 0x800, l.cp >= 0xD800 && l.cp < 0xE000: // a surrogate pair makes 4 bytes
			return l.grow(2, "a text")
		}
		return l.grow(3, "a text")
	}
	// Between tokens.
	switch c {
	case ' ', '\t', '\r', '\n':
		if l.state != jsSpace {
			l.state, l.n, l.startPos = jsSpace, 0, l.here()
		}
		if l.n++; l.n > l.maxSpace {
			return &Error{Pos: l.startPos, Rule: RuleLimit, Err: ErrLimit,
				Message: fmt.Sprintf("more than %s of white space in a row; a JSON dataset file has no need of it", FormatSize(l.maxSpace))}
		}
		return nil
	case '"':
		l.state, l.n, l.startPos = jsStr, 0, l.here()
		return nil
	case '{', '}', '[', ']', ',', ':':
		l.state = jsOut
		return nil
	}
	if l.state != jsBare {
		l.state, l.n, l.startPos = jsBare, 0, l.here()
	}
	return l.grow(1, "a number")
}

// surrogate follows the \u escape just read: a high surrogate must be
// followed at once by a low one, and a low one must follow a high one.
func (l *jsonValueLimit) surrogate() *Error {
	isHigh := l.cp >= 0xD800 && l.cp < 0xDC00
	isLow := l.cp >= 0xDC00 && l.cp < 0xE000
	switch {
	case l.high.Line > 0 && isLow:
		l.high = Position{} // a whole pair
	case l.high.Line > 0:
		return l.halfPair(l.high, l.highCP)
	case isHigh:
		l.high, l.highCP = l.escPos, l.cp
	case isLow:
		return l.halfPair(l.escPos, l.cp)
	}
	return nil
}

func (l *jsonValueLimit) halfPair(pos Position, cp rune) *Error {
	l.valueErr = halfSurrogateError(pos, cp)
	return l.valueErr
}

// halfSurrogateError is the error of a \u escape that is half a UTF-16
// surrogate pair, alone.
func halfSurrogateError(pos Position, cp rune) *Error {
	return &Error{Pos: pos, Rule: RuleEncoding, Err: ErrEncoding,
		Message: fmt.Sprintf(`the escape \u%04X is half of a UTF-16 surrogate pair, without the other half, so it stands for no character; `+
			`write the character itself, or the whole pair (such as \ud83d\ude00 for U+1F600)`, cp)}
}

func (l *jsonValueLimit) grow(n int64, what string) *Error {
	if l.n += n; l.n > l.maxValue {
		return l.tooLong(what)
	}
	return nil
}

func (l *jsonValueLimit) tooLong(what string) *Error {
	l.valueErr = &Error{Pos: l.startPos, Rule: RuleLimit, Err: ErrLimit,
		Message: fmt.Sprintf("%s longer than %s, the limit for one value (--max-field-size); no field of a dataset holds that much", what, FormatSize(l.maxValue))}
	return l.valueErr
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return 0
}

// rootStat is fs.Stat for a rootFS: it does not open the file, which for a
// named pipe would wait for a writer.
func (r rootFS) Stat(name string) (fs.FileInfo, error) {
	root, err := os.OpenRoot(string(r))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Stat(name)
}

// maxTextBytes bounds a source's text file, which is read whole and
// indexed for quote matching.
const maxTextBytes = 64 << 20

// elementBound bounds the bytes of one element (a source or a record) of a
// JSON dataset file: Limits.MaxLineBytes, as for a line of JSON Lines or a
// CSV row.
type elementBound struct {
	from, max int64
	pos       Position
	what      string
}

func newElementBound(from int64, pos Position, isSource bool, lim Limits) *elementBound {
	what := "record"
	if isSource {
		what = "source"
	}
	return &elementBound{from: from, max: int64(lim.MaxLineBytes), pos: pos, what: what}
}

func (b *elementBound) err() *Error {
	return &Error{Pos: b.pos, Rule: RuleLimit, Err: ErrLimit,
		Message: fmt.Sprintf("this %s takes more than %s of JSON; a %s is a few fields of text and numbers", b.what, FormatSize(b.max), b.what)}
}

// yamlValueMarks counts the bytes of data that can start or end a value
// in YAML (",", ":", "-", "?", "[", "{" and line ends). A YAML file is
// parsed whole into a tree of about 170 bytes per value (scalar, list or
// mapping), and it holds fewer values than twice this count: so the count
// bounds the tree's memory before the file is parsed. It returns the
// offset where the count passes max, or -1.
func yamlValueMarks(data []byte, max int) int {
	n := 0
	for i, c := range data {
		switch c {
		case ',', ':', '-', '?', '[', '{', '\n':
			if n++; n > max {
				return i
			}
		}
	}
	return -1
}
