package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// FuzzPipeline runs the whole pipeline on arbitrary bytes: bytes in, a
// report or outputs out. The fuzzer picks the dataset file's content, its
// format (the low two bits of mode: YAML, JSON, JSON Lines, CSV), whether
// warnings count as errors (bit 2: --strict) and whether the report stops
// after one error (bit 3: --max-errors 1), whether a second file declares
// the source the seeds cite (companion: a CSV file cannot declare sources),
// and the text of that source, against which quotes are verified.
//
// What must hold for any input:
//
//   - Check neither panics nor hangs (a watchdog fails a run that takes
//     longer than fuzzWatchdog) and returns no error: there is no I/O
//     error to report, so every problem with the data is in the report;
//   - every problem has a rule, a message and a position in one of the
//     input files, with a line (>= 1): the readers of these formats always
//     know the line, also for a problem with the whole file, and the
//     sources' own problems sit at their fields;
//   - the summary agrees with the problems: as many errors and warnings as
//     reported (plus those --max-errors left out, counted in NotShown),
//     valid_records_by_kind adds up to valid_records, the run fails exactly
//     when there are errors (or, with --strict, warnings), and a valid run
//     passed on every record it counted as valid;
//   - every report format is well-formed and says the same: the text report
//     has one compiler-style line per problem and a summary line, the json
//     report parses and its summary matches, the junit report parses as XML
//     with one failure per error (and per warning with --strict), the
//     github report is one workflow command per problem;
//   - Run agrees with Check; when the run fails, the output directory is
//     absent and nothing is left beside it; when it succeeds, the CSV,
//     JSON Lines and XLSX outputs read back with the input readers give
//     the records that were written: the same value in every column that
//     is read from input (derived columns are recomputed), up to what the
//     format documents (the CSV formula-injection apostrophe, numbers
//     rounded to 15 significant digits, an empty list written as an empty
//     cell in CSV and XLSX, the two forms of _xHHHH_ text a workbook does
//     not hold exactly).
//
// It is seeded with every dataset file of those formats among the examples
// and the test files (input/defaultdata, input/testdata, examples,
// pipeline/testdata/report, schema/testdata) and with the regression cases
// of the readers' fuzz targets.
//
// An input that reaches the writers takes milliseconds (the workbook and
// Parquet writers), so minimising a new input takes long: bound it.
//
//	go test ./pipeline -run '^$' -fuzz '^FuzzPipeline$' -fuzztime 10m -fuzzminimizetime 20x
func FuzzPipeline(f *testing.F) {
	text, err := os.ReadFile(filepath.Join("..", "input", "defaultdata", fuzzTextName))
	if err != nil {
		f.Fatal(err)
	}
	for _, dir := range []string{
		filepath.Join("..", "input", "defaultdata"),
		filepath.Join("..", "input", "testdata"),
		filepath.Join("..", "examples"),
		filepath.Join("testdata", "report"),
		filepath.Join("..", "schema", "testdata"),
	} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "fuzz" {
				return filepath.SkipDir
			}
			mode, ok := fuzzModeOf(input.FormatOf(path))
			if !ok || !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(mode, mode == 3, data, string(text))
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	// The regression cases of the readers' fuzz targets.
	for _, format := range fuzzFormats {
		target := map[string]string{input.FormatYAML: "FuzzYAML", input.FormatJSON: "FuzzJSON",
			input.FormatJSONL: "FuzzJSONL", input.FormatCSV: "FuzzCSV"}[format]
		dir := filepath.Join("..", "input", "testdata", "fuzz", target)
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			f.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			data, ok := corpusBytes(string(b))
			if !ok {
				f.Fatalf("%s: not a []byte corpus entry", filepath.Join(dir, e.Name()))
			}
			mode, _ := fuzzModeOf(format)
			f.Add(mode, false, data, string(text))
		}
	}
	f.Fuzz(func(t *testing.T, mode uint8, companion bool, data []byte, text string) {
		fuzzPipeline(t, mode, companion, data, text)
	})
}

// fuzzFormats are the formats FuzzPipeline feeds, by the low two bits of
// its mode.
var fuzzFormats = []string{input.FormatYAML, input.FormatJSON, input.FormatJSONL, input.FormatCSV}

func fuzzModeOf(format string) (uint8, bool) {
	i := slices.Index(fuzzFormats, format)
	return uint8(i), i >= 0
}

// corpusBytes decodes a "go test fuzz v1" file of one []byte value.
func corpusBytes(s string) ([]byte, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "go test fuzz v1\n"))
	if !strings.HasPrefix(s, "[]byte(") || !strings.HasSuffix(s, ")") {
		return nil, false
	}
	u, err := strconv.Unquote(s[len("[]byte(") : len(s)-1])
	return []byte(u), err == nil
}

const (
	fuzzTextName  = "kazakhstan-today-p190-191.txt"
	fuzzCompanion = "a-sources.yaml"
	// fuzzWatchdog is how long one input may take: far longer than any
	// input up to the fuzzer's size needs, even on a busy machine.
	fuzzWatchdog = 20 * time.Second
)

// companionYAML declares the source the seeds cite, for CSV files.
const companionYAML = `sources:
  - id: kazakhstan-today
    title: Kazakhstan today
    text: ` + fuzzTextName + "\n"

func fuzzPipeline(t *testing.T, mode uint8, companion bool, data []byte, text string) {
	watchdog := time.AfterFunc(fuzzWatchdog, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("FuzzPipeline: one input took more than %v: a hang\n%s", fuzzWatchdog, buf))
	})
	defer watchdog.Stop()

	format := fuzzFormats[mode&3]
	// As Run with every format, which writes a workbook, checks them: a
	// text that the workbook cannot hold is an error (README, XLSX).
	cfg := pipeline.Config{Strict: mode&4 != 0, Writes: []string{output.FormatXLSX}}
	if mode&8 != 0 {
		cfg.MaxErrors = 1
	}
	name := "data." + format
	fsys := fstest.MapFS{name: {Data: data}, fuzzTextName: {Data: []byte(text)}}
	names := []string{name}
	if companion {
		fsys[fuzzCompanion] = &fstest.MapFile{Data: []byte(companionYAML)}
		names = []string{fuzzCompanion, name}
	}
	var files []input.File
	for _, n := range names {
		files = append(files, input.FromFS(fsys, n, n))
	}

	// Check, with every report format at once.
	col := &fuzzCollector{}
	reports := map[string]*bytes.Buffer{}
	reps := fuzzTee{col}
	for _, format := range pipeline.ReportFormats {
		reports[format] = &bytes.Buffer{}
		rep, err := pipeline.NewReporter(format, reports[format], cfg.Strict)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	sum, err := pipeline.Check(context.Background(), files, reps, col, cfg)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if col.summary != sum {
		t.Fatalf("Finish got summary %p, Check returned %p", col.summary, sum)
	}
	shown := checkProblems(t, col, names, cfg)
	checkReports(t, reports, sum, shown, len(col.results), names)

	// Run, with every output format.
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	runCol := &fuzzCollector{}
	formats := output.Formats()
	runSum, written, err := pipeline.Run(context.Background(), files, runCol, pipeline.RunConfig{
		Config: cfg, OutDir: out, Formats: formats})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if runSum.Errors != sum.Errors || runSum.Warnings != sum.Warnings || runSum.Valid != sum.Valid ||
		runSum.Records != sum.Records || runSum.Sources != sum.Sources || runSum.NotShown != sum.NotShown {
		t.Fatalf("Run's summary %+v differs from Check's %+v", runSum, sum)
	}
	if sum.Failed() {
		if written != nil {
			t.Errorf("a failed run returned written files %v", written)
		}
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("a failed run left %s in the output directory's parent", e.Name())
		}
		return
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
		t.Fatalf("a valid run wrote no manifest: %v", err)
	}
	checkReadBack(t, out, col.records, slices.Contains(formats, output.FormatXLSX))
}

// fuzzCollector is a Reporter and a Sink that keeps what a run reports and
// passes on.
type fuzzCollector struct {
	results  []*pipeline.Result
	records  []schema.Record
	summary  *pipeline.Summary
	finished int
}

func (c *fuzzCollector) Result(r *pipeline.Result) error {
	cp := *r
	cp.Problems = slices.Clone(r.Problems)
	c.results = append(c.results, &cp)
	return nil
}

func (c *fuzzCollector) Finish(s *pipeline.Summary) error {
	c.summary = s
	c.finished++
	return nil
}

func (c *fuzzCollector) Write(r schema.Record) error { c.records = append(c.records, r); return nil }

// fuzzTee hands every result to several reporters.
type fuzzTee []pipeline.Reporter

func (tee fuzzTee) Result(r *pipeline.Result) error {
	for _, rep := range tee {
		if err := rep.Result(r); err != nil {
			return err
		}
	}
	return nil
}

func (tee fuzzTee) Finish(s *pipeline.Summary) error {
	for _, rep := range tee {
		if err := rep.Finish(s); err != nil {
			return err
		}
	}
	return nil
}

// shownCounts counts the problems a report shows, and the results that
// have errors, or any problem (a failed JUnit test case, in strict mode).
type shownCounts struct{ errors, warnings, failedResults, strictFailedResults int }

// checkProblems checks every problem's position, rule and message, and the
// summary's counts against them. It returns the counts shown.
func checkProblems(t *testing.T, col *fuzzCollector, names []string, cfg pipeline.Config) shownCounts {
	t.Helper()
	sum := col.summary
	if col.finished != 1 {
		t.Fatalf("Finish called %d times", col.finished)
	}
	var n shownCounts
	for _, r := range col.results {
		if r.Errors() > 0 {
			n.failedResults++
		}
		if len(r.Problems) > 0 {
			n.strictFailedResults++
		}
		switch r.Kind {
		case "", pipeline.KindSource:
		default:
			if _, ok := schema.LookupKind(r.Kind); !ok {
				t.Errorf("result at %v has kind %q", r.Pos, r.Kind)
			}
		}
		for _, p := range r.Problems {
			if !slices.Contains(names, p.Pos.File) || p.Pos.Line < 1 || p.Pos.Column < 0 || p.Pos.Sheet != "" {
				t.Errorf("problem %q [%s] at %+v: want a line of %q", p.Message, p.Rule, p.Pos, names)
			}
			if p.Rule == "" || p.Message == "" {
				t.Errorf("problem at %v has rule %q and message %q", p.Pos, p.Rule, p.Message)
			}
			if strings.ContainsAny(p.Message, "\r\n") {
				t.Errorf("problem at %v: the message %q spans lines", p.Pos, p.Message)
			}
			switch p.Severity {
			case schema.Error:
				n.errors++
			case schema.Warning:
				n.warnings++
			default:
				t.Errorf("problem at %v has severity %v", p.Pos, p.Severity)
			}
		}
	}
	if cfg.MaxErrors == 0 {
		if n.errors != sum.Errors || n.warnings != sum.Warnings || sum.NotShown != 0 {
			t.Errorf("reported %d errors and %d warnings; the summary counts %d and %d (%d not shown)",
				n.errors, n.warnings, sum.Errors, sum.Warnings, sum.NotShown)
		}
	} else {
		if n.errors > cfg.MaxErrors || n.errors+n.warnings+sum.NotShown != sum.Errors+sum.Warnings ||
			n.errors > sum.Errors || n.warnings > sum.Warnings {
			t.Errorf("reported %d errors and %d warnings (at most %d errors); the summary counts %d and %d, %d not shown",
				n.errors, n.warnings, cfg.MaxErrors, sum.Errors, sum.Warnings, sum.NotShown)
		}
	}
	byKind := 0
	for _, k := range sum.ValidByKind {
		byKind += k.Count
	}
	if byKind != sum.Valid || sum.Valid > sum.Records || sum.Valid < 0 {
		t.Errorf("summary: %d valid records by kind, %d valid, %d records", byKind, sum.Valid, sum.Records)
	}
	if sum.Failed() != (sum.Errors > 0 || (cfg.Strict && sum.Warnings > 0)) {
		t.Errorf("summary: Failed() = %v with %d errors, %d warnings, strict %v", sum.Failed(), sum.Errors, sum.Warnings, cfg.Strict)
	}
	// The sink gets each record as soon as it passes; a duplicate id
	// found later takes it back from the count, and fails the run.
	if len(col.records) < sum.Valid || (sum.Errors == 0 && len(col.records) != sum.Valid) {
		t.Errorf("the sink got %d records; the summary counts %d valid (%d errors)", len(col.records), sum.Valid, sum.Errors)
	}
	if sum.Files != len(names) || len(sum.Inputs) != len(names) {
		t.Errorf("summary: %d files, %d inputs; want %d", sum.Files, len(sum.Inputs), len(names))
	}
	return n
}

var (
	// textProblem is a problem line of the text report: a position in one
	// of the fuzzed files, then the message and the rule.
	textProblem = regexp.MustCompile(`^[a-z.-]+:\d+(:\d+)?: (warning: )?.* \[[a-z0-9_]+\]$`)
	textSummary = regexp.MustCompile(`^(valid|INVALID|INVALID \(--strict: warnings count as errors\)): \d+ records? in \d+ files?, \d+ errors?, \d+ warnings?$`)
	// githubCommand is a workflow command; properties escape ',' and ':'.
	githubCommand = regexp.MustCompile(`^::(error|warning) file=[a-z.-]+(,line=[1-9]\d*)(,col=[1-9]\d*)?,title=[^,:\r\n]*::[^\r\n]*$`)
	githubNotice  = regexp.MustCompile(`^::notice title=export::[^\r\n]*$`)
)

// checkReports checks that every report format is well-formed and counts
// what the run found.
func checkReports(t *testing.T, reports map[string]*bytes.Buffer, sum *pipeline.Summary, shown shownCounts, results int, names []string) {
	t.Helper()
	// text
	lines := strings.Split(strings.TrimSuffix(reports["text"].String(), "\n"), "\n")
	problems := 0
	for i, l := range lines {
		switch {
		case i == len(lines)-1:
			if !textSummary.MatchString(l) {
				t.Errorf("text report: the last line %q is not a summary", l)
			}
		case strings.HasPrefix(l, "note: "):
		case textProblem.MatchString(l):
			problems++
		default:
			t.Errorf("text report: line %q is neither a problem nor a note", l)
		}
	}
	if problems != shown.errors+shown.warnings {
		t.Errorf("text report: %d problem lines, want %d", problems, shown.errors+shown.warnings)
	}

	// html
	if n, valid := pipeline.CheckHTMLReport(t, reports["html"].Bytes()); n != min(shown.errors+shown.warnings, pipeline.HTMLMaxProblems) ||
		valid != strconv.FormatBool(!sum.Failed()) {
		t.Errorf("html report: %d problems, data-valid %s; want %d, %v", n, valid, shown.errors+shown.warnings, !sum.Failed())
	}

	// json
	var rep struct {
		Version  *int `json:"report_version"`
		Problems []struct {
			Severity, File, Kind, ID, Field, Rule, Message string
			Line, Column                                   int
		}
		Summary struct {
			Valid, Strict                             *bool
			Errors, Warnings, Records, Files, Sources int
			Skipped                                   []map[string]any
			NotShown                                  int            `json:"not_shown"`
			ValidRecords                              int            `json:"valid_records"`
			ValidByKind                               map[string]int `json:"valid_records_by_kind"`
			Inputs                                    []struct{ Path, SHA256 string }
		}
	}
	dec := json.NewDecoder(bytes.NewReader(reports["json"].Bytes()))
	if err := dec.Decode(&rep); err != nil {
		t.Errorf("json report: %v\n%s", err, reports["json"])
	} else {
		if _, err := dec.Token(); err != io.EOF {
			t.Errorf("json report: more after the object: %v", err)
		}
		s := rep.Summary
		if rep.Version == nil || *rep.Version != 1 || s.Valid == nil || *s.Valid == sum.Failed() ||
			s.Strict == nil || *s.Strict != sum.Strict || s.Sources != sum.Sources || s.Files != sum.Files ||
			s.Errors != sum.Errors || s.Warnings != sum.Warnings || s.Records != sum.Records ||
			s.NotShown != sum.NotShown || s.ValidRecords != sum.Valid || len(s.Inputs) != len(names) {
			t.Errorf("json report: summary %+v, want %+v", s, *sum)
		}
		if len(rep.Problems) != shown.errors+shown.warnings {
			t.Errorf("json report: %d problems, want %d", len(rep.Problems), shown.errors+shown.warnings)
		}
		for _, p := range rep.Problems {
			if !slices.Contains(names, p.File) || p.Line < 1 || p.Rule == "" || p.Message == "" ||
				(p.Severity != "error" && p.Severity != "warning") {
				t.Errorf("json report: problem %+v", p)
			}
		}
	}

	// junit
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name     string     `xml:"name,attr"`
				Failures []struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	d := xml.NewDecoder(bytes.NewReader(reports["junit"].Bytes()))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Errorf("junit report: not well-formed XML: %v\n%s", err, reports["junit"])
			break
		}
	}
	if err := xml.Unmarshal(reports["junit"].Bytes(), &suites); err != nil {
		t.Errorf("junit report: %v\n%s", err, reports["junit"])
	} else {
		// One suite per run of results of one file; failures counts the
		// test cases that failed, each with one failure element.
		wantFailures := shown.failedResults
		if sum.Strict {
			wantFailures = shown.strictFailedResults
		}
		failures, cases, suiteTests, suiteFailures := 0, 0, 0, 0
		for _, s := range suites.Suites {
			cases += len(s.Cases)
			suiteTests += s.Tests
			suiteFailures += s.Failures
			for _, c := range s.Cases {
				if len(c.Failures) > 1 {
					t.Errorf("junit report: test case %q has %d failure elements", c.Name, len(c.Failures))
				}
				failures += len(c.Failures)
			}
		}
		if len(suites.Suites) == 0 || suites.Tests != results || suiteTests != results || cases != results ||
			suites.Failures != wantFailures || suiteFailures != wantFailures || failures != wantFailures {
			t.Errorf("junit report: %d suites, tests %d, %d cases, failures %d and %d elements; want %d tests and %d failures",
				len(suites.Suites), suites.Tests, cases, suites.Failures, failures, results, wantFailures)
		}
	}

	// github
	lines = strings.Split(strings.TrimSuffix(reports["github"].String(), "\n"), "\n")
	var errs, warns int
	for i, l := range lines {
		switch {
		case i == len(lines)-1:
			if !textSummary.MatchString(l) {
				t.Errorf("github report: the last line %q is not a summary", l)
			}
		case githubCommand.MatchString(l):
			if strings.HasPrefix(l, "::error ") {
				errs++
			} else {
				warns++
			}
		case githubNotice.MatchString(l) && sum.NotShown > 0:
		default:
			t.Errorf("github report: line %q is not a workflow command", l)
		}
	}
	if errs != shown.errors || warns != shown.warnings {
		t.Errorf("github report: %d errors and %d warnings, want %d and %d", errs, warns, shown.errors, shown.warnings)
	}
}

// checkReadBack reads the CSV, JSON Lines and (when written) XLSX outputs
// in dir with the input readers and compares their records with those
// written.
func checkReadBack(t *testing.T, dir string, written []schema.Record, xlsx bool) {
	t.Helper()
	byKind := map[*schema.Kind][]schema.Record{}
	for _, r := range written {
		byKind[schema.KindOf(r)] = append(byKind[schema.KindOf(r)], r)
	}
	for _, format := range []string{input.FormatCSV, input.FormatJSONL} {
		for _, k := range schema.Kinds() {
			got := readBack(t, dir, k.Plural+"."+format)
			compareRecords(t, format, k, byKind[k], got)
		}
	}
	if !xlsx {
		return
	}
	got := readBack(t, dir, output.XLSXName)
	for _, k := range schema.Kinds() {
		var of []schema.Record
		for _, r := range got {
			if schema.KindOf(r) == k {
				of = append(of, r)
			}
		}
		compareRecords(t, input.FormatXLSX, k, byKind[k], of)
	}
}

// readBack reads the records of an output file with the input reader of
// its format. Reading must succeed without a problem.
func readBack(t *testing.T, dir, name string) []schema.Record {
	t.Helper()
	file := input.FromFS(os.DirFS(dir), name, name)
	rc, err := file.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r, err := input.Open(file, rc, input.Options{Only: input.OnlyRecords})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	var recs []schema.Record
	for {
		it, err := r.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatalf("reading back %s: %v", name, err)
		}
		for _, p := range it.Problems {
			t.Errorf("reading back %s: %v", name, p)
		}
		if it.Record == nil {
			t.Fatalf("reading back %s: the item at %v is no record", name, it.Pos)
		}
		recs = append(recs, it.Record)
	}
}

// compareRecords compares the records read back from one kind's output in
// format with those written, column by column, leaving out the derived
// columns (recomputed, never read).
func compareRecords(t *testing.T, format string, k *schema.Kind, want, got []schema.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s %s: read back %d records, wrote %d", format, k.Plural, len(got), len(want))
		return
	}
	for i := range want {
		for _, c := range k.Columns() {
			if c.Computed {
				continue
			}
			w, g := readBackCell(format, c, want[i], true), readBackCell(format, c, got[i], false)
			if !cellsEqual(w, g) {
				t.Errorf("%s %s %s: %s = %#v read back, %#v written", format, k.Plural, schema.ID(want[i]), c.Name, g, w)
			}
		}
	}
}

// readBackCell returns the value of column c in rec as a format carries it:
// nil when absent, a string or a []string. written says rec is the record
// as written, whose value the format may change as it documents.
func readBackCell(format string, c *schema.Column, rec schema.Record, written bool) any {
	if !c.Present(rec) {
		return nil
	}
	flat := format != input.FormatJSONL // CSV and XLSX have no list and no null
	switch c.Type {
	case schema.String, schema.Date:
		// The CSV formula guard is undone by the CSV reader: every format
		// reads back the text written.
		return c.Text(rec)
	case schema.Integer:
		n, _ := c.Int(rec)
		return strconv.FormatInt(n, 10)
	case schema.Number:
		d, _ := c.Decimal(rec)
		return d.String()
	case schema.TextMap:
		return output.EntriesText(c.Entries(rec)) // "field: reason" lines, compared as text
	case schema.Boolean:
		return strconv.FormatBool(c.Bool(rec))
	case schema.StringList:
		l := c.List(rec)
		if flat && len(l) == 0 {
			return nil // an empty list is an empty cell
		}
		return slices.Clone(l)
	}
	panic(fmt.Sprintf("column %s has type %v", c.Name, c.Type))
}

func cellsEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		s, ok := b.(string)
		return ok && s == a
	case []string:
		l, ok := b.([]string)
		return ok && slices.Equal(a, l)
	}
	return false
}
