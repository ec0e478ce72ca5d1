package figures

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The corpus test reads every sentence of testdata/corpus.yaml (real
// sentences from public documents, each annotated with the figures it
// states; the file says how), and measures the reader against the
// annotations:
//
//   - recall: every annotated figure is read, with its value, currency or
//     noun, qualifier and change (floor: all of them);
//   - precision: every money amount and count read is annotated;
//   - dates: the date attached to each figure read is the annotated one;
//   - Check accepts every annotated figure, and rejects each of its
//     mutants: a digit changed, the scale ×1000 and ÷1000, the qualifier,
//     the currency, the year, and a number of the same sentence claimed for
//     the wrong field (floor: every mutant rejected).
//
//	go test ./pipeline/figures -run Corpus -v   # the measures in the log

const (
	minCorpus    = 150
	minPrecision = 0.98
	minDates     = 0.97
)

type corpusEntry struct {
	Source  string   `yaml:"source"`
	Text    string   `yaml:"text"`
	Figures []string `yaml:"figures"`
}

func loadCorpus(t testing.TB) []corpusEntry {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var entries []corpusEntry
	if err := yaml.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	return entries
}

// annotation is one annotated figure.
type annotation struct {
	raw      string
	key      string // raw without the date
	kind     string // money, count, unreadable
	value    Decimal
	currency string
	field    string
	qual     Qualifier
	nearly   bool
	change   bool
	date     string // "2008-09-30..2008-09-30", "unreadable" or ""
}

func parseAnnotation(s string) (annotation, error) {
	a := annotation{raw: s, key: s}
	if key, date, ok := strings.Cut(s, " @"); ok {
		a.key, a.date = key, date
	}
	f := strings.Fields(a.key)
	a.kind = f[0]
	if a.kind == "unreadable" {
		return a, nil
	}
	if len(f) < 4 {
		return a, fmt.Errorf("annotation %q: want KIND VALUE CURRENCY|FIELD QUALIFIER", s)
	}
	v, err := ParseDecimal(f[1])
	if err != nil {
		return a, fmt.Errorf("annotation %q: %v", s, err)
	}
	a.value, a.qual = v, Qualifier(f[3])
	switch a.kind {
	case "money":
		a.currency = f[2]
	case "count":
		a.field = f[2]
		if NounOfField(a.field) == NoNoun {
			return a, fmt.Errorf("annotation %q: no field %q", s, a.field)
		}
	default:
		return a, fmt.Errorf("annotation %q: kind %q", s, a.kind)
	}
	for _, w := range f[4:] {
		switch w {
		case "nearly":
			a.nearly = true
		case "change":
			a.change = true
		default:
			return a, fmt.Errorf("annotation %q: %q", s, w)
		}
	}
	return a, nil
}

// claim returns the record that restates the annotated figure.
func (a annotation) claim() Claim {
	c := Claim{Qualifier: string(a.qual)}
	if a.kind == "money" {
		v := a.value
		c.Amount, c.Currency = &v, concrete(a.currency)
	} else {
		n, _ := a.value.Int64()
		c.Counts = []Count{{a.field, n}}
	}
	if from, _, ok := strings.Cut(a.date, ".."); ok {
		c.AsOf = from
	}
	return c
}

// concrete returns a code a family of currencies may stand for.
func concrete(cur string) string {
	if f, ok := families[cur]; ok {
		return f[0]
	}
	return cur
}

// states says whether the annotation states the claim (so that a mutant
// equal to another figure of the sentence is no mutant).
func (a annotation) states(c Claim) bool {
	if a.kind == "unreadable" || a.change {
		return false
	}
	q := string(a.qual)
	if c.Qualifier != q && !(a.nearly && c.Qualifier == string(Under)) {
		return false
	}
	if c.AsOf != "" {
		from, to, ok := strings.Cut(a.date, "..")
		if !ok || c.AsOf < from || c.AsOf > to {
			return false
		}
	}
	switch {
	case c.Amount != nil:
		k := checker{c: c}
		return a.kind == "money" && a.value.Equal(*c.Amount) && k.currencyMatches(a.currency)
	case len(c.Counts) == 1:
		return a.kind == "count" && a.field == c.Counts[0].Field && a.value.Equal(DecimalFromInt(c.Counts[0].Value))
	}
	return false
}

func TestCorpus(t *testing.T) {
	entries := loadCorpus(t)
	if len(entries) < minCorpus {
		t.Errorf("corpus has %d sentences, want at least %d", len(entries), minCorpus)
	}
	var annotated, read, matched, datesRight, accepted, mutants, rejected int
	forms := map[string]int{}
	for i, e := range entries {
		if e.Source == "" || e.Text == "" {
			t.Errorf("entry %d: no source or text", i)
			continue
		}
		var anns []annotation
		for _, s := range e.Figures {
			a, err := parseAnnotation(s)
			if err != nil {
				t.Errorf("entry %d: %v", i, err)
				continue
			}
			anns = append(anns, a)
			forms[a.kind+" "+a.currency+a.field]++
		}
		r := Read(e.Text)
		checkSpans(t, e.Text, r)
		got := briefs(r, KindMoney, KindCount)
		annotated += len(anns)
		read += len(got)
		// Match read figures to annotations, ignoring dates first.
		left := slices.Clone(got)
		for _, a := range anns {
			j := slices.IndexFunc(left, func(g string) bool { k, _, _ := strings.Cut(g, " @"); return k == a.key })
			if j < 0 {
				t.Errorf("not read: %q in %q\n  read %q", a.raw, e.Text, got)
				continue
			}
			matched++
			gotDate := ""
			if _, d, ok := strings.Cut(left[j], " @"); ok {
				gotDate = d
			}
			if gotDate == a.date {
				datesRight++
			} else {
				t.Logf("date: %q dated %q, annotated %q, in %q", a.key, gotDate, a.date, e.Text)
			}
			left = slices.Delete(left, j, j+1)
		}
		for _, g := range left {
			t.Errorf("read but not annotated: %q in %q", g, e.Text)
		}
		// Check accepts every figure, and rejects its mutants.
		for _, a := range anns {
			if a.kind == "unreadable" || a.change || a.date == "unreadable" {
				continue
			}
			c := a.claim()
			if res := Check(e.Text, c); hasError(res) {
				t.Errorf("Check rejects %q in %q: %+v", a.raw, e.Text, res.Problems)
				continue
			}
			accepted++
			for _, m := range mutantsOf(a, anns) {
				if slices.ContainsFunc(anns, func(o annotation) bool { return o.states(m.claim) }) {
					continue // another figure of the sentence
				}
				mutants++
				if res := Check(e.Text, m.claim); hasError(res) {
					rejected++
				} else {
					t.Errorf("Check accepts a mutant of %q (%s) in %q", a.raw, m.name, e.Text)
				}
			}
		}
	}
	recall := float64(matched) / float64(max(annotated, 1))
	precision := float64(matched) / float64(max(read, 1))
	dates := float64(datesRight) / float64(max(matched, 1))
	t.Logf("corpus: %d sentences, %d figures annotated, %d read; recall %.4f, precision %.4f, dates %.4f (%d/%d)",
		len(entries), annotated, read, recall, precision, dates, datesRight, matched)
	t.Logf("check: %d figures accepted, %d of %d mutants rejected", accepted, rejected, mutants)
	t.Logf("forms: %v", forms)
	if recall < 1 || precision < minPrecision || dates < minDates || rejected < mutants {
		t.Errorf("below the floors: recall %.4f (want 1), precision %.4f (want %.2f), dates %.4f (want %.2f), "+
			"%d mutants accepted (want none)", recall, precision, minPrecision, dates, minDates, mutants-rejected)
	}
}

func hasError(res Result) bool {
	return slices.ContainsFunc(res.Problems, func(p Problem) bool { return p.Severity == Error })
}

type mutant struct {
	name  string
	claim Claim
}

// mutantsOf returns the single-field mutations of an annotated figure.
func mutantsOf(a annotation, all []annotation) []mutant {
	var out []mutant
	base := a.claim()
	withValue := func(name string, v Decimal) {
		c := a.claim()
		if c.Amount != nil {
			c.Amount = &v
		} else {
			n, ok := v.Int64()
			if !ok {
				return
			}
			c.Counts[0].Value = n
		}
		out = append(out, mutant{name, c})
	}
	withValue("a digit changed", changeDigit(a.value))
	withValue("x1000", a.value.shift(3))
	withValue("/1000", a.value.shift(-3))
	for _, q := range []Qualifier{Exact, About, Over, Under} {
		if q != a.qual && !(a.nearly && q == Under) {
			c := a.claim()
			c.Qualifier = string(q)
			out = append(out, mutant{"qualifier " + string(q), c})
		}
	}
	if base.Amount != nil {
		c := a.claim()
		c.Currency = "EUR"
		if base.Currency == "EUR" {
			c.Currency = "USD"
		}
		out = append(out, mutant{"currency " + c.Currency, c})
	}
	if from, to, ok := strings.Cut(a.date, ".."); ok {
		f, _ := ParseDay(from)
		l, _ := ParseDay(to)
		y := l.Year() + 1
		c := a.claim()
		c.AsOf = NewDay(y, f.Month(), min(f.DayOfMonth(), daysIn(y, f.Month()))).String()
		out = append(out, mutant{"year " + c.AsOf, c})
	}
	// A number of the same sentence claimed for this field.
	for _, o := range all {
		if o.kind == "unreadable" || o.value.Equal(a.value) {
			continue
		}
		withValue("the number of "+o.key, o.value)
	}
	return out
}

// changeDigit changes the first digit of d.
func changeDigit(d Decimal) Decimal {
	s := []byte(d.String())
	for i, c := range s {
		if c >= '1' && c <= '9' {
			if c == '9' {
				s[i] = '8'
			} else {
				s[i] = c + 1
			}
			break
		}
	}
	return MustDecimal(string(s))
}
