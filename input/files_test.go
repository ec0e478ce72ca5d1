package input

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"
)

// writeTree creates files (with their content) and symbolic links (target
// after "->") under dir.
func writeTree(t *testing.T, dir string, files map[string]string, links map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), p); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
}

func TestCollect(t *testing.T) {
	tmp := t.TempDir()
	d := filepath.Join(tmp, "data")
	writeTree(t, d, map[string]string{
		"b.yaml":         "records: []\n",
		"a.json":         "{}",
		"A.YAML":         "",
		"readme.txt":     "",
		".h.yaml":        "",
		".hidden/x.yaml": "",
		"sub/c.csv":      "id,kind\n",
		"sub/z.jsonl":    "",
		"sub/deep/y.yml": "",
		"~$b.xlsx":       "lock", // Excel's, while b.xlsx is open
		"sub/~$c.csv":    "lock",
	}, map[string]string{
		"sub/loop":     "..",             // a symbolic link to a directory: not followed
		"filelink.yml": ".hidden/x.yaml", // to a file: read
		"samelink.yml": "b.yaml",         // to a file read already: read once
		"broken.yaml":  "nowhere",
	})
	files, skipped, err := Collect([]string{d})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(d, f.Path)
		got = append(got, filepath.ToSlash(rel)+" "+f.Format)
	}
	want := []string{"A.YAML yaml", "a.json json", "b.yaml yaml", "filelink.yml yaml",
		"sub/c.csv csv", "sub/deep/y.yml yaml", "sub/z.jsonl jsonl"}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%q\nwant (lexical order, recursively):\n%q", got, want)
	}
	got = nil
	for _, s := range skipped {
		rel, _ := filepath.Rel(d, s.Path)
		got = append(got, filepath.ToSlash(rel)+": "+s.Reason)
	}
	want = []string{
		".h.yaml: hidden",
		".hidden: hidden",
		"broken.yaml: broken symbolic link",
		"readme.txt: not a dataset file (.csv, .json, .jsonl, .xlsx, .yaml, .yml)",
		"samelink.yml: the same file as " + filepath.Join(d, "b.yaml") + ", which is read once",
		"sub/loop: symbolic link to a directory (not followed)",
		"sub/~$c.csv: an Excel lock file (the workbook is open in Excel)",
		"~$b.xlsx: an Excel lock file (the workbook is open in Excel)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("skipped:\n%q\nwant:\n%q", got, want)
	}

	// The files read what is on disk.
	rc, err := files[2].Open()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "records: []\n" {
		t.Errorf("b.yaml reads %q", b)
	}

	// Files named explicitly keep their order; a directory named through a
	// symbolic link is walked.
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(d, link); err != nil {
		t.Fatal(err)
	}
	files, _, err = Collect([]string{filepath.Join(d, "b.yaml"), filepath.Join(d, "a.json"), filepath.Join(link, "sub")})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range files {
		got = append(got, f.Path)
	}
	want = []string{filepath.Join(d, "b.yaml"), filepath.Join(d, "a.json"),
		filepath.Join(link, "sub", "c.csv"), filepath.Join(link, "sub", "deep", "y.yml"), filepath.Join(link, "sub", "z.jsonl")}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%q\nwant:\n%q", got, want)
	}
	files, _, err = Collect([]string{link})
	if err != nil || len(files) != 7 {
		t.Errorf("Collect(a symbolic link to the directory) = %d files, %v; want 7 files", len(files), err)
	}

	// A lock file named explicitly is read (and fails as a workbook).
	files, _, err = Collect([]string{filepath.Join(d, "~$b.xlsx")})
	if err != nil || len(files) != 1 || files[0].Format != FormatXLSX {
		t.Errorf("Collect(~$b.xlsx) = %v, %v; want the file", files, err)
	}

	// A file named explicitly must be a dataset file.
	_, _, err = Collect([]string{filepath.Join(d, "readme.txt")})
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Path != filepath.Join(d, "readme.txt") {
		t.Errorf("Collect(readme.txt) = %v; want an *UnsupportedError", err)
	}
	if _, _, err := Collect([]string{filepath.Join(d, "missing.yaml")}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Collect(missing.yaml) = %v; want fs.ErrNotExist", err)
	}
}

func TestFormats(t *testing.T) {
	if got, want := Extensions(), []string{".csv", ".json", ".jsonl", ".xlsx", ".yaml", ".yml"}; !slices.Equal(got, want) {
		t.Errorf("Extensions() = %q; want %q", got, want)
	}
	for name, want := range map[string]string{"a.yaml": FormatYAML, "a.YML": FormatYAML, "a.json": FormatJSON,
		"a.jsonl": FormatJSONL, "dir.csv/a.CSV": FormatCSV, "a.XLSX": FormatXLSX, "a.xls": "", "a": "", "yaml": ""} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q; want %q", name, got, want)
		}
	}
	if HasSources(FormatCSV) || !HasSources(FormatJSONL) || !HasSources(FormatXLSX) {
		t.Error("HasSources: only CSV files hold no sources")
	}
}

func TestReadSourceText(t *testing.T) {
	tmp := t.TempDir()
	writeTree(t, tmp, map[string]string{
		"data/figures.yaml":  "",
		"data/text.txt":      "inside",
		"data/sub/text.txt":  "deeper",
		"secret.txt":         "outside",
		"outside/secret.txt": "outside",
	}, map[string]string{
		"data/inside.txt":  "text.txt",
		"data/escape.txt":  "../secret.txt",
		"data/absolute":    filepath.Join(tmp, "secret.txt"),
		"data/outdir":      "../outside",
		"data/sub/up.txt":  "../text.txt",
		"data/sub/up2.txt": "../../secret.txt",
	})
	files, _, err := Collect([]string{filepath.Join(tmp, "data", "figures.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	for name, want := range map[string]string{
		"text.txt":     "inside",
		"sub/text.txt": "deeper",
		"inside.txt":   "inside",
		"sub/up.txt":   "inside",
		// Cleaned first, then confined.
		"./text.txt":          "inside",
		"sub/../text.txt":     "inside",
		"sub//text.txt":       "deeper",
		"./sub/./text.txt":    "deeper",
		"outdir/../text.txt":  "inside", // outdir leads out, but is not followed
		"sub/../sub/text.txt": "deeper",
	} {
		b, err := f.ReadSourceText(name)
		if err != nil || string(b) != want {
			t.Errorf("ReadSourceText(%q) = %q, %v; want %q", name, b, err, want)
		}
	}
	for _, name := range []string{
		"../secret.txt", filepath.Join(tmp, "secret.txt"), "/etc/passwd", `sub\text.txt`, "sub/../../secret.txt",
		"./../secret.txt", "//etc/passwd", "escape.txt", "absolute", "outdir/secret.txt", "sub/up2.txt", "",
	} {
		if b, err := f.ReadSourceText(name); !errors.Is(err, ErrOutsideDir) {
			t.Errorf("ReadSourceText(%q) = %q, %v; want an error wrapping ErrOutsideDir", name, b, err)
		}
	}
	if _, err := f.ReadSourceText("missing.txt"); !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrOutsideDir) {
		t.Errorf("ReadSourceText(missing.txt) = %v; want fs.ErrNotExist", err)
	}

	// The same holds for files of an fs.FS.
	fsys := fstest.MapFS{
		"data/figures.yaml": {Data: []byte("")},
		"data/text.txt":     {Data: []byte("inside")},
		"secret.txt":        {Data: []byte("outside")},
	}
	f = FromFS(fsys, "data/figures.yaml", "figures.yaml")
	if b, err := f.ReadSourceText("text.txt"); err != nil || string(b) != "inside" {
		t.Errorf("ReadSourceText(text.txt) = %q, %v; want \"inside\"", b, err)
	}
	for _, name := range []string{"../secret.txt", "/secret.txt", "data/../../secret.txt"} {
		if _, err := f.ReadSourceText(name); !errors.Is(err, ErrOutsideDir) {
			t.Errorf("FromFS: ReadSourceText(%q) = %v; want an error wrapping ErrOutsideDir", name, err)
		}
	}
}

func TestEmbedded(t *testing.T) {
	files := Embedded()
	if len(files) != 1 {
		t.Fatalf("Embedded() = %d files; want 1", len(files))
	}
	items := readAll(t, files[0], Options{})
	src := items[0].Source
	if src == nil || src.Text == "" {
		t.Fatal("the embedded dataset declares no source with a text")
	}
	b, err := files[0].ReadSourceText(src.Text)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := os.ReadFile(filepath.Join("defaultdata", src.Text))
	if err != nil || !reflect.DeepEqual(b, disk) {
		t.Errorf("the embedded source text differs from defaultdata/%s", src.Text)
	}
}
