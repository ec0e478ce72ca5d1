package output

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"export/schema"
)

func TestJSONValue(t *testing.T) {
	inv, ent := investmentWith, enterprisesWith
	tests := []struct {
		name   string
		rec    schema.Record
		column string
		want   string
	}{
		{"billions", inv(func(r *schema.InvestmentTotal) {}), "amount", "3000000000"},
		{"fraction", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("2.5") }), "amount", "2.5"},
		{"maximum", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("1e13") }), "amount", "10000000000000"},
		{"fifteen digits", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("9999999999999.99") }), "amount", "9999999999999.99"},
		{"a thousandth", inv(func(r *schema.InvestmentTotal) { r.Amount = amount("0.001") }), "amount", "0.001"},
		{"integer", ent(func(r *schema.EnterpriseCount) {}), "enterprises", "300"},
		{"large integer is exact", ent(func(r *schema.EnterpriseCount) { r.Enterprises = new(int64(9007199254740993)) }), "enterprises", "9007199254740993"},
		{"optional zero", ent(func(r *schema.EnterpriseCount) { r.JointVentures = new(int64(0)) }), "joint_ventures", "0"},
		{"input line", inv(func(r *schema.InvestmentTotal) {}), "input_line", "14"},
		{"absent integer", ent(func(r *schema.EnterpriseCount) {}), "joint_ventures", "null"},
		{"absent text", ent(func(r *schema.EnterpriseCount) {}), "note", "null"},
		{"absent date", ent(func(r *schema.EnterpriseCount) {}), "as_of", "null"},
		{"absent list", inv(func(r *schema.InvestmentTotal) { r.Sectors = nil }), "sectors", "null"},
		{"date", inv(func(r *schema.InvestmentTotal) {}), "as_of", `"2008-09-30"`},
		{"list", inv(func(r *schema.InvestmentTotal) {}), "sectors", `["construction","trade"]`},
		{"true", inv(func(r *schema.InvestmentTotal) {}), "quote_verified", "true"},
		{"false", ent(func(r *schema.EnterpriseCount) {}), "quote_verified", "false"},
		{"kind", ent(func(r *schema.EnterpriseCount) {}), "kind", `"enterprise_count"`},
		{"escapes", inv(func(r *schema.InvestmentTotal) { r.Quote = "a \"b\" \\ c\nd\te" }), "quote", `"a \"b\" \\ c\nd\te"`},
		{"no HTML escaping", inv(func(r *schema.InvestmentTotal) { r.Quote = "<b>R&D</b> > 3" }), "quote", `"<b>R&D</b> > 3"`},
		{"unicode kept", inv(func(r *schema.InvestmentTotal) { r.Quote = "Kazakhstan’s – «Қазақстан»" }), "quote", `"Kazakhstan’s – «Қазақстан»"`},
		{"not neutralised", inv(func(r *schema.InvestmentTotal) { r.Note = "=1+2" }), "note", `"=1+2"`},
	}
	text := newJSONText()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := schema.KindOf(tt.rec).Column(tt.column)
			if !ok {
				t.Fatalf("no column %s", tt.column)
			}
			got, err := appendValue(nil, c, tt.rec, text, jsonLayout{})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("%s = %s, want %s", tt.column, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s = %s is not valid JSON", tt.column, got)
			}
		})
	}
}

// writeFormat writes recs with a writer of format into a new directory and
// returns it with the files Finish described, their digests checked.
func writeFormat(t testing.TB, format string, meta *Meta, recs ...schema.Record) (string, []File) {
	t.Helper()
	dir := t.TempDir()
	w, err := New(format, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Finish(meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close after Finish: %v", err)
	}
	return dir, checkDigests(t, dir, files)
}

// writeJSON writes recs with a JSON writer and returns figures.json and the
// files Finish described.
func writeJSON(t *testing.T, meta *Meta, recs ...schema.Record) ([]byte, []File) {
	t.Helper()
	dir, files := writeFormat(t, FormatJSON, meta, recs...)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != JSONName {
		t.Errorf("the directory holds %v, want only %s", entries, JSONName)
	}
	b, err := os.ReadFile(filepath.Join(dir, JSONName))
	if err != nil {
		t.Fatal(err)
	}
	return b, files
}

// objectKeys returns the keys of the JSON object that dec is about to read,
// in file order, and skips the values.
func objectKeys(t *testing.T, dec *json.Decoder) []string {
	t.Helper()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v, %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// decodeFigures decodes figures.json with numbers as json.Number.
func decodeFigures(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("figures.json: %v\n%s", err, b)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("figures.json holds more than one value")
	}
	return v
}

func TestJSONWriter(t *testing.T) {
	inv := csvTestInvestment()
	inv.Quote = "A quote with <html> & \"quotes\"."
	ent := csvTestEnterprises()
	sources := []*schema.Source{{ID: "kazakhstan-today", Title: "Kazakhstan today", Pages: "190-191"}}
	meta := &Meta{Tool: "export", Version: "test", Sources: sources}
	// Kinds interleaved, as the pipeline hands them over.
	b, files := writeJSON(t, meta, inv, ent, csvTestInvestment())

	wantFiles := []File{{Name: JSONName, Format: FormatJSON, Rows: map[string]int{
		"sources": 1, "investment_totals": 2, "enterprise_counts": 1, "agreement_counts": 0}}}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Errorf("Finish returned %+v, want %+v", files, wantFiles)
	}

	// Layout: two-space indentation as json.MarshalIndent, a final newline.
	if !bytes.HasSuffix(b, []byte("\n}\n")) || bytes.Contains(b, []byte("\r")) || bytes.Contains(b, []byte("\t")) {
		t.Errorf("figures.json must end with }\\n and hold no CR or TAB:\n%s", b)
	}
	var want bytes.Buffer
	if err := json.Indent(&want, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want.Bytes(), b) {
		t.Errorf("figures.json is not indented as json.Indent does:\n%s", b)
	}
	if !strings.Contains(string(b), `"quote": "A quote with <html> & \"quotes\"."`) {
		t.Errorf("figures.json escapes the quote's HTML characters:\n%s", b)
	}
	if !strings.Contains(string(b), `"agreement_counts": []`) {
		t.Errorf("an empty kind is not an empty array:\n%s", b)
	}

	// Key order: the contract's top level, then each table's columns.
	dec := json.NewDecoder(bytes.NewReader(b))
	top := objectKeys(t, dec)
	wantTop := []string{"generated_by", "sources", "investment_totals", "enterprise_counts", "agreement_counts"}
	if !slices.Equal(top, wantTop) {
		t.Errorf("top-level keys = %q, want %q", top, wantTop)
	}
	checkKeyOrder := func(table string, columns []*schema.Column) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.Token()
		for dec.More() {
			key, _ := dec.Token()
			if key != table {
				var skip json.RawMessage
				dec.Decode(&skip)
				continue
			}
			dec.Token() // [
			for dec.More() {
				if keys := objectKeys(t, dec); !slices.Equal(keys, columnNames(columns)) {
					t.Errorf("%s keys = %q, want the columns %q", table, keys, columnNames(columns))
				}
			}
			return
		}
		t.Errorf("no %s in figures.json", table)
	}
	checkKeyOrder("sources", schema.SourceTable().Columns)
	for _, k := range schema.Kinds() {
		checkKeyOrder(k.Plural, k.Columns())
	}

	// Values and types.
	v := decodeFigures(t, b)
	if got, want := v["generated_by"], map[string]any{"tool": "export", "version": "test"}; !reflect.DeepEqual(got, want) {
		t.Errorf("generated_by = %v, want %v (no created without Meta.Created)", got, want)
	}
	invs := v["investment_totals"].([]any)
	if len(invs) != 2 {
		t.Fatalf("%d investment totals, want 2", len(invs))
	}
	r := invs[0].(map[string]any)
	for key, want := range map[string]any{
		"id":             "kr-kz-investment",
		"kind":           "investment_total",
		"amount":         json.Number("3000000000"),
		"as_of":          "2008-09-30",
		"sectors":        []any{"construction", "trade"},
		"page":           json.Number("191"),
		"quote_verified": true,
		"input_file":     "data/figures.yaml",
		"input_line":     json.Number("14"),
		"quote":          inv.Quote,
	} {
		if !reflect.DeepEqual(r[key], want) {
			t.Errorf("investment %s = %#v, want %#v", key, r[key], want)
		}
	}
	e := v["enterprise_counts"].([]any)[0].(map[string]any)
	for _, key := range []string{"joint_ventures", "representative_offices", "as_of", "note", "page", "citation", "authority"} {
		if val, ok := e[key]; !ok || val != nil {
			t.Errorf("enterprise %s = %#v (present %v), want null", key, val, ok)
		}
	}
	if e["quote_verified"] != false || e["enterprises"] != json.Number("300") {
		t.Errorf("enterprise quote_verified = %#v, enterprises = %#v", e["quote_verified"], e["enterprises"])
	}
	s := v["sources"].([]any)[0].(map[string]any)
	if s["id"] != "kazakhstan-today" || s["pages"] != "190-191" || s["year"] != nil || s["url"] != nil {
		t.Errorf("source = %#v", s)
	}
}

func TestJSONGeneratedBy(t *testing.T) {
	// The time is written in UTC whatever its zone.
	created := time.Date(2024, 5, 1, 5, 30, 0, 0, time.FixedZone("X", 5*3600+30*60))
	b, _ := writeJSON(t, &Meta{Tool: "export", Version: "v1", Created: created})
	want := "{\n" + `  "generated_by": {
    "tool": "export",
    "version": "v1",
    "created": "2024-05-01T00:00:00Z"
  },
  "sources": [],
  "investment_totals": [],
  "enterprise_counts": [],
  "agreement_counts": []
}
`
	if string(b) != want {
		t.Errorf("figures.json =\n%s\nwant\n%s", b, want)
	}
}

func TestJSONTempFiles(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	w, err := New(FormatJSON, dir, Options{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(csvTestInvestment()); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != len(schema.Kinds()) {
		t.Errorf("TempDir holds %d files while writing, want one per kind", len(entries))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the output directory holds %d files while writing, want none", len(entries))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("Close left %d temporary files", len(entries))
	}
	if err := w.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := w.Finish(&Meta{}); err == nil {
		// Finish after Close cannot read the closed temporary files.
		t.Error("Finish after Close succeeded")
	}

	// Without TempDir the temporary files go in the output directory and
	// are gone once Finish returns.
	w, err = New(FormatJSON, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Finish(nil); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after Finish the output directory holds %v, want only %s", entries, JSONName)
	}
	if err := w.Write(csvTestInvestment()); err == nil {
		t.Error("Write after Finish succeeded")
	}
	if _, err := w.Finish(nil); err == nil {
		t.Error("a second Finish succeeded")
	}
}

// TestIndentedLikeJSONIndent checks that figures.json's hand-indented
// records are laid out exactly as json.Indent lays out their compact form.
func TestIndentedLikeJSONIndent(t *testing.T) {
	inv, _ := schema.LookupKind("investment_total")
	agr, _ := schema.LookupKind("agreement_count")
	r1 := inv.New()
	col := func(k *schema.Kind, name string) *schema.Column { c, _ := k.Column(name); return c }
	col(inv, "id").SetText(r1, "a-1")
	col(inv, "amount").SetDecimal(r1, schema.MustDecimal("2.5"))
	col(inv, "quote").SetText(r1, "«quoted» \"text\" <&> \u2028 é")
	col(inv, "sectors").SetList(r1, []string{"trade", "finance"})
	r2 := agr.New()
	col(agr, "parties").SetList(r2, []string{})
	r3 := agr.New()
	text := newJSONText()
	for _, tc := range []struct {
		k   *schema.Kind
		rec schema.Record
	}{{inv, r1}, {agr, r2}, {agr, r3}} {
		compact, err := appendObject(nil, tc.k.Columns(), tc.rec, text, jsonLayout{})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, jsonItemPrefix, jsonIndent); err != nil {
			t.Fatal(err)
		}
		got, err := appendObject(nil, tc.k.Columns(), tc.rec, text, jsonIndented(jsonItemPrefix))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n got %s\nwant %s", tc.k.Name, got, want.Bytes())
		}
	}
}
