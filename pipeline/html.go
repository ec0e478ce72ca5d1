package pipeline

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"export/input"
	"export/schema"
)

// The HTML report: one self-contained page (report.html in the output
// directory, or --report html on standard output) for a reviewer (the
// verdict, the problems counted by rule, file and kind, each problem with
// the input lines around it) and for an analyst (each figure beside the
// words of its source that state it, the sources, a profile of the
// records).
//
// It is bounded whatever the run: the reporter keeps the first
// htmlMaxProblems problems and the first htmlMaxFigures records of each
// kind, and counts the rest; the counts and the profile are built as the
// results stream by. It renders the page in Finish, once the verdict is
// known, with html/template (every text of the data escaped) and a
// Content-Security-Policy that allows only its own inline style and script,
// by their SHA-256.

const (
	// htmlMaxProblems is how many problems the page shows; the rest are
	// counted (--report json has them all).
	htmlMaxProblems = 1000
	// htmlMaxFigures is how many records of each kind the page shows.
	htmlMaxFigures = 300
	// htmlMaxInvalidFigures is how many records with errors the page
	// shows past htmlMaxFigures, all kinds together.
	htmlMaxInvalidFigures = 100
	// htmlContextLines is how many input lines the page shows on each side
	// of a problem's line.
	htmlContextLines = 3
	// htmlMaxLineRunes cuts a long input line (minified JSON) in the
	// context shown.
	htmlMaxLineRunes = 160
	// htmlContextBytes bounds the context lines of the whole page: past
	// it, a problem shows none (its position says where to look).
	htmlContextBytes = 2 << 20
	// htmlExcerptBytes bounds the paragraphs shown around the quotes:
	// past it, a card shows only its quote.
	htmlExcerptBytes = 2 << 20
	// htmlExcerptRunes is how much of the paragraph the page shows on each
	// side of a quote.
	htmlExcerptRunes = 240
	// htmlMaxProfileRows bounds each profile table (sources, years).
	htmlMaxProfileRows = 50
	// htmlMaxQuotedBy bounds the links from a source to the figures that
	// quote it.
	htmlMaxQuotedBy = 20
)

//go:embed htmlreport/report.html.tmpl htmlreport/style.css htmlreport/script.js
var htmlFiles embed.FS

var (
	htmlStyle  = mustRead("htmlreport/style.css")
	htmlScript = mustRead("htmlreport/script.js")
	htmlPage   = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
		"plural": plural,
		"safe":   safeText,
	}).ParseFS(htmlFiles, "htmlreport/report.html.tmpl"))
	// htmlCSP allows nothing but the page's own style and script, by hash:
	// no request of any kind leaves the page.
	htmlCSP = "default-src 'none'; style-src '" + cspHash(htmlStyle) + "'; script-src '" + cspHash(htmlScript) +
		"'; base-uri 'none'; form-action 'none'"
)

func mustRead(name string) string {
	b, err := htmlFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// cspHash is a CSP source expression for an inline element's exact bytes.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// HTMLOptions configure the HTML report.
type HTMLOptions struct {
	// LinkBase, when set, makes each position a link to URL/file#Lline,
	// as GitHub and GitLab lay out their file views.
	LinkBase string
	// TextLinks links each source's text to its copy beside the page
	// (sources/NAME): set for the report in an output directory.
	TextLinks bool
	// Created is the time the page says it was made (SOURCE_DATE_EPOCH);
	// zero says none: no clock is read.
	Created time.Time
}

// inputsReporter is a Reporter that reads the input files again for what
// it shows (the HTML report's context lines). Check hands it the files.
type inputsReporter interface {
	setInputs(files []input.File, lim input.Limits)
}

type htmlReporter struct {
	w      *bufio.Writer
	opts   HTMLOptions
	files  map[string]input.File
	limits input.Limits

	problems     []*htmlProblem
	notKept      int // problems beyond htmlMaxProblems
	byRule       map[string]*htmlCount
	byFile       map[string]*htmlCount
	byKind       map[string]*htmlKindCount
	figures      map[string][]*htmlFigure
	quotedBy     map[string][]htmlFact // source id -> anchor and id of the shown figures that quote it
	profile      htmlProfile
	excerpts     int // bytes of the paragraphs shown around quotes
	extraFigures int // cards of records with errors past htmlMaxFigures
	n            int // figures shown
}

// htmlCount counts the problems of a rule or a file.
type htmlCount struct {
	Name             string
	Errors, Warnings int
}

// htmlKindCount counts the records of a kind and their problems.
type htmlKindCount struct {
	Kind, Plural     string
	Records, Invalid int
	Errors, Warnings int
}

// htmlProfile counts the records as they stream by.
type htmlProfile struct {
	qualifier, currency, year, source map[string]int
}

func newHTMLReporter(w io.Writer, opts HTMLOptions) *htmlReporter {
	h := &htmlReporter{w: bufio.NewWriter(w), opts: opts,
		byRule: map[string]*htmlCount{}, byFile: map[string]*htmlCount{}, byKind: map[string]*htmlKindCount{},
		figures: map[string][]*htmlFigure{}, quotedBy: map[string][]htmlFact{},
		profile: htmlProfile{qualifier: map[string]int{}, currency: map[string]int{}, year: map[string]int{}, source: map[string]int{}}}
	for _, k := range schema.Kinds() {
		h.byKind[k.Name] = &htmlKindCount{Kind: k.Name, Plural: k.Plural}
	}
	return h
}

func (h *htmlReporter) setInputs(files []input.File, lim input.Limits) {
	h.files = make(map[string]input.File, len(files))
	for _, f := range files {
		h.files[f.Path] = f
	}
	h.limits = lim
}

func count(m map[string]*htmlCount, name string, sev schema.Severity) {
	c := m[name]
	if c == nil {
		c = &htmlCount{Name: name}
		m[name] = c
	}
	if sev == schema.Warning {
		c.Warnings++
	} else {
		c.Errors++
	}
}

func (h *htmlReporter) Result(r *Result) error {
	kc := h.byKind[r.Kind]
	if kc != nil && !r.Late {
		kc.Records++
		if r.Errors() > 0 {
			kc.Invalid++
		}
	}
	if kc != nil && r.Late && r.Errors() > 0 {
		kc.Invalid++ // a duplicate found at the end; its first result counted it valid
	}
	anchor := ""
	first := len(h.problems) // this result's problems kept start here
	for i := range r.Problems {
		p := &r.Problems[i]
		count(h.byRule, p.Rule, p.Severity)
		count(h.byFile, safeText(p.Pos.File), p.Severity)
		if kc != nil {
			if p.Severity == schema.Warning {
				kc.Warnings++
			} else {
				kc.Errors++
			}
		}
		if len(h.problems) >= htmlMaxProblems {
			h.notKept++
			continue
		}
		hp := newHTMLProblem(len(h.problems)+1, r, p, h.opts.LinkBase)
		if anchor == "" {
			anchor = hp.Anchor
		}
		h.problems = append(h.problems, hp)
	}
	if r.Record != nil && kc != nil {
		h.profile.add(r.Record)
		figs := h.figures[r.Kind]
		// Past the cap, a record with errors still gets its card, up to
		// htmlMaxInvalidFigures in all: its quote beside its problems.
		extra := len(figs) >= htmlMaxFigures && r.Errors() > 0 && h.extraFigures < htmlMaxInvalidFigures
		if len(figs) < htmlMaxFigures || extra {
			if extra {
				h.extraFigures++
			}
			h.n++
			f := newHTMLFigure(r, anchor, h.opts, h.excerpts < htmlExcerptBytes)
			h.excerpts += f.excerptBytes
			f.Anchor = "f" + strconv.Itoa(h.n)
			h.figures[r.Kind] = append(figs, f)
			for _, hp := range h.problems[first:] {
				hp.Figure = f.Anchor
			}
			if f.SourceID != "" && len(h.quotedBy[f.SourceID]) < htmlMaxQuotedBy {
				h.quotedBy[f.SourceID] = append(h.quotedBy[f.SourceID], htmlFact{Name: f.Anchor, Value: f.ID})
			}
		}
	}
	return nil
}

func (p *htmlProfile) add(rec schema.Record) {
	k := schema.KindOf(rec)
	text := func(name string) (string, bool) {
		c, ok := k.Column(name)
		if !ok {
			return "", false
		}
		return c.Text(rec), true
	}
	if q, ok := text("qualifier"); ok {
		p.qualifier[orNone(q)]++
	}
	if c, ok := text("currency"); ok {
		p.currency[orNone(c)]++
	}
	if d, ok := text("as_of"); ok {
		if len(d) >= 4 {
			d = d[:4]
		}
		p.year[orNone(d)]++
	}
	src := schema.ProvenanceOf(rec).Source
	if _, ok := p.source[src]; ok || len(p.source) < htmlMaxProfileRows {
		p.source[orNone(src)]++
	} else {
		p.source["(other sources)"]++
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return safeText(s)
}

// htmlProblem is one problem as the page shows it.
type htmlProblem struct {
	Anchor   string
	Severity string
	Pos      string
	Link     string
	File     string // as shown
	file     string // as read, to read it again
	line     int
	column   int
	sheet    bool
	Kind     string
	ID       string
	Field    string
	Message  string
	Rule     string
	Context  []htmlLine
	// Figure is the anchor of the record's card, when the page shows it.
	Figure string
	// SameAs is the anchor of the problem just before, at the same line,
	// whose lines this one's are.
	SameAs string
	// NoContext says why no lines are shown, when none are.
	NoContext string
}

// htmlLine is an input line shown around a problem.
type htmlLine struct {
	N      int
	Text   string
	Marked bool
	// Header marks a CSV file's first line, shown above lines further down.
	Header bool
}

func newHTMLProblem(n int, r *Result, p *Problem, linkBase string) *htmlProblem {
	kind := r.Kind
	if kind == "" {
		kind = "file"
	}
	hp := &htmlProblem{Anchor: "p" + strconv.Itoa(n), Severity: p.Severity.String(), Pos: posText(p.Pos),
		File: safeText(p.Pos.File), file: p.Pos.File, line: p.Pos.Line, column: p.Pos.Column, sheet: p.Pos.Sheet != "", Kind: kind, ID: labelText(r.ID),
		Field: labelText(p.Field), Message: safeText(p.Message), Rule: p.Rule}
	if r.ID == "" && r.Kind != "" {
		hp.ID = "(no id)"
	}
	hp.Link = positionLink(linkBase, p.Pos)
	return hp
}

// positionLink returns URL/file#Lline for a position in a file of the
// repository, or "" when there is no base or the file is none of the
// repository's (the embedded dataset, an absolute path, one outside).
func positionLink(base string, p input.Position) string {
	if base == "" || p.File == "" || strings.HasPrefix(p.File, "embedded:") {
		return ""
	}
	file := strings.ReplaceAll(p.File, `\`, "/")
	clean := path.Clean(file)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return ""
	}
	segs := strings.Split(clean, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	link := strings.TrimRight(base, "/") + "/" + strings.Join(segs, "/")
	if p.Line > 0 && p.Sheet == "" {
		link += "#L" + strconv.Itoa(p.Line)
	}
	return link
}

func (h *htmlReporter) Finish(s *Summary) error {
	h.addContext(s)
	page := h.page(s)
	if err := htmlPage.Execute(h.w, page); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return h.w.Flush()
}

// page is what the template renders.
type htmlPageData struct {
	CSP      string
	Style    template.CSS
	Script   template.JS
	Tool     string
	Version  string
	Valid    bool
	Verdict  string
	Note     string
	ExitCode int
	Summary  *Summary
	Strict   bool
	Created  string

	ByRule, ByFile []*htmlCount
	ByKind         []*htmlKindCount
	Problems       []*htmlProblem
	Total          int // problems reported
	NotKept        int
	NotShown       int
	Figures        []htmlFigureGroup
	Profile        []htmlProfileTable
	Sources        []htmlSource
}

type htmlFigureGroup struct {
	Kind, Plural string
	Records      int
	Cards        []*htmlFigure
	NotShown     int
}

type htmlProfileTable struct {
	Title string
	Rows  []htmlCount // Errors holds the count
}

type htmlSource struct {
	Anchor, ID, Title, Chapter, Pages, Publisher, URL string
	Link                                              bool // URL is http(s), a link
	Year                                              int64
	Text, TextLink, SHA256, Declared                  string
	QuotedBy                                          []htmlFact
	Figures                                           int
}

func (h *htmlReporter) page(s *Summary) *htmlPageData {
	p := &htmlPageData{CSP: htmlCSP, Style: template.CSS(htmlStyle), Script: template.JS(htmlScript),
		Tool: Tool, Version: Version, Valid: !s.Failed(), Summary: s, Strict: s.Strict,
		Created: createdText(h.opts.Created), Problems: h.problems, Total: len(h.problems) + h.notKept, NotKept: h.notKept, NotShown: s.NotShown}
	switch {
	case !s.Failed():
		p.Verdict = "VALID"
		if s.Warnings > 0 {
			p.Note = "with " + plural(s.Warnings, "warning")
		}
	case s.Errors == 0:
		p.Verdict, p.Note, p.ExitCode = "INVALID", "--strict: warnings count as errors", 1
	default:
		p.Verdict, p.ExitCode = "INVALID", 1
	}
	p.ByRule = sortedCounts(h.byRule)
	p.ByFile = sortedCounts(h.byFile)
	for _, k := range schema.Kinds() {
		kc := h.byKind[k.Name]
		p.ByKind = append(p.ByKind, kc)
		figs := h.figures[k.Name]
		p.Figures = append(p.Figures, htmlFigureGroup{Kind: k.Name, Plural: k.Plural, Records: kc.Records,
			Cards: figs, NotShown: kc.Records - len(figs)})
	}
	p.Profile = []htmlProfileTable{
		{Title: "Qualifier", Rows: profileRows(h.profile.qualifier)},
		{Title: "Currency", Rows: profileRows(h.profile.currency)},
		{Title: "Year of as_of", Rows: profileRows(h.profile.year)},
		{Title: "Source", Rows: profileRows(h.profile.source)},
	}
	texts := map[string]SourceText{}
	for _, t := range s.Texts {
		texts[t.Name] = t
	}
	anchors := map[string]string{}
	for i, src := range s.Declared {
		anchors[src.ID] = "s" + strconv.Itoa(i+1)
	}
	for _, figs := range h.figures {
		for _, f := range figs {
			f.SourceAnchor = anchors[f.SourceID]
			if _, hasText := s.textCopies[f.SourceID]; hasText && f.Verified == "no-text" {
				f.Verified = "not-checked" // the record's other problems kept it from the text
			}
		}
	}
	for _, src := range s.Declared {
		hs := htmlSource{Anchor: anchors[src.ID], ID: labelText(src.ID), Title: safeText(src.Title), Chapter: safeText(src.Chapter),
			Pages: safeText(src.Pages), Publisher: safeText(src.Publisher), URL: safeText(src.URL), Year: src.Year,
			Link:     (strings.HasPrefix(src.URL, "https://") || strings.HasPrefix(src.URL, "http://")) && safeText(src.URL) == src.URL,
			Declared: safeText(src.Text), QuotedBy: h.quotedBy[src.ID]}
		if name, ok := s.textCopies[src.ID]; ok {
			hs.Text = name
			hs.SHA256 = texts[name].SHA256
			if h.opts.TextLinks {
				hs.TextLink = name
			}
		}
		p.Sources = append(p.Sources, hs)
	}
	return p
}

func createdText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04:05 UTC")
}

func sortedCounts(m map[string]*htmlCount) []*htmlCount {
	out := slices.Collect(maps.Values(m))
	slices.SortFunc(out, func(a, b *htmlCount) int {
		return cmp.Or(cmp.Compare(b.Errors+b.Warnings, a.Errors+a.Warnings), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// profileRows sorts a profile's counts by name (years read in order).
func profileRows(m map[string]int) []htmlCount {
	out := make([]htmlCount, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, htmlCount{Name: k, Errors: m[k]})
	}
	return out
}
