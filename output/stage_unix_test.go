//go:build unix

package output_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"export/output"
)

// A named pipe called manifest.json is not opened (it would block until
// something writes to it): the directory is not export's.
func TestIsExportDirPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, output.ManifestName), 0o644); err != nil {
		t.Skipf("SKIPPED: cannot make a named pipe: %v", err)
	}
	if output.IsExportDir(dir) {
		t.Error("IsExportDir = true")
	}
}
