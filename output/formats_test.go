package output_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/xuri/excelize/v2"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// This file holds what the tests of every format share: the default
// dataset's records, a generated dataset, a way to write records through
// several writers, and readers that turn each format's cells back into
// comparable values. TestFormatsSameValues then checks that every format
// carries the same value for every cell.

// recordSink collects the records a check lets through.
type recordSink []schema.Record

func (s *recordSink) Write(r schema.Record) error { *s = append(*s, r); return nil }

// defaultRecords validates the embedded default dataset and returns its
// records, in input order, and the Meta a run would give the writers.
func defaultRecords(t testing.TB) ([]schema.Record, *output.Meta) {
	t.Helper()
	var recs recordSink
	sum, err := pipeline.Check(context.Background(), input.Embedded(), quietReporter{}, &recs, pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed() || sum.Valid != 3 || len(recs) != 3 {
		t.Fatalf("the embedded dataset: %d valid records, %d errors; want 3 and none", sum.Valid, sum.Errors)
	}
	meta := &output.Meta{Tool: "export", Version: "test", Sources: embeddedSources(t),
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		meta.Inputs = append(meta.Inputs, output.Input{Path: in.Path, SHA256: in.SHA256, Bytes: in.Bytes})
	}
	return recs, meta
}

// genTexts are the texts generated records quote and note: formula-like
// starts (which the CSV writer neutralises), Unicode beyond Latin-1, and
// characters that CSV and JSON must quote or escape.
var genTexts = []string{
	"Its total investment in Kazakhstan has reached about $3bn.",
	"=SUM(A1:A9) looks like a formula but is a quote",
	"+7 727 000 00 00 is a phone number in a quote",
	"-5% year on year, the source says",
	"@mention, from a page on the web",
	"Қазақстан мен Корея: «инвестиция» — 3 млрд $",
	"韓国の対カザフスタン投資は約30億ドルに達した",
	"emoji 🚀 and accents: café, naïve, Ünïcödé",
	`quotes "double" and 'single', commas, semicolons; <b>R&D</b> > 3`,
}

// genAmounts are amounts that a generated investment total may have
// besides random ones: the largest allowed, 15 significant digits, the
// smallest, fractions that a double cannot hold exactly.
var genAmounts = []string{"1e13", "9999999999999.99", "0.001", "0.3", "1234567.891", "2469135.78", "3000000000", "7", "123456789012.345"}

// genDates are dates a generated record may have besides random ones:
// around the Unix epoch (Parquet stores days since it) and before 1900
// (a workbook keeps those as text).
var genDates = []string{"1969-12-31", "1970-01-01", "1899-12-31", "2000-02-29"}

// genRecords returns n valid records with the kinds in turn, the same
// records on every call: optional fields absent and present, empty and
// absent lists, fractional and large numbers, Unicode text and text that
// starts with "=", "+", "-" or "@".
func genRecords(n int) []schema.Record {
	rng := rand.New(rand.NewPCG(2024, 5))
	countries := []string{"KZ", "KR", "DE", "FR", "JP", "US", "CN", "TR", "UZ", "GB"}
	pick := func(vocab []string, max int) []string {
		switch rng.IntN(6) {
		case 0:
			return nil // absent
		case 1:
			return []string{} // present, empty
		}
		var out []string
		for _, i := range rng.Perm(len(vocab))[:1+rng.IntN(max)] {
			out = append(out, vocab[i])
		}
		return out
	}
	text := func() string { return genTexts[rng.IntN(len(genTexts))] }
	maybe := func(s string) string {
		if rng.IntN(3) == 0 {
			return ""
		}
		return s
	}
	count := func(i int, max int64) *int64 {
		n := rng.Int64N(max)
		if i/3%40 == 0 {
			n = 123456789012345 // 15 digits: exact in every format
		}
		return &n
	}
	part := func(of *int64) *int64 { // at most half of *of, or absent
		if rng.IntN(3) == 0 {
			return nil
		}
		n := rng.Int64N(*of/2 + 1)
		return &n
	}
	date := func(i int) string {
		if j := i / 3; j < len(genDates) {
			return genDates[j] // every one, in the first records of each kind
		}
		return time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(80*365)).Format(time.DateOnly)
	}
	two := func() (string, string) {
		p := rng.Perm(len(countries))
		return countries[p[0]], countries[p[1]]
	}
	recs := make([]schema.Record, 0, n)
	for i := range n {
		prov := schema.Provenance{
			Source:        "generated",
			SourceTitle:   "A generated source",
			Citation:      maybe(fmt.Sprintf("[%d, p %d]", i%50, i%400)),
			Authority:     maybe(text()),
			Quote:         text(),
			QuoteVerified: rng.IntN(2) == 0,
			InputFile:     "generated/figures.yaml",
			InputLine:     int64(1 + 12*i),
		}
		if rng.IntN(3) > 0 {
			page := 1 + rng.Int64N(100000)
			prov.Page = &page
		}
		base := schema.Base{ID: fmt.Sprintf("gen-%06d", i)}
		q := schema.Qualifiers[rng.IntN(len(schema.Qualifiers))]
		switch i % 3 {
		case 0:
			amount, err := schema.DecimalFromMilli(10 * (1 + rng.Int64N(1e11))) // cents, up to a billion
			if err != nil {
				panic(err)
			}
			if j := i / 3; j < len(genAmounts) {
				amount = schema.MustDecimal(genAmounts[j]) // every one, in the first records
			}
			investor, recipient := two()
			recs = append(recs, &schema.InvestmentTotal{Base: base, Investor: investor, Recipient: recipient,
				Amount: &amount, Currency: []string{"USD", "EUR", "KZT", "KRW"}[rng.IntN(4)], Qualifier: q,
				AsOf: date(i), Sectors: pick(schema.Sectors, 4), Note: maybe(text()), Provenance: prov})
		case 1:
			partner, host := two()
			n := count(i, 5000)
			r := &schema.EnterpriseCount{Base: base, Partner: partner, Host: host, Enterprises: n,
				Qualifier: q, JointVentures: part(n), RepresentativeOffices: part(n),
				Note: maybe(text()), Provenance: prov}
			if i < 3*len(genDates) || rng.IntN(3) > 0 {
				r.AsOf = date(i)
			}
			recs = append(recs, r)
		case 2:
			var parties []string
			for _, j := range rng.Perm(len(countries))[:2+rng.IntN(3)] {
				parties = append(parties, countries[j])
			}
			docs := 1 + rng.Int64N(500)
			r := &schema.AgreementCount{Base: base, Parties: parties, Documents: &docs, Qualifier: q,
				Areas: pick(schema.Areas, 5), Note: maybe(text()), Provenance: prov}
			if i < 3*len(genDates) || rng.IntN(3) > 0 {
				r.AsOf = date(i)
			}
			recs = append(recs, r)
		}
	}
	return recs
}

func TestGenRecordsValid(t *testing.T) {
	recs := genRecords(600)
	if !reflect.DeepEqual(recs, genRecords(600)) {
		t.Error("genRecords gives different records on each call")
	}
	for _, r := range recs {
		if errs := schema.Validate(r); len(errs) > 0 {
			t.Errorf("%s: %v", schema.ID(r), errs)
		}
	}
}

// writeFormats writes recs with one writer of each format into dir and
// finishes them with meta. It returns the files described, their digests
// checked.
func writeFormats(t testing.TB, dir string, formats []string, recs []schema.Record, meta *output.Meta) []output.File {
	t.Helper()
	var files []output.File
	for _, format := range formats {
		w, err := output.New(format, dir, output.Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				w.Close()
				t.Fatal(err)
			}
		}
		fs, err := w.Finish(meta)
		if err != nil {
			w.Close()
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	output.CheckDigests(t, dir, files)
	return files
}

// A cell, as compared across formats, is nil (absent), a string (text,
// dates as YYYY-MM-DD, amounts as their exact digits, booleans as true or
// false, derived as one "field: reason" per line, stated as one
// "field=text@start-end" per line) or a []string (a list).

// wantCell returns the cell of column c that every format should carry
// for rec.
func wantCell(c *schema.Column, rec any) any {
	if !c.Present(rec) {
		return nil
	}
	switch c.Type {
	case schema.String, schema.Date:
		return c.Text(rec)
	case schema.Integer:
		n, _ := c.Int(rec)
		return strconv.FormatInt(n, 10)
	case schema.Number:
		d, _ := c.Decimal(rec)
		return d.String()
	case schema.Boolean:
		return strconv.FormatBool(c.Bool(rec))
	case schema.StringList:
		return append([]string{}, c.List(rec)...)
	case schema.TextMap:
		return output.EntriesText(c.Entries(rec))
	case schema.SpanMap:
		var lines []string
		for _, sp := range c.Spans(rec) {
			lines = append(lines, fmt.Sprintf("%s=%s@%d-%d", sp.Field, sp.Text, sp.Start, sp.End))
		}
		return strings.Join(lines, "\n")
	}
	panic(fmt.Sprintf("unknown type %v", c.Type))
}

// flatCell is a cell as a CSV file or a workbook holds it: absent and empty
// are both an empty cell, and lists are ;-joined.
func flatCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(v, ";")
	}
	return v.(string)
}

// csvWant is the CSV cell for want: flat, with the writer's apostrophe
// before text that a spreadsheet would take for a formula (the README
// documents it).
func csvWant(c *schema.Column, want any) string {
	s := flatCell(want)
	if c.Type == schema.String || c.Type == schema.StringList || c.Type == schema.TextMap {
		return csvText(s)
	}
	return s
}

// csvText is a text cell as the CSV writer writes it: after any
// apostrophes, a formula character gets one more apostrophe in front.
func csvText(s string) string {
	if t := strings.TrimLeft(s, "'"); t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0 {
		return "'" + s
	}
	return s
}

// table is one kind's rows as a format gives them back: column names in
// file order, and one map of cells per row.
type table struct {
	columns []string
	rows    []map[string]any
}

// readCSVTable reads a CSV file; its cells are strings.
func readCSVTable(t testing.TB, path string) table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tb := table{columns: rows[0]}
	for _, row := range rows[1:] {
		m := map[string]any{}
		for i, v := range row {
			m[tb.columns[i]] = v
		}
		tb.rows = append(tb.rows, m)
	}
	return tb
}

// jsonCell turns a decoded JSON value (numbers as json.Number) into a cell.
func jsonCell(t testing.TB, v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		out := []string{}
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				t.Errorf("a list holds %T %v", e, e)
			}
			out = append(out, s)
		}
		return out
	}
	t.Errorf("unexpected JSON value %T %v", v, v)
	return nil
}

// jsonObjectCell turns a JSON object value (derived, stated) into its
// cell, in key order: "field: reason" lines, or "field=text@start-end"
// lines.
func jsonObjectCell(t testing.TB, raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var reason string
		var span struct {
			Text       string
			Start, End int
		}
		switch {
		case json.Unmarshal(v, &reason) == nil:
			lines = append(lines, fmt.Sprintf("%s: %s", tok, reason))
		case json.Unmarshal(v, &span) == nil:
			lines = append(lines, fmt.Sprintf("%s=%s@%d-%d", tok, span.Text, span.Start, span.End))
		default:
			t.Errorf("object entry %s holds %s", tok, v)
		}
	}
	return strings.Join(lines, "\n")
}

// readJSONObject decodes one JSON object, keeping its key order.
func readJSONObject(t testing.TB, raw []byte) ([]string, map[string]any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v, %v: %s", tok, err, raw)
	}
	var keys []string
	m := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		if bytes.HasPrefix(raw, []byte("{")) {
			m[tok.(string)] = jsonObjectCell(t, raw)
			continue
		}
		var v any
		vd := json.NewDecoder(bytes.NewReader(raw))
		vd.UseNumber()
		if err := vd.Decode(&v); err != nil {
			t.Fatal(err)
		}
		m[tok.(string)] = jsonCell(t, v)
	}
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("more than one value in %s", raw)
	}
	return keys, m
}

// readJSONTables reads figures.json: one table per kind.
func readJSONTables(t testing.TB, path string) map[string]table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	tables := map[string]table{}
	for _, k := range schema.Kinds() {
		var items []json.RawMessage
		if err := json.Unmarshal(doc[k.Plural], &items); err != nil {
			t.Fatalf("figures.json %s: %v", k.Plural, err)
		}
		var tb table
		for _, it := range items {
			keys, m := readJSONObject(t, it)
			tb.columns = keys
			tb.rows = append(tb.rows, m)
		}
		tables[k.Plural] = tb
	}
	return tables
}

// readJSONLTable reads a JSON Lines file, checking that every line ends
// with "\n" and holds the same keys in the same order.
func readJSONLTable(t testing.TB, path string) table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tb table
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Errorf("%s does not end with a newline", path)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		keys, m := readJSONObject(t, sc.Bytes())
		if tb.columns != nil && !slices.Equal(keys, tb.columns) {
			t.Errorf("%s: line %d has keys %q, the first %q", path, len(tb.rows)+1, keys, tb.columns)
		}
		tb.columns = keys
		tb.rows = append(tb.rows, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tb
}

// openParquet opens a Parquet file with the library that wrote it.
func openParquet(t testing.TB, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pf
}

// readParquetTable reads every row of a Parquet file, as the library
// reconstructs them, into cells: dates from days since the epoch, amounts
// (DECIMAL) as their digits.
func readParquetTable(t testing.TB, path string) table {
	t.Helper()
	pf := openParquet(t, path)
	var tb table
	for _, f := range pf.Schema().Fields() {
		tb.columns = append(tb.columns, f.Name())
	}
	rd := parquet.NewReader(pf)
	defer rd.Close()
	buf := make([]parquet.Row, 100)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			raw := map[string]any{}
			if err := pf.Schema().Reconstruct(&raw, row); err != nil {
				t.Fatal(err)
			}
			m := map[string]any{}
			for _, f := range pf.Schema().Fields() {
				m[f.Name()] = parquetCell(t, f, raw[f.Name()])
			}
			tb.rows = append(tb.rows, m)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// parquetLogical names a column's logical type as the Parquet
// specification does (DATE, STRING, INTEGER, LIST), "" for none.
func parquetLogical(n parquet.Node) string {
	lt := n.Type().LogicalType()
	if lt == nil || lt.Value == nil {
		return ""
	}
	switch lt.Value.(type) {
	case *format.DateType:
		return "DATE"
	case *format.StringType:
		return "STRING"
	case *format.IntType:
		return "INTEGER"
	case *format.ListType:
		return "LIST"
	case *format.DecimalType:
		return "DECIMAL"
	}
	return fmt.Sprintf("%T", lt.Value)
}

func parquetCell(t testing.TB, f parquet.Field, v any) any {
	if v == nil {
		return nil
	}
	switch parquetLogical(f) {
	case "DATE":
		return time.Unix(int64(v.(int32))*86400, 0).UTC().Format(time.DateOnly)
	case "DECIMAL":
		// parquet-go reconstructs a DECIMAL as a float64, which holds its
		// 15 digits.
		d, err := schema.DecimalFromFloat(v.(float64))
		if err != nil {
			t.Errorf("column %s: %v", f.Name(), err)
		}
		return d.String()
	}
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return jsonCell(t, v)
	}
	t.Errorf("column %s: unexpected value %T %v", f.Name(), v, v)
	return nil
}

// readXLSXTables reads the data sheets of figures.xlsx, raw cell values
// (as stored, not as shown), into cells: dates from the serial number,
// booleans from 1 and 0.
func readXLSXTables(t testing.TB, path string) map[string]table {
	t.Helper()
	f := xlsxOpen(t, path)
	tables := map[string]table{}
	for _, k := range schema.Kinds() {
		rows, err := f.GetRows(k.Plural, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		tb := table{columns: rows[0]}
		for r, row := range rows[1:] {
			m := map[string]any{}
			for i, name := range tb.columns {
				v := ""
				if i < len(row) {
					v = row[i]
				}
				c, _ := k.Column(name)
				ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
				typ, err := f.GetCellType(k.Plural, ref)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case v == "":
				case c.Type == schema.Date && typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString:
					serial, err := strconv.ParseFloat(v, 64)
					if err != nil {
						t.Fatalf("%s!%s: %v", k.Plural, ref, err)
					}
					d, err := excelize.ExcelDateToTime(serial, false)
					if err != nil {
						t.Fatal(err)
					}
					v = d.Format(time.DateOnly)
				case c.Type == schema.Number:
					n, err := strconv.ParseFloat(v, 64)
					if err != nil {
						t.Fatalf("%s!%s: %v", k.Plural, ref, err)
					}
					v = strconv.FormatFloat(n, 'f', -1, 64)
				case c.Type == schema.Boolean:
					v = map[string]string{"1": "true", "0": "false"}[v]
				}
				m[name] = v
			}
			tb.rows = append(tb.rows, m)
		}
		tables[k.Plural] = tb
	}
	return tables
}

// TestFormatsSameValues writes the default dataset and generated records
// through every format and reads each cell back: every format must carry
// the same value, up to what the format can say (CSV and XLSX have no null
// and no list, CSV neutralises formula-like text).
func TestFormatsSameValues(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(240)...)
	dir := t.TempDir()
	// Every format there is: one that checkCells cannot read back fails the test.
	formats := output.Formats()
	writeFormats(t, dir, formats, recs, withGeneratedSource(meta)) // the database's references need the records' source

	perKind := map[*schema.Kind]int{}
	for _, r := range recs {
		perKind[schema.KindOf(r)]++
	}
	for _, k := range schema.Kinds() {
		if perKind[k] < 80 {
			t.Fatalf("only %d records of %s", perKind[k], k.Name)
		}
	}
	checkCells(t, dir, formats, recs)
}

// checkCells reads back the table files that formats wrote into dir and
// checks that each holds recs, in order, every cell as wantCell says, up
// to what the format can say: CSV and XLSX have no null and no list, and
// CSV neutralises text that a spreadsheet would take for a formula.
func checkCells(t testing.TB, dir string, formats []string, recs []schema.Record) {
	t.Helper()
	var jsonTables, xlsxTables map[string]table
	if slices.Contains(formats, output.FormatJSON) {
		jsonTables = readJSONTables(t, filepath.Join(dir, output.JSONName))
	}
	if slices.Contains(formats, output.FormatXLSX) {
		xlsxTables = readXLSXTables(t, filepath.Join(dir, output.XLSXName))
	}
	exact := func(c *schema.Column, want any) any { return want }
	for _, k := range schema.Kinds() {
		var want []schema.Record
		for _, r := range recs {
			if schema.KindOf(r) == k {
				want = append(want, r)
			}
		}
		for _, format := range formats {
			columns := k.TableColumns()
			if format == output.FormatJSON || format == output.FormatJSONL {
				columns = k.Columns()
			}
			var names []string
			for _, c := range columns {
				names = append(names, c.Name)
			}
			var tb table
			// expect turns the cell wanted into what the format can say.
			expect := exact
			switch format {
			case output.FormatCSV:
				tb = readCSVTable(t, filepath.Join(dir, k.Plural+".csv"))
				expect = func(c *schema.Column, want any) any { return csvWant(c, want) }
			case output.FormatXLSX:
				tb = xlsxTables[k.Plural]
				expect = func(c *schema.Column, want any) any { return flatCell(want) }
			case output.FormatJSON:
				tb = jsonTables[k.Plural]
			case output.FormatJSONL:
				tb = readJSONLTable(t, filepath.Join(dir, k.Plural+".jsonl"))
			case output.FormatParquet:
				tb = readParquetTable(t, filepath.Join(dir, k.Plural+".parquet"))
			case output.FormatSQLite:
				tb = readSQLiteTable(t, filepath.Join(dir, output.SQLiteName), k)
			default:
				t.Fatalf("checkCells cannot read %s", format)
			}
			if len(tb.rows) != len(want) {
				t.Errorf("%s %s: %d rows, want %d", format, k.Plural, len(tb.rows), len(want))
				continue
			}
			if len(want) == 0 {
				continue // JSON and JSON Lines name no columns without a row
			}
			if !slices.Equal(tb.columns, names) {
				t.Errorf("%s %s: columns %q, want %q", format, k.Plural, tb.columns, names)
				continue
			}
			bad := 0
			for i, r := range want {
				for _, c := range columns {
					w, got := expect(c, wantCell(c, r)), tb.rows[i][c.Name]
					if !reflect.DeepEqual(w, got) && bad < 10 {
						bad++
						t.Errorf("%s %s %s %s = %#v, want %#v", format, k.Plural, schema.ID(r), c.Name, got, w)
					}
				}
			}
		}
	}
}

// TestFormatsDeterministic writes the same records twice with the JSON
// Lines and Parquet writers and compares the bytes.
func TestFormatsDeterministic(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(3000)...)
	formats := []string{output.FormatJSONL, output.FormatParquet}
	var runs [2]map[string][]byte
	for i := range runs {
		dir := t.TempDir()
		runs[i] = map[string][]byte{}
		for _, f := range writeFormats(t, dir, formats, recs, meta) {
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			runs[i][f.Name] = b
		}
	}
	if len(runs[0]) != 8 {
		t.Errorf("wrote %d files, want 8 (each format: a file per kind and the sources)", len(runs[0]))
	}
	for name, b := range runs[0] {
		if !bytes.Equal(b, runs[1][name]) {
			t.Errorf("%s differs between two runs (%d and %d bytes)", name, len(b), len(runs[1][name]))
		}
	}
}

// TestDigestsGolden writes the default dataset and generated records in
// every format and compares the files' SHA-256 with
// testdata/golden/digests.sha256 (go test ./output -update rewrites it):
// the same records give the same bytes on every machine, not only twice on
// this one. Compression libraries with assembly may make other bytes than
// their pure Go code, which other machines run, so CI runs this test also
// with -tags noasm.
func TestDigestsGolden(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(3000)...)
	dir := t.TempDir()
	var lines []string
	var files []output.File
	for _, format := range output.Formats() {
		m := meta
		if format == output.FormatSQLite {
			m = withGeneratedSource(meta) // its references need the records' source
		}
		files = append(files, writeFormats(t, dir, []string{format}, recs, m)...)
	}
	for _, f := range files {
		lines = append(lines, f.SHA256+"  "+f.Name+"\n")
	}
	got := []byte(strings.Join(lines, ""))
	golden := filepath.Join("testdata", "golden", "digests.sha256")
	if updatingGolden() {
		if err := os.WriteFile(golden, got, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the files differ from %s (if the change is intended, run go test ./output -update and read the diff):\ngot:\n%s\nwant:\n%s",
			golden, got, want)
	}
}

// The benchmarks of the JSON Lines and Parquet writers share
// benchmarkWriter (bench_test.go) with those of the other formats: b.N
// synthetic records of every kind, then Finish.
//
//	go test ./output -run '^$' -bench 'JSONLWriter|ParquetWriter' -benchmem

func BenchmarkJSONLWriter(b *testing.B)   { benchmarkWriter(b, output.FormatJSONL) }
func BenchmarkParquetWriter(b *testing.B) { benchmarkWriter(b, output.FormatParquet) }
