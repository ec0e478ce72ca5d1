package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// agreements writes a directory holding n valid agreement counts (a CSV
// file and the YAML file declaring their source): a JUnit report of some
// megabytes, far more than a pipe holds.
func agreements(t *testing.T, n int, invalid bool) string {
	t.Helper()
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id,kind,parties,documents,qualifier,as_of,source,quote\n")
	for i := range n {
		documents := "60"
		if invalid && i%2 == 1 {
			documents = "sixty"
		}
		fmt.Fprintf(&csv, "a-%d,agreement_count,KZ;KR,%s,over,2008-09-30,s,In 2008 Kazakhstan and South Korea signed over 60 documents\n", i, documents)
	}
	writeFiles(t, dir, map[string]string{
		"sources.yaml":   "sources:\n  - {id: s, title: S}\n",
		"agreements.csv": csv.String(),
	}, nil)
	return dir
}

// pipedToHead runs the binary with its standard output piped to head -1,
// a reader that goes away after one line, as in "econ-export … | head -1".
// It returns the binary's exit code, what head printed and the binary's
// stderr.
func pipedToHead(t *testing.T, tmp string, args ...string) (int, string, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var first, stderr bytes.Buffer
	cmd := osexec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = w, &stderr
	head := osexec.Command("head", "-1")
	head.Stdin, head.Stdout = r, &first
	if err := head.Start(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close() // the processes hold the pipe now
	r.Close()
	if err := head.Wait(); err != nil {
		t.Fatalf("head: %v", err)
	}
	err = cmd.Wait()
	var exit *osexec.ExitError
	switch {
	case err == nil:
		return 0, first.String(), stderr.String()
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("killed by %v (exit 128+%d); stderr: %q", ws.Signal(), ws.Signal(), &stderr)
		}
		return exit.ExitCode(), first.String(), stderr.String()
	}
	t.Fatal(err)
	return 0, "", ""
}

const reportCut = "econ-export: the report could not be written in full: write /dev/stdout: broken pipe; the run went on without it\n"

// TestReportReaderGone: a report whose reader went away costs neither the
// outputs nor the exit code: the run goes on, publishes, and says in one
// line on stderr that the report was cut short.
func TestReportReaderGone(t *testing.T) {
	valid := agreements(t, 20000, false)
	invalid := agreements(t, 20000, true)
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		first   string   // the line head printed
		stderr  []string // the lines on stderr, in any order
		written bool
	}{
		{"run, junit report", []string{"run", "--quiet", "--report", "junit", "-o", "OUT", valid}, 0,
			`<?xml version="1.0" encoding="UTF-8"?>`, []string{reportCut}, true},
		{"run, without --quiet", []string{"run", "--report", "junit", "-o", "OUT", "--formats", "csv", valid}, 0,
			`<?xml version="1.0" encoding="UTF-8"?>`, []string{reportCut, "econ-export: wrote 7 files to OUT: "}, true},
		{"run, text report, invalid data", []string{"run", "-o", "OUT", invalid}, 1,
			"agreements.csv:3:27: a-1: documents: ", []string{reportCut, "econ-export: nothing written to OUT: the data has 10000 errors\n"}, false},
		{"validate, json report, invalid data", []string{"validate", "--report", "json", invalid}, 1,
			`{"report_version":1,"problems":[`, []string{reportCut}, false},
		{"validate, github report, invalid data", []string{"validate", "--report", "github", invalid}, 1,
			"::error file=", []string{reportCut}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, tmp := t.TempDir(), t.TempDir()
			out := filepath.Join(base, "out")
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "OUT", out)
			}
			code, first, stderr := pipedToHead(t, tmp, args...)
			if code != tc.code || !strings.Contains(first, tc.first) || strings.Count(stderr, "\n") != len(tc.stderr) {
				t.Errorf("exit %d, head printed %q, stderr %q; want exit %d, %q and %d lines on stderr",
					code, first, stderr, tc.code, tc.first, len(tc.stderr))
			}
			for _, line := range tc.stderr {
				if line = strings.ReplaceAll(line, "OUT", out); !strings.Contains(stderr, line) {
					t.Errorf("stderr %q lacks %q", stderr, line)
				}
			}
			if tc.written {
				consistent(t, out)
			} else if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: %v; want nothing written", out, err)
			}
			clean(t, base, tmp)
		})
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct {
	n      int
	writes int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	f.writes++
	if len(p) <= f.n {
		f.n -= len(p)
		return len(p), nil
	}
	n := f.n
	f.n = 0
	return n, syscall.EPIPE
}

// TestReportWriteFails: in-process, a standard output that fails after a
// few bytes: the run writes its outputs, exits as the data says, stops
// writing to the broken output after the first error, and says so once.
func TestReportWriteFails(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stdout := &failingWriter{n: 100}
	var stderr bytes.Buffer
	code := run([]string{"run", "--quiet", "--report", "junit", "-o", out, agreements(t, 2000, false)}, strings.NewReader(""), stdout, &stderr)
	if code != 0 || stderr.String() != "econ-export: the report could not be written in full: broken pipe; the run went on without it\n" {
		t.Errorf("exit %d, stderr %q", code, &stderr)
	}
	if stdout.writes != 1 {
		t.Errorf("%d writes to the failing output; want 1: none after the one that failed", stdout.writes)
	}
	consistent(t, out)
	for _, args := range [][]string{{"schema"}, {"version"}} {
		var stderr bytes.Buffer
		if code := run(args, strings.NewReader(""), &failingWriter{}, &stderr); code != 0 || !strings.Contains(stderr.String(), "could not be written in full") {
			t.Errorf("%v to a failing output: exit %d, stderr %q", args, code, &stderr)
		}
	}
}
