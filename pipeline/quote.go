package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"export/pipeline/textnorm"
)

// Quote matching.
//
// A quote must be found in its source's text, forgiving exactly the
// artifacts of extracting text from a PDF and nothing else (package
// textnorm normalises both sides):
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
const shy = textnorm.Shy

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
	// In a source, only a hyphen before a line break is a line-end hyphen;
	// in a quote (find), one before any white space is, since a quote
	// copied from a PDF may have lost the line break.
	rs := textnorm.Append(make([]rune, 0, len(text)), text, textnorm.Source)
	s := string(rs)
	return &quoteText{
		runes:    rs,
		joined:   strings.ReplaceAll(s, string(shy), ""),
		hyphened: strings.ReplaceAll(s, string(shy), "-"),
	}
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
	qt.scratch = textnorm.Append(qt.scratch[:0], quote, textnorm.Quote)
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
