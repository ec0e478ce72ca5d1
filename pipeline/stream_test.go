//go:build unix

package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"export/input"
)

// streamInput makes a named pipe named name and returns the file that
// Collect gives for it.
func streamInput(t *testing.T, name string) (input.File, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("SKIPPED: cannot make a named pipe here: %v", err)
	}
	files, _, err := input.Collect([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	return files[0], p
}

// checkAsync runs Check on its own goroutine; the channel gets its error.
func checkAsync(ctx context.Context, files []input.File, c *collector) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := Check(ctx, files, c, c, Config{})
		done <- err
	}()
	return done
}

// waitCheck fails the test when Check does not return before a generous
// deadline: it must return at all; how fast is for benchmarks.
func waitCheck(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Check did not return after 30s")
	}
	return nil
}

// A YAML file from a named pipe is read once for both passes (opening it a
// second time would wait for a writer forever).
func TestCheckPipeTwoPasses(t *testing.T) {
	f, p := streamInput(t, "figures.yaml")
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.WriteString("sources:\n  - {id: book, title: A book}\nrecords:\n" + record("r1", "book", quote))
		w.Close()
	}()
	c := &collector{}
	if err := waitCheck(t, checkAsync(context.Background(), []input.File{f}, c)); err != nil {
		t.Fatal(err)
	}
	if s := c.summary; s.Records != 1 || s.Sources != 1 || s.Errors != 0 || len(s.Inputs) != 1 {
		t.Errorf("summary %+v; want the source and the record, valid, and the input listed", s)
	}
}

// Ctrl-C stops a run that waits on a named pipe, for its writer or for
// what a writer holding it open does not write.
func TestCheckPipeCancel(t *testing.T) {
	for _, holdOpen := range []bool{false, true} {
		f, p := streamInput(t, "figures.jsonl")
		if holdOpen {
			w, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := checkAsync(ctx, []input.File{f}, &collector{})
		time.Sleep(10 * time.Millisecond)
		cancel()
		if err := waitCheck(t, done); !errors.Is(err, context.Canceled) {
			t.Errorf("hold open %v: Check returned %v; want context.Canceled", holdOpen, err)
		}
	}
}

// A link to /dev/zero is read no further than the error that ends it: its
// endless rest is neither hashed nor kept.
func TestCheckDevZero(t *testing.T) {
	p := filepath.Join(t.TempDir(), "zero.yaml")
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	files, _, err := input.Collect([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	if err := waitCheck(t, checkAsync(context.Background(), files, c)); err != nil {
		t.Fatal(err)
	}
	if got := c.problems(); len(got) != 1 || got[0] != p+":1:1: :  [encoding]" || len(c.summary.Inputs) != 0 {
		t.Errorf("problems %q, inputs %v; want the NUL bytes at 1:1, and no input listed", got, c.summary.Inputs)
	}
}
