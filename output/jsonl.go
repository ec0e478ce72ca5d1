package output

import (
	"errors"
	"fmt"

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
// so that the set of files does not depend on the data, and
// sources.jsonl with the declared sources. Records go straight to their
// file through a buffer: memory does not grow with the number of records.
type jsonlWriter struct {
	dir      string
	kinds    []*tableFile // one per kind, in schema.Kinds() order
	sources  *tableFile   // sources.jsonl, created by Finish
	text     *jsonText
	line     []byte // scratch: one object as a line
	finished bool
}

// jsonlFormat: one JSON Lines file per kind and sources.jsonl, derived and
// stated as objects.
var jsonlFormat = register(&Format{Name: FormatJSONL, Title: "JSON Lines", Rank: 4, MediaType: "application/jsonl",
	New: newJSONLWriter, Package: PackagedTables, Objects: true})

// newJSONLWriter creates every kind's file at once.
func newJSONLWriter(dir string, opts Options) (Writer, error) {
	w := &jsonlWriter{dir: dir, text: newJSONText()}
	for _, k := range schema.Kinds() {
		t, err := createTableFile(dir, k.Plural, ".jsonl", FormatJSONL, true)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.kinds = append(w.kinds, t)
	}
	return w, nil
}

func (w *jsonlWriter) Write(rec schema.Record) error {
	if w.finished {
		return errors.New("jsonl: Write after Finish")
	}
	k := schema.KindOf(rec)
	for i, kk := range schema.Kinds() {
		if kk == k {
			if err := w.writeLine(w.kinds[i], k.Columns(), rec); err != nil {
				return fmt.Errorf("%w (%s %s)", err, k.Name, schema.ID(rec))
			}
			return nil
		}
	}
	return fmt.Errorf("jsonl: no file for kind %s", k.Name)
}

// writeLine writes rec (a Record or a *schema.Source) as one line of t.
func (w *jsonlWriter) writeLine(t *tableFile, columns []*schema.Column, rec any) error {
	if t.f == nil {
		return fmt.Errorf("jsonl: %s is closed", t.name)
	}
	line, err := appendObject(w.line[:0], columns, rec, w.text, jsonLayout{})
	if err != nil {
		return fmt.Errorf("writing %s: %w", t.name, err)
	}
	w.line = append(line, '\n')
	if _, err := t.w.Write(w.line); err != nil {
		return fmt.Errorf("writing %s: %w", t.name, err)
	}
	t.rows++
	return nil
}

// Finish writes sources.jsonl, flushes and closes every file. It returns
// one File per kind, in kind order, then sources.jsonl.
func (w *jsonlWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished {
		return nil, errors.New("jsonl: Finish called twice")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	for _, t := range w.kinds {
		if t.f == nil {
			return nil, errors.New("jsonl: Finish after Close")
		}
	}
	src, err := createTableFile(w.dir, schema.SourceTable().Name, ".jsonl", FormatJSONL, true)
	if err != nil {
		return nil, err
	}
	w.sources = src
	for _, s := range meta.Sources {
		if s != nil {
			if err := w.writeLine(src, schema.SourceTable().Columns, s); err != nil {
				return nil, err
			}
		}
	}
	files := make([]File, 0, len(w.kinds)+1)
	for _, t := range append(w.kinds[:len(w.kinds):len(w.kinds)], src) {
		f, err := t.finish()
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// Close closes the files that are still open (all of them unless Finish
// succeeded). It removes nothing: the files stay in the output directory,
// which the caller publishes or discards as a whole. Close may be called
// more than once.
func (w *jsonlWriter) Close() error {
	var errs []error
	for _, t := range append(w.kinds[:len(w.kinds):len(w.kinds)], w.sources) {
		errs = append(errs, t.close())
	}
	return errors.Join(errs...)
}
