package main

import (
	"os"
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
