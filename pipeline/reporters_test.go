package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"export/input"
)

var update = flag.Bool("update", false, "update the golden files in testdata/")

// reportFiles are the fixture files of testdata/report, in reading order.
func reportFiles(t *testing.T) []input.File {
	t.Helper()
	files, _, err := input.Collect([]string{"testdata/report"})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func runReport(t *testing.T, format string, strict bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, err := NewReporter(format, &buf, strict)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(context.Background(), reportFiles(t), rep, nil, Config{Strict: strict}); err != nil {
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

func TestJUnitReport(t *testing.T) {
	for _, strict := range []bool{false, true} {
		var doc struct {
			XMLName  xml.Name `xml:"testsuites"`
			Tests    int      `xml:"tests,attr"`
			Failures int      `xml:"failures,attr"`
			Suites   []struct {
				Tests, Failures int `xml:",attr"`
				Cases           []struct {
					Name     string `xml:"name,attr"`
					Failures []struct {
						Message string `xml:"message,attr"`
						Type    string `xml:"type,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(runReport(t, "junit", strict), &doc); err != nil {
			t.Fatalf("the junit report is not XML: %v", err)
		}
		cases, failures := 0, 0
		for _, s := range doc.Suites {
			cases += len(s.Cases)
			for _, c := range s.Cases {
				failures += len(c.Failures)
			}
		}
		if doc.Tests != cases || doc.Failures != failures || failures == 0 {
			t.Errorf("strict=%v: header says %d tests, %d failures; document has %d, %d", strict, doc.Tests, doc.Failures, cases, failures)
		}
	}
}

var githubLine = regexp.MustCompile(`^::(error|warning|notice) file=[^,:]+(,line=\d+)?(,col=\d+)?,title=[^:,]+::[^\n]+$`)

func TestGitHubReport(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(runReport(t, "github", false))), "\n")
	for _, l := range lines[:len(lines)-1] {
		if !githubLine.MatchString(l) {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	if got := ghData("50% a\nb"); got != "50%25 a%0Ab" {
		t.Errorf("ghData escaping: %q", got)
	}
	if got := ghProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("ghProperty escaping: %q", got)
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
