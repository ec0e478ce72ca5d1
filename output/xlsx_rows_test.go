package output

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rowOracle writes rows with excelize's SetRow, for appendRow to match,
// on a sheet whose columns have styles.
type rowOracle struct {
	sw     *excelize.StreamWriter
	buf    *bytes.Buffer
	styles []int
}

func newRowOracle(t testing.TB, styles []int) *rowOracle {
	t.Helper()
	f := excelize.NewFile()
	t.Cleanup(func() { f.Close() })
	for i := range 10 { // style ids 1 to 10, for the columns
		if _, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: float64(8 + i)}}); err != nil {
			t.Fatal(err)
		}
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for c := len(styles); c >= 1; c-- {
		if styles[c-1] != 0 {
			if err := sw.SetColStyle(c, c, styles[c-1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := sw.SetRow("A1", []any{"header"}); err != nil {
		t.Fatal(err)
	}
	buf := sheetBuffer(sw)
	if buf == nil {
		t.Fatal("excelize's stream buffer is not where v2.11.1 has it: has excelize changed?")
	}
	return &rowOracle{sw: sw, buf: buf, styles: styles}
}

// row returns the bytes SetRow writes for vals as row row (past every
// earlier one), and the row appendRow is given for it.
func (o *rowOracle) row(t testing.TB, row int, height float64, vals []any) ([]byte, xlsxRow) {
	t.Helper()
	o.buf.Reset()
	var opts []excelize.RowOpts
	if height > 0 {
		opts = append(opts, excelize.RowOpts{Height: height})
	}
	if err := o.sw.SetRow("A"+strconv.Itoa(row), vals, opts...); err != nil {
		t.Fatal(err)
	}
	r := xlsxRow{row: row, styles: o.styles, height: height}
	for i := range max(len(o.styles), len(vals)) {
		name, _ := excelize.ColumnNumberToName(i + 1)
		r.colNames = append(r.colNames, name)
	}
	return bytes.Clone(o.buf.Bytes()), r
}

// TestXLSXRowLikeExcelize checks that appendRow writes what SetRow writes,
// for every kind of value the writer gives it, and declines what it cannot.
func TestXLSXRowLikeExcelize(t *testing.T) {
	for _, tc := range []struct {
		name    string
		styles  []int
		height  float64
		vals    []any
		decline bool
	}{
		{name: "empty row", styles: []int{0, 0}, vals: []any{nil, nil}},
		{name: "plain text", styles: []int{0}, vals: []any{"Kazakhstan"}},
		{name: "column styles", styles: []int{3, 0, 7}, vals: []any{"a", int64(2), 3.5}},
		{name: "cell style over column style", styles: []int{3, 4}, vals: []any{excelize.Cell{StyleID: 9, Value: 1.25}, excelize.Cell{Value: 2.0}}},
		{name: "integers", styles: []int{1, 1, 1}, vals: []any{int64(0), int64(-42), int64(math.MaxInt64)}},
		{name: "numbers", styles: []int{2, 2, 2, 2}, vals: []any{3e9, 0.001, -123456789012.345, 1e20}},
		{name: "booleans", styles: []int{5, 5}, vals: []any{true, false}},
		{name: "escapes", styles: []int{0}, vals: []any{`a & b < c > d "e" 'f'`}},
		{name: "controls", styles: []int{0}, vals: []any{"tab\there\nnew line\r\x01\x1f\x7f"}},
		{name: "spaces kept", styles: []int{0, 0, 0, 0}, vals: []any{" lead", "trail ", "\tt", "n\n"}},
		{name: "unicode", styles: []int{0}, vals: []any{"Қазақстан — 3 млрд $ 日本 🇰🇿 \uFFFD \uFFFE"}},
		{name: "invalid UTF-8", styles: []int{0}, vals: []any{"a\xffb\xc3(c"}},
		{name: "height", styles: []int{0}, height: 45, vals: []any{"x"}},
		{name: "fractional height", styles: []int{0}, height: 12.75, vals: []any{"x"}},
		{name: "gaps", styles: []int{0, 0, 0}, vals: []any{nil, "b", nil}},
		{name: "more values than styles", styles: []int{0}, vals: []any{"a", "b", int64(3)}},
		{name: "row number", styles: []int{0}, vals: []any{"x"}},
		{name: "escape sequence declined", styles: []int{0}, vals: []any{"_x0041_"}, decline: true},
		{name: "NaN declined", styles: []int{0}, vals: []any{math.NaN()}, decline: true},
		{name: "more than 15 digits", styles: []int{0, 0, 0}, vals: []any{1234567890123456.0, 0.12345678901234567, 123456.78901234567}},
		{name: "other type declined", styles: []int{0}, vals: []any{int32(1)}, decline: true},
		{name: "too tall declined", styles: []int{0}, height: 410, vals: []any{"x"}, decline: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := 2 + len(tc.name)*1000
			got, ok := appendRow([]byte("kept"), xlsxRow{}, nil)
			if !ok || string(got) != "kept<row r=\"0\"></row>" {
				t.Fatalf("appendRow of no values = %q, %v", got, ok)
			}
			var want []byte
			var r xlsxRow
			if tc.decline && tc.height > excelize.MaxRowHeight {
				r = xlsxRow{row: row, colNames: []string{"A"}, styles: tc.styles, height: tc.height}
			} else {
				want, r = newRowOracle(t, tc.styles).row(t, row, tc.height, tc.vals)
			}
			got, ok = appendRow([]byte("kept"), r, tc.vals)
			if !bytes.HasPrefix(got, []byte("kept")) {
				t.Fatalf("appendRow changed the bytes before the row: %q", got)
			}
			got = got[len("kept"):]
			if tc.decline {
				if ok || len(got) != 0 {
					t.Fatalf("appendRow = %q, %v; want it declined, with nothing appended", got, ok)
				}
				return
			}
			if !ok {
				t.Fatalf("appendRow declined; SetRow writes %s", want)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("appendRow:\n%s\nSetRow:\n%s", got, want)
			}
		})
	}
}

// FuzzXLSXRow compares appendRow with SetRow on arbitrary text and numbers.
func FuzzXLSXRow(f *testing.F) {
	f.Add("Kazakhstan", " about $3bn\n", int64(48), 3e9, true, 2)
	f.Add("a&b<c>\"'\t\r", "\xff\xfe", int64(-1), 0.125, false, 0)
	f.Add("_x0041_", "", int64(0), math.Inf(1), false, 5)
	// One sheet for every input: a new one for each would take most of the time.
	oracle, row := newRowOracle(f, []int{4, 0, 1, 0, 2, 3}), 1
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64, yes bool, style int) {
		row++
		vals := []any{a, n, x, yes, excelize.Cell{StyleID: max(0, style%8), Value: x}, b}
		want, r := oracle.row(t, row, 0, vals)
		got, ok := appendRow(nil, r, vals)
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("appendRow:\n%q\nSetRow:\n%q", got, want)
		}
	})
}
