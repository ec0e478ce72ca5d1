//go:build !unix

package output

// lockDir does nothing where flock does not exist: two runs writing next to
// each other at the same time are not kept apart there.
func lockDir(dir string, waiting func()) (unlock func(), err error) {
	return func() {}, nil
}
