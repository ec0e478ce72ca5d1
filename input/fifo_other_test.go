//go:build !unix

package input

import "testing"

// mkfifo skips the test: this system has no named pipes in its file
// system.
func mkfifo(t testing.TB, path string) {
	t.Helper()
	t.Skip("SKIPPED: no named pipes on this system")
}
