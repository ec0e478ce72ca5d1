package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A text that the workbook cannot hold exactly (README, XLSX) is a problem
// with the data, reported with every other at its line (rule xlsx_text):
// an error in a run that writes the workbook (exit 1, nothing written), a
// warning in validate (an error with --strict), nothing in a run without
// xlsx, which writes it exactly.
func TestWorkbookText(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "figures.yaml")
	if err := os.WriteFile(data, []byte(`sources:
  - id: s
    title: S
records:
  - id: r1
    kind: agreement_count
    parties: [KZ, KR]
    documents: 60
    as_of: 2008-09-30
    source: s
    quote: "In 2008 Kazakhstan and South Korea signed 60 documents, item _xD800_ of the list"
  - id: r2
    kind: agreement_count
    parties: [KZ, KR]
    documents: 61
    as_of: 2008-09-30
    source: s
    quote: "In 2008 Kazakhstan and South Korea signed 61 documents, items _x0041_x0042_ of the list"
    note: _x0041_ is held
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r1 := func(severity string) string {
		return data + `:11:5: ` + severity + `r1: quote: holds "_xD800_", which the workbook cannot store exactly`
	}
	r2 := func(severity string) string {
		return data + `:18:5: ` + severity + `r2: quote: holds "_x0041_x0042_", which the workbook cannot store exactly`
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		want    []string // lines of stdout, by their start
		written bool
	}{
		{"run", []string{"run", "--quiet", "-o", out, data}, 1,
			[]string{r1(""), r2(""), "INVALID: 2 records in 1 file, 2 errors, 0 warnings"}, false},
		{"validate", []string{"validate", data}, 0,
			[]string{r1("warning: "), r2("warning: "), "valid: 2 records in 1 file, 0 errors, 2 warnings"}, false},
		{"validate strict", []string{"validate", "--strict", data}, 1,
			[]string{r1("warning: "), r2("warning: "), "INVALID (--strict: warnings count as errors)"}, false},
		{"run without xlsx", []string{"run", "--quiet", "-o", out, "--formats", "csv,json", data}, 0,
			[]string{"valid: 2 records in 1 file, 0 errors, 0 warnings"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := exec(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				found := false
				for _, l := range strings.Split(stdout, "\n") {
					found = found || strings.HasPrefix(l, w)
				}
				if !found {
					t.Errorf("no line starts with %q:\n%s", w, stdout)
				}
			}
			if _, err := os.Stat(out); (err == nil) != tc.written {
				t.Errorf("output directory: %v, want written %v", err, tc.written)
			}
		})
	}
}
