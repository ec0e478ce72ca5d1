package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// Shy marks a line-end hyphen in normalised text: it stands for "-" or for
// nothing. (It is U+00AD, which never survives normalisation otherwise: a
// soft hyphen in the input is invisible and dropped.)
const Shy = '\u00AD'

// Mode says what kind of text is normalised.
type Mode uint8

const (
	// Quote is a quote: a hyphen followed by any white space between letters
	// is a line-end hyphen, since a quote copied from a PDF may have lost
	// its line break.
	Quote Mode = iota
	// Source is a source's text: only a hyphen followed by a line break
	// between letters is a line-end hyphen.
	Source
)

// Append appends the normalised form of s to out and returns the extended
// slice.
func Append(out []rune, s string, m Mode) []rune {
	out, _ = appendNormalized(out, nil, false, s, m)
	return out
}

// AppendOffsets is [Append] that also appends to offs, for each rune it
// appends to out, the index in code points of the rune of s it came from:
// a ligature's letters all come from the ligature, the space of a run of
// white space from the run's first rune. The offsets never decrease.
func AppendOffsets(out []rune, offs []int, s string, m Mode) ([]rune, []int) {
	return appendNormalized(out, offs, true, s, m)
}

// appendNormalized is Append, and AppendOffsets when track is set: one
// implementation, so that the two can never disagree; the offsets cost the
// matcher's hot path one predictable branch per rune.
func appendNormalized(out []rune, offs []int, track bool, s string, m Mode) ([]rune, []int) {
	space, newline := false, false // a pending run of white space
	spaceAt := 0                   // where the pending run starts, in code points
	i := -1
	for _, r := range s {
		i++
		if r < utf8.RuneSelf && r != ' ' && (r < '\t' || r > '\r') {
			// Most runes: ASCII, not white space, folded to themselves.
			if space {
				out, offs = flush(out, offs, track, r, newline, m, spaceAt)
				space, newline = false, false
			}
			out = append(out, r)
			if track {
				offs = append(offs, i)
			}
			continue
		}
		if r == Shy { // a soft hyphen in the input is invisible
			continue
		}
		if unicode.IsSpace(r) {
			if !space {
				spaceAt = i
			}
			space = true
			newline = newline || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
			continue
		}
		f, letters := fold(r)
		if letters == "" {
			if space {
				out, offs = flush(out, offs, track, f, newline, m, spaceAt)
				space, newline = false, false
			}
			out = append(out, f)
			if track {
				offs = append(offs, i)
			}
			continue
		}
		for _, f := range letters {
			if space {
				out, offs = flush(out, offs, track, f, newline, m, spaceAt)
				space, newline = false, false
			}
			out = append(out, f)
			if track {
				offs = append(offs, i)
			}
		}
	}
	return out, offs
}

// flush ends a run of white space before the rune next: it becomes a line-end
// hyphen's mark, nothing (inside a split ligature, or at the start), or one
// space.
func flush(out []rune, offs []int, track bool, next rune, newline bool, m Mode, spaceAt int) ([]rune, []int) {
	n := len(out)
	switch {
	case n >= 2 && out[n-1] == '-' && unicode.IsLetter(out[n-2]) && unicode.IsLetter(next) && (newline || m == Quote):
		out[n-1] = Shy
	case n >= 2 && isLigatureEnd(out[n-2], out[n-1]) && unicode.IsLower(next):
		// "offi cial": the space split a ligature.
	case n > 0:
		out = append(out, ' ')
		if track {
			offs = append(offs, spaceAt)
		}
	}
	return out, offs
}

func isLigatureEnd(a, b rune) bool {
	return a == 'f' && (b == 'i' || b == 'l' || b == 'f')
}

// fold maps a rune to the rune it matches as, or to the letters of a
// ligature (letters non-empty).
func fold(r rune) (f rune, letters string) {
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
