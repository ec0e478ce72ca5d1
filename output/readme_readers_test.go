package output_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"export/output"
	"export/schema"
)

// listSep joins a list's items in a CSV cell (output's listSep).
const listSep = ";"

// The README's "For BI" section reads every table with its documented
// types, in DuckDB and in pandas. The statements are generated from the
// schema (go test ./output -run TestREADMEReaders -update rewrites them
// between their markers), and the tests below run them as printed, on the
// files export writes.

const readmePath = "../README.md"

// readmeOut is the output directory the README's statements read from; the
// tests put a temporary directory in its place.
const readmeOut = "out/"

// readerTables are the tables a run writes, kinds first, then sources.
func readerTables() []duckdbTable {
	var tables []duckdbTable
	for _, k := range schema.Kinds() {
		tables = append(tables, duckdbTable{name: k.Plural, columns: k.Columns()})
	}
	return append(tables, duckdbTable{name: schema.SourceTable().Name, columns: schema.SourceTable().Columns})
}

// duckdbREADME is the README's block of DuckDB statements: one per table
// and text format, each naming every column's type (auto-detection guesses
// from the values: a whole-number amount becomes BIGINT, an empty column
// VARCHAR, a text of digits a number). Parquet needs none: it carries them.
func duckdbREADME() string {
	var b strings.Builder
	b.WriteString("```sql\n-- Parquet carries the types:\n")
	for _, tb := range readerTables() {
		fmt.Fprintf(&b, "SELECT * FROM read_parquet('%s%s.parquet');\n", readmeOut, tb.name)
	}
	b.WriteString("-- CSV: every column, by name; a list is text, its items joined by '" + listSep + "'\n")
	b.WriteString("-- (string_split(sectors, '" + listSep + "') makes it a list again):\n")
	for _, tb := range readerTables() {
		fmt.Fprintf(&b, "SELECT * FROM read_csv('%s%s.csv', types = %s);\n", readmeOut, tb.name,
			duckdbStruct(duckdbTypes(fileColumns(tb.columns, ".csv"), ".csv")))
	}
	b.WriteString("-- JSON Lines: every column, in order:\n")
	for _, tb := range readerTables() {
		fmt.Fprintf(&b, "SELECT * FROM read_json('%s%s.jsonl', format = 'newline_delimited', columns = %s);\n", readmeOut, tb.name,
			duckdbStruct(duckdbTypes(fileColumns(tb.columns, ".jsonl"), ".jsonl")))
	}
	b.WriteString("```\n")
	return b.String()
}

// duckdbStruct writes pairs as a DuckDB struct literal, a few to a line.
func duckdbStruct(pairs [][2]string) string {
	var b strings.Builder
	b.WriteString("{")
	for i, p := range pairs {
		if i%4 == 0 {
			b.WriteString("\n    ")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "'%s': '%s'", p[0], strings.ReplaceAll(p[1], "'", "''"))
		if i < len(pairs)-1 {
			b.WriteString(",")
		}
	}
	b.WriteString("\n}")
	return b.String()
}

// pandasDtype is the dtype pandas gives a column read from CSV as the
// README says, and how the README asks for it: "dtype", "dates" or
// "decimal" (a converter to decimal.Decimal: pandas has no exact decimal
// dtype, and float64 would round).
func pandasDtype(c *schema.Column) (dtype, how string) {
	switch c.Type {
	case schema.Integer:
		return "Int64", "dtype" // nullable: an empty cell is <NA>, not a float NaN
	case schema.Number:
		return "object", "decimal"
	case schema.Date:
		return "datetime64[ns]", "dates"
	case schema.Boolean:
		return "boolean", "dtype"
	}
	return "string", "dtype"
}

// pandasREADME is the README's block of pandas statements, one per table.
func pandasREADME() string {
	var b strings.Builder
	b.WriteString("```python\nimport decimal\nimport pandas as pd\n\n")
	b.WriteString("na = dict(keep_default_na=False, na_values=[\"\"])  # an empty cell is missing; \"NA\" is text\n")
	for _, tb := range readerTables() {
		var dtypes, dates, decimals []string
		for _, c := range fileColumns(tb.columns, ".csv") {
			switch dtype, how := pandasDtype(c); how {
			case "dtype":
				dtypes = append(dtypes, fmt.Sprintf("%q: %q", c.Name, dtype))
			case "dates":
				dates = append(dates, fmt.Sprintf("%q", c.Name))
			case "decimal":
				decimals = append(decimals, fmt.Sprintf("%q: decimal.Decimal", c.Name))
			}
		}
		fmt.Fprintf(&b, "%s = pd.read_csv(%q, **na, dtype={", tb.name, readmeOut+tb.name+".csv")
		for i, d := range dtypes {
			if i%4 == 0 {
				b.WriteString("\n    ")
			} else {
				b.WriteString(" ")
			}
			b.WriteString(d)
			if i < len(dtypes)-1 {
				b.WriteString(",")
			}
		}
		b.WriteString("\n}")
		if len(decimals) > 0 {
			fmt.Fprintf(&b, ", converters={%s}", strings.Join(decimals, ", "))
		}
		if len(dates) > 0 {
			fmt.Fprintf(&b, ", parse_dates=[%s]", strings.Join(dates, ", "))
		}
		b.WriteString(")\n")
	}
	b.WriteString("```\n")
	return b.String()
}

// readmeBlock returns the text between the README's markers for name
// (<!-- name: ... --> and <!-- end name -->), and the whole README.
func readmeBlock(t *testing.T, name string) (block string, readme []byte, start, end int) {
	t.Helper()
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	open := regexp.MustCompile(`<!-- ` + regexp.QuoteMeta(name) + `: [^>]*-->\n`).FindIndex(readme)
	closing := bytes.Index(readme, []byte("<!-- end "+name+" -->"))
	if open == nil || closing < open[1] {
		t.Fatalf("README.md has no block <!-- %s: ... --> ... <!-- end %s -->", name, name)
	}
	return string(readme[open[1]:closing]), readme, open[1], closing
}

// checkREADMEBlock fails when the README's block name is not want, or
// rewrites it with -update.
func checkREADMEBlock(t *testing.T, name, want string) {
	t.Helper()
	got, readme, start, end := readmeBlock(t, name)
	if got == want {
		return
	}
	if updatingGolden() {
		updated := append(append(append([]byte(nil), readme[:start]...), want...), readme[end:]...)
		if err := os.WriteFile(readmePath, updated, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's %s block is not what the schema says (go test ./output -run TestREADMEReaders -update rewrites it):\n%s\nwant:\n%s", name, got, want)
}

// TestREADMEReaders checks that the README's DuckDB and pandas blocks are
// the ones the schema gives.
func TestREADMEReaders(t *testing.T) {
	checkREADMEBlock(t, "duckdb", duckdbREADME())
	checkREADMEBlock(t, "pandas", pandasREADME())
}

// readmeStatements returns the README's DuckDB statements reading from
// dir, keyed by the file each reads.
func readmeStatements(t *testing.T, dir string) map[string]string {
	t.Helper()
	block, _, _, _ := readmeBlock(t, "duckdb")
	statements := map[string]string{}
	file := regexp.MustCompile(`'` + regexp.QuoteMeta(readmeOut) + `([a-z_]+\.[a-z]+)'`)
	for _, s := range strings.Split(block, ";\n") {
		s = strings.TrimPrefix(s, "```sql\n")
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(l, "--") && !strings.HasPrefix(l, "```") {
				lines = append(lines, l)
			}
		}
		s = strings.TrimSpace(strings.Join(lines, "\n"))
		m := file.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		statements[m[1]] = strings.Replace(s, "'"+readmeOut, "'"+filepath.ToSlash(dir)+"/", 1)
	}
	return statements
}

// TestInteropPandasREADME runs the README's pandas block on the files written for
// the default dataset and checks every column's dtype, the row counts and
// that amounts come out exact.
func TestInteropPandasREADME(t *testing.T) {
	python := pythonWith("pandas")
	if python == "" {
		interopMissing(t, "EXPORT_REQUIRE_INTEROP", "Python's pandas is not installed: install it with apt-get install python3-pandas to run this test")
	}
	block, _, _, _ := readmeBlock(t, "pandas")
	code := strings.TrimSuffix(strings.TrimPrefix(block, "```python\n"), "```\n")

	recs, meta := defaultRecords(t)
	meta = withGeneratedSource(meta)
	dir := t.TempDir()
	writeFormats(t, dir, []string{output.FormatCSV}, recs, meta)
	code = strings.ReplaceAll(code, `"`+readmeOut, `"`+filepath.ToSlash(dir)+"/")

	var names []string
	for _, tb := range readerTables() {
		names = append(names, tb.name)
	}
	namesJSON, _ := json.Marshal(names) // a Python list too
	code += fmt.Sprintf(`
import json, sys
report = {}
for name in %s:
    frame = globals()[name]
    report[name] = {
        "rows": len(frame),
        "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
        "decimals": {c: [str(v) for v in frame[c] if isinstance(v, decimal.Decimal)] for c in frame.columns},
    }
json.dump(report, sys.stdout)
`, namesJSON)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", code)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var report map[string]struct {
		Rows     int
		Dtypes   map[string]string
		Decimals map[string][]string
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("python printed %v: %s", err, out)
	}

	for _, tb := range readerTables() {
		got := report[tb.name]
		var rows []any
		for _, s := range meta.Sources {
			if tb.name == schema.SourceTable().Name {
				rows = append(rows, s)
			}
		}
		for _, r := range recs {
			if tb.name != schema.SourceTable().Name && schema.KindOf(r).Plural == tb.name {
				rows = append(rows, r)
			}
		}
		if got.Rows != len(rows) {
			t.Errorf("%s: pandas read %d rows, want %d", tb.name, got.Rows, len(rows))
		}
		columns := fileColumns(tb.columns, ".csv")
		if len(got.Dtypes) != len(columns) {
			t.Errorf("%s: pandas read %d columns, want %d: %v", tb.name, len(got.Dtypes), len(columns), got.Dtypes)
		}
		for _, c := range columns {
			want, _ := pandasDtype(c)
			if got.Dtypes[c.Name] != want {
				t.Errorf("%s: %s is %s in pandas, want %s", tb.name, c.Name, got.Dtypes[c.Name], want)
			}
			if c.Type != schema.Number {
				continue
			}
			var exact []string
			for _, r := range rows {
				d, _ := c.Decimal(r)
				exact = append(exact, d.String())
			}
			if strings.Join(got.Decimals[c.Name], " ") != strings.Join(exact, " ") {
				t.Errorf("%s: %s is %v in pandas, want %v", tb.name, c.Name, got.Decimals[c.Name], exact)
			}
		}
	}
}
