package figures

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzRead: the reader never panics; every span is the quote's code
// points from Start to End; reading is deterministic (the pooled buffers
// keep nothing between reads); a value is never read from the middle of a
// word ("$10bnn" has no value); re-reading a figure's own words gives its
// value again; dates are real, ordered ranges.
//
//	go test ./pipeline/figures -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	for _, e := range loadCorpus(f) {
		f.Add(e.Text)
	}
	for _, s := range []string{
		"about $3bn (as of 30 September 2008)", "$10bnn", "3,00 million dollars", "USD 1 411 billion", "6,5 billion tenge",
		"between $8 billion and $10 billion", "Rs 2 lakh crore", "one-point-15 billion dollars", "4 billion 280 million yuan",
		"USD -34 billion", "$8bn-$10bn", "the number of companies went up to 619", "of which 3,087 are joint ventures",
		"Q1 2017", "1990-99", "end-September 2017", "FY2021-22", "1,23,45,678", "300+ firms", "~$3bn", "ﬁrms 300 oﬃces",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, quote string) {
		if !utf8.ValidString(quote) {
			return
		}
		r := Read(quote)
		checkSpans(t, quote, r)
		again := Read(quote)
		if got, want := briefs(again), briefs(r); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("Read(%q) twice: %q then %q", quote, want, got)
		}
		rs := []rune(quote)
		for _, m := range r.Mentions {
			if !m.Readable() {
				if !m.Value.IsZero() {
					t.Fatalf("Read(%q): unreadable %q has a value", quote, m.Text)
				}
				continue
			}
			if m.End < len(rs) && (unicode.IsLetter(rs[m.End]) || unicode.IsDigit(rs[m.End])) {
				t.Fatalf("Read(%q): %q ends inside a word", quote, m.Text)
			}
			if !reReads(m) {
				t.Fatalf("Read(%q): %q (%s) read alone gives %q", quote, m.Text, m.Value, briefs(Read(m.Text)))
			}
		}
		for _, d := range r.Dates {
			if !d.Readable() {
				continue
			}
			if d.From > d.To || !realDay(d.From) || !realDay(d.To) {
				t.Fatalf("Read(%q): date %q is %s..%s", quote, d.Text, d.From, d.To)
			}
		}
	})
}

// reReads says whether the mention's own words, read alone, state its
// value again.
func reReads(m Mention) bool {
	for _, again := range Read(m.Text).Mentions {
		if again.Readable() && again.Value.Equal(m.Value) {
			return true
		}
	}
	return false
}

func realDay(d Day) bool {
	_, err := ParseDay(d.String())
	return err == nil
}

// FuzzCheck: Check never panics, and every message is one line.
func FuzzCheck(f *testing.F) {
	f.Add("Its total investment has reached about $3bn (as of 30 September 2008).", "3000000000", "USD", "about", "2008-09-30", int64(300))
	f.Add("Over 300 enterprises, including 48 joint ventures", "", "", "over", "", int64(48))
	f.Fuzz(func(t *testing.T, quote, amount, currency, qualifier, asOf string, count int64) {
		c := Claim{Currency: currency, Qualifier: qualifier, AsOf: asOf, Counts: []Count{{"enterprises", count}, {"joint_ventures", count}}}
		if d, err := ParseDecimal(amount); err == nil {
			c.Amount = &d
		}
		res := Check(quote, c)
		for _, p := range res.Problems {
			if strings.ContainsAny(p.Message, "\n\r") {
				t.Fatalf("message on two lines: %q", p.Message)
			}
		}
	})
}
