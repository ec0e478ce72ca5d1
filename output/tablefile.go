package output

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tableFile is one file of one table being written, the shape the writers
// of a file per table share (CSV, JSON Lines, Parquet): created in the
// output's directory, hashed as it is written, buffered, its rows
// counted, closed once, and described for the manifest.
type tableFile struct {
	name   string // the file's name
	table  string // the table's name, for File.Rows
	format string
	f      *os.File // nil once closed
	digest *digestWriter
	// w is what the format writes to: a buffer over digest, or digest
	// itself for a format that buffers on its own (Parquet).
	w    io.Writer
	buf  *bufio.Writer // nil when unbuffered
	rows int
}

// createTableFile creates the file of table, named table+ext, in dir.
func createTableFile(dir, table, ext, format string, buffered bool) (*tableFile, error) {
	name := table + ext
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", name, err)
	}
	t := &tableFile{name: name, table: table, format: format, f: f, digest: newDigestWriter(f)}
	t.w = t.digest
	if buffered {
		t.buf = bufio.NewWriterSize(t.digest, fileBufferSize)
		t.w = t.buf
	}
	return t, nil
}

// finish flushes the buffer, closes the file and describes it.
func (t *tableFile) finish() (File, error) {
	if t.f == nil {
		return File{}, fmt.Errorf("writing %s: finished after Close", t.name)
	}
	var err error
	if t.buf != nil {
		err = t.buf.Flush()
	}
	if cerr := t.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return File{}, fmt.Errorf("writing %s: %w", t.name, err)
	}
	return t.digest.describe(File{Name: t.name, Format: t.format, Rows: map[string]int{t.table: t.rows}}), nil
}

// close closes the file, once; it is safe on a nil tableFile.
func (t *tableFile) close() error {
	if t == nil || t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	return err
}
