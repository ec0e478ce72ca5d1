package main

// Faults (issue 6 §4): whatever happens to a run (killed, interrupted, the
// disk full, an output path it cannot use, another run at the same time),
// the output directory is left exactly as it was before the run, and no
// stage directory (.export-stage-*) or temporary file (excelize-*,
// export-report-*, in the TMPDIR the run is given) stays behind.
//
// These tests run the real binary, built once with go build, as a
// subprocess: signals go to it, and its TMPDIR is a directory of the
// test's own, checked to be empty at the end.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"export/bench/synth"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != "" {
		os.RemoveAll(shared)
	}
	os.Exit(code)
}

var (
	sharedOnce sync.Once
	shared     string // built binary and generated datasets, for all tests
	sharedErr  error

	datasets sync.Map // number of records -> *dataset
)

// binary returns the export binary, built once for the test run.
func binary(t *testing.T) string {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = os.MkdirTemp("", "export-faults-")
		if sharedErr != nil {
			return
		}
		cmd := osexec.Command("go", "build", "-o", filepath.Join(shared, "export"), ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			sharedErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return filepath.Join(shared, "export")
}

type dataset struct {
	once sync.Once
	dir  string
	err  error
}

// heavy skips a test that runs the binary on generated datasets of tens
// of thousands of records, in -short mode.
func heavy(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: runs export on generated datasets of up to 200,000 records")
	}
}

// generated returns a directory holding n synthetic records (records.csv)
// and their sources (bench/synth), generated once for the test run.
func generated(t *testing.T, n int) string {
	t.Helper()
	binary(t) // makes the shared directory
	v, _ := datasets.LoadOrStore(n, &dataset{})
	d := v.(*dataset)
	d.once.Do(func() {
		d.dir = filepath.Join(shared, fmt.Sprintf("data-%d", n))
		d.err = writeDataset(d.dir, n)
	})
	if d.err != nil {
		t.Fatal(d.err)
	}
	return d.dir
}

func writeDataset(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g, err := synth.New(synth.Options{})
	if err != nil {
		return err
	}
	for name, b := range g.SourceFiles() {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(dir, "records.csv"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := g.WriteRecords(w, synth.FormatCSV, n); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// proc is a run of the binary.
type proc struct {
	cmd            *osexec.Cmd
	stdout, stderr lockedBuffer // read while the process writes
	done           chan struct{}
	code           int
}

// lockedBuffer is an output that the test may read while the process
// writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start starts the binary with a TMPDIR of the test's own.
func start(t *testing.T, tmp string, args ...string) *proc {
	t.Helper()
	return startEnv(t, tmp, nil, args...)
}

// startEnv starts the binary with a TMPDIR of the test's own and more
// environment variables.
func startEnv(t *testing.T, tmp string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: osexec.Command(binary(t), args...), done: make(chan struct{})}
	p.cmd.Env = append(append(os.Environ(), "TMPDIR="+tmp), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := p.cmd.Wait()
		p.code = 0
		var ee *osexec.ExitError
		if errors.As(err, &ee) {
			p.code = ee.ExitCode() // -1 when killed by a signal
		} else if err != nil {
			p.code = -2
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the run to end and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		p.cmd.Process.Kill()
		t.Fatalf("%v did not end\nstderr: %s", p.cmd.Args, p.stderr.String())
	}
	return p.code
}

// runBin runs the binary to the end.
func runBin(t *testing.T, tmp string, args ...string) (int, string, string) {
	t.Helper()
	p := start(t, tmp, args...)
	code := p.wait(t)
	return code, p.stdout.String(), p.stderr.String()
}

// stages lists the stage directories in parent.
func stages(t *testing.T, parent string) []string {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".export-stage-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// waitWriting waits until a stage in parent holds a file with something
// in it: the run is in the middle of writing its outputs.
func waitWriting(t *testing.T, p *proc, parent string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it was caught writing\nstderr: %s", p.code, p.stderr.String())
		default:
		}
		for _, s := range stages(t, parent) {
			entries, _ := os.ReadDir(filepath.Join(parent, s))
			for _, e := range entries {
				if info, err := e.Info(); err == nil && info.Size() > 0 {
					return
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no stage with output in it appeared")
}

// clean checks that no stage is left in parent and nothing in tmp (the
// run's TMPDIR).
func clean(t *testing.T, parent, tmp string) {
	t.Helper()
	if s := stages(t, parent); len(s) > 0 {
		t.Errorf("stage directories left in %s: %v", parent, s)
	}
	emptyTmp(t, tmp)
}

// emptyTmp checks that a run left nothing in its TMPDIR (excelize-*,
// export-report-*, or anything else).
func emptyTmp(t *testing.T, tmp string) {
	t.Helper()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("temporary file left in TMPDIR: %s", e.Name())
	}
}

// consistent checks that dir holds one complete set of outputs: every file
// its manifest lists, with the listed SHA-256 and size, and nothing else.
// It returns the manifest's inputs.
func consistent(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Inputs []struct{ Path string }
		Files  []struct {
			Name, SHA256 string
			Bytes        int64
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	listed := []string{"manifest.json"}
	for _, f := range m.Files {
		listed = append(listed, f.Name)
		file, err := os.Open(filepath.Join(dir, f.Name))
		if err != nil {
			t.Errorf("manifest lists %s: %v", f.Name, err)
			continue
		}
		h := sha256.New()
		n, err := file.WriteTo(h)
		file.Close()
		if err != nil || hex.EncodeToString(h.Sum(nil)) != f.SHA256 || n != f.Bytes {
			t.Errorf("%s does not match its manifest entry (%d bytes, err %v)", f.Name, n, err)
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(dir, p); !slices.Contains(listed, filepath.ToSlash(rel)) {
			t.Errorf("%s is in the output directory but not in its manifest", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, in := range m.Inputs {
		inputs = append(inputs, in.Path)
	}
	return inputs
}

// oneLine checks that stderr is one line holding want.
func oneLine(t *testing.T, stderr, want string) {
	t.Helper()
	t.Logf("stderr: %s", strings.TrimSpace(stderr))
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q; want one line holding %q", stderr, want)
	}
}

// previous writes the outputs of the embedded dataset into out, as a
// previous run would have, and returns them.
func previous(t *testing.T, out string, args ...string) map[string]string {
	t.Helper()
	code, _, stderr := runBin(t, t.TempDir(), append([]string{"run", "--quiet", "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("previous run: exit %d: %s", code, stderr)
	}
	return tree(t, out)
}

// SIGKILL in the middle of writing: the previous outputs stay intact (the
// run was writing into its stage), and the next run removes the stale
// stage and succeeds.
func TestFaultKilled(t *testing.T) {
	heavy(t)
	data := generated(t, 200_000)
	base, tmp := t.TempDir(), t.TempDir()
	out := filepath.Join(base, "out")
	before := previous(t, out)

	p := start(t, tmp, "run", "--quiet", "-o", out, data)
	waitWriting(t, p, base)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != -1 {
		t.Fatalf("exit %d after SIGKILL", code)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Errorf("SIGKILL changed the output directory: %v", names(got))
	}
	if s := stages(t, base); len(s) != 1 {
		t.Errorf("stages after SIGKILL: %v; want the killed run's", s)
	}
	// Everything the run spooled was in its stage: nothing in TMPDIR.
	emptyTmp(t, tmp)

	// The next run removes the stale stage and writes the same outputs.
	code, _, stderr := runBin(t, tmp, "run", "--quiet", "-o", out)
	if code != 0 {
		t.Fatalf("the run after SIGKILL: exit %d: %s", code, stderr)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Errorf("the run after SIGKILL wrote other outputs: %v", names(got))
	}
	clean(t, base, tmp)
	consistent(t, out)
}

// SIGINT and SIGTERM in the middle of a run: exit 2 with "interrupted;
// nothing was written", the output directory unchanged, the stage and
// every temporary file removed. The JUnit report of 200,000 records is
// spooled to a temporary file in TMPDIR, which must go too. A signal while
// the writers finish their files (once the records are all read) is
// honoured when they are done: the outputs are not published.
func TestFaultInterrupted(t *testing.T) {
	heavy(t)
	for _, tc := range []struct {
		name    string
		sig     syscall.Signal
		records int
		when    func(*testing.T, *proc, string)
	}{
		{"SIGINT while reading", syscall.SIGINT, 200_000, waitWriting},
		{"SIGTERM while reading", syscall.SIGTERM, 200_000, waitWriting},
		{"SIGINT while finishing", syscall.SIGINT, 50_000, waitFinishing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := generated(t, tc.records)
			base, tmp := t.TempDir(), t.TempDir()
			out := filepath.Join(base, "out")
			before := previous(t, out)

			p := start(t, tmp, "run", "-o", out, "--report", "junit", data)
			tc.when(t, p, base)
			if err := p.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			signalled := time.Now()
			if code := p.wait(t); code != 2 {
				t.Errorf("exit %d after %v, want 2\nstderr: %s", code, tc.sig, p.stderr.String())
			}
			t.Logf("exited %v after the signal", time.Since(signalled).Round(time.Millisecond))
			if got := p.stderr.String(); got != "econ-export: interrupted; nothing was written\n" {
				t.Errorf("stderr %q", got)
			}
			if got := tree(t, out); !equalTrees(got, before) {
				t.Errorf("%v changed the output directory: %v", tc.sig, names(got))
			}
			clean(t, base, tmp)
		})
	}
}

// waitFinishing waits until a stage in parent holds a file that a writer
// creates only when every record has been read (sources.csv,
// figures.json, figures.xlsx): the writers are finishing.
func waitFinishing(t *testing.T, p *proc, parent string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it was caught finishing\nstderr: %s", p.code, p.stderr.String())
		default:
		}
		for _, s := range stages(t, parent) {
			for _, name := range []string{"sources.csv", "figures.json", "figures.xlsx"} {
				if _, err := os.Stat(filepath.Join(parent, s, name)); err == nil {
					return
				}
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("no stage with finished outputs in it appeared")
}

// mountTmpfs mounts a small tmpfs at a new directory, or skips the test
// loudly when it cannot (not root, or no mount in this sandbox).
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED: this test mounts a tmpfs, which needs root; run the tests as root (as CI does in a container) to check it")
	}
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := osexec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("SKIPPED: cannot mount a tmpfs (%v: %s); this test needs a system that allows mount", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := osexec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// The disk fills up while the outputs are written: exit 2 with one clear
// line, the previous outputs untouched, the stage removed (freeing the
// space). The disk sizes sweep from 2 MiB to three times the size of the
// outputs, so that the disk fills at every stage of a run: while the
// records stream into the writers, while the writers finish their files
// (then several fail at once, and stderr must still be one line), while
// the manifest is written; and a disk large enough takes the outputs whole.
func TestFaultDiskFull(t *testing.T) {
	heavy(t)
	data := generated(t, 20_000) // outputs of about 25 MB
	if os.Geteuid() != 0 {
		mountTmpfs(t, "size=1m") // skips loudly
	}
	// The size of the outputs.
	full := filepath.Join(t.TempDir(), "full")
	if code, _, stderr := runBin(t, t.TempDir(), "run", "--quiet", "-o", full, data); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var size int64
	for _, f := range tree(t, full) {
		size += int64(len(f))
	}
	os.RemoveAll(full)
	sizes := []int64{2 << 20}
	for _, quarters := range []int64{2, 4, 6, 7, 8, 9, 10, 12} {
		sizes = append(sizes, size*quarters/4)
	}
	failed := 0
	for _, sz := range sizes {
		mnt := mountTmpfs(t, fmt.Sprintf("size=%dk", sz>>10))
		tmp := t.TempDir()
		out := filepath.Join(mnt, "out")
		before := previous(t, out)

		code, stdout, stderr := runBin(t, tmp, "run", "-o", out, data)
		switch code {
		case 0:
			t.Logf("a disk of %d KiB held the outputs", sz>>10)
			consistent(t, out)
		case 2:
			failed++
			oneLine(t, stderr, "no space left on device")
			if got := tree(t, out); !equalTrees(got, before) {
				t.Errorf("disk of %d KiB: the output directory changed: %v", sz>>10, names(got))
			}
			clean(t, mnt, tmp)
			// The stage's space is free again: the next run fits.
			if code, _, stderr := runBin(t, tmp, "run", "--quiet", "-o", out); code != 0 {
				t.Errorf("disk of %d KiB: a small run after the failure: exit %d: %s", sz>>10, code, stderr)
			}
		default:
			t.Errorf("disk of %d KiB: exit %d, want 2 (or 0)\nstdout: %.2000s\nstderr: %s", sz>>10, code, stdout, stderr)
		}
		clean(t, mnt, tmp)
	}
	if failed < 2 {
		t.Errorf("only %d runs filled the disk; the sweep tests too little", failed)
	}
}

// An output directory whose parent is read-only: exit 2 with one line,
// nothing changed. Root ignores permissions, so as root the parent is a
// tmpfs remounted read-only; otherwise it is made read-only with chmod.
func TestFaultReadOnlyParent(t *testing.T) {
	var parent string
	if os.Geteuid() == 0 {
		parent = mountTmpfs(t, "size=4m")
	} else {
		parent = t.TempDir()
	}
	out := filepath.Join(parent, "out")
	before := previous(t, out)
	if os.Geteuid() == 0 {
		if b, err := osexec.Command("mount", "-o", "remount,ro", parent).CombinedOutput(); err != nil {
			t.Skipf("SKIPPED: cannot remount the tmpfs read-only: %v: %s", err, b)
		}
	} else {
		if err := os.Chmod(parent, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(parent, 0o755) })
	}
	tmp := t.TempDir()
	for _, args := range [][]string{
		{"run", "-o", out, "--formats", "csv"},      // previous outputs to replace
		{"run", "-o", filepath.Join(parent, "new")}, // a new output directory
	} {
		code, _, stderr := runBin(t, tmp, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, stderr)
		}
		oneLine(t, stderr, "cannot write next to the output directory")
		if got := tree(t, out); !equalTrees(got, before) {
			t.Errorf("%v changed the output directory: %v", args, names(got))
		}
		if _, err := os.Stat(filepath.Join(parent, "new")); err == nil {
			t.Errorf("%v created the new output directory", args)
		}
		clean(t, parent, tmp)
	}
}

// An output directory whose parent does not exist: exit 2, and the parent
// is not created.
func TestFaultMissingParent(t *testing.T) {
	base, tmp := t.TempDir(), t.TempDir()
	out := filepath.Join(base, "missing", "out")
	code, _, stderr := runBin(t, tmp, "run", "-o", out)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	oneLine(t, stderr, "cannot create the output directory "+out)
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Errorf("created %v", entries)
	}
	clean(t, base, tmp)
}

// An output path that is a file: exit 2, the file untouched.
func TestFaultOutputIsFile(t *testing.T) {
	base, tmp := t.TempDir(), t.TempDir()
	out := filepath.Join(base, "out")
	if err := os.WriteFile(out, []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBin(t, tmp, "run", "-o", out)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	oneLine(t, stderr, "output path "+out+" is a file, not a directory")
	if b, err := os.ReadFile(out); err != nil || string(b) != "a file" {
		t.Errorf("the file changed: %q, %v", b, err)
	}
	clean(t, base, tmp)
}

// An output directory that is a symbolic link: as documented, the outputs
// replace the directory it points to, and the link stays. A link to a
// directory that holds other files is refused like the directory.
func TestFaultOutputSymlink(t *testing.T) {
	real := filepath.Join(t.TempDir(), "real")
	linkDir, tmp := t.TempDir(), t.TempDir()
	link := filepath.Join(linkDir, "out")
	previous(t, real, "--formats", "csv,json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBin(t, tmp, "run", "--quiet", "-o", link, "--formats", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is gone: %v %v", info, err)
	}
	if target, _ := os.Readlink(link); target != real {
		t.Errorf("the link points to %s, want %s", target, real)
	}
	if info, err := os.Lstat(real); err != nil || !info.IsDir() {
		t.Fatalf("the link's target is not a directory: %v", err)
	}
	got := names(tree(t, real))
	if slices.Contains(got, "figures.json") || !slices.Contains(got, "investment_totals.csv") {
		t.Errorf("the link's target holds %v; want the new outputs (CSV only)", got)
	}
	consistent(t, real)
	clean(t, filepath.Dir(real), tmp)
	clean(t, linkDir, tmp)

	// A link to nothing is refused, not replaced by a directory; so is a
	// link to itself.
	dangling := filepath.Join(linkDir, "dangling")
	os.Symlink(filepath.Join(linkDir, "nowhere"), dangling)
	loop := filepath.Join(linkDir, "loop")
	os.Symlink(loop, loop)
	for link, want := range map[string]string{
		dangling: "output path " + dangling + " is a symbolic link to " + filepath.Join(linkDir, "nowhere") + ", which does not exist",
		loop:     "output path " + loop + " is a symbolic link that cannot be followed",
	} {
		code, _, stderr = runBin(t, tmp, "run", "-o", link)
		if code != 2 {
			t.Errorf("%s: exit %d", link, code)
		}
		oneLine(t, stderr, want)
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", link)
		}
	}
	if _, err := os.Lstat(filepath.Join(linkDir, "nowhere")); err == nil {
		t.Error("the link's target was created")
	}
	clean(t, linkDir, tmp)

	// A link to a directory of someone else's files is refused.
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "thesis.docx"), []byte("years of work"), 0o644)
	link2 := filepath.Join(linkDir, "out2")
	os.Symlink(foreign, link2)
	code, _, stderr = runBin(t, tmp, "run", "-o", link2)
	if code != 2 {
		t.Errorf("link to a foreign directory: exit %d", code)
	}
	oneLine(t, stderr, "files that export did not write")
	if got := names(tree(t, foreign)); !slices.Equal(got, []string{"thesis.docx"}) {
		t.Errorf("the foreign directory holds %v", got)
	}
	clean(t, filepath.Dir(foreign), tmp)
}

// SIGINT while a large workbook is read: the workbook library spools its
// large sheets to temporary files in TMPDIR; they go with the run.
func TestFaultInterruptedReadingWorkbook(t *testing.T) {
	heavy(t)
	data := generated(t, 20_000) // a sheet of about 25 MB of XML: spooled
	wb := filepath.Join(t.TempDir(), "wb")
	if code, _, stderr := runBin(t, t.TempDir(), "run", "--quiet", "--formats", "xlsx", "-o", wb, data); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	tmp := t.TempDir()
	p := start(t, tmp, "validate", filepath.Join(wb, "figures.xlsx"), filepath.Join(data, "sources.yaml"))
	deadline := time.Now().Add(2 * time.Minute)
	for spooled := false; !spooled; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no temporary file of the workbook library appeared in TMPDIR")
		}
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it was caught reading\nstderr: %s", p.code, p.stderr.String())
		default:
		}
		entries, _ := os.ReadDir(tmp)
		for _, e := range entries {
			spooled = spooled || strings.HasPrefix(e.Name(), "excelize-")
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 2 {
		t.Errorf("exit %d after SIGINT, want 2\nstderr: %s", code, p.stderr.String())
	}
	if got := p.stderr.String(); got != "econ-export: interrupted; nothing was written\n" {
		t.Errorf("stderr %q", got)
	}
	emptyTmp(t, tmp)
}
