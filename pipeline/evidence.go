package pipeline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"export/input"
	"export/pipeline/countries"
	"export/pipeline/figures"
	"export/schema"
)

// The evidence checks: what the record claims against what its source
// says. A field the record declares in derived is not checked.

// pageRange reads a source's pages when they are one page ("12") or a range
// ("190-191", with a hyphen or a dash): the first and last page.
func pageRange(pages string) (first, last int64, ok bool) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(pages), "-")
	if !isRange {
		lo, hi, isRange = strings.Cut(strings.TrimSpace(pages), "–")
	}
	first, err := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	if err != nil || first < 1 {
		return 0, 0, false
	}
	if !isRange {
		return first, first, true
	}
	last, err = strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if err != nil || last < first {
		return 0, 0, false
	}
	return first, last, true
}

// firstPage returns the page number of the first page of a source's text,
// when its form feeds mark its pages: first_page, else the first of pages;
// without either, its pages cannot be numbered.
func firstPage(src *schema.Source) (int64, bool) {
	if src.FirstPage != nil {
		return *src.FirstPage, true
	}
	first, _, ok := pageRange(src.Pages)
	return first, ok
}

// checkPage checks a record's page against its source's pages and, when
// the source's text marks its page breaks with form feeds and the quote
// was found in it (match), against the page the quote is on.
func checkPage(it *input.Item, prov *schema.Provenance, derived schema.Derived, src *schema.Source, text *quoteText, match quoteMatch) []Problem {
	if prov.Page == nil || derived["page"] != "" || it.HasProblem("page") {
		return nil
	}
	page := *prov.Page
	wrong := func(format string, args ...any) []Problem {
		return []Problem{{Severity: schema.Error, Pos: it.FieldPos("page", -1), Field: "page", Rule: ruleFigureStated,
			Message: fmt.Sprintf(format, args...)}}
	}
	first, last, ranged := pageRange(src.Pages)
	if ranged && (page < first || page > last) {
		where := fmt.Sprintf("page %d", first)
		if last > first {
			where = fmt.Sprintf("pages %d to %d", first, last)
		}
		return wrong("%d is outside the source's pages (%s: %s); fix the page, or the source's pages, or declare the page in derived with the reason",
			page, src.ID, where)
	}
	if text == nil || !match.found || len(text.pages) == 0 {
		return nil
	}
	first, ok := firstPage(src)
	if !ok {
		return nil
	}
	start := first + int64(text.page(match.start))
	end := first + int64(text.page(max(match.start, match.end-1)))
	switch {
	case page == start:
		return nil
	case end > start && page == start+1:
		return nil // a quote across a page break: the page where most readers find it
	case end > start:
		return wrong("the quote is on pages %d and %d of the source's text (its form feeds mark the pages, numbered from %d); write page %d, or declare the page in derived with the reason",
			start, end, first, start)
	}
	return wrong("the quote is on page %d of the source's text (its form feeds mark the pages, numbered from %d); write page %d, or declare the page in derived with the reason",
		start, first, start)
}

// The rules of the evidence checks.
const (
	ruleFigureStated = "figure_stated"
	ruleCountryNamed = "country_named"
)

// countryFields are the fields of each kind that hold countries, in column
// order: a record's countries should be named by its quote, or by the
// sentence before it in the source's text.
var countryFields = map[string][]string{
	"investment_total": {"investor", "recipient"},
	"enterprise_count": {"partner", "host"},
	"agreement_count":  {"parties"},
}

// countryColumns holds the columns of countryFields, by kind.
var countryColumns = sync.OnceValue(func() map[*schema.Kind][]*schema.Column {
	out := map[*schema.Kind][]*schema.Column{}
	for _, k := range schema.Kinds() {
		for _, field := range countryFields[k.Name] {
			col, ok := k.Column(field)
			if !ok {
				panic("pipeline: kind " + k.Name + " has no column " + field)
			}
			out[k] = append(out[k], col)
		}
	}
	return out
})

// checkCountries warns about each country of the record that neither its
// quote nor, when the quote was found in the source's text (match), the
// sentence before it names. named holds the codes of the countries the
// quote names (namedCodes).
func checkCountries(it *input.Item, rec schema.Record, errs []schema.FieldError, text *quoteText, match quoteMatch, named map[string]bool) []Problem {
	k := schema.KindOf(rec)
	derived := schema.DerivedOf(rec)
	// The codes the sentence before the quote names, read only when needed;
	// shared with other records, never changed.
	var namedBefore map[string]bool
	var before bool
	var out []Problem
	var one [1]string
	for _, col := range countryColumns()[k] {
		field := col.Name
		if derived[field] != "" || failed(errs, field) || it.HasProblem(field) {
			continue
		}
		one[0] = col.Text(rec)
		codes, index := one[:], -1
		if col.Type == schema.StringList {
			codes, index = col.List(rec), 0
		}
		for i, code := range codes {
			if !named[code] && !before && text != nil && match.found {
				namedBefore = text.namedBefore.get(match.start, func(start int) map[string]bool {
					from, _ := countries.SentenceBefore(text.runes, start)
					return namedCodes(string(text.runes[from:start]))
				})
				before = true
			}
			if named[code] || namedBefore[code] {
				continue
			}
			path, pos := field, it.FieldPos(field, -1)
			if index >= 0 {
				path, pos = fmt.Sprintf("%s[%d]", field, i), it.FieldPos(field, i)
			}
			where := "the quote"
			if text != nil && match.found {
				where = "the quote nor in the sentence before it in the source's text"
			}
			out = append(out, Problem{Severity: schema.Warning, Pos: pos, Field: path, Rule: ruleCountryNamed,
				Message: fmt.Sprintf("%s (%s) is not named in %s; quote words that name it (such as %s), or declare %s in derived with the reason",
					code, countryName(code), where, strings.Join(firstN(countries.Names(code), 3), ", "), field)})
		}
	}
	return out
}

// namedCodes returns the codes of the countries a text names.
func namedCodes(text string) map[string]bool {
	named := map[string]bool{}
	for _, m := range countries.Find(text) {
		for _, code := range m.Codes {
			named[code] = true
		}
	}
	return named
}

func countryName(code string) string {
	if names := countries.Names(code); len(names) > 0 {
		return names[0]
	}
	return "not a country the names list knows"
}

func firstN(list []string, n int) []string { return list[:min(n, len(list))] }

// figurePlan is what checkFigures reads of a kind's columns.
type figurePlan struct {
	// figures are the amount and the counts, in column order: the first
	// is the main figure.
	figures                   []*schema.Column
	currency, qualifier, asOf *schema.Column // nil when the kind has none
	rank                      map[string]int // each column's place
}

// figurePlans holds the plan of each kind.
var figurePlans = sync.OnceValue(func() map[*schema.Kind]*figurePlan {
	out := map[*schema.Kind]*figurePlan{}
	for _, k := range schema.Kinds() {
		p := &figurePlan{rank: map[string]int{}}
		for i, col := range k.Columns() {
			p.rank[col.Name] = i
			isAmount := col.Type == schema.Number && col.Derivable
			isCount := col.Type == schema.Integer && figures.NounOfField(col.Name) != figures.NoNoun
			switch {
			case isAmount || isCount:
				p.figures = append(p.figures, col)
			case col.Name == "currency":
				p.currency = col
			case col.Name == "qualifier":
				p.qualifier = col
			case col.Name == "as_of":
				p.asOf = col
			}
		}
		out[k] = p
	}
	return out
})

// checkFigures checks the record's figures against the words of its quote
// (package figures), and records in the provenance the words that state
// each one. dollar is what a bare "$" means in the source ("" for any
// dollar currency). A field that broke a rule of its own is not checked:
// its problem is reported already.
// reading is what the quote states (figures.Read).
func checkFigures(it *input.Item, rec schema.Record, errs []schema.FieldError, dollar string, reading figures.Reading) []Problem {
	k := schema.KindOf(rec)
	prov := schema.ProvenanceOf(rec)
	derived := schema.DerivedOf(rec)
	skip := func(field string) bool { return failed(errs, field) || it.HasProblem(field) }
	claim := figures.Claim{Dollar: dollar}
	if len(derived) > 0 {
		claim.Derived = make(map[string]bool, len(derived))
		for field := range derived {
			claim.Derived[field] = true
		}
	}
	plan := figurePlans()[k]
	text := func(col *schema.Column) string {
		if col == nil || skip(col.Name) {
			return ""
		}
		return col.Text(rec)
	}
	claim.Currency, claim.Qualifier, claim.AsOf = text(plan.currency), text(plan.qualifier), text(plan.asOf)
	// The main figure is the kind's first figure: the amount, or the first
	// count. Without it (absent, or broken), its qualifier and date have
	// nothing to hold on to.
	for i, col := range plan.figures {
		if !col.Present(rec) || skip(col.Name) {
			if i == 0 {
				claim.Qualifier, claim.AsOf = "", ""
			}
			continue
		}
		if col.Type == schema.Number {
			d, _ := col.Decimal(rec)
			amount := figures.DecimalFromMilli(d.Milli())
			claim.Amount = &amount
		} else {
			n, _ := col.Int(rec)
			claim.Counts = append(claim.Counts, figures.Count{Field: col.Name, Value: n})
		}
	}
	res := reading.Check(claim)
	prov.Stated = make(schema.Stated, 0, len(res.Stated))
	for _, s := range res.Stated { // in column order
		i := len(prov.Stated)
		for i > 0 && plan.rank[prov.Stated[i-1].Field] > plan.rank[s.Field] {
			i--
		}
		prov.Stated = slices.Insert(prov.Stated, i, schema.Span{Field: s.Field, Text: s.Text, Start: s.Start, End: s.End})
	}
	var out []Problem
	for _, p := range res.Problems {
		pr := Problem{Severity: schema.Error, Pos: it.FieldPos(p.Field, -1), Field: p.Field, Rule: p.Rule, Message: p.Message}
		if p.Severity == figures.Warning {
			pr.Severity = schema.Warning
		}
		if p.Rule == figures.RuleDerivedStated {
			pr.Pos, pr.Field = it.EntryPos("derived", p.Field), "derived."+p.Field
		}
		out = append(out, pr)
	}
	return out
}
