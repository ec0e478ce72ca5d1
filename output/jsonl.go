package output

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"export/schema"
)

// The JSON Lines writer writes one file per kind, named after the kind's
// table (investment_totals.jsonl, ...): one JSON object per record and per
// line, each ending with "\n", in UTF-8 (https://jsonlines.org). Each
// object has every column of its kind as a key, in column order, with the
// values figures.json holds: null for an absent optional value, numbers
// without exponent, dates as "YYYY-MM-DD", lists as arrays, booleans as
// true or false, no HTML escaping. So a BI tool that reads one kind's file
// sees the same stable schema on every line, and a record's line is the
// compact form of its object in figures.json.
//
// Every kind's file is written, an empty one for a kind without records,
// so that the set of files does not depend on the data. Records go
// straight to their file through a buffer: memory does not grow with the
// number of records.
type jsonlWriter struct {
	files    []*jsonlFile // one per kind, in schema.Kinds() order
	text     *jsonText
	line     []byte // scratch: one record as a line
	finished bool
}

// jsonlFile is one kind's file being written.
type jsonlFile struct {
	kind   *schema.Kind
	name   string
	f      *os.File // nil once closed
	digest *digestWriter
	w      *bufio.Writer
	n      int
}

// jsonlFormat: one JSON Lines file per kind, derived and stated as objects.
var jsonlFormat = register(&Format{Name: FormatJSONL, Title: "JSON Lines", Rank: 4, MediaType: "application/jsonl",
	New: newJSONLWriter, Package: PackagedTables, Objects: true})

// newJSONLWriter creates every kind's file at once.
func newJSONLWriter(dir string, opts Options) (Writer, error) {
	w := &jsonlWriter{text: newJSONText()}
	for _, k := range schema.Kinds() {
		name := k.Plural + ".jsonl"
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("creating %s: %w", name, err)
		}
		d := newDigestWriter(f)
		w.files = append(w.files, &jsonlFile{kind: k, name: name, f: f, digest: d, w: bufio.NewWriterSize(d, fileBufferSize)})
	}
	return w, nil
}

func (w *jsonlWriter) Write(rec schema.Record) error {
	if w.finished {
		return errors.New("jsonl: Write after Finish")
	}
	k := schema.KindOf(rec)
	var jf *jsonlFile
	for _, f := range w.files {
		if f.kind == k {
			jf = f
		}
	}
	if jf == nil || jf.f == nil {
		return fmt.Errorf("jsonl: no open file for kind %s", k.Name)
	}
	line, err := appendObject(w.line[:0], k.Columns(), rec, w.text, jsonLayout{})
	if err != nil {
		return fmt.Errorf("writing %s: %s %s: %w", jf.name, k.Name, schema.ID(rec), err)
	}
	w.line = append(line, '\n')
	if _, err := jf.w.Write(w.line); err != nil {
		return fmt.Errorf("writing %s: %w", jf.name, err)
	}
	jf.n++
	return nil
}

// Finish flushes and closes every file. It returns one File per kind, in
// kind order.
func (w *jsonlWriter) Finish(*Meta) ([]File, error) {
	if w.finished {
		return nil, errors.New("jsonl: Finish called twice")
	}
	w.finished = true
	files := make([]File, 0, len(w.files))
	for _, jf := range w.files {
		if jf.f == nil {
			return nil, fmt.Errorf("jsonl: Finish after Close")
		}
		err := jf.w.Flush()
		if cerr := jf.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("writing %s: %w", jf.name, err)
		}
		files = append(files, jf.digest.describe(File{Name: jf.name, Format: FormatJSONL, Rows: map[string]int{jf.kind.Plural: jf.n}}))
	}
	return files, nil
}

// close closes the file, once.
func (jf *jsonlFile) close() error {
	if jf.f == nil {
		return nil
	}
	err := jf.f.Close()
	jf.f = nil
	return err
}

// Close closes the files that are still open (all of them unless Finish
// succeeded). It removes nothing: the files stay in the output directory,
// which the caller publishes or discards as a whole. Close may be called
// more than once.
func (w *jsonlWriter) Close() error {
	var errs []error
	for _, jf := range w.files {
		errs = append(errs, jf.close())
	}
	return errors.Join(errs...)
}
