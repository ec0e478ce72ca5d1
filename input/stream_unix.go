//go:build unix

package input

import (
	"os"
	"syscall"
)

// unblockOpen makes an open of the named pipe at p that waits for a
// writer return, by opening it for writing without waiting (a waiting
// reader counts as one, so this open succeeds) and closing it again.
func unblockOpen(p string) {
	if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}
