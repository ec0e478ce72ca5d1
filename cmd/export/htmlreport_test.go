package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHTMLReportThroughTheCommand: export validate --report html writes
// the page to stdout for a failing run (exit 1), with --report-link-base
// making each position a link; export run writes report.html beside the
// outputs, the same page the validation would write but for its links to
// the copied texts.
func TestHTMLReportThroughTheCommand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"figures.yaml": "sources:\n  - {id: s, title: S, text: s.txt}\nrecords:\n" +
			"  - {id: r1, kind: agreement_count, parties: [KZ, KR], documents: 61, qualifier: over, as_of: 2008-09-30, source: s,\n" +
			"     quote: \"In 2008 Kazakhstan and South Korea signed over 60 documents\"}\n",
		"s.txt": quotedText,
	}, nil)
	const base = "https://github.com/o/r/blob/0123abc"
	t.Chdir(dir) // a path relative to the repository's root, as CI gives it
	code, stdout, stderr := exec(t, "validate", "--report", "html", "--report-link-base", base, "--quiet", "figures.yaml")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	doc, err := html.Parse(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	var links, problems int
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if a.Key == "class" && slices.Contains(strings.Fields(a.Val), "problem") {
				problems++
			}
			if a.Key == "href" && strings.HasPrefix(a.Val, base) {
				links++
				if a.Val != base+"/figures.yaml#L4" {
					t.Errorf("link %q, want %s/figures.yaml#L4", a.Val, base)
				}
			}
		}
	}
	if problems != 1 || links != 1 || !strings.Contains(stdout, `data-valid="false"`) || !strings.Contains(stdout, "<strong>INVALID</strong>") {
		t.Errorf("%d problems and %d links, want 1 each, and an INVALID verdict:\n%s", problems, links, stdout)
	}
	// The lines around it, read back from the file.
	if !strings.Contains(stdout, `<span class="line at" data-line="4"><span class="n">4</span><mark class="at">  - {id: r1, kind: agreement_count`) {
		t.Errorf("the problem's line is not shown marked:\n%s", stdout)
	}
}

func TestReportLinkBaseRefused(t *testing.T) {
	for _, base := range []string{"javascript:alert(1)", "github.com/o/r", "ftp://x/y", "https://"} {
		code, _, stderr := exec(t, "validate", "--report", "html", "--report-link-base", base)
		if code != 2 || !strings.Contains(stderr, "--report-link-base") {
			t.Errorf("%q: exit %d, %q", base, code, stderr)
		}
	}
}

// TestRunWritesReportHTML: report.html is in the output directory, in
// the manifest, links to the copies of the texts beside it, and is the
// same bytes on a second run.
func TestRunWritesReportHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "-o", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), `"name": "report.html"`) || !strings.Contains(string(manifest), `"format": "report"`) {
		t.Errorf("the manifest does not list report.html:\n%s", manifest)
	}
	if !strings.Contains(string(first), `href="sources/kazakhstan-today-p190-191.txt"`) {
		t.Errorf("report.html does not link the copy of the source's text")
	}
	if code, _, stderr := exec(t, "-o", out, "--quiet"); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	second, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil || string(first) != string(second) {
		t.Errorf("a second run wrote another report.html (%v)", err)
	}
}
