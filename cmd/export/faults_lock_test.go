//go:build unix && !aix

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const waiting = "econ-export: waiting for another econ-export run writing next to "

// waitStderr waits until the run has written want on stderr.
func waitStderr(t *testing.T, p *proc, want string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !strings.Contains(p.stderr.String(), want); {
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it wrote %q; stderr: %q", p.code, want, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			p.cmd.Process.Kill()
			p.wait(t)
			t.Fatalf("the run did not write %q; stderr: %q", want, p.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Two runs on the same output directory at the same time: the second waits
// for the first (saying so), and the directory ends with one complete,
// consistent set of outputs, the second run's, never a mix. The first run
// is stopped (SIGSTOP) while it holds the lock, so that the second surely
// finds it held, however loaded the machine.
func TestFaultConcurrentRuns(t *testing.T) {
	heavy(t)
	data := generated(t, 20_000)
	base, tmp := t.TempDir(), t.TempDir()
	out := filepath.Join(base, "out")

	first := start(t, tmp, "run", "--quiet", "-o", out, data)
	waitWriting(t, first, base)
	if err := first.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	second := start(t, tmp, "run", "--quiet", "-o", out, "--formats", "csv")
	waitStderr(t, second, waiting+out)
	if err := first.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if code := first.wait(t); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, first.stderr.String())
	}
	if code := second.wait(t); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, second.stderr.String())
	}
	oneLine(t, second.stderr.String(), waiting+out)
	inputs := consistent(t, out)
	if !slices.Equal(inputs, []string{"embedded:kazakhstan-korea.yaml"}) {
		t.Errorf("the outputs are of %v; want the second run's", inputs)
	}
	if got := names(tree(t, out)); slices.Contains(got, "figures.json") {
		t.Errorf("outputs %v mix the two runs", got)
	}
	clean(t, base, tmp)
}

// Ctrl-C while a run waits for another run's lock: it stops waiting, exits
// 2 and writes nothing (a blocking flock would wait on, deaf to signals,
// until the other run ended).
func TestFaultInterruptedWaitingForLock(t *testing.T) {
	base, tmp := t.TempDir(), t.TempDir()
	out := filepath.Join(base, "out")
	before := previous(t, out)

	// The other run: this test, holding the lock on the parent.
	f, err := os.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	p := start(t, tmp, "run", "--quiet", "-o", out)
	waitStderr(t, p, waiting+out)
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatal("the run still waited for the lock 30 s after SIGINT")
	}
	if p.code != 2 {
		t.Errorf("exit %d, want 2", p.code)
	}
	if got, want := p.stderr.String(), waiting+out+"\necon-export: interrupted; nothing was written\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Errorf("the interrupted run changed the output directory: %v", names(got))
	}
	clean(t, base, tmp)
}
