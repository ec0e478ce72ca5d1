package pipeline

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"export/schema"
)

// ReportFormats are the names NewReporter accepts.
var ReportFormats = []string{"text", "json", "junit", "github"}

// NewReporter returns a reporter that writes the report in format to w.
// In strict mode warnings are reported as failures where the format
// distinguishes them (junit).
func NewReporter(format string, w io.Writer, strict bool) (Reporter, error) {
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

// labelText returns an id or a field name as the input wrote it, quoted
// with Go escapes when it holds what would break or disguise a report line:
// a line break or other control character, invalid UTF-8, an invisible or
// bidirectional formatting character (an unknown column or key, an invalid
// id, come straight from the data).
func labelText(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
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
		fmt.Fprintf(t.w, "%s: %s%s%s [%s]\n", p.Pos, sev, label(r, p), p.Message, p.Rule)
	}
	return nil
}

func (t *textReporter) Finish(s *Summary) error {
	for _, sk := range s.Skipped {
		fmt.Fprintf(t.w, "note: skipped %s: %s\n", sk.Path, sk.Reason)
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
	Valid       bool             `json:"valid"`
	Strict      bool             `json:"strict"`
	Files       int              `json:"files"`
	Sources     int              `json:"sources"`
	Records     int              `json:"records"`
	ValidCount  int              `json:"valid_records"`
	ValidByKind map[string]int   `json:"valid_records_by_kind"`
	Errors      int              `json:"errors"`
	Warnings    int              `json:"warnings"`
	NotShown    int              `json:"not_shown"`
	Inputs      []jsonInput      `json:"inputs"`
	Skipped     []map[string]any `json:"skipped"`
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
		Inputs: []jsonInput{}, Skipped: []map[string]any{}}
	for _, k := range s.ValidByKind {
		sum.ValidByKind[k.Kind] = k.Count
	}
	for _, in := range s.Inputs {
		sum.Inputs = append(sum.Inputs, jsonInput(in))
	}
	for _, sk := range s.Skipped {
		sum.Skipped = append(sum.Skipped, map[string]any{"path": sk.Path, "reason": sk.Reason})
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
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
		props := []string{"file=" + ghProperty(p.Pos.File)}
		if p.Pos.Line > 0 {
			props = append(props, "line="+strconv.Itoa(p.Pos.Line))
		}
		if p.Pos.Column > 0 {
			props = append(props, "col="+strconv.Itoa(p.Pos.Column))
		}
		title := "export: " + strings.TrimSuffix(label(r, p), ": ") + " [" + p.Rule + "]"
		if cell := p.Pos.Cell(); cell != "" { // a workbook: line and col are the row and column
			title = "export: " + cell + ": " + strings.TrimPrefix(title, "export: ")
		}
		props = append(props, "title="+ghProperty(title))
		fmt.Fprintf(g.w, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(p.Message))
	}
	return nil
}

func (g *githubReporter) Finish(s *Summary) error {
	for _, sk := range s.Skipped {
		fmt.Fprintf(g.w, "::notice file=%s,title=export: skipped::%s\n", ghProperty(sk.Path), ghData(sk.Reason))
	}
	if s.NotShown > 0 {
		fmt.Fprintf(g.w, "::notice title=export::%s\n", ghData(plural(s.NotShown, "more problem")+" not shown (--max-errors)"))
	}
	fmt.Fprintln(g.w, summaryLine(s))
	return g.w.Flush()
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// junitReporter writes a JUnit XML document: one test case per source and
// record (and per unreadable part of a file), one failure per error. A late
// result (a duplicate id of a large run, found at the end) is a test case
// of its own, "KIND ID: unique id", so that no test case is both passed
// and failed.
// Warnings are failures in strict mode and system-out text otherwise. The
// test cases are spooled (to a temporary file once large), because the
// counts come first in the document.
type junitReporter struct {
	w        *bufio.Writer
	strict   bool
	spool    spool
	tests    int
	failures int
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitCase struct {
	XMLName   xml.Name       `xml:"testcase"`
	Classname string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	File      string         `xml:"file,attr,omitempty"`
	Line      int            `xml:"line,attr,omitempty"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

func (j *junitReporter) Result(r *Result) error {
	name := r.Kind + " " + r.ID
	switch {
	case r.Kind == "":
		name = "reading " + r.Pos.String()
	case r.Late:
		name += ": unique id"
	case r.ID == "":
		name = r.Kind + " at line " + strconv.Itoa(r.Pos.Line)
	}
	c := junitCase{Classname: r.Pos.File, Name: name, File: r.Pos.File, Line: r.Pos.Line}
	var out []string
	for i := range r.Problems {
		p := &r.Problems[i]
		line := fmt.Sprintf("%s: %s%s [%s]", p.Pos, label(r, p), p.Message, p.Rule)
		if p.Severity == schema.Warning && !j.strict {
			out = append(out, "warning: "+line)
			continue
		}
		c.Failures = append(c.Failures, junitFailure{Message: label(r, p) + p.Message, Type: p.Rule, Text: line})
	}
	c.SystemOut = strings.Join(out, "\n")
	j.tests++
	j.failures += len(c.Failures)
	b, err := xml.MarshalIndent(c, "    ", "  ")
	if err != nil {
		return err
	}
	return j.spool.write(append(b, '\n'))
}

func (j *junitReporter) Finish(s *Summary) error {
	defer j.spool.close()
	fmt.Fprintf(j.w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(j.w, "<testsuites name=\"export validate\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", j.tests, j.failures)
	fmt.Fprintf(j.w, "  <testsuite name=\"export validate\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", j.tests, j.failures)
	if err := j.spool.copyTo(j.w); err != nil {
		return fmt.Errorf("reading back the spooled JUnit report: %w", err)
	}
	j.w.WriteString("  </testsuite>\n</testsuites>\n")
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

func (sp *spool) close() {
	if sp.file != nil {
		sp.file.Close()
		if !sp.unlinked {
			os.Remove(sp.file.Name())
		}
		sp.file = nil
	}
}
