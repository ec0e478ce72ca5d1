package output_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"export/output"
	"export/schema"
)

// These tests open figures.xlsx with readers nobody on the team wrote:
// openpyxl and LibreOffice. Without the tools they skip, loudly; with
// EXPORT_REQUIRE_INTEROP=1 (set by CI) they fail instead.

// xlsxInteropMissing skips or, in CI, fails a test whose tool is missing.
func xlsxInteropMissing(t *testing.T, what, pkg string) {
	t.Helper()
	interopMissing(t, "EXPORT_REQUIRE_INTEROP",
		fmt.Sprintf("%s is not available: install the Debian package %s (apt-get install %s) to run this test", what, pkg, pkg))
}

// xlsxInteropRun writes the workbook the interop tests read: the embedded
// dataset, two records by hand and one for each of xlsxBoundaryDates, with
// investment totals spread over sheets of two, and a source with a URL.
func xlsxInteropRun(t *testing.T) *xlsxRun {
	defer output.SetXLSXRowLimit(2)()
	extra := []schema.Record{xlsxInvestment("by-hand", "2469135.78"), xlsxInvestment("by-hand-2", "7")}
	for _, d := range xlsxBoundaryDates {
		r := xlsxInvestment("as-of-"+d, "1")
		r.AsOf = d
		extra = append(extra, r)
	}
	return xlsxWrite(t, func(m *output.Meta) {
		m.Created = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
		m.Sources = append(m.Sources, &schema.Source{ID: "web", Title: "A page", URL: "https://example.org/a?b=1&c=2", Year: 2020})
	}, extra...)
}

// xlsxDataSheet is a data sheet the interop workbook should hold.
type xlsxDataSheet struct {
	name string
	kind *schema.Kind
	recs []any
}

// xlsxSheets returns the data sheets of the interop workbook in workbook
// order, with their records: two per sheet (see xlsxInteropRun).
func xlsxSheets(run *xlsxRun) []xlsxDataSheet {
	var sheets []xlsxDataSheet
	for _, k := range schema.Kinds() {
		var of []any
		for _, r := range run.recs {
			if schema.KindOf(r) == k {
				of = append(of, r)
			}
		}
		for i := 0; i == 0 || i < len(of); i += 2 {
			name := k.Plural
			if i > 0 {
				name += "_" + strconv.Itoa(i/2+1)
			}
			sheets = append(sheets, xlsxDataSheet{name, k, of[i:min(i+2, len(of))]})
		}
	}
	return sheets
}

// xlsxExpectedCell is a cell as check_openpyxl.py expects it.
type xlsxExpectedCell struct {
	Sheet  string `json:"sheet"`
	Ref    string `json:"ref"`
	Type   string `json:"type"`
	Value  any    `json:"value"`
	Format string `json:"format,omitempty"`
}

func TestInteropOpenpyxl(t *testing.T) {
	py := pythonWith("openpyxl")
	if py == "" {
		xlsxInteropMissing(t, "python3 with openpyxl", "python3-openpyxl")
	}
	run := xlsxInteropRun(t)
	sheets := xlsxSheets(run)
	type link struct {
		Sheet  string `json:"sheet"`
		Ref    string `json:"ref"`
		Target string `json:"target"`
	}
	exp := struct {
		Sheets     []string              `json:"sheets"`
		Tables     map[string][][]string `json:"tables"`
		Frozen     map[string]string     `json:"frozen"`
		Dimensions map[string]string     `json:"dimensions"`
		Cells      []xlsxExpectedCell    `json:"cells"`
		Hyperlinks []link                `json:"hyperlinks"`
	}{
		Sheets: []string{"sources", "about"},
		Tables: map[string][][]string{}, Frozen: map[string]string{}, Dimensions: map[string]string{},
	}
	// Every cell of every data sheet, typed.
	for i := len(sheets) - 1; i >= 0; i-- {
		exp.Sheets = slices.Insert(exp.Sheets, 0, sheets[i].name)
	}
	for _, sh := range sheets {
		col := xlsxLastCol(sh.kind)
		// A table has at least one data row, empty if need be.
		exp.Tables[sh.name] = [][]string{{sh.name, fmt.Sprintf("A1:%s%d", col, max(len(sh.recs), 1)+1)}}
		exp.Frozen[sh.name] = "A2"
		exp.Dimensions[sh.name] = fmt.Sprintf("A1:%s%d", col, len(sh.recs)+1)
		for i, r := range sh.recs {
			for j, c := range sh.kind.TableColumns() {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
				exp.Cells = append(exp.Cells, xlsxTypedCell(c, r, sh.name, ref))
			}
		}
	}
	exp.Frozen["sources"] = "A2"
	exp.Tables["sources"] = [][]string{{"sources", "A1:K3"}}
	for j, c := range schema.SourceTable().Columns {
		ref, _ := excelize.CoordinatesToCellName(j+1, 3)
		exp.Cells = append(exp.Cells, xlsxTypedCell(c, run.meta.Sources[1], "sources", ref))
		if c.Name == "url" {
			exp.Hyperlinks = append(exp.Hyperlinks, link{"sources", ref, run.meta.Sources[1].URL})
		}
	}
	b, err := json.Marshal(exp)
	if err != nil {
		t.Fatal(err)
	}
	expected := filepath.Join(t.TempDir(), "expected.json")
	if err := os.WriteFile(expected, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// -W error: any warning openpyxl gives while loading is an error.
	cmd := exec.Command(py, "-W", "error", filepath.Join("testdata", "xlsx", "check_openpyxl.py"), run.path, expected)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("openpyxl (%s) found problems: %v\n%s", py, err, out)
	}
}

// xlsxTypedCell returns what openpyxl should find in the cell of column c.
func xlsxTypedCell(c *schema.Column, rec any, sheet, ref string) xlsxExpectedCell {
	cell := xlsxExpectedCell{}
	cell.Sheet, cell.Ref, cell.Type = sheet, ref, "empty"
	if !c.Present(rec) {
		return cell
	}
	switch c.Type {
	case schema.String:
		if s := c.Text(rec); s != "" {
			cell.Type, cell.Value = "text", s
		}
	case schema.StringList:
		if s := strings.Join(c.List(rec), ";"); s != "" {
			cell.Type, cell.Value = "text", s
		}
	case schema.Date:
		if s := c.Text(rec); s != "" {
			cell.Type, cell.Value, cell.Format = "date", s, "yyyy-mm-dd"
			if s < "1900-03-01" { // before the first serial every program reads alike
				cell.Type, cell.Format = "text", ""
			}
		}
	case schema.Integer:
		n, _ := c.Int(rec)
		cell.Type, cell.Value, cell.Format = "number", n, "0"
	case schema.Number:
		d, _ := c.Decimal(rec)
		cell.Type, cell.Value, cell.Format = "number", d.Float64(), "#,##0"
		if d.Milli()%1000 != 0 {
			cell.Format = "#,##0.###"
		}
	case schema.TextMap:
		if s := output.EntriesText(c.Entries(rec)); s != "" {
			cell.Type, cell.Value = "text", s
		}
	case schema.Boolean:
		cell.Type, cell.Value = "bool", c.Bool(rec)
	}
	return cell
}

// xlsxSoffice returns LibreOffice's command, or "".
func xlsxSoffice() string {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestInteropLibreOffice converts every sheet to CSV with LibreOffice and
// compares the data sheets' cells with the records, formatted as the CSV
// writer formats them (plain numbers, YYYY-MM-DD dates, ";"-joined lists)
// with two normalisations: LibreOffice writes booleans TRUE and FALSE, and
// the CSV writer's apostrophe against formula injection is not there
// (the workbook's text cells are text, so they need none).
func TestInteropLibreOffice(t *testing.T) {
	soffice := xlsxSoffice()
	if soffice == "" {
		xlsxInteropMissing(t, "LibreOffice (soffice)", "libreoffice-calc-nogui")
	}
	run := xlsxInteropRun(t)
	dir := t.TempDir()
	// Filter options: comma, double quote, UTF-8, from line 1, ..., cell
	// contents not as shown (raw numbers), no formulas, every sheet (-1)
	// to its own file, figures-SHEET.csv.
	xlsxConvert(t, soffice, run.path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", dir)
	read := func(sheet string) [][]string { return xlsxReadCSV(t, filepath.Join(dir, "figures-"+sheet+".csv")) }
	compare := func(sheet string, cols []*schema.Column, recs []any) {
		t.Helper()
		want := [][]string{{}}
		for _, c := range cols {
			want[0] = append(want[0], c.Name)
		}
		for _, r := range recs {
			var row []string
			for _, c := range cols {
				row = append(row, xlsxShown(c, r))
			}
			want = append(want, row)
		}
		got := read(sheet)
		if len(got) != len(want) {
			t.Errorf("sheet %s: %d rows, want %d:\n%q", sheet, len(got), len(want), got)
			return
		}
		for i := range want {
			for j := range want[i] {
				if j >= len(got[i]) || got[i][j] != want[i][j] {
					t.Errorf("sheet %s row %d column %s: %q, want %q", sheet, i+1, cols[j].Name, slices.Concat(got[i], []string{""})[min(j, len(got[i]))], want[i][j])
				}
			}
		}
	}
	for _, sh := range xlsxSheets(run) {
		compare(sh.name, sh.kind.TableColumns(), sh.recs)
	}
	var srcs []any
	for _, s := range run.meta.Sources {
		srcs = append(srcs, s)
	}
	compare("sources", schema.SourceTable().Columns, srcs)
	if about := read("about"); len(about) < 10 {
		t.Errorf("sheet about: %d rows", len(about))
	}
}

// xlsxConvert converts a workbook with LibreOffice to filter (as
// --convert-to takes it) into dir.
func xlsxConvert(t *testing.T, soffice, path, filter, dir string) {
	t.Helper()
	// A private profile, so that a running LibreOffice does not take the job.
	profile := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "profile"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation="+profile, "--headless", "--norestore",
		"--convert-to", filter, "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
}

// xlsxReadCSV reads a CSV file that LibreOffice wrote.
func xlsxReadCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("LibreOffice wrote no %s: %v", filepath.Base(path), err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return rows
}

// TestXLSXLayoutInterop checks how the workbook reads and prints, with
// openpyxl, in the file export wrote and in LibreOffice's copy of it
// (what LibreOffice understood): page setup, footer, header row on every
// page, the header's font, wrapped text and the rows' heights. And it
// checks that LibreOffice shows quote_verified as TRUE or FALSE, and
// amounts with their thousands separators, as it prints them.
func TestXLSXLayoutInterop(t *testing.T) {
	py := pythonWith("openpyxl")
	if py == "" {
		xlsxInteropMissing(t, "python3 with openpyxl", "python3-openpyxl")
	}
	soffice := xlsxSoffice()
	if soffice == "" {
		xlsxInteropMissing(t, "LibreOffice (soffice)", "libreoffice-calc-nogui")
	}
	run := xlsxInteropRun(t)
	type row struct {
		Sheet     string  `json:"sheet"`
		Row       int     `json:"row"`
		MinHeight float64 `json:"min_height"`
	}
	type format struct {
		Sheet  string `json:"sheet"`
		Ref    string `json:"ref"`
		Format string `json:"format"`
	}
	type ref struct {
		Sheet string `json:"sheet"`
		Ref   string `json:"ref"`
	}
	type print struct {
		Titles *string `json:"titles"`
	}
	type header struct {
		Font string  `json:"font"`
		Size float64 `json:"size"`
	}
	exp := struct {
		Print   map[string]print  `json:"print"`
		Header  map[string]header `json:"header"`
		Rows    []row             `json:"rows"`
		Wrap    []ref             `json:"wrap"`
		Formats []format          `json:"formats"`
	}{Print: map[string]print{}, Header: map[string]header{}}
	titles := "$1:$1"
	for _, sh := range xlsxSheets(run) {
		exp.Print[sh.name] = print{&titles}
		exp.Header[sh.name] = header{"Calibri", 11}
		for i, r := range sh.recs {
			quote := xlsxRef(t, sh.kind, "quote", i+2)
			exp.Wrap = append(exp.Wrap, ref{sh.name, quote})
			// A line of the widest column holds at most 58 characters.
			lines := (len(schema.ProvenanceOf(r.(schema.Record)).Quote) + 57) / 58
			exp.Rows = append(exp.Rows, row{sh.name, i + 2, 15 * float64(lines)})
			exp.Formats = append(exp.Formats, format{sh.name, xlsxRef(t, sh.kind, "quote_verified", i+2), `"TRUE";"TRUE";"FALSE"`})
		}
	}
	exp.Print["sources"] = print{&titles}
	exp.Print["about"] = print{nil}
	b, err := json.Marshal(exp)
	if err != nil {
		t.Fatal(err)
	}
	expected := filepath.Join(t.TempDir(), "expected.json")
	if err := os.WriteFile(expected, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	xlsxConvert(t, soffice, run.path, "xlsx:Calc MS Excel 2007 XML", dir)
	for _, path := range []string{run.path, filepath.Join(dir, output.XLSXName)} {
		cmd := exec.Command(py, "-W", "error", filepath.Join("testdata", "xlsx", "check_layout.py"), path, expected)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("openpyxl (%s) found problems in %s: %v\n%s", py, path, err, out)
		}
	}

	// As shown (the 9th filter option), as LibreOffice prints them.
	shown := t.TempDir()
	xlsxConvert(t, soffice, run.path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1", shown)
	rows := xlsxReadCSV(t, filepath.Join(shown, "figures-investment_totals.csv"))
	it := xlsxKind(t, "investment_total")
	for _, c := range []struct {
		column string
		want   string
	}{{"quote_verified", "TRUE"}, {"amount", "3,000,000,000"}, {"as_of", "2008-09-30"}} {
		for i, col := range it.TableColumns() {
			if col.Name == c.column && (len(rows) < 2 || len(rows[1]) <= i || rows[1][i] != c.want) {
				t.Errorf("investment_totals %s shown as %q, want %q", c.column, slices.Concat(rows, [][]string{nil, nil})[1], c.want)
			}
		}
	}
}

// xlsxShown formats the value of column c as LibreOffice's CSV export
// shows it: as the CSV writer would, but with booleans TRUE/FALSE and
// text without the injection apostrophe.
func xlsxShown(c *schema.Column, rec any) string {
	if !c.Present(rec) {
		return ""
	}
	switch c.Type {
	case schema.String, schema.Date:
		return c.Text(rec)
	case schema.StringList:
		return strings.Join(c.List(rec), ";")
	case schema.Integer:
		n, _ := c.Int(rec)
		return strconv.FormatInt(n, 10)
	case schema.Number:
		d, _ := c.Decimal(rec)
		return d.String()
	case schema.TextMap:
		return output.EntriesText(c.Entries(rec))
	case schema.Boolean:
		return strings.ToUpper(strconv.FormatBool(c.Bool(rec)))
	}
	return fmt.Sprintf("unknown type %v", c.Type)
}
