package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exec runs the command in-process and returns exit code, stdout and stderr.
func exec(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const broken = "../../examples/programme-1bn.yaml"

func TestValidateCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // parts stdout must contain
		stderr     string   // a part stderr must contain ("" means empty)
		stderrOnly bool     // stderr must be a single line
	}{
		{"embedded dataset is valid", []string{"validate"}, 0,
			[]string{"valid: 3 records in 1 file, 0 errors, 2 warnings"}, "", false},
		{"strict fails on warnings", []string{"validate", "--strict"}, 1,
			[]string{"warning: kr-kz-enterprises: as_of", "INVALID (--strict"}, "", false},
		{"broken example", []string{"validate", broken}, 1,
			[]string{"programme-1bn.yaml:17:5: programme-1bn: as_of: is required", "programme-1bn.yaml:19:5: programme-1bn: investor: is required", "2 errors"}, "", false},
		{"flags after paths", []string{"validate", broken, "--report", "github"}, 1,
			[]string{"::error file=../../examples/programme-1bn.yaml,line=19,col=5,"}, "", false},
		{"flag with equals", []string{"validate", "--report=json", broken}, 1,
			[]string{`"rule":"required"`}, "", false},
		{"double dash ends flags", []string{"validate", "--", "--strict"}, 2,
			nil, "--strict", true},
		{"unknown report format", []string{"validate", "--report", "xml"}, 2,
			nil, `unknown report format "xml"`, false},
		{"unknown flag", []string{"validate", "--colour"}, 2,
			nil, "flag provided but not defined: -colour", false},
		{"missing file", []string{"validate", "nope.yaml"}, 2,
			nil, "nope.yaml", true},
		{"unsupported file", []string{"validate", "run_test.go"}, 2,
			nil, "not a dataset file", false},
		{"help", []string{"-h"}, 0,
			[]string{"Usage:", "econ-export validate", "Exit codes"}, "", false},
		{"command help", []string{"validate", "-h"}, 0,
			[]string{"Usage: econ-export validate", "-report FORMAT", "-strict"}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := exec(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if tc.stderr == "" && stderr != "" {
				t.Errorf("unexpected stderr: %s", stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q: %s", tc.stderr, stderr)
			}
			if tc.stderrOnly && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace on stderr: %s", stderr)
			}
		})
	}
}

func TestValidateDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sources.yaml", "sources:\n  - {id: s, title: S}\n")
	write("figures.csv", "id,kind,parties,documents,as_of,source,quote\nr1,agreement_count,KZ;KR,60,2008-09-30,s,In 2008 Kazakhstan and South Korea signed 60 documents\n")
	write("notes.txt", "not data")
	code, stdout, _ := exec(t, "validate", "--report", "json", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stdout)
	}
	var rep struct {
		Summary struct {
			Files, Records int
			Skipped        []struct{ Path, Reason string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Files != 2 || rep.Summary.Records != 1 || len(rep.Summary.Skipped) != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
}
