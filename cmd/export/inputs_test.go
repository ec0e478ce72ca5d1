package main

import (
	"errors"
	"export/input"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Reading problems name the record they concern when its id can be read:
// an unknown kind, a kind given through a YAML merge key, invalid UTF-8 in
// a CSV row; and a file named twice is read once, with a note, rather
// than reported as duplicate ids at the same position.
func TestInputProblemsNameTheRecord(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"s.yaml": "sources:\n  - {id: s, title: S}\nrecords:\n  - id: r1\n    kind: nope\n  - id: r2\n    <<: {kind: enterprise_count}\n",
		"l.csv":  "id,kind,note\nr3,agreement_count,caf\xe9\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, l := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "l.csv")
	code, stdout, stderr := exec(t, "validate", s, l, s, dir)
	if code != exitInvalid || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and nothing", code, stderr)
	}
	for _, want := range []string{
		s + `:5:11: r1: kind: unknown kind "nope"`,
		s + ":7:5: r2: YAML merge keys (<<) are not allowed",
		s + ":6:5: r2: kind: kind is required",
		l + ":2:23: r3: note: invalid UTF-8 byte",
		"note: skipped " + s + ": the same file as " + s + ", which is read once",
		"note: skipped " + l + ": the same file as " + l + ", which is read once",
		"INVALID: 3 records in 2 files, 4 errors",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report has no %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "unique_id") {
		t.Errorf("a file read twice gave duplicate ids:\n%s", stdout)
	}
}

// TestRunInsideItsInputs: a run whose output directory sits inside the
// directory it reads (cd data && export .) does not read its own outputs
// the second time, nor any other directory of export's outputs, and says
// so in the report.
func TestRunInsideItsInputs(t *testing.T) {
	data := t.TempDir()
	for _, name := range []string{"kazakhstan-korea.yaml", "kazakhstan-today-p190-191.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "input", "defaultdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string, string) {
		cmd := osexec.Command(binary(t), args...)
		cmd.Dir = data
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *osexec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	for i := range 2 {
		if code, stdout, stderr := run("run", "--quiet", "."); code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i+1, code, stdout, stderr)
		}
	}
	if code, stdout, stderr := run("run", "--quiet", "-o", "other", "."); code != 0 || !strings.Contains(stdout, "note: skipped out: "+input.SkipExportDir) {
		t.Errorf("a run into another directory: exit %d\n%s%s\nwant a note that out was skipped", code, stdout, stderr)
	}
	code, stdout, _ := run("validate", ".")
	for _, dir := range []string{"out", "other"} {
		if !strings.Contains(stdout, "note: skipped "+dir+": "+input.SkipExportDir) {
			t.Errorf("validate: no note that %s was skipped:\n%s", dir, stdout)
		}
	}
	if code != 0 {
		t.Errorf("validate: exit %d\n%s", code, stdout)
	}
}
