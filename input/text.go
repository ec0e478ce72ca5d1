package input

import (
	"bytes"
	"io"
	"unicode/utf8"
)

var bom = []byte("\xEF\xBB\xBF")

// tracker wraps an input file. It drops a leading UTF-8 byte order mark,
// rejects invalid UTF-8 and NUL bytes (which no text file holds: the file
// is UTF-16, say, or not text at all) with their position, counts lines, and (when keep is
// set) remembers the bytes read but not yet passed by a position query, so
// that byte offsets reported by a decoder can be turned into lines and
// columns. Offsets count from the first byte after the BOM.
//
// Queries must come in increasing offset order; the bytes before the last
// query are forgotten, so memory stays bounded by the decoder's read-ahead.
//
// Bytes are checked in a buffer of the tracker's own before they are
// delivered, so that a caller may read with a buffer of any size, even one
// byte at a time.
type tracker struct {
	src  io.Reader
	file string
	keep bool

	started bool
	buf     []byte // read from src: buf[r:w] is not delivered yet, and buf[r:ok] is valid UTF-8
	r, ok   int
	w       int
	bad     bool  // buf[ok] starts an invalid UTF-8 sequence
	srcErr  error // the error that ended src, returned once buf is delivered
	empty   int   // reads in a row that returned nothing

	read   int64 // bytes delivered
	lines  int   // newlines delivered
	lastNL int64 // offset just after the last delivered newline

	// lenient passes invalid UTF-8 on (not NUL bytes), and keeps the
	// error of the first one in firstBad, at offset badOff: a CSV reader
	// reports it with the row that holds it.
	lenient  bool
	firstBad *Error
	badOff   int64

	win       []byte // delivered bytes from winOff on (when keep)
	winOff    int64
	winLine   int   // line number at winOff
	lineStart int64 // offset of the start of that line
	err       error
}

// trackerBufSize is the size of a tracker's buffer.
const trackerBufSize = 4096

func newTracker(r io.Reader, file string, keep bool) *tracker {
	return &tracker{src: r, file: file, keep: keep, winLine: 1}
}

func (t *tracker) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for t.ok == t.r {
		switch {
		case t.err != nil:
			return 0, t.err
		case t.bad:
			t.err = t.encodingError()
		case t.srcErr != nil:
			t.err = t.srcErr
		default:
			t.fill()
		}
	}
	n := copy(p, t.buf[t.r:t.ok])
	t.account(t.buf[t.r : t.r+n])
	t.r += n
	return n, nil
}

// fill reads more of src into the buffer and checks what it can.
func (t *tracker) fill() {
	if t.buf == nil {
		t.buf = make([]byte, trackerBufSize)
	}
	if t.r > 0 { // keep what is not delivered: at most an incomplete sequence
		t.w = copy(t.buf, t.buf[t.r:t.w])
		t.ok -= t.r
		t.r = 0
	}
	n, err := t.src.Read(t.buf[t.w:])
	t.w += n
	switch {
	case err != nil:
		t.srcErr = err
	case n > 0:
		t.empty = 0
	default:
		if t.empty++; t.empty >= 100 {
			t.srcErr = io.ErrNoProgress
		}
	}
	if !t.started {
		if t.w < len(bom) && t.srcErr == nil && (bytes.HasPrefix(bom, t.buf[:t.w]) || t.w < 2) {
			return // maybe a BOM, of UTF-8 or UTF-16: read on
		}
		t.started = true
		if bytes.HasPrefix(t.buf[:t.w], bom) {
			t.r, t.ok = len(bom), len(bom)
		}
	}
	// Hold back an incomplete sequence at the end, unless the input ends
	// there (then it is invalid).
	end := t.w
	if t.srcErr != io.EOF {
		end -= incompleteTail(t.buf[t.ok:t.w])
	}
	for {
		i := invalidText(t.buf[t.ok:end])
		if i < 0 {
			break
		}
		// The first byte is no row's: it may start UTF-16 (encodingError).
		if !t.lenient || t.buf[t.ok+i] == 0 || t.read+int64(t.ok+i-t.r) == 0 {
			t.ok += i
			t.bad = true
			return
		}
		if t.firstBad == nil {
			t.firstBad, t.badOff = t.encodingErrorAt(t.ok+i), t.read+int64(t.ok+i-t.r)
		}
		t.ok += i + 1
	}
	t.ok = end
}

// encodingErrorAt returns the encoding error of the byte at buf[j], which
// is not delivered yet.
func (t *tracker) encodingErrorAt(j int) *Error {
	pending := t.buf[t.r:j]
	pos := t.next()
	if c := bytes.Count(pending, []byte{'\n'}); c > 0 {
		pos.Line += c
		pos.Column = len(pending) - bytes.LastIndexByte(pending, '\n')
	} else {
		pos.Column += len(pending)
	}
	return &Error{Pos: pos, Rule: RuleEncoding, Err: ErrEncoding,
		Message: "invalid UTF-8 byte; save the file as UTF-8 (not Latin-1 or Windows-1252)"}
}

// invalidText returns the index of the first byte of b that is invalid
// UTF-8 or NUL, or -1.
func invalidText(b []byte) int {
	i := invalidUTF8(b)
	if j := bytes.IndexByte(b, 0); j >= 0 && (i < 0 || j < i) {
		return j
	}
	return i
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

// next returns the position of the next byte to deliver.
func (t *tracker) next() Position {
	return Position{File: t.file, Line: t.lines + 1, Column: int(t.read-t.lastNL) + 1}
}

func (t *tracker) encodingError() *Error {
	msg := "invalid UTF-8 byte; save the file as UTF-8 (not Latin-1 or Windows-1252)"
	rest := t.buf[t.ok:t.w]
	switch {
	case t.read == 0 && (bytes.HasPrefix(rest, []byte{0xFF, 0xFE}) || bytes.HasPrefix(rest, []byte{0xFE, 0xFF})):
		msg = "the file is UTF-16 (it starts with a UTF-16 byte order mark; Windows PowerShell's > and Out-File write UTF-16), " +
			"not UTF-8; save it as UTF-8 (in PowerShell: Out-File -Encoding utf8)"
	case t.read <= 1 && rest[0] == 0:
		msg = "the file holds NUL bytes from its start: it is UTF-16 or UTF-32 text without a byte order mark, or not text at all; " +
			"save it as UTF-8 (in PowerShell: Out-File -Encoding utf8)"
	case rest[0] == 0:
		msg = "a NUL byte (0x00), which no text holds; is the file UTF-16, or not a text file at all? Save it as UTF-8"
	}
	return &Error{Pos: t.next(), Rule: RuleEncoding, Err: ErrEncoding, Message: msg}
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

// bytesFrom returns the delivered bytes from offset off on, or nil when
// they are forgotten (off before the last query) or not read yet.
func (t *tracker) bytesFrom(off int64) []byte {
	if i := off - t.winOff; i >= 0 && i <= int64(len(t.win)) {
		return t.win[i:]
	}
	return nil
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
