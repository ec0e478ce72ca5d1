package schema

import (
	"slices"
	"testing"
)

func TestHomoglyph(t *testing.T) {
	for _, tc := range []struct {
		s, word, why string
	}{
		{"оther", "other", "contains Cyrillic о (U+043E) where other has o"},
		{"trаdе", "trade", "contains Cyrillic а (U+0430) and Cyrillic е (U+0435) where trade has a and e"},
		{"finαnce", "finance", "contains Greek α (U+03B1) where finance has a"},
		{"КZ", "KZ", "contains Cyrillic К (U+041A) where KZ has K"},
		{"ΚΖ", "KZ", "contains Greek Κ (U+039A) and Greek Ζ (U+0396) where KZ has K and Z"},
		{"USD", "", ""},         // a word itself
		{"other", "", ""},       // a word itself
		{"Other", "", ""},       // letter case is no homoglyph
		{"otter", "", ""},       // another word
		{"ot her", "", ""},      // a space is no look-alike
		{"", "", ""},            // nothing
		{"trade\u200b", "", ""}, // an invisible character is not a look-alike; nocontrol and the vocabulary say what it is
	} {
		word, why, ok := Homoglyph(tc.s, slices.Concat(Sectors, []string{"KZ", "KR", "USD"}))
		if word != tc.word || why != tc.why || ok != (tc.word != "") {
			t.Errorf("Homoglyph(%+q) = %q, %q, %v; want %q, %q", tc.s, word, why, ok, tc.word, tc.why)
		}
	}
}

// Every word of every vocabulary is told apart from the others: no two
// look alike, so Homoglyph names one word.
func TestVocabulariesDoNotLookAlike(t *testing.T) {
	for _, words := range [][]string{Sectors, Areas} {
		for i, a := range words {
			for _, b := range words[i+1:] {
				if _, _, ok := Homoglyph(a, []string{b}); ok {
					t.Errorf("%s and %s look alike", a, b)
				}
			}
		}
	}
}
