package output

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"export/schema"
)

// These tests read the files back with parquet-go, the library that wrote
// them; formats_test.go compares their values with the other formats', and
// duckdb_interop_test.go reads them with DuckDB.

// writeParquet writes recs with a Parquet writer into a new directory and
// returns it with the files Finish described.
func writeParquet(t testing.TB, recs ...schema.Record) (string, []File) {
	t.Helper()
	return writeFormat(t, FormatParquet, &Meta{Tool: "export", Version: "test"}, recs...)
}

// readParquet opens a Parquet file and returns its rows as the library
// reconstructs them: column name to value (string, int64, float64, bool,
// int32 days for a DATE, []any for a LIST, nil for null).
func readParquet(t testing.TB, path string) (*parquet.File, []map[string]any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rd := parquet.NewReader(pf)
	defer rd.Close()
	var rows []map[string]any
	buf := make([]parquet.Row, 64)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			m := map[string]any{}
			if err := pf.Schema().Reconstruct(&m, row); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, m)
		}
		if err == io.EOF {
			return pf, rows
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// describeElement writes a schema element of a file's footer as
// "repetition TYPE name (LOGICAL)".
func describeElement(e format.SchemaElement) string {
	var b strings.Builder
	if rep, ok := e.RepetitionType.Get(); ok {
		b.WriteString(strings.ToLower(rep.String()) + " ")
	}
	if typ, ok := e.Type.Get(); ok {
		b.WriteString(typ.String() + " ")
	} else {
		b.WriteString("group ")
	}
	b.WriteString(e.Name)
	if lt := e.LogicalType.String(); lt != "" {
		b.WriteString(" (" + lt + ")")
	}
	return b.String()
}

// TestParquetSchema checks each file's schema, as its footer holds it,
// against the kind's columns: order, physical and logical types,
// nullability. It also checks the metadata that makes the bytes
// reproducible and the compression.
func TestParquetSchema(t *testing.T) {
	recs := []schema.Record{csvTestInvestment(), csvTestEnterprises()}
	dir, files := writeParquet(t, recs...)
	if len(files) != len(schema.Kinds())+1 {
		t.Fatalf("Finish returned %d files, want one per kind and sources.parquet", len(files))
	}
	if f := files[len(files)-1]; f.Name != "sources.parquet" || f.Rows["sources"] != 0 {
		t.Errorf("the last file is %+v, want sources.parquet", f)
	}
	for i, k := range schema.Kinds() {
		want := File{Name: k.Plural + ".parquet", Format: FormatParquet, Rows: map[string]int{k.Plural: 0}}
		if i < len(recs) {
			want.Rows[k.Plural] = 1
		}
		if !reflect.DeepEqual(files[i], want) {
			t.Errorf("file %d = %+v, want %+v", i, files[i], want)
		}

		var wantSchema []string
		wantSchema = append(wantSchema, fmt.Sprintf("group %s", k.Plural))
		for _, c := range k.TableColumns() {
			rep := "optional"
			if c.AlwaysPresent() {
				rep = "required"
			}
			switch c.Type {
			case schema.String:
				wantSchema = append(wantSchema, rep+" BYTE_ARRAY "+c.Name+" (STRING)")
			case schema.Integer:
				wantSchema = append(wantSchema, rep+" INT64 "+c.Name+" (INT(64,true))")
			case schema.Number:
				wantSchema = append(wantSchema, rep+" INT64 "+c.Name+" (DECIMAL(18,3))")
			case schema.Date:
				wantSchema = append(wantSchema, rep+" INT32 "+c.Name+" (DATE)")
			case schema.Boolean:
				wantSchema = append(wantSchema, rep+" BOOLEAN "+c.Name)
			case schema.TextMap:
				wantSchema = append(wantSchema, rep+" BYTE_ARRAY "+c.Name+" (STRING)")
			case schema.StringList:
				wantSchema = append(wantSchema, rep+" group "+c.Name+" (LIST)", "repeated group list",
					"required BYTE_ARRAY element (STRING)")
			}
		}
		pf, _ := readParquet(t, filepath.Join(dir, want.Name))
		md := pf.Metadata()
		var got []string
		for _, e := range md.Schema {
			got = append(got, describeElement(e))
		}
		if !reflect.DeepEqual(got, wantSchema) {
			t.Errorf("%s: schema\n%s\nwant\n%s", want.Name, strings.Join(got, "\n"), strings.Join(wantSchema, "\n"))
		}
		if md.CreatedBy != "export" || len(md.KeyValueMetadata) > 0 {
			t.Errorf("%s: created_by %q, key-value metadata %v; want export and none", want.Name, md.CreatedBy, md.KeyValueMetadata)
		}
		for _, rg := range md.RowGroups {
			for _, cc := range rg.Columns {
				if cc.MetaData.Codec != format.Gzip {
					t.Errorf("%s %v: codec %v, want GZIP", want.Name, cc.MetaData.PathInSchema, cc.MetaData.Codec)
				}
			}
		}
		if int(md.NumRows) != want.Rows[k.Plural] {
			t.Errorf("%s: %d rows, want %d", want.Name, md.NumRows, want.Rows[k.Plural])
		}
	}

	// The nullability that matters to a BI tool, spelled out.
	for _, tt := range []struct {
		kind, column string
		required     bool
	}{
		{"investment_total", "amount", true},
		{"investment_total", "as_of", true},
		{"investment_total", "sectors", false},
		{"investment_total", "page", false},
		{"investment_total", "quote_verified", true},
		{"investment_total", "input_line", true},
		{"investment_total", "kind", true},
		{"enterprise_count", "as_of", false},
		{"enterprise_count", "joint_ventures", false},
		{"agreement_count", "parties", true},
		{"agreement_count", "note", false},
	} {
		k, _ := schema.LookupKind(tt.kind)
		c, _ := k.Column(tt.column)
		if c.AlwaysPresent() != tt.required {
			t.Errorf("%s %s: required = %v, want %v", tt.kind, tt.column, !tt.required, tt.required)
		}
	}
}

func TestParquetValues(t *testing.T) {
	full := csvTestInvestment()
	full.Amount = amount("1234567.891")
	sparse := csvTestInvestment()
	sparse.ID, sparse.Sectors, sparse.Page, sparse.Note, sparse.AsOf = "sparse", nil, nil, "", "1969-12-31"
	sparse.QuoteVerified = false
	empty := csvTestInvestment()
	empty.ID, empty.Sectors = "empty-list", []string{}
	ent := csvTestEnterprises()
	dir, _ := writeParquet(t, full, ent, sparse, empty)

	_, rows := readParquet(t, filepath.Join(dir, "investment_totals.parquet"))
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, tt := range []struct {
		row    int
		column string
		want   any
	}{
		{0, "id", "kr-kz-investment"},
		{0, "kind", "investment_total"},
		{0, "amount", 1234567.891}, // DECIMAL(18,3), which parquet-go reconstructs as a float64
		{0, "as_of", int32(14152)}, // 2008-09-30
		{0, "sectors", []any{"construction", "trade"}},
		{0, "page", int64(191)},
		{0, "quote", full.Quote},
		{0, "quote_verified", true},
		{0, "input_line", int64(14)},
		{1, "as_of", int32(-1)},
		{1, "sectors", nil},
		{1, "page", nil},
		{1, "note", nil},
		{1, "quote_verified", false},
		{2, "sectors", []any{}},
	} {
		if got := rows[tt.row][tt.column]; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("row %d %s = %#v, want %#v", tt.row, tt.column, got, tt.want)
		}
	}

	_, rows = readParquet(t, filepath.Join(dir, "enterprise_counts.parquet"))
	want := map[string]any{"id": "kr-kz-enterprises", "kind": "enterprise_count", "partner": "KR", "host": "KZ",
		"enterprises": int64(300), "qualifier": "over", "joint_ventures": nil, "representative_offices": nil,
		"as_of": nil, "note": nil, "derived": nil, "source": "kazakhstan-today", "source_title": "", "page": nil, "citation": nil,
		"authority": nil, "quote": ent.Quote, "quote_verified": false, "input_file": "data/figures.yaml", "input_line": int64(40)}
	if len(rows) != 1 || !reflect.DeepEqual(rows[0], want) {
		t.Errorf("enterprise counts = %#v, want %#v", rows, want)
	}
}

// TestParquetRowGroups makes the row group bounds small and checks that
// the writer ends row groups by rows and by bytes, and that every row
// survives, in order.
func TestParquetRowGroups(t *testing.T) {
	defer func(rows int, bytes int64) { parquetRowGroupRows, parquetRowGroupBytes = rows, bytes }(parquetRowGroupRows, parquetRowGroupBytes)
	recs := func(n int, quote string) []schema.Record {
		var out []schema.Record
		for i := range n {
			r := csvTestInvestment()
			r.ID = fmt.Sprintf("inv-%05d", i)
			r.Quote = fmt.Sprintf("%s %d", quote, i)
			out = append(out, r)
		}
		return out
	}
	for _, tt := range []struct {
		name      string
		rows      int
		bytes     int64
		recs      []schema.Record
		minGroups int
		maxRows   int64
	}{
		{"by rows", 128, 1 << 30, recs(1000, "q"), 8, 128},
		{"by bytes", 1 << 20, 64 << 10, recs(2000, strings.Repeat("a long quote ", 40)), 8, 2000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parquetRowGroupRows, parquetRowGroupBytes = tt.rows, tt.bytes
			dir, _ := writeParquet(t, tt.recs...)
			pf, rows := readParquet(t, filepath.Join(dir, "investment_totals.parquet"))
			groups := pf.Metadata().RowGroups
			if len(groups) < tt.minGroups {
				t.Errorf("%d row groups, want at least %d", len(groups), tt.minGroups)
			}
			for i, g := range groups {
				if g.NumRows > tt.maxRows || g.NumRows == 0 {
					t.Errorf("row group %d has %d rows", i, g.NumRows)
				}
				// A row group ends once it has grown past the budget, so
				// it holds at most a batch more.
				if g.TotalByteSize > 2*tt.bytes {
					t.Errorf("row group %d has %d bytes, over twice the budget of %d", i, g.TotalByteSize, tt.bytes)
				}
			}
			if len(rows) != len(tt.recs) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.recs))
			}
			for i, r := range tt.recs {
				if rows[i]["id"] != schema.ID(r) || rows[i]["quote"] != r.(*schema.InvestmentTotal).Quote {
					t.Fatalf("row %d = %v, want %s", i, rows[i]["id"], schema.ID(r))
				}
			}
		})
	}
}

func TestParquetBadValues(t *testing.T) {
	noAmount := csvTestInvestment()
	noAmount.Amount = nil
	badDate := csvTestInvestment()
	badDate.AsOf = "30.09.2008"
	for _, r := range []*schema.InvestmentTotal{noAmount, badDate} {
		w, err := New(FormatParquet, t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(r); err == nil || !strings.Contains(err.Error(), "kr-kz-investment") {
			t.Errorf("Write(amount %v, as_of %s): %v, want an error naming the record", r.Amount, r.AsOf, err)
		}
		w.Close()
	}
}

// TestParquetLifecycle checks the Writer contract: Finish once, no Write
// after it, Close any number of times, and nothing removed by Close.
func TestParquetLifecycle(t *testing.T) {
	dir := t.TempDir()
	w, err := New(FormatParquet, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(csvTestInvestment()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Finish(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(csvTestInvestment()); err == nil {
		t.Error("Write after Finish succeeded")
	}
	if _, err := w.Finish(nil); err == nil {
		t.Error("Finish twice succeeded")
	}
	for range 2 {
		if err := w.Close(); err != nil {
			t.Errorf("Close after Finish: %v", err)
		}
	}
	if _, rows := readParquet(t, filepath.Join(dir, "investment_totals.parquet")); len(rows) != 1 {
		t.Errorf("%d rows after Close, want 1", len(rows))
	}

	// Closed without Finish (a failed run): the files stay, for the caller
	// to discard with the directory, and the writer refuses more.
	dir = t.TempDir()
	w, err = New(FormatParquet, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(csvTestEnterprises()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if err := w.Write(csvTestInvestment()); err == nil {
		t.Error("Write after Close succeeded")
	}
	if _, err := w.Finish(nil); err == nil {
		t.Error("Finish after Close succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("after Close the directory holds %v, want the three files", entries)
	}

	if _, err := New(FormatParquet, filepath.Join(dir, "missing"), Options{}); err == nil {
		t.Error("New into a missing directory succeeded")
	}
}
