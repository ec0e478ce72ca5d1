package textnorm

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestAppend(t *testing.T) {
	tests := []struct {
		name string
		in   string
		mode Mode
		want string // Shy written as "~"
	}{
		{"space runs", "  a \t\n b  ", Quote, "a b"},
		{"split ligature", "offi cial", Quote, "official"},
		{"split ligature before capital", "fi Cial", Quote, "fi Cial"},
		{"ligature characters", "ﬀ. ﬁ. ﬂ. ﬃ. ﬄ", Quote, "ff. fi. fl. ffi. ffl"},
		{"space after a ligature character", "ﬁ cial", Quote, "ficial"},
		{"line-end hyphen in source", "sec-\nond", Source, "sec~ond"},
		{"hyphen and space in source", "sec- ond", Source, "sec- ond"},
		{"hyphen and space in quote", "sec- ond", Quote, "sec~ond"},
		{"hyphen before digit", "COVID- 19", Quote, "COVID- 19"},
		{"soft hyphen dropped", "en\u00ADter", Quote, "enter"},
		{"quotes and dashes", "‘a’ “b” – — ― −", Quote, `'a' "b" - - - -`},
		{"no-break and thin spaces", "1\u00A0411\u2009000\u202F5", Quote, "1 411 000 5"},
		{"letters unchanged", "Ünïcödé CASE", Quote, "Ünïcödé CASE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.ReplaceAll(string(Append(nil, tc.in, tc.mode)), string(Shy), "~")
			if got != tc.want {
				t.Errorf("Append(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestAppendOffsets(t *testing.T) {
	in := "  Over 300 enter-\n prises: oﬃcial"
	rs, offs := AppendOffsets(nil, nil, in, Quote)
	orig := []rune(in)
	want := []struct {
		norm rune
		from rune
	}{}
	for i, r := range rs {
		want = append(want, struct{ norm, from rune }{r, orig[offs[i]]})
	}
	// Every rune but the folded ones comes from itself; a space from white
	// space; Shy from the hyphen; ligature letters from the ligature.
	for _, w := range want {
		switch {
		case w.norm == w.from:
		case w.norm == ' ' && unicode.IsSpace(w.from):
		case w.norm == Shy && w.from == '-':
		case w.from == 'ﬃ' && strings.ContainsRune("fi", w.norm):
		default:
			t.Errorf("normalised %q comes from %q", w.norm, w.from)
		}
	}
	if got := string(rs); got != "Over 300 enter\u00ADprises: official" {
		t.Errorf("runes = %q", got)
	}
	if offs[0] != 2 {
		t.Errorf("first offset = %d, want 2", offs[0])
	}
}

// reference is the quote matcher's normalisation as it was before it moved
// here (pipeline/quote.go at bb98867), kept to prove the move changed
// nothing.
func reference(out []rune, s string, isSource bool) []rune {
	space, newline := false, false
	flush := func(next rune) {
		if !space {
			return
		}
		n := len(out)
		switch {
		case n >= 2 && out[n-1] == '-' && unicode.IsLetter(out[n-2]) && unicode.IsLetter(next) && (newline || !isSource):
			out[n-1] = Shy
		case n >= 2 && isLigatureEnd(out[n-2], out[n-1]) && unicode.IsLower(next):
		case n > 0:
			out = append(out, ' ')
		}
		space, newline = false, false
	}
	for _, r := range s {
		if r == Shy {
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

func FuzzAppend(f *testing.F) {
	f.Add("sec-\nond offi cial", false)
	f.Add("a–b “c” ﬃ\u00AD x- y", true)
	f.Add("  Its total investment has reached about $3bn (as of 30\nSeptember 2008", false)
	f.Fuzz(func(t *testing.T, s string, source bool) {
		m := Quote
		if source {
			m = Source
		}
		want := reference(nil, s, source)
		got := Append(nil, s, m)
		if string(got) != string(want) {
			t.Fatalf("Append(%q) = %q, reference %q", s, string(got), string(want))
		}
		rs, offs := AppendOffsets(nil, nil, s, m)
		if string(rs) != string(want) {
			t.Fatalf("AppendOffsets(%q) runes = %q, reference %q", s, string(rs), string(want))
		}
		if len(offs) != len(rs) {
			t.Fatalf("%d offsets for %d runes", len(offs), len(rs))
		}
		n := utf8.RuneCountInString(s)
		for i, o := range offs {
			if o < 0 || o >= n || (i > 0 && o < offs[i-1]) {
				t.Fatalf("offsets %v of %q: %d out of order or range", offs, s, o)
			}
		}
	})
}

const benchQuote = "Its total investment in Kazakhstan has reached about $3bn (as of 30\nSeptember 2008, " +
	"according to the National Bank of Kazakhstan). The main spheres of investment are construction, trade, " +
	"finance, information technologies, the production of buses, equipment for the oil and gas and chemical " +
	"sectors and white goods."

func BenchmarkAppend(b *testing.B) {
	var out []rune
	for b.Loop() {
		out = Append(out[:0], benchQuote, Quote)
	}
}

func BenchmarkReference(b *testing.B) {
	var out []rune
	for b.Loop() {
		out = reference(out[:0], benchQuote, false)
	}
}

func BenchmarkAppendOffsets(b *testing.B) {
	var out []rune
	var offs []int
	for b.Loop() {
		out, offs = AppendOffsets(out[:0], offs[:0], benchQuote, Quote)
	}
}
