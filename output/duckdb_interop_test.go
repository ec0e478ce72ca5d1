package output_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"export/output"
	"export/schema"
)

// TestInteropDuckDB loads the CSV, JSON Lines and Parquet outputs of the default
// dataset and of 10,000 generated records into DuckDB, a BI-side engine
// nobody on the team wrote, through its Node.js package (@duckdb/node-api,
// pinned in testdata/duckdb/package-lock.json), and checks what DuckDB
// makes of them: the column types, the row counts and how many values of
// each column are not null.
//
// Each file is read twice: as a BI user would first try, with DuckDB's
// auto-detection, and with the explicit types the README recommends for
// CSV and JSON Lines (Parquet carries its types). Auto-detection types a
// column from its values, so it can only type what the data shows: a
// column without any value (as_of of the default dataset's counts, page)
// comes out VARCHAR from CSV and JSON from JSON Lines, and amounts that
// are all whole numbers come out BIGINT. The explicit types give the
// intended types whatever the data.
//
// Without node or the package the test skips, loudly; with
// EXPORT_REQUIRE_INTEROP=1 (set by CI) it fails instead. Install with:
//
//	npm ci --prefix output/testdata/duckdb
func TestInteropDuckDB(t *testing.T) {
	node := duckdbNode(t)
	script := filepath.Join("testdata", "duckdb", "load.mjs")

	defaultRecs, meta := defaultRecords(t)
	genMeta := &output.Meta{Tool: "export", Version: "test", Sources: []*schema.Source{{
		ID: "generated", Title: "A generated source", Year: 2024, URL: "https://example.org/generated",
	}}}
	datasets := []struct {
		name string
		recs []schema.Record
		meta *output.Meta
	}{
		{"default", defaultRecs, meta},
		{"generated", genRecords(10000), genMeta},
	}

	var specs []duckdbSpec
	var want []duckdbWant
	for _, ds := range datasets {
		dir := t.TempDir()
		writeFormats(t, dir, []string{output.FormatCSV, output.FormatJSONL, output.FormatParquet}, ds.recs, ds.meta)
		tables := []duckdbTable{{name: schema.SourceTable().Name, columns: schema.SourceTable().Columns}}
		for _, s := range ds.meta.Sources {
			tables[0].rows = append(tables[0].rows, s)
		}
		for _, k := range schema.Kinds() {
			tb := duckdbTable{name: k.Plural, columns: k.Columns()}
			for _, r := range ds.recs {
				if schema.KindOf(r) == k {
					tb.rows = append(tb.rows, r)
				}
			}
			tables = append(tables, tb)
		}
		for _, tb := range tables {
			for _, ext := range []string{".csv", ".jsonl", ".parquet"} {
				if tb.name == schema.SourceTable().Name && ext != ".csv" {
					continue // sources.csv comes with CSV only
				}
				path := filepath.Join(dir, tb.name+ext)
				for _, explicit := range []bool{false, true} {
					if explicit && ext == ".parquet" {
						continue
					}
					spec := duckdbSpec{Path: path}
					if explicit {
						spec.Types = duckdbTypes(fileColumns(tb.columns, ext), ext)
					}
					specs = append(specs, spec)
					want = append(want, duckdbWant{dataset: ds.name, table: tb, ext: ext, explicit: explicit})
				}
			}
		}
	}

	got := duckdbRun(t, node, script, specs)
	if len(got) != len(want) {
		t.Fatalf("DuckDB reported %d files, want %d", len(got), len(want))
	}
	for i, w := range want {
		w.check(t, got[i])
	}
}

// duckdbSpec is one file for load.mjs to load.
type duckdbSpec struct {
	Path string `json:"path"`
	// Types are [column, type] pairs, in column order (a JSON object
	// would not keep the order, and read_json's columns give it).
	Types [][2]string `json:"types,omitempty"`
}

// duckdbResult is what load.mjs reports for a file.
type duckdbResult struct {
	Path    string `json:"path"`
	Reader  string `json:"reader"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Rows    int            `json:"rows"`
	NonNull map[string]int `json:"nonNull"`
	Error   string         `json:"error"`
}

// duckdbTable is a table that was written, with its rows (records or
// sources).
type duckdbTable struct {
	name    string
	columns []*schema.Column
	rows    []any
}

// duckdbWant is what DuckDB should make of one file.
type duckdbWant struct {
	dataset  string
	table    duckdbTable
	ext      string
	explicit bool
}

// duckdbType is the DuckDB type a column should have when read from a file
// with extension ext: CSV has no lists, so a list is VARCHAR there.
func duckdbType(c *schema.Column, ext string) string {
	switch c.Type {
	case schema.Integer:
		return "BIGINT"
	case schema.Number:
		return "DECIMAL(18,3)"
	case schema.TextMap:
		if ext == ".jsonl" {
			return "MAP(VARCHAR, VARCHAR)"
		}
		return "VARCHAR"
	case schema.SpanMap:
		return `MAP(VARCHAR, STRUCT("text" VARCHAR, "start" BIGINT, "end" BIGINT))`
	case schema.Date:
		return "DATE"
	case schema.Boolean:
		return "BOOLEAN"
	case schema.StringList:
		if ext == ".csv" {
			return "VARCHAR"
		}
		return "VARCHAR[]"
	}
	return "VARCHAR"
}

// fileColumns returns the columns a file with extension ext has: JSON
// Lines has them all, the table formats all but stated.
func fileColumns(columns []*schema.Column, ext string) []*schema.Column {
	if ext == ".jsonl" {
		return columns
	}
	var out []*schema.Column
	for _, c := range columns {
		if c.InTables() {
			out = append(out, c)
		}
	}
	return out
}

// duckdbTypes are the explicit types the README recommends: for CSV, the
// columns that are not text (read_csv's types = {...}); for JSON Lines
// every column (read_json's columns = {...} must list them all).
func duckdbTypes(columns []*schema.Column, ext string) [][2]string {
	var types [][2]string
	for _, c := range columns {
		if typ := duckdbType(c, ext); ext != ".csv" || typ != "VARCHAR" {
			types = append(types, [2]string{c.Name, typ})
		}
	}
	return types
}

func (w duckdbWant) check(t *testing.T, got duckdbResult) {
	t.Helper()
	mode := "auto-detected"
	if w.explicit {
		mode = "explicit types"
	}
	where := fmt.Sprintf("%s dataset, %s%s, %s", w.dataset, w.table.name, w.ext, mode)
	if got.Error != "" {
		t.Errorf("%s: DuckDB: %s\n(%s)", where, got.Error, got.Reader)
		return
	}
	if got.Rows != len(w.table.rows) {
		t.Errorf("%s: %d rows, want %d", where, got.Rows, len(w.table.rows))
	}
	columns := fileColumns(w.table.columns, w.ext)
	if len(got.Columns) != len(columns) {
		t.Errorf("%s: %d columns, want %d: %v", where, len(got.Columns), len(columns), got.Columns)
		return
	}
	for i, c := range columns {
		g := got.Columns[i]
		if g.Name != c.Name {
			t.Errorf("%s: column %d is %s, want %s", where, i+1, g.Name, c.Name)
			continue
		}
		// Values that are not null: a CSV cell has no null, so an empty
		// text or list is null there.
		nonNull, whole, empty := 0, true, true
		for _, r := range w.table.rows {
			if c.Type == schema.SpanMap && len(c.Spans(r)) > 0 {
				empty = false
			}
			if !c.Present(r) || w.ext == ".csv" && flatCell(wantCell(c, r)) == "" {
				continue
			}
			nonNull++
			if c.Type == schema.Number {
				d, _ := c.Decimal(r)
				whole = whole && d.Milli()%1000 == 0
			}
		}
		if got.NonNull[c.Name] != nonNull {
			t.Errorf("%s: %s has %d values that are not null, want %d", where, c.Name, got.NonNull[c.Name], nonNull)
		}
		want := duckdbType(c, w.ext)
		switch {
		case g.Type == want:
		case !w.explicit && w.ext != ".parquet" && nonNull == 0:
			// Nothing to detect a type from: VARCHAR (CSV) or JSON.
			t.Logf("%s: %s, without any value, is %s", where, c.Name, g.Type)
		case !w.explicit && w.ext != ".parquet" && c.Type == schema.Number && whole && g.Type == "BIGINT":
			t.Logf("%s: %s, all whole numbers, is BIGINT", where, c.Name)
		case !w.explicit && w.ext != ".parquet" && c.Type == schema.Number && g.Type == "DOUBLE":
			// Text holds no declared type: the README says to give it.
			t.Logf("%s: %s, auto-detected, is DOUBLE", where, c.Name)
		case !w.explicit && c.Type == schema.SpanMap && (empty && g.Type == "MAP(VARCHAR, JSON)" || strings.HasPrefix(g.Type, "STRUCT(")):
			// DuckDB makes an object of the keys it sees a STRUCT; the
			// README gives the MAP type.
			t.Logf("%s: %s, auto-detected, is %s", where, c.Name, g.Type)
		default:
			t.Errorf("%s: %s is %s, want %s", where, c.Name, g.Type, want)
		}
	}
}

// duckdbNode returns the node command, after checking that the DuckDB
// package is installed; without either the test skips (or fails in CI).
func duckdbNode(t *testing.T) string {
	t.Helper()
	const how = "npm ci --prefix output/testdata/duckdb (Node.js 20 or later)"
	missing := func(what string) {
		t.Helper()
		interopMissing(t, "EXPORT_REQUIRE_INTEROP", fmt.Sprintf("%s: install it with %s to run this test", what, how))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node (Node.js) is not on PATH")
	}
	if _, err := os.Stat(filepath.Join("testdata", "duckdb", "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		missing("the npm package @duckdb/node-api is not installed")
	}
	return node
}

// duckdbRun runs load.mjs on specs and decodes its report.
func duckdbRun(t *testing.T, node, script string, specs []duckdbSpec) []duckdbResult {
	t.Helper()
	b, err := json.Marshal(specs)
	if err != nil {
		t.Fatal(err)
	}
	specFile := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(specFile, b, 0o666); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, specFile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	var results []duckdbResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("node %s printed %v:\n%s\n%s", script, err, out, stderr.String())
	}
	return results
}
