package figures

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The default dataset's records (input/defaultdata/kazakhstan-korea.yaml):
// the figures they state, and every single-field mutation rejected.

type defaultRecord struct {
	ID                    string  `yaml:"id"`
	Amount                *string `yaml:"amount"`
	Currency              string  `yaml:"currency"`
	Qualifier             string  `yaml:"qualifier"`
	AsOf                  string  `yaml:"as_of"`
	Enterprises           *int64  `yaml:"enterprises"`
	JointVentures         *int64  `yaml:"joint_ventures"`
	RepresentativeOffices *int64  `yaml:"representative_offices"`
	Documents             *int64  `yaml:"documents"`
	Quote                 string  `yaml:"quote"`
}

func defaultRecords(t *testing.T) map[string]defaultRecord {
	t.Helper()
	b, err := os.ReadFile("../../input/defaultdata/kazakhstan-korea.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Records []defaultRecord `yaml:"records"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]defaultRecord{}
	for _, r := range doc.Records {
		out[r.ID] = r
	}
	if len(out) != 3 {
		t.Fatalf("%d records in the default dataset, want 3", len(out))
	}
	return out
}

func (r defaultRecord) claim(t *testing.T) Claim {
	c := Claim{Currency: r.Currency, Qualifier: r.Qualifier, AsOf: r.AsOf}
	if r.Amount != nil {
		d, err := ParseDecimal(*r.Amount)
		if err != nil {
			t.Fatal(err)
		}
		c.Amount = &d
	}
	for _, f := range []struct {
		name string
		v    *int64
	}{{"enterprises", r.Enterprises}, {"documents", r.Documents}, {"joint_ventures", r.JointVentures},
		{"representative_offices", r.RepresentativeOffices}} {
		if f.v != nil {
			c.Counts = append(c.Counts, Count{f.name, *f.v})
		}
	}
	return c
}

func TestDefaultDataset(t *testing.T) {
	recs := defaultRecords(t)
	inv := recs["kr-kz-investment-2008-09"]
	r := Read(inv.Quote)
	var money []Mention
	for _, m := range r.Mentions {
		if m.Kind == KindMoney {
			money = append(money, m)
		}
	}
	if len(money) != 1 || money[0].Value.String() != "3000000000" || money[0].Currency != AnyDollar ||
		money[0].Qualifier != About || money[0].Date < 0 {
		t.Fatalf("investment quote reads %q", briefs(r))
	}
	if d := r.Dates[money[0].Date]; d.From != NewDay(2008, 9, 30) || d.To != d.From || d.Precision != DayPrecision {
		t.Errorf("date of the amount = %+v, want 2008-09-30 at day precision", d)
	}

	for id, rec := range recs {
		res := Check(rec.Quote, rec.claim(t))
		if len(res.Problems) > 0 {
			t.Errorf("%s: %+v", id, res.Problems)
		}
	}

	mutants := []struct {
		id     string
		mutate func(*Claim)
		field  string
		says   string
	}{
		{"kr-kz-investment-2008-09", func(c *Claim) { d := MustDecimal("4000000000"); c.Amount = &d }, "amount", "one digit differs"},
		{"kr-kz-investment-2008-09", func(c *Claim) { d := MustDecimal("3000000"); c.Amount = &d }, "amount", "1/1,000 of it"},
		{"kr-kz-investment-2008-09", func(c *Claim) { d := MustDecimal("3000000000000"); c.Amount = &d }, "amount", "1,000 times it"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.Qualifier = "exact" }, "qualifier", "it says about 3,000,000,000 USD"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.Qualifier = "over" }, "qualifier", "about"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.Currency = "EUR" }, "currency", "currency differs"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.Dollar = "SGD" }, "currency", "currency differs"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.AsOf = "2009-09-30" }, "as_of", "the year differs"},
		{"kr-kz-investment-2008-09", func(c *Claim) { c.AsOf = "2008-09-29" }, "as_of", "the day differs"},
		{"kr-kz-enterprises", func(c *Claim) { c.Counts[0].Value = 200 }, "enterprises", "one digit differs"},
		{"kr-kz-enterprises", func(c *Claim) { c.Qualifier = "exact" }, "qualifier", "over 300 enterprises"},
		{"kr-kz-enterprises", func(c *Claim) { c.Counts[1].Value, c.Counts[2].Value = 62, 48 }, "joint_ventures", "62 is its number of representative offices"},
		{"kr-kz-enterprises", func(c *Claim) { c.Counts[1].Value, c.Counts[2].Value = 62, 48 }, "representative_offices", "48 is its number of joint ventures"},
		{"kr-kz-enterprises", func(c *Claim) { c.AsOf = "2008-09-30" }, "as_of", "gives no date"},
		{"kz-kr-agreements", func(c *Claim) { c.Counts[0].Value = 50 }, "documents", "one digit differs"},
		{"kz-kr-agreements", func(c *Claim) { c.Qualifier = "under" }, "qualifier", "over 60 documents"},
	}
	for _, mu := range mutants {
		c := recs[mu.id].claim(t)
		mu.mutate(&c)
		res := Check(recs[mu.id].Quote, c)
		found := false
		for _, p := range res.Problems {
			if p.Field == mu.field && p.Severity == Error && strings.Contains(p.Message, mu.says) {
				found = true
			}
			if strings.Contains(p.Message, "\n") {
				t.Errorf("message on two lines: %q", p.Message)
			}
		}
		if !found {
			t.Errorf("%s mutated (%s: %q): problems %+v", mu.id, mu.field, mu.says, res.Problems)
		}
	}
}
