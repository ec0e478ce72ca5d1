//go:build unix && !aix

package main

import (
	"bytes"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// lockedBuffer is a stderr that the test may read while the process writes.
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

	var stderr lockedBuffer
	cmd := osexec.Command(binary(t), "run", "--quiet", "-o", out)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const waiting = "export: waiting for another export run writing next to "
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stderr.String(), waiting); {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the run did not say it waits for the lock; stderr: %q", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("the run still waited for the lock 30 s after SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Errorf("exit %d (%v), want 2", code, err)
	}
	if got, want := stderr.String(), waiting+out+"\nexport: interrupted; nothing was written\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if got := tree(t, out); !equalTrees(got, before) {
		t.Errorf("the interrupted run changed the output directory: %v", names(got))
	}
	clean(t, base, tmp)
}
