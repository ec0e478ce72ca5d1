package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"export/bench/synth"
	"export/input"
	"export/output"
	"export/pipeline"
)

// The records are checked on a pool of GOMAXPROCS workers (pool.go) and
// settled in input order: every report, in every format and with a
// --max-errors cut-off, and every output file must be the same bytes
// whatever the number of workers.

// coreCounts are the GOMAXPROCS settings compared; the first is the
// reference.
var coreCounts = []int{1, 2, 8}

// coresDataset returns the inputs of the comparison: a big CSV file (past
// the 4,096 ids the id set keeps exactly, so duplicates are confirmed by a
// second reading), a CSV file with 1% invalid records, a YAML file and a
// JSON Lines file whose ids repeat ids of the big file (early ones,
// reported at once, and late ones, confirmed at the end), and the sources.
func coresDataset(t *testing.T) fstest.MapFS {
	t.Helper()
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range g.SourceFiles() {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	const big = 6000
	add := func(name string, gen *synth.Generator, format string, n int, keep func(i int) bool) {
		var b bytes.Buffer
		if err := gen.WriteRecords(&b, format, n); err != nil {
			t.Fatal(err)
		}
		data := b.Bytes()
		if keep != nil { // one record a line
			var kept []string
			header := format == synth.FormatYAML
			for i, line := range strings.SplitAfter(string(data), "\n") {
				if header && i == 0 || keep(i) {
					kept = append(kept, line)
				}
			}
			data = []byte(strings.Join(kept, ""))
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	add("big.csv", g, synth.FormatCSV, big, nil)
	bad, err := synth.New(synth.Options{Kinds: synth.KindsMixed, Invalid: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	add("invalid.csv", bad, synth.FormatCSV, 2000, nil)
	// Lines big-10 to big+9: ten ids the big file has (late, once the id
	// set holds hashes), ten new.
	add("tail.jsonl", g, synth.FormatJSONL, big+10, func(i int) bool { return i >= big-10 })
	// Read before the big file, ten ids it repeats at once.
	add("head.yaml", g, synth.FormatYAML, 10, nil)
	return fsys
}

func coresFiles(fsys fstest.MapFS, names ...string) []input.File {
	var files []input.File
	for _, n := range names {
		files = append(files, input.FromFS(fsys, n, n))
	}
	return files
}

// teeReporter hands every result to each of its reporters.
type teeReporter []pipeline.Reporter

func (t teeReporter) Result(r *pipeline.Result) error {
	for _, rep := range t {
		if err := rep.Result(r); err != nil {
			return err
		}
	}
	return nil
}

func (t teeReporter) Finish(s *pipeline.Summary) error {
	for _, rep := range t {
		if err := rep.Finish(s); err != nil {
			return err
		}
	}
	return nil
}

// withCores runs fn with GOMAXPROCS set to n.
func withCores(t *testing.T, n int, fn func()) {
	t.Helper()
	old := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(old)
	fn()
}

// reports checks files once per --max-errors setting, writing every report
// format, and returns each report's bytes by name.
func reports(t *testing.T, files []input.File) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, maxErrors := range []int{0, 7} {
		var tee teeReporter
		bufs := map[string]*bytes.Buffer{}
		for _, format := range pipeline.ReportFormats {
			b := &bytes.Buffer{}
			rep, err := pipeline.NewReporter(format, b, false)
			if err != nil {
				t.Fatal(err)
			}
			tee = append(tee, rep)
			bufs[fmt.Sprintf("%s, --max-errors %d", format, maxErrors)] = b
		}
		if _, err := pipeline.Check(context.Background(), files, tee, nil, pipeline.Config{MaxErrors: maxErrors}); err != nil {
			t.Fatal(err)
		}
		for name, b := range bufs {
			out[name] = b.Bytes()
		}
	}
	return out
}

// outputs runs files into a new directory in every format and returns
// every file written by its path.
func outputs(t *testing.T, files []input.File) map[string][]byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	rep, _ := pipeline.NewReporter("text", &bytes.Buffer{}, false)
	sum, _, err := pipeline.Run(context.Background(), files, rep, pipeline.RunConfig{OutDir: dir, Formats: output.Formats()})
	if err != nil || sum.Failed() {
		t.Fatalf("run: %v, %d errors", err, sum.Errors)
	}
	out := map[string][]byte{}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[strings.TrimPrefix(path, dir)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameBytes(t *testing.T, what string, cores int, want, got map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s with GOMAXPROCS %d: %d files, want %d", what, cores, len(got), len(want))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s with GOMAXPROCS %d: no %s", what, cores, name)
		} else if !bytes.Equal(g, w) {
			i := 0
			for i < min(len(g), len(w)) && g[i] == w[i] {
				i++
			}
			t.Errorf("%s with GOMAXPROCS %d: %s differs from GOMAXPROCS %d's at byte %d: %q, want %q", what, cores, name,
				coreCounts[0], i, g[i:min(len(g), i+80)], w[i:min(len(w), i+80)])
		}
	}
}

func TestSameBytesOnAnyNumberOfCores(t *testing.T) {
	fsys := coresDataset(t)
	cases := []struct {
		name    string
		files   []string
		summary string // the text report's last line
		run     bool   // valid: compare the outputs too
	}{
		{"one big file", []string{"big.csv", synth.SourcesFile}, "valid: 6000 records in 2 files, 0 errors, 0 warnings\n", true},
		{"1% invalid", []string{"invalid.csv", synth.SourcesFile}, "INVALID: 2000 records in 2 files, 20 errors, 0 warnings\n", false},
		{"several files, ids repeated across them", []string{synth.SourcesFile, "head.yaml", "big.csv", "tail.jsonl", "invalid.csv"},
			"INVALID: 8030 records in 5 files, 2040 errors, 0 warnings\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := coresFiles(fsys, tc.files...)
			var wantReports, wantOutputs map[string][]byte
			for _, n := range coreCounts {
				withCores(t, n, func() {
					got := reports(t, files)
					if wantReports == nil {
						wantReports = got
						if text := got["text, --max-errors 0"]; !bytes.HasSuffix(text, []byte(tc.summary)) {
							t.Fatalf("the text report ends\n%s\nwant %q", text[max(0, len(text)-300):], tc.summary)
						}
					} else {
						sameBytes(t, "reports", n, wantReports, got)
					}
					if !tc.run {
						return
					}
					got = outputs(t, files)
					if wantOutputs == nil {
						wantOutputs = got
					} else {
						sameBytes(t, "outputs", n, wantOutputs, got)
					}
				})
			}
		})
	}
}
