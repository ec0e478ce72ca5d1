package countries

import (
	"strings"
	"unicode"
)

// maxSentence bounds, in code points, how far back SentenceBefore looks
// for each of the two sentence ends it needs: a text with no sentence end
// (a table, a hostile file) costs at most that much per call, not the whole
// text. Prose sentences are far shorter; a quote is at most 2000.
const maxSentence = 4000

// SentenceBefore returns the span [from, to) of the sentence that ends
// before position start of text (code points, as Find counts them): for a
// quote that starts at start, the sentence before it. The words of the
// quote's own sentence before the quote, when it starts in the middle of
// one, are text[to:start]; searching text[from:start] covers both.
//
// It takes runes, not a string, so that a call costs the length of the
// sentences, not of the text before them (a source text may be 64 MiB,
// and a run checks millions of quotes against it).
//
// A sentence ends at . ! ? or … (and the closing quotes or brackets after
// it) followed by white space and a capital letter, a digit, an opening
// quote or bracket, or the end of the text; also at a form feed and at a
// blank line. A full stop does not end a sentence after a single letter
// (initials, "U.S.", "e.g.") or a usual abbreviation ("Mr.", "No.",
// "pp.", "Sept."), nor inside a number ("3.5"). With no sentence before
// start (within maxSentence), from and to are both the start of the
// quote's own sentence. Always 0 <= from <= to <= start <= len(text), for
// a start clamped into the text.
func SentenceBefore(text []rune, start int) (from, to int) {
	start = min(max(start, 0), len(text))
	own := lastBoundary(text, start, max(0, start-maxSentence))
	if own < 0 {
		s := skipSpaceRunes(text, max(0, start-maxSentence), start)
		return s, s
	}
	// The sentence before is the one that holds the last character before
	// own that is not white space (a form feed or blank line may follow
	// the end of a sentence).
	to = trimSpaceRight(text, own, max(0, own-maxSentence))
	lo := max(0, to-maxSentence)
	from = lo
	if b := lastBoundary(text, to-1, lo); b >= 0 {
		from = b
	}
	return skipSpaceRunes(text, from, to), to
}

// lastBoundary returns the last position p in [lo, hi] at which a sentence
// ends, or -1.
func lastBoundary(text []rune, hi, lo int) int {
	for p := hi; p > lo; p-- {
		if endsSentence(text, p) {
			return p
		}
	}
	return -1
}

// endsSentence says whether a sentence ends just before position p.
func endsSentence(text []rune, p int) bool {
	if p < len(text) {
		switch {
		case text[p] == '\f':
			return true
		case text[p] == '\n' && blankLineAfter(text, p+1):
			return true
		case !unicode.IsSpace(text[p]):
			return false
		}
	}
	k := p - 1
	for k >= 0 && isCloser(text[k]) {
		k--
	}
	if k < 0 || !isTerminator(text[k]) || text[k] == '.' && isAbbreviation(text, k) {
		return false
	}
	n := skipSpaceRunes(text, p, min(len(text), p+maxSentence))
	return n == len(text) || n < len(text) && startsSentence(text[n])
}

func blankLineAfter(text []rune, i int) bool {
	for end := min(len(text), i+maxSentence); i < end; i++ {
		switch text[i] {
		case '\n', '\f':
			return true
		case ' ', '\t', '\r':
			continue
		}
		return false
	}
	return false
}

// isAbbreviation says whether the full stop at text[k] ends an
// abbreviation or an initial rather than a sentence.
func isAbbreviation(text []rune, k int) bool {
	j := k
	for j > 0 && k-j <= maxAbbreviation && unicode.IsLetter(text[j-1]) {
		j--
	}
	word := text[j:k]
	switch {
	case len(word) == 1:
		return true // an initial, "U.S.", "e.g."
	case len(word) == 0 || len(word) > maxAbbreviation:
		return false
	}
	_, ok := abbreviations[strings.ToLower(string(word))]
	return ok
}

// maxAbbreviation is the length of the longest abbreviation.
const maxAbbreviation = 6

// abbreviations are words that a full stop follows inside a sentence,
// before a capital or a number. Company suffixes (Inc., Ltd., Co.) and
// "etc." are left out: they end sentences as often.
var abbreviations = map[string]struct{}{
	"mr": {}, "mrs": {}, "ms": {}, "dr": {}, "prof": {}, "st": {}, "mt": {}, "ft": {},
	"gen": {}, "col": {}, "lt": {}, "capt": {}, "sgt": {}, "gov": {}, "sen": {}, "rep": {}, "hon": {}, "jr": {}, "sr": {},
	"no": {}, "nos": {}, "nr": {}, "vol": {}, "vols": {}, "pp": {}, "ch": {}, "chap": {}, "sec": {}, "art": {}, "fig": {}, "figs": {},
	"ed": {}, "eds": {}, "rev": {}, "vs": {}, "cf": {}, "al": {}, "viz": {}, "approx": {}, "ca": {}, "est": {},
	"jan": {}, "feb": {}, "apr": {}, "jun": {}, "jul": {}, "aug": {}, "sep": {}, "sept": {}, "oct": {}, "nov": {}, "dec": {},
}

func isTerminator(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '’', '”', '»', ')', ']':
		return true
	}
	return false
}

func startsSentence(r rune) bool {
	switch r {
	case '"', '\'', '‘', '“', '«', '(', '[':
		return true
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r) || unicode.IsDigit(r)
}

// skipSpaceRunes returns the first position in [i, hi) that is not white
// space, or hi.
func skipSpaceRunes(text []rune, i, hi int) int {
	for i < hi && unicode.IsSpace(text[i]) {
		i++
	}
	return i
}

// trimSpaceRight returns the position in [lo, i] after the last rune
// before i that is not white space, or lo.
func trimSpaceRight(text []rune, i, lo int) int {
	for i > lo && unicode.IsSpace(text[i-1]) {
		i--
	}
	return i
}
