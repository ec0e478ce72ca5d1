package output_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// The golden files are regenerated with: go test ./output -update
//
// The flag is looked up rather than declared with a variable, so that
// other test files of the package may register it too.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/golden")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenFiles are the CSV, JSON and manifest outputs of the embedded
// default dataset, kept in testdata/golden.
var goldenFiles = []string{
	"investment_totals.csv", "enterprise_counts.csv", "agreement_counts.csv", "sources.csv",
	"figures.json", "manifest.json",
}

// quietReporter ignores the results of a run.
type quietReporter struct{}

func (quietReporter) Result(*pipeline.Result) error  { return nil }
func (quietReporter) Finish(*pipeline.Summary) error { return nil }

// fanout hands each record to several writers.
type fanout []output.Writer

func (f fanout) Write(r schema.Record) error {
	for _, w := range f {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// embeddedSources reads the sources of the embedded dataset, in
// declaration order.
func embeddedSources(t testing.TB) []*schema.Source {
	t.Helper()
	var sources []*schema.Source
	for _, f := range input.Embedded() {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		rd, err := input.Open(f, rc, input.Options{Only: input.OnlySources})
		if err != nil {
			t.Fatal(err)
		}
		for {
			it, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if it.Source != nil {
				sources = append(sources, it.Source)
			}
		}
		rc.Close()
	}
	return sources
}

// writeDefaultOutputs validates the embedded dataset, writes it as CSV and
// JSON into dir, then writes the manifest. It returns the files the writers
// described and the Meta they were given.
func writeDefaultOutputs(t *testing.T, dir string, created time.Time) ([]output.File, *output.Meta) {
	t.Helper()
	var writers fanout
	for _, format := range []string{output.FormatCSV, output.FormatJSON} {
		w, err := output.New(format, dir, output.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		writers = append(writers, w)
	}
	sum, err := pipeline.Check(context.Background(), input.Embedded(), quietReporter{}, writers, pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed() || sum.Valid != 3 {
		t.Fatalf("the embedded dataset: %d valid records, %d errors; want 3 and none", sum.Valid, sum.Errors)
	}
	meta := &output.Meta{Tool: "export", Version: "test", Created: created, Sources: embeddedSources(t),
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		meta.Inputs = append(meta.Inputs, output.Input{Path: in.Path, SHA256: in.SHA256, Bytes: in.Bytes})
	}
	var files []output.File
	for _, w := range writers {
		fs, err := w.Finish(meta)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := output.WriteManifest(dir, files, meta); err != nil {
		t.Fatal(err)
	}
	return files, meta
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	writeDefaultOutputs(t, dir, time.Time{})

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := slices.Sorted(slices.Values(goldenFiles)); !slices.Equal(names, want) {
		t.Errorf("the output directory holds %q, want %q", names, want)
	}

	for _, name := range goldenFiles {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if updatingGolden() {
			if err := os.MkdirAll(filepath.Dir(golden), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./output -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (if the change is intended, run go test ./output -update):\ngot:\n%s\nwant:\n%s",
				name, golden, got, want)
		}
	}
}

// TestReproducible writes the outputs twice, in different working
// directories and time zones, and compares the bytes.
func TestReproducible(t *testing.T) {
	created := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	local := time.Local
	t.Cleanup(func() { time.Local = local })

	var runs [2]map[string][]byte
	for i, zone := range []*time.Location{time.UTC, time.FixedZone("UTC+05:45", 5*3600+45*60)} {
		time.Local = zone
		t.Chdir(t.TempDir())
		dir := t.TempDir()
		writeDefaultOutputs(t, dir, created.In(zone))
		runs[i] = map[string][]byte{}
		for _, name := range goldenFiles {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			runs[i][name] = b
		}
	}
	for _, name := range goldenFiles {
		if !bytes.Equal(runs[0][name], runs[1][name]) {
			t.Errorf("%s differs between two runs:\n%s\n---\n%s", name, runs[0][name], runs[1][name])
		}
	}
	if !bytes.Contains(runs[0]["manifest.json"], []byte(`"created": "2024-05-01T00:00:00Z"`)) {
		t.Errorf("manifest.json does not hold the creation time in UTC:\n%s", runs[0]["manifest.json"])
	}
}

// manifestJSON is manifest.json as a reader sees it.
type manifestJSON struct {
	GeneratedBy map[string]string `json:"generated_by"`
	Validation  struct {
		Errors   *int `json:"errors"`
		Warnings *int `json:"warnings"`
	} `json:"validation"`
	Records map[string]int `json:"records"`
	Inputs  []struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
		Bytes  int64  `json:"bytes"`
	} `json:"inputs"`
	Files []struct {
		Name   string         `json:"name"`
		Format string         `json:"format"`
		SHA256 string         `json:"sha256"`
		Bytes  int64          `json:"bytes"`
		Rows   map[string]int `json:"rows"`
	} `json:"files"`
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestManifestMatchesFiles checks the manifest against the files: each
// listed output re-hashed, its rows counted by parsing it, each input
// re-hashed.
func TestManifestMatchesFiles(t *testing.T) {
	dir := t.TempDir()
	files, meta := writeDefaultOutputs(t, dir, time.Time{})
	b, err := os.ReadFile(filepath.Join(dir, output.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m manifestJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest.json: %v\n%s", err, b)
	}

	if want := map[string]string{"tool": "export", "version": "test"}; !maps.Equal(m.GeneratedBy, want) {
		t.Errorf("generated_by = %v, want %v", m.GeneratedBy, want)
	}
	if m.Validation.Errors == nil || *m.Validation.Errors != 0 || m.Validation.Warnings == nil || *m.Validation.Warnings != meta.Warnings {
		t.Errorf("validation = %+v, want 0 errors and %d warnings", m.Validation, meta.Warnings)
	}
	if meta.Warnings == 0 {
		t.Errorf("the embedded dataset gave no warnings; the counts without as_of should warn")
	}
	if want := map[string]int{"investment_totals": 1, "enterprise_counts": 1, "agreement_counts": 1}; !maps.Equal(m.Records, want) {
		t.Errorf("records = %v, want %v", m.Records, want)
	}

	// Outputs: every file the writers described, sorted, with true hashes
	// and sizes, and row counts that match the files' contents.
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	if len(m.Files) != len(names) {
		t.Fatalf("manifest lists %d outputs, want %d", len(m.Files), len(names))
	}
	for i, o := range m.Files {
		if o.Name != names[i] {
			t.Errorf("output %d is %s, want %s (sorted by name)", i, o.Name, names[i])
			continue
		}
		content, err := os.ReadFile(filepath.Join(dir, o.Name))
		if err != nil {
			t.Fatal(err)
		}
		if o.SHA256 != sha256Hex(content) || o.Bytes != int64(len(content)) {
			t.Errorf("%s: manifest says %s, %d bytes; the file is %s, %d bytes", o.Name, o.SHA256, o.Bytes, sha256Hex(content), len(content))
		}
		var rows map[string]int
		switch o.Format {
		case output.FormatCSV:
			records, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", o.Name, err)
			}
			rows = map[string]int{strings.TrimSuffix(o.Name, ".csv"): len(records) - 1}
		case output.FormatJSON:
			var tables map[string]json.RawMessage
			if err := json.Unmarshal(content, &tables); err != nil {
				t.Fatal(err)
			}
			rows = map[string]int{}
			for table, raw := range tables {
				var items []json.RawMessage
				if json.Unmarshal(raw, &items) == nil {
					rows[table] = len(items)
				}
			}
		default:
			t.Errorf("%s has format %q", o.Name, o.Format)
		}
		if !maps.Equal(o.Rows, rows) {
			t.Errorf("%s: manifest rows %v, the file holds %v", o.Name, o.Rows, rows)
		}
	}

	// Inputs: the embedded YAML, with its true hash and size.
	embedded := input.Embedded()
	if len(m.Inputs) != len(embedded) {
		t.Fatalf("manifest lists %d inputs, want %d", len(m.Inputs), len(embedded))
	}
	for i, f := range embedded {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		in := m.Inputs[i]
		if in.Path != f.Path || in.SHA256 != sha256Hex(content) || in.Bytes != int64(len(content)) {
			t.Errorf("input %d = %+v, want %s, %s, %d bytes", i, in, f.Path, sha256Hex(content), len(content))
		}
	}
}

func TestManifestErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"a.csv": "x\n1\n", "figures.json": "{}\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	csvFile := output.File{Name: "a.csv", Format: "csv", Rows: map[string]int{"investment_totals": 1}}
	tests := []struct {
		name  string
		files []output.File
	}{
		{"missing file", []output.File{{Name: "missing.csv", Format: "csv"}}},
		{"listed twice", []output.File{csvFile, csvFile}},
		{"lists itself", []output.File{{Name: output.ManifestName}}},
		{"rows disagree", []output.File{csvFile, {Name: "figures.json", Format: "json", Rows: map[string]int{"investment_totals": 2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := output.WriteManifest(dir, tt.files, &output.Meta{}); err == nil {
				t.Error("WriteManifest succeeded")
			}
		})
	}

	// Without files or meta the manifest still has every key.
	empty := t.TempDir()
	f, err := output.WriteManifest(empty, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != output.ManifestName || f.Rows != nil {
		t.Errorf("WriteManifest returned %+v", f)
	}
	b, err := os.ReadFile(filepath.Join(empty, output.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "generated_by": {
    "tool": "",
    "version": ""
  },
  "validation": {
    "errors": 0,
    "warnings": 0
  },
  "records": {
    "agreement_counts": 0,
    "enterprise_counts": 0,
    "investment_totals": 0
  },
  "inputs": [],
  "files": []
}
`
	if string(b) != want {
		t.Errorf("empty manifest =\n%s\nwant\n%s", b, want)
	}
	if _, err := output.WriteManifest(filepath.Join(empty, "missing"), nil, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WriteManifest into a missing directory: %v, want an ErrNotExist", err)
	}
}
