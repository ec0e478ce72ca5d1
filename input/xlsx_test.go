package input

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xuri/excelize/v2"

	"export/schema"
)

// xsheet is a sheet of a workbook built by a test: rows of cells from A1 on
// (nil for an empty cell).
type xsheet struct {
	name string
	rows [][]any
}

// buildXLSX writes a workbook with excelize, as Excel would save one
// (shared strings, typed cells).
func buildXLSX(t testing.TB, sheets ...xsheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(sh.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readXLSX reads a workbook to the end, returning the items and the error
// that ended it (nil for io.EOF).
func readXLSX(t testing.TB, data []byte, opts Options) ([]*Item, error) {
	t.Helper()
	r, err := Open(File{Path: "f.xlsx", Format: FormatXLSX}, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatal(err)
	}
	var items []*Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

// problems lists the items' problems as Error() strings.
func problems(items []*Item) []string {
	var out []string
	for _, it := range items {
		for _, p := range it.Problems {
			out = append(out, p.Error())
		}
	}
	return out
}

var (
	investHeader = []any{"id", "kind", "investor", "recipient", "amount", "currency", "qualifier", "as_of", "sectors",
		"note", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line"}
	countHeader = []any{"id", "kind", "partner", "host", "enterprises", "qualifier", "joint_ventures",
		"representative_offices", "as_of", "note", "source", "quote"}
	quote = "Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan"
)

// The committed workbook is what `export run --formats xlsx` writes for the
// default dataset: it reads as the same sources and records, at their cells.
func TestXLSXDefaultDataset(t *testing.T) {
	want := readAll(t, Embedded()[0], Options{})
	f := testdataFile("kazakhstan-korea.xlsx")
	if f.Format != FormatXLSX || !HasSources(f.Format) {
		t.Fatalf("format %q", f.Format)
	}
	got := readAll(t, f, Options{})
	// The workbook has the kinds' sheets first, then sources.
	got = append(got[len(got)-1:], got[:len(got)-1]...)
	sameItems(t, got, want)
	if _, err := f.ReadSourceText(got[0].Source.Text); err != nil {
		t.Errorf("the source text: %v", err)
	}
	for _, tc := range []struct {
		item       int
		field      string
		index      int
		want       string
		wantLine   int
		wantColumn int
		wantCell   string // Position.Cell, the reference Excel writes
	}{
		{0, "id", -1, "testdata/kazakhstan-korea.xlsx:sources!A2", 2, 1, "sources!A2"},
		{0, "sha256", -1, "testdata/kazakhstan-korea.xlsx:sources!I2", 2, 9, "sources!I2"},
		{1, "amount", -1, "testdata/kazakhstan-korea.xlsx:investment_totals!E2", 2, 5, "investment_totals!E2"},
		{1, "as_of", -1, "testdata/kazakhstan-korea.xlsx:investment_totals!H2", 2, 8, "investment_totals!H2"},
		{1, "sectors", 3, "testdata/kazakhstan-korea.xlsx:investment_totals!I2", 2, 9, "investment_totals!I2"},
		{1, "note", -1, "testdata/kazakhstan-korea.xlsx:investment_totals!J2", 2, 10, "investment_totals!J2"}, // absent: its empty cell
		{2, "enterprises", -1, "testdata/kazakhstan-korea.xlsx:enterprise_counts!E2", 2, 5, "enterprise_counts!E2"},
		{2, "as_of", -1, "testdata/kazakhstan-korea.xlsx:enterprise_counts!I2", 2, 9, "enterprise_counts!I2"}, // absent: its empty cell
		{3, "parties", -1, "testdata/kazakhstan-korea.xlsx:agreement_counts!C2", 2, 3, "agreement_counts!C2"},
	} {
		p := got[tc.item].FieldPos(tc.field, tc.index)
		if p.String() != filepath.FromSlash(tc.want) || p.Line != tc.wantLine || p.Column != tc.wantColumn || p.Cell() != tc.wantCell {
			t.Errorf("item %d FieldPos(%s, %d) = %v (%+v, cell %s); want %s", tc.item, tc.field, tc.index, p, p, p.Cell(), tc.want)
		}
	}

	// One pass returns what the sources and the records passes return.
	sources := readAll(t, f, Options{Only: OnlySources})
	records := readAll(t, f, Options{Only: OnlyRecords})
	if len(sources) != 1 || !sources[0].IsSource() || len(records) != 3 {
		t.Errorf("passes read %d sources and %d records; want 1 and 3", len(sources), len(records))
	}
}

func TestPositionCell(t *testing.T) {
	for _, tc := range []struct {
		pos  Position
		want string
	}{
		{Position{File: "f.xlsx", Sheet: "enterprise_counts", Line: 3, Column: 6}, "f.xlsx:enterprise_counts!F3"},
		{Position{File: "f.xlsx", Sheet: "s", Line: 7}, "f.xlsx:s!7:7"},
		{Position{File: "f.xlsx", Sheet: "s"}, "f.xlsx:s"},
		{Position{File: "f.xlsx", Sheet: "my sheet", Line: 1, Column: 28}, "f.xlsx:'my sheet'!AB1"},
		{Position{File: "f.xlsx", Sheet: "it's", Line: 1, Column: 1}, "f.xlsx:'it''s'!A1"},
		{Position{File: "f.xlsx", Sheet: "2020", Line: 1, Column: 1}, "f.xlsx:'2020'!A1"},
		{Position{File: "f.xlsx", Sheet: "Löhne_2.x", Line: 1048576, Column: 16384}, "f.xlsx:Löhne_2.x!XFD1048576"},
		{Position{File: "f.xlsx"}, "f.xlsx"},
		{Position{File: "a.yaml", Line: 3, Column: 5}, "a.yaml:3:5"},
	} {
		if got := tc.pos.String(); got != tc.want {
			t.Errorf("%+v: String() = %q; want %q", tc.pos, got, tc.want)
		}
	}
	if (Position{File: "a.csv", Line: 2}).Cell() != "" {
		t.Error("Cell() outside a workbook is not empty")
	}
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA", 16384: "XFD"} {
		if got := columnName(n); got != want {
			t.Errorf("columnName(%d) = %q; want %q", n, got, want)
		}
	}
}

// Every problem an analyst can make in Excel, at its cell.
func TestXLSXProblems(t *testing.T) {
	data := buildXLSX(t,
		xsheet{"investment_totals", [][]any{
			nil, // the header need not be on row 1
			investHeader,
			{"inv-1", "investment_total", "KR", "KZ", 3e9, "USD", "about", 39721, "construction; trade", nil,
				"src", "a title that is not trusted", 191, nil, nil, quote, true, "elsewhere.yaml", 99},
			nil, // empty rows are skipped
			{"inv-2", "enterprise_count", "KR", "KZ", "3E+9", "USD", nil, "2008-09-30", nil, nil, "src", nil, nil, nil, nil, quote},
			{"inv-3", nil, "KR", "KZ", 1, "USD", nil, 39721.5, nil, nil, "src", nil, 1.5, nil, nil, quote},
			{"inv-4", nil, "KR", "KZ", 1, "USD", nil, 12, nil, nil, "src", nil, "1E+2", nil, nil, quote, nil, nil, nil, nil, "stray"},
		}},
		xsheet{"enterprise_counts", [][]any{
			{"id", "partner", "host", "enterprises", "joint_ventures", "colour", "id", "qualifier", nil, "source", "quote"},
			{"ent-1", "KR", "KZ", 48.5, 2, "red", "ignored", "over", "no header", "src", quote},
		}},
		xsheet{"enterprise_counts_2", [][]any{countHeader, {"ent-2", nil, "KR", "KZ", 300, "over", 48, 62, nil, nil, "src", quote}}},
		xsheet{"enterprise_counts_02", [][]any{countHeader}},
		xsheet{"sources", [][]any{
			{"id", "title", "kind", "year"},
			{"src", "A book", "source", 2010},
		}},
		xsheet{"about", [][]any{{"tool", "export"}, {"anything", "goes here"}}},
		xsheet{"notes", [][]any{{"my own notes"}}},
	)
	items, err := readXLSX(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := problems(items)
	want := []string{
		`f.xlsx:investment_totals!B5: kind: kind "enterprise_count" does not match sheet investment_totals, which holds investment_total records; write investment_total or leave the cell empty, or move the row to sheet enterprise_counts [kind]`,
		`f.xlsx:investment_totals!H6: as_of: must be a date without a time of day; got the date and time 2008-09-30 12:00:00 (Excel serial 39721.5) [type]`,
		`f.xlsx:investment_totals!M6: page: must be a whole number written in digits, such as 300; got "1.5" [type]`,
		`f.xlsx:investment_totals!H7: as_of: must be a date from 1900-03-01 to 9999-12-31; got the number 12 (write an earlier date as text, YYYY-MM-DD) [type]`,
		`f.xlsx:investment_totals!U7: this cell is in a column without a name in the header (row 2); write the column's name there or clear the cell [unknown_field]`,
		`f.xlsx:enterprise_counts!F1: colour: unknown field "colour" for an enterprise_count; the fields are id, kind, partner, host, enterprises, qualifier, joint_ventures, representative_offices, as_of, note, derived, source, page, citation, authority, quote [unknown_field]`,
		`f.xlsx:enterprise_counts!G1: id: column "id" appears twice in the header (first in column A); remove one [duplicate_key]`,
		`f.xlsx:enterprise_counts!I2: this cell is in a column without a name in the header (row 1); write the column's name there or clear the cell [unknown_field]`,
		`f.xlsx:enterprise_counts!D2: enterprises: must be a whole number written in digits, such as 300; got "48.5" [type]`,
		`f.xlsx:enterprise_counts_02!A1: unknown sheet "enterprise_counts_02"; the sheets a workbook may have are investment_totals, enterprise_counts, agreement_counts (and their continuations, such as investment_totals_2), sources and about; rename the sheet or delete it [unknown_field]`,
		`f.xlsx:sources!C1: kind: unknown field "kind" for a source; the fields are id, title, chapter, pages, publisher, year, url, text, sha256, first_page, dollar [unknown_field]`,
		`f.xlsx:notes!A1: unknown sheet "notes"; the sheets a workbook may have are investment_totals, enterprise_counts, agreement_counts (and their continuations, such as investment_totals_2), sources and about; rename the sheet or delete it [unknown_field]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	byID := map[string]*Item{}
	for _, it := range items {
		if it.ID != "" {
			byID[it.ID] = it
		}
	}
	inv := byID["inv-1"].Record.(*schema.InvestmentTotal)
	if inv.Amount.String() != "3000000000" || inv.AsOf != "2008-09-30" || inv.Qualifier != "about" || *inv.Page != 191 ||
		!reflect.DeepEqual(inv.Sectors, []string{"construction", "trade"}) || inv.Source != "src" {
		t.Errorf("inv-1 = %+v", inv)
	}
	if inv.SourceTitle != "" || inv.QuoteVerified || inv.InputFile != "" || inv.InputLine != 0 {
		t.Errorf("inv-1: computed columns were read: %+v", inv.Provenance)
	}
	if p := byID["inv-1"].Pos; p.String() != "f.xlsx:investment_totals!A3" || p.Line != 3 {
		t.Errorf("inv-1 at %v", p)
	}
	// The sheet says the kind, even when a kind cell disagrees.
	if it := byID["inv-2"]; it.Kind == nil || it.Kind.Name != "investment_total" ||
		it.Record.(*schema.InvestmentTotal).Amount.String() != "3000000000" || it.Record.(*schema.InvestmentTotal).AsOf != "2008-09-30" {
		t.Errorf("inv-2 = %v %+v", it.Kind, it.Record)
	}
	if it := byID["inv-3"]; !it.HasProblem("as_of") || it.FieldPos("as_of", -1).String() != "f.xlsx:investment_totals!H6" {
		t.Errorf("inv-3: as_of has no problem or no position: %v", it.FieldPos("as_of", -1))
	}
	if p := byID["inv-4"].Record.(*schema.InvestmentTotal).Page; p == nil || *p != 100 {
		t.Errorf("inv-4: page 1E+2 read as %v; want 100", p)
	}
	ent := byID["ent-1"].Record.(*schema.EnterpriseCount)
	if ent.Enterprises != nil || *ent.JointVentures != 2 || ent.Qualifier != "over" {
		t.Errorf("ent-1 = %+v", ent)
	}
	if ent2 := byID["ent-2"]; ent2 == nil || ent2.Kind.Name != "enterprise_count" || *ent2.Record.(*schema.EnterpriseCount).Enterprises != 300 ||
		ent2.Pos.String() != "f.xlsx:enterprise_counts_2!A2" {
		t.Errorf("continuation sheet: %+v", ent2)
	}
	src := byID["src"]
	if src == nil || !src.IsSource() || src.Source.Title != "A book" || src.Source.Year != 2010 {
		t.Errorf("source = %+v", src)
	}

	// The passes split the items between them.
	srcItems, err1 := readXLSX(t, data, Options{Only: OnlySources})
	recItems, err2 := readXLSX(t, data, Options{Only: OnlyRecords})
	if err1 != nil || err2 != nil || len(srcItems)+len(recItems) != len(items) {
		t.Errorf("passes: %d + %d items (%v, %v); one pass %d", len(srcItems), len(recItems), err1, err2, len(items))
	}
	for _, it := range srcItems {
		if it.Kind != nil {
			t.Errorf("sources pass returned %v", it.Pos)
		}
	}
}

// A date serial reads as its date in the workbook's date system (1904 for
// old Mac Excel), from its first day (1900-03-01, past Excel's false
// 1900-02-29, or 1904-01-01) to 9999-12-31; the bounds the message names
// are the system's.
func TestXLSXDateSerials(t *testing.T) {
	const (
		range1900 = "must be a date from 1900-03-01 to 9999-12-31; got the number %s (write an earlier date as text, YYYY-MM-DD)"
		range1904 = "must be a date from 1904-01-01 to 9999-12-31; got the number %s (write an earlier date as text, YYYY-MM-DD)"
	)
	for _, tc := range []struct {
		date1904 bool
		serial   float64
		want     string // the date, or the problem's message (%s the serial)
	}{
		{false, 39721, "2008-09-30"},
		{false, 61, "1900-03-01"},
		{false, 60, range1900},
		{false, 2958465, "9999-12-31"},
		{false, 2958466, range1900},
		{true, 38259, "2008-09-30"}, // 39721 - 1462
		{true, 0, "1904-01-01"},
		{true, -1, range1904},
		{true, 2957003, "9999-12-31"},
		{true, 2957004, range1904},
	} {
		t.Run(fmt.Sprintf("1904=%v/%v", tc.date1904, tc.serial), func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			f.SetSheetName("Sheet1", "investment_totals")
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &tc.date1904}); err != nil {
				t.Fatal(err)
			}
			f.SetSheetRow("investment_totals", "A1", &[]any{"id", "as_of"})
			f.SetSheetRow("investment_totals", "A2", &[]any{"a", tc.serial})
			b, _ := f.WriteToBuffer()
			items, err := readXLSX(t, b.Bytes(), Options{})
			if err != nil || len(items) != 1 {
				t.Fatalf("%d items, %v", len(items), err)
			}
			got := items[0].Record.(*schema.InvestmentTotal).AsOf
			if len(items[0].Problems) > 0 {
				got = items[0].Problems[0].Message
			}
			if want := strings.ReplaceAll(tc.want, "%s", strconv.FormatFloat(tc.serial, 'f', -1, 64)); got != want {
				t.Errorf("as_of = %q; want %q", got, want)
			}
		})
	}
}

// rezip rewrites a workbook's parts through edit (nil drops a part),
// deflated or stored, optionally with zero checksums (archive/zip then
// checks none, so that a fuzzer's changes reach the XML).
func rezip(t testing.TB, data []byte, method uint16, noCRC bool, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if b = edit(f.Name, b); b == nil {
				continue
			}
		}
		if noCRC {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store,
				CompressedSize64: uint64(len(b)), UncompressedSize64: uint64(len(b))})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(b)
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// editPart returns an edit that replaces old with new in one part.
func editPart(part, old, new string) func(string, []byte) []byte {
	return func(name string, b []byte) []byte {
		if name == part {
			return bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		return b
	}
}

// rawEntry is a zip entry written as given, sizes and all.
type rawEntry struct {
	name         string
	method       uint16
	data         []byte // as stored (compressed for Deflate)
	crc          uint32
	uncompressed uint64
}

func rawZip(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range entries {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: e.method, CRC32: e.crc,
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.uncompressed})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zeros returns a deflate stream of n MiB of zero bytes (plus 64 KiB), its
// CRC-32 and its size, built in milliseconds: flate compresses a run of
// zeros to the same bytes every MiB once its window is full of zeros, so
// one such chunk is repeated.
func zeros(t testing.TB, mib int) (data []byte, crc uint32, size uint64) {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	zero := make([]byte, 1<<20)
	w.Write(zero[:64<<10])
	w.Flush()
	head := len(buf.Bytes())
	w.Write(zero)
	w.Flush()
	chunk := bytes.Clone(buf.Bytes()[head:])
	n := buf.Len()
	w.Write(zero)
	w.Flush()
	if !bytes.Equal(buf.Bytes()[n:], chunk) {
		t.Skip("flate does not repeat itself here; cannot build the zip bomb")
	}
	w.Close()
	tail := bytes.Clone(buf.Bytes()[n+len(chunk):])
	data = append(data, buf.Bytes()[:head]...)
	for range mib {
		data = append(data, chunk...)
	}
	data = append(data, tail...)
	crc = crc32.ChecksumIEEE(zero[:64<<10])
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	return data, crc, uint64(mib)<<20 + 64<<10
}

// hostile returns the workbook of the default dataset with its first
// worksheet replaced by entry.
func hostile(t testing.TB, replace rawEntry) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var entries []rawEntry
	replaced := false
	for _, f := range zr.File {
		if f.Name == replace.name {
			entries = append(entries, replace)
			replaced = true
			continue
		}
		r, _ := f.OpenRaw()
		b, _ := io.ReadAll(r)
		entries = append(entries, rawEntry{f.Name, f.Method, b, f.CRC32, f.UncompressedSize64})
	}
	if !replaced {
		entries = append(entries, replace)
	}
	return rawZip(t, entries...)
}

// storedEntry is a part stored without compression.
func storedEntry(name, data string) rawEntry {
	return rawEntry{name, zip.Store, []byte(data), crc32.ChecksumIEEE([]byte(data)), uint64(len(data))}
}

// manySheets returns a workbook of n empty sheets, each its own part:
// investment_totals, investment_totals_2, and so on.
func manySheets(t testing.TB, n int) []byte {
	t.Helper()
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	var book, rels strings.Builder
	book.WriteString(`<workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	entries := []rawEntry{
		storedEntry("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`),
		storedEntry("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="`+relOfficeDocument+`" Target="xl/workbook.xml"/></Relationships>`),
	}
	for i := 1; i <= n; i++ {
		name := "investment_totals"
		if i > 1 {
			name += "_" + strconv.Itoa(i)
		}
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
		entries = append(entries, storedEntry(fmt.Sprintf("xl/worksheets/sheet%d.xml", i), `<worksheet `+ns+`><sheetData/></worksheet>`))
	}
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	entries = append(entries, storedEntry("xl/workbook.xml", book.String()), storedEntry("xl/_rels/workbook.xml.rels", rels.String()))
	return rawZip(t, entries...)
}

// A workbook of more than xlsxMaxSheets sheets is refused before excelize
// opens it (which pairs every sheet with every relationship: seconds for
// 16,000 sheets), in well under a second; one of xlsxMaxSheets is read.
func TestXLSXSheetLimit(t *testing.T) {
	want := fmt.Sprintf("f.xlsx: the workbook has more than %d sheets, the limit for a workbook; export writes one sheet per kind (and one more for each 1,048,575 records), sources and about: delete the sheets that hold no dataset, or split the workbook [limit]",
		xlsxMaxSheets)
	for _, tc := range []struct {
		sheets int
		only   string
		want   string
	}{
		{xlsxMaxSheets, "", ""},
		{xlsxMaxSheets + 1, "", want},
		{xlsxMaxSheets + 1, OnlySources, want},
		{16000, "", want},
	} {
		t.Run(fmt.Sprintf("%d sheets %s", tc.sheets, tc.only), func(t *testing.T) {
			data := manySheets(t, tc.sheets)
			err, took, _ := measure(t, data, Options{Only: tc.only})
			t.Logf("%d KiB workbook read in %v", len(data)>>10, took)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("error %v; want none", err)
				}
				return
			}
			// The error comes from the workbook part, counted before
			// excelize opens the workbook: what is quadratic is never run.
			if !errors.Is(err, ErrLimit) || err.Error() != tc.want {
				t.Fatalf("error %v; want %q", err, tc.want)
			}
		})
	}
}

// measure reads data to its end, returning the error and what it cost.
func measure(t *testing.T, data []byte, opts Options) (error, time.Duration, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := readXLSX(t, data, opts)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return err, took, after.TotalAlloc - before.TotalAlloc
}

// Zip bombs are refused before anything is unpacked, or as soon as a part
// unpacks past what it declared: in well under a second, in bounded memory.
func TestXLSXZipBomb(t *testing.T) {
	const sheet = "xl/worksheets/sheet1.xml"
	bomb, crc, size := zeros(t, 5<<10) // 5 GiB of zeros in about 5 MB
	rows := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`), 1<<16)
	var packed bytes.Buffer
	w, _ := flate.NewWriter(&packed, flate.BestCompression)
	w.Write([]byte(`<worksheet><sheetData>`))
	w.Write(rows)
	w.Write([]byte(`</sheetData></worksheet>`))
	w.Close()
	rowsSize := uint64(len(rows) + 46)
	tests := []struct {
		name   string
		data   []byte
		limits Limits
		want   string
	}{
		{"5 GiB of zeros, over the unzip limit", hostile(t, rawEntry{sheet, zip.Deflate, bomb, crc, size}), Limits{},
			"f.xlsx: the workbook unpacks to more than 4294967296 bytes (xl/worksheets/sheet1.xml alone declares 5368774656); is it a zip bomb? If it is a real workbook, it is too large to read [limit]"},
		{"5 GiB of zeros, within a larger unzip limit", hostile(t, rawEntry{sheet, zip.Deflate, bomb, crc, size}), Limits{MaxXLSXUnzipBytes: 8 << 30},
			"f.xlsx: xl/worksheets/sheet1.xml is packed 1011 to 1 (5368774656 bytes into 5309527), more than a workbook's 100 to 1: a zip bomb? [limit]"},
		{"rows of valid XML", hostile(t, rawEntry{sheet, zip.Deflate, packed.Bytes(), crc32.ChecksumIEEE(nil), rowsSize}), Limits{},
			"f.xlsx: xl/worksheets/sheet1.xml is packed 340 to 1 (3211310 bytes into 9435), more than a workbook's 100 to 1: a zip bomb? [limit]"},
		{"a part that declares 1000 bytes and unpacks to 5 GiB", hostile(t, rawEntry{sheet, zip.Deflate, bomb, crc, 1000}), Limits{},
			"f.xlsx:investment_totals: xl/worksheets/sheet1.xml unpacks to more than the 1000 bytes its zip entry declares: the workbook is damaged, or a zip bomb [limit]"},
		{"parts held in memory", hostile(t, rawEntry{"customXml/item1.xml", zip.Deflate, bytes.Repeat([]byte{1}, 3<<20), 0, 200 << 20}), Limits{},
			"f.xlsx: the workbook's parts other than large worksheets unpack to more than 134217728 bytes; is it a zip bomb? [limit]"},
		// encoding/xml holds every open element: the parts read to find
		// the sheets are checked before they are decoded.
		{"elements nested in the workbook part", hostile(t, storedEntry("xl/workbook.xml", strings.Repeat("<a>", 2_000_000))), Limits{},
			"f.xlsx: part xl/workbook.xml nests XML elements more than 256 deep [limit]"},
		{"elements nested in the relationships", hostile(t, storedEntry("_rels/.rels", strings.Repeat("<a>", 2_000_000))), Limits{},
			"f.xlsx: part _rels/.rels nests XML elements more than 256 deep [limit]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err, took, alloc := measure(t, tc.data, Options{Limits: tc.limits})
			var e *Error
			if !errors.As(err, &e) || e.Rule != RuleLimit || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want a limit error with %q", err, tc.want)
			}
			t.Logf("%d KiB file refused in %v, %d KiB allocated", len(tc.data)>>10, took, alloc>>10)
			if alloc > uint64(len(tc.data))+32<<20 {
				t.Errorf("refused with %d MiB allocated; want at most the file's size plus 32 MiB", alloc>>20)
			}
		})
	}
}

// A file over MaxXLSXBytes (or MaxFileBytes, the flag's limit, when it is
// lower) is refused before it is read whole, with the message of any other
// file over its size limit.
func TestXLSXFileLimit(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	p := filepath.Join(t.TempDir(), "big.xlsx")
	os.WriteFile(p, data, 0o644)
	files, _, err := Collect([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		limits Limits
		want   string // after "the file is N bytes" or "more than 1000 bytes"
	}{
		{"workbook limit", Limits{MaxXLSXBytes: 1000},
			", over the limit of 1000 bytes for an XLSX workbook; split it into several workbooks, or use CSV or JSON Lines for large datasets [limit]"},
		{"file limit", Limits{MaxFileBytes: 1000},
			", over the limit of 1000 bytes for an input file (--max-file-size); split it into smaller files [limit]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := "f.xlsx: the file is 22412 bytes" + tc.want
			_, err := readXLSX(t, data, Options{Limits: tc.limits})
			if err == nil || err.Error() != want || !errors.Is(err, ErrLimit) {
				t.Errorf("from memory: %v; want %q", err, want)
			}

			src := &countingReader{r: bytes.NewReader(data)}
			r, _ := Open(File{Path: "f.xlsx", Format: FormatXLSX}, iotest.HalfReader(src), Options{Limits: tc.limits})
			_, err = r.Next()
			want = "f.xlsx: the file is more than 1000 bytes" + tc.want
			if err == nil || err.Error() != want || src.n > 1001 {
				t.Errorf("from a stream: %v after reading %d bytes; want %q after at most 1001", err, src.n, want)
			}

			r, _ = Open(files[0], strings.NewReader("not read"), Options{Limits: tc.limits})
			_, err = r.Next()
			want = p + ": the file is 22412 bytes" + tc.want
			var e *Error
			if !errors.As(err, &e) || e.Pos != (Position{File: p}) || err.Error() != want {
				t.Errorf("from disk: %v; want %q", err, want)
			}
		})
	}
}

// A workbook on disk, as Collect finds it and the pipeline opens it, is
// read from the file with random access (excelize opens it again by name):
// it reads as the same workbook does from memory, at its path.
func TestXLSXFromDisk(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := Collect([]string{dir})
	if err != nil || len(files) != 1 || files[0].disk != p {
		t.Fatalf("Collect = %+v, %v; want %s on disk", files, err, p)
	}
	for _, only := range []string{"", OnlySources, OnlyRecords} {
		got := readAll(t, files[0], Options{Only: only})
		want := readAll(t, testdataFile("kazakhstan-korea.xlsx"), Options{Only: only})
		sameItems(t, got, want)
		if at := got[0].Pos.String(); !strings.HasPrefix(at, p+":") {
			t.Errorf("only=%q: the first item is at %s; want a cell of %s", only, at, p)
		}
	}
}

// sameFile tells whether the file excelize opened by name is still the one
// the reader checked: not another, nor changed since.
func TestSameFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, p string)
		same   bool
	}{
		{"unchanged", func(*testing.T, string) {}, true},
		{"replaced", func(t *testing.T, p string) {
			q := p + ".new"
			if err := os.WriteFile(q, []byte("PK\x03\x04 other"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(q, p); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"grown", func(t *testing.T, p string) {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("more")
			f.Close()
		}, false},
		{"changed in place", func(t *testing.T, p string) {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(p, later, later); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"removed", func(t *testing.T, p string) { os.Remove(p) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "book.xlsx")
			if err := os.WriteFile(p, []byte("PK\x03\x04 checked"), 0o644); err != nil {
				t.Fatal(err)
			}
			checked, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			tc.change(t, p)
			err = sameFile(checked, p)
			if (err == nil) != tc.same {
				t.Errorf("sameFile = %v; want same %v", err, tc.same)
			}
			if err != nil && !strings.Contains(err.Error(), "the file changed while it was read") {
				t.Errorf("sameFile = %v; want it to say the file changed", err)
			}
		})
	}
}

// Files that are not workbooks, or damaged ones, end the file with a clear
// error at the file or the sheet, and never a panic.
func TestXLSXNotAWorkbook(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	const sheet1 = "xl/worksheets/sheet1.xml"
	stored := rezip(t, good, zip.Store, false, nil)
	flipped := bytes.Clone(stored)
	i := bytes.Index(flipped, []byte("kr-kz-investment"))
	flipped[i] = 'K' // the checksum no longer matches
	manyParts := func() []byte {
		var entries []rawEntry
		for i := range 40000 {
			entries = append(entries, rawEntry{name: strings.Repeat("x", 100) + strings.Repeat("0", i%7) + string(rune('a'+i%26)) + strings.Repeat("1", i/26%50),
				method: zip.Store})
		}
		return rawZip(t, entries...)
	}
	tests := []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"empty", nil, Options{},
			`f.xlsx: the file is empty; an .xlsx workbook is a zip archive of the sheets export writes [syntax]`},
		{"a CSV file", []byte("id,kind\na,enterprise_count\n"), Options{},
			`f.xlsx: not an XLSX workbook: an .xlsx file is a zip archive, but this one starts with "id,kind\n"; is it another kind of file renamed to .xlsx? [syntax]`},
		{"encrypted or .xls", append(bytes.Clone(oleMagic), make([]byte, 600)...), Options{},
			"f.xlsx: the workbook is encrypted (password-protected) or in the old .xls format; save it in Excel as an Excel Workbook (.xlsx) without a password [unsupported]"},
		{"cut short", good[:len(good)/2], Options{},
			"f.xlsx: not a valid XLSX workbook: zip: not a valid zip file; is the file complete? Open it in Excel and save it again [syntax]"},
		{"an empty zip", rawZip(t), Options{},
			"f.xlsx: not a valid XLSX workbook: it has no part _rels/.rels; open it in Excel and save it again as an Excel Workbook (.xlsx) [syntax]"},
		{"a checksum mismatch", flipped, Options{},
			"f.xlsx:investment_totals!A2: the workbook is damaged: xl/worksheets/sheet1.xml does not match its checksum [syntax]"},
		{"a huge zip directory", manyParts(), Options{},
			"f.xlsx: the workbook's zip directory is larger than 4194304 bytes; a workbook lists a few dozen parts [limit]"},
		{"malformed sheet XML", rezip(t, good, zip.Deflate, false, editPart(sheet1, "</row>", "</rwo>")), Options{},
			"f.xlsx:investment_totals!A1: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) is not well-formed XML (line 2 of the part: element <row> closed by </rwo>); open it in Excel and save it again [syntax]"},
		{"malformed sheet XML, sources pass", rezip(t, good, zip.Deflate, false, editPart(sheet1, "</row>", "</rwo>")), Options{Only: OnlySources}, ""},
		{"a control character", rezip(t, good, zip.Deflate, false, editPart(sheet1, "kr-kz", "kr\x01kz")), Options{},
			"f.xlsx:investment_totals!A2: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) is not well-formed XML (line 2 of the part: illegal character code U+0001)"},
		{"rows out of order", rezip(t, good, zip.Deflate, false, editPart(sheet1, `<row r="2"`, `<row r="1"`)), Options{},
			`f.xlsx:investment_totals!A1: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) has row number "1" after row 1; rows must come in increasing order, up to 1048576 [syntax]`},
		{"cells out of order", rezip(t, good, zip.Deflate, false, editPart(sheet1, `<c r="B2"`, `<c r="A2"`)), Options{},
			`f.xlsx:investment_totals!A2: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) row 2 has cell "A2" after column A; cells must come in increasing order [syntax]`},
		{"an invalid cell reference", rezip(t, good, zip.Deflate, false, editPart(sheet1, `<c r="A2"`, `<c r="2A"`)), Options{},
			`f.xlsx:investment_totals!A2: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) row 2 has a cell with the reference "2A", which is not a cell such as B2; open it in Excel and save it again [syntax]`},
		// excelize's Rows reads every <row> up to </sheetData>, even one
		// nested where none belongs: each is checked; none after it.
		{"a row out of order, nested in the sheet data", rezip(t, good, zip.Deflate, false, editPart(sheet1, "</sheetData>", `<x><row r="1"/></x></sheetData>`)), Options{},
			`f.xlsx:investment_totals!A2: the workbook is damaged: sheet investment_totals (part xl/worksheets/sheet1.xml) has row number "1" after row 2; rows must come in increasing order, up to 1048576 [syntax]`},
		{"a row after the sheet data", rezip(t, good, zip.Deflate, false, editPart(sheet1, "</sheetData>", `</sheetData><extLst><ext uri="x"><row r="1"/></ext></extLst>`)), Options{}, ""},
		// Other parts have rows of their own: an external link numbers the
		// rows of each sheet it links to from 1.
		{"rows of an external link", hostile(t, storedEntry("xl/externalLinks/externalLink1.xml",
			`<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook><sheetDataSet>`+
				`<sheetData sheetId="0"><row r="2"><cell r="B2"><v>1</v></cell><cell r="A2"><v>2</v></cell></row></sheetData>`+
				`<sheetData sheetId="1"><row r="1"><cell r="A1"><v>3</v></cell></row></sheetData>`+
				`</sheetDataSet></externalBook></externalLink>`)), Options{}, ""},
		{"two sheets of one part", rezip(t, good, zip.Deflate, false, editPart("xl/workbook.xml", `r:id="rId7"`, `r:id="rId6"`)), Options{},
			`f.xlsx:about: the workbook is damaged: sheets "sources" and "about" are the same part, xl/worksheets/sheet4.xml; open it in Excel and save it again [syntax]`},
		{"two relationships to one part", rezip(t, good, zip.Deflate, false, editPart("xl/_rels/workbook.xml.rels", `Target="worksheets/sheet5.xml"`, `Target="/xl/worksheets/sheet4.xml"`)), Options{Only: OnlySources},
			`f.xlsx:about: the workbook is damaged: sheets "sources" and "about" are the same part, xl/worksheets/sheet4.xml; open it in Excel and save it again [syntax]`},
		{"a long row", good, Options{Limits: Limits{MaxLineBytes: 1200}},
			"f.xlsx:investment_totals!A2: row 2 of sheet investment_totals (part xl/worksheets/sheet1.xml) is longer than 1200 bytes of XML [limit]"},
		{"a long text", rezip(t, good, zip.Deflate, false, editPart(sheet1, "<sheetData>", "<sheetData>"+strings.Repeat(" ", 70000))), Options{Limits: Limits{MaxLineBytes: 4000}},
			"f.xlsx:investment_totals: sheet investment_totals (part xl/worksheets/sheet1.xml) holds an XML element or text longer than 65536 bytes [limit]"},
		{"a long text in a row", rezip(t, good, zip.Deflate, false, editPart(sheet1, "<t>kr-kz", "<t>"+strings.Repeat("x", 5000)+"kr-kz")), Options{Limits: Limits{MaxLineBytes: 4000}},
			"f.xlsx:investment_totals!A2: row 2 of sheet investment_totals (part xl/worksheets/sheet1.xml) is longer than 4000 bytes of XML [limit]"},
		{"deep nesting", rezip(t, good, zip.Deflate, false, editPart(sheet1, "<sheetData>", "<sheetData>"+strings.Repeat("<a>", 300)+strings.Repeat("</a>", 300))), Options{},
			"f.xlsx:investment_totals: sheet investment_totals (part xl/worksheets/sheet1.xml) nests XML elements more than 256 deep [limit]"},
		{"two sheets named alike", rezip(t, good, zip.Deflate, false, editPart("xl/workbook.xml", `name="sources"`, `name="Enterprise_Counts"`)), Options{},
			`f.xlsx:Enterprise_Counts: the workbook has two sheets named "enterprise_counts" and "Enterprise_Counts"; Excel does not allow that, and neither can be read reliably: rename one [syntax]`},
		{"a sheet without its part", rezip(t, good, zip.Deflate, false, func(name string, b []byte) []byte {
			if name == "xl/worksheets/sheet2.xml" {
				return nil
			}
			return b
		}), Options{}, "f.xlsx:enterprise_counts: sheet enterprise_counts cannot be read: sheet enterprise_counts does not exist [syntax]"},
		{"no workbook part", rezip(t, good, zip.Deflate, false, func(name string, b []byte) []byte {
			if name == "xl/workbook.xml" {
				return nil
			}
			return b
		}), Options{}, "f.xlsx: not a valid XLSX workbook: it has no part xl/workbook.xml; open it in Excel and save it again as an Excel Workbook (.xlsx) [syntax]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readXLSX(t, tc.data, tc.opts)
			if tc.want == "" {
				if err != nil {
					t.Errorf("error %v; want none", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) || !(errors.Is(err, ErrSyntax) || errors.Is(err, ErrLimit)) {
				t.Fatalf("error %v (after %d items); want one with %q", err, len(items), tc.want)
			}
		})
	}
}

// Next after the end, or after an error, returns io.EOF; Close releases
// the workbook at any time.
func TestXLSXEndAndClose(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	r, _ := Open(File{Path: "f.xlsx", Format: FormatXLSX}, bytes.NewReader(data), Options{})
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	c, ok := r.(io.Closer)
	if !ok {
		t.Fatal("the XLSX reader is not an io.Closer")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if it, err := r.Next(); it != nil || err != io.EOF {
		t.Errorf("Next after Close = %v, %v; want io.EOF", it, err)
	}
	c.Close()
	r, _ = Open(File{Path: "f.xlsx", Format: FormatXLSX}, strings.NewReader("nope"), Options{})
	if _, err := r.Next(); err == nil {
		t.Fatal("no error")
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after an error = %v; want io.EOF", err)
	}
}
