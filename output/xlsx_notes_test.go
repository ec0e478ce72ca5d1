package output_test

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"export/bench/synth"
	"export/output"
	"export/schema"
)

// xlsxStated returns a record by hand whose quote states its figures, as
// the pipeline finds them.
func xlsxStated(id string) *schema.InvestmentTotal {
	r := xlsxInvestment(id, "3000000000")
	r.Quote = `Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008) & more, <"x">`
	r.Stated = schema.Stated{
		{Field: "amount", Text: "about $3bn", Start: 51, End: 61},
		{Field: "currency", Text: "$", Start: 57, End: 58},
		{Field: "qualifier", Text: "about", Start: 51, End: 56},
		{Field: "as_of", Text: "30 September 2008", Start: 69, End: 86},
		{Field: "amount", Text: `& more, <"x">`, Start: 88, End: 101},
	}
	return r
}

// xlsxNotesOf returns the notes of a sheet, by cell, read with excelize.
func xlsxNotesOf(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	comments, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, p := range c.Paragraph {
			text += p.Text
		}
		out[c.Cell] = text
	}
	return out
}

// Each figure that the quote states gets a note on its cell with the words
// that state it; spans of one field share a note; text that XML or a
// workbook would read differently is escaped.
func TestXLSXNotes(t *testing.T) {
	defer output.SetXLSXRowLimit(2)()
	run := xlsxWrite(t, nil, xlsxStated("stated-1"), xlsxStated("stated-2"))
	f := xlsxOpen(t, run.path)
	it := xlsxKind(t, "investment_total")
	// Row 2 of investment_totals is the embedded record, as the pipeline
	// found its words, row 3 stated-1; stated-2 is on the continuation
	// sheet's row 2.
	embedded := map[string]string{
		xlsxRef(t, it, "amount", 2):    `Stated by the quote: "about $3bn"`,
		xlsxRef(t, it, "currency", 2):  `Stated by the quote: "about $3bn"`,
		xlsxRef(t, it, "qualifier", 2): `Stated by the quote: "about"`,
		xlsxRef(t, it, "as_of", 2):     `Stated by the quote: "30 September 2008"`,
	}
	for sheet, row := range map[string]int{"investment_totals": 3, "investment_totals_2": 2} {
		want := map[string]string{
			xlsxRef(t, it, "amount", row):    `Stated by the quote: "about $3bn", "& more, <"x">"`,
			xlsxRef(t, it, "currency", row):  `Stated by the quote: "$"`,
			xlsxRef(t, it, "qualifier", row): `Stated by the quote: "about"`,
			xlsxRef(t, it, "as_of", row):     `Stated by the quote: "30 September 2008"`,
		}
		if sheet == "investment_totals" {
			maps.Copy(want, embedded)
		}
		if got := xlsxNotesOf(t, f, sheet); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: notes %q, want %q", sheet, got, want)
		}
	}
	ec := xlsxKind(t, "enterprise_count")
	wantEC := map[string]string{
		xlsxRef(t, ec, "enterprises", 2):            `Stated by the quote: "Over 300 enterprises"`,
		xlsxRef(t, ec, "qualifier", 2):              `Stated by the quote: "Over"`,
		xlsxRef(t, ec, "joint_ventures", 2):         `Stated by the quote: "48 joint ventures"`,
		xlsxRef(t, ec, "representative_offices", 2): `Stated by the quote: "62 representative offices"`,
	}
	if got := xlsxNotesOf(t, f, "enterprise_counts"); fmt.Sprint(got) != fmt.Sprint(wantEC) {
		t.Errorf("enterprise_counts: notes %q, want %q", got, wantEC)
	}
	for _, sheet := range []string{"sources", "about"} {
		if got := xlsxNotesOf(t, f, sheet); len(got) > 0 {
			t.Errorf("%s: notes %q, want none", sheet, got)
		}
	}
	// The embedded record's other data is where it was.
	if v, _ := f.GetCellValue("investment_totals", xlsxRef(t, it, "id", 3)); v != "stated-1" {
		t.Errorf("investment_totals row 3: id %q", v)
	}

	// A workbook's escape of a character, _xHHHH_, in the words is escaped,
	// as in cells (excelize reads a comment as it is written).
	escaped := xlsxStated("escaped")
	escaped.Quote += " _x0041_"
	escaped.Stated = schema.Stated{{Field: "amount", Text: "_x0041_"}}
	run = xlsxWrite(t, nil, escaped)
	if got := xlsxNotesOf(t, xlsxOpen(t, run.path), "investment_totals"); got[xlsxRef(t, it, "amount", 3)] != `Stated by the quote: "_x005F_x0041_"` {
		t.Errorf("notes %q, want the _x0041_ escaped", got)
	}

	// A field that is not a column of the sheet is an error, not a note
	// lost or put elsewhere.
	w, err := output.New(output.FormatXLSX, t.TempDir(), output.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	bad := xlsxStated("bad")
	bad.Stated = append(bad.Stated, schema.Span{Field: "colour", Text: "red"})
	if err := w.Write(bad); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("Write with a span of field colour: %v, want an error naming it", err)
	}
}

// The notes' bytes are the same on every run.
func TestXLSXNotesDeterministic(t *testing.T) {
	var first []byte
	for i := range 3 {
		b, err := os.ReadFile(xlsxWrite(t, nil, xlsxStated("a"), xlsxStated("b")).path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !slices.Equal(first, b) {
			t.Fatalf("run %d wrote different bytes", i+1)
		}
	}
}

// TestXLSXNotesInterop reads the notes with openpyxl, which reads
// comments, from the workbook export wrote, from LibreOffice's copy of it
// as .xlsx, and from a copy that went through LibreOffice's own format
// (.ods) and back: LibreOffice opened the notes and kept them.
func TestXLSXNotesInterop(t *testing.T) {
	py := pythonWith("openpyxl")
	if py == "" {
		xlsxInteropMissing(t, "python3 with openpyxl", "python3-openpyxl")
	}
	soffice := xlsxSoffice()
	if soffice == "" {
		xlsxInteropMissing(t, "LibreOffice (soffice)", "libreoffice-calc-nogui")
	}
	defer output.SetXLSXRowLimit(2)()
	run := xlsxWrite(t, nil, xlsxStated("stated-1"), xlsxStated("stated-2"))
	it := xlsxKind(t, "investment_total")
	var want []string
	for sheet, row := range map[string]int{"investment_totals": 3, "investment_totals_2": 2} {
		want = append(want,
			sheet+"!"+xlsxRef(t, it, "amount", row)+"="+`Stated by the quote: "about $3bn", "& more, <"x">"`,
			sheet+"!"+xlsxRef(t, it, "currency", row)+"="+`Stated by the quote: "$"`,
			sheet+"!"+xlsxRef(t, it, "qualifier", row)+"="+`Stated by the quote: "about"`,
			sheet+"!"+xlsxRef(t, it, "as_of", row)+"="+`Stated by the quote: "30 September 2008"`)
	}
	// The embedded records, as the pipeline found their words.
	ec, ac := xlsxKind(t, "enterprise_count"), xlsxKind(t, "agreement_count")
	want = append(want,
		"investment_totals!"+xlsxRef(t, it, "amount", 2)+"="+`Stated by the quote: "about $3bn"`,
		"investment_totals!"+xlsxRef(t, it, "currency", 2)+"="+`Stated by the quote: "about $3bn"`,
		"investment_totals!"+xlsxRef(t, it, "qualifier", 2)+"="+`Stated by the quote: "about"`,
		"investment_totals!"+xlsxRef(t, it, "as_of", 2)+"="+`Stated by the quote: "30 September 2008"`,
		"enterprise_counts!"+xlsxRef(t, ec, "enterprises", 2)+"="+`Stated by the quote: "Over 300 enterprises"`,
		"enterprise_counts!"+xlsxRef(t, ec, "qualifier", 2)+"="+`Stated by the quote: "Over"`,
		"enterprise_counts!"+xlsxRef(t, ec, "joint_ventures", 2)+"="+`Stated by the quote: "48 joint ventures"`,
		"enterprise_counts!"+xlsxRef(t, ec, "representative_offices", 2)+"="+`Stated by the quote: "62 representative offices"`,
		"agreement_counts!"+xlsxRef(t, ac, "documents", 2)+"="+`Stated by the quote: "over 60 documents"`,
		"agreement_counts!"+xlsxRef(t, ac, "qualifier", 2)+"="+`Stated by the quote: "over"`)
	slices.Sort(want)
	ods, back := t.TempDir(), t.TempDir()
	xlsxConvert(t, soffice, run.path, "ods", ods)
	xlsxConvert(t, soffice, filepath.Join(ods, "figures.ods"), "xlsx:Calc MS Excel 2007 XML", back)
	copyDir := t.TempDir()
	xlsxConvert(t, soffice, run.path, "xlsx:Calc MS Excel 2007 XML", copyDir)
	script := `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
notes = sorted(f"{ws.title}!{c.coordinate}={c.comment.text}" for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment)
print("\n".join(notes))
`
	for _, path := range []string{run.path, filepath.Join(copyDir, output.XLSXName), filepath.Join(back, output.XLSXName)} {
		out, err := exec.Command(py, "-W", "error", "-c", script, path).CombinedOutput()
		if err != nil {
			t.Errorf("openpyxl (%s) could not read %s: %v\n%s", py, path, err, out)
			continue
		}
		got := strings.Split(strings.TrimSpace(string(out)), "\n")
		if !slices.Equal(got, want) {
			t.Errorf("%s: notes\n%s\nwant\n%s", path, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// BenchmarkXLSXNotes writes b.N synthetic investment totals (bench/synth,
// as bench/run.sh's), with Finish, without notes and with three notes a
// record (amount, qualifier, as_of), to measure what the notes cost:
//
//	go test ./output -run '^$' -bench 'XLSXNotes/notes=false' -benchtime 1000000x
//	go test ./output -run '^$' -bench 'XLSXNotes/notes=true' -benchtime 1000000x
//
// (one at a time under /usr/bin/time -f '%e s %M KiB' for the peak RSS).
func BenchmarkXLSXNotes(b *testing.B) {
	for _, notes := range []bool{false, true} {
		b.Run(fmt.Sprint("notes=", notes), func(b *testing.B) {
			g, err := synth.New(synth.Options{})
			if err != nil {
				b.Fatal(err)
			}
			dir, tmp := b.TempDir(), b.TempDir()
			w, err := output.New(output.FormatXLSX, dir, output.Options{TempDir: tmp})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			b.ResetTimer()
			for i := range b.N {
				r := g.Record(i)
				if notes {
					p := schema.ProvenanceOf(r)
					p.Stated = schema.Stated{{Field: "amount", Text: "about $3bn"}, {Field: "qualifier", Text: "about"},
						{Field: "as_of", Text: "30 September 2008"}}
				}
				if err := w.Write(r); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := w.Finish(&output.Meta{Tool: "export", Version: "bench", Sources: g.Sources()}); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if info, err := os.Stat(filepath.Join(dir, output.XLSXName)); err == nil {
				b.ReportMetric(float64(info.Size())/float64(b.N), "B/record")
			}
		})
	}
}

// BenchmarkXLSXExcelizeComments measures excelize's own AddComment on a
// streamed sheet, b.N rows with three notes each, which xlsx_notes.go does
// not use: its time grows with the square of the notes (each is checked
// against every earlier one), and its memory with their number.
//
//	go test ./output -run '^$' -bench XLSXExcelizeComments -benchtime 10000x
func BenchmarkXLSXExcelizeComments(b *testing.B) {
	f := excelize.NewFile(excelize.Options{TmpDir: b.TempDir()})
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for r := 1; r <= b.N; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{"id", 3e9, "USD", "about", "2008-09-30", "Its total investment has reached about $3bn."}); err != nil {
			b.Fatal(err)
		}
		for _, col := range []string{"B", "D", "E"} {
			if err := f.AddComment("Sheet1", excelize.Comment{Cell: fmt.Sprint(col, r), Author: "export", Text: `Stated by the quote: "about $3bn"`}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Write(io.Discard); err != nil {
		b.Fatal(err)
	}
}
