//go:build unix

package input

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writePipe writes data into the named pipe at p, once a reader opens
// it, and returns a channel that gets the write's error.
func writePipe(p string, data []byte) <-chan error {
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	return done
}

// pipeFile makes a named pipe named name in a directory of its own, and
// returns the File that Collect gives for it.
func pipeFile(t *testing.T, name string) (File, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	mkfifo(t, p)
	files, _, err := Collect([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || !files[0].Streamed() {
		t.Fatalf("Collect(a named pipe) = %+v; want one streamed file", files)
	}
	return files[0], p
}

// waitFor fails the test when done does not deliver before a generous
// deadline: what it waits for must happen at all (how fast, benchmarks
// say), and a hang fails rather than stops the test run.
func waitFor[T any](t *testing.T, what string, done <-chan T) T {
	t.Helper()
	select {
	case v := <-done:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer after 30s", what)
	}
	panic("unreachable")
}

// A named pipe is read once: every Open reads its bytes from the start,
// from what the first reading kept, in memory or, past spoolMemory, in a
// temporary file that is unlinked at once.
func TestStreamReadOnce(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, size := range []int{0, 10, spoolMemory, spoolMemory + 1, 3*spoolMemory + 12345} {
		data := bytes.Repeat([]byte("0123456789abcdef\n"), size/17+1)[:size]
		f, p := pipeFile(t, "figures.csv")
		written := writePipe(p, data)
		// The first reading stops half-way; the next ones read it all.
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		half := make([]byte, size/2)
		if _, err := io.ReadFull(rc, half); err != nil || !bytes.Equal(half, data[:size/2]) {
			t.Fatalf("%d bytes: the first half read %v", size, err)
		}
		rc.Close()
		for pass := range 3 {
			rc, err := f.OpenContext(context.Background(), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%d bytes, pass %d: read %d bytes, %v", size, pass, len(got), err)
			}
		}
		if err := waitFor(t, "the writer", written); err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) > 0 {
			t.Errorf("%d bytes: the temporary directory holds %v", size, left)
		}
		if (f.stream.tmp != nil) != (size > spoolMemory) {
			t.Errorf("%d bytes: a temporary file is %v; want one past %d bytes", size, f.stream.tmp, spoolMemory)
		}
	}
}

// Every reader of every format reads a named pipe as it reads the same
// bytes from a regular file, in every pass, one after the other.
func TestStreamFormats(t *testing.T) {
	for _, format := range []string{FormatYAML, FormatJSON, FormatJSONL, FormatCSV, FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			name := "kazakhstan-korea." + format
			if format == FormatYAML {
				name = "kazakhstan-korea.yaml"
			}
			disk := testdataFile(name)
			if format == FormatYAML {
				disk = Embedded()[0]
			}
			rc, err := disk.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			f, p := pipeFile(t, name)
			written := writePipe(p, data)
			for _, only := range []string{OnlySources, OnlyRecords, ""} {
				want := readAll(t, disk, Options{Only: only})
				got := readAll(t, f, Options{Only: only})
				sameItems(t, got, want)
			}
			if err := waitFor(t, "the writer", written); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Ctrl-C stops a reading that waits on a named pipe: for a writer to open
// it, or for a writer that holds it open to write.
func TestStreamCancel(t *testing.T) {
	for _, holdOpen := range []bool{false, true} {
		f, p := pipeFile(t, "figures.yaml")
		if holdOpen {
			w, err := os.OpenFile(p, os.O_RDWR, 0) // a writer that never writes
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			rc, err := f.OpenContext(ctx, Limits{})
			if err == nil {
				_, err = Open(f, rc, Options{})
				rc.Close()
			}
			done <- err
		}()
		time.Sleep(10 * time.Millisecond) // let it wait (if it did not yet, it stops all the same)
		cancel()
		if err := waitFor(t, "a cancelled reading", done); !errors.Is(err, context.Canceled) {
			t.Errorf("hold open %v: the reading returned %v; want context.Canceled", holdOpen, err)
		}
		// Later readings stop at once.
		if rc, err := f.OpenContext(ctx, Limits{}); !errors.Is(err, context.Canceled) {
			t.Errorf("OpenContext after the cancel = %v, %v", rc, err)
		}
	}
}

// The size limit holds for every byte read from any input: a link to
// /dev/zero, or a pipe, is refused once past it, through OpenContext and
// through the format's reader; a regular file that grows past it too.
func TestStreamSizeLimit(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("SKIPPED: no /dev/zero here")
	}
	dir := t.TempDir()
	lim := Limits{MaxFileBytes: 1 << 20}
	for _, name := range []string{"zero.csv", "zero.jsonl", "zero.yaml", "zero.xlsx", "zero.json"} {
		p := filepath.Join(dir, name)
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		files, _, err := Collect([]string{p})
		if err != nil || len(files) != 1 || !files[0].Streamed() {
			t.Fatalf("Collect(%s) = %+v, %v", name, files, err)
		}
		rc, err := files[0].OpenContext(context.Background(), lim)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if !errors.Is(err, ErrLimit) || n != lim.MaxFileBytes || !strings.Contains(err.Error(), p+": the file is more than 1MiB, over the limit of 1MiB") {
			t.Errorf("%s: read %d bytes, then %v; want the limit error after 1MiB", name, n, err)
		}
		// Through the reader: a text format ends at the first NUL byte,
		// a workbook at the limit.
		rc, _ = files[0].OpenContext(context.Background(), lim)
		rd, err := Open(files[0], rc, Options{Limits: lim})
		if err == nil {
			_, err = rd.Next()
		}
		rc.Close()
		want := ErrEncoding
		if files[0].Format == FormatXLSX {
			want = ErrLimit
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: the reader returned %v; want %v", name, err, want)
		}
	}
}

// FuzzStream: whatever a named pipe holds, each pass over it reads what the
// same pass reads from the bytes in memory, items, problems and the error
// that ends the file alike; then the rest of the pipe is read to its end.
func FuzzStream(f *testing.F) {
	formats := []string{FormatYAML, FormatJSON, FormatJSONL, FormatCSV}
	for i, format := range formats {
		for _, tc := range readerTests {
			if tc.format == format {
				f.Add(uint8(i), []byte(tc.data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		format := formats[int(which)%len(formats)]
		file, p := pipeFile(t, "fuzz."+format)
		file.Path = "fuzz"
		written := writePipe(p, data)
		noCheck := func(string, Position) {}
		for _, only := range []string{OnlySources, OnlyRecords, ""} {
			want, wantEnd := fuzzRead(t, format, data, only)
			rc, err := file.OpenContext(context.Background(), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Open(file, rc, Options{Only: only})
			if err != nil {
				t.Fatal(err)
			}
			got, gotEnd := readChecked(t, r, len(data), only, noCheck, func(string, *Error, bool) {})
			rc.Close()
			if strings.Join(got, "\n") != strings.Join(want, "\n") || errString(gotEnd) != errString(wantEnd) {
				t.Fatalf("only=%q: from the pipe\n%s\n%v\nfrom memory\n%s\n%v", only, strings.Join(got, "\n"), gotEnd, strings.Join(want, "\n"), wantEnd)
			}
		}
		rc, _ := file.Open()
		if b, err := io.ReadAll(rc); err != nil || !bytes.Equal(b, data) {
			t.Fatalf("the whole pipe: %d bytes, %v; want the %d written", len(b), err, len(data))
		}
		rc.Close()
		if err := waitFor(t, "the writer", written); err != nil {
			t.Fatal(err)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
