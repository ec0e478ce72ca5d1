package countries

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFind checks that Find never panics, and that its matches are spans of
// the text, in order and not overlapping, each with codes, whose Text is
// the text's code points [Start:End].
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"South Korea is one of the leading investors in the Kazakh economy.",
		"Kazakh-\nSouth Korean relations; Kazakh-\nstan; Kazakh\u00ADstan",
		"Côte d’Ivoire, Co\u0302te d'Ivoire, Guinea–Bissau, U.S.A., US$3bn",
		"o\uFB03cial \uFB01 Papua New Guinea New Guinea North Korea Korea’s",
		"-\n-\n\u00AD\u0301\u0301 \xff\xfe U.S",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := Find(text)
		runes := []rune(text)
		last := 0
		for _, m := range ms {
			if m.Start < last || m.End <= m.Start || m.End > len(runes) {
				t.Fatalf("Find(%q): match %+v after %d, in %d code points", text, m, last, len(runes))
			}
			if got := string(runes[m.Start:m.End]); got != strings.ToValidUTF8(m.Text, string(utf8.RuneError)) && got != m.Text {
				t.Fatalf("Find(%q): match %+v, but the code points [%d:%d] are %q", text, m, m.Start, m.End, got)
			}
			if len(m.Codes) == 0 {
				t.Fatalf("Find(%q): match %+v has no codes", text, m)
			}
			last = m.End
		}
		from, to := SentenceBefore(runes, len(runes)/2)
		if !(0 <= from && from <= to && to <= len(runes)/2) {
			t.Fatalf("SentenceBefore(%q, %d) = %d, %d", text, len(runes)/2, from, to)
		}
	})
}
