package input

import (
	"bytes"
	"io"
	"unicode/utf8"
)

var bom = []byte("\xEF\xBB\xBF")

// tracker wraps an input file. It drops a leading UTF-8 byte order mark,
// rejects invalid UTF-8 with its position, counts lines, and (when keep is
// set) remembers the bytes read but not yet passed by a position query, so
// that byte offsets reported by a decoder can be turned into lines and
// columns. Offsets count from the first byte after the BOM.
//
// Queries must come in increasing offset order; the bytes before the last
// query are forgotten, so memory stays bounded by the decoder's read-ahead.
type tracker struct {
	src  io.Reader
	file string
	keep bool

	started bool
	carry   []byte // an incomplete UTF-8 sequence at the end of the last read
	read    int64  // bytes delivered
	lines   int    // newlines delivered
	lastNL  int64  // offset just after the last delivered newline

	win       []byte // delivered bytes from winOff on (when keep)
	winOff    int64
	winLine   int   // line number at winOff
	lineStart int64 // offset of the start of that line
	err       error
}

func newTracker(r io.Reader, file string, keep bool) *tracker {
	return &tracker{src: r, file: file, keep: keep, winLine: 1}
}

func (t *tracker) Read(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	if !t.started {
		t.started = true
		if err := t.skipBOM(); err != nil {
			t.err = err
			return 0, err
		}
	}
	// Deliver carried bytes first: they were held back from the previous read.
	n := copy(p, t.carry)
	t.carry = t.carry[n:]
	var m int
	var err error
	if len(t.carry) == 0 {
		m, err = t.src.Read(p[n:])
	}
	n += m
	chunk := p[:n]
	// Hold back an incomplete sequence at the end, unless the input ends.
	if err == nil {
		if k := incompleteTail(chunk); k > 0 {
			t.carry = append([]byte(nil), chunk[n-k:]...)
			n -= k
			chunk = chunk[:n]
		}
	}
	if i := invalidUTF8(chunk); i >= 0 {
		t.account(chunk[:i])
		t.err = t.encodingError()
		return i, t.err
	}
	t.account(chunk)
	if err == io.EOF && len(t.carry) > 0 {
		err = nil // deliver the carry on the next call, then fail on it
	}
	return n, err
}

func (t *tracker) skipBOM() error {
	head := make([]byte, len(bom))
	n, err := io.ReadFull(t.src, head)
	if n == len(bom) && bytes.Equal(head, bom) {
		return nil
	}
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return err
	}
	t.carry = append(t.carry, head[:n]...)
	return nil
}

// account records delivered bytes.
func (t *tracker) account(b []byte) {
	if c := bytes.Count(b, []byte{'\n'}); c > 0 {
		t.lines += c
		t.lastNL = t.read + int64(bytes.LastIndexByte(b, '\n')) + 1
	}
	t.read += int64(len(b))
	if t.keep {
		t.win = append(t.win, b...)
	}
}

func (t *tracker) encodingError() *Error {
	pos := Position{File: t.file, Line: t.lines + 1, Column: int(t.read-t.lastNL) + 1}
	return &Error{Pos: pos, Rule: RuleEncoding, Err: ErrEncoding,
		Message: "invalid UTF-8 byte; save the file as UTF-8 (not Latin-1 or Windows-1252)"}
}

// pos returns the position of the byte at offset off (off >= any earlier
// query) and forgets the bytes before it.
func (t *tracker) pos(off int64) Position {
	if off > t.winOff && t.keep {
		end := min(off-t.winOff, int64(len(t.win)))
		seg := t.win[:end]
		if c := bytes.Count(seg, []byte{'\n'}); c > 0 {
			t.winLine += c
			t.lineStart = t.winOff + int64(bytes.LastIndexByte(seg, '\n')) + 1
		}
		t.win = t.win[end:]
		t.winOff += end
		if len(t.win) == 0 {
			t.win = t.win[:0:0] // let a large buffer go
		}
	}
	return Position{File: t.file, Line: t.winLine, Column: int(off-t.lineStart) + 1}
}

// tokenStart returns the offset of the first byte at or after off that is not
// JSON white space or a separator (',' or ':').
func (t *tracker) tokenStart(off int64) int64 {
	for i := off - t.winOff; i >= 0 && i < int64(len(t.win)); i++ {
		switch t.win[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			continue
		}
		return t.winOff + i
	}
	return off
}

// incompleteTail returns the length of a UTF-8 sequence cut off at the end of b.
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a leading byte: is its sequence complete?
			need := 2
			if c >= 0xE0 {
				need = 3
			}
			if c >= 0xF0 {
				need = 4
			}
			if need > k {
				return k
			}
			return 0
		}
	}
	return 0
}

// invalidUTF8 returns the index of the first invalid byte in b, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}
