//go:build !linux

package output

// exchange swaps two directories with two renames: on systems without an
// atomic exchange, a crash between them leaves the previous outputs in the
// stage directory, which the next run removes.
func exchange(a, b string) error { return swapByRenames(a, b) }

// mountPoint reports false: a mount point is not told apart here before
// the work, and publishing into one fails with an error that says what to
// do (see Stage.Publish).
func mountPoint(string) (bool, error) { return false, nil }
