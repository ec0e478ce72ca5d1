//go:build unix && !aix

package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// dirLocks says that lockDir keeps two runs apart here, so that a stage
// next to the output directory that is not locked is a dead run's.
const dirLocks = true

// lockRetry is how often a run waiting for the lock tries again.
const lockRetry = 50 * time.Millisecond

// lockDir takes an exclusive advisory lock (flock) on a directory, so that
// two runs writing next to each other never interleave: the second waits
// for the first, calling waiting once if it has to, until ctx is done (a
// blocking flock would not see Ctrl-C). The lock goes with the process,
// also when it is killed.
func lockDir(ctx context.Context, dir string, waiting func()) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("locking %s against another run: %w", dir, err)
	}
	fd := int(f.Fd())
	for waited := false; ; waited = true {
		err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EWOULDBLOCK) {
			break
		}
		if !waited && waiting != nil {
			waiting()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockRetry):
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s against another run: %w (a file system without locks, such as some network ones? write the outputs to a local directory with -o)", dir, err)
	}
	return func() { f.Close() }, nil
}
