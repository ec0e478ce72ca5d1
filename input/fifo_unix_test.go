//go:build unix

package input

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, or skips the test where the system
// cannot make one.
func mkfifo(t testing.TB, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("SKIPPED: cannot make a named pipe here: %v", err)
	}
}
