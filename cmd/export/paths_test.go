package main

// Paths (issue 6 §5), through the whole command: nothing in a dataset can
// make export read a file outside the dataset's directory, or write one
// outside the output directory (output file names come from the schema's
// kinds, never from data); reading a directory skips nothing silently and
// follows no symbolic link loop.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The quote is in the file outside, so a run that read it would verify
// the quote: the error, not a verified quote, shows that it was not read.
const outsideQuote = "Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan"

func writeFiles(t *testing.T, dir string, files map[string]string, links map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

func textDataset(text string) string {
	return `sources:
  - id: s
    title: S
    text: "` + text + `"
records:
  - id: r1
    kind: enterprise_count
    partner: KR
    host: KZ
    enterprises: 300
    qualifier: over
    source: s
    quote: "` + outsideQuote + `"
`
}

// A source's text may not leave its dataset file's directory: not by "..",
// an absolute path, or a symbolic link (to a file or a directory) inside
// the directory that points outside. Exit 1 with the error at the text
// field, and nothing written.
func TestPathsSourceTextOutside(t *testing.T) {
	base := t.TempDir()
	secret := filepath.Join(base, "outside", "secret.txt")
	writeFiles(t, base, map[string]string{
		"outside/secret.txt": outsideQuote + ".\n",
		"data/inside.txt":    outsideQuote + ".\n",
	}, map[string]string{
		"data/link.txt": "../outside/secret.txt",
		"data/abs.txt":  secret,
		"data/dir":      "../outside",
		"data/in.txt":   "inside.txt",
	})
	for _, tc := range []struct{ text, want string }{
		{"../outside/secret.txt", "must be a path relative to the dataset file that stays inside its directory"},
		{secret, "must be a path relative to the dataset file that stays inside its directory"},
		{"link.txt", "must be a path relative to the dataset file that stays inside its directory"},
		{"abs.txt", "must be a path relative to the dataset file that stays inside its directory"},
		{"dir/secret.txt", "must be a path relative to the dataset file that stays inside its directory"},
		{"inside.txt", ""},
		{"in.txt", ""}, // a link that stays inside is followed
	} {
		t.Run(tc.text, func(t *testing.T) {
			data := filepath.Join(base, "data", "figures.yaml")
			if err := os.WriteFile(data, []byte(textDataset(tc.text)), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := exec(t, "run", "--quiet", "-o", out, "--report", "json", data)
			if tc.want == "" {
				if code != 0 || !strings.Contains(stdout, `"valid": true`) {
					t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
				}
				return
			}
			if code != 1 || !strings.Contains(stdout, tc.want) || !strings.Contains(stdout, `"rule":"text_inside_dir"`) ||
				!strings.Contains(stdout, `"line":4,"column":5`) {
				t.Errorf("exit %d; want 1 and %q at line 4, column 5\n%s\n%s", code, tc.want, stdout, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an invalid run wrote its outputs")
			}
		})
	}
}

// A dataset directory may hold a symbolic link named like a dataset file
// that points outside it, to /proc/self/environ say: were it read, the
// report would print the lines of the file, here the environment with its
// secrets, into a CI log. It is skipped, and the report says so.
func TestPathsDatasetLinkOutside(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("SKIPPED: no /proc/self/environ on this system")
	}
	base, tmp := t.TempDir(), t.TempDir()
	data := filepath.Join(base, "data")
	writeFiles(t, base, map[string]string{
		"data/figures.yaml": textDataset("inside.txt"),
		"data/inside.txt":   outsideQuote + ".\n",
		"secret.csv":        "id,kind\nsecret-row,enterprise_count\n",
	}, map[string]string{
		"data/environ.csv": "/proc/self/environ",
		"data/secret.csv":  "../secret.csv",
	})
	const secret = "EXPORT_PATHS_SECRET=do-not-print-me"
	p := startEnv(t, tmp, []string{secret}, "validate", data)
	code := p.wait(t)
	stdout := p.stdout.String()
	if code != 0 {
		t.Errorf("exit %d\n%s\n%s", code, stdout, p.stderr.String())
	}
	for _, leak := range []string{"do-not-print-me", "secret-row"} {
		if strings.Contains(stdout+p.stderr.String(), leak) {
			t.Errorf("the report prints %q, from a file outside the dataset directory:\n%s", leak, stdout)
		}
	}
	for _, want := range []string{
		"note: skipped " + filepath.Join(data, "environ.csv") + ": symbolic link leading out of " + data + " (not followed)",
		"note: skipped " + filepath.Join(data, "secret.csv") + ": symbolic link leading out of " + data + " (not followed)",
		"valid: 1 record in 1 file",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// Output file names come from the schema's kinds, never from data: a
// record id, source id or kind that looks like a path is not a slug, or not
// a kind, and is rejected (exit 1, nothing written anywhere); text fields
// that look like paths are only text, and the outputs are the fixed set.
func TestPathsOutputNamesFromSchema(t *testing.T) {
	base := t.TempDir()
	in := filepath.Join(base, "in")
	out := filepath.Join(base, "out")
	for _, tc := range []struct{ name, data, want string }{
		{"record id", `{"sources": [{"id": "s", "title": "S"}], "records": [{"id": "../../etc/passwd", "kind": "agreement_count",
			"parties": ["KZ", "KR"], "documents": 60, "source": "s", "quote": "over 60 documents were signed"}]}`,
			`in.json:1:55: ../../etc/passwd: id: must be a slug`},
		{"kind", `{"sources": [{"id": "s", "title": "S"}], "records": [{"id": "r", "kind": "../../investment_totals",
			"parties": ["KZ", "KR"], "documents": 60, "source": "s", "quote": "over 60 documents were signed"}]}`,
			`kind: unknown kind "../../investment_totals"`},
		{"source id", `{"sources": [{"id": "../s", "title": "S"}], "records": []}`,
			`../s: id: must be a slug`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(in, "in.json")
			os.RemoveAll(in)
			writeFiles(t, base, map[string]string{"in/in.json": tc.data}, nil)
			code, stdout, _ := exec(t, "run", "--quiet", "-o", out, "--formats", "csv,xlsx,json,jsonl,parquet", file)
			if code != 1 || !strings.Contains(stdout, tc.want) {
				t.Errorf("exit %d; want 1 and %q:\n%s", code, tc.want, stdout)
			}
			if got := names(tree(t, base)); !slices.Equal(got, []string{"in/in.json"}) {
				t.Errorf("files under the test's directory: %v", got)
			}
			if _, err := os.Stat("/etc/passwd.csv"); err == nil {
				t.Error("/etc/passwd.csv exists")
			}
		})
	}

	// Valid records whose text looks like paths: the outputs are the fixed
	// set, in the output directory.
	os.RemoveAll(in)
	writeFiles(t, base, map[string]string{"in/in.yaml": `sources:
  - {id: s, title: "../../etc/passwd", chapter: "/tmp/x.csv", pages: "..\\..\\boot.ini"}
records:
  - id: r
    kind: agreement_count
    parties: [KZ, KR]
    documents: 60
    qualifier: over
    source: s
    citation: "../../../../investment_totals.csv"
    authority: "/etc/shadow"
    note: "out/../../x.parquet"
    quote: "Kazakhstan and South Korea signed over 60 documents; see ../../figures.json"
`}, nil)
	code, stdout, stderr := exec(t, "run", "--quiet", "-o", out, "--formats", "csv,xlsx,json,jsonl,parquet", filepath.Join(in, "in.yaml"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	want := []string{"in/in.yaml"}
	for _, name := range []string{"agreement_counts.csv", "agreement_counts.jsonl", "agreement_counts.parquet", "datapackage.json",
		"enterprise_counts.csv", "enterprise_counts.jsonl", "enterprise_counts.parquet", "figures.json", "figures.schema.json",
		"figures.xlsx", "investment_totals.csv", "investment_totals.jsonl", "investment_totals.parquet", "manifest.json", "report.html", "sources.csv", "sources.jsonl", "sources.parquet"} {
		want = append(want, "out/"+name)
	}
	if got := names(tree(t, base)); !slices.Equal(got, want) {
		t.Errorf("files:\n%v\nwant:\n%v", got, want)
	}
}

// Reading a directory skips nothing silently: every entry not read (not a
// dataset file, hidden, a link to a directory, a link loop, a broken link)
// is listed in the report; and the walk follows no symbolic link loop.
func TestPathsDirectoryReport(t *testing.T) {
	base, tmp := t.TempDir(), t.TempDir()
	data := filepath.Join(base, "data")
	writeFiles(t, base, map[string]string{
		"data/figures.yaml":     textDataset("inside.txt"),
		"data/inside.txt":       outsideQuote + ".\n",
		"data/notes.docx":       "",
		"data/.git/config":      "",
		"data/sub/README":       "",
		"data/sub/deeper/x.ods": "",
	}, map[string]string{
		"data/self":         ".",
		"data/sub/up":       "..",
		"data/sub/deeper/a": "../deeper",
		"data/ping.yaml":    "pong.yaml",
		"data/pong.yaml":    "ping.yaml",
		"data/gone.csv":     "nowhere.csv",
	})
	// A subprocess, so that a walk that loops fails the test rather than
	// hanging it.
	code, stdout, stderr := runBin(t, tmp, "validate", data)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var notes []string
	for _, line := range strings.Split(stdout, "\n") {
		if rest, ok := strings.CutPrefix(line, "note: skipped "+data+string(filepath.Separator)); ok {
			notes = append(notes, rest)
		}
	}
	notDataset := ": not a dataset file (.csv, .json, .jsonl, .xlsx, .yaml, .yml)"
	want := []string{
		".git: hidden",
		"gone.csv: broken symbolic link",
		// inside.txt is not listed: figures.yaml reads it.
		"notes.docx" + notDataset,
		"ping.yaml: broken symbolic link",
		"pong.yaml: broken symbolic link",
		"self: symbolic link to a directory (not followed)",
		"sub/README" + notDataset,
		"sub/deeper/a: symbolic link to a directory (not followed)",
		"sub/deeper/x.ods" + notDataset,
		"sub/up: symbolic link to a directory (not followed)",
	}
	if !slices.Equal(notes, want) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(stdout, "valid: 1 record in 1 file") {
		t.Errorf("stdout:\n%s", stdout)
	}
}
