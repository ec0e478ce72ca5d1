package output_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"export/output"
	"export/schema"
)

// jsonlNames are the JSON Lines files, one per kind, in kind order.
func jsonlNames() []string {
	var names []string
	for _, k := range schema.Kinds() {
		names = append(names, k.Plural+".jsonl")
	}
	return append(names, "sources.jsonl")
}

// TestJSONLGolden compares the default dataset's JSON Lines files with
// testdata/golden (go test ./output -update rewrites them).
func TestJSONLGolden(t *testing.T) {
	recs, meta := defaultRecords(t)
	dir := t.TempDir()
	files := writeFormats(t, dir, []string{output.FormatJSONL}, recs, meta)

	var want []output.File
	for _, k := range schema.Kinds() {
		want = append(want, output.File{Name: k.Plural + ".jsonl", Format: output.FormatJSONL, Rows: map[string]int{k.Plural: 1}})
	}
	want = append(want, output.File{Name: "sources.jsonl", Format: output.FormatJSONL, Rows: map[string]int{"sources": 1}})
	if got := output.CheckDigests(t, dir, files); !reflect.DeepEqual(got, want) {
		t.Errorf("Finish returned %+v, want %+v", got, want)
	}
	for _, name := range jsonlNames() {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if updatingGolden() {
			if err := os.WriteFile(golden, got, 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./output -update)", err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from %s (if the change is intended, run go test ./output -update):\ngot:\n%s\nwant:\n%s",
				name, golden, got, b)
		}
	}
}

// TestJSONLMatchesFiguresJSON checks that each line is the compact form of
// the record's object in figures.json: the same keys, order and values.
func TestJSONLMatchesFiguresJSON(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(300)...)
	dir := t.TempDir()
	writeFormats(t, dir, []string{output.FormatJSON, output.FormatJSONL}, recs, meta)

	b, err := os.ReadFile(filepath.Join(dir, output.JSONName))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range schema.Kinds() {
		var objects []json.RawMessage
		if err := json.Unmarshal(doc[k.Plural], &objects); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		for _, obj := range objects {
			if err := json.Compact(&want, obj); err != nil {
				t.Fatal(err)
			}
			want.WriteByte('\n')
		}
		got, err := os.ReadFile(filepath.Join(dir, k.Plural+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(objects) < 100 {
			t.Fatalf("figures.json has %d %s", len(objects), k.Plural)
		}
		if !bytes.Equal(got, want.Bytes()) {
			gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(gotLines), len(wantLines)) {
				if gotLines[i] != wantLines[i] {
					t.Errorf("%s.jsonl line %d:\n%s\nfigures.json, compacted:\n%s", k.Plural, i+1, gotLines[i], wantLines[i])
					break
				}
			}
			t.Errorf("%s.jsonl: %d lines; figures.json has %d records", k.Plural, len(gotLines)-1, len(wantLines)-1)
		}
	}
}

func TestJSONLWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := output.New(output.FormatJSONL, dir, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Every kind's file exists from the start (sources.jsonl comes with
	// Finish, when the sources are known).
	for _, name := range jsonlNames()[:len(schema.Kinds())] {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("before any record: %v", err)
		}
	}
	recs := genRecords(4) // two investment totals, an enterprise count, an agreement count
	inv := recs[0].(*schema.InvestmentTotal)
	inv.Quote = "<b>R&D</b> \u2028 «Қазақстан» \"quoted\"\\"
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Finish(&output.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	want := []output.File{
		{Name: "investment_totals.jsonl", Format: output.FormatJSONL, Rows: map[string]int{"investment_totals": 2}},
		{Name: "enterprise_counts.jsonl", Format: output.FormatJSONL, Rows: map[string]int{"enterprise_counts": 1}},
		{Name: "agreement_counts.jsonl", Format: output.FormatJSONL, Rows: map[string]int{"agreement_counts": 1}},
		{Name: "sources.jsonl", Format: output.FormatJSONL, Rows: map[string]int{"sources": 0}},
	}
	if got := output.CheckDigests(t, dir, files); !reflect.DeepEqual(got, want) {
		t.Errorf("Finish returned %+v, want %+v", got, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "investment_totals.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) || bytes.Contains(b, []byte("\r")) || bytes.Count(b, []byte("\n")) != 2 || !bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("want two UTF-8 lines, each ending with \\n:\n%q", b)
	}
	if !bytes.Contains(b, []byte(`"quote":"<b>R&D</b> \u2028 «Қазақстан» \"quoted\"\\"`)) {
		t.Errorf("the quote is not encoded as figures.json encodes it (HTML characters and Unicode literal, U+2028 escaped):\n%s", b)
	}
	tb := readJSONLTable(t, filepath.Join(dir, "investment_totals.jsonl"))
	k := schema.KindOf(inv)
	for i, c := range k.Columns() {
		if tb.columns[i] != c.Name {
			t.Fatalf("keys %q, want the columns of %s in order", tb.columns, k.Name)
		}
		if got, want := tb.rows[0][c.Name], wantCell(c, inv); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", c.Name, got, want)
		}
	}

	// An empty kind has an empty file.
	dir = t.TempDir()
	writeFormats(t, dir, []string{output.FormatJSONL}, recs[:1], nil)
	for _, name := range jsonlNames()[1:] {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || len(b) != 0 {
			t.Errorf("%s: %q, %v; want an empty file", name, b, err)
		}
	}
}

// TestJSONLLifecycle checks the Writer contract: Finish once, no Write
// after it, Close any number of times, and nothing removed by Close.
func TestJSONLLifecycle(t *testing.T) {
	recs := genRecords(3)
	dir := t.TempDir()
	w, err := output.New(output.FormatJSONL, dir, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(recs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Finish(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(recs[1]); err == nil {
		t.Error("Write after Finish succeeded")
	}
	if _, err := w.Finish(nil); err == nil {
		t.Error("Finish twice succeeded")
	}
	for range 2 {
		if err := w.Close(); err != nil {
			t.Errorf("Close after Finish: %v", err)
		}
	}

	// Closed without Finish (a failed run): the files stay, for the
	// caller to discard with the directory, and the writer refuses more.
	dir = t.TempDir()
	w, err = output.New(output.FormatJSONL, dir, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(recs[0]); err == nil {
		t.Error("Write after Close succeeded")
	}
	if _, err := w.Finish(nil); err == nil {
		t.Error("Finish after Close succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("after Close the directory holds %v, want the three files", entries)
	}

	if _, err := output.New(output.FormatJSONL, filepath.Join(dir, "missing"), output.Options{}); err == nil {
		t.Error("New into a missing directory succeeded")
	}
}
