package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

const quotedText = "In 2008 Kazakhstan and South Korea signed over 60 documents between the two countries.\n"

// TestSkippedThroughTheCommand: in a directory, the source text a dataset
// reads is not reported as skipped; a file nothing reads is, in every
// report format, and the GitHub notice escapes its properties.
func TestSkippedThroughTheCommand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"figures.yaml": "sources:\n  - {id: s, title: S, text: s.txt}\nrecords:\n" +
			"  - {id: r1, kind: agreement_count, parties: [KZ, KR], documents: 60, qualifier: over, as_of: 2008-09-30, source: s,\n" +
			"     quote: \"In 2008 Kazakhstan and South Korea signed over 60 documents\"}\n",
		"s.txt":          quotedText,
		"notes: a,b.txt": "not read",
	}, nil)
	code, stdout, stderr := exec(t, "validate", "--report", "json", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var rep struct {
		Summary struct {
			Skipped []struct{ Path, Reason string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Summary.Skipped) != 1 || filepath.Base(rep.Summary.Skipped[0].Path) != "notes: a,b.txt" {
		t.Errorf("skipped %+v; want only the notes", rep.Summary.Skipped)
	}
	_, stdout, _ = exec(t, "validate", "--report", "github", dir)
	want := "::notice file=" + ghEscapedDir(dir) + "/notes%3A a%2Cb.txt,title=export%3A skipped::not a dataset file ("
	if !strings.Contains(stdout, want) || strings.Contains(stdout, "s.txt,") {
		t.Errorf("github report:\n%s\nwant the line %q, and no notice for s.txt", stdout, want)
	}
	_, stdout, _ = exec(t, "validate", dir)
	if strings.Contains(stdout, "s.txt:") || !strings.Contains(stdout, "note: skipped ") {
		t.Errorf("text report:\n%s\nwant a note for the notes only", stdout)
	}
}

// ghEscapedDir escapes a directory as a workflow command property.
func ghEscapedDir(dir string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(dir)
}

// TestHostileFileNames creates dataset files whose names would break or
// disguise a report line if printed raw (a line break and a forged
// workflow command, a terminal colour sequence, a right-to-left override,
// invalid UTF-8), and a skipped file of the kind, and runs the command on
// their directory in every report format: every character of every
// report is printable, no name starts a line of its own, and the JSON
// report gives the names back.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	names := []string{
		"a\n::error file=x.yaml::forged.yaml",
		"\x1b[31mred\x1b[0m.yaml",
		"evil\u202egnp.yaml",
		"bad\xff.yaml",
		"plain, with: punctuation%.yaml",
	}
	// Every file has a record with an error and the same id, so that the
	// messages name the other files too.
	record := "records:\n  - {id: dup, kind: agreement_count, parties: [KZ, KR], documents: sixty, as_of: 2008-09-30, source: s,\n" +
		"     quote: \"In 2008 Kazakhstan and South Korea signed over 60 documents\"}\n"
	writeFiles(t, dir, map[string]string{"sources.yaml": "sources:\n  - {id: s, title: S}\n", "notes\n::warning::forged.txt": "not read"}, nil)
	// Some file systems refuse some of the names (invalid UTF-8 on macOS):
	// the test goes on with the others.
	names = slices.DeleteFunc(names, func(n string) bool {
		err := os.WriteFile(filepath.Join(dir, n), []byte(record), 0o644)
		if err != nil {
			t.Logf("this file system refuses the name %q: %v", n, err)
		}
		return err != nil
	})

	// What the JSON report says: the problems, each with its file.
	code, stdout, stderr := exec(t, "validate", "--report", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var rep struct {
		Problems []struct{ File, Message string }
		Summary  struct {
			Skipped []struct{ Path string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, stdout)
	}
	got := map[string]bool{}
	for _, p := range rep.Problems {
		got[filepath.Base(p.File)] = true
	}
	for _, n := range names {
		if !got[string([]rune(n))] { // invalid UTF-8 reads U+FFFD
			t.Errorf("json report: no problem of %q; files %v", n, got)
		}
	}
	if len(rep.Summary.Skipped) != 1 || filepath.Base(rep.Summary.Skipped[0].Path) != "notes\n::warning::forged.txt" {
		t.Errorf("json report: skipped %+v", rep.Summary.Skipped)
	}
	problems := len(rep.Problems)

	for _, format := range []string{"text", "github", "junit", "json"} {
		for _, cmd := range []string{"validate", "run"} {
			args := []string{cmd, "--report", format, dir}
			if cmd == "run" {
				args = append(args, "-o", filepath.Join(t.TempDir(), "out"))
			}
			code, stdout, stderr := exec(t, args...)
			if code != 1 {
				t.Errorf("%v: exit %d\n%s", args, code, stderr)
			}
			for _, r := range stdout {
				if r != ' ' && r != '\n' && !strconv.IsPrint(r) {
					t.Errorf("%v: the report holds the unprintable %U:\n%q", args, r, stdout)
					break
				}
			}
			if !utf8.ValidString(stdout) {
				t.Errorf("%v: the report is not valid UTF-8", args)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			switch format {
			case "text":
				if len(lines) != problems+2 { // and a note, and the summary
					t.Errorf("%v: %d lines, want %d:\n%s", args, len(lines), problems+2, stdout)
				}
				for _, l := range lines[:problems] {
					if !strings.HasPrefix(l, dir) && !strings.HasPrefix(l, `"`+dir) {
						t.Errorf("%v: line %q does not start with a file of %s", args, l, dir)
					}
				}
			case "github":
				if len(lines) != problems+2 {
					t.Errorf("%v: %d lines, want %d:\n%s", args, len(lines), problems+2, stdout)
				}
				for _, l := range lines[:len(lines)-1] {
					if !strings.HasPrefix(l, "::error file=") && !strings.HasPrefix(l, "::warning file=") && !strings.HasPrefix(l, "::notice file=") {
						t.Errorf("%v: line %q is not a workflow command", args, l)
					}
				}
				for _, forged := range []string{"::error file=x.yaml::", "::warning::forged"} {
					if strings.Contains(stdout, forged) {
						t.Errorf("%v: the report holds the forged command %q:\n%s", args, forged, stdout)
					}
				}
			case "junit":
				var doc struct {
					Cases []struct{} `xml:"testsuite>testcase"`
				}
				if err := xml.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Cases) != len(names)+1 {
					t.Errorf("%v: %v, %d test cases; want %d:\n%s", args, err, len(doc.Cases), len(names)+1, stdout)
				}
			case "json":
				if !json.Valid([]byte(stdout)) {
					t.Errorf("%v: not JSON:\n%s", args, stdout)
				}
			}
		}
	}
}
