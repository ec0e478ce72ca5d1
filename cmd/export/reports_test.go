package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const quotedText = "Over 60 documents were signed between the two countries.\n"

// TestSkippedThroughTheCommand: in a directory, the source text a dataset
// reads is not reported as skipped; a file nothing reads is, in every
// report format, and the GitHub notice escapes its properties.
func TestSkippedThroughTheCommand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"figures.yaml": "sources:\n  - {id: s, title: S, text: s.txt}\nrecords:\n" +
			"  - {id: r1, kind: agreement_count, parties: [KZ, KR], documents: 60, qualifier: over, as_of: 2008-09-30, source: s,\n" +
			"     quote: \"Over 60 documents were signed\"}\n",
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
