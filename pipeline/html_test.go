package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"export/input"
	"export/schema"
)

// htmlElements and htmlAttributes are every element and attribute the
// template writes: one that the page holds beyond them came from the data.
var (
	htmlElements = strings.Fields(`html head body meta title style header h1 p strong nav ul li a div label input output
		main section h2 h3 h4 table caption thead tbody tr th td ol span pre mark code article dl dt dd blockquote br
		footer script`)
	htmlAttributes = strings.Fields(`lang charset http-equiv content name class id href hidden for type autocomplete
		spellcheck placeholder aria-label aria-labelledby aria-live scope colspan data-valid data-severity data-kind
		data-id data-field data-rule data-file data-line data-status data-verified`)
)

// parseReport parses an HTML report and checks what any report must be:
// only the template's elements and attributes, one style and one script,
// links that go nowhere but the page, its own files or http(s).
func parseReport(t *testing.T, out []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("html: %v", err)
	}
	counts := map[string]int{}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		counts[n.Data]++
		if !contains(htmlElements, n.Data) {
			t.Errorf("html: element <%s> is none of the template's", n.Data)
		}
		for _, a := range n.Attr {
			if !contains(htmlAttributes, a.Key) || a.Namespace != "" {
				t.Errorf("html: attribute %s=%q on <%s> is none of the template's", a.Key, a.Val, n.Data)
			}
			if a.Key == "href" && !regexp.MustCompile(`^(#[a-z0-9-]+|https?://|sources/)`).MatchString(a.Val) {
				t.Errorf("html: link %q", a.Val)
			}
		}
	}
	if counts["script"] != 1 || counts["style"] != 1 || counts["html"] != 1 || counts["body"] != 1 {
		t.Errorf("html: %d scripts, %d styles, %d html, %d body elements; want one each", counts["script"], counts["style"], counts["html"], counts["body"])
	}
	return doc
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && contains(strings.Fields(nodeAttr(n, "class")), class)
}

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func byClass(doc *html.Node, class string) []*html.Node {
	var out []*html.Node
	for n := range doc.Descendants() {
		if hasClass(n, class) {
			out = append(out, n)
		}
	}
	return out
}

// checkHostileHTML checks the HTML report of hostileRun: its structure is
// the template's, every problem is there with the file as the report
// shows it.
func checkHostileHTML(t *testing.T, out []byte, name string, problems int) {
	t.Helper()
	doc := parseReport(t, out)
	rows := byClass(doc, "problem")
	if len(rows) != problems {
		t.Fatalf("html: %d problems, want %d", len(rows), problems)
	}
	for _, r := range rows {
		if nodeAttr(r, "data-file") != safeText(name) {
			t.Errorf("html: problem of file %q, want %q", nodeAttr(r, "data-file"), safeText(name))
		}
		pos := byClass(r, "pos")
		if len(pos) != 1 || !strings.HasPrefix(nodeText(pos[0]), labelText(name)) {
			t.Errorf("html: a problem's position does not start with the file %s", labelText(name))
		}
	}
}

// TestHTMLReportDefaultGolden compares the report of the embedded default
// dataset with its golden file, and checks what it highlights: the quote
// and, within it, the words that state each figure.
// Regenerate with: go test ./pipeline -run TestHTMLReportDefaultGolden -update
func TestHTMLReportDefaultGolden(t *testing.T) {
	out := defaultHTML(t, HTMLOptions{})
	golden := filepath.Join("testdata", "golden", "report-default.html")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./pipeline -run TestHTMLReportDefaultGolden -update)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("report-default.html differs from the golden file (run go test ./pipeline -run TestHTMLReportDefaultGolden -update and read the diff)")
	}
	doc := parseReport(t, out)
	figures := byClass(doc, "figure")
	if len(figures) != 3 {
		t.Fatalf("%d figures, want 3", len(figures))
	}
	want3 := map[string]map[string]string{
		"kr-kz-investment-2008-09": {"amount": "about $3bn", "currency": "about $3bn", "qualifier": "about", "as_of": "30 September 2008"},
		"kr-kz-enterprises":        {"enterprises": "Over 300 enter-prises", "qualifier": "Over", "joint_ventures": "48 joint ventures", "representative_offices": "62 representative offices"},
		"kz-kr-agreements":         {"documents": "over 60 documents", "qualifier": "over"},
	}
	for _, f := range figures {
		id := nodeAttr(f, "data-id")
		if nodeAttr(f, "data-verified") != "verified" {
			t.Errorf("%s: data-verified %q", id, nodeAttr(f, "data-verified"))
		}
		quotes := byClass(f, "quote")
		if len(quotes) != 1 {
			t.Fatalf("%s: %d quotes", id, len(quotes))
		}
		got := map[string]string{}
		for _, m := range byClass(quotes[0], "stated") {
			got[nodeAttr(m, "data-field")] = nodeText(m)
		}
		if !equalMaps(got, want3[id]) {
			t.Errorf("%s: stated %v, want %v", id, got, want3[id])
		}
	}
	if h := nodeText(byClass(doc, "headline")[0]); h != "3,000,000,000 USD, about; as of 30 September 2008" {
		t.Errorf("headline %q", h)
	}
	if v := byClass(doc, "verdict"); len(v) != 1 || nodeAttr(v[0], "data-valid") != "true" || !strings.HasPrefix(nodeText(v[0]), "VALID") {
		t.Errorf("verdict: %v", v)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func defaultHTML(t *testing.T, opts HTMLOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, err := NewReporterOptions("html", &buf, false, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(context.Background(), input.Embedded(), rep, nil, Config{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHTMLReportDeterministic: the same run gives the same bytes.
func TestHTMLReportDeterministic(t *testing.T) {
	for _, strict := range []bool{false, true} {
		if a, b := runReport(t, "html", strict), runReport(t, "html", strict); !bytes.Equal(a, b) {
			t.Errorf("strict %v: two runs gave different pages", strict)
		}
	}
}

// TestHTMLReportCSP: the policy allows exactly the page's own inline
// style and script, by the hashes of the bytes it holds, and nothing else.
func TestHTMLReportCSP(t *testing.T) {
	out := defaultHTML(t, HTMLOptions{})
	doc := parseReport(t, out)
	var csp, style, script string
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "meta" && nodeAttr(n, "http-equiv") == "Content-Security-Policy":
			csp = nodeAttr(n, "content")
		case n.Type == html.ElementNode && n.Data == "style":
			style = nodeText(n)
		case n.Type == html.ElementNode && n.Data == "script":
			script = nodeText(n)
		}
	}
	if style != htmlStyle || script != htmlScript {
		t.Errorf("the inline style or script is not the embedded file, byte for byte")
	}
	want := "default-src 'none'; style-src '" + cspHash(style) + "'; script-src '" + cspHash(script) + "'; base-uri 'none'; form-action 'none'"
	if csp != want {
		t.Errorf("CSP %q, want %q", csp, want)
	}
	// The raw bytes too: what a browser hashes is what the file holds
	// between the tags.
	for _, inline := range []string{"<style>" + htmlStyle + "</style>", "<script>" + htmlScript + "</script>"} {
		if !bytes.Contains(out, []byte(inline)) {
			t.Errorf("the page does not hold %.40q… as embedded", inline)
		}
	}
	for _, external := range []string{"src=", "@import", "url(", "http://", "https://"} {
		if bytes.Contains(out, []byte(external)) {
			t.Errorf("the page holds %q: an external request", external)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "12": "12", "123": "123", "1234": "1,234", "3000000000": "3,000,000,000",
		"1234567.125": "1,234,567.125", "-1000": "-1,000", "100000": "100,000", "0.5": "0.5",
	} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadableDate(t *testing.T) {
	for in, want := range map[string]string{
		"2008-09-30": "30 September 2008", "2016-01-01": "1 January 2016", "2008-02-30": "2008-02-30",
		"soon": "soon", "bad\u202e": `bad\u202e`,
	} {
		if got := readableDate(in); got != want {
			t.Errorf("readableDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestFigureText(t *testing.T) {
	for _, tc := range []struct {
		rec      schema.Record
		headline string
		facts    string
	}{
		{&schema.InvestmentTotal{Investor: "KR", Recipient: "KZ", Amount: ptr(schema.MustDecimal("3000000000")), Currency: "USD",
			Qualifier: "about", AsOf: "2008-09-30", Sectors: []string{"construction", "white_goods"}},
			"3,000,000,000 USD, about; as of 30 September 2008", "investor=KR recipient=KZ sectors=construction, white goods"},
		{&schema.InvestmentTotal{Investor: "KR", Recipient: "KZ", Amount: ptr(schema.MustDecimal("355.7")), Currency: "KZT", Qualifier: "exact", AsOf: "2016"},
			"355.7 KZT; as of 2016", "investor=KR recipient=KZ"},
		{&schema.EnterpriseCount{Partner: "KR", Host: "KZ", Enterprises: ptr[int64](300), Qualifier: "over", JointVentures: ptr[int64](48), RepresentativeOffices: ptr[int64](62)},
			"300 enterprises, over; no date given", "partner=KR host=KZ joint ventures=48 representative offices=62"},
		{&schema.EnterpriseCount{Partner: "KR", Host: "KZ", Enterprises: ptr[int64](1200), Qualifier: "under", AsOf: "2020-12-31"},
			"1,200 enterprises, under; as of 31 December 2020", "partner=KR host=KZ"},
		{&schema.AgreementCount{Parties: []string{"KZ", "KR"}, Documents: ptr[int64](60), Qualifier: "over"},
			"60 documents, over; no date given", "parties=KZ, KR"},
	} {
		headline, facts := figureText(schema.KindOf(tc.rec), tc.rec)
		var fs []string
		for _, f := range facts {
			fs = append(fs, f.Name+"="+f.Value)
		}
		if headline != tc.headline || strings.Join(fs, " ") != tc.facts {
			t.Errorf("%T: %q, %q; want %q, %q", tc.rec, headline, strings.Join(fs, " "), tc.headline, tc.facts)
		}
	}
}

// segText writes segments as [class:field text] for comparing.
func segText(segs []htmlSeg) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Class == "" {
			b.WriteString(s.Text)
			continue
		}
		b.WriteString("[" + s.Class)
		if s.Field != "" {
			b.WriteString(":" + s.Field)
		}
		b.WriteString(" " + segText(s.Kids) + "]")
	}
	return b.String()
}

func TestNestSpans(t *testing.T) {
	runes := []rune("it reached about $3bn in 2008.")
	for _, tc := range []struct {
		name  string
		spans []htmlSpan
		want  string
	}{
		{"none", nil, "it reached about $3bn in 2008."},
		{"quote", []htmlSpan{{3, 21, "quote", ""}}, "it [quote reached about $3bn] in 2008."},
		{"nested", []htmlSpan{{0, 30, "quote", ""}, {11, 21, "stated", "amount"}, {11, 16, "stated", "qualifier"}, {25, 29, "stated", "as_of"}},
			"[quote it reached [stated:amount [stated:qualifier about] $3bn] in [stated:as_of 2008].]"},
		{"same words", []htmlSpan{{11, 21, "stated", "currency"}, {0, 30, "quote", ""}, {11, 21, "stated", "amount"}},
			"[quote it reached [stated:currency [stated:amount about $3bn]] in 2008.]"},
		{"crossing is cut", []htmlSpan{{3, 16, "stated", "a"}, {11, 21, "stated", "b"}}, "it [stated:a reached [stated:b about]] $3bn in 2008."},
		{"past the end", []htmlSpan{{25, 99, "stated", "as_of"}}, "it reached about $3bn in [stated:as_of 2008.]"},
		{"empty", []htmlSpan{{5, 5, "stated", "x"}}, "it reached about $3bn in 2008."},
	} {
		if got := segText(nestSpans(runes, 0, len(runes), tc.spans)); got != tc.want {
			t.Errorf("%s: %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if got := segText(nestSpans([]rune("a\u202eb"), 0, 3, nil)); got != `a\u202eb` {
		t.Errorf("unprintable: %s", got)
	}
}

func TestPositionLink(t *testing.T) {
	const base = "https://github.com/o/r/blob/abc"
	for _, tc := range []struct {
		base string
		pos  input.Position
		want string
	}{
		{"", input.Position{File: "data/x.yaml", Line: 3}, ""},
		{base, input.Position{File: "data/x.yaml", Line: 17, Column: 5}, base + "/data/x.yaml#L17"},
		{base + "/", input.Position{File: "./data/x.yaml", Line: 17}, base + "/data/x.yaml#L17"},
		{base, input.Position{File: "data/a b#c.yaml", Line: 2}, base + "/data/a%20b%23c.yaml#L2"},
		{base, input.Position{File: "data/x.yaml"}, base + "/data/x.yaml"},
		{base, input.Position{File: "data/x.xlsx", Sheet: "investment_totals", Line: 2, Column: 3}, base + "/data/x.xlsx"},
		{base, input.Position{File: "embedded:kazakhstan-korea.yaml", Line: 2}, ""},
		{base, input.Position{File: "/abs/x.yaml", Line: 2}, ""},
		{base, input.Position{File: "../x.yaml", Line: 2}, ""},
		{base, input.Position{File: `data\x.yaml`, Line: 2}, base + "/data/x.yaml#L2"},
	} {
		if got := positionLink(tc.base, tc.pos); got != tc.want {
			t.Errorf("positionLink(%q, %v) = %q, want %q", tc.base, tc.pos, got, tc.want)
		}
	}
	out := runReportOptions(t, HTMLOptions{LinkBase: base})
	doc := parseReport(t, out)
	links := 0
	for _, p := range byClass(doc, "pos") {
		if p.Data == "a" {
			links++
			if !strings.HasPrefix(nodeAttr(p, "href"), base+"/") {
				t.Errorf("link %q", nodeAttr(p, "href"))
			}
		}
	}
	if links == 0 {
		t.Errorf("no position is a link with a link base")
	}
}

func runReportOptions(t *testing.T, opts HTMLOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, err := NewReporterOptions("html", &buf, false, opts)
	if err != nil {
		t.Fatal(err)
	}
	files, skipped := reportInputs(t)
	if _, err := Check(context.Background(), files, rep, nil, Config{Skipped: skipped}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHTMLContext: each problem shows the lines around it, its own
// marked, read back from the file; none when the file changed since.
func TestHTMLContext(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := 1; i <= 20; i++ {
		lines = append(lines, "line "+strconv.Itoa(i))
	}
	lines[9] = "\tten\x1b[31m " + strings.Repeat("x", 300)
	name := filepath.Join(dir, "d.yaml")
	content := "\ufeff" + strings.Join(lines, "\r\n") + "\r\n"
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := input.CollectOptions{}.Collect([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256Hex(content)
	for _, tc := range []struct {
		name   string
		line   int
		digest string
		want   string
	}{
		{"middle", 5, digest, "2 3 4 >5 6 7 8"},
		{"first", 1, digest, ">1 2 3 4"},
		{"last", 20, digest, "17 18 19 >20"},
		{"past the end", 25, digest, ""},
		{"changed", 5, "00", "changed"},
	} {
		h := newHTMLReporter(&bytes.Buffer{}, HTMLOptions{})
		h.setInputs(files, input.Limits{})
		pos := input.Position{File: files[0].Path, Line: tc.line, Column: 1}
		h.Result(&Result{Pos: pos, Kind: "agreement_count", ID: "x", Problems: []Problem{{Pos: pos, Rule: "required", Message: "m"}}})
		h.addContext(&Summary{Inputs: []Input{{Path: files[0].Path, SHA256: tc.digest}}})
		p := h.problems[0]
		var got []string
		for _, l := range p.Context {
			n := strconv.Itoa(l.N)
			if l.Marked {
				n = ">" + n
			}
			got = append(got, n)
			if l.Text != "line "+strconv.Itoa(l.N) && l.N != 10 {
				t.Errorf("%s: line %d reads %q", tc.name, l.N, l.Text)
			}
		}
		if tc.want == "changed" {
			if len(p.Context) != 0 || !strings.Contains(p.NoContext, "changed") {
				t.Errorf("%s: %v, %q", tc.name, got, p.NoContext)
			}
			continue
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: lines %v, want %s", tc.name, got, tc.want)
		}
	}
	// Two problems at one line (a CSV row): the lines are shown once.
	{
		h := newHTMLReporter(&bytes.Buffer{}, HTMLOptions{})
		h.setInputs(files, input.Limits{})
		pos := input.Position{File: files[0].Path, Line: 7, Column: 1}
		h.Result(&Result{Pos: pos, Kind: "agreement_count", ID: "x", Problems: []Problem{{Pos: pos, Rule: "a"}, {Pos: pos, Rule: "b"}, {Pos: pos, Rule: "c"}}})
		h.addContext(&Summary{Inputs: []Input{{Path: files[0].Path, SHA256: digest}}})
		if len(h.problems[0].Context) != 7 || len(h.problems[1].Context) != 0 || h.problems[1].SameAs != "p1" || h.problems[2].SameAs != "p1" {
			t.Errorf("same line: %d lines, then %d, same as %q, %q", len(h.problems[0].Context), len(h.problems[1].Context), h.problems[1].SameAs, h.problems[2].SameAs)
		}
	}
	// Line 10: tab as spaces, the escape shown, cut.
	h := newHTMLReporter(&bytes.Buffer{}, HTMLOptions{})
	h.setInputs(files, input.Limits{})
	pos := input.Position{File: files[0].Path, Line: 10}
	h.Result(&Result{Pos: pos, Problems: []Problem{{Pos: pos, Rule: "syntax", Message: "m"}}})
	h.addContext(&Summary{Inputs: []Input{{Path: files[0].Path, SHA256: digest}}})
	for _, l := range h.problems[0].Context {
		if l.N == 10 && (!strings.HasPrefix(l.Text, `    ten\x1b[31m xxx`) || !strings.HasSuffix(l.Text, "x …")) {
			t.Errorf("line 10 reads %q", l.Text)
		}
	}
}

// TestHTMLCaps: past the caps the page counts what it leaves out, and
// says where to find it; it stays small.
func TestHTMLCaps(t *testing.T) {
	var buf bytes.Buffer
	h := newHTMLReporter(&buf, HTMLOptions{})
	const records = htmlMaxFigures + htmlMaxInvalidFigures + 50 // each with errors
	const problemsEach = 4                                      // records*problemsEach > htmlMaxProblems
	sum := &Summary{Files: 1, Records: records}
	for i := range records {
		pos := input.Position{File: "d.yaml", Line: i*10 + 1, Column: 3}
		rec := &schema.AgreementCount{Base: schema.Base{ID: "a-" + strconv.Itoa(i)}, Parties: []string{"KZ", "KR"},
			Documents: ptr[int64](int64(i + 1)), Qualifier: "over", AsOf: "20" + strconv.Itoa(10+i%5) + "-01-01",
			Provenance: schema.Provenance{Source: "s", Quote: "over " + strconv.Itoa(i+1) + " documents"}}
		r := &Result{Pos: pos, Kind: "agreement_count", ID: rec.ID, Record: rec}
		for range problemsEach {
			r.Problems = append(r.Problems, Problem{Severity: schema.Error, Pos: pos, Field: "documents", Rule: "figure_stated", Message: "m"})
			sum.Errors++
		}
		if err := h.Result(r); err != nil {
			t.Fatal(err)
		}
	}
	// Past the caps, a valid record gets no card.
	for i := range 10 {
		rec := &schema.AgreementCount{Base: schema.Base{ID: "v-" + strconv.Itoa(i)}, Parties: []string{"KZ", "KR"},
			Documents: ptr[int64](1), Qualifier: "over", AsOf: "2020-01-01", Provenance: schema.Provenance{Source: "s", Quote: "over 1 document"}}
		if err := h.Result(&Result{Pos: input.Position{File: "d.yaml", Line: 9000 + i}, Kind: "agreement_count", ID: rec.ID, Record: rec}); err != nil {
			t.Fatal(err)
		}
		sum.Records++
	}
	if err := h.Finish(sum); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	doc := parseReport(t, out)
	if n := len(byClass(doc, "problem")); n != htmlMaxProblems {
		t.Errorf("%d problems shown, want %d", n, htmlMaxProblems)
	}
	if n := len(byClass(doc, "figure")); n != htmlMaxFigures+htmlMaxInvalidFigures {
		t.Errorf("%d figures shown, want %d", n, htmlMaxFigures+htmlMaxInvalidFigures)
	}
	// Each problem kept links to its record's card, when there is one.
	for _, p := range byClass(doc, "problem") {
		links := byClass(p, "tofigure")
		if len(links) != 1 || !strings.HasPrefix(nodeAttr(links[0], "href"), "#f") {
			t.Fatalf("a problem does not link to its figure")
		}
	}
	for _, want := range []string{
		strconv.Itoa(records*problemsEach-htmlMaxProblems) + " more problems not shown here: <code>--report json</code> lists every one.",
		"60 more records of agreement_count not shown here",
		`<tr><th scope="row">figure_stated</th><td class="num">` + strconv.Itoa(records*problemsEach) + `</td>`,
		`<tr><th scope="row">2014</th><td class="num">90</td></tr>`,
		`<tr><th scope="row">over</th><td class="num">` + strconv.Itoa(records+10) + `</td></tr>`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestHTMLFigureCards: what a card says of its quote and its figures, for
// each way a record meets its source.
func TestHTMLFigureCards(t *testing.T) {
	dir := t.TempDir()
	text, err := os.ReadFile(filepath.Join("testdata", "report", "kazakhstan-today-p190-191.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "k.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	data := `sources:
  - {id: with-text, title: Kazakhstan today, pages: "190-191", text: k.txt}
  - {id: no-text, title: "A <b>bold</b> title"}
records:
  - id: verified
    kind: enterprise_count
    partner: KR
    host: KZ
    enterprises: 300
    qualifier: over
    joint_ventures: 48
    representative_offices: 62
    as_of: 2008-09-30
    derived: {as_of: "the date of the National Bank's figure in the sentence before"}
    source: with-text
    quote: "Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan, including 48 joint ventures and 62 representative offices."
  - id: unverified
    kind: agreement_count
    parties: [KZ, KR]
    documents: 60
    qualifier: over
    as_of: 2008-09-30
    derived: {as_of: "the year of the book, the sentence gives no date"}
    source: no-text
    quote: "Kazakhstan and South Korea: over 60 documents <script>alert(1)</script>"
  - id: not-found
    kind: agreement_count
    parties: [KZ, KR]
    documents: 60
    qualifier: over
    as_of: 2008-09-30
    derived: {as_of: "the year of the book, the sentence gives no date"}
    source: with-text
    quote: "Kazakhstan and South Korea signed over 60 documents"
  - id: not-checked
    kind: agreement_count
    parties: [KZ, KR]
    documents: 60
    qualifier: over
    source: with-text
    quote: "short"
`
	if err := os.WriteFile(filepath.Join(dir, "d.yaml"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := input.CollectOptions{}.Collect([]string{filepath.Join(dir, "d.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rep, _ := NewReporterOptions("html", &buf, false, HTMLOptions{})
	if _, err := Check(context.Background(), files, rep, nil, Config{}); err != nil {
		t.Fatal(err)
	}
	doc := parseReport(t, buf.Bytes())
	want := map[string]struct{ verified, where, derived, status string }{
		"verified":    {"verified", "Found in sources/k.txt.", "derived: the date of the National Bank's figure in the sentence before", "valid"},
		"unverified":  {"no-text", "Quote not verified: the source has no text to check it against.", "derived: the year of the book, the sentence gives no date", "valid"},
		"not-found":   {"not-found", "Not found in the source's text", "derived: the year of the book", "invalid"},
		"not-checked": {"not-checked", "Not checked against the source's text", "", "invalid"},
	}
	cards := byClass(doc, "figure")
	if len(cards) != len(want) {
		t.Fatalf("%d cards, want %d", len(cards), len(want))
	}
	for _, c := range cards {
		id := nodeAttr(c, "data-id")
		w := want[id]
		card := nodeText(c)
		if nodeAttr(c, "data-verified") != w.verified || !strings.Contains(card, w.where) || !strings.Contains(card, w.derived) || nodeAttr(c, "data-status") != w.status {
			t.Errorf("%s: verified %q, status %q:\n%s", id, nodeAttr(c, "data-verified"), nodeAttr(c, "data-status"), card)
		}
		if id == "unverified" && (!strings.Contains(card, "A <b>bold</b> title") || !strings.Contains(card, "<script>alert(1)</script>")) {
			t.Errorf("the hostile title or quote is not shown as text:\n%s", card)
		}
		// The quote's own stated words, also without a text to find them in.
		if id == "unverified" {
			got := map[string]string{}
			for _, m := range byClass(c, "stated") {
				got[nodeAttr(m, "data-field")] = nodeText(m)
			}
			if !equalMaps(got, map[string]string{"documents": "over 60 documents", "qualifier": "over"}) {
				t.Errorf("unverified: stated %v", got)
			}
		}
	}
}

// FuzzHTMLFigure: whatever a record's texts hold (its quote, the source's
// title, the authority, a note, a derived reason, the stated words'
// places), its card is text: the page holds only the template's elements
// and attributes, and the card shows the texts.
func FuzzHTMLFigure(f *testing.F) {
	for i, n := range hostileNames {
		f.Add(n, hostileNames[(i+1)%len(hostileNames)], `<script>alert(1)</script><img src=x onerror=alert(1)>`, 3, 9)
	}
	f.Add("about $3bn", "<b>x</b>", "--><!--", -5, 99)
	f.Fuzz(func(t *testing.T, quote, title, note string, start, end int) {
		rec := &schema.InvestmentTotal{Base: schema.Base{ID: "x"}, Investor: "KR", Recipient: "KZ",
			Amount: ptr(schema.MustDecimal("3000000000")), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30",
			Note: note, Derived: schema.Derived{"as_of": title},
			Provenance: schema.Provenance{Source: "s", SourceTitle: title, Authority: note, Citation: quote, Quote: quote,
				Stated: schema.Stated{{Field: "amount", Text: quote, Start: start, End: end}, {Field: "qualifier", Start: end, End: start}}}}
		var buf bytes.Buffer
		h := newHTMLReporter(&buf, HTMLOptions{LinkBase: "https://example.com/" + note})
		pos := input.Position{File: title, Line: 2, Column: 3}
		if err := h.Result(&Result{Pos: pos, Kind: "investment_total", ID: "x", Record: rec,
			Problems: []Problem{{Severity: schema.Warning, Pos: pos, Field: "as_of", Rule: "recommended", Message: note}}}); err != nil {
			t.Fatal(err)
		}
		src := &schema.Source{ID: "s", Title: title, URL: "javascript:alert(1)"}
		if err := h.Finish(&Summary{Records: 1, Warnings: 1, Declared: []*schema.Source{src}, Inputs: []Input{{Path: title}}}); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		checkHostileHTML(t, out, title, 1)
		for _, r := range string(out) {
			if r != ' ' && r != '\n' && !strconv.IsPrint(r) {
				t.Fatalf("html: holds the unprintable %U", r)
			}
		}
		doc := parseReport(t, out)
		cards := byClass(doc, "figure")
		if len(cards) != 1 || !strings.Contains(nodeText(cards[0]), safeText(quote)) {
			t.Errorf("the card does not show the quote %q as text", quote)
		}
	})
}

// TestHTMLContextCSVHeader: the lines of a CSV row come with the file's
// header line; the page says when it was made only from Created.
func TestHTMLContextCSVHeader(t *testing.T) {
	dir := t.TempDir()
	content := "id,kind\n" + strings.Repeat("a,agreement_count\n", 9)
	name := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := input.CollectOptions{}.Collect([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line int
		want string
	}{{8, "h1 5 6 7 >8 9 10"}, {3, "1 2 >3 4 5 6"}} {
		var buf bytes.Buffer
		created := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		h := newHTMLReporter(&buf, HTMLOptions{Created: created})
		h.setInputs(files, input.Limits{})
		pos := input.Position{File: files[0].Path, Line: tc.line, Column: 1}
		h.Result(&Result{Pos: pos, Kind: "agreement_count", ID: "a", Problems: []Problem{{Pos: pos, Rule: "required", Message: "m"}}})
		if err := h.Finish(&Summary{Inputs: []Input{{Path: files[0].Path, SHA256: sha256Hex(content)}}}); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range h.problems[0].Context {
			n := strconv.Itoa(l.N)
			switch {
			case l.Header:
				n = "h" + n
			case l.Marked:
				n = ">" + n
			}
			got = append(got, n)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("line %d: %v, want %s", tc.line, got, tc.want)
		}
		if !strings.Contains(buf.String(), "Written by export "+Version+" on 2 January 2020, 03:04:05 UTC.") {
			t.Errorf("the page does not say when it was made")
		}
	}
}

func TestLineText(t *testing.T) {
	long := strings.Repeat("abcdefghij", 50) // 500 characters
	for _, tc := range []struct {
		name   string
		line   string
		column int
		want   string
	}{
		{"short", "a: 1\r\n", 3, "a: 1"},
		{"tab and escape", "\tx\x1b[0m\n", 0, `    x\x1b[0m`},
		{"long, column near the start", long, 10, long[:htmlMaxLineRunes] + " …"},
		{"long, column far along", long, 300, "… " + long[300-1-htmlColumnLead:300-1-htmlColumnLead+htmlMaxLineRunes] + " …"},
		{"long, column at the end", long, 500, "… " + long[500-htmlMaxLineRunes:]},
		{"column past the end", "short line", 400, "short line"},
		{"runes", strings.Repeat("é", 200), 190, "… " + strings.Repeat("é", htmlMaxLineRunes)},
	} {
		if got := lineText([]byte(tc.line), tc.column); got != tc.want {
			t.Errorf("%s: %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
