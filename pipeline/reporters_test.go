package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"export/input"
	"export/schema"
)

var update = flag.Bool("update", false, "update the golden files in testdata/")

// reportFiles are the fixture files of testdata/report, in reading order.
func reportFiles(t *testing.T) []input.File {
	t.Helper()
	files, _ := reportInputs(t)
	return files
}

// reportInputs are the fixture files of testdata/report, and what the walk
// skipped: the source text (which the dataset reads) and a file with a
// comma in its name, which is no dataset file.
func reportInputs(t *testing.T) ([]input.File, []input.Skipped) {
	t.Helper()
	files, skipped, err := input.Collect([]string{"testdata/report"})
	if err != nil {
		t.Fatal(err)
	}
	return files, skipped
}

func runReport(t *testing.T, format string, strict bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, err := NewReporter(format, &buf, strict)
	if err != nil {
		t.Fatal(err)
	}
	files, skipped := reportInputs(t)
	if _, err := Check(context.Background(), files, rep, nil, Config{Strict: strict, Skipped: skipped}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReportGolden compares every report format with its golden file.
// Regenerate with: go test ./pipeline -run TestReportGolden -update
func TestReportGolden(t *testing.T) {
	for _, format := range ReportFormats {
		for _, strict := range []bool{false, true} {
			name := "report." + format
			if strict {
				name = "report-strict." + format
			}
			t.Run(name, func(t *testing.T) {
				got := runReport(t, format, strict)
				golden := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./pipeline -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file (run go test ./pipeline -run TestReportGolden -update and read the diff):\n%s", name, got)
				}
			})
		}
	}
}

// textLine is the contract's compiler-style line.
var textLine = regexp.MustCompile(`^[^:]+:\d+(:\d+)?: (warning: )?([^:]+: )?([a-z_\[\]0-9]+: )?.+ \[[a-z0-9_]+\]$`)

func TestTextReportLines(t *testing.T) {
	out := strings.TrimSpace(string(runReport(t, "text", false)))
	lines := strings.Split(out, "\n")
	for _, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, "note: ") {
			continue
		}
		if !textLine.MatchString(l) {
			t.Errorf("not a compiler-style line: %q", l)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "INVALID: ") {
		t.Errorf("last line %q is not the summary", last)
	}
}

func TestJSONReport(t *testing.T) {
	var rep struct {
		Version  int `json:"report_version"`
		Problems []struct {
			Severity, File, Kind, ID, Field, Rule, Message string
			Line, Column                                   int
		}
		Summary struct {
			Valid            bool
			Errors, Warnings int
		}
	}
	if err := json.Unmarshal(runReport(t, "json", false), &rep); err != nil {
		t.Fatalf("the json report is not JSON: %v", err)
	}
	if rep.Version != 1 || rep.Summary.Valid || rep.Summary.Errors == 0 || len(rep.Problems) != rep.Summary.Errors+rep.Summary.Warnings {
		t.Errorf("report %+v", rep)
	}
	for _, p := range rep.Problems {
		if p.File == "" || p.Line == 0 || p.Rule == "" || p.Message == "" || (p.Severity != "error" && p.Severity != "warning") {
			t.Errorf("incomplete problem %+v", p)
		}
	}
}

// junitDoc is a JUnit report as encoding/xml reads it, with every
// attribute of each element.
type junitDoc struct {
	XMLName xml.Name   `xml:"testsuites"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Suites  []struct {
		Attrs []xml.Attr `xml:",any,attr"`
		Cases []struct {
			Attrs    []xml.Attr `xml:",any,attr"`
			Failures []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func attrNames(attrs []xml.Attr) []string {
	var names []string
	for _, a := range attrs {
		names = append(names, a.Name.Local)
	}
	return names
}

func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func attrInt(t *testing.T, attrs []xml.Attr, name string) int {
	t.Helper()
	n, err := strconv.Atoi(attr(attrs, name))
	if err != nil {
		t.Errorf("attribute %s: %v", name, err)
	}
	return n
}

// TestJUnitReport: one failure at most per test case, holding every
// problem of the item; failures count the test cases that failed; time
// everywhere; on a test case only the attributes the Jenkins xunit schema
// allows; the file on the suite, and the line in the failure's text.
func TestJUnitReport(t *testing.T) {
	for _, strict := range []bool{false, true} {
		var doc junitDoc
		if err := xml.Unmarshal(runReport(t, "junit", strict), &doc); err != nil {
			t.Fatalf("the junit report is not XML: %v", err)
		}
		results := collectResults(t, Config{Strict: strict})
		wantFailed := 0
		for _, r := range results {
			if r.Errors() > 0 || strict && len(r.Problems) > 0 {
				wantFailed++
			}
		}
		if !slices.Contains(attrNames(doc.Attrs), "time") {
			t.Errorf("strict=%v: testsuites has no time: %v", strict, attrNames(doc.Attrs))
		}
		cases, failed := 0, 0
		for _, s := range doc.Suites {
			file, sFailed := attr(s.Attrs, "file"), 0
			for _, c := range s.Cases {
				name := attr(c.Attrs, "name")
				if got := attrNames(c.Attrs); !slices.Equal(got, []string{"classname", "name", "time"}) {
					t.Errorf("strict=%v: test case %q has the attributes %v; want classname, name and time", strict, name, got)
				}
				if cn := attr(c.Attrs, "classname"); cn != file {
					t.Errorf("strict=%v: test case %q has classname %q in the suite of %q", strict, name, cn, file)
				}
				switch len(c.Failures) {
				case 0:
				case 1:
					sFailed++
					f := c.Failures[0]
					if f.Message == "" || f.Type == "" || !strings.Contains(f.Text, "\n  "+file+":") {
						t.Errorf("strict=%v: test case %q: failure %+v; want a message, a type, and a line per problem with its position", strict, name, f)
					}
				default:
					t.Errorf("strict=%v: test case %q has %d failures, want one at most", strict, name, len(c.Failures))
				}
			}
			if attrInt(t, s.Attrs, "tests") != len(s.Cases) || attrInt(t, s.Attrs, "failures") != sFailed ||
				attr(s.Attrs, "name") != file || !slices.Contains(attrNames(s.Attrs), "time") {
				t.Errorf("strict=%v: suite %v has %d test cases, %d failed", strict, s.Attrs, len(s.Cases), sFailed)
			}
			cases += len(s.Cases)
			failed += sFailed
		}
		if attrInt(t, doc.Attrs, "tests") != cases || attrInt(t, doc.Attrs, "failures") != failed || cases != len(results) ||
			failed != wantFailed || len(doc.Suites) != 3 {
			t.Errorf("strict=%v: header %v; %d suites have %d test cases, %d failed; want %d, %d failed",
				strict, doc.Attrs, len(doc.Suites), cases, failed, len(results), wantFailed)
		}
	}
}

// collectResults returns the results of checking the report fixture.
func collectResults(t *testing.T, cfg Config) []*Result {
	t.Helper()
	var col resultCollector
	if _, err := Check(context.Background(), reportFiles(t), &col, nil, cfg); err != nil {
		t.Fatal(err)
	}
	return col.results
}

type resultCollector struct{ results []*Result }

func (c *resultCollector) Result(r *Result) error {
	cp := *r
	cp.Problems = slices.Clone(r.Problems)
	c.results = append(c.results, &cp)
	return nil
}

func (c *resultCollector) Finish(*Summary) error { return nil }

// interopMissing skips, or with EXPORT_REQUIRE_INTEROP=1 (CI) fails, a
// test whose reader is missing: the same as in package output, whose
// "SKIPPED, NOT RUN: " message .ci/testsummary looks for.
func interopMissing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("EXPORT_REQUIRE_INTEROP") == "1" {
		t.Fatalf("EXPORT_REQUIRE_INTEROP=1, but %s", msg)
	}
	fmt.Fprintf(os.Stderr, "WARNING: %s SKIPPED: %s\n", t.Name(), msg) // seen without -v too
	t.Skip("SKIPPED, NOT RUN: " + msg)
}

// junitPython returns a Python interpreter with junitparser and lxml:
// $EXPORT_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH.
func junitPython(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("EXPORT_PYTHON"), "/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if p != "" && exec.Command(p, "-c", "import junitparser, lxml").Run() == nil {
			return p
		}
	}
	interopMissing(t, "Python with junitparser and lxml is not available: install the Debian packages python3-junitparser and python3-lxml (apt-get install python3-junitparser python3-lxml) to run this test")
	return ""
}

// junitCheck is what testdata/junit/check_junit.py says of one report.
type junitCheck struct {
	SchemaErrors []string `json:"schema_errors"`
	CountErrors  []string `json:"count_errors"`
	Suites       []struct {
		Name, File      string
		Tests, Failures int
		Time            *float64
		Cases           []struct {
			Classname, Name string
			Time            *float64
			Failure         *struct{ Message, Type, Text string }
		}
	}
}

// checkJUnit runs check_junit.py on the reports, and returns its exit
// code and what it says of each.
func checkJUnit(t *testing.T, python string, reports ...string) (int, []junitCheck) {
	t.Helper()
	cmd := exec.Command(python, append([]string{"testdata/junit/check_junit.py", "testdata/junit/junit-10.xsd"}, reports...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if stderr.Len() > 0 || code > 1 {
		t.Fatalf("check_junit.py: exit %d\n%s", code, &stderr)
	}
	var checks []junitCheck
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var c junitCheck
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("check_junit.py: %v\n%s", err, out)
		}
		checks = append(checks, c)
	}
	if len(checks) != len(reports) {
		t.Fatalf("check_junit.py said %d things of %d reports:\n%s", len(checks), len(reports), out)
	}
	return code, checks
}

// TestInteropJUnit reads the JUnit reports with junitparser and validates
// them against the Jenkins xunit plugin's JUnit schema (lxml), through
// testdata/junit/check_junit.py. Broken copies must fail.
func TestInteropJUnit(t *testing.T) {
	python := junitPython(t)
	dir := t.TempDir()
	var paths []string
	for _, strict := range []bool{false, true} {
		p := filepath.Join(dir, fmt.Sprintf("strict-%v.xml", strict))
		if err := os.WriteFile(p, runReport(t, "junit", strict), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	code, checks := checkJUnit(t, python, paths...)
	if code != 0 {
		t.Errorf("check_junit.py: exit %d: %+v", code, checks)
	}
	for i, strict := range []bool{false, true} {
		c := checks[i]
		if len(c.SchemaErrors) > 0 || len(c.CountErrors) > 0 {
			t.Errorf("strict=%v: %v %v", strict, c.SchemaErrors, c.CountErrors)
		}
		results := collectResults(t, Config{Strict: strict})
		var got []string
		for _, s := range c.Suites {
			for _, tc := range s.Cases {
				failed := ""
				if tc.Failure != nil {
					failed = " failed"
				}
				got = append(got, s.File+" "+tc.Name+failed)
				if tc.Time == nil || s.Time == nil {
					t.Errorf("strict=%v: %s: no time", strict, tc.Name)
				}
			}
		}
		var want []string
		for _, r := range results {
			failed := ""
			if r.Errors() > 0 || strict && len(r.Problems) > 0 {
				failed = " failed"
			}
			want = append(want, r.Pos.File+" "+junitCaseName(r)+failed)
		}
		if !slices.Equal(got, want) {
			t.Errorf("strict=%v: junitparser reads the test cases\n%s\nwant\n%s", strict, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	// Hostile file names, ids and messages: the reports are still valid,
	// and junitparser reads the names as the report escapes them.
	var hostile []string
	for i, name := range hostileNames {
		p := filepath.Join(dir, fmt.Sprintf("hostile-%d.xml", i))
		if err := os.WriteFile(p, runHostile(t, "junit", i%2 == 0, name, hostileNames[(i+1)%len(hostileNames)], "got "+name), 0o644); err != nil {
			t.Fatal(err)
		}
		hostile = append(hostile, p)
	}
	code, checks = checkJUnit(t, python, hostile...)
	if code != 0 {
		t.Errorf("check_junit.py on hostile names: exit %d", code)
	}
	for i, c := range checks {
		if len(c.SchemaErrors) > 0 || len(c.CountErrors) > 0 || len(c.Suites) != 1 || c.Suites[0].File != safeText(hostileNames[i]) ||
			len(c.Suites[0].Cases) != 4 || c.Suites[0].Cases[1].Classname != safeText(hostileNames[i]) {
			t.Errorf("hostile name %q: %+v", hostileNames[i], c)
		}
	}

	// Broken copies fail, each for its own change: the checks are not
	// vacuous.
	report := string(runReport(t, "junit", false))
	for _, tc := range []struct {
		name, old, new, want string
		schema               bool
	}{
		{"a file attribute on a test case", `<testcase classname="testdata/report/more.csv"`,
			`<testcase file="more.csv" classname="testdata/report/more.csv"`, "attribute 'file' is not allowed", true},
		{"a line attribute on a test case", `name="source kazakhstan-today" time="0"`,
			`name="source kazakhstan-today" time="0" line="3"`, "attribute 'line' is not allowed", true},
		{"a suite without its counts", `tests="3" failures="3" errors="0"`, ``, "attribute 'tests' is required", true},
		{"failures counting failure elements", `failures="8"`, `failures="13"`, "testsuites declares tests=9 failures=13", false},
		{"two failures in a test case", `</failure>`, `</failure><failure message="m" type="t">x</failure>`,
			"2 result elements, want at most one", false},
	} {
		if !strings.Contains(report, tc.old) {
			t.Fatalf("%s: the report lacks %q", tc.name, tc.old)
		}
		p := filepath.Join(dir, "broken.xml")
		if err := os.WriteFile(p, []byte(strings.Replace(report, tc.old, tc.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		code, checks := checkJUnit(t, python, p)
		errs := checks[0].CountErrors
		if tc.schema {
			errs = checks[0].SchemaErrors
		}
		if code != 1 || !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
			t.Errorf("%s: exit %d, errors %v; want exit 1 and %q", tc.name, code, errs, tc.want)
		}
	}
}

var githubLine = regexp.MustCompile(`^::(error|warning|notice) file=[^,:]+(,line=\d+)?(,col=\d+)?,title=[^:,]+::[^\n]+$`)

func TestGitHubReport(t *testing.T) {
	out := string(runReport(t, "github", false))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines[:len(lines)-1] {
		if !githubLine.MatchString(l) {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	// The source text is read, not skipped; the other file is skipped, its
	// name and the title escaped as properties.
	if strings.Contains(out, "kazakhstan-today-p190-191.txt,") || !strings.Contains(out,
		"::notice file=testdata/report/notes%2C draft.md,title=export%3A skipped::not a dataset file (") {
		t.Errorf("the skipped files are not as they should be:\n%s", out)
	}
	if got := ghData("50% a\nb"); got != "50%25 a%0Ab" {
		t.Errorf("ghData escaping: %q", got)
	}
	if got := ghProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("ghProperty escaping: %q", got)
	}
}

// TestSkippedLeavesOutTextsRead: what the walk skipped is reported, less
// the source texts the dataset read, in every format.
func TestSkippedLeavesOutTextsRead(t *testing.T) {
	files, skipped := reportInputs(t)
	if len(skipped) != 2 {
		t.Fatalf("the walk skipped %v; want the source text and the notes", skipped)
	}
	for _, format := range ReportFormats {
		var buf bytes.Buffer
		rep, _ := NewReporter(format, &buf, false)
		sum, err := Check(context.Background(), files, rep, nil, Config{Skipped: skipped})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Skipped) != 1 || filepath.Base(sum.Skipped[0].Path) != "notes, draft.md" {
			t.Errorf("summary lists %v as skipped; want only the notes", sum.Skipped)
		}
		if strings.Contains(buf.String(), "testdata/report/kazakhstan-today-p190-191.txt") {
			t.Errorf("%s report names the source text it read:\n%s", format, &buf)
		}
	}
	if len(skipped) != 2 {
		t.Errorf("Check changed the caller's list of skipped files: %v", skipped)
	}
}

// TestJUnitSpool checks that a large report spills to a temporary file and
// comes back whole.
func TestJUnitSpool(t *testing.T) {
	var buf bytes.Buffer
	rep, _ := NewReporter("junit", &buf, false)
	long := strings.Repeat("x", 1000)
	n := spoolMemory/1000 + 100
	for i := range n {
		rep.Result(&Result{Kind: "investment_total", ID: "r", Problems: []Problem{{Rule: "required", Message: long}}})
		_ = i
	}
	rep.Finish(&Summary{})
	if got := strings.Count(buf.String(), "<testcase "); got != n {
		t.Errorf("got %d test cases, want %d", got, n)
	}
}

// jsonKeys returns the keys of the JSON report as the README names them
// (summary.inputs[].path), from the types the report is encoded from.
func jsonKeys(prefix string, t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		key := prefix + name
		keys = append(keys, key)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			key += "[]"
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			keys = append(keys, jsonKeys(key+".", ft)...)
		}
	}
	return keys
}

// TestJSONReportKeysDocumented: the README documents every key of the
// JSON report, in its table of keys.
func TestJSONReportKeysDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n### Report formats\n")
	section, _, _ = strings.Cut(section, "\n### ")
	keys := append([]string{"report_version", "problems", "summary"}, jsonKeys("problems[].", reflect.TypeFor[jsonProblem]())...)
	keys = append(keys, jsonKeys("summary.", reflect.TypeFor[jsonSummary]())...)
	for _, k := range keys {
		if !strings.Contains(section, "\n| `"+k+"` | ") {
			t.Errorf("README.md's Report formats section does not document the json report's key %s (a table row | `%s` | …)", k, k)
		}
	}
	// And the keys are those the report writes.
	var rep map[string]any
	if err := json.Unmarshal(runReport(t, "json", false), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"summary.not_shown", "summary.skipped[].reason", "problems[].column"} {
		if !slices.Contains(keys, k) {
			t.Errorf("the key %s is missing from the list", k)
		}
	}
	if _, ok := rep["summary"].(map[string]any)["not_shown"]; !ok {
		t.Errorf("the json report has no summary.not_shown")
	}
}

// hostileNames are file names, ids and messages that would break or
// disguise a report line if a report printed them raw.
var hostileNames = []string{
	"a\n::error file=x::y.yaml",
	"\x1b[31mred\x1b[0m.yaml",
	"evil\u202egnp.yaml",
	"bad\xff\xfe.yaml",
	"tab\tcomma,colon:percent%25.yaml",
	"cr\rline\u2028sep\u0085nel.yaml",
	"zero\u200bwidth\ufeffbom\u00adsoft.yaml",
	"del\x7fc1\u009bcsi.yaml",
	"nul\x00.yaml",
	`quote" <tag> & 'apos'.yaml`,
	"]]>\U0001F600\U000E0041.yaml",
	"plain.yaml",
}

// hostileRun makes the results and summary of a run whose file names,
// ids and messages are name, id and message.
func hostileRun(name, id, message string) ([]*Result, *Summary) {
	pos := input.Position{File: name, Line: 3, Column: 5}
	results := []*Result{
		{Pos: input.Position{File: name, Line: 1}, Kind: KindSource, ID: id},
		{Pos: pos, Kind: "agreement_count", ID: id, Problems: []Problem{
			{Severity: schema.Error, Pos: pos, Field: id, Rule: "required", Message: message},
			{Severity: schema.Warning, Pos: pos, Field: "as_of", Rule: "recommended", Message: "is missing; see " + name},
			{Severity: schema.Error, Pos: pos, Field: "id", Rule: "unique_id", Message: "id " + id + " is already used by the record at " + name + ":1:1"},
		}},
		{Pos: input.Position{File: name, Line: 9}, Problems: []Problem{
			{Severity: schema.Error, Pos: input.Position{File: name, Line: 9, Column: 1}, Rule: "syntax", Message: "near " + message}}},
		{Pos: input.Position{File: name, Sheet: id, Line: 2, Column: 3}, Kind: "enterprise_count", ID: id, Problems: []Problem{
			{Severity: schema.Warning, Pos: input.Position{File: name, Sheet: id, Line: 2, Column: 3}, Field: "as_of", Rule: "recommended", Message: message}}},
	}
	sum := &Summary{Files: 1, Sources: 1, Records: 2, Errors: 3, Warnings: 2,
		Inputs:  []Input{{Path: name, SHA256: "00", Bytes: 1}},
		Skipped: []input.Skipped{{Path: name + ".txt", Reason: "not a dataset file"}, {Path: "x", Reason: message}}}
	return results, sum
}

// checkHostileReport checks a report of hostileRun: every character it
// holds is printable (strconv.IsPrint), a space or a line break, and each
// format keeps its structure: no problem splits a line or starts a line of
// its own, and the strings a program reads back are those of the run.
func checkHostileReport(t *testing.T, format string, strict bool, out []byte, name, id string) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("%s: not valid UTF-8:\n%q", format, out)
	}
	for _, r := range string(out) {
		if r != ' ' && r != '\n' && !strconv.IsPrint(r) {
			t.Fatalf("%s: holds the unprintable %U:\n%q", format, r, out)
		}
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	switch format {
	case "text":
		// 5 problems, 2 notes, the summary.
		if len(lines) != 8 || !strings.HasPrefix(lines[7], "INVALID: ") {
			t.Fatalf("text: %d lines, want 8:\n%s", len(lines), out)
		}
		for _, l := range lines[:5] {
			if !strings.HasPrefix(l, labelText(name)+":") || !regexp.MustCompile(` \[[a-z_]+\]$`).MatchString(l) {
				t.Errorf("text: a problem line %q does not start with the file %s and end with the rule", l, labelText(name))
			}
		}
		for _, l := range lines[5:7] {
			if !strings.HasPrefix(l, "note: skipped ") {
				t.Errorf("text: %q is not a note", l)
			}
		}
	case "github":
		if len(lines) != 8 {
			t.Fatalf("github: %d lines, want 8:\n%s", len(lines), out)
		}
		unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
		for _, l := range lines[:7] {
			m := regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`).FindStringSubmatch(l)
			if m == nil {
				t.Errorf("github: %q is not a workflow command", l)
				continue
			}
			props := map[string]string{}
			for _, kv := range strings.Split(m[2], ",") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || strings.ContainsAny(v, ":,") {
					t.Errorf("github: property %q of %q is not escaped", kv, l)
				}
				props[k] = unescape.Replace(v)
			}
			if f := props["file"]; f != safeText(name) && f != safeText(name+".txt") && f != "x" {
				t.Errorf("github: file %q, want %q", f, safeText(name))
			}
		}
	case "html":
		checkHostileHTML(t, out, name, 5)
	case "junit":
		var doc struct {
			Suites []struct {
				File  string `xml:"file,attr"`
				Cases []struct {
					Classname string `xml:"classname,attr"`
					Name      string `xml:"name,attr"`
					Failure   []struct {
						Message string `xml:"message,attr"`
						Text    string `xml:",chardata"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(out, &doc); err != nil {
			t.Fatalf("junit: %v\n%s", err, out)
		}
		cases := 0
		for _, s := range doc.Suites {
			if s.File != safeText(name) {
				t.Errorf("junit: suite file %q, want %q", s.File, safeText(name))
			}
			for _, c := range s.Cases {
				cases++
				if c.Classname != s.File || strings.Contains(c.Name, "\n") {
					t.Errorf("junit: test case %q of classname %q", c.Name, c.Classname)
				}
				for _, f := range c.Failure {
					// "N problems:", then each problem on a line, indented.
					for _, l := range strings.Split(strings.TrimSuffix(f.Text, "\n"), "\n")[1:] {
						if !strings.HasPrefix(l, "  "+labelText(name)+":") {
							t.Errorf("junit: failure line %q does not start with the file", l)
						}
					}
				}
			}
		}
		if cases != 4 {
			t.Errorf("junit: %d test cases, want 4", cases)
		}
	case "json":
		var rep struct {
			Problems []struct{ File, ID, Sheet string }
			Summary  struct {
				Inputs  []struct{ Path string }
				Skipped []struct{ Path, Reason string }
			}
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		// Exact, but for invalid UTF-8, which no JSON string can hold: each
		// byte reads U+FFFD, as a conversion to runes does.
		wantName, wantID := string([]rune(name)), string([]rune(id))
		if len(rep.Problems) != 5 || len(rep.Summary.Inputs) != 1 || rep.Summary.Inputs[0].Path != wantName {
			t.Fatalf("json: %+v", rep)
		}
		for _, p := range rep.Problems {
			if p.File != wantName || p.ID != wantID && p.ID != "" {
				t.Errorf("json: problem of file %q, id %q; want %q and %q", p.File, p.ID, wantName, wantID)
			}
		}
	}
}

func runHostile(t *testing.T, format string, strict bool, name, id, message string) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, err := NewReporter(format, &buf, strict)
	if err != nil {
		t.Fatal(err)
	}
	results, sum := hostileRun(name, id, message)
	for _, r := range results {
		if err := rep.Result(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := rep.Finish(sum); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReports: every report format, with any file name, id and message,
// keeps its structure and shows nothing unprintable (issue 10).
func FuzzReports(f *testing.F) {
	for i, n := range hostileNames {
		f.Add(n, hostileNames[(i+1)%len(hostileNames)], "got "+hostileNames[(i+2)%len(hostileNames)])
	}
	f.Fuzz(func(t *testing.T, name, id, message string) {
		if name == "" || id == "" {
			t.Skip("a file name and an id are never empty")
		}
		for _, format := range ReportFormats {
			for _, strict := range []bool{false, true} {
				checkHostileReport(t, format, strict, runHostile(t, format, strict, name, id, message), name, id)
			}
		}
	})
}

// TestSafeText pins the escapes.
func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text: 50% a,b":  "plain text: 50% a,b",
		"a\nb\r\tc":            `a\nb\r\tc`,
		"\x1b[31mred":          `\x1b[31mred`,
		"evil\u202egnp":        `evil\u202egnp`,
		"bad\xff\xfe":          `bad\xff\xfe`,
		"del\x7f c1\u009b":     `del\x7f c1\u009b`,
		`"quoted" \ back`:      `"quoted" \ back`,
		"nbsp\u00a0zw\u200b":   `nbsp\u00a0zw\u200b`,
		"emoji \U0001F600 ok":  "emoji \U0001F600 ok",
		"tag \U000E0041 hides": `tag \U000e0041 hides`,
		"\x0f":                 `\x0f`,
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %s, want %s", in, got, want)
		}
	}
	if got := string(jsonSafe([]byte(`{"a":"x` + "\u202e\u0085\U000E0041" + `y"}`))); got != `{"a":"x\u202e\u0085\udb40\udc41y"}` {
		t.Errorf("jsonSafe: %s", got)
	}
}
