package pipeline

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"export/schema"
)

// ReportFormats are the names NewReporter accepts.
var ReportFormats = []string{"text", "json", "junit", "github", "html"}

// NewReporter returns a reporter that writes the report in format to w.
// In strict mode warnings are reported as failures where the format
// distinguishes them (junit).
func NewReporter(format string, w io.Writer, strict bool) (Reporter, error) {
	return NewReporterOptions(format, w, strict, HTMLOptions{})
}

// NewReporterOptions is NewReporter, with the options of the HTML report
// (html): it writes one self-contained page once the run is over (see
// html.go).
func NewReporterOptions(format string, w io.Writer, strict bool, html HTMLOptions) (Reporter, error) {
	if format == "html" {
		return newHTMLReporter(w, html), nil // strict is in the summary it gets
	}
	bw := bufio.NewWriter(w)
	switch format {
	case "text":
		return &textReporter{w: bw}, nil
	case "json":
		return &jsonReporter{w: bw}, nil
	case "junit":
		return &junitReporter{w: bw, strict: strict}, nil
	case "github":
		return &githubReporter{w: bw}, nil
	}
	return nil, fmt.Errorf("unknown report format %q; use one of %s", format, strings.Join(ReportFormats, ", "))
}

// label returns the "id: field: " part of a problem line.
func label(r *Result, p *Problem) string {
	var b strings.Builder
	if r.Kind != "" || r.ID != "" { // a record of no known kind may have an id
		id := r.ID
		if id == "" {
			id = "(no id)"
		}
		b.WriteString(labelText(id))
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(labelText(p.Field))
		b.WriteString(": ")
	}
	return b.String()
}

// summaryLine says in one line what a run read and found.
func summaryLine(s *Summary) string {
	verdict := "valid"
	if s.Failed() {
		verdict = "INVALID"
		if s.Errors == 0 {
			verdict = "INVALID (--strict: warnings count as errors)"
		}
	}
	return fmt.Sprintf("%s: %s in %s, %s, %s", verdict, plural(s.Records, "record"), plural(s.Files, "file"),
		plural(s.Errors, "error"), plural(s.Warnings, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// textReporter writes compiler-style lines, one per problem:
//
//	file:line:col: id: field: message [rule]
//	file:line:col: warning: id: field: message [rule]
//
// then notes about skipped files and a summary line.
type textReporter struct {
	w *bufio.Writer
}

func (t *textReporter) Result(r *Result) error {
	for i := range r.Problems {
		p := &r.Problems[i]
		sev := ""
		if p.Severity == schema.Warning {
			sev = "warning: "
		}
		fmt.Fprintf(t.w, "%s: %s%s%s [%s]\n", posText(p.Pos), sev, label(r, p), safeText(p.Message), p.Rule)
	}
	return nil
}

func (t *textReporter) Finish(s *Summary) error {
	for _, sk := range s.Skipped {
		fmt.Fprintf(t.w, "note: skipped %s: %s\n", labelText(sk.Path), safeText(sk.Reason))
	}
	if s.NotShown > 0 {
		fmt.Fprintf(t.w, "note: %s not shown (--max-errors)\n", plural(s.NotShown, "more problem"))
	}
	fmt.Fprintln(t.w, summaryLine(s))
	return t.w.Flush()
}

// jsonReporter writes one JSON object:
//
//	{"report_version": 1, "problems": [...], "summary": {...}}
//
// streaming the problems as they come.
type jsonReporter struct {
	w       *bufio.Writer
	started bool
	n       int
}

type jsonProblem struct {
	Severity string `json:"severity"`
	File     string `json:"file"`
	Sheet    string `json:"sheet,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Kind     string `json:"kind,omitempty"`
	ID       string `json:"id,omitempty"`
	Field    string `json:"field,omitempty"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

type jsonSummary struct {
	Valid       bool           `json:"valid"`
	Strict      bool           `json:"strict"`
	Files       int            `json:"files"`
	Sources     int            `json:"sources"`
	Records     int            `json:"records"`
	ValidCount  int            `json:"valid_records"`
	ValidByKind map[string]int `json:"valid_records_by_kind"`
	Errors      int            `json:"errors"`
	Warnings    int            `json:"warnings"`
	NotShown    int            `json:"not_shown"`
	Inputs      []jsonInput    `json:"inputs"`
	Skipped     []jsonSkipped  `json:"skipped"`
}

type jsonSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type jsonInput struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

func (j *jsonReporter) start() {
	if !j.started {
		j.started = true
		j.w.WriteString(`{"report_version":1,"problems":[`)
	}
}

func (j *jsonReporter) Result(r *Result) error {
	j.start()
	for _, p := range r.Problems {
		b, err := json.Marshal(jsonProblem{Severity: p.Severity.String(), File: p.Pos.File, Sheet: p.Pos.Sheet,
			Line: p.Pos.Line, Column: p.Pos.Column, Kind: r.Kind, ID: r.ID, Field: p.Field, Rule: p.Rule, Message: p.Message})
		if err != nil {
			return err
		}
		b = jsonSafe(b)
		if j.n > 0 {
			j.w.WriteByte(',')
		}
		j.w.WriteString("\n  ")
		j.w.Write(b)
		j.n++
	}
	return nil
}

func (j *jsonReporter) Finish(s *Summary) error {
	j.start()
	sum := jsonSummary{Valid: !s.Failed(), Strict: s.Strict, Files: s.Files, Sources: s.Sources, Records: s.Records,
		ValidCount: s.Valid, ValidByKind: map[string]int{}, Errors: s.Errors, Warnings: s.Warnings, NotShown: s.NotShown,
		Inputs: []jsonInput{}, Skipped: []jsonSkipped{}}
	for _, k := range s.ValidByKind {
		sum.ValidByKind[k.Kind] = k.Count
	}
	for _, in := range s.Inputs {
		sum.Inputs = append(sum.Inputs, jsonInput(in))
	}
	for _, sk := range s.Skipped {
		sum.Skipped = append(sum.Skipped, jsonSkipped(sk))
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	b = jsonSafe(b)
	if j.n > 0 {
		j.w.WriteString("\n")
	}
	j.w.WriteString("],\n\"summary\":")
	j.w.Write(b)
	j.w.WriteString("}\n")
	return j.w.Flush()
}

// githubReporter writes GitHub Actions workflow commands, which the Actions
// runner turns into annotations on the files of a pull request:
//
//	::error file=F,line=L,col=C,title=T::message
type githubReporter struct {
	w *bufio.Writer
}

func (g *githubReporter) Result(r *Result) error {
	for i := range r.Problems {
		p := &r.Problems[i]
		cmd := "error"
		if p.Severity == schema.Warning {
			cmd = "warning"
		}
		props := []string{"file=" + ghProperty(safeText(p.Pos.File))}
		if p.Pos.Line > 0 {
			props = append(props, "line="+strconv.Itoa(p.Pos.Line))
		}
		if p.Pos.Column > 0 {
			props = append(props, "col="+strconv.Itoa(p.Pos.Column))
		}
		title := "export: " + strings.TrimSuffix(label(r, p), ": ") + " [" + p.Rule + "]"
		if cell := p.Pos.Cell(); cell != "" { // a workbook: line and col are the row and column
			title = "export: " + safeText(cell) + ": " + strings.TrimPrefix(title, "export: ")
		}
		props = append(props, "title="+ghProperty(title))
		fmt.Fprintf(g.w, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(safeText(p.Message)))
	}
	return nil
}

func (g *githubReporter) Finish(s *Summary) error {
	for _, sk := range s.Skipped {
		fmt.Fprintf(g.w, "::notice file=%s,title=%s::%s\n", ghProperty(safeText(sk.Path)), ghProperty("export: skipped"), ghData(safeText(sk.Reason)))
	}
	if s.NotShown > 0 {
		fmt.Fprintf(g.w, "::notice title=%s::%s\n", ghProperty("export"), ghData(plural(s.NotShown, "more problem")+" not shown (--max-errors)"))
	}
	fmt.Fprintln(g.w, summaryLine(s))
	return g.w.Flush()
}

// junitReporter writes a JUnit XML document that the Jenkins xunit
// plugin's JUnit schema accepts (testdata/junit/junit-10.xsd), read by
// Jenkins, GitLab and GitHub's test reporters:
//
//	<testsuites name="export validate" tests="9" failures="6" errors="0" time="0">
//	  <testsuite name="data/figures.yaml" file="data/figures.yaml" tests="6" failures="4" ...>
//	    <testcase classname="data/figures.yaml" name="investment_total kr-kz-investment-2008-09" time="0">
//	      <failure message="recipient: must differ from investor (and 4 more problems)" type="nefield iso4217 …">5 problems of investment_total kr-kz-investment-2008-09:
//	  data/figures.yaml:13:5: kr-kz-investment-2008-09: recipient: must differ from investor [nefield]
//	  …
//
// One test case per source and record (and per unreadable part of a
// file), with at most one <failure>, which holds every problem of that
// item, one per line, as the text report writes them; so failures counts
// the test cases that failed, as every reader expects. A late result (a
// duplicate id of a large run, found at the end) is a test case of its
// own, "KIND ID: unique id", so that no test case is both passed and
// failed. Warnings are failures in strict mode and system-out text
// otherwise.
//
// The schema allows no file or line on a test case, so each run of
// consecutive results from one input file is a <testsuite> with that
// file's path as its name and file attribute (where GitHub's
// action-junit-report finds the file), the test cases' classname is the
// path too (the "suite" GitLab shows, the class Jenkins shows), and each
// problem's line of the failure's text starts with its position. No
// record is timed: time is 0.
//
// The document is spooled (to a temporary file once large) because the
// counts come first; so is each test suite, for the same reason.
type junitReporter struct {
	w      *bufio.Writer
	strict bool
	doc    spool // the finished test suites
	suite  spool // the test cases of the current suite
	// file is the input file of the current suite; open says there is one.
	file            string
	open            bool
	suiteTests      int
	suiteFailures   int
	tests, failures int
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// Text is escaped by xmlText: encoding/xml would write its line
	// breaks as character references, one long line for a person reading
	// the file.
	Text string `xml:",innerxml"`
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitCaseName names the test case of a result: stable from run to run
// (Jenkins and GitLab follow a test's history by name), and unique in its
// suite (GitLab keeps only the first of two test cases of one name).
func junitCaseName(r *Result) string {
	name := r.Kind + " " + labelText(r.ID)
	switch {
	case r.Kind == "":
		return "reading " + posText(r.Pos)
	case r.Late:
		return name + ": unique id"
	case r.ID == "":
		return r.Kind + " at line " + strconv.Itoa(r.Pos.Line)
	}
	for _, p := range r.Problems {
		if p.Rule == "unique_id" { // the id is taken: tell the two apart
			return name + " at line " + strconv.Itoa(r.Pos.Line)
		}
	}
	return name
}

func (j *junitReporter) Result(r *Result) error {
	if !j.open || r.Pos.File != j.file {
		if err := j.closeSuite(); err != nil {
			return err
		}
		j.file, j.open = r.Pos.File, true
	}
	c := junitCase{Classname: safeText(r.Pos.File), Name: junitCaseName(r), Time: "0"}
	var failed, out, rules []string
	message := ""
	for i := range r.Problems {
		p := &r.Problems[i]
		line := fmt.Sprintf("%s: %s%s [%s]", posText(p.Pos), label(r, p), safeText(p.Message), p.Rule)
		if p.Severity == schema.Warning && !j.strict {
			out = append(out, "warning: "+line)
			continue
		}
		if message == "" {
			message = safeText(p.Message)
			if p.Field != "" {
				message = labelText(p.Field) + ": " + message
			}
		}
		failed = append(failed, "  "+line)
		if !slices.Contains(rules, p.Rule) {
			rules = append(rules, p.Rule)
		}
	}
	if len(failed) > 0 {
		if len(failed) > 1 {
			message += fmt.Sprintf(" (and %s)", plural(len(failed)-1, "more problem"))
		}
		// The text starts with a line of its own, so that a reader that
		// looks for " FILE:LINE" in it (action-junit-report) finds the
		// problems' lines.
		text := fmt.Sprintf("%s:\n%s\n", plural(len(failed), "problem"), strings.Join(failed, "\n"))
		c.Failure = &junitFailure{Message: message, Type: strings.Join(rules, " "), Text: xmlText(text)}
		j.suiteFailures++
	}
	c.SystemOut = strings.Join(out, "\n")
	j.suiteTests++
	b, err := xml.MarshalIndent(c, "    ", "  ")
	if err != nil {
		return err
	}
	return j.suite.write(append(b, '\n'))
}

// closeSuite moves the current test suite, with its counts, into the
// document.
func (j *junitReporter) closeSuite() error {
	if !j.open {
		return nil
	}
	file := safeText(j.file)
	name := file
	if name == "" {
		name = "export"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  <testsuite name=\"%s\"", xmlAttr(name))
	if file != "" {
		fmt.Fprintf(&b, " file=\"%s\"", xmlAttr(file))
	}
	fmt.Fprintf(&b, " tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"0\">\n", j.suiteTests, j.suiteFailures)
	if err := j.doc.write([]byte(b.String())); err != nil {
		return err
	}
	if err := j.suite.copyTo(spoolWriter{&j.doc}); err != nil {
		return fmt.Errorf("reading back the spooled JUnit report: %w", err)
	}
	if err := j.doc.write([]byte("  </testsuite>\n")); err != nil {
		return err
	}
	j.tests += j.suiteTests
	j.failures += j.suiteFailures
	j.suiteTests, j.suiteFailures, j.open = 0, 0, false
	return j.suite.reset()
}

func (j *junitReporter) Finish(s *Summary) error {
	defer j.doc.close()
	defer j.suite.close()
	if err := j.closeSuite(); err != nil {
		return err
	}
	fmt.Fprintf(j.w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(j.w, "<testsuites name=\"export validate\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"0\">\n", j.tests, j.failures)
	if j.tests == 0 { // the schema wants a name on a suite, even an empty one
		fmt.Fprintf(j.w, "  <testsuite name=\"export\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\"></testsuite>\n")
	}
	if err := j.doc.copyTo(j.w); err != nil {
		return fmt.Errorf("reading back the spooled JUnit report: %w", err)
	}
	j.w.WriteString("</testsuites>\n")
	return j.w.Flush()
}

// spool keeps bytes in memory up to spoolMemory, then in a temporary file.
type spool struct {
	buf      []byte
	file     *os.File
	unlinked bool
}

const spoolMemory = 4 << 20

func (sp *spool) write(b []byte) error {
	if sp.file == nil && len(sp.buf)+len(b) > spoolMemory {
		f, err := os.CreateTemp("", "export-report-*")
		if err != nil {
			return fmt.Errorf("spooling the report: %w", err)
		}
		sp.file = f
		// Unlink it at once where the system allows: the open file keeps
		// working, and nothing is left behind even if the process is killed.
		sp.unlinked = os.Remove(f.Name()) == nil
		if _, err := f.Write(sp.buf); err != nil {
			return fmt.Errorf("spooling the report: %w", err)
		}
		sp.buf = nil
	}
	if sp.file != nil {
		if _, err := sp.file.Write(b); err != nil {
			return fmt.Errorf("spooling the report: %w", err)
		}
		return nil
	}
	sp.buf = append(sp.buf, b...)
	return nil
}

func (sp *spool) copyTo(w io.Writer) error {
	if sp.file == nil {
		_, err := w.Write(sp.buf)
		return err
	}
	if _, err := sp.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, sp.file)
	return err
}

// reset empties the spool, to be written again.
func (sp *spool) reset() error {
	sp.buf = sp.buf[:0]
	if sp.file != nil {
		if err := sp.file.Truncate(0); err != nil {
			return fmt.Errorf("spooling the report: %w", err)
		}
		if _, err := sp.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("spooling the report: %w", err)
		}
	}
	return nil
}

// spoolWriter writes into a spool.
type spoolWriter struct{ sp *spool }

func (w spoolWriter) Write(b []byte) (int, error) {
	if err := w.sp.write(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (sp *spool) close() {
	if sp.file != nil {
		sp.file.Close()
		if !sp.unlinked {
			os.Remove(sp.file.Name())
		}
		sp.file = nil
	}
}
