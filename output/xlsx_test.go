package output_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// xlsxNopReporter discards the results of a check.
type xlsxNopReporter struct{}

func (xlsxNopReporter) Result(*pipeline.Result) error  { return nil }
func (xlsxNopReporter) Finish(*pipeline.Summary) error { return nil }

// xlsxRun is one workbook written by xlsxWrite.
type xlsxRun struct {
	path  string
	files []output.File
	meta  *output.Meta
	recs  []schema.Record // every record written, in order
}

// xlsxWrite validates the embedded dataset and writes its records, then
// extra, as figures.xlsx in a new directory. edit, if not nil, may change
// the Meta before Finish.
func xlsxWrite(t testing.TB, edit func(*output.Meta), extra ...schema.Record) *xlsxRun {
	t.Helper()
	dir, tmp := t.TempDir(), t.TempDir()
	w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	run := &xlsxRun{path: filepath.Join(dir, output.XLSXName)}
	sink := xlsxSink(func(r schema.Record) error { run.recs = append(run.recs, r); return w.Write(r) })
	sum, err := pipeline.Check(context.Background(), input.Embedded(), xlsxNopReporter{}, sink, pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed() || sum.Valid != 3 {
		t.Fatalf("the embedded dataset: %d valid records, %d errors; want 3 and none", sum.Valid, sum.Errors)
	}
	for _, r := range extra {
		if err := sink.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	run.meta = &output.Meta{Tool: "export", Version: "1.2.3-test", Sources: embeddedSources(t),
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		run.meta.Inputs = append(run.meta.Inputs, output.Input{Path: in.Path, SHA256: in.SHA256, Bytes: in.Bytes})
	}
	if edit != nil {
		edit(run.meta)
	}
	files, err := w.Finish(run.meta)
	if err != nil {
		t.Fatal(err)
	}
	output.CheckDigests(t, dir, files)
	run.files = files
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left after Close: %v", left)
	}
	return run
}

type xlsxSink func(schema.Record) error

func (s xlsxSink) Write(r schema.Record) error { return s(r) }

// xlsxInvestment returns a valid investment total built by hand, its text
// fields starting with what a spreadsheet would take for a formula.
func xlsxInvestment(id string, amount string) *schema.InvestmentTotal {
	page := int64(12)
	d := schema.MustDecimal(amount)
	return &schema.InvestmentTotal{
		Base:     schema.Base{ID: id},
		Investor: "KR", Recipient: "KZ", Amount: &d, Currency: "USD", Qualifier: "exact",
		AsOf: "2024-12-31", Sectors: []string{"trade", "finance"}, Note: "=1+1",
		Provenance: schema.Provenance{Source: "kazakhstan-today", SourceTitle: "Kazakhstan today", Page: &page,
			Citation: "@x", Authority: "+x", Quote: "-a quote that starts with a minus", InputFile: "by-hand.yaml", InputLine: 7},
	}
}

// xlsxOpen opens a workbook for reading.
func xlsxOpen(t testing.TB, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// xlsxRef returns the cell of column name of a kind in row (1 = header).
func xlsxRef(t testing.TB, k *schema.Kind, name string, row int) string {
	t.Helper()
	for i, c := range k.TableColumns() {
		if c.Name == name {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			return ref
		}
	}
	t.Fatalf("kind %s has no column %s", k.Name, name)
	return ""
}

func xlsxKind(t testing.TB, name string) *schema.Kind {
	t.Helper()
	k, ok := schema.LookupKind(name)
	if !ok {
		t.Fatalf("no kind %s", name)
	}
	return k
}

// xlsxRaw returns a cell's stored value and type.
func xlsxRaw(t testing.TB, f *excelize.File, sheet, ref string) (string, excelize.CellType) {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v, typ
}

// xlsxNumFmt returns a cell's custom number format, or its built-in id.
func xlsxNumFmt(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return strconv.Itoa(st.NumFmt)
}

func xlsxLastCol(k *schema.Kind) string {
	col, _ := excelize.ColumnNumberToName(len(k.TableColumns()))
	return col
}

func TestXLSXWorkbook(t *testing.T) {
	created := time.Date(2024, 7, 1, 12, 30, 0, 0, time.FixedZone("X", 3*3600))
	old := xlsxInvestment("old", "10")
	old.AsOf = "1899-12-31"
	run := xlsxWrite(t, func(m *output.Meta) {
		m.Created = created
		m.Sources = append(m.Sources, &schema.Source{ID: "web", Title: "A page", URL: "https://example.org/a?b=1&c=2", Year: 2020})
	}, xlsxInvestment("by-hand", "2469135.78"), old)
	f := xlsxOpen(t, run.path)

	info, err := os.Stat(run.path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}

	wantSheets := []string{"investment_totals", "enterprise_counts", "agreement_counts", "sources", "about"}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Errorf("sheets %v, want %v", got, wantSheets)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0", got)
	}

	wantRows := map[string]int{"investment_totals": 3, "enterprise_counts": 1, "agreement_counts": 1, "sources": 2}
	if len(run.files) != 1 || run.files[0].Name != "figures.xlsx" || run.files[0].Format != "xlsx" ||
		fmt.Sprint(run.files[0].Rows) != fmt.Sprint(wantRows) {
		t.Errorf("Finish returned %+v, want figures.xlsx, xlsx, rows %v", run.files, wantRows)
	}

	// Every kind's sheet: header, table, frozen header, dimension.
	for _, k := range schema.Kinds() {
		sheet := k.Plural
		last := fmt.Sprintf("%s%d", xlsxLastCol(k), wantRows[sheet]+1)
		header, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range k.TableColumns() {
			names = append(names, c.Name)
		}
		if len(header) == 0 || !slices.Equal(header[0], names) {
			t.Errorf("%s: header %v, want %v", sheet, header[:min(1, len(header))], names)
		}
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 1 || tables[0].Name != sheet || tables[0].Range != "A1:"+last {
			t.Errorf("%s: tables %+v, want one named %s over A1:%s", sheet, tables, sheet, last)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the first row frozen", sheet, panes)
		}
		if dim, _ := f.GetSheetDimension(sheet); dim != "A1:"+last {
			t.Errorf("%s: dimension %s, want A1:%s", sheet, dim, last)
		}
		id, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header cell not bold", sheet)
		}
	}

	it, ec := xlsxKind(t, "investment_total"), xlsxKind(t, "enterprise_count")
	cells := []struct {
		sheet   string
		k       *schema.Kind
		column  string
		row     int
		value   string
		typ     excelize.CellType
		numFmt  string // "" for any
		comment string
	}{
		{"investment_totals", it, "id", 2, "kr-kz-investment-2008-09", excelize.CellTypeInlineString, "", "text"},
		{"investment_totals", it, "kind", 2, "investment_total", excelize.CellTypeInlineString, "", "the synthetic column"},
		{"investment_totals", it, "amount", 2, "3000000000", excelize.CellTypeUnset, "3", "a whole number: a number cell, #,##0 (built-in 3)"},
		{"investment_totals", it, "amount", 3, "2469135.78", excelize.CellTypeUnset, "#,##0.###", "decimals shown only when present"},
		{"investment_totals", it, "as_of", 2, "39721", excelize.CellTypeUnset, "yyyy-mm-dd", "2008-09-30 as a date serial"},
		{"investment_totals", it, "as_of", 3, "45657", excelize.CellTypeUnset, "yyyy-mm-dd", "2024-12-31"},
		{"investment_totals", it, "sectors", 3, "trade;finance", excelize.CellTypeInlineString, "", "a list"},
		{"investment_totals", it, "page", 2, "191", excelize.CellTypeUnset, "1", "an integer, format 0 (built-in 1)"},
		{"investment_totals", it, "quote_verified", 2, "1", excelize.CellTypeBool, "", "a checked quote"},
		{"investment_totals", it, "quote_verified", 3, "0", excelize.CellTypeBool, "", "false is a value, not absent"},
		{"investment_totals", it, "note", 3, "=1+1", excelize.CellTypeInlineString, "", "text, not a formula"},
		{"investment_totals", it, "authority", 3, "+x", excelize.CellTypeInlineString, "", "text, not a formula"},
		{"investment_totals", it, "citation", 3, "@x", excelize.CellTypeInlineString, "", "text, not a formula"},
		{"investment_totals", it, "quote", 3, "-a quote that starts with a minus", excelize.CellTypeInlineString, "", "text"},
		{"investment_totals", it, "input_line", 3, "7", excelize.CellTypeUnset, "1", "an integer"},
		{"investment_totals", it, "as_of", 4, "1899-12-31", excelize.CellTypeInlineString, "", "before Excel's dates: text"},
		{"investment_totals", it, "citation", 2, "", excelize.CellTypeUnset, "", "absent: empty"},
		{"enterprise_counts", ec, "enterprises", 2, "300", excelize.CellTypeUnset, "1", "a count"},
		{"enterprise_counts", ec, "as_of", 2, "", excelize.CellTypeUnset, "", "absent date: empty"},
		{"enterprise_counts", ec, "page", 2, "", excelize.CellTypeUnset, "", "absent integer: empty"},
	}
	for _, c := range cells {
		ref := xlsxRef(t, c.k, c.column, c.row)
		v, typ := xlsxRaw(t, f, c.sheet, ref)
		if v != c.value || typ != c.typ {
			t.Errorf("%s!%s (%s, %s): %q of type %v, want %q of type %v", c.sheet, ref, c.column, c.comment, v, typ, c.value, c.typ)
		}
		if c.typ == excelize.CellTypeUnset && c.value != "" {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				t.Errorf("%s!%s (%s): %q is not a number", c.sheet, ref, c.column, v)
			}
		}
		if c.numFmt != "" {
			if got := xlsxNumFmt(t, f, c.sheet, ref); got != c.numFmt {
				t.Errorf("%s!%s (%s): number format %s, want %s", c.sheet, ref, c.column, got, c.numFmt)
			}
		}
		if formula, _ := f.GetCellFormula(c.sheet, ref); formula != "" {
			t.Errorf("%s!%s (%s): formula %q", c.sheet, ref, c.column, formula)
		}
	}
	// The formatted value shows the thousands separator and the date.
	if v, _ := f.GetCellValue("investment_totals", xlsxRef(t, it, "amount", 2)); v != "3,000,000,000" {
		t.Errorf("amount shown as %q, want 3,000,000,000", v)
	}
	if v, _ := f.GetCellValue("investment_totals", xlsxRef(t, it, "as_of", 2)); v != "2008-09-30" {
		t.Errorf("as_of shown as %q, want 2008-09-30", v)
	}

	// Widths fit the content: the id column is as wide as the longest id,
	// a long quote is capped.
	idWidth, _ := f.GetColWidth("investment_totals", "A")
	if want := float64(len("kr-kz-investment-2008-09")); idWidth < want || idWidth > want+4 {
		t.Errorf("id column width %v, want about %v", idWidth, want)
	}
	quoteCol := strings.TrimRight(xlsxRef(t, it, "quote", 1), "1")
	if w, _ := f.GetColWidth("investment_totals", quoteCol); w != 60 {
		t.Errorf("quote column width %v, want the cap, 60", w)
	}

	// Sources: one row per source, the url a hyperlink.
	srcRows, err := f.GetRows("sources")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcRows) != 3 || srcRows[1][0] != "kazakhstan-today" || srcRows[2][0] != "web" {
		t.Errorf("sources rows %q, want a header, kazakhstan-today and web", srcRows)
	}
	var urlRef string
	for i, c := range schema.SourceTable().Columns {
		if c.Name == "url" {
			urlRef, _ = excelize.CoordinatesToCellName(i+1, 3)
		}
	}
	if ok, link, _ := f.GetCellHyperLink("sources", urlRef); !ok || link != "https://example.org/a?b=1&c=2" {
		t.Errorf("sources!%s: hyperlink %v %q, want the url", urlRef, ok, link)
	}
	if tables, _ := f.GetTables("sources"); len(tables) != 1 || tables[0].Name != "sources" {
		t.Errorf("sources: tables %+v, want one named sources", tables)
	}

	// About: tool, version, time, inputs with their digest, and the
	// dictionary of every column of every table.
	about, err := f.GetRows("about")
	if err != nil {
		t.Fatal(err)
	}
	find := func(cells ...string) bool {
		for _, r := range about {
			if len(r) >= len(cells) && slices.Equal(r[:len(cells)], cells) {
				return true
			}
		}
		return false
	}
	for _, want := range [][]string{
		{"tool", "export"}, {"version", "1.2.3-test"}, {"generated (UTC)", "2024-07-01 09:30:00"},
		{"errors", "0"}, {"warnings", strconv.Itoa(run.meta.Warnings)},
		{"investment_totals", "3"}, {"sources", "2"},
		{run.meta.Inputs[0].Path, run.meta.Inputs[0].SHA256},
		{"table", "column", "type", "meaning", "rules"},
	} {
		if !find(want...) {
			t.Errorf("about: no row starting %q", want)
		}
	}
	tables := map[string][]*schema.Column{"sources": schema.SourceTable().Columns}
	for _, k := range schema.Kinds() {
		tables[k.Plural] = k.TableColumns()
	}
	for table, cols := range tables {
		for _, c := range cols {
			if !find(table, c.Name, c.Type.String(), c.Doc) {
				t.Errorf("about: no dictionary row for %s.%s", table, c.Name)
			}
		}
	}
	for _, r := range about {
		if len(r) == 5 && r[0] == "enterprise_counts" && r[1] == "joint_ventures" {
			for _, cr := range ec.CrossFieldRules() {
				if !strings.Contains(r[4], cr.Doc) {
					t.Errorf("about: the rules of joint_ventures %q lack %q", r[4], cr.Doc)
				}
			}
		}
	}
	if tables, _ := f.GetTables("about"); len(tables) != 1 || tables[0].Name != "dictionary" {
		t.Errorf("about: tables %+v, want one named dictionary", tables)
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title == "" || props.Subject == "" || props.Creator != "export" || !strings.Contains(props.Description, "1.2.3-test") ||
		props.Created != "2024-07-01T09:30:00Z" || props.Modified != props.Created {
		t.Errorf("doc props %+v", props)
	}
	app, err := f.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if app.Application != "export" {
		t.Errorf("application %q, want export", app.Application)
	}
}

// Without Meta.Created the workbook holds no generation time; its
// properties and its zip entries carry the latest date of its figures, and
// with no date at all the zip format's epoch: never the clock, so that the
// bytes are the same on every machine.
func TestXLSXNoCreated(t *testing.T) {
	newer := xlsxInvestment("newer", "1")
	newer.AsOf = "2024-12-31"
	older := xlsxInvestment("older", "1")
	older.AsOf = "2010-01-31"
	ancient := xlsxInvestment("ancient", "1")
	ancient.AsOf = "1899-12-31" // text in the workbook, still a date
	for _, c := range []struct {
		name    string
		created time.Time
		extra   []schema.Record
		want    string
		zipTime string
	}{
		{"the embedded dataset's as_of", time.Time{}, nil, "2008-09-30T00:00:00Z", "2008-09-30 00:00:00"},
		{"the newest as_of, in any order", time.Time{}, []schema.Record{newer, older, ancient}, "2024-12-31T00:00:00Z", "2024-12-31 00:00:00"},
		{"SOURCE_DATE_EPOCH first", time.Unix(1700000001, 0), []schema.Record{newer}, "2023-11-14T22:13:21Z", "2023-11-14 22:13:20"},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := xlsxWrite(t, func(m *output.Meta) { m.Created = c.created }, c.extra...)
			f := xlsxOpen(t, run.path)
			about, err := f.GetRows("about")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range about {
				if len(r) > 0 && strings.HasPrefix(r[0], "generated") && c.created.IsZero() {
					t.Errorf("about: %q without Meta.Created", r)
				}
			}
			props, err := f.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			if props.Created != c.want || props.Modified != props.Created {
				t.Errorf("created %q, modified %q; want %s", props.Created, props.Modified, c.want)
			}
			zr, err := zip.OpenReader(run.path)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			for _, e := range zr.File {
				// MS-DOS times count in steps of two seconds.
				if got := e.Modified.Format(time.DateTime); got != c.zipTime {
					t.Errorf("zip entry %s: time %s, want %s", e.Name, got, c.zipTime)
				}
			}
		})
	}
	// With no date in the records, the zip format's epoch.
	dir := t.TempDir()
	w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Finish(&output.Meta{}); err != nil {
		t.Fatal(err)
	}
	props, err := xlsxOpen(t, filepath.Join(dir, output.XLSXName)).GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "1980-01-01T00:00:00Z" {
		t.Errorf("created %q with no dates; want 1980-01-01T00:00:00Z", props.Created)
	}
}

// The workbook reads and prints well: the header is in the body's font,
// text wraps and rows grow to show it (up to a cap), a word that cannot
// wrap (a digest) gets its width, booleans show as TRUE and FALSE, and
// every sheet prints landscape, fitted to the page's width, with its header
// row on every page and its name and page number in the footer.
func TestXLSXReadable(t *testing.T) {
	long := xlsxInvestment("long-quote", "1")
	long.Quote = strings.Repeat("a quote that goes on and on, ", 60)
	long.Derived = schema.Derived{"as_of": "the article's date; the sentence says only 'to date'", "page": "the page the chapter starts on"}
	run := xlsxWrite(t, nil, long)
	f := xlsxOpen(t, run.path)
	it := xlsxKind(t, "investment_total")

	id, err := f.GetCellStyle("investment_totals", "A1")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold || st.Font.Family != "Calibri" || st.Font.Size != 11 {
		t.Errorf("header font %+v, want bold Calibri 11 (the body's)", st.Font)
	}
	for _, c := range []struct {
		column string
		row    int
		wrap   bool
		numFmt string
	}{
		{"quote", 2, true, ""},
		{"sectors", 2, true, ""},
		{"derived", 3, true, ""},
		{"amount", 2, false, "3"},
		{"quote_verified", 2, false, `"TRUE";"TRUE";"FALSE"`},
	} {
		ref := xlsxRef(t, it, c.column, c.row)
		id, err := f.GetCellStyle("investment_totals", ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Alignment == nil || st.Alignment.WrapText != c.wrap || st.Alignment.Vertical != "top" {
			t.Errorf("%s (%s): alignment %+v, want wrap %v at the top", ref, c.column, st.Alignment, c.wrap)
		}
		if c.numFmt != "" {
			if got := xlsxNumFmt(t, f, "investment_totals", ref); got != c.numFmt {
				t.Errorf("%s (%s): number format %s, want %s", ref, c.column, got, c.numFmt)
			}
		}
	}
	// Row 2 holds the embedded quote (313 characters: 6 lines in the
	// widest column), row 3 a quote of 1,800 characters: the cap.
	for row, want := range map[int]float64{1: 15, 2: 90, 3: 150} {
		if h, _ := f.GetRowHeight("investment_totals", row); h != want {
			t.Errorf("investment_totals row %d: height %v, want %v", row, h, want)
		}
	}
	// The about sheet: the digest of an input shows whole.
	about, err := f.GetRows("about")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range about {
		if len(r) > 1 && r[0] == run.meta.Inputs[0].Path {
			if w, _ := f.GetColWidth("about", "B"); w < 64 {
				t.Errorf("about: column B (sha256) is %v wide, less than a digest", w)
			}
			if h, _ := f.GetRowHeight("about", i+1); h != 15 {
				t.Errorf("about row %d (an input): height %v, want one line", i+1, h)
			}
		}
		if len(r) == 5 && r[1] == "sectors" { // a long list of rules
			if h, _ := f.GetRowHeight("about", i+1); h < 45 {
				t.Errorf("about row %d (the rules of sectors, %d characters): height %v, want 3 lines or more", i+1, len(r[4]), h)
			}
		}
	}

	titles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 ||
			layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, want landscape, one page wide", sheet, layout)
		}
		if props, _ := f.GetSheetProps(sheet); props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fitToPage not set", sheet)
		}
		if hf, _ := f.GetHeaderFooter(sheet); hf == nil || hf.OddFooter != "&L&A&RPage &P of &N" {
			t.Errorf("%s: footer %+v, want the sheet's name and the page", sheet, hf)
		}
		want := "'" + sheet + "'!$1:$1"
		if sheet == "about" {
			want = ""
		}
		if titles[sheet] != want {
			t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
		}
	}
}

// The same records and Meta give the same bytes, with several streamed
// sheets, whose zip entries excelize writes in map order.
func TestXLSXDeterministic(t *testing.T) {
	created := time.Unix(1700000000, 0)
	edit := func(m *output.Meta) { m.Created = created }
	first, err := os.ReadFile(xlsxWrite(t, edit, xlsxInvestment("by-hand", "1.5")).path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		again, err := os.ReadFile(xlsxWrite(t, edit, xlsxInvestment("by-hand", "1.5")).path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("run %d wrote different bytes (%d and %d bytes)", i+2, len(first), len(again))
		}
	}
}

// A kind with more records than a sheet holds continues on further
// sheets, each with its header, table and frozen header, placed after the
// kind's first sheet.
func TestXLSXRowLimit(t *testing.T) {
	defer output.SetXLSXRowLimit(3)()
	var extra []schema.Record
	for i := range 6 { // with the embedded one, 7: 3 + 3 + 1
		extra = append(extra, xlsxInvestment(fmt.Sprintf("extra-%d", i), strconv.Itoa(i+1)))
	}
	run := xlsxWrite(t, nil, extra...)
	f := xlsxOpen(t, run.path)
	want := []string{"investment_totals", "investment_totals_2", "investment_totals_3",
		"enterprise_counts", "agreement_counts", "sources", "about"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	// Rows counts the kind's records over all its sheets, as CSV does.
	wantFileRows := map[string]int{"investment_totals": 7, "enterprise_counts": 1, "agreement_counts": 1, "sources": 1}
	if fmt.Sprint(run.files[0].Rows) != fmt.Sprint(wantFileRows) {
		t.Errorf("rows %v, want %v", run.files[0].Rows, wantFileRows)
	}
	wantRows := map[string]int{"investment_totals": 3, "investment_totals_2": 3, "investment_totals_3": 1}
	it := xlsxKind(t, "investment_total")
	var ids []string
	for _, sheet := range want[:3] {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || rows[0][0] != "id" {
			t.Errorf("%s: no header", sheet)
			continue
		}
		for _, r := range rows[1:] {
			ids = append(ids, r[0])
		}
		last := fmt.Sprintf("%s%d", xlsxLastCol(it), wantRows[sheet]+1)
		if tables, _ := f.GetTables(sheet); len(tables) != 1 || tables[0].Name != sheet || tables[0].Range != "A1:"+last {
			t.Errorf("%s: tables %+v, want one named %s over A1:%s", sheet, tables, sheet, last)
		}
		if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v", sheet, panes)
		}
		if dim, _ := f.GetSheetDimension(sheet); dim != "A1:"+last {
			t.Errorf("%s: dimension %s, want A1:%s", sheet, dim, last)
		}
	}
	about, err := f.GetRows("about")
	if err != nil {
		t.Fatal(err)
	}
	for sheet, n := range wantRows {
		if !slices.ContainsFunc(about, func(r []string) bool { return len(r) >= 2 && r[0] == sheet && r[1] == strconv.Itoa(n) }) {
			t.Errorf("about: no row for table %s with %d rows", sheet, n)
		}
	}
	wantIDs := []string{"kr-kz-investment-2008-09", "extra-0", "extra-1", "extra-2", "extra-3", "extra-4", "extra-5"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("ids %v, want %v", ids, wantIDs)
	}
}

// A text over Excel's cell limit, counted in UTF-16 code units as Excel
// counts, is an error, never cut; one at the limit is kept whole. A text
// that excelize would store changed (XLSXEscapeLoses) is an error too,
// should the pipeline's check (rule xlsx_text) let one through; one that
// it escapes well is kept.
func TestXLSXTextRefused(t *testing.T) {
	for _, c := range []struct {
		name, quote string
		want        error
	}{
		{"ascii at the limit", strings.Repeat("a", 32767), nil},
		{"ascii over", strings.Repeat("a", 32768), output.ErrXLSXCellTooLong},
		{"two-byte letters at the limit", strings.Repeat("é", 32767), nil},
		{"emoji at the limit", "a" + strings.Repeat("😀", 16383), nil},
		{"emoji over", strings.Repeat("😀", 16384), output.ErrXLSXCellTooLong},
		{"an escape it holds", "a quote holding _x0041_ and _x000D_", nil},
		{"a surrogate escape", "a quote holding _xD800_", output.ErrXLSXEscape},
		{"escapes sharing an underscore", "a quote holding _x0041_x0042_", output.ErrXLSXEscape},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			r := xlsxInvestment("long", "1")
			r.Quote = c.quote
			err = w.Write(r)
			if c.want != nil {
				if !errors.Is(err, c.want) || !strings.Contains(err.Error(), "quote") {
					t.Errorf("Write: %v, want %v naming the column", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Finish(&output.Meta{}); err != nil {
				t.Fatal(err)
			}
			f := xlsxOpen(t, filepath.Join(dir, output.XLSXName))
			v, _ := f.GetCellValue("investment_totals", xlsxRef(t, xlsxKind(t, "investment_total"), "quote", 2))
			if v != c.quote {
				t.Errorf("the quote came back as %d bytes %.40q, want %d bytes %.40q", len(v), v, len(c.quote), c.quote)
			}
		})
	}
}

// Close releases every temporary file, with or without Finish, and may be
// called twice; Write and Finish after Finish fail.
func TestXLSXLifecycle(t *testing.T) {
	for _, finish := range []bool{false, true} {
		t.Run(fmt.Sprint("finish=", finish), func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: tmp})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if err := w.Write(xlsxInvestment(fmt.Sprint("r", i), "1")); err != nil {
					t.Fatal(err)
				}
			}
			if finish {
				if _, err := w.Finish(nil); err != nil {
					t.Fatal(err)
				}
				if err := w.Write(xlsxInvestment("late", "1")); err == nil {
					t.Error("Write after Finish succeeded")
				}
				if _, err := w.Finish(nil); err == nil {
					t.Error("a second Finish succeeded")
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
			_, err = os.Stat(filepath.Join(dir, output.XLSXName))
			if finish != (err == nil) {
				t.Errorf("figures.xlsx exists: %v, want %v", err == nil, finish)
			}
		})
	}
}

// BenchmarkXLSXWriter writes b.N synthetic investment totals, with Finish:
//
//	go test ./output -run '^$' -bench XLSXWriter -benchmem
func BenchmarkXLSXWriter(b *testing.B) {
	dir, tmp := b.TempDir(), b.TempDir()
	recs := make([]*schema.InvestmentTotal, 1000)
	for i := range recs {
		recs[i] = xlsxInvestment(fmt.Sprintf("investment-%06d", i), strconv.FormatFloat(float64(i)*1000.5+1, 'f', -1, 64))
		recs[i].Quote = "Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008)."
	}
	b.ResetTimer()
	w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: tmp})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for i := range b.N {
		if err := w.Write(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Finish(&output.Meta{Tool: "export", Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if info, err := os.Stat(filepath.Join(dir, output.XLSXName)); err == nil {
		b.ReportMetric(float64(info.Size())/float64(b.N), "B/record")
	}
}

// Sheets big enough to spill to excelize's temporary files (16 MiB) take
// the path that frees a full sheet's memory before the next sheet starts.
// Checked at the zip level: reading 36 MB of sheets back is slow.
func TestXLSXRowLimitLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 36 MB of sheet XML")
	}
	defer output.SetXLSXRowLimit(600)()
	var extra []schema.Record
	quote := strings.Repeat("a quote of thirty thousand characters. ", 30000/39)
	for i := range 1200 { // with the embedded one, 1201: 600 + 600 + 1
		r := xlsxInvestment(fmt.Sprintf("extra-%d", i), strconv.Itoa(i+1))
		r.Quote = quote
		extra = append(extra, r)
	}
	run := xlsxWrite(t, nil, extra...)
	sheets := xlsxSheetXML(t, run.path)
	var names []string
	for _, s := range sheets {
		names = append(names, s.name)
	}
	want := []string{"investment_totals", "investment_totals_2", "investment_totals_3",
		"enterprise_counts", "agreement_counts", "sources", "about"}
	if !slices.Equal(names, want) {
		t.Fatalf("sheets %v, want %v", names, want)
	}
	for i, rows := range []int{600, 600, 1} {
		xml := sheets[i].xml
		dim := fmt.Sprintf(`<dimension ref="A1:T%d">`, rows+1)
		if n := bytes.Count(xml, []byte("<row ")); n != rows+1 || !bytes.Contains(xml, []byte(dim)) ||
			!bytes.Contains(xml, []byte(`<tablePart `)) || !bytes.HasSuffix(xml, []byte("</worksheet>")) {
			t.Errorf("%s: %d rows, want %d rows, %s and a table", want[i], n, rows+1, dim)
		}
	}
	if fmt.Sprint(run.files[0].Rows) != fmt.Sprint(map[string]int{"investment_totals": 1201,
		"enterprise_counts": 1, "agreement_counts": 1, "sources": 1}) {
		t.Errorf("rows %v", run.files[0].Rows)
	}
}

// xlsxSheetXML returns every sheet of a workbook with its XML, in workbook
// order, read with archive/zip and encoding/xml only.
func xlsxSheetXML(t *testing.T, file string) []xlsxSheetPart {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	read := func(name string) []byte {
		t.Helper()
		b, err := fs.ReadFile(zr, name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(read("xl/workbook.xml"), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(read("xl/_rels/workbook.xml.rels"), &rels); err != nil {
		t.Fatal(err)
	}
	var sheets []xlsxSheetPart
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				sheets = append(sheets, xlsxSheetPart{s.Name, read(path.Join("xl", r.Target))})
			}
		}
	}
	return sheets
}

type xlsxSheetPart struct {
	name string
	xml  []byte
}
