//go:build !unix

package input

// unblockOpen does nothing where named pipes are not files: the open that
// waits is left to end with the process.
func unblockOpen(string) {}
