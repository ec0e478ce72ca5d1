package countries

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Diacritics are folded away so that a name matches with or without its
// accents ("Côte d'Ivoire", "Cote d'Ivoire"; "Türkiye", "Turkiye"), as
// English texts write them both ways. The fold covers the Latin letters
// (Latin-1 Supplement, Latin Extended-A and -B, Latin Extended
// Additional): a letter whose canonical decomposition is one letter and
// combining marks reads as that letter. A few letters that have no
// decomposition but stand for a plain one in English spellings are added.

const (
	foldLo, foldHi           = 0x00C0, 0x0250 // Latin-1 Supplement to Latin Extended-B
	foldAddLo, foldAddHi     = 0x1E00, 0x1F00 // Latin Extended Additional
	foldSize                 = foldHi - foldLo + foldAddHi - foldAddLo
	foldAdditionalTableStart = foldHi - foldLo
)

// foldExtra are letters without a decomposition, folded by hand.
var foldExtra = map[rune]rune{
	'ø': 'o', // Bouvetøya
	'ł': 'l',
	'đ': 'd',
	'ħ': 'h',
	'ı': 'i', // Kıbrıs
}

var foldTable = sync.OnceValue(func() *[foldSize]rune {
	var t [foldSize]rune
	for i := range t {
		r := rune(foldLo + i)
		if i >= foldAdditionalTableStart {
			r = rune(foldAddLo + i - foldAdditionalTableStart)
		}
		t[i] = r
		if b, ok := foldExtra[r]; ok {
			t[i] = b
			continue
		}
		d := norm.NFD.String(string(r))
		b, w := utf8.DecodeRuneInString(d)
		if b >= utf8.RuneSelf && b < foldLo || w == len(d) {
			continue
		}
		if allMarks(d[w:]) {
			t[i] = b
		}
	}
	return &t
})

func allMarks(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// baseLetter returns a lowercase letter without its diacritics.
func baseLetter(r rune) rune {
	switch {
	case foldLo <= r && r < foldHi:
		return foldTable()[r-foldLo]
	case foldAddLo <= r && r < foldAddHi:
		return foldTable()[r-foldAddLo+foldAdditionalTableStart]
	}
	return r
}
