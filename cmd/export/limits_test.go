package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"export/input"
)

// The limit flags reach the readers, in both commands, and a file over a
// limit gets a positioned error (exit 1) while the run goes on with the
// other files; nothing is written.
func TestLimitFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sources := write("sources.yaml", "sources:\n  - {id: s, title: S}\n")
	// Each quote states its record's figures (and names its countries).
	quote := func(documents string) string {
		return "In 2008 Kazakhstan and South Korea signed " + documents + " documents"
	}
	csv := write("figures.csv", "id,kind,parties,documents,as_of,source,quote\n"+
		"r1,agreement_count,KZ;KR,60,2008-09-30,s,"+quote("60")+"\n"+
		"r2,agreement_count,KZ;KR,61,2008-09-30,s,"+quote("61")+"\n")
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		lines []string // parts of stdout
	}{
		{"within the defaults", []string{"validate", csv, sources}, 0, []string{"valid: 2 records in 2 files"}},
		{"max-records", []string{"validate", "--max-records", "1", csv, sources}, 1,
			[]string{csv + ":3:1: the file holds more than 1 records, the limit for one file (--max-records); split it into several files [limit]"}},
		{"max-records at the limit", []string{"validate", "--max-records=2", csv, sources}, 0, nil},
		{"max-file-size", []string{"validate", "--max-file-size", "100B", csv, sources}, 1,
			[]string{csv + ": the file is 237 bytes, over the limit of 100 bytes for an input file (--max-file-size); split it into smaller files [limit]"}},
		{"max-file-size in KiB", []string{"validate", "--max-file-size", "1KiB", csv, sources}, 0, nil},
		{"max-field-size", []string{"validate", csv, sources, "--max-field-size", "20"}, 1,
			[]string{csv + ":2:42: r1: quote: the value is 54 bytes long, over the limit of 20 bytes for one value (--max-field-size); it was not read [limit]",
				csv + ":3:42: r2: quote: the value is 54 bytes long"}},
		{"run refuses and writes nothing", []string{"run", "-o", out, "--max-records", "1", csv, sources}, 1,
			[]string{"more than 1 records"}},
		{"run within the limits", []string{"run", "-o", out, "--max-file-size", "1MiB", "--max-records", "2", "--max-field-size", "64", csv, sources}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := exec(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, stdout, stderr)
			}
			for _, l := range tc.lines {
				if !strings.Contains(stdout, l) {
					t.Errorf("stdout lacks %q:\n%s", l, stdout)
				}
			}
			if _, err := os.Stat(out); tc.code != 0 && err == nil && tc.args[0] == "run" {
				t.Errorf("a refused run wrote %s", out)
			}
		})
	}
}

func TestLimitFlagErrors(t *testing.T) {
	for _, tc := range []struct{ args []string }{
		{[]string{"validate", "--max-file-size", "64 parsecs"}},
		{[]string{"validate", "--max-file-size", "0"}},
		{[]string{"validate", "--max-file-size", "-1"}},
		{[]string{"run", "--max-field-size", "99999999999TiB"}},
		{[]string{"run", "--max-records", "0"}},
		{[]string{"run", "--max-records", "many"}},
	} {
		code, _, stderr := exec(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, "invalid value") || strings.Count(stderr, "\n") != 2 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and the flag's error", tc.args, code, stderr)
		}
	}
	// The usage text gives each limit with its default.
	_, stdout, _ := exec(t, "run", "-h")
	for _, want := range []string{"-max-file-size SIZE", "(default 8GiB)", "-max-records N", "(default 10000000)",
		"-max-field-size SIZE", "(default 64KiB)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run -h lacks %q:\n%s", want, stdout)
		}
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{
		"1": 1, "100B": 100, "64KiB": 64 << 10, "64k": 64 << 10, "64K": 64 << 10, "64kb": 64000,
		"2MiB": 2 << 20, "2M": 2 << 20, "2MB": 2e6, " 3 GiB ": 3 << 30, "3g": 3 << 30, "3GB": 3e9,
		"1TiB": 1 << 40, "1TB": 1e12,
	} {
		if got, err := parseSize(s); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "MiB", "1.5MiB", "-1", "0", "1 PiB", "1e6", "9223372036854775807KiB"} {
		if n, err := parseSize(s); err == nil {
			t.Errorf("parseSize(%q) = %d; want an error", s, n)
		}
	}
	// The defaults print as they parse.
	for _, n := range []int64{input.DefaultLimits.MaxFileBytes, int64(input.DefaultLimits.MaxFieldBytes)} {
		if got, err := parseSize(input.FormatSize(n)); err != nil || got != n {
			t.Errorf("parseSize(FormatSize(%d)) = %d, %v", n, got, err)
		}
	}
}
