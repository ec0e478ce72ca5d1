package main

import (
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The output directory (issue 10): export replaces only what it wrote, as
// it wrote it.

// A manifest.json that export did not write does not make a directory
// export's: the file beside it stays.
func TestOutdirForeignManifest(t *testing.T) {
	for name, manifest := range map[string]string{
		"names only":   `{"files":[{"name":"notes.txt"}]}`,
		"another tool": `{"generated_by":{"tool":"other"},"files":[{"name":"notes.txt","sha256":"` + strings.Repeat("0", 64) + `","bytes":4}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			os.Mkdir(out, 0o755)
			os.WriteFile(filepath.Join(out, "manifest.json"), []byte(manifest), 0o644)
			os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
			before := tree(t, out)
			for _, force := range []bool{false, true} {
				args := []string{"run", "-o", out}
				if force {
					args = append(args, "--force")
				}
				code, _, stderr := exec(t, args...)
				if code != 2 || !strings.Contains(stderr, "its manifest.json is not one export wrote") {
					t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
				}
				if got := tree(t, out); !equalTrees(got, before) {
					t.Fatalf("%v changed the directory: %v", args, names(got))
				}
			}
		})
	}
}

// A workbook an analyst edited in place is a file export did not write:
// the run stops, saying which file changed and what to do; --force
// replaces it, and nothing export did not list.
func TestOutdirEditedOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	published := tree(t, out)
	workbook := filepath.Join(out, "figures.xlsx")
	edited := []byte(published["figures.xlsx"])
	edited[len(edited)/2] ^= 1 // same size, other bytes
	if err := os.WriteFile(workbook, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, out)

	code, _, stderr := exec(t, "run", "-o", out)
	if code != 2 {
		t.Errorf("edited workbook: exit %d, want 2", code)
	}
	for _, want := range []string{out + ": figures.xlsx changed since export wrote it", "move it away to keep it", "--force"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q; want it to say %q", stderr, want)
		}
	}
	if strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", stderr)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Fatalf("the directory changed: %v", names(got))
	}

	// A file export did not list stays, --force or not.
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out, "--force"); code != 2 || !strings.Contains(stderr, "notes.txt is not in its manifest.json") {
		t.Errorf("--force with a file export did not list: exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "notes.txt")); err != nil || string(b) != "mine" {
		t.Fatalf("notes.txt: %q, %v", b, err)
	}
	os.Remove(filepath.Join(out, "notes.txt"))

	if code, _, stderr := exec(t, "run", "--quiet", "-o", out, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if got := tree(t, out); !equalTrees(got, published) {
		t.Errorf("--force did not publish the outputs afresh: %v", names(got))
	}
	if s := siblings(t, out); !slices.Equal(s, []string{"out"}) {
		t.Errorf("left beside the output directory: %v", s)
	}
}

// A run that replaced the previous outputs leaves a directory that the next
// run recognises; a listed file deleted by hand is no obstacle.
func TestOutdirRepeatedRuns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for i, args := range [][]string{
		{"--formats", "csv,json"},
		{"--formats", "csv,xlsx,jsonl,parquet"},
		{},
	} {
		if i == 2 {
			os.Remove(filepath.Join(out, "investment_totals.parquet"))
		}
		if code, _, stderr := exec(t, append([]string{"run", "--quiet", "-o", out}, args...)...); code != 0 {
			t.Fatalf("run %d %v: exit %d: %s", i+1, args, code, stderr)
		}
	}
	if got := names(tree(t, out)); !slices.Equal(got, allOutputs) {
		t.Errorf("outputs %v, want %v", got, allOutputs)
	}
}

// The copies of the source texts (sources/) are outputs like the others: a
// changed one stops the run, and a file added beside them is not export's.
func TestOutdirSourceTexts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	text := filepath.Join(out, "sources", "kazakhstan-today-p190-191.txt")
	if _, err := os.Stat(text); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("run over the outputs: exit %d: %s", code, stderr)
	}
	os.WriteFile(text, []byte("edited"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out); code != 2 || !strings.Contains(stderr, "sources/kazakhstan-today-p190-191.txt changed since export wrote it") {
		t.Errorf("an edited copy: exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(filepath.Join(out, "sources", "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := exec(t, "run", "-o", out, "--force"); code != 2 || !strings.Contains(stderr, "sources/notes.txt is not in its manifest.json") {
		t.Errorf("a file beside the copies: exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "sources", "notes.txt")); err != nil || string(b) != "mine" {
		t.Fatalf("notes.txt: %q, %v", b, err)
	}
	os.Remove(filepath.Join(out, "sources", "notes.txt"))
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
}

// An output directory that no rename can replace (the current directory,
// a mount point) is refused before any work, with what to give instead;
// a directory inside it works.
func TestOutdirCannotBeReplaced(t *testing.T) {
	t.Run("the current directory", func(t *testing.T) {
		for _, previous := range []bool{false, true} {
			dir := filepath.Join(t.TempDir(), "out")
			if previous {
				if code, _, stderr := exec(t, "run", "--quiet", "-o", dir); code != 0 {
					t.Fatalf("previous run: exit %d: %s", code, stderr)
				}
			} else {
				os.Mkdir(dir, 0o755)
			}
			before := tree(t, dir)
			t.Chdir(dir)
			for _, out := range []string{".", "./", dir} {
				code, _, stderr := exec(t, "run", "-o", out)
				if code != 2 || !strings.Contains(stderr, "is the current directory") || !strings.Contains(stderr, "e.g. -o out") {
					t.Errorf("-o %s: exit %d, stderr %q", out, code, stderr)
				}
				if got := tree(t, dir); !equalTrees(got, before) {
					t.Errorf("-o %s changed the directory: %v", out, names(got))
				}
				if s := siblings(t, dir); !slices.Equal(s, []string{"out"}) {
					t.Errorf("-o %s left beside the directory: %v", out, s)
				}
			}
			if code, _, stderr := exec(t, "run", "--quiet", "-o", "sub"); code != 0 {
				t.Errorf("-o sub: exit %d: %s", code, stderr)
			}
			os.RemoveAll(filepath.Join(dir, "sub"))
		}
	})
	t.Run("a mount point", func(t *testing.T) {
		mnt := mountTmpfs(t, "size=8m") // skips loudly
		outdirMountPoint(t, mnt)
	})
	t.Run("a bind mount", func(t *testing.T) {
		mnt := mountTmpfs(t, "size=8m")
		src, dst := filepath.Join(mnt, "src"), filepath.Join(mnt, "dst")
		os.Mkdir(src, 0o755)
		os.Mkdir(dst, 0o755)
		if b, err := osexec.Command("mount", "--bind", src, dst).CombinedOutput(); err != nil {
			t.Skipf("SKIPPED: cannot bind-mount (%v: %s)", err, b)
		}
		t.Cleanup(func() { osexec.Command("umount", dst).Run() })
		outdirMountPoint(t, dst)
	})
}

// outdirMountPoint checks that export refuses to replace the mount point
// mnt, empty or holding previous outputs, and writes into a directory in it.
func outdirMountPoint(t *testing.T, mnt string) {
	t.Helper()
	for _, previous := range []bool{false, true} {
		if previous {
			if code, _, stderr := exec(t, "run", "--quiet", "-o", filepath.Join(mnt, "out")); code != 0 {
				t.Fatalf("run into the mount: exit %d: %s", code, stderr)
			}
			for name, content := range tree(t, filepath.Join(mnt, "out")) {
				os.WriteFile(filepath.Join(mnt, name), []byte(content), 0o644)
			}
			os.RemoveAll(filepath.Join(mnt, "out"))
		}
		before := tree(t, mnt)
		code, _, stderr := exec(t, "run", "-o", mnt)
		if code != 2 || !strings.Contains(stderr, mnt+" is a mount point") || !strings.Contains(stderr, "e.g. -o "+filepath.Join(mnt, "out")) {
			t.Errorf("-o %s (previous outputs: %v): exit %d, stderr %q", mnt, previous, code, stderr)
		}
		if got := tree(t, mnt); !equalTrees(got, before) {
			t.Errorf("the mount point changed: %v", names(got))
		}
		if s := stagesBeside(t, mnt); len(s) > 0 {
			t.Errorf("stages left: %v", s)
		}
	}
}

// stagesBeside lists the stages next to dir.
func stagesBeside(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, name := range siblings(t, dir) {
		if strings.HasPrefix(name, ".export-stage-") {
			out = append(out, name)
		}
	}
	return out
}

// Data errors win: a run whose data has errors reports every one of them,
// exit 1, when the output directory could not have been written as well,
// and leaves it untouched; with valid data the directory's problem is the
// run's, exit 2.
func TestOutdirDataErrorsWin(t *testing.T) {
	broken, _ := filepath.Abs(broken) // the working directory changes
	_, report, _ := exec(t, "run", "-o", filepath.Join(t.TempDir(), "out"), broken)
	if !strings.Contains(report, "2 errors") {
		t.Fatalf("the report of %s: %q; want its 2 errors", broken, report)
	}
	tests := []struct {
		name string
		out  func(t *testing.T, base string) string // the output path, set up inside base
		msg  string                                 // what the exit-2 message says
	}{
		{"a foreign directory", func(t *testing.T, base string) string {
			out := filepath.Join(base, "out")
			os.Mkdir(out, 0o755)
			os.WriteFile(filepath.Join(out, "thesis.docx"), []byte("years of work"), 0o644)
			return out
		}, "files that export did not write"},
		{"an edited workbook", func(t *testing.T, base string) string {
			out := filepath.Join(base, "out")
			if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
				t.Fatalf("previous run: exit %d: %s", code, stderr)
			}
			f, _ := os.OpenFile(filepath.Join(out, "figures.xlsx"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("edited")
			f.Close()
			return out
		}, "figures.xlsx changed since export wrote it"},
		{"a file", func(t *testing.T, base string) string {
			out := filepath.Join(base, "out")
			os.WriteFile(out, []byte("a file"), 0o644)
			return out
		}, "is a file, not a directory"},
		{"a missing parent", func(t *testing.T, base string) string { return filepath.Join(base, "missing", "out") },
			"cannot create the output directory"},
		{"the current directory", func(t *testing.T, base string) string {
			os.Mkdir(filepath.Join(base, "out"), 0o755)
			t.Chdir(filepath.Join(base, "out"))
			return "."
		}, "is the current directory"},
		{"a mount point", func(t *testing.T, base string) string { return mountTmpfs(t, "size=1m") }, "is a mount point"},
		{"a read-only parent", func(t *testing.T, base string) string {
			parent := mountTmpfs(t, "size=1m")
			if b, err := osexec.Command("mount", "-o", "remount,ro", parent).CombinedOutput(); err != nil {
				t.Skipf("SKIPPED: cannot remount the tmpfs read-only: %v: %s", err, b)
			}
			return filepath.Join(parent, "out")
		}, "cannot write next to the output directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			out := tt.out(t, base)
			if abs, _ := filepath.Abs(out); !strings.HasPrefix(abs, filepath.Dir(base)) {
				t.Fatalf("%s is outside the test's directories", abs)
			}
			watch := filepath.Dir(base) // the test's directories: base and the mount's
			before := tree(t, watch)
			code, stdout, stderr := exec(t, "run", "-o", out, broken)
			if code != 1 || stdout != report || !strings.Contains(stderr, "nothing written to "+out+": the data has 2 errors") {
				t.Errorf("invalid data: exit %d, want 1\nstdout %q\nwant   %q\nstderr %q", code, stdout, report, stderr)
			}
			if got := tree(t, watch); !equalTrees(got, before) {
				t.Errorf("invalid data changed what is there: %v", names(got))
			}
			code, _, stderr = exec(t, "run", "-o", out)
			if code != 2 || !strings.Contains(stderr, tt.msg) {
				t.Errorf("valid data: exit %d, stderr %q; want 2 and %q", code, stderr, tt.msg)
			}
			if got := tree(t, watch); !equalTrees(got, before) {
				t.Errorf("valid data changed what is there: %v", names(got))
			}
		})
	}
}

// A writer that fails on a full disk stops the writing, not the check: the
// data's errors, found after the disk filled, are every one reported, exit
// 1, and the previous outputs stay.
func TestFaultDiskFullDataErrors(t *testing.T) {
	heavy(t)
	data := generated(t, 20_000) // outputs of about 25 MB
	mnt, tmp := mountTmpfs(t, "size=2m"), t.TempDir()
	out := filepath.Join(mnt, "out")
	before := previous(t, out)
	_, report, _ := runBin(t, tmp, "validate", data, broken)
	code, stdout, stderr := runBin(t, tmp, "run", "-o", out, data, broken)
	if code != 1 || stdout != report {
		t.Errorf("exit %d, want 1; stdout:\n%.3000s\nwant:\n%.3000s\nstderr: %s", code, stdout, report, stderr)
	}
	oneLine(t, stderr, "nothing written to "+out+": the data has 2 errors")
	if got := tree(t, out); !equalTrees(got, before) {
		t.Errorf("the output directory changed: %v", names(got))
	}
	clean(t, mnt, tmp)
}
