package pipeline

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"export/schema"
)

// htmlFigure is a record as a card of the HTML report.
type htmlFigure struct {
	Anchor   string
	Kind, ID string
	// Headline is the main figure written for reading: "3,000,000,000 USD,
	// about; as of 30 September 2008".
	Headline   string
	Facts      []htmlFact
	Derived    []htmlFact
	Stated     []htmlFact
	SourceID   string
	SourceText string // SourceID as shown
	// SourceAnchor links to the source in the list of sources ("" when it
	// is not declared); set when the page is made.
	SourceAnchor        string
	SourceTitle, Page   string
	Citation, Authority string
	Note                string
	File                string
	Line                int64
	Status              string // valid, invalid or warning
	Problems            int
	ProblemAnchor       string
	Excerpt             []htmlSeg
	CutBefore, CutAfter bool
	Verified            string // verified, not-found, not-checked, no-text
	TextName, TextPage  string
	TextLink            string
	excerptBytes        int
}

// htmlFact is a named value of a card.
type htmlFact struct{ Name, Value string }

// htmlSeg is a run of text in a quote's excerpt, or a highlight (Class
// "quote" or "stated") holding runs of its own.
type htmlSeg struct {
	Text  string
	Class string
	Field string
	Kids  []htmlSeg
}

// provenanceColumns are the columns a card shows apart from the record's
// facts.
var provenanceColumns = map[string]bool{"id": true, "kind": true, "source": true, "source_title": true, "page": true,
	"citation": true, "authority": true, "quote": true, "quote_verified": true, "stated": true, "input_file": true,
	"input_line": true, "derived": true, "note": true, "qualifier": true, "currency": true, "as_of": true}

func newHTMLFigure(r *Result, problemAnchor string, opts HTMLOptions, paragraph bool) *htmlFigure {
	rec := r.Record
	k := schema.KindOf(rec)
	prov := schema.ProvenanceOf(rec)
	f := &htmlFigure{Kind: k.Name, ID: labelText(strings.Clone(r.ID)), SourceID: strings.Clone(prov.Source), SourceText: labelText(prov.Source),
		SourceTitle: safeText(prov.SourceTitle), Citation: safeText(prov.Citation), Authority: safeText(prov.Authority),
		File: safeText(prov.InputFile), Line: prov.InputLine, ProblemAnchor: problemAnchor}
	if prov.Page != nil {
		f.Page = strconv.FormatInt(*prov.Page, 10)
	}
	f.Status = "valid"
	for _, p := range r.Problems {
		f.Problems++
		if p.Severity == schema.Error {
			f.Status = "invalid"
		} else if f.Status == "valid" {
			f.Status = "warning"
		}
	}
	f.Headline, f.Facts = figureText(k, rec)
	if c, ok := k.Column("note"); ok {
		f.Note = safeText(c.Text(rec))
	}
	if c, ok := k.Column("derived"); ok {
		for _, e := range c.Entries(rec) {
			f.Derived = append(f.Derived, htmlFact{Name: labelText(e.Key), Value: safeText(e.Text)})
		}
	}
	for _, s := range prov.Stated {
		f.Stated = append(f.Stated, htmlFact{Name: s.Field, Value: safeText(s.Text)})
	}
	ev := r.Evidence()
	switch {
	case ev != nil:
		f.Verified = "verified"
		if !paragraph { // the page has shown enough paragraphs: the quote alone
			ev = &Evidence{Paragraph: prov.Quote, QuoteEnd: utf8.RuneCountInString(prov.Quote), Stated: prov.Stated,
				Text: ev.Text, Page: ev.Page}
		}
		f.excerpt(ev)
		f.TextName = safeText(ev.Text)
		if ev.Page > 0 {
			f.TextPage = strconv.FormatInt(ev.Page, 10)
		}
		if opts.TextLinks {
			f.TextLink = ev.Text
		}
	default:
		f.Verified = "no-text"
		if prov.QuoteVerified {
			f.Verified = "verified"
		}
		for _, p := range r.Problems {
			if p.Rule == "quote_found" {
				f.Verified = "not-found"
			}
		}
		q := []rune(prov.Quote)
		spans := []htmlSpan{{start: 0, end: len(q), class: "quote"}}
		for _, s := range prov.Stated {
			spans = append(spans, htmlSpan{start: s.Start, end: s.End, class: "stated", field: s.Field})
		}
		f.Excerpt = nestSpans(q, 0, len(q), spans)
	}
	return f
}

// excerpt shows the quote inside its paragraph, cut to htmlExcerptRunes
// on each side at a space.
func (f *htmlFigure) excerpt(ev *Evidence) {
	para := []rune(ev.Paragraph)
	lo, hi := max(0, ev.QuoteStart-htmlExcerptRunes), min(len(para), ev.QuoteEnd+htmlExcerptRunes)
	if lo > 0 {
		for lo < ev.QuoteStart && !unicode.IsSpace(para[lo-1]) {
			lo++
		}
		f.CutBefore = true
	}
	if hi < len(para) {
		for hi > ev.QuoteEnd && !unicode.IsSpace(para[hi]) {
			hi--
		}
		f.CutAfter = true
	}
	spans := []htmlSpan{{start: ev.QuoteStart, end: ev.QuoteEnd, class: "quote"}}
	for _, s := range ev.Stated {
		spans = append(spans, htmlSpan{start: s.Start, end: s.End, class: "stated", field: s.Field})
	}
	f.Excerpt = nestSpans(para, lo, hi, spans)
	f.excerptBytes = len(string(para[lo:hi]))
}

type htmlSpan struct {
	start, end   int
	class, field string
}

// nestSpans splits runes[lo:hi] into text and highlights: a span that
// starts inside another is nested in it (cut at its end), so that the
// quote holds the stated words and "about $3bn" holds "about".
func nestSpans(runes []rune, lo, hi int, spans []htmlSpan) []htmlSeg {
	slices.SortStableFunc(spans, func(a, b htmlSpan) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end),
			cmp.Compare(b.class, a.class)) // "stated" < "quote": the quote outside
	})
	var out []htmlSeg
	text := func(a, b int) {
		if a < b {
			out = append(out, htmlSeg{Text: safeText(string(runes[a:b]))})
		}
	}
	pos := lo
	for i := 0; i < len(spans); {
		s := spans[i]
		s.start, s.end = max(s.start, pos), min(s.end, hi)
		j := i + 1
		for j < len(spans) && spans[j].start < s.end {
			j++
		}
		if s.start >= s.end || s.start > len(runes) {
			i++
			continue
		}
		text(pos, s.start)
		out = append(out, htmlSeg{Class: s.class, Field: s.field, Kids: nestSpans(runes, s.start, s.end, spans[i+1:j])})
		pos, i = s.end, j
	}
	text(pos, hi)
	return out
}

// figureText writes a record's figures for reading: the headline (its
// first figure with its currency or noun, its qualifier and date) and the
// other facts (the other figures, countries, lists), in column order.
func figureText(k *schema.Kind, rec schema.Record) (string, []htmlFact) {
	text := func(name string) string {
		if c, ok := k.Column(name); ok {
			return c.Text(rec)
		}
		return ""
	}
	var headline string
	var facts []htmlFact
	for _, c := range k.Columns() {
		if provenanceColumns[c.Name] || !c.Present(rec) {
			continue
		}
		var value string
		switch c.Type {
		case schema.Number:
			d, _ := c.Decimal(rec)
			value = groupDigits(d.String())
			if cur := text("currency"); cur != "" {
				value += " " + safeText(cur)
			}
		case schema.Integer:
			n, _ := c.Int(rec)
			value = groupDigits(strconv.FormatInt(n, 10))
			if headline == "" {
				value += " " + readable(c.Name)
			}
		case schema.StringList:
			l := c.List(rec)
			words := make([]string, len(l))
			for i, w := range l {
				words[i] = readable(w)
			}
			facts = append(facts, htmlFact{Name: readable(c.Name), Value: strings.Join(words, ", ")})
			continue
		default:
			facts = append(facts, htmlFact{Name: readable(c.Name), Value: safeText(c.Text(rec))})
			continue
		}
		if headline == "" && c.Derivable {
			headline = value
			if q := text("qualifier"); q != "" && q != "exact" {
				headline += ", " + safeText(q)
			}
			continue
		}
		facts = append(facts, htmlFact{Name: readable(c.Name), Value: value})
	}
	if _, ok := k.Column("as_of"); ok {
		if d := text("as_of"); d != "" {
			headline += "; as of " + readableDate(d)
		} else {
			headline += "; no date given"
		}
	}
	return headline, facts
}

// groupDigits puts a comma between each three digits of a decimal's
// integer part: 3000000000 reads 3,000,000,000.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// readable writes a field name or a vocabulary word with spaces:
// joint_ventures reads "joint ventures".
func readable(s string) string { return safeText(strings.ReplaceAll(s, "_", " ")) }

// readableDate writes 2008-09-30 as "30 September 2008"; a text that is
// no date stays as it is.
func readableDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return safeText(s)
	}
	return t.Format("2 January 2006")
}
