package input

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// collected returns the paths of files and skipped entries, relative to
// dir.
func collected(t *testing.T, dir string, files []File, skipped []Skipped) (read, skips []string) {
	t.Helper()
	rel := func(p string) string {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}
	for _, f := range files {
		read = append(read, rel(f.Path))
	}
	for _, s := range skipped {
		skips = append(skips, rel(s.Path)+": "+s.Reason)
	}
	return read, skips
}

// A walk skips the run's own output directory and every directory of
// export's outputs, so that `cd data && export .` run twice does not read
// the first run's outputs; a directory named explicitly is read all the
// same.
func TestCollectSkipsOutputs(t *testing.T) {
	tmp := t.TempDir()
	d := filepath.Join(tmp, "data")
	writeTree(t, d, map[string]string{
		"figures.yaml":           "records: []\n",
		"out/manifest.json":      "{}",
		"out/figures.json":       "{}",
		"old/manifest.json":      "{}",
		"old/investment.csv":     "id,kind\n",
		"notes/manifest.json":    "{}", // not export's: the predicate says so
		"notes/more.yaml":        "records: []\n",
		"sub/deeper/out/x.jsonl": "",
	}, map[string]string{"outlink": "out"})
	isExportDir := func(dir string) bool {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		return err == nil && string(b) == "{}" && filepath.Base(dir) != "notes"
	}
	for _, tc := range []struct {
		name  string
		opts  CollectOptions
		paths []string
		read  []string
		skips []string
	}{
		{
			name: "the output directory and a directory of outputs",
			opts: CollectOptions{OutDir: filepath.Join(d, "out"), IsExportDir: isExportDir}, paths: []string{d},
			read:  []string{"figures.yaml", "notes/manifest.json", "notes/more.yaml", "sub/deeper/out/x.jsonl"},
			skips: []string{"old: holds export's manifest.json", "out: export's output directory", "outlink: symbolic link to a directory (not followed)"},
		},
		{
			name: "the output directory named through a link, without a predicate",
			opts: CollectOptions{OutDir: filepath.Join(d, "outlink") + "/"}, paths: []string{d},
			read:  []string{"figures.yaml", "notes/manifest.json", "notes/more.yaml", "old/investment.csv", "old/manifest.json", "sub/deeper/out/x.jsonl"},
			skips: []string{"out: export's output directory", "outlink: symbolic link to a directory (not followed)"},
		},
		{
			name: "an output directory that does not exist yet",
			opts: CollectOptions{OutDir: filepath.Join(d, "new")}, paths: []string{filepath.Join(d, "sub")},
			read: []string{"sub/deeper/out/x.jsonl"},
		},
		{
			name: "named explicitly",
			opts: CollectOptions{OutDir: filepath.Join(d, "out"), IsExportDir: isExportDir}, paths: []string{filepath.Join(d, "out"), filepath.Join(d, "old")},
			read: []string{"out/figures.json", "out/manifest.json", "old/investment.csv", "old/manifest.json"},
		},
		{
			name:  "no options",
			paths: []string{filepath.Join(d, "out")},
			read:  []string{"out/figures.json", "out/manifest.json"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, skipped, err := tc.opts.Collect(tc.paths)
			if err != nil {
				t.Fatal(err)
			}
			read, skips := collected(t, d, files, skipped)
			if !slices.Equal(read, tc.read) {
				t.Errorf("read:\n%q\nwant:\n%q", read, tc.read)
			}
			if !slices.Equal(skips, tc.skips) {
				t.Errorf("skipped:\n%q\nwant:\n%q", skips, tc.skips)
			}
		})
	}
}

// A file is read once, however many paths lead to it, with a note for
// each other path; files that only look alike (same size and time) are
// read each.
func TestCollectReadsAFileOnce(t *testing.T) {
	tmp := t.TempDir()
	d := filepath.Join(tmp, "data")
	writeTree(t, d, map[string]string{
		"a.yaml":    "records: []\n",
		"b.yaml":    "records: []\n", // the same size, and the same time below
		"sub/c.csv": "id,kind\n",
	}, map[string]string{"link.yaml": "a.yaml"})
	now := time.Now()
	for _, p := range []string{"a.yaml", "b.yaml"} {
		if err := os.Chtimes(filepath.Join(d, p), now, now); err != nil {
			t.Fatal(err)
		}
	}
	hard := filepath.Join(d, "other", "hard.yaml")
	if err := os.Mkdir(filepath.Dir(hard), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(d, "a.yaml"), hard); err != nil {
		t.Logf("no hard link here (%v): that case is left out", err)
		hard = ""
	}
	a, c := filepath.Join(d, "a.yaml"), filepath.Join(d, "sub", "c.csv")
	same := func(p, first string) string {
		return p + ": the same file as " + filepath.Join(d, first) + ", which is read once"
	}
	tests := []struct {
		name  string
		paths []string
		read  []string
		skips []string
	}{
		{"a file twice", []string{a, a}, []string{"a.yaml"}, []string{same("a.yaml", "a.yaml")}},
		{"a file, then its directory", []string{c, filepath.Join(d, "sub")}, []string{"sub/c.csv"},
			[]string{same("sub/c.csv", "sub/c.csv")}},
		{"a directory, then a file in it", []string{filepath.Join(d, "sub"), c}, []string{"sub/c.csv"},
			[]string{same("sub/c.csv", "sub/c.csv")}},
		{"a directory twice", []string{filepath.Join(d, "sub"), filepath.Join(d, "sub") + "/"}, []string{"sub/c.csv"},
			[]string{same("sub/c.csv", "sub/c.csv")}},
		{"a link to a file", []string{filepath.Join(d, "link.yaml"), a}, []string{"link.yaml"}, []string{same("a.yaml", "link.yaml")}},
		{"files alike", []string{a, filepath.Join(d, "b.yaml")}, []string{"a.yaml", "b.yaml"}, nil},
	}
	if hard != "" {
		tests = append(tests, struct {
			name  string
			paths []string
			read  []string
			skips []string
		}{"a hard link", []string{a, hard}, []string{"a.yaml"}, []string{same("other/hard.yaml", "a.yaml")}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, skipped, err := Collect(tc.paths)
			if err != nil {
				t.Fatal(err)
			}
			read, skips := collected(t, d, files, skipped)
			if !slices.Equal(read, tc.read) {
				t.Errorf("read:\n%q\nwant:\n%q", read, tc.read)
			}
			// The notes name the path read, in full.
			for i := range skips {
				skips[i] = filepath.Join(d, skips[i])
			}
			for i := range tc.skips {
				tc.skips[i] = filepath.Join(d, tc.skips[i])
			}
			if !slices.Equal(skips, tc.skips) {
				t.Errorf("skipped:\n%q\nwant:\n%q", skips, tc.skips)
			}
		})
	}
}
