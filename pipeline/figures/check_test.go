package figures

import (
	"strings"
	"testing"
)

func amount(s string) *Decimal {
	d := MustDecimal(s)
	return &d
}

// problemsOf renders problems as "field rule", with the message when
// verbose is set.
func problemsOf(res Result) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, p.Field+" "+p.Rule)
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		quote string
		claim Claim
		want  []string // "field rule" of each problem, in order
		says  string   // a part of the first problem's message
	}{
		{"stated", "FDI reached about $3bn in 2008.",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-06-30"}, nil, ""},
		{"any dollar", "FDI reached about $3bn in 2008.",
			Claim{Amount: amount("3000000000"), Currency: "SGD", Qualifier: "about"}, nil, ""},
		{"declared dollar", "FDI reached about $3bn in 2008.",
			Claim{Amount: amount("3000000000"), Currency: "SGD", Qualifier: "about", Dollar: "SGD"}, nil, ""},
		{"declared other dollar", "FDI reached about $3bn in 2008.",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", Dollar: "SGD"},
			[]string{"currency figure_stated"}, "SGD"},
		{"dollar is never EUR", "FDI reached about $3bn.",
			Claim{Amount: amount("3000000000"), Currency: "EUR", Qualifier: "about"},
			[]string{"currency figure_stated"}, "3,000,000,000 dollars"},
		{"explicit code beats the declared dollar", "US$3bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", Dollar: "SGD"}, nil, ""},
		{"rupee family", "Rs 31 crore", Claim{Amount: amount("310000000"), Currency: "PKR", Qualifier: "exact"}, nil, ""},
		{"indian rupees are INR", "31 crore Indian rupees",
			Claim{Amount: amount("310000000"), Currency: "PKR", Qualifier: "exact"}, []string{"currency figure_stated"}, ""},
		{"one of several amounts", "KZT 1.2 trillion ($3bn) in 2008",
			Claim{Amount: amount("1200000000000"), Currency: "KZT", Qualifier: "exact", AsOf: "2008-12-31"}, nil, ""},
		{"the other of several amounts", "KZT 1.2 trillion ($3bn) in 2008",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2008-12-31"}, nil, ""},
		{"amount in the wrong currency of several", "KZT 1.2 trillion ($3bn)",
			Claim{Amount: amount("3000000000"), Currency: "KZT", Qualifier: "exact"}, []string{"currency figure_stated"}, ""},
		{"x1000", "about $3bn", Claim{Amount: amount("3000000"), Currency: "USD", Qualifier: "about"},
			[]string{"amount figure_stated"}, "1/1,000 of it"},
		{"nearly is about", "nearly $3bn", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about"}, nil, ""},
		{"nearly is under", "nearly $3bn", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "under"}, nil, ""},
		{"about is not under", "about $3bn", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "under"},
			[]string{"qualifier figure_stated"}, "it says about 3,000,000,000 USD"},
		{"range low end", "between $8 billion and $10 billion",
			Claim{Amount: amount("8000000000"), Currency: "USD", Qualifier: "over"}, nil, ""},
		{"range high end", "between $8 billion and $10 billion",
			Claim{Amount: amount("10000000000"), Currency: "USD", Qualifier: "under"}, nil, ""},
		{"range end exact", "between $8 billion and $10 billion",
			Claim{Amount: amount("10000000000"), Currency: "USD", Qualifier: "exact"}, []string{"qualifier figure_stated"}, ""},
		{"change is no total", "investment increased by $3bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact"}, []string{"amount figure_stated"}, "a change"},
		{"no currency", "investment reached 3 billion",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact"}, []string{"currency figure_stated"}, "no currency"},
		{"no amount", "investment grew", Claim{Amount: amount("3000000000"), Currency: "USD"},
			[]string{"amount figure_stated"}, "states no money amount"},
		{"unreadable amount", "investment reached $10bnn in 2008",
			Claim{Amount: amount("10000000000"), Currency: "USD", Qualifier: "exact"}, []string{"amount figure_unreadable"}, `"bnn"`},
		{"garbled amount", "investment reached 3,00 million dollars",
			Claim{Amount: amount("300000000"), Currency: "USD", Qualifier: "exact"}, []string{"amount figure_unreadable"}, "3,00"},
		{"derived amount", "investment reached $3.2bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", Derived: map[string]bool{"amount": true}}, nil, ""},
		{"derived amount stated", "investment reached $3bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "over", Derived: map[string]bool{"amount": true}},
			[]string{"amount derived_stated"}, "remove it from derived"},
		{"derived qualifier stated", "investment reached $3bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", Derived: map[string]bool{"qualifier": true}},
			[]string{"qualifier derived_stated"}, ""},
		{"derived qualifier", "investment reached $3bn",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", Derived: map[string]bool{"qualifier": true}}, nil, ""},
		{"derived currency", "investment reached 3 billion",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", Derived: map[string]bool{"currency": true}}, nil, ""},
		// Counts.
		{"counts", "Over 300 enterprises, including 48 joint ventures and 62 representative offices.",
			Claim{Counts: []Count{{"enterprises", 300}, {"joint_ventures", 48}, {"representative_offices", 62}}, Qualifier: "over"}, nil, ""},
		{"count of another noun", "48 joint ventures and 62 representative offices",
			Claim{Counts: []Count{{"joint_ventures", 62}}, Qualifier: "exact"},
			[]string{"joint_ventures figure_stated"}, "62 is its number of representative offices"},
		{"count absent", "48 joint ventures", Claim{Counts: []Count{{"enterprises", 48}}, Qualifier: "exact"},
			[]string{"enterprises figure_stated"}, "48 is its number of joint ventures"},
		{"count change", "25 more companies opened", Claim{Counts: []Count{{"enterprises", 25}}, Qualifier: "exact"},
			[]string{"enterprises figure_stated"}, "change"},
		{"count unreadable", "3,00 companies", Claim{Counts: []Count{{"enterprises", 300}}, Qualifier: "exact"},
			[]string{"enterprises figure_unreadable"}, ""},
		{"derived count stated", "300 companies",
			Claim{Counts: []Count{{"enterprises", 300}}, Qualifier: "exact", Derived: map[string]bool{"enterprises": true}},
			[]string{"enterprises derived_stated"}, ""},
		{"derived main count covers qualifier", "over 310 companies",
			Claim{Counts: []Count{{"enterprises", 300}}, Qualifier: "exact", Derived: map[string]bool{"enterprises": true}}, nil, ""},
		{"documents", "consists of over 60 documents", Claim{Counts: []Count{{"documents", 60}}, Qualifier: "over"}, nil, ""},
		// Dates.
		{"as_of day", "about $3bn (as of 30 September 2008)",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30"}, nil, ""},
		{"as_of not the day", "about $3bn (as of 30 September 2008)",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-10-30"},
			[]string{"as_of figure_stated"}, "the month differs"},
		{"as_of in the year", "$3bn in 2008", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2008-03-01"}, nil, ""},
		{"as_of in the half", "$3bn in the first half of 2016",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2016-06-30"}, nil, ""},
		{"as_of past the half", "$3bn in the first half of 2016",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2016-07-01"}, []string{"as_of figure_stated"}, ""},
		{"as_of of another figure", "$10bn in 2022, up from $8bn in 2021",
			Claim{Amount: amount("10000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2021-12-31"},
			[]string{"as_of figure_stated"}, "the year differs"},
		{"no date", "about $3bn", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30"},
			[]string{"as_of figure_stated"}, "gives no date"},
		{"date in another sentence", "In 2008 trade grew. Investment reached $3bn.",
			Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2008-12-31"},
			[]string{"as_of figure_stated"}, "no date is in the clause"},
		{"vague date", "$3bn as of mid-2017", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2017-06-30"},
			[]string{"as_of figure_unreadable"}, "mid"},
		{"derived as_of", "about $3bn", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30",
			Derived: map[string]bool{"as_of": true}}, nil, ""},
		{"derived as_of stated", "$3bn in 2008", Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "exact", AsOf: "2008-09-30",
			Derived: map[string]bool{"as_of": true}}, []string{"as_of derived_stated"}, ""},
		{"derived amount, dated quote", "a sum of $1bn and $2bn in 2008", Claim{Amount: amount("3000000000"), Currency: "USD",
			Qualifier: "exact", AsOf: "2008-09-30", Derived: map[string]bool{"amount": true}}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(tc.quote, tc.claim)
			got := problemsOf(res)
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Fatalf("problems %q, want %q: %+v", got, tc.want, res.Problems)
			}
			if tc.says != "" && !strings.Contains(res.Problems[0].Message, tc.says) {
				t.Errorf("message %q lacks %q", res.Problems[0].Message, tc.says)
			}
			for _, p := range res.Problems {
				if strings.ContainsAny(p.Message, "\n\r") || p.Severity == 0 {
					t.Errorf("problem %+v: not one line, or no severity", p)
				}
				if (p.Rule == RuleDerivedStated) != (p.Severity == Warning) {
					t.Errorf("problem %+v: only derived_stated is a warning", p)
				}
			}
			rs := []rune(tc.quote)
			for _, s := range res.Stated {
				if string(rs[s.Start:s.End]) != s.Text {
					t.Errorf("stated %+v is not the quote's code points", s)
				}
			}
		})
	}
}

func TestCheckStatedSpans(t *testing.T) {
	quote := "Its total investment in Kazakhstan has reached about $3bn (as of 30\nSeptember 2008, according to the National Bank of Kazakhstan)."
	res := Check(quote, Claim{Amount: amount("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30"})
	want := map[string]string{"amount": "about $3bn", "currency": "about $3bn", "qualifier": "about", "as_of": "30\nSeptember 2008"}
	if len(res.Problems) > 0 || len(res.Stated) != len(want) {
		t.Fatalf("%+v", res)
	}
	for _, s := range res.Stated {
		if want[s.Field] != s.Text {
			t.Errorf("stated %s = %q, want %q", s.Field, s.Text, want[s.Field])
		}
	}
	if s := res.Stated[0]; s.Start != 47 || s.End != 57 {
		t.Errorf("amount at %d-%d, want 47-57", s.Start, s.End)
	}
}

// TestCheckUnknownCurrency: a record whose currency is broken has its
// amount checked without it, and a message about the amount names none.
func TestCheckUnknownCurrency(t *testing.T) {
	quote := "Its total investment in Kazakhstan has reached about $3bn"
	three := MustDecimal("3000000000")
	if res := Check(quote, Claim{Amount: &three, Qualifier: "about"}); len(res.Problems) != 0 {
		t.Errorf("the stated amount without a currency: %+v", res.Problems)
	}
	four := MustDecimal("4000000000")
	res := Check(quote, Claim{Amount: &four, Qualifier: "about"})
	if len(res.Problems) != 1 || res.Problems[0].Field != "amount" || strings.Contains(res.Problems[0].Message, "  ") ||
		strings.Contains(res.Problems[0].Message, "currency") {
		t.Errorf("a wrong amount without a currency: %+v", res.Problems)
	}
}
