package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree returns every file under dir with its content, by relative path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func names(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// siblings lists the entries next to dir, to catch leftover stages.
func siblings(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

var allOutputs = []string{
	"agreement_counts.csv", "datapackage.json", "enterprise_counts.csv", "figures.json", "figures.schema.json",
	"figures.xlsx", "investment_totals.csv", "manifest.json", "report.html", "sources.csv", "sources/kazakhstan-today-p190-191.txt",
}

func TestRunWritesEveryOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := exec(t, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	got := tree(t, out)
	if !slices.Equal(names(got), allOutputs) {
		t.Errorf("outputs %v, want %v", names(got), allOutputs)
	}
	if !strings.Contains(stderr, "wrote 11 files to "+out) {
		t.Errorf("stderr %q", stderr)
	}
	if s := siblings(t, out); len(s) != 1 {
		t.Errorf("left beside the output directory: %v", s)
	}
	// The manifest's digests match the files.
	var m struct {
		Files []struct {
			Name, SHA256 string
			Bytes        int
		}
	}
	if err := json.Unmarshal([]byte(got["manifest.json"]), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != len(allOutputs)-1 {
		t.Errorf("manifest lists %d files", len(m.Files))
	}
	for _, f := range m.Files {
		sum := sha256.Sum256([]byte(got[f.Name]))
		if hex.EncodeToString(sum[:]) != f.SHA256 || len(got[f.Name]) != f.Bytes {
			t.Errorf("manifest entry %s does not match the file", f.Name)
		}
	}
}

func TestRunFormats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--formats", "json,csv", "--out", out, "--quiet"); code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := []string{"agreement_counts.csv", "datapackage.json", "enterprise_counts.csv", "figures.json", "figures.schema.json",
		"investment_totals.csv", "manifest.json", "report.html", "sources.csv", "sources/kazakhstan-today-p190-191.txt"}
	if got := names(tree(t, out)); !slices.Equal(got, want) {
		t.Errorf("outputs %v, want %v", got, want)
	}
	if code, _, stderr := exec(t, "--formats", "csv,pdf", "-o", out); code != 2 || !strings.Contains(stderr, `unknown format "pdf"`) {
		t.Errorf("unknown format: exit %d, %q", code, stderr)
	}
}

// TestRunFailsClosed checks that a run that fails leaves the output
// directory exactly as it was: absent, or holding the previous outputs.
func TestRunFailsClosed(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")

	if code, _, _ := exec(t, "-o", out, broken); code != 1 {
		t.Fatalf("invalid data: exit %d, want 1", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("invalid data created the output directory")
	}
	if s := siblings(t, out); len(s) != 0 {
		t.Errorf("left behind: %v", s)
	}

	if code, _, stderr := exec(t, "-o", out, "--formats", "csv,json"); code != 0 {
		t.Fatalf("valid run: exit %d %s", code, stderr)
	}
	before := tree(t, out)
	for _, args := range [][]string{
		{"-o", out, broken},                    // invalid data
		{"-o", out, "--strict"},                // warnings in strict mode
		{"-o", out, "missing.yaml"},            // I/O error
		{"-o", out, "--report", "nope"},        // usage error
		{"-o", out, "--formats", "csv", "x.x"}, // unsupported input
	} {
		code, _, _ := exec(t, args...)
		if code == 0 {
			t.Errorf("%v: exit 0", args)
		}
		if got := tree(t, out); !equalTrees(got, before) {
			t.Errorf("%v changed the output directory: %v", args, names(got))
		}
		if s := siblings(t, out); len(s) != 1 {
			t.Errorf("%v left behind: %v", args, s)
		}
	}

	// A valid run replaces the previous outputs as a whole.
	if code, _, _ := exec(t, "-o", out, "--formats", "csv"); code != 0 {
		t.Fatal("second valid run failed")
	}
	if got := names(tree(t, out)); slices.Contains(got, "figures.json") {
		t.Errorf("outputs of the previous run survived: %v", got)
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRunRefusesForeignDirectory(t *testing.T) {
	out := t.TempDir()
	precious := filepath.Join(out, "thesis.docx")
	if err := os.WriteFile(precious, []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := exec(t, "-o", out)
	if code != 2 || !strings.Contains(stderr, "files that export did not write") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "years of work" {
		t.Error("the user's file was touched")
	}

	file := filepath.Join(t.TempDir(), "out")
	os.WriteFile(file, nil, 0o644)
	if code, _, stderr := exec(t, "-o", file); code != 2 || !strings.Contains(stderr, "is a file") {
		t.Errorf("output path is a file: exit %d, %q", code, stderr)
	}
}

// TestRunReproducible runs twice, in different working directories and
// time zones, and compares every byte.
func TestRunReproducible(t *testing.T) {
	run := func(tz string) map[string]string {
		t.Setenv("TZ", tz)
		out := filepath.Join(t.TempDir(), "out")
		if code, stdout, stderr := exec(t, "-o", out); code != 0 {
			t.Fatalf("exit %d %s %s", code, stdout, stderr)
		}
		return tree(t, out)
	}
	a := run("UTC")
	wd, _ := os.Getwd()
	t.Chdir(t.TempDir())
	b := run("Asia/Almaty")
	t.Chdir(wd)
	for _, name := range names(a) {
		if !bytes.Equal([]byte(a[name]), []byte(b[name])) {
			t.Errorf("%s differs between runs", name)
		}
	}
}

func TestSourceDateEpoch(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1222732800") // 2008-09-30T00:00:00Z
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "-o", out, "--formats", "json"); code != 0 {
		t.Fatal(stderr)
	}
	if got := tree(t, out)["figures.json"]; !strings.Contains(got, `"created": "2008-09-30T00:00:00Z"`) {
		t.Errorf("figures.json lacks the created time:\n%.300s", got)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code, _, stderr := exec(t, "-o", out); code != 2 || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d %q", code, stderr)
	}
}

// TestRunTableFormats checks that JSON Lines and Parquet files are written
// when asked for, and that the data package and the manifest list them
// with their digests.
func TestRunTableFormats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "--formats", "parquet,jsonl", "-o", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	got := tree(t, out)
	want := []string{"agreement_counts.jsonl", "agreement_counts.parquet", "datapackage.json", "enterprise_counts.jsonl",
		"enterprise_counts.parquet", "investment_totals.jsonl", "investment_totals.parquet", "manifest.json",
		"report.html", "sources.jsonl", "sources.parquet", "sources/kazakhstan-today-p190-191.txt"}
	if !slices.Equal(names(got), want) {
		t.Fatalf("outputs %v, want %v", names(got), want)
	}
	var dp struct {
		Resources []struct{ Name, Path, Format, Hash string }
	}
	if err := json.Unmarshal([]byte(got["datapackage.json"]), &dp); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, r := range dp.Resources {
		listed = append(listed, r.Name)
		sum := sha256.Sum256([]byte(got[r.Path]))
		if r.Hash != "sha256:"+hex.EncodeToString(sum[:]) {
			t.Errorf("%s: hash does not match %s", r.Name, r.Path)
		}
	}
	wantRes := []string{"investment_totals_jsonl", "enterprise_counts_jsonl", "agreement_counts_jsonl", "sources_jsonl",
		"investment_totals_parquet", "enterprise_counts_parquet", "agreement_counts_parquet", "sources_parquet"}
	if !slices.Equal(listed, wantRes) {
		t.Errorf("resources %v, want %v", listed, wantRes)
	}
	if m := got["manifest.json"]; !strings.Contains(m, `"investment_totals.parquet"`) || !strings.Contains(m, `"agreement_counts.jsonl"`) {
		t.Error("the manifest does not list the JSON Lines and Parquet files")
	}
}
