package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The output directory (issue 10): export replaces only what it wrote, as
// it wrote it.

// A manifest.json that export did not write does not make a directory
// export's: the file beside it stays.
func TestOutdirForeignManifest(t *testing.T) {
	for name, manifest := range map[string]string{
		"names only":   `{"files":[{"name":"notes.txt"}]}`,
		"another tool": `{"generated_by":{"tool":"other"},"files":[{"name":"notes.txt","sha256":"` + strings.Repeat("0", 64) + `","bytes":4}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			os.Mkdir(out, 0o755)
			os.WriteFile(filepath.Join(out, "manifest.json"), []byte(manifest), 0o644)
			os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
			before := tree(t, out)
			for _, force := range []bool{false, true} {
				args := []string{"run", "-o", out}
				if force {
					args = append(args, "--force")
				}
				code, _, stderr := exec(t, args...)
				if code != 2 || !strings.Contains(stderr, "its manifest.json is not one export wrote") {
					t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
				}
				if got := tree(t, out); !equalTrees(got, before) {
					t.Fatalf("%v changed the directory: %v", args, names(got))
				}
			}
		})
	}
}

// A workbook an analyst edited in place is a file export did not write:
// the run stops, saying which file changed and what to do; --force
// replaces it, and nothing export did not list.
func TestOutdirEditedOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	published := tree(t, out)
	workbook := filepath.Join(out, "figures.xlsx")
	edited := []byte(published["figures.xlsx"])
	edited[len(edited)/2] ^= 1 // same size, other bytes
	if err := os.WriteFile(workbook, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, out)

	code, _, stderr := exec(t, "run", "-o", out)
	if code != 2 {
		t.Errorf("edited workbook: exit %d, want 2", code)
	}
	for _, want := range []string{out + ": figures.xlsx changed since export wrote it", "move it away to keep it", "--force"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q; want it to say %q", stderr, want)
		}
	}
	if strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", stderr)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Fatalf("the directory changed: %v", names(got))
	}

	// A file export did not list stays, --force or not.
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out, "--force"); code != 2 || !strings.Contains(stderr, "notes.txt is not in its manifest.json") {
		t.Errorf("--force with a file export did not list: exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "notes.txt")); err != nil || string(b) != "mine" {
		t.Fatalf("notes.txt: %q, %v", b, err)
	}
	os.Remove(filepath.Join(out, "notes.txt"))

	if code, _, stderr := exec(t, "run", "--quiet", "-o", out, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if got := tree(t, out); !equalTrees(got, published) {
		t.Errorf("--force did not publish the outputs afresh: %v", names(got))
	}
	if s := siblings(t, out); !slices.Equal(s, []string{"out"}) {
		t.Errorf("left beside the output directory: %v", s)
	}
}

// A run that replaced the previous outputs leaves a directory that the next
// run recognises; a listed file deleted by hand is no obstacle.
func TestOutdirRepeatedRuns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for i, args := range [][]string{
		{"--formats", "csv,json"},
		{"--formats", "csv,xlsx,jsonl,parquet"},
		{},
	} {
		if i == 2 {
			os.Remove(filepath.Join(out, "investment_totals.parquet"))
		}
		if code, _, stderr := exec(t, append([]string{"run", "--quiet", "-o", out}, args...)...); code != 0 {
			t.Fatalf("run %d %v: exit %d: %s", i+1, args, code, stderr)
		}
	}
	if got := names(tree(t, out)); !slices.Equal(got, allOutputs) {
		t.Errorf("outputs %v, want %v", got, allOutputs)
	}
}

// The copies of the source texts (sources/) are outputs like the others: a
// changed one stops the run, and a file added beside them is not export's.
func TestOutdirSourceTexts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	text := filepath.Join(out, "sources", "kazakhstan-today-p190-191.txt")
	if _, err := os.Stat(text); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("run over the outputs: exit %d: %s", code, stderr)
	}
	os.WriteFile(text, []byte("edited"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out); code != 2 || !strings.Contains(stderr, "sources/kazakhstan-today-p190-191.txt changed since export wrote it") {
		t.Errorf("an edited copy: exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(filepath.Join(out, "sources", "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out, "--force"); code != 2 || !strings.Contains(stderr, "sources/notes.txt is not in its manifest.json") {
		t.Errorf("a file beside the copies: exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "sources", "notes.txt")); err != nil || string(b) != "mine" {
		t.Fatalf("notes.txt: %q, %v", b, err)
	}
	os.Remove(filepath.Join(out, "sources", "notes.txt"))
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
}
