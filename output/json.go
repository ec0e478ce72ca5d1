package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"export/schema"
)

// JSONName is the file the JSON writer writes.
const JSONName = "figures.json"

// The JSON writer writes figures.json:
//
//	{
//	  "generated_by": {"tool": ..., "version": ..., "created": ...},
//	  "sources": [{...}, ...],
//	  "investment_totals": [{...}, ...],
//	  "enterprise_counts": [...],
//	  "agreement_counts": [...]
//	}
//
// Every object has every column of its table as a key, in column order, so
// that BI tools see a stable schema: null for an absent optional value,
// numbers as JSON numbers without exponent, dates as "YYYY-MM-DD", lists as
// arrays, booleans as true or false. "created" (RFC 3339, UTC) is there only
// when Meta.Created is set. The file is indented by two spaces, as
// json.MarshalIndent does, and ends with a newline.
//
// Records arrive with kinds interleaved but the file groups them by kind,
// so each kind's records stream into a temporary file of their own, and
// Finish assembles figures.json by copying them: memory stays bounded.
type jsonWriter struct {
	dir      string
	parts    []*jsonPart // one per kind, in schema.Kinds() order
	text     *jsonText
	element  []byte // scratch: the record being written, indented
	finished bool
	closed   bool
}

// jsonPart is the temporary file holding one kind's records, already
// indented and separated by commas, ready to be copied into the array.
type jsonPart struct {
	kind *schema.Kind
	f    *os.File // nil once closed and removed
	w    *bufio.Writer
	n    int
}

// The indentation of figures.json: records are array elements inside the
// top-level object.
const (
	jsonIndent     = "  "
	jsonItemPrefix = jsonIndent + jsonIndent
)

// jsonFormat: figures.json, with its JSON Schema beside it.
var jsonFormat = register(&Format{Name: FormatJSON, Title: "JSON", Rank: 3, Default: true, MediaType: "application/json",
	New: newJSONWriter, Companion: WriteFiguresSchema})

// newJSONWriter creates one temporary file per kind in opts.TempDir, or in
// dir when that is empty, so that they stay with the output (the caller's
// stage) and are cleaned up with it even when the process dies.
func newJSONWriter(dir string, opts Options) (Writer, error) {
	tmp := opts.TempDir
	if tmp == "" {
		tmp = dir
	}
	w := &jsonWriter{dir: dir, text: newJSONText()}
	for _, k := range schema.Kinds() {
		f, err := os.CreateTemp(tmp, ".figures-"+k.Plural+"-*.tmp")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("creating a temporary file for %s: %w", JSONName, err)
		}
		w.parts = append(w.parts, &jsonPart{kind: k, f: f, w: bufio.NewWriterSize(f, fileBufferSize)})
	}
	return w, nil
}

func (w *jsonWriter) Write(rec schema.Record) error {
	if w.finished || w.closed {
		return errors.New("json: Write after Finish or Close")
	}
	k := schema.KindOf(rec)
	var p *jsonPart
	for _, pp := range w.parts {
		if pp.kind == k {
			p = pp
		}
	}
	if p == nil {
		return fmt.Errorf("json: no table for kind %s", k.Name)
	}
	if err := w.encode(k.Columns(), rec); err != nil {
		return fmt.Errorf("writing %s: %s %s: %w", JSONName, k.Name, schema.ID(rec), err)
	}
	if p.n > 0 {
		p.w.WriteString(",\n")
	}
	if err := w.writeEncoded(p.w); err != nil {
		return fmt.Errorf("writing %s: %w", JSONName, err)
	}
	p.n++
	return nil
}

// encode encodes rec as one indented array element into w.element, as
// json.Indent would indent the compact form (a test checks that).
func (w *jsonWriter) encode(columns []*schema.Column, rec any) error {
	b, err := appendObject(append(w.element[:0], jsonItemPrefix...), columns, rec, w.text, jsonIndented(jsonItemPrefix))
	if err != nil {
		return err
	}
	w.element = b
	return nil
}

// writeEncoded writes the element encode encoded. bufio errors are sticky,
// so Finish's Flush reports them too.
func (w *jsonWriter) writeEncoded(bw *bufio.Writer) error {
	_, err := bw.Write(w.element)
	return err
}

// Finish assembles figures.json from Meta and the kinds' temporary files,
// then removes the temporary files.
func (w *jsonWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished || w.closed {
		return nil, errors.New("json: Finish after Finish or Close")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	for _, p := range w.parts {
		if err := p.w.Flush(); err != nil {
			return nil, fmt.Errorf("writing a temporary file for %s: %w", JSONName, err)
		}
		if _, err := p.f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("reading a temporary file for %s: %w", JSONName, err)
		}
	}
	f, err := os.Create(filepath.Join(w.dir, JSONName))
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", JSONName, err)
	}
	defer f.Close() // for the error paths; closed and checked below
	d := newDigestWriter(f)
	rows, err := w.assemble(d, meta)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", JSONName, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", JSONName, err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return []File{d.describe(File{Name: JSONName, Format: FormatJSON, Rows: rows})}, nil
}

// assemble writes figures.json to d and returns its row counts.
func (w *jsonWriter) assemble(d *digestWriter, meta *Meta) (map[string]int, error) {
	bw := bufio.NewWriterSize(d, fileBufferSize)
	gen, err := indentedJSON(newGeneratedBy(meta), jsonIndent)
	if err != nil {
		return nil, err
	}
	bw.WriteString("{\n" + jsonIndent + `"generated_by": `)
	bw.Write(gen)

	sources := make([]*schema.Source, 0, len(meta.Sources))
	for _, s := range meta.Sources {
		if s != nil {
			sources = append(sources, s)
		}
	}
	rows := map[string]int{schema.SourceTable().Name: len(sources)}
	w.startArray(bw, schema.SourceTable().Name, len(sources))
	for i, s := range sources {
		if err := w.encode(schema.SourceTable().Columns, s); err != nil {
			return nil, fmt.Errorf("source %s: %w", s.ID, err)
		}
		if i > 0 {
			bw.WriteString(",\n")
		}
		w.writeEncoded(bw)
	}
	w.endArray(bw, len(sources))

	for _, p := range w.parts {
		rows[p.kind.Plural] = p.n
		w.startArray(bw, p.kind.Plural, p.n)
		if err := bw.Flush(); err != nil {
			return nil, err
		}
		if err := d.appendFile(p.f); err != nil {
			return nil, err
		}
		w.endArray(bw, p.n)
	}
	bw.WriteString("\n}\n")
	return rows, bw.Flush()
}

// startArray writes `,\n  "name": [` (or `[]` when the array is empty).
func (w *jsonWriter) startArray(bw *bufio.Writer, name string, n int) {
	bw.WriteString(",\n" + jsonIndent)
	bw.Write(w.text.append(nil, name))
	if n == 0 {
		bw.WriteString(": []")
		return
	}
	bw.WriteString(": [\n")
}

func (w *jsonWriter) endArray(bw *bufio.Writer, n int) {
	if n > 0 {
		bw.WriteString("\n" + jsonIndent + "]")
	}
}

// Close closes and removes the temporary files; figures.json stays in the
// output directory, which the caller publishes or discards as a whole.
// Close may be called more than once.
func (w *jsonWriter) Close() error {
	w.closed = true
	var errs []error
	for _, p := range w.parts {
		if p.f == nil {
			continue
		}
		errs = append(errs, p.f.Close(), os.Remove(p.f.Name()))
		p.f = nil
	}
	return errors.Join(errs...)
}

// jsonLayout is how appendObject lays an object out: compact (the zero
// value), or as json.Indent lays it out with prefix and jsonIndent: one key
// per line, one list element per line, an empty list as [].
type jsonLayout struct {
	indented bool
	prefix   string
}

func jsonIndented(prefix string) jsonLayout { return jsonLayout{indented: true, prefix: prefix} }

// colon appends the colon after a key, with a space when indented.
func (l jsonLayout) colon(b []byte) []byte {
	return l.space(append(b, ':'))
}

// space appends a space when indented.
func (l jsonLayout) space(b []byte) []byte {
	if l.indented {
		b = append(b, ' ')
	}
	return b
}

// newline starts a line at depth levels of indentation below the prefix;
// compact, it does nothing.
func (l jsonLayout) newline(b []byte, depth int) []byte {
	if !l.indented {
		return b
	}
	b = append(b, '\n')
	b = append(b, l.prefix...)
	for range depth {
		b = append(b, jsonIndent...)
	}
	return b
}

// appendObject appends rec (a Record or a *schema.Source) as a JSON object
// with one key per column, in column order, laid out as l says.
// encoding/json would sort a map's keys, and a struct per kind would list
// the columns by hand, so the object is written here from the columns.
func appendObject(b []byte, columns []*schema.Column, rec any, t *jsonText, l jsonLayout) ([]byte, error) {
	b = append(b, '{')
	for i, c := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = l.newline(b, 1)
		b = t.append(b, c.Name)
		b = l.colon(b)
		var err error
		if b, err = appendValue(b, c, rec, t, l); err != nil {
			return nil, err
		}
	}
	if len(columns) > 0 {
		b = l.newline(b, 0)
	}
	return append(b, '}'), nil
}

// appendValue appends the JSON value of column c in rec, a value of an
// object laid out as l says.
func appendValue(b []byte, c *schema.Column, rec any, t *jsonText, l jsonLayout) ([]byte, error) {
	if !c.Present(rec) {
		return append(b, "null"...), nil
	}
	switch c.Type {
	case schema.String, schema.Date:
		return t.append(b, c.Text(rec)), nil
	case schema.Integer:
		n, _ := c.Int(rec)
		return strconv.AppendInt(b, n, 10), nil
	case schema.Number:
		d, _ := c.Decimal(rec)
		return d.AppendText(b), nil
	case schema.Boolean:
		return strconv.AppendBool(b, c.Bool(rec)), nil
	case schema.StringList:
		list := c.List(rec)
		b = append(b, '[')
		for i, s := range list {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.newline(b, 2)
			b = t.append(b, s)
		}
		if len(list) > 0 {
			b = l.newline(b, 1)
		}
		return append(b, ']'), nil
	case schema.TextMap:
		entries := c.Entries(rec)
		b = append(b, '{')
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.newline(b, 2)
			b = t.append(b, e.Key)
			b = l.colon(b)
			b = t.append(b, e.Text)
		}
		if len(entries) > 0 {
			b = l.newline(b, 1)
		}
		return append(b, '}'), nil
	case schema.SpanMap:
		spans := c.Spans(rec)
		b = append(b, '{')
		for i, sp := range spans {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.newline(b, 2)
			b = t.append(b, sp.Field)
			b = l.colon(b)
			b = append(b, `{"text":`...)
			b = l.space(b)
			b = t.append(b, sp.Text)
			b = append(b, `,`...)
			b = l.space(b)
			b = append(b, `"start":`...)
			b = l.space(b)
			b = strconv.AppendInt(b, int64(sp.Start), 10)
			b = append(b, `,`...)
			b = l.space(b)
			b = append(b, `"end":`...)
			b = l.space(b)
			b = strconv.AppendInt(b, int64(sp.End), 10)
			b = append(b, '}')
		}
		if len(spans) > 0 {
			b = l.newline(b, 1)
		}
		return append(b, '}'), nil
	}
	return nil, fmt.Errorf("%s: unknown column type %v", c.Name, c.Type)
}

// plainASCII reports whether s is printable ASCII that JSON writes as it
// is: no control character, quote or backslash.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// jsonText writes JSON strings as encoding/json does, but with <, > and &
// kept literal: figures.json is data, not HTML, and quotes hold such
// characters.
type jsonText struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newJSONText() *jsonText {
	t := &jsonText{}
	t.enc = json.NewEncoder(&t.buf)
	t.enc.SetEscapeHTML(false)
	return t
}

// append appends s as a JSON string.
func (t *jsonText) append(b []byte, s string) []byte {
	if plainASCII(s) { // the common case, without the encoder's cost
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	t.buf.Reset()
	if err := t.enc.Encode(s); err != nil {
		panic("output: encoding a string: " + err.Error()) // cannot happen
	}
	return append(b, bytes.TrimSuffix(t.buf.Bytes(), []byte("\n"))...)
}

// GeneratedBy is the generated_by object of figures.json and manifest.json:
// the program that wrote the files.
type GeneratedBy struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Created is RFC 3339 in UTC, only when Meta.Created is set: the
	// clock is never read, so that runs are reproducible.
	Created string `json:"created,omitempty"`
}

func newGeneratedBy(m *Meta) GeneratedBy {
	g := GeneratedBy{Tool: m.Tool, Version: m.Version}
	if !m.Created.IsZero() {
		g.Created = m.Created.UTC().Format(time.RFC3339)
	}
	return g
}

// indentedJSON marshals v indented by two spaces, with every line after the
// first starting with prefix, without HTML escaping or a final newline.
func indentedJSON(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, jsonIndent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return schema.EscapeNoncharacters(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}
