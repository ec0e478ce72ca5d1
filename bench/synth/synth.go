// Package synth generates synthetic records for the benchmarks: valid (or,
// on request, a given fraction of invalid) figures of every kind, the same on
// every run and machine for the same seed.
//
// Record i depends only on the seed and i, not on how many records are
// generated, so a dataset of 1,000 records is the first 1,000 of a dataset
// of 1,000,000. Records look like the hand-curated ones: ISO country and
// currency codes, amounts some of which have cents, dates, sector lists,
// a page, an authority, sometimes a citation or a note, and a quote of 80 to
// 200 characters taken from the text of one of the declared sources, which
// states the record's figures (amount, currency, qualifier, counts, date)
// and names its countries, so that export's figure check passes on every
// valid record, and runs on every one.
//
// Every dataset declares NumSources sources. By default each has a text
// file of about a dozen pages that holds every quote citing it, so a run
// verifies every quote, as real runs do; with Options.Unverified the
// sources have no text and no quote is checked (the figures still are).
//
// The generator is used by bench/gen (which writes datasets to disk for
// bench/run.sh) and by the packages' benchmarks (which keep them in memory).
package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"export/schema"
)

// What Options.Kinds may hold.
const (
	// KindsInvestment generates investment totals only.
	KindsInvestment = "investment"
	// KindsMixed generates 80% investment totals, 10% enterprise counts and
	// 10% agreement counts.
	KindsMixed = "mixed"
)

// The record file formats WriteRecords writes.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
	FormatJSON  = "json"
	FormatYAML  = "yaml"
)

// DefaultSeed is the seed bench/gen and the benchmarks use.
const DefaultSeed uint64 = 20080930

// NumSources is the number of sources every dataset declares.
const NumSources = 8

// SourcesFile is the name of the file that declares the sources; the source
// texts sit next to it.
const SourcesFile = "sources.yaml"

// sentencesPerSource is the number of quotable sentences in each source's
// text, of each kind (with the filler around them, about a dozen pages).
var sentencesPerSource = map[string]int{"investment_total": 64, "enterprise_count": 16, "agreement_count": 16}

// Options select what a Generator generates.
type Options struct {
	// Kinds is KindsInvestment or KindsMixed; "" means KindsInvestment.
	Kinds string
	// Seed selects the data; 0 means DefaultSeed.
	Seed uint64
	// Invalid is the fraction of records (0 to 1) made invalid, spread
	// evenly: with 0.01, records 100, 200, … (1-based) are invalid, each
	// breaking one rule (a rule of a field, a cross-field rule, an
	// undeclared source or a quote not found in the source's text).
	Invalid float64
	// Unverified declares the sources without a text, so that no quote is
	// verified.
	Unverified bool
	// NoComputed leaves out of CSV files the columns that export adds to
	// its outputs (source_title, quote_verified, input_file, input_line).
	// By default they are written, as in an exported CSV read back: the
	// reader accepts and ignores them, and an investment total row has
	// the 19 columns of export's own investment_totals.csv.
	NoComputed bool
}

// Generator generates records and the sources they cite.
type Generator struct {
	opts    Options
	kinds   []*schema.Kind
	header  []string
	sources []*schema.Source
	texts   [][]byte     // per source: the text file
	flat    []string     // per source: the text with line breaks as spaces
	quotes  [][]sentence // per source: its quotable sentences
}

// sentence is a quotable sentence of a source's text with the figures it
// states: a record that quotes it has exactly those figures, so that the
// figure check passes and a benchmark measures it on every record.
type sentence struct {
	text string
	kind string
	// a and b are the two countries the sentence names (investor and
	// recipient, partner and host, or two of the parties).
	a, b string
	// amount (thousandths), currency, counts, qualifier and as_of, as
	// the kind has them.
	milli                     int64
	currency, qualifier, asOf string
	enterprises, jv, ro, docs int64
}

// New returns a generator.
func New(opts Options) (*Generator, error) {
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Invalid < 0 || opts.Invalid > 1 {
		return nil, fmt.Errorf("invalid fraction %g: want 0 to 1", opts.Invalid)
	}
	g := &Generator{opts: opts}
	switch opts.Kinds {
	case "", KindsInvestment:
		g.opts.Kinds = KindsInvestment
		g.kinds = []*schema.Kind{mustKind("investment_total")}
	case KindsMixed:
		g.kinds = []*schema.Kind{mustKind("investment_total"), mustKind("enterprise_count"), mustKind("agreement_count")}
	default:
		return nil, fmt.Errorf("unknown kinds %q: want %s or %s", opts.Kinds, KindsInvestment, KindsMixed)
	}
	seen := map[string]bool{}
	for _, k := range g.kinds {
		for _, c := range k.Columns() {
			if seen[c.Name] || (c.Computed && opts.NoComputed) || !c.InTables() {
				continue
			}
			seen[c.Name] = true
			g.header = append(g.header, c.Name)
		}
	}
	for s := range NumSources {
		g.addSource(s)
	}
	return g, nil
}

func mustKind(name string) *schema.Kind {
	k, ok := schema.LookupKind(name)
	if !ok {
		panic("synth: no kind " + name)
	}
	return k
}

// Header returns the columns of the CSV files: the columns of every kind
// generated, in the order export writes them, each once.
func (g *Generator) Header() []string { return append([]string(nil), g.header...) }

// Sources returns the declared sources.
func (g *Generator) Sources() []*schema.Source { return g.sources }

// IsInvalid reports whether record i is made invalid.
func (g *Generator) IsInvalid(i int) bool {
	f := g.opts.Invalid
	return f > 0 && int(float64(i+1)*f) > int(float64(i)*f)
}

// CountInvalid returns how many of the first n records are invalid.
func (g *Generator) CountInvalid(n int) int {
	if g.opts.Invalid <= 0 {
		return 0
	}
	return int(float64(n) * g.opts.Invalid)
}

// ID returns the id of record i (0-based): rec-0000001 for i = 0.
func ID(i int) string { return fmt.Sprintf("rec-%07d", i+1) }

var (
	countries = []string{"KZ", "KR", "US", "CN", "DE", "FR", "GB", "JP", "RU", "TR", "IN", "IT", "NL", "CH",
		"AE", "SA", "BR", "CA", "AU", "ES", "PL", "SE", "NO", "FI", "AT", "BE", "UZ", "KG", "TJ", "AZ", "GE", "SG"}
	countryNames = map[string]string{"KZ": "Kazakhstan", "KR": "South Korea", "US": "the United States",
		"CN": "China", "DE": "Germany", "FR": "France", "GB": "the United Kingdom", "JP": "Japan", "RU": "Russia",
		"TR": "Turkey", "IN": "India", "IT": "Italy", "NL": "the Netherlands", "CH": "Switzerland",
		"AE": "the United Arab Emirates", "SA": "Saudi Arabia", "BR": "Brazil", "CA": "Canada",
		"AU": "Australia", "ES": "Spain", "PL": "Poland", "SE": "Sweden", "NO": "Norway", "FI": "Finland",
		"AT": "Austria", "BE": "Belgium", "UZ": "Uzbekistan", "KG": "Kyrgyzstan", "TJ": "Tajikistan",
		"AZ": "Azerbaijan", "GE": "Georgia", "SG": "Singapore"}
	authorities = []string{"National Bank of Kazakhstan", "Ministry of Economy and Budget Planning",
		"Committee on Statistics", "Ministry of Foreign Affairs", "Investment Committee",
		"Central Bank of the Republic of Korea", "Ministry of Industry and Trade", "Chamber of Commerce"}
	notes = []string{
		"Converted from tenge at the year-end rate of the National Bank.",
		"Preliminary figure; the next edition of the yearbook may revise it.",
		"The source rounds the amount; the exact figure is in the annex tables.",
		"Includes reinvested earnings.",
		"The source gives the figure for the first nine months of the year only, which is why it is lower than the previous one.",
	}
)

var epoch = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

func pair(r *rand.Rand) (string, string) {
	a := r.IntN(len(countries))
	b := (a + 1 + r.IntN(len(countries)-1)) % len(countries)
	return countries[a], countries[b]
}

// pick returns k distinct words of list, in random order; nil when k is 0.
func pick(r *rand.Rand, list []string, k int) []string {
	if k == 0 {
		return nil
	}
	perm := r.Perm(len(list))
	out := make([]string, k)
	for i := range out {
		out[i] = list[perm[i]]
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// Record returns record i (0-based), a new value on every call. Its computed
// provenance fields are set as export sets them (source title, whether the
// quote is verified, input file and line), so that writers can take it as
// it is.
func (g *Generator) Record(i int) schema.Record {
	r := rand.New(rand.NewPCG(g.opts.Seed, uint64(i)))
	kind := "investment_total"
	if g.opts.Kinds == KindsMixed {
		switch r.IntN(10) {
		case 8:
			kind = "enterprise_count"
		case 9:
			kind = "agreement_count"
		}
	}
	s := r.IntN(len(g.sources))
	src := g.sources[s]
	q := g.pickSentence(r, s, kind)
	prov := schema.Provenance{
		Source:        src.ID,
		SourceTitle:   src.Title,
		Quote:         q.text,
		QuoteVerified: !g.opts.Unverified,
		InputFile:     "synthetic.csv",
		InputLine:     int64(i) + 2,
	}
	if r.IntN(10) < 9 {
		prov.Page = ptr(int64(100 + 10*s + r.IntN(2))) // within the source's pages
	}
	if r.IntN(7) == 0 {
		p := 10 + r.IntN(400)
		prov.Citation = fmt.Sprintf("[%d, pp %d-%d]", 1+r.IntN(90), p, p+1+r.IntN(3))
	}
	if r.IntN(5) < 4 {
		prov.Authority = authorities[r.IntN(len(authorities))]
	}
	var note string
	if r.IntN(10) == 0 {
		note = notes[r.IntN(len(notes))]
	}
	base := schema.Base{ID: ID(i)}
	var rec schema.Record
	switch kind {
	case "investment_total":
		rec = &schema.InvestmentTotal{Base: base, Investor: q.a, Recipient: q.b, Amount: ptr(mustMilli(q.milli)),
			Currency: q.currency, Qualifier: q.qualifier, AsOf: q.asOf, Sectors: pick(r, schema.Sectors, r.IntN(4)),
			Note: note, Provenance: prov}
	case "enterprise_count":
		rec = &schema.EnterpriseCount{Base: base, Partner: q.a, Host: q.b, Enterprises: ptr(q.enterprises),
			Qualifier: q.qualifier, JointVentures: ptr(q.jv), RepresentativeOffices: ptr(q.ro), AsOf: q.asOf,
			Note: note, Provenance: prov}
	default:
		rec = &schema.AgreementCount{Base: base, Parties: []string{q.a, q.b}, Documents: ptr(q.docs),
			Qualifier: q.qualifier, Areas: pick(r, schema.Areas, r.IntN(4)), AsOf: q.asOf, Note: note, Provenance: prov}
	}
	if g.IsInvalid(i) {
		g.spoil(rec, r, s)
	}
	return rec
}

// pickSentence picks a sentence of kind from source s.
func (g *Generator) pickSentence(r *rand.Rand, s int, kind string) sentence {
	var first int
	for _, k := range sentenceKinds {
		if k == kind {
			break
		}
		first += sentencesPerSource[k]
	}
	return g.quotes[s][first+r.IntN(sentencesPerSource[kind])]
}

// sentenceKinds orders a source's sentences: its investment totals first.
var sentenceKinds = []string{"investment_total", "enterprise_count", "agreement_count"}

func mustMilli(m int64) schema.Decimal {
	d, err := schema.DecimalFromMilli(m)
	if err != nil {
		panic(err) // at most 13 significant digits
	}
	return d
}

// spoil makes rec break one rule.
func (g *Generator) spoil(rec schema.Record, r *rand.Rand, s int) {
	prov := schema.ProvenanceOf(rec)
	switch r.IntN(6) {
	case 0: // not a real date
		setAsOf(rec, "2019-02-30")
	case 1: // not in the vocabulary
		switch x := rec.(type) {
		case *schema.InvestmentTotal:
			x.Qualifier = "roughly"
		case *schema.EnterpriseCount:
			x.Qualifier = "roughly"
		case *schema.AgreementCount:
			x.Qualifier = "roughly"
		}
	case 2: // a source nobody declared
		prov.Source = "undeclared-source"
	case 3: // a cross-field rule: the same country twice
		switch x := rec.(type) {
		case *schema.InvestmentTotal:
			x.Recipient = x.Investor
		case *schema.EnterpriseCount:
			x.Host = x.Partner
		case *schema.AgreementCount:
			x.Parties[1] = x.Parties[0]
		}
	case 4: // a number out of range
		switch x := rec.(type) {
		case *schema.InvestmentTotal:
			*x.Amount = mustMilli(-x.Amount.Milli())
		case *schema.EnterpriseCount:
			x.JointVentures = ptr(*x.Enterprises + 1)
		case *schema.AgreementCount:
			*x.Documents = 0
		}
	default: // a quote the source does not have (or, unverified, too short)
		if g.opts.Unverified {
			prov.Quote = "too short"
			return
		}
		prov.Quote = g.misquote(prov.Quote, s)
	}
}

func setAsOf(rec schema.Record, d string) {
	switch x := rec.(type) {
	case *schema.InvestmentTotal:
		x.AsOf = d
	case *schema.EnterpriseCount:
		x.AsOf = d
	case *schema.AgreementCount:
		x.AsOf = d
	}
}

// misquote changes the case of one letter of a word of q (not of a
// figure, so that the figures still agree: one broken rule, quote_found),
// so that it is no longer in source s's text.
func (g *Generator) misquote(q string, s int) string {
	b := []byte(q)
	for i := 1; i < len(b); i++ {
		if c := b[i]; 'a' <= c && c <= 'z' && b[i-1] == ' ' {
			b[i] = c - 'a' + 'A'
			if !strings.Contains(g.flat[s], string(b)) {
				return string(b)
			}
			b[i] = c
		}
	}
	return q + " (as the source says)"
}

// Source texts.

// The sentences of each kind, in the forms real sources use; each
// states every figure of its record, and names both countries.
var sentenceTemplates = map[string][]func(r *rand.Rand) sentence{
	"investment_total": {
		func(r *rand.Rand) sentence {
			q := sentence{kind: "investment_total", currency: "USD", qualifier: "about"}
			q.a, q.b = pair(r)
			y, bn, tenth := 1995+r.IntN(30), 1+r.Int64N(40), r.Int64N(10)
			q.milli, q.asOf = (bn*10+tenth)*1e8*1000, fmt.Sprintf("%d-12-31", y)
			q.text = fmt.Sprintf("By the end of %d the total investment of %s in %s had reached about $%d.%dbn, according to the %s.",
				y, countryNames[q.a], countryNames[q.b], bn, tenth, authorities[r.IntN(len(authorities))])
			return q
		},
		func(r *rand.Rand) sentence {
			q := sentence{kind: "investment_total", currency: "USD", qualifier: "exact"}
			q.a, q.b = pair(r)
			y, mn := 1995+r.IntN(30), 10+r.Int64N(9000)
			q.milli, q.asOf = mn*1e6*1000, fmt.Sprintf("%d-12-31", y)
			q.text = fmt.Sprintf("Direct investment from %s in %s reached %d million US dollars in %d, most of it in %s.",
				countryNames[q.a], countryNames[q.b], mn, y, strings.ReplaceAll(schema.Sectors[r.IntN(len(schema.Sectors))], "_", " "))
			return q
		},
		func(r *rand.Rand) sentence {
			q := sentence{kind: "investment_total", currency: "KZT", qualifier: "over"}
			q.a, q.b = pair(r)
			y, bn, tenth := 1995+r.IntN(30), 1+r.Int64N(900), r.Int64N(10)
			q.milli, q.asOf = (bn*10+tenth)*1e8*1000, fmt.Sprintf("%d-12-31", y)
			q.text = fmt.Sprintf("By the end of %d the stock of investment from %s in %s exceeded %d.%d billion tenge in the %s sector.",
				y, countryNames[q.a], countryNames[q.b], bn, tenth, strings.ReplaceAll(schema.Sectors[r.IntN(len(schema.Sectors))], "_", " "))
			return q
		},
		func(r *rand.Rand) sentence {
			q := sentence{kind: "investment_total", currency: "EUR", qualifier: "exact"}
			q.a, q.b = pair(r)
			cents := 100 + r.Int64N(999_999_900)
			d := epoch.AddDate(0, 0, r.IntN(11000))
			q.milli, q.asOf = cents*10, d.Format(time.DateOnly)
			q.text = fmt.Sprintf("As of %d %s %d, investment from %s in %s totalled EUR %s, the %s reported.",
				d.Day(), d.Month(), d.Year(), countryNames[q.a], countryNames[q.b], grouped(cents), authorities[r.IntN(len(authorities))])
			return q
		},
	},
	"enterprise_count": {
		func(r *rand.Rand) sentence {
			q := sentence{kind: "enterprise_count", qualifier: "over"}
			q.a, q.b = pair(r)
			y := 1995 + r.IntN(30)
			q.enterprises, q.jv, q.ro = 200+r.Int64N(800), 5+r.Int64N(60), 3+r.Int64N(70)
			q.asOf = fmt.Sprintf("%d-12-31", y)
			q.text = fmt.Sprintf("In %d over %d enterprises with capital from %s were operating in %s, including %d joint ventures and %d representative offices.",
				y, q.enterprises, countryNames[q.a], countryNames[q.b], q.jv, q.ro)
			return q
		},
	},
	"agreement_count": {
		func(r *rand.Rand) sentence {
			q := sentence{kind: "agreement_count", qualifier: "exact"}
			q.a, q.b = pair(r)
			d := epoch.AddDate(0, 0, r.IntN(11000))
			q.docs, q.asOf = 2+r.Int64N(80), d.Format(time.DateOnly)
			q.text = fmt.Sprintf("As of %d %s %d, %s and %s had signed %d documents, including agreements on %s and %s.",
				d.Day(), d.Month(), d.Year(), countryNames[q.a], countryNames[q.b], q.docs,
				strings.ReplaceAll(schema.Areas[r.IntN(len(schema.Areas))], "_", " "), strings.ReplaceAll(schema.Areas[r.IntN(len(schema.Areas))], "_", " "))
			return q
		},
	},
}

// grouped writes an amount of cents with thousands separators: 1,234,567.89.
func grouped(cents int64) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s.%02d", b.String(), cents%100)
}

var filler = []string{
	"The following paragraphs summarise the main results of the period under review.",
	"Figures for earlier years were revised in line with the methodology of the sixth edition of the balance of payments manual.",
	"Cooperation in the fields of education, culture and tourism has also gained momentum.",
	"Regional authorities continue to report new projects, although not all of them reach the stage of construction.",
	"The table in the annex gives the figures by country and by sector.",
	"It should be noted that data for the last quarter are provisional.",
}

func (g *Generator) addSource(s int) {
	year := 2001 + s
	src := &schema.Source{
		ID:        fmt.Sprintf("statistical-yearbook-%d", year),
		Title:     fmt.Sprintf("Foreign investment: statistical yearbook %d", year),
		Chapter:   fmt.Sprintf("Chapter %d. Investment by country", 2+s%5),
		Pages:     fmt.Sprintf("%d-%d", 100+10*s, 101+10*s),
		Publisher: "Committee on Statistics",
		Year:      int64(year),
		URL:       fmt.Sprintf("https://stat.example.org/yearbook/%d.pdf", year),
	}
	r := rand.New(rand.NewPCG(g.opts.Seed^0x5eed, uint64(s)))
	seen := map[string]bool{}
	var quotes []sentence
	for _, kind := range sentenceKinds {
		for n := 0; n < sentencesPerSource[kind]; {
			templates := sentenceTemplates[kind]
			q := templates[r.IntN(len(templates))](r)
			if n := len(q.text); n < 80 || n > 200 || seen[q.text] {
				continue
			}
			seen[q.text] = true
			quotes = append(quotes, q)
			n++
		}
	}
	// The text holds them in another order than the kinds.
	order := r.Perm(len(quotes))
	// The text: paragraphs of quotable sentences among filler, wrapped
	// at 72 columns as text extracted from a PDF is, with an en dash where
	// a quote typed on a keyboard has a hyphen.
	var words []string
	for i, j := range order {
		if i%3 == 0 {
			words = append(words, strings.Fields(filler[r.IntN(len(filler))])...)
		}
		words = append(words, strings.Fields(quotes[j].text)...)
		if i%4 == 3 {
			words = append(words, "\n")
		}
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n%s\n\n", src.Title, src.Chapter)
	col := 0
	for _, w := range words {
		switch {
		case w == "\n":
			text.WriteString("\n\n")
			col = 0
			continue
		case col > 0 && col+1+len(w) > 72:
			text.WriteString("\n")
			col = 0
		case col > 0:
			text.WriteString(" ")
			col++
		}
		text.WriteString(w)
		col += len(w)
	}
	text.WriteString("\n")
	body := []byte(text.String())
	if !g.opts.Unverified {
		src.Text = fmt.Sprintf("synthetic-source-%d.txt", s+1)
		sum := sha256.Sum256(body)
		src.SHA256 = hex.EncodeToString(sum[:])
	}
	g.sources = append(g.sources, src)
	g.texts = append(g.texts, body)
	g.flat = append(g.flat, strings.Join(strings.Fields(strings.ReplaceAll(text.String(), "–", "-")), " "))
	g.quotes = append(g.quotes, quotes)
}

// SourceFiles returns the files that declare the sources: SourcesFile and,
// unless Options.Unverified, the source texts, which must sit next to it.
func (g *Generator) SourceFiles() map[string][]byte {
	var b bytes.Buffer
	b.WriteString("# Sources of the synthetic benchmark dataset (bench/synth).\nsources:\n")
	for _, src := range g.sources {
		writeYAMLObject(&b, fields(schema.SourceTable().Columns, src, false))
	}
	files := map[string][]byte{SourcesFile: b.Bytes()}
	for i, src := range g.sources {
		if src.Text != "" {
			files[src.Text] = g.texts[i]
		}
	}
	return files
}

// Dataset returns a whole dataset of n records: SourceFiles and the records
// in format, named "records."+format.
func (g *Generator) Dataset(format string, n int) (map[string][]byte, error) {
	files := g.SourceFiles()
	var b bytes.Buffer
	if err := g.WriteRecords(&b, format, n); err != nil {
		return nil, err
	}
	files["records."+format] = b.Bytes()
	return files, nil
}

// WriteRecords writes records 0 to n-1 to w in format (FormatCSV,
// FormatJSONL, FormatJSON or FormatYAML), as export reads them. A CSV file
// has the columns of Header; the other formats leave out the derived
// columns, which only CSV accepts, and absent values.
func (g *Generator) WriteRecords(w io.Writer, format string, n int) error {
	switch format {
	case FormatCSV:
		return g.writeCSV(w, n)
	case FormatJSONL, FormatJSON, FormatYAML:
	default:
		return fmt.Errorf("unknown format %q: want csv, jsonl, json or yaml", format)
	}
	var b bytes.Buffer
	switch format {
	case FormatJSON:
		b.WriteString("{\"records\": [\n")
	case FormatYAML:
		b.WriteString("records:\n")
	}
	for i := range n {
		rec := g.Record(i)
		fs := fields(schema.KindOf(rec).Columns(), rec, true)
		switch format {
		case FormatJSONL:
			writeJSONObject(&b, fs)
			b.WriteByte('\n')
		case FormatJSON:
			if i > 0 {
				b.WriteString(",\n")
			}
			writeJSONObject(&b, fs)
		case FormatYAML:
			writeYAMLObject(&b, fs)
		}
		if b.Len() > 64<<10 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	if format == FormatJSON {
		b.WriteString("\n]}\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (g *Generator) writeCSV(w io.Writer, n int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(g.header); err != nil {
		return err
	}
	row := make([]string, len(g.header))
	for i := range n {
		rec := g.Record(i)
		k := schema.KindOf(rec)
		for j, name := range g.header {
			row[j] = ""
			if c, ok := k.Column(name); ok {
				row[j] = text(c, rec)
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// text returns a column's value as a CSV cell.
func text(c *schema.Column, rec any) string {
	if !c.Present(rec) {
		return ""
	}
	switch c.Type {
	case schema.Integer:
		v, _ := c.Int(rec)
		return strconv.FormatInt(v, 10)
	case schema.Number:
		v, _ := c.Decimal(rec)
		return v.String()
	case schema.Boolean:
		return strconv.FormatBool(c.Bool(rec))
	case schema.StringList:
		return strings.Join(c.List(rec), ";")
	}
	return c.Text(rec)
}

// field is one key and value of an object in JSON, JSON Lines or YAML.
type field struct {
	key  string
	json []byte // the value as JSON (which YAML reads too)
	bare bool   // written without quotes in YAML
}

// fields returns the present values of rec's columns, without the derived
// ones when skipComputed.
func fields(columns []*schema.Column, rec any, skipComputed bool) []field {
	var out []field
	for _, c := range columns {
		if (c.Computed && skipComputed) || !c.Present(rec) {
			continue
		}
		var v any
		switch c.Type {
		case schema.Integer:
			v, _ = c.Int(rec)
		case schema.Number:
			d, _ := c.Decimal(rec)
			v = json.Number(d.String())
		case schema.Boolean:
			v = c.Bool(rec)
		case schema.StringList:
			v = c.List(rec)
		default:
			v = c.Text(rec)
		}
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // strings, numbers and lists always marshal
		}
		bare := c.Type == schema.Date || c.Name == "id" || c.Name == "kind" || c.Type == schema.Integer || c.Type == schema.Number
		out = append(out, field{key: c.Name, json: b, bare: bare})
	}
	return out
}

func writeJSONObject(b *bytes.Buffer, fs []field) {
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%q: ", f.key)
		b.Write(f.json)
	}
	b.WriteByte('}')
}

// writeYAMLObject writes a list item in block style, strings as JSON
// strings (which YAML reads as double-quoted scalars), lists in flow style.
func writeYAMLObject(b *bytes.Buffer, fs []field) {
	for i, f := range fs {
		if i == 0 {
			b.WriteString("  - ")
		} else {
			b.WriteString("    ")
		}
		b.WriteString(f.key)
		b.WriteString(": ")
		if f.bare {
			b.Write(bytes.Trim(f.json, `"`))
		} else {
			b.Write(f.json)
		}
		b.WriteByte('\n')
	}
}
