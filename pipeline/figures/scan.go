package figures

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"export/pipeline/textnorm"
)

// The reader works on the quote normalised as the quote matcher normalises
// it (package textnorm), with line-end hyphens dropped ("enter- prises"
// reads "enterprises"), cut into tokens: words, digit runs and single
// punctuation marks, each knowing whether white space precedes it.

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

const (
	capFirst uint8 = 1 << iota // the word starts with a capital
	capAll                     // every letter of the word is a capital
)

type token struct {
	kind  tokKind
	space bool  // white space before it
	caps  uint8 // tWord: capFirst, capAll
	used  bool  // part of a date or a figure already
	date  bool  // part of a date
	r     rune  // tPunct: the mark
	start int32 // in scanner.rs
	end   int32
	wi    uint16 // tWord: the known word's index in words.infos, or 0 (the token holds no pointer, so that appending tokens costs no write barriers)
	// Structure: the parenthesis the token is in (0 for none; see
	// scanner.parens), whether it is in square brackets, and its clause.
	paren   int16
	bracket bool
	clause  int16
}

// key returns the token's lowercased word when the reader knows it, or "".
func (t *token) key() string { return words.infos[t.wi].key }

// word returns the token's known word, or nil.
func (t *token) word() *wordInfo {
	if t.wi == 0 {
		return nil
	}
	return &words.infos[t.wi]
}

// paren is a parenthesis of the quote.
type paren struct {
	parent int16
	first  int // the token after "("
	owner  int // the index in scanner.figs of the figure it follows, or -1
}

// scanner holds one reading's buffers; scanners are pooled.
type scanner struct {
	quote  string
	rs     []rune
	offs   []int
	toks   []token
	parens []paren
	lower  []byte
	digits []byte
	cpByte []int // code point → byte offset of quote; [0] alone when the quote is ASCII
	figs   []fig
	dates  []dateToks
	out    Reading
}

var scanners = sync.Pool{New: func() any { return new(scanner) }}

// Read returns the figures and dates the quote states.
//
// It never guesses: words that look like a money amount, or like a number
// bound to a count noun, but that it cannot read ("$10bnn", "3,00
// million") come back as a Mention with Unreadable set.
func Read(quote string) Reading {
	s := scanners.Get().(*scanner)
	r := s.read(quote)
	s.quote = ""
	scanners.Put(s)
	return r
}

func (s *scanner) read(quote string) Reading {
	s.quote = quote
	s.normalise()
	s.tokenise()
	s.structure()
	s.readDates()
	s.readFigures()
	s.attachDates()
	// The reading's own slices, exactly as long as needed: the scanner's
	// are kept for the next quote.
	var r Reading
	if len(s.out.Mentions) > 0 {
		r.Mentions = slices.Clone(s.out.Mentions)
	}
	if len(s.out.Dates) > 0 {
		r.Dates = slices.Clone(s.out.Dates)
	}
	clear(s.out.Mentions) // no strings of this quote kept alive by the pool
	clear(s.out.Dates)
	s.out.Mentions, s.out.Dates = s.out.Mentions[:0], s.out.Dates[:0]
	return r
}

// normalise fills rs and offs. A line-end hyphen (textnorm.Shy) stays in rs:
// a word is read across it ("enter- prises" is one word, see lowerWord).
func (s *scanner) normalise() {
	s.rs, s.offs = textnorm.AppendOffsets(s.rs[:0], s.offs[:0], s.quote, textnorm.Quote)
	s.cpByte = s.cpByte[:0] // filled when a span first needs it
}

func (s *scanner) tokenise() {
	// Local slices, stored back once: appending to the scanner's fields
	// would cost a write barrier per token while the GC runs.
	toks, lower := s.toks[:0], s.lower
	rs := s.rs
	space := false
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == ' ':
			space = true
			i++
			continue
		case r >= '0' && r <= '9':
			j := i + 1
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			toks = append(toks, token{kind: tNum, space: space, start: int32(i), end: int32(j)})
			i = j
		case isLetter(r):
			var j int
			var caps uint8
			var h uint32
			lower, j, caps, h = s.lowerWord(lower[:0], i)
			var wi uint16
			if len(lower) <= 16 {
				wi = words.lookup(lower, h)
			}
			toks = append(toks, token{kind: tWord, space: space, caps: caps, start: int32(i), end: int32(j), wi: wi})
			i = j
		default:
			toks = append(toks, token{kind: tPunct, space: space, r: r, start: int32(i), end: int32(i + 1)})
			i++
		}
		space = false
	}
	s.toks, s.lower = toks, lower
}

// lowerWord appends the lowercased UTF-8 of the word that starts at rune i
// to lower, and returns it with the word's end, its capitals and its hash
// (hashWord of the lowercased bytes, computed on the way).
func (s *scanner) lowerWord(lower []byte, i int) ([]byte, int, uint8, uint32) {
	rs := s.rs
	caps := capFirst | capAll
	if r := rs[i]; r < utf8.RuneSelf && r >= 'a' || r >= utf8.RuneSelf && !unicode.IsUpper(r) {
		caps = 0
	}
	h := uint32(2166136261)
	j := i
	for ; j < len(rs); j++ {
		c := rs[j]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z':
				caps &^= capAll
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				return lower, j, caps, h
			}
			lower = append(lower, byte(c))
			h = (h ^ uint32(c)) * 16777619
			continue
		}
		if c == textnorm.Shy {
			continue // "enter- prises"
		}
		if !isLetter(c) {
			break
		}
		if !unicode.IsUpper(c) {
			caps &^= capAll
		}
		n := len(lower)
		lower = utf8.AppendRune(lower, unicode.ToLower(c))
		for _, b := range lower[n:] {
			h = (h ^ uint32(b)) * 16777619
		}
	}
	return lower, j, caps, h
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z'
	}
	// Digits of other scripts are read as letters: never a number, never
	// split from a word.
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsDigit(r)
}

// structure marks parentheses, square brackets and clauses.
//
// A sentence ends at ".", "!" or "?" before white space (a "." after an
// abbreviation or a single capital, as in "U.S.", ends none); a clause
// ends with the sentence, at ";", and before a word that starts a
// contrasting clause (while, whereas, but, compared, against, versus) or
// ", from", ", up from", ", down from".
func (s *scanner) structure() {
	s.parens = append(s.parens[:0], paren{owner: -1}) // parens[0]: no parenthesis
	cur, brackets := int16(0), 0
	clause, next := int16(0), int16(0)
	comparing := int16(-1) // the clause a comparison interrupts, until its comma
	newClause := func() { next++; clause = next }
	toks := s.toks
	for i := range toks {
		t := &toks[i]
		if t.kind == tWord && t.word().is(cClause) && i > 0 && !(t.key() == "against" && !toks[i-1].isPunct(',')) {
			if oneOf(t.key(), "compared", "against", "versus", "vs") && comparing < 0 {
				comparing = clause // "as compared to the second half of 2015, to USD 793 billion"
			}
			newClause()
		}
		if t.kind == tWord && (t.key() == "up" || t.key() == "down") && i > 0 && toks[i-1].isPunct(',') &&
			i+1 < len(toks) && toks[i+1].key() == "from" || t.key() == "from" && i > 0 && toks[i-1].isPunct(',') {
			newClause() // ", up from $8bn in 2021", ", from $1.4 billion in the previous quarter"
			comparing = -1
		}
		if t.isPunct(',') && comparing >= 0 {
			clause, comparing = comparing, -1
		}
		t.paren, t.bracket, t.clause = cur, brackets > 0, clause
		if t.kind != tPunct {
			continue
		}
		switch t.r {
		case '(':
			s.parens = append(s.parens, paren{parent: cur, first: i + 1, owner: -1})
			cur = int16(len(s.parens) - 1)
		case ')':
			if cur != 0 {
				cur = s.parens[cur].parent
			}
		case '[':
			brackets++
			t.bracket = true
		case ']':
			if brackets > 0 {
				brackets--
			}
		case ';':
			newClause()
			comparing = -1
		case '.', '!', '?':
			if s.endsSentence(i) {
				newClause()
				comparing = -1
			}
		}
	}
}

// endsSentence says whether the mark at i ends a sentence: it is followed by
// the end of the text, or by white space (after closing quotes or
// parentheses) and a word that does not start in lower case; and a "."
// is not that of an abbreviation ("No.", "Rs.") or of a capital ("U.S.").
func (s *scanner) endsSentence(i int) bool {
	toks := s.toks
	j := i + 1
	for j < len(toks) && !toks[j].space && toks[j].kind == tPunct && strings.ContainsRune(")]\"'»”’", toks[j].r) {
		j++
	}
	if j < len(toks) && (!toks[j].space || toks[j].kind == tWord && toks[j].caps&capFirst == 0) {
		return false // "3.5", "U.S", "etc.) as of", "e.g. the"
	}
	if toks[i].r != '.' || i == 0 {
		return true
	}
	prev := &toks[i-1]
	if prev.kind == tWord && (prev.word().is(cAbbrev) || prev.caps&capFirst != 0 && prev.end-prev.start == 1 ||
		prev.end-prev.start == 1 && s.tok(i-2).isPunct('.') && s.glued(i-1)) { // "U.S.", "a.s.", "e.g."
		return false
	}
	return true
}

func (t *token) isPunct(r rune) bool { return t.kind == tPunct && t.r == r }

// glued says whether token i follows token i-1 with no white space.
func (s *scanner) glued(i int) bool { return i > 0 && i < len(s.toks) && !s.toks[i].space }

// tok returns token i, or a zero token past either end, so that look-ahead
// needs no bounds checks.
func (s *scanner) tok(i int) *token {
	if i < 0 || i >= len(s.toks) {
		return &noToken
	}
	return &s.toks[i]
}

var noToken token

// keyAt returns the key of token i (see token.key), or "".
func (s *scanner) keyAt(i int) string { return s.tok(i).key() }

// digitsOf returns the digits of a number token as a small int, and how
// many there are (at most 9 are read).
func (s *scanner) intOf(i int) (n, digits int) {
	t := s.tok(i)
	if t.kind != tNum {
		return -1, 0
	}
	for _, r := range s.rs[t.start:t.end] {
		if digits < 9 {
			n = n*10 + int(r-'0')
		}
		digits++
	}
	return n, digits
}

// span returns the span of tokens first to last, inclusive.
func (s *scanner) span(first, last int) Span {
	start := s.offs[s.toks[first].start]
	end := s.offs[s.toks[last].end-1] + 1
	if len(s.cpByte) == 0 {
		s.cpByte = append(s.cpByte, 0) // code points are bytes, until a non-ASCII byte says otherwise
		for i := 0; i < len(s.quote); i++ {
			if s.quote[i] >= utf8.RuneSelf {
				s.cpByte = s.cpByte[:0]
				for b := range s.quote {
					s.cpByte = append(s.cpByte, b)
				}
				s.cpByte = append(s.cpByte, len(s.quote))
				break
			}
		}
	}
	text := s.quote[start:end]
	if len(s.cpByte) > 1 {
		text = s.quote[s.cpByte[start]:s.cpByte[end]]
	}
	return Span{Text: text, Start: start, End: end}
}

// text returns the normalised text of token i.
func (s *scanner) text(i int) string {
	t := s.tok(i)
	return string(s.rs[t.start:t.end])
}
