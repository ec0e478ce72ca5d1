package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Quote matching.
//
// A quote must be found in its source's text, forgiving exactly the
// artifacts of extracting text from a PDF and nothing else:
//
//   - white space and line breaks: any run of them matches any other run;
//   - split ligatures: "offi cial" matches "official" (a space after fi, fl
//     or ff, before a lowercase letter, is dropped on both sides), and the
//     ligature characters ﬁ ﬂ ﬀ ﬃ ﬄ match their letters;
//   - line-end hyphens: "sec-" at the end of a line followed by "ond" matches
//     "second" and "sec-ond";
//   - curly and straight quotes (‘ ’ “ ” ' "), and dashes (‐ ‑ ‒ – — ― −
//     and -), match each other.
//
// A changed letter, digit, case or punctuation mark does not match.

// shy marks a line-end hyphen in normalized text: it matches "-" or nothing.
const shy = '\u00AD'

// quoteText is a source text prepared for matching quotes against it.
type quoteText struct {
	runes []rune
	// The text with every line-end hyphen dropped (joined) and kept
	// (hyphened): most quotes are found in one of them with a plain
	// substring search, and only the rest go through the rune matcher.
	joined, hyphened string
	scratch          []rune
	buf              []byte
	seen             map[string]quoteMatch // quotes looked for before, up to maxSeenQuotes
}

// maxSeenQuotes bounds the cache of quotes looked for: many records often
// cite the same sentence (or miss it the same way), and a run of millions
// of records must not keep every quote.
const maxSeenQuotes = 1 << 14

// findCached is find, remembering what it found.
func (qt *quoteText) findCached(quote string) quoteMatch {
	if m, ok := qt.seen[quote]; ok {
		return m
	}
	m := qt.find(quote)
	if qt.seen == nil || len(qt.seen) >= maxSeenQuotes {
		qt.seen = make(map[string]quoteMatch)
	}
	qt.seen[quote] = m
	return m
}

// unsafeString views b as a string for a search that does not keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func newQuoteText(text string) *quoteText {
	rs := normalize(text, true)
	s := string(rs)
	return &quoteText{
		runes:    rs,
		joined:   strings.ReplaceAll(s, string(shy), ""),
		hyphened: strings.ReplaceAll(s, string(shy), "-"),
	}
}

// normalize applies the forgiving rules. In a source text (isSource), a
// hyphen followed by a line break between letters becomes shy; in a quote, a
// hyphen followed by any white space between letters does, since a quote
// copied from a PDF may have lost the line break.
func normalize(s string, isSource bool) []rune {
	return appendNormalized(make([]rune, 0, len(s)), s, isSource)
}

// appendNormalized appends the normalized form of s to out.
func appendNormalized(out []rune, s string, isSource bool) []rune {
	space, newline := false, false // a pending run of white space
	flush := func(next rune) {
		if !space {
			return
		}
		n := len(out)
		switch {
		case n >= 2 && out[n-1] == '-' && unicode.IsLetter(out[n-2]) && unicode.IsLetter(next) && (newline || !isSource):
			out[n-1] = shy
		case n >= 2 && isLigatureEnd(out[n-2], out[n-1]) && unicode.IsLower(next):
			// "offi cial": the space split a ligature.
		case n > 0:
			out = append(out, ' ')
		}
		space, newline = false, false
	}
	for _, r := range s {
		if r == shy { // a soft hyphen in the input is invisible
			continue
		}
		if unicode.IsSpace(r) {
			space = true
			newline = newline || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
			continue
		}
		m, letters := fold(r)
		if letters == "" {
			flush(m)
			out = append(out, m)
			continue
		}
		for _, m := range letters {
			flush(m)
			out = append(out, m)
		}
	}
	return out
}

func isLigatureEnd(a, b rune) bool {
	return (a == 'f' && (b == 'i' || b == 'l' || b == 'f'))
}

// fold maps a rune to the rune it matches as, or to the letters of a
// ligature (expansion non-empty).
func fold(r rune) (rune, string) {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
		return '\'', ""
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
		return '"', ""
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-', ""
	case '\uFB00':
		return 0, "ff"
	case '\uFB01':
		return 0, "fi"
	case '\uFB02':
		return 0, "fl"
	case '\uFB03':
		return 0, "ffi"
	case '\uFB04':
		return 0, "ffl"
	}
	return r, ""
}

// quoteMatch is the result of looking for a quote.
type quoteMatch struct {
	found bool
	// When not found: how much of the quote matched at best, and what
	// follows in the quote and in the text there.
	matched      string
	quoteNext    string
	textNext     string
	matchedRunes int
	// gaveUp says the search stopped at its budget (see searchBudget)
	// before it could tell.
	gaveUp bool
}

// searchBudget bounds the rune comparisons of one search through a text of
// n runes. In prose, a quote's first letter starts a short partial match
// at a few percent of the text's positions, so a real search takes about n
// comparisons; a hostile pair (a text of a million "a" and a quote of two
// thousand "a" then "b") would take two billion, one record stalling a run
// for seconds. Past the budget the search gives up and says so.
func searchBudget(n int) int { return 16*n + 1<<20 }

// find looks for quote in the text.
func (qt *quoteText) find(quote string) quoteMatch {
	// Quotes are checked for every record: normalize into a buffer kept
	// between calls (a checker is one goroutine).
	qt.scratch = appendNormalized(qt.scratch[:0], quote, false)
	q := qt.scratch
	if len(q) == 0 {
		return quoteMatch{}
	}
	if !slices.Contains(q, shy) {
		qt.buf = qt.buf[:0]
		for _, r := range q {
			qt.buf = utf8.AppendRune(qt.buf, r)
		}
		if s := unsafeString(qt.buf); strings.Contains(qt.joined, s) || strings.Contains(qt.hyphened, s) {
			return quoteMatch{found: true}
		}
	}
	t := qt.runes
	bestJ, bestI, bestStart := -1, 0, 0
	budget, gaveUp := searchBudget(len(t)), false
	for start := range t {
		if t[start] != q[0] && !(t[start] == shy && q[0] == '-') {
			continue
		}
		i, j := matchAt(t, start, q)
		if j == len(q) {
			return quoteMatch{found: true}
		}
		if j > bestJ {
			bestJ, bestI, bestStart = j, i, start
		}
		if budget -= i - start + 1; budget < 0 {
			gaveUp = true
			break
		}
	}
	m := quoteMatch{matchedRunes: max(bestJ, 0), gaveUp: gaveUp}
	if bestJ > 0 {
		m.matched = show(t[bestStart:bestI])
		m.quoteNext = show(q[bestJ:min(len(q), bestJ+24)])
		m.textNext = show(t[bestI:min(len(t), bestI+24)])
	}
	return m
}

// matchAt matches q against the text from start, and returns how far it got
// in the text (i) and in the quote (j).
func matchAt(t []rune, start int, q []rune) (i, j int) {
	i = start
	for j < len(q) && i < len(t) {
		tc, qc := t[i], q[j]
		switch {
		case qc == shy && tc == '-':
			i, j = i+1, j+1
			// A hyphen and a space in the quote ("pre- and") match them
			// in the text too, where no line break follows the hyphen.
			if i < len(t) && t[i] == ' ' {
				i++
			}
		case tc == qc, tc == shy && qc == '-':
			i, j = i+1, j+1
		case tc == shy:
			i++
		case qc == shy:
			j++
		default:
			return i, j
		}
	}
	return i, j
}

// show turns normalized runes back into readable text.
func show(rs []rune) string {
	return strings.ReplaceAll(string(rs), string(shy), "-")
}

// explain says how a quote that was not found differs from the text.
func (m quoteMatch) explain(textName string) string {
	base := fmt.Sprintf("quote not found in the source's text %s; copy the words exactly as the source has them "+
		"(white space, line breaks, line-end hyphens, split ligatures, curly quotes and dashes may differ)", textName)
	if m.gaveUp {
		return fmt.Sprintf("quote not found in the source's text %s: the text repeats the quote's start so often that "+
			"the search gave up; quote a shorter, more distinctive passage", textName)
	}
	if m.matchedRunes < 10 {
		return base + "; not even its first words were found"
	}
	tail := m.matched
	if r := []rune(tail); len(r) > 40 {
		tail = "…" + string(r[len(r)-40:])
	}
	return fmt.Sprintf("%s; it matches up to %q, then the quote has %q where the source has %q",
		base, tail, m.quoteNext, m.textNext)
}
