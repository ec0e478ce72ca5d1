package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
)

// A file named on the command line may be no regular file: a named pipe,
// a shell's <(...) (/dev/fd/63), a device. Its bytes come once, and opening
// a named pipe waits for a writer, so such a file is read once, through a
// spool that keeps what it read for the passes after the first (a run
// reads its files twice, and reads them again to place a duplicate id):
// in memory up to spoolMemory, then in a temporary file, unlinked at once
// where the system allows it. What is read is bounded by the readers'
// limits (OpenContext), so the spool is too.

// spoolMemory is how much of a stream the spool keeps in memory; past it,
// everything goes to a temporary file.
const spoolMemory = 4 << 20

// spool reads a stream once, for any number of readers in turn.
type spool struct {
	path string
	pipe bool // a named pipe: opening it waits for a writer

	mu  sync.Mutex // held by the reader that reads, also while src blocks
	err error      // what ended src (io.EOF at its end); then src is closed
	mem []byte     // what was read, until it is in tmp
	tmp *spoolFile
	n   int64 // bytes read from src

	srcMu sync.Mutex // guards src alone, for interrupt
	src   *os.File   // nil until opened
	stop  error      // why interrupt closed src
}

// spoolFile is a spool's temporary file. name is "" once it is unlinked.
type spoolFile struct {
	f    *os.File
	name string
}

func newSpool(p string, info fs.FileInfo) *spool {
	s := &spool{path: p, pipe: info.Mode()&fs.ModeNamedPipe != 0}
	return s
}

// reader returns a reader of the spool from its first byte, which ctx
// stops: a Read waiting for src returns ctx.Err() once ctx is done.
func (s *spool) reader(ctx context.Context) io.ReadCloser {
	return &spoolReader{s: s, ctx: ctx, unwatch: context.AfterFunc(ctx, func() { s.interrupt(ctx.Err()) })}
}

// interrupt closes src, so that a Read blocked on it returns (a pipe is
// in the runtime's poller, where Close wakes a Read).
func (s *spool) interrupt(why error) {
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	s.stop = why
	if s.src != nil {
		s.src.Close()
	}
}

type spoolReader struct {
	s       *spool
	ctx     context.Context
	off     int64
	unwatch func() bool
}

func (r *spoolReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := r.s.readAt(r.ctx, p, r.off)
	r.off += int64(n)
	return n, err
}

func (r *spoolReader) Close() error {
	r.unwatch()
	return nil
}

// readAt reads the bytes at off: kept ones, or the next ones of src.
func (s *spool) readAt(ctx context.Context, p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if off < s.n {
		return s.kept(p, off)
	}
	if s.err != nil {
		return 0, s.err
	}
	if s.src == nil {
		if err := s.open(ctx); err != nil {
			return 0, err
		}
	}
	n, err := s.src.Read(p)
	if n > 0 {
		if kerr := s.keep(p[:n]); kerr != nil {
			err = kerr
		}
	}
	if err != nil {
		s.srcMu.Lock()
		if s.stop != nil {
			err = s.stop // the Read failed because interrupt closed src
		}
		s.srcMu.Unlock()
		s.err = err
		s.src.Close()
	}
	return n, err
}

// open opens src, waiting for a pipe's writer until ctx is done.
func (s *spool) open(ctx context.Context) error {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(s.path)
		done <- opened{f, err}
	}()
	var o opened
	select {
	case o = <-done:
	case <-ctx.Done():
		if s.pipe {
			unblockOpen(s.path)
		}
		go func() { // close what the open gives, once it does
			if o := <-done; o.f != nil {
				o.f.Close()
			}
		}()
		return ctx.Err()
	}
	if o.err != nil {
		s.err = o.err
		return o.err
	}
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	if s.stop != nil { // interrupted while the open went on
		o.f.Close()
		s.err = s.stop
		return s.err
	}
	s.src = o.f
	runtime.AddCleanup(s, func(f *os.File) { f.Close() }, o.f)
	return nil
}

// keep adds b, just read from src, to what the spool holds.
func (s *spool) keep(b []byte) error {
	if s.tmp == nil && s.n+int64(len(b)) <= spoolMemory {
		s.mem = append(s.mem, b...)
		s.n += int64(len(b))
		return nil
	}
	if s.tmp == nil {
		f, err := os.CreateTemp("", "export-input-*")
		if err != nil {
			return fmt.Errorf("keeping %s, which is no regular file, for reading it again: %w", s.path, err)
		}
		s.tmp = &spoolFile{f: f, name: f.Name()}
		if os.Remove(f.Name()) == nil { // it stays open, and goes with the process
			s.tmp.name = ""
		}
		runtime.AddCleanup(s, func(t *spoolFile) {
			t.f.Close()
			if t.name != "" {
				os.Remove(t.name)
			}
		}, s.tmp)
		if _, err := f.Write(s.mem); err != nil {
			return s.tmpError(err)
		}
		s.mem = nil
	}
	if _, err := s.tmp.f.Write(b); err != nil {
		return s.tmpError(err)
	}
	s.n += int64(len(b))
	return nil
}

func (s *spool) tmpError(err error) error {
	return fmt.Errorf("keeping %s, which is no regular file, in a temporary file for reading it again: %w", s.path, err)
}

// kept reads kept bytes at off < s.n.
func (s *spool) kept(p []byte, off int64) (int, error) {
	p = p[:min(int64(len(p)), s.n-off)]
	if s.tmp == nil {
		return copy(p, s.mem[off:]), nil
	}
	n, err := s.tmp.f.ReadAt(p, off)
	if errors.Is(err, io.EOF) && n == len(p) {
		err = nil
	}
	if err != nil {
		err = s.tmpError(err)
	}
	return n, err
}

// OpenContext opens the file for reading from its start, as Open does,
// for a reading that lim bounds and ctx stops: the Read past the file's
// size limit (Limits.MaxFileBytes, or its format's own lower limit) fails
// with the *Error of that limit (wrapping ErrLimit), whatever the file is,
// and a Read fails with ctx.Err() once ctx is done, also a Read that waits
// for a pipe's writer (or its opening, which does too).
//
// A file that is no regular file (a named pipe, a device) is read once:
// each OpenContext reads again what the first one read, then what comes
// next.
func (f File) OpenContext(ctx context.Context, lim Limits) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rc io.ReadCloser
	if f.stream != nil {
		rc = f.stream.reader(ctx)
	} else {
		var err error
		if rc, err = f.open(); err != nil {
			return nil, err
		}
	}
	lim = lim.withDefaults()
	return &limitedFile{
		sizeLimit: sizeLimit{r: &ctxReader{r: rc, ctx: ctx}, left: fileLimit(f.Format, lim), file: f, lim: lim},
		c:         rc,
	}, nil
}

type limitedFile struct {
	sizeLimit
	c io.Closer
}

func (b *limitedFile) Close() error { return b.c.Close() }

// ctxReader fails every Read once ctx is done.
type ctxReader struct {
	r   io.Reader
	ctx context.Context
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Streamed reports whether the file is no regular file (a named pipe, a
// device), read once and kept for the passes after the first. What comes
// after an error that ends such a file is not read: it may never end.
func (f File) Streamed() bool { return f.stream != nil }
