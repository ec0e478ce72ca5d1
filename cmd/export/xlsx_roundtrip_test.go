package main

import (
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const sourceText = "../../input/defaultdata/kazakhstan-today-p190-191.txt"

// analystCopy puts the workbook of an output directory where an analyst
// keeps it: in a folder of its own, beside the source text that its
// sources sheet names (text is relative to the dataset file, as in every
// input format). It returns the workbook's path.
func analystCopy(t *testing.T, outDir string) string {
	t.Helper()
	dir := t.TempDir()
	// What the output directory holds: the workbook and the copies of the
	// source texts.
	err := filepath.WalkDir(outDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(outDir, p)
		if rel != "figures.xlsx" && !strings.HasPrefix(rel, "sources"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "figures.xlsx")
}

// readCSV reads a CSV file without the columns that say where a record was
// read (input_file, input_line).
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	rows := readCSVAll(t, path)
	var drop []int
	for i, name := range rows[0] {
		if name == "input_file" || name == "input_line" {
			drop = append(drop, i)
		}
	}
	for r, row := range rows {
		var kept []string
		for i, cell := range row {
			if !slices.Contains(drop, i) {
				kept = append(kept, cell)
			}
		}
		rows[r] = kept
	}
	return rows
}

// sameCSVs checks that two output directories hold the same CSV files with
// the same content, except input_file and input_line.
func sameCSVs(t *testing.T, a, b string) {
	t.Helper()
	names := func(dir string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		return m
	}
	if !slices.Equal(names(a), names(b)) || len(names(a)) != 4 {
		t.Fatalf("CSV files %q and %q; want the same four", names(a), names(b))
	}
	for _, name := range names(a) {
		ra, rb := readCSV(t, filepath.Join(a, name)), readCSV(t, filepath.Join(b, name))
		if len(ra) != len(rb) {
			t.Errorf("%s: %d rows, then %d", name, len(ra), len(rb))
			continue
		}
		for i := range ra {
			if !slices.Equal(ra[i], rb[i]) {
				t.Errorf("%s row %d:\n%q\nthen\n%q", name, i+1, ra[i], rb[i])
			}
		}
	}
}

// An analyst's round trip: export, read the workbook back, export again:
// the CSV files are the same but for where each record was read.
func TestXLSXRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paths func(t *testing.T) []string
	}{
		{"default dataset", func(*testing.T) []string { return nil }},
		{"awkward values", func(t *testing.T) []string {
			p := filepath.Join(t.TempDir(), "awkward.yaml")
			if err := os.WriteFile(p, []byte(awkward), 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{p}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out1 := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", "-o", out1, "--formats", "csv,xlsx"}, tc.paths(t)...)
			if code, stdout, stderr := exec(t, args...); code != 0 {
				t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
			}
			workbook := analystCopy(t, out1)
			out2 := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := exec(t, "run", "-o", out2, "--formats", "csv,xlsx", workbook)
			if code != 0 {
				t.Fatalf("export of the workbook: exit %d\n%s%s", code, stdout, stderr)
			}
			sameCSVs(t, out1, out2)

			// The records now come from the workbook's rows.
			rows := readCSVAll(t, filepath.Join(out2, "investment_totals.csv"))
			if file, line := column(rows, "input_file", 1), column(rows, "input_line", 1); file != workbook || line != "2" {
				t.Errorf("input_file %q, input_line %q; want %q and 2", file, line, workbook)
			}

			// And once more, from the workbook written from the workbook.
			out3 := filepath.Join(t.TempDir(), "out")
			if code, stdout, stderr := exec(t, "run", "-o", out3, "--formats", "csv,xlsx", analystCopy(t, out2)); code != 0 {
				t.Fatalf("second export of a workbook: exit %d\n%s%s", code, stdout, stderr)
			}
			sameCSVs(t, out2, out3)
		})
	}
}

// awkward holds values that a spreadsheet could change on the way: numbers
// with fractions and at the bounds, text that looks like a formula, a
// number, markup or an Excel escape, runs of spaces, and non-ASCII text.
const awkward = `sources:
  - id: nowhere
    title: "A title with ' and \" and <b>&amp;</b>"
    year: 1999
    url: https://example.org/a?b=c&d=e
records:
  - id: awkward-1
    kind: investment_total
    investor: KR
    recipient: KZ
    amount: 0.1
    currency: USD
    as_of: 1900-03-01
    sectors: [trade, energy]
    source: nowhere
    quote: "=1+1 is not a formula, and _x0041_ is not an A"
    note: "  leading and trailing spaces  "
    derived:
      amount: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      as_of: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      investor: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      recipient: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
  - id: awkward-2
    kind: investment_total
    investor: KZ
    recipient: KR
    amount: 10000000000000
    currency: KZT
    qualifier: under
    as_of: 9999-12-31
    source: nowhere
    page: 100000
    citation: "[44, pp 332-333]"
    authority: "Банк of Korea 한국은행 🏦"
    quote: "one line,   then 1234567.891 and 007 and 1E+3"
    derived:
      amount: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      as_of: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      page: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      investor: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      recipient: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
  - id: awkward-3
    kind: investment_total
    investor: KR
    recipient: KZ
    amount: 1234567.891
    currency: EUR
    as_of: 2024-02-29
    source: nowhere
    quote: "+44 20 7946 0958 looks like a number"
    derived:
      amount: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      as_of: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      investor: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      recipient: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
  - id: awkward-4
    kind: enterprise_count
    partner: KR
    host: KZ
    enterprises: 0
    joint_ventures: 0
    representative_offices: 0
    source: nowhere
    quote: "-1 looks negative but is text"
    derived:
      enterprises: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      joint_ventures: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      representative_offices: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      partner: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      host: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
  - id: awkward-5
    kind: agreement_count
    parties: [KZ, KR, US]
    documents: 9007199254740991
    areas: [culture, other]
    as_of: 2000-01-01
    source: nowhere
    quote: "@handle and 2008-09-30 as text"
    derived:
      documents: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      as_of: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
      parties: "=not from a source: an awkward value for the round trip; with a colon: and ; a semicolon"
`

// readCSVAll reads a CSV file whole.
func readCSVAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func column(rows [][]string, name string, row int) string {
	i := slices.Index(rows[0], name)
	if i < 0 || row >= len(rows) {
		return ""
	}
	return rows[row][i]
}

// A figure fixed wrongly in Excel is reported at its cell, in every report
// format, and nothing is written.
func TestXLSXEditedCell(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, stdout, stderr := exec(t, "run", "-o", out, "--formats", "xlsx"); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	workbook := analystCopy(t, out)
	f, err := excelize.OpenFile(workbook)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("enterprise_counts", "E1"); v != "enterprises" {
		t.Fatalf("enterprise_counts!E1 is %q; want the enterprises column", v)
	}
	f.SetCellValue("enterprise_counts", "E2", -1)
	f.SetCellValue("investment_totals", "H2", "30.09.2008")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, stdout, _ := exec(t, "validate", workbook)
	for _, want := range []string{
		workbook + ":investment_totals!H2: kr-kz-investment-2008-09: as_of: ",
		workbook + ":enterprise_counts!E2: kr-kz-enterprises: enterprises: ",
		"[gte]",
		"INVALID: 3 records in 1 file, 2 errors",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}

	_, stdout, _ = exec(t, "validate", "--report", "json", workbook)
	var report struct {
		Problems []map[string]any `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range report.Problems {
		if p["field"] == "enterprises" {
			found = true
			if p["file"] != workbook || p["sheet"] != "enterprise_counts" || p["line"] != 2.0 || p["column"] != 5.0 || p["rule"] != "gte" {
				t.Errorf("json problem %v; want file, sheet enterprise_counts, line 2, column 5, rule gte", p)
			}
		}
	}
	if !found {
		t.Errorf("json report has no problem with enterprises:\n%s", stdout)
	}

	_, stdout, _ = exec(t, "validate", "--report", "github", workbook)
	if !strings.Contains(stdout, ",line=2,col=5,title=export%3A enterprise_counts!E2%3A kr-kz-enterprises%3A enterprises [gte]::must be at least 0; got -1") {
		t.Errorf("github report:\n%s", stdout)
	}

	// run writes nothing.
	out2 := filepath.Join(t.TempDir(), "out")
	if code, _, _ := exec(t, "run", "-o", out2, workbook); code != 1 {
		t.Errorf("run: exit %d; want 1", code)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("run created %s", out2)
	}
}

// The output directory is self-contained: the workbook in it, unedited,
// validates as it is, with the copy of the source text in out/sources.
// Without that copy it cannot verify the quotes: that is an error at the
// source's text cell, as for any dataset file whose text is missing.
func TestXLSXWithoutSourceText(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, stdout, stderr := exec(t, "run", "-o", out, "--formats", "xlsx"); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	workbook := filepath.Join(out, "figures.xlsx")
	if code, stdout, _ := exec(t, "validate", "--quiet", workbook); code != 0 {
		t.Errorf("validate the unedited workbook in the output directory: exit %d\n%s", code, stdout)
	}
	if err := os.RemoveAll(filepath.Join(out, "sources")); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := exec(t, "validate", workbook)
	if want := workbook + `:sources!H2: kazakhstan-today: text: text file "sources/kazakhstan-today-p190-191.txt" not found next to ` + workbook; code != 1 || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and %q", code, stdout, want)
	}
}
