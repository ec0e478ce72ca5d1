package output_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"export/output"
	"export/schema"
)

// xlsxValidation is a data validation as check_validation.py expects it.
type xlsxValidation struct {
	Sheet    string  `json:"sheet"`
	Ref      string  `json:"ref"`
	Type     *string `json:"type"`
	Operator *string `json:"operator"`
	Formula1 *string `json:"formula1"`
	Formula2 *string `json:"formula2"`
}

// xlsxWantValidations returns the validations of the columns that show
// each kind of check, on every sheet of the interop workbook that has the
// column: written by hand from the contract, not from the code that
// generates them.
func xlsxWantValidations(t *testing.T, run *xlsxRun) []xlsxValidation {
	t.Helper()
	s := func(v string) *string { return &v }
	type want struct {
		column          string
		typ, op, f1, f2 *string
	}
	const maxCount = "9007199254740991"
	wants := map[string][]want{
		"investment_total": {
			{"id", nil, nil, nil, nil},
			{"kind", s("list"), nil, s(`"investment_total"`), nil},
			{"investor", s("list"), nil, s("codes_iso3166_1_alpha2"), nil},
			{"recipient", s("list"), nil, s("codes_iso3166_1_alpha2"), nil},
			{"amount", s("custom"), nil, s("AND(ISNUMBER(E2),E2>0,E2<=10000000000000)"), nil},
			{"currency", s("list"), nil, s("codes_iso4217"), nil},
			{"qualifier", s("list"), nil, s(`"exact,about,over,under"`), nil},
			{"as_of", s("date"), s("between"), s("61"), s("2958465")},
			{"sectors", nil, nil, nil, nil},
			{"note", s("textLength"), s("lessThanOrEqual"), s("1000"), nil},
			{"derived", nil, nil, nil, nil},
			{"page", s("whole"), s("between"), s("1"), s("100000")},
			{"quote", s("textLength"), s("between"), s("10"), s("2000")},
			{"quote_verified", nil, nil, nil, nil},
		},
		"enterprise_count": {
			{"enterprises", s("whole"), s("between"), s("0"), s(maxCount)},
			{"joint_ventures", s("whole"), s("between"), s("0"), s(maxCount)},
			{"as_of", s("date"), s("between"), s("61"), s("2958465")},
		},
		"agreement_count": {
			{"parties", nil, nil, nil, nil},
			{"documents", s("whole"), s("between"), s("1"), s(maxCount)},
		},
	}
	var out []xlsxValidation
	for _, sh := range xlsxSheets(run) {
		for _, w := range wants[sh.kind.Name] {
			first := xlsxRef(t, sh.kind, w.column, 2)
			col := strings.TrimSuffix(first, "2")
			out = append(out, xlsxValidation{sh.name, first + ":" + col + "1048576", w.typ, w.op, w.f1, w.f2})
		}
	}
	for _, c := range []struct {
		col             string
		typ, op, f1, f2 *string
	}{
		{"F", s("whole"), s("between"), s("1800"), s("2100")},        // year
		{"G", s("textLength"), s("lessThanOrEqual"), s("2000"), nil}, // url
		{"K", s("list"), nil, s("codes_iso4217"), nil},               // dollar
	} {
		out = append(out, xlsxValidation{"sources", c.col + "2:" + c.col + "1048576", c.typ, c.op, c.f1, c.f2})
	}
	return out
}

// Every column of every sheet has a data validation with an input message
// within Excel's limits, and the columns that a spreadsheet can check are
// checked: read back with excelize.
func TestXLSXDataValidation(t *testing.T) {
	defer output.SetXLSXRowLimit(2)()
	run := xlsxWrite(t, nil, xlsxInvestment("by-hand", "2469135.78"), xlsxInvestment("by-hand-2", "7"))
	f := xlsxOpen(t, run.path)
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	columns := map[string]int{"sources": len(schema.SourceTable().Columns)}
	for _, sh := range xlsxSheets(run) {
		columns[sh.name] = len(sh.kind.TableColumns())
	}
	for sheet, n := range columns {
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(dvs) != n {
			t.Errorf("%s: %d data validations, want %d", sheet, len(dvs), n)
		}
		for _, dv := range dvs {
			if dv.Prompt == nil || *dv.Prompt == "" || units(*dv.Prompt) > 255 || units(*dv.PromptTitle) > 32 {
				t.Errorf("%s!%s: input message %v, want one of at most 255 characters", sheet, dv.Sqref, dv.Prompt)
			}
			if dv.Type != "" && (dv.Error == nil || units(*dv.Error) > 225 || *dv.ErrorStyle != "stop") {
				t.Errorf("%s!%s: error %v, want a stop message of at most 225 characters", sheet, dv.Sqref, dv.Error)
			}
		}
	}
	got := map[string]xlsxValidation{}
	for sheet := range columns {
		dvs, _ := f.GetDataValidations(sheet)
		for _, dv := range dvs {
			v := xlsxValidation{Sheet: sheet, Ref: dv.Sqref}
			for _, p := range []struct {
				dst **string
				src string
			}{{&v.Type, dv.Type}, {&v.Operator, dv.Operator}, {&v.Formula1, dv.Formula1}, {&v.Formula2, dv.Formula2}} {
				if p.src != "" {
					src := p.src
					*p.dst = &src
				}
			}
			got[sheet+"!"+dv.Sqref] = v
		}
	}
	for _, want := range xlsxWantValidations(t, run) {
		g, ok := got[want.Sheet+"!"+want.Ref]
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(g)
		if !ok || string(wj) != string(gj) {
			t.Errorf("%s!%s: validation %s, want %s", want.Sheet, want.Ref, gj, wj)
		}
	}
	// The lists' defined names point at the codes on the about sheet.
	for _, tag := range []string{"iso3166_1_alpha2", "iso4217"} {
		codes := output.XLSXCodes(tag)
		i := slices.IndexFunc(f.GetDefinedName(), func(d excelize.DefinedName) bool { return d.Name == "codes_"+tag })
		if i < 0 {
			t.Errorf("no defined name codes_%s", tag)
			continue
		}
		ref := f.GetDefinedName()[i].RefersTo
		cells := xlsxRangeValues(t, f, ref)
		if !slices.Equal(cells, codes) {
			t.Errorf("codes_%s (%s): %d values, want the %d codes", tag, ref, len(cells), len(codes))
		}
	}
}

// The drop-downs offer exactly the codes that export validate accepts:
// every code in a list passes schema.Validate, every other string of its
// shape fails. Where Debian's iso-codes is installed, the lists are
// compared with it: they differ by a handful of codes (the validator's
// own lists, which are the contract's, are newer or older), never by many.
func TestXLSXCodeLists(t *testing.T) {
	it := xlsxKind(t, "investment_total")
	for _, c := range []struct {
		tag, column string
		length      int
		isoFile     string
		isoKey      string
		isoCode     string
	}{
		{"iso3166_1_alpha2", "investor", 2, "iso_3166-1.json", "3166-1", "alpha_2"},
		{"iso4217", "currency", 3, "iso_4217.json", "4217", "alpha_3"},
	} {
		codes := output.XLSXCodes(c.tag)
		if len(codes) < 100 || !slices.IsSorted(codes) {
			t.Errorf("%s: %d codes, sorted %v", c.tag, len(codes), slices.IsSorted(codes))
		}
		col, _ := it.Column(c.column)
		accepts := func(code string) bool {
			r := it.New()
			col.SetText(r, code)
			for _, e := range schema.Validate(r) {
				if e.Field == c.column {
					return false
				}
			}
			return true
		}
		var accepted []string
		b := make([]byte, c.length)
		var walk func(i int)
		walk = func(i int) {
			if i == c.length {
				if accepts(string(b)) {
					accepted = append(accepted, string(b))
				}
				return
			}
			for ch := byte('A'); ch <= 'Z'; ch++ {
				b[i] = ch
				walk(i + 1)
			}
		}
		walk(0)
		if !slices.Equal(codes, accepted) {
			t.Errorf("%s: the list has %d codes, schema.Validate accepts %d of that shape", c.tag, len(codes), len(accepted))
		}
		data, err := os.ReadFile(filepath.Join("/usr/share/iso-codes/json", c.isoFile))
		if err != nil {
			t.Logf("%s: Debian's iso-codes is not installed (%v): not compared", c.tag, err)
			continue
		}
		var iso map[string][]map[string]string
		if err := json.Unmarshal(data, &iso); err != nil {
			t.Fatal(err)
		}
		var isoCodes []string
		for _, e := range iso[c.isoKey] {
			isoCodes = append(isoCodes, e[c.isoCode])
		}
		var onlyOurs, onlyISO []string
		for _, code := range codes {
			if !slices.Contains(isoCodes, code) {
				onlyOurs = append(onlyOurs, code)
			}
		}
		for _, code := range isoCodes {
			if !slices.Contains(codes, code) {
				onlyISO = append(onlyISO, code)
			}
		}
		t.Logf("%s: %d codes; only in validator's: %v; only in iso-codes (%d codes): %v", c.tag, len(codes), onlyOurs, len(isoCodes), onlyISO)
		if len(onlyOurs)+len(onlyISO) > 10 {
			t.Errorf("%s: the validator's list and iso-codes differ by %d codes", c.tag, len(onlyOurs)+len(onlyISO))
		}
	}
}

// TestXLSXValidationInterop checks the data validations with openpyxl, in
// the file export wrote and in LibreOffice's copy (LibreOffice opens the
// workbook, validations and all, and keeps them).
func TestXLSXValidationInterop(t *testing.T) {
	py := pythonWith("openpyxl")
	if py == "" {
		xlsxInteropMissing(t, "python3 with openpyxl", "python3-openpyxl")
	}
	soffice := xlsxSoffice()
	if soffice == "" {
		xlsxInteropMissing(t, "LibreOffice (soffice)", "libreoffice-calc-nogui")
	}
	run := xlsxInteropRun(t)
	exp := struct {
		Columns     map[string]int      `json:"columns"`
		Validations []xlsxValidation    `json:"validations"`
		Lists       map[string][]string `json:"lists"`
	}{
		Columns:     map[string]int{"sources": len(schema.SourceTable().Columns)},
		Validations: xlsxWantValidations(t, run),
		Lists:       map[string][]string{},
	}
	for _, sh := range xlsxSheets(run) {
		exp.Columns[sh.name] = len(sh.kind.TableColumns())
	}
	for _, tag := range []string{"iso3166_1_alpha2", "iso4217"} {
		exp.Lists["codes_"+tag] = output.XLSXCodes(tag)
	}
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
	for _, c := range []struct {
		path string
		args []string
	}{{run.path, nil}, {filepath.Join(dir, output.XLSXName), []string{"--copy"}}} {
		args := append([]string{"-W", "error", filepath.Join("testdata", "xlsx", "check_validation.py"), c.path, expected}, c.args...)
		if out, err := exec.Command(py, args...).CombinedOutput(); err != nil {
			t.Errorf("openpyxl (%s) found problems in %s: %v\n%s", py, c.path, err, out)
		}
	}
}

// xlsxRangeValues returns the values of the cells of a one-column range
// such as 'about'!$A$87:$A$336.
func xlsxRangeValues(t *testing.T, f *excelize.File, ref string) []string {
	t.Helper()
	sheet, cells, ok := strings.Cut(ref, "!")
	from, to, ok2 := strings.Cut(strings.ReplaceAll(cells, "$", ""), ":")
	if !ok || !ok2 {
		t.Fatalf("range %q", ref)
	}
	col, first, err := excelize.SplitCellName(from)
	if err != nil {
		t.Fatal(err)
	}
	_, last, err := excelize.SplitCellName(to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for row := first; row <= last; row++ {
		v, err := f.GetCellValue(strings.Trim(sheet, "'"), col+strconv.Itoa(row))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
