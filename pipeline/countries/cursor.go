package countries

import (
	"unicode"
	"unicode/utf8"
)

// A cursor reads a text as the tokens that names are matched on: one
// folded rune at a time, each with the place in the text it came from. It
// forgives what extracting text from a PDF does to a name, as the quote
// matcher does (pipeline/quote.go), so that a name is found whether or not
// the text was normalized first:
//
//   - a run of white space, line breaks included, reads as one space;
//   - a hyphen at the end of a line before a lowercase letter joins the
//     word ("Kazakh-\nstan" reads as "kazakhstan"); before anything else
//     the hyphen stays and the line break goes ("Kazakh-\nSouth" reads as
//     "kazakh-south");
//   - a soft hyphen (U+00AD, which the quote matcher writes for a line-end
//     hyphen) and combining marks are invisible;
//   - the ligature characters ﬁ ﬂ ﬀ ﬃ ﬄ read as their letters (no name
//     has a lower-case fi, fl or ff, so a space that split a ligature,
//     "offi cial", is left as it is);
//   - letters read in lower case, without diacritics ("Côte" as "cote");
//   - curly and straight apostrophes read as ', and every dash as -.
//
// The cursor is a small value: the matcher copies it to look ahead.
type cursor struct {
	s    string
	i, c int // byte and code point offsets of the next rune of s

	// The letters of a ligature still to read, and the offsets of the
	// ligature, which they share.
	lig          string
	ligB0, ligC0 int

	// The last rune read: a hyphen after a letter may join a word.
	last rune
}

// A token is one rune of a text as names are matched on it.
type token struct {
	r      rune // the folded rune; eof at the end of the text
	upper  bool // it was written as an upper-case letter
	b0, b1 int  // the bytes of the text it was read from
	c0, c1 int  // the same, in code points
}

const (
	eof        = -1
	softHyphen = '\u00AD'
)

// next reads the next token of the text into t (a token of eof at the
// end). It writes t's fields one by one rather than returning a token: a
// struct built field by field and then copied whole is slow to read back
// (the stores cannot be forwarded to the wide loads of the copy).
func (c *cursor) next(t *token) {
	if c.i < len(c.s) && c.lig == "" && c.nextASCII(t) {
		return
	}
	if c.lig != "" {
		c.set(t, rune(c.lig[0]), false, c.ligB0, c.ligB0+utf8.RuneLen(ligFirst), c.ligC0, c.ligC0+1)
		c.lig = c.lig[1:]
		return
	}
	for c.i < len(c.s) {
		b0, c0 := c.i, c.c
		r := c.read()
		switch {
		case r == softHyphen || r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			continue
		case isSpace(r):
			c.skipSpace()
			c.set(t, ' ', false, b0, c.i, c0, c.c)
			return
		case isDash(r):
			if isWord(c.last) && c.lineEndHyphen() {
				continue // the hyphen and the line break join a word
			}
			c.set(t, '-', false, b0, b0+utf8.RuneLen(r), c0, c0+1)
			return
		}
		if lig := ligature(r); lig != "" {
			c.lig, c.ligB0, c.ligC0 = lig[1:], b0, c0
			c.set(t, rune(lig[0]), false, b0, c.i, c0, c.c)
			return
		}
		f, upper := fold(r)
		if isWord(f) {
			c.skipMarks()
		}
		c.set(t, f, upper, b0, c.i, c0, c.c)
		return
	}
	c.set(t, eof, false, len(c.s), len(c.s), c.c, c.c)
}

// nextASCII reads the next token into t, and says so, when it is an ASCII
// letter, digit or punctuation mark that nothing after it changes: the
// common case, read without the calls of the general one.
func (c *cursor) nextASCII(t *token) bool {
	b := c.s[c.i]
	class := asciiClass[b]
	if class == space && c.i+1 < len(c.s) && asciiClass[c.s[c.i+1]]&^space != 0 {
		class = punct // one space, then not white space: a token of its own
	} else if class&^space == 0 || class&letter != 0 && c.i+1 < len(c.s) && c.s[c.i+1] >= utf8.RuneSelf {
		return false // white space, a dash, a backtick, not ASCII; or a letter a combining mark may follow
	}
	r := rune(b)
	if class&upper != 0 {
		r += 'a' - 'A'
	}
	t.r, t.upper, t.b0, t.b1, t.c0, t.c1 = r, class&upper != 0, c.i, c.i+1, c.c, c.c+1
	c.i++
	c.c++
	c.last = r
	return true
}

// The classes of ASCII bytes, for the fast path of the cursor: 0 for
// those it leaves to the general one.
const (
	letter = 1 << iota
	upper
	digit
	punct
	space // a space: a token of its own when no white space follows
)

// skipWord moves past the rest of a word of ASCII letters and digits, for
// a word in which no name starts. It stops before anything else, which
// the cursor reads as usual (a combining mark, a line-end hyphen).
func (c *cursor) skipWord() {
	i := c.i
	for i < len(c.s) && asciiClass[c.s[i]]&(letter|digit) != 0 {
		i++
	}
	if i > c.i {
		c.c += i - c.i
		c.i = i
		c.last = 'a' // a letter or digit, as far as the hyphen rule is concerned
	}
}

var asciiClass = func() (t [256]uint8) {
	for b := '!'; b <= '~'; b++ {
		switch {
		case 'a' <= b && b <= 'z':
			t[b] = letter
		case 'A' <= b && b <= 'Z':
			t[b] = letter | upper
		case '0' <= b && b <= '9':
			t[b] = digit
		case b != '-' && b != '`':
			t[b] = punct
		}
	}
	t[' '] = space
	return t
}()

// ligFirst is a ligature character: they are all as long in UTF-8.
const ligFirst = '\uFB00'

func (c *cursor) set(t *token, r rune, upper bool, b0, b1, c0, c1 int) {
	t.r, t.upper, t.b0, t.b1, t.c0, t.c1 = r, upper, b0, b1, c0, c1
	c.last = r
}

// read returns the rune at the cursor and moves past it.
func (c *cursor) read() rune {
	r, w := rune(c.s[c.i]), 1
	if r >= utf8.RuneSelf {
		r, w = utf8.DecodeRuneInString(c.s[c.i:])
	}
	c.i += w
	c.c++
	return r
}

// peek returns the rune at the cursor, or eof.
func (c *cursor) peek() rune {
	if c.i >= len(c.s) {
		return eof
	}
	r := rune(c.s[c.i])
	if r >= utf8.RuneSelf {
		r, _ = utf8.DecodeRuneInString(c.s[c.i:])
	}
	return r
}

// skipSpace moves past white space and soft hyphens, and says whether
// they held a line break.
func (c *cursor) skipSpace() (newline bool) {
	for c.i < len(c.s) {
		r := c.peek()
		if !isSpace(r) && r != softHyphen {
			break
		}
		newline = newline || isNewline(r)
		c.read()
	}
	return newline
}

// lineEndHyphen is called after a hyphen that follows a letter. It moves
// past the line break after the hyphen, if there is one, and says whether
// the hyphen joins a word broken at the line end (a lowercase letter
// follows). With no line break after it, the hyphen is left as it is.
func (c *cursor) lineEndHyphen() bool {
	i, cp := c.i, c.c
	if !c.skipSpace() {
		c.i, c.c = i, cp
		return false
	}
	return unicode.IsLower(c.peek())
}

// skipMarks moves past combining marks after a letter, which count as
// part of it: a name written with decomposed accents ("Co\u0302te") ends
// after its last mark.
func (c *cursor) skipMarks() {
	for c.i < len(c.s) && c.s[c.i] >= utf8.RuneSelf && unicode.Is(unicode.Mn, c.peek()) {
		c.read()
	}
}

// fold returns the rune that r reads as, and whether r is a capital.
func fold(r rune) (f rune, upper bool) {
	if r < utf8.RuneSelf {
		switch {
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A', true
		case r == '`':
			return '\'', false
		}
		return r, false
	}
	switch r {
	case '\u2018', '\u2019', '\u201B', '\u02BC', '\u2032', '\uFF07':
		return '\'', false
	}
	if !unicode.IsLetter(r) {
		return r, false
	}
	return baseLetter(unicode.ToLower(r)), unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE63', '\uFF0D':
		return true
	}
	return false
}

func ligature(r rune) string {
	switch r {
	case '\uFB00':
		return "ff"
	case '\uFB01':
		return "fi"
	case '\uFB02':
		return "fl"
	case '\uFB03':
		return "ffi"
	case '\uFB04':
		return "ffl"
	}
	return ""
}

// isWord says whether r is part of a word: names match on word boundaries.
func isWord(r rune) bool {
	if 0 <= r && r < utf8.RuneSelf {
		return asciiClass[r]&(letter|digit) != 0
	}
	return r >= 0 && isWordNotASCII(r)
}

func isWordNotASCII(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r) || r == '\u200B'
}

func isNewline(r rune) bool {
	return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}
