package output

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"export/schema"
)

// amount returns a pointer to the Decimal s, for record literals.
func amount(s string) *schema.Decimal {
	d := schema.MustDecimal(s)
	return &d
}

// csvTestInvestment returns a valid investment record with every optional
// field set; tests change the fields they are about.
func csvTestInvestment() *schema.InvestmentTotal {
	return &schema.InvestmentTotal{
		Base:      schema.Base{ID: "kr-kz-investment"},
		Investor:  "KR",
		Recipient: "KZ",
		Amount:    amount("3000000000"),
		Currency:  "USD",
		Qualifier: "about",
		AsOf:      "2008-09-30",
		Sectors:   []string{"construction", "trade"},
		Note:      "A note.",
		Provenance: schema.Provenance{
			Source:        "kazakhstan-today",
			SourceTitle:   "Kazakhstan today",
			Page:          new(int64(191)),
			Citation:      "[44, pp 332-333]",
			Authority:     "National Bank of Kazakhstan",
			Quote:         `Its total investment has reached about $3bn, "as of" 30 September 2008.`,
			QuoteVerified: true,
			InputFile:     "data/figures.yaml",
			InputLine:     14,
		},
	}
}

func csvTestEnterprises() *schema.EnterpriseCount {
	return &schema.EnterpriseCount{
		Base:        schema.Base{ID: "kr-kz-enterprises"},
		Partner:     "KR",
		Host:        "KZ",
		Enterprises: new(int64(300)),
		Qualifier:   "over",
		Provenance: schema.Provenance{
			Source:    "kazakhstan-today",
			Quote:     "Over 300 enterprises are operating in Kazakhstan.",
			InputFile: "data/figures.yaml",
			InputLine: 40,
		},
	}
}

// cellOf formats one column of rec as the CSV writer does.
func cellOf(t *testing.T, table *schema.Table, rec any, column string) string {
	t.Helper()
	c, ok := table.Column(column)
	if !ok {
		t.Fatalf("table %s has no column %s", table.Name, column)
	}
	return csvCell(c, rec)
}

// investmentWith returns csvTestInvestment changed by change.
func investmentWith(change func(r *schema.InvestmentTotal)) schema.Record {
	r := csvTestInvestment()
	change(r)
	return r
}

// enterprisesWith returns csvTestEnterprises changed by change.
func enterprisesWith(change func(r *schema.EnterpriseCount)) schema.Record {
	r := csvTestEnterprises()
	change(r)
	return r
}

func TestCSVCell(t *testing.T) {
	inv, ent := investmentWith, enterprisesWith
	tests := []struct {
		name   string
		rec    schema.Record
		column string
		want   string
	}{
		// Amounts: exact plain decimals, never an exponent.
		{"billions", inv(func(r *schema.InvestmentTotal) {}), "amount", "3000000000"},
		{"fraction", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("2.5") }), "amount", "2.5"},
		{"maximum", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("1e13") }), "amount", "10000000000000"},
		{"large with fraction", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("123456789012.345") }), "amount", "123456789012.345"},
		{"fifteen digits", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("9999999999999.99") }), "amount", "9999999999999.99"},
		{"a thousandth", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("0.001") }), "amount", "0.001"},
		{"negative number is not neutralised", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("-5") }), "amount", "-5"},
		{"integer", ent(func(r *schema.EnterpriseCount) {}), "enterprises", "300"},
		{"large integer is exact", ent(func(r *schema.EnterpriseCount) { r.Enterprises = new(int64(9007199254740993)) }), "enterprises", "9007199254740993"},
		{"negative integer is not neutralised", ent(func(r *schema.EnterpriseCount) { r.Enterprises = new(int64(-3)) }), "enterprises", "-3"},
		{"optional zero is present", ent(func(r *schema.EnterpriseCount) { r.JointVentures = new(int64(0)) }), "joint_ventures", "0"},
		{"input line", inv(func(r *schema.InvestmentTotal) {}), "input_line", "14"},

		// Absent optional values are empty cells.
		{"absent integer", ent(func(r *schema.EnterpriseCount) {}), "joint_ventures", ""},
		{"absent page", ent(func(r *schema.EnterpriseCount) {}), "page", ""},
		{"absent text", ent(func(r *schema.EnterpriseCount) {}), "note", ""},
		{"absent date", ent(func(r *schema.EnterpriseCount) {}), "as_of", ""},
		{"absent list", inv(func(r *schema.InvestmentTotal) { r.Sectors = nil }), "sectors", ""},

		// Dates, lists, booleans, the kind column.
		{"date", inv(func(r *schema.InvestmentTotal) {}), "as_of", "2008-09-30"},
		{"list", inv(func(r *schema.InvestmentTotal) {}), "sectors", "construction;trade"},
		{"one-element list", inv(func(r *schema.InvestmentTotal) { r.Sectors = []string{"trade"} }), "sectors", "trade"},
		{"true", inv(func(r *schema.InvestmentTotal) {}), "quote_verified", "true"},
		{"false", ent(func(r *schema.EnterpriseCount) {}), "quote_verified", "false"},
		{"kind", ent(func(r *schema.EnterpriseCount) {}), "kind", "enterprise_count"},
		{"text kept as is", inv(func(r *schema.InvestmentTotal) {}), "quote", `Its total investment has reached about $3bn, "as of" 30 September 2008.`},

		// Formula injection: text and list cells starting with = + - @ TAB CR.
		{"equals", inv(func(r *schema.InvestmentTotal) { r.Note = "=1+2" }), "note", "'=1+2"},
		{"plus", inv(func(r *schema.InvestmentTotal) { r.Note = "+1 more" }), "note", "'+1 more"},
		{"minus", inv(func(r *schema.InvestmentTotal) { r.Citation = "-see above" }), "citation", "'-see above"},
		{"at", inv(func(r *schema.InvestmentTotal) { r.Authority = "@SUM(A1)" }), "authority", "'@SUM(A1)"},
		{"tab", inv(func(r *schema.InvestmentTotal) { r.Quote = "\t=cmd|' /C calc'!A0" }), "quote", "'\t=cmd|' /C calc'!A0"},
		{"carriage return", inv(func(r *schema.InvestmentTotal) { r.Quote = "\r=1" }), "quote", "'\r=1"},
		{"list first element", inv(func(r *schema.InvestmentTotal) { r.Sectors = []string{"-x", "trade"} }), "sectors", "'-x;trade"},
		{"list later element", inv(func(r *schema.InvestmentTotal) { r.Sectors = []string{"trade", "=x"} }), "sectors", "trade;=x"},
		{"not first", inv(func(r *schema.InvestmentTotal) { r.Note = "a=b+c-d@e" }), "note", "a=b+c-d@e"},
		{"hyphen inside", inv(func(r *schema.InvestmentTotal) {}), "citation", "[44, pp 332-333]"},
		{"space before", inv(func(r *schema.InvestmentTotal) { r.Note = " =1" }), "note", " =1"},
		{"apostrophe already", inv(func(r *schema.InvestmentTotal) { r.Note = "'=1" }), "note", "''=1"},
		{"apostrophes already", inv(func(r *schema.InvestmentTotal) { r.Note = "'''\t1" }), "note", "''''\t1"},
		{"apostrophe, no formula", inv(func(r *schema.InvestmentTotal) { r.Note = "'tis 1=1" }), "note", "'tis 1=1"},
		{"apostrophe alone", inv(func(r *schema.InvestmentTotal) { r.Note = "''" }), "note", "''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cellOf(t, schema.KindOf(tt.rec).Table(), tt.rec, tt.column)
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.column, got, tt.want)
			}
		})
	}
}

func TestCSVCellSource(t *testing.T) {
	src := &schema.Source{ID: "kazakhstan-today", Title: "=Kazakhstan today", Pages: "190-191"}
	table := schema.SourceTable()
	for column, want := range map[string]string{
		"id":        "kazakhstan-today",
		"title":     "'=Kazakhstan today",
		"pages":     "190-191",
		"year":      "", // 0 is absent
		"publisher": "",
	} {
		if got := cellOf(t, table, src, column); got != want {
			t.Errorf("%s = %q, want %q", column, got, want)
		}
	}
	src.Year = 2009
	if got := cellOf(t, table, src, "year"); got != "2009" {
		t.Errorf("year = %q, want 2009", got)
	}
}

// writeCSV writes recs and sources with a CSV writer and returns the
// directory and the files Finish described.
func writeCSV(t *testing.T, opts Options, sources []*schema.Source, recs ...schema.Record) (string, []File) {
	t.Helper()
	dir := t.TempDir()
	w, err := New(FormatCSV, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Finish(&Meta{Tool: "export", Version: "test", Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	return dir, files
}

// readCSVFile parses a CSV file back with encoding/csv, after its BOM.
func readCSVFile(t *testing.T, path string, bom bool) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := bytes.HasPrefix(b, []byte(utf8BOM)); got != bom {
		t.Errorf("%s: starts with a BOM: %v, want %v", filepath.Base(path), got, bom)
	}
	if bytes.Contains(b, []byte("\r")) {
		t.Errorf("%s holds a carriage return: line endings must be \\n on every platform", filepath.Base(path))
	}
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("%s does not end with a newline", filepath.Base(path))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(utf8BOM)))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return rows
}

func columnNames(columns []*schema.Column) []string {
	var names []string
	for _, c := range columns {
		names = append(names, c.Name)
	}
	return names
}

func TestCSVWriter(t *testing.T) {
	inv := csvTestInvestment()
	inv.Quote = "A quote with a comma, a \"quote\" and\na line break."
	ent := csvTestEnterprises()
	sources := []*schema.Source{{ID: "kazakhstan-today", Title: "Kazakhstan today", Year: 2009}, {ID: "other", Title: "Other"}}

	for _, bom := range []bool{false, true} {
		dir, files := writeCSV(t, Options{CSVBOM: bom}, sources, inv, ent, csvTestInvestment())

		wantFiles := []File{
			{Name: "investment_totals.csv", Format: FormatCSV, Rows: map[string]int{"investment_totals": 2}},
			{Name: "enterprise_counts.csv", Format: FormatCSV, Rows: map[string]int{"enterprise_counts": 1}},
			{Name: "agreement_counts.csv", Format: FormatCSV, Rows: map[string]int{"agreement_counts": 0}},
			{Name: "sources.csv", Format: FormatCSV, Rows: map[string]int{"sources": 2}},
		}
		if got := checkDigests(t, dir, files); !reflect.DeepEqual(got, wantFiles) {
			t.Errorf("Finish returned\n%+v\nwant\n%+v", got, wantFiles)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != len(wantFiles) {
			t.Errorf("the directory holds %d files, want %d", len(entries), len(wantFiles))
		}

		for _, k := range schema.Kinds() {
			rows := readCSVFile(t, filepath.Join(dir, k.Plural+".csv"), bom)
			if len(rows) == 0 || !slices.Equal(rows[0], columnNames(k.TableColumns())) {
				t.Errorf("%s header = %q, want the kind's columns", k.Plural, rows)
			}
		}
		rows := readCSVFile(t, filepath.Join(dir, "investment_totals.csv"), bom)
		if len(rows) != 3 {
			t.Fatalf("investment_totals.csv has %d rows, want a header and 2", len(rows))
		}
		cols := columnNames(schema.KindOf(inv).TableColumns())
		got := map[string]string{}
		for i, name := range cols {
			got[name] = rows[1][i]
		}
		for name, want := range map[string]string{
			"id": "kr-kz-investment", "kind": "investment_total", "amount": "3000000000",
			"as_of": "2008-09-30", "sectors": "construction;trade", "quote": inv.Quote,
			"quote_verified": "true", "input_file": "data/figures.yaml", "input_line": "14", "page": "191",
		} {
			if got[name] != want {
				t.Errorf("investment row %s = %q, want %q", name, got[name], want)
			}
		}
		if rows := readCSVFile(t, filepath.Join(dir, "agreement_counts.csv"), bom); len(rows) != 1 {
			t.Errorf("agreement_counts.csv has %d rows, want only the header", len(rows))
		}
		srcRows := readCSVFile(t, filepath.Join(dir, "sources.csv"), bom)
		if len(srcRows) != 3 || !slices.Equal(srcRows[0], columnNames(schema.SourceTable().Columns)) {
			t.Fatalf("sources.csv = %q", srcRows)
		}
		year := slices.Index(srcRows[0], "year")
		if srcRows[1][year] != "2009" || srcRows[2][year] != "" {
			t.Errorf("sources.csv years = %q, %q; want 2009 and empty", srcRows[1][year], srcRows[2][year])
		}
	}
}

// TestCSVQuoting checks RFC 4180 quoting on the raw bytes: a field with a
// comma, a quote or a line break is quoted, quotes are doubled, and the
// line break inside the field stays "\n".
func TestCSVQuoting(t *testing.T) {
	inv := csvTestInvestment()
	inv.Quote = "He said \"about $3bn\", then\nmore."
	dir, _ := writeCSV(t, Options{}, nil, inv)
	b, err := os.ReadFile(filepath.Join(dir, "investment_totals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `,"He said ""about $3bn"", then` + "\n" + `more.",`; !strings.Contains(string(b), want) {
		t.Errorf("investment_totals.csv does not hold %q:\n%s", want, b)
	}
}

func TestCSVWriterLifecycle(t *testing.T) {
	dir := t.TempDir()
	w, err := New(FormatCSV, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Finish(nil); err != nil {
		t.Fatalf("Finish(nil): %v", err)
	}
	if err := w.Write(csvTestInvestment()); err == nil {
		t.Error("Write after Finish succeeded")
	}
	if _, err := w.Finish(&Meta{}); err == nil {
		t.Error("a second Finish succeeded")
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close after Finish: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}

	// Close without Finish closes the files and removes none of them.
	dir = t.TempDir()
	w, err = New(FormatCSV, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(csvTestInvestment()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(schema.Kinds()) {
		t.Errorf("after Close the directory holds %d files, want %d", len(entries), len(schema.Kinds()))
	}

	if _, err := New(FormatCSV, filepath.Join(dir, "missing"), Options{}); err == nil {
		t.Error("New in a missing directory succeeded")
	}
}
