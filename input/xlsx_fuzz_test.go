package input

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// FuzzXLSX feeds arbitrary bytes to the XLSX reader and checks what
// fuzzReader checks for the other formats (no panic, Next ends, an error
// ends the file, every error and item positioned, one pass reads what the
// sources and records passes read), with one difference: an error about
// the whole workbook (not a zip archive, a zip bomb) or a whole sheet has
// no row (Line 0); an item, a field or a problem is always at a cell of a
// sheet.
//
// It is seeded with the default dataset's workbook as the XLSX output
// writes it, the same workbook stored without compression and without
// checksums (archive/zip then checks none, so that the fuzzer's changes
// reach the XML), and the workbooks of the reader tests.
//
//	go test ./input -run XXX -fuzz FuzzXLSX -fuzztime 5m
func FuzzXLSX(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "kazakhstan-korea.xlsx"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(rezip(f, good, zip.Store, true, nil))
	f.Add(rezip(f, good, zip.Store, true, editPart("xl/workbook.xml", `name="about"`, `name="notes"`)))
	small := buildXLSX(f,
		xsheet{"enterprise_counts", [][]any{countHeader, {"e", "enterprise_count", "KR", "KZ", 48.5, "over", 2, nil, 39721.5, "n", "src", quote, "x"}}},
		xsheet{"sources", [][]any{{"id", "title", "year"}, {"src", "A book", 2010}}},
	)
	f.Add(small)
	f.Add(rezip(f, small, zip.Store, true, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzPasses(t, func(only string) ([]string, error) { return xlsxFuzzRead(t, data, only) })
	})
}

func xlsxFuzzRead(t *testing.T, data []byte, only string) (items []string, end error) {
	const file = "fuzz.xlsx"
	r, err := Open(File{Path: file, Format: FormatXLSX}, bytes.NewReader(data), Options{Only: only})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	atCell := func(what string, p Position) {
		if p.File != file || p.Sheet == "" || p.Line < 1 || p.Column < 1 {
			t.Errorf("only=%q: %s has position %+v; want a cell of a sheet of %s", only, what, p, file)
		}
	}
	checkErr := func(what string, e *Error, fatal bool) {
		// An error may concern the whole workbook, or a whole sheet (no
		// row); anything else is at a cell.
		if p := e.Pos; !fatal || p.File != file || p.Line != 0 || p.Column != 0 {
			atCell(fmt.Sprintf("%s %q", what, e.Error()), p)
		}
		if e.Rule == "" || e.Message == "" {
			t.Errorf("only=%q: %s %q has no rule or message", only, what, e.Error())
		}
		if fatal && !errors.Is(e, ErrSyntax) && !errors.Is(e, ErrLimit) {
			t.Errorf("only=%q: %s %q wraps neither ErrSyntax nor ErrLimit", only, what, e.Error())
		}
		switch e.Rule {
		case RuleKind, RuleNotApplicable, RuleType:
			if e.Field == "" {
				t.Errorf("only=%q: %s %q names no field", only, what, e.Error())
			}
		}
	}
	return readChecked(t, r, len(data), only, atCell, checkErr)
}
