package output

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"export/schema"
)

// The CSV writer writes one file per kind, named after the kind's table
// (investment_totals.csv, ...), and sources.csv at Finish. Every file has a
// header row of column names, RFC 4180 quoting and "\n" line endings on
// every platform. Cells are formatted by csvCell.

// utf8BOM is written at the start of each CSV file when Options.CSVBOM is
// set: Excel reads a CSV file without it in the legacy code page.
const utf8BOM = "\ufeff"

// listSep joins the elements of a list in one cell.
const listSep = ";"

// csvTable is one CSV file being written.
type csvTable struct {
	*tableFile
	columns []*schema.Column
	w       *csv.Writer // over the file's buffer, which it flushes only by chance
	row     []string    // reused for every row
}

type csvWriter struct {
	dir      string
	opts     Options
	kinds    []*csvTable // in schema.Kinds() order
	sources  *csvTable   // sources.csv, created by Finish
	finished bool
}

// csvFormat: one table per kind and sources.csv, RFC 4180.
var csvFormat = register(&Format{Name: FormatCSV, Title: "CSV", Rank: 1, Default: true, MediaType: "text/csv",
	New: newCSVWriter, Package: PackagedTables, Guarded: true})

// newCSVWriter creates every kind's file at once, header included, so that
// a kind without records still gets a header-only file and BI tools always
// see the same set of files.
func newCSVWriter(dir string, opts Options) (Writer, error) {
	w := &csvWriter{dir: dir, opts: opts}
	for _, k := range schema.Kinds() {
		t, err := w.create(k.Plural, k.TableColumns())
		if err != nil {
			w.Close()
			return nil, err
		}
		w.kinds = append(w.kinds, t)
	}
	return w, nil
}

// create creates the file for table and writes its header.
func (w *csvWriter) create(table string, columns []*schema.Column) (*csvTable, error) {
	tf, err := createTableFile(w.dir, table, ".csv", FormatCSV, true)
	if err != nil {
		return nil, err
	}
	t := &csvTable{tableFile: tf, columns: columns, w: csv.NewWriter(tf.w), row: make([]string, len(columns))}
	// csv.Writer buffers; UseCRLF stays false so every platform writes "\n".
	if w.opts.CSVBOM {
		if _, err := io.WriteString(tf.w, utf8BOM); err != nil {
			t.close()
			return nil, fmt.Errorf("writing %s: %w", tf.name, err)
		}
	}
	for i, c := range columns {
		t.row[i] = c.Name
	}
	if err := t.w.Write(t.row); err != nil {
		t.close()
		return nil, fmt.Errorf("writing %s: %w", tf.name, err)
	}
	return t, nil
}

// write writes one row for rec, a Record or a *schema.Source.
func (t *csvTable) write(rec any) error {
	for i, c := range t.columns {
		t.row[i] = csvCell(c, rec)
	}
	if err := t.w.Write(t.row); err != nil {
		return fmt.Errorf("writing %s: %w", t.name, err)
	}
	t.rows++
	return nil
}

// finish flushes the CSV writer, then the file (csv.Writer's Flush reaches
// the file's buffer only because csv.NewWriter uses a bufio.Writer as large
// as it is given; flushing it as well does not rely on that).
func (t *csvTable) finish() (File, error) {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		t.close()
		return File{}, fmt.Errorf("writing %s: %w", t.name, err)
	}
	return t.tableFile.finish()
}

func (w *csvWriter) Write(rec schema.Record) error {
	if w.finished {
		return errors.New("csv: Write after Finish")
	}
	k := schema.KindOf(rec)
	for i, kk := range schema.Kinds() {
		if kk == k {
			return w.kinds[i].write(rec)
		}
	}
	return fmt.Errorf("csv: no table for kind %s", k.Name)
}

// Finish writes sources.csv and closes every file. It returns the kinds'
// files in kind order, then sources.csv.
func (w *csvWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished {
		return nil, errors.New("csv: Finish called twice")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	src, err := w.create(schema.SourceTable().Name, schema.SourceTable().Columns)
	if err != nil {
		return nil, err
	}
	w.sources = src
	for _, s := range meta.Sources {
		if s == nil {
			continue
		}
		if err := src.write(s); err != nil {
			return nil, err
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
// which the caller publishes or discards as a whole.
func (w *csvWriter) Close() error {
	var errs []error
	for _, t := range append(w.kinds[:len(w.kinds):len(w.kinds)], w.sources) {
		if t != nil {
			errs = append(errs, t.close())
		}
	}
	return errors.Join(errs...)
}

// csvCell formats the value of column c in rec (a Record or a
// *schema.Source) as a CSV cell:
//   - an absent optional value is an empty cell;
//   - amounts are exact plain decimals (3000000000, 2.5, never 3e+09),
//     integers plain digits;
//   - dates are the stored YYYY-MM-DD text;
//   - lists are joined with ";";
//   - derived is one "field: reason" per line;
//   - booleans are true or false.
//
// Text and list cells are neutralised against formula injection (see
// neutralise); numbers, dates and booleans are never changed.
func csvCell(c *schema.Column, rec any) string {
	if !c.Present(rec) {
		return ""
	}
	switch c.Type {
	case schema.String:
		return neutralise(c.Text(rec))
	case schema.Date:
		return c.Text(rec)
	case schema.Integer:
		n, _ := c.Int(rec)
		return strconv.FormatInt(n, 10)
	case schema.Number:
		d, _ := c.Decimal(rec)
		return d.String()
	case schema.Boolean:
		return strconv.FormatBool(c.Bool(rec))
	case schema.StringList:
		return neutralise(strings.Join(c.List(rec), listSep))
	case schema.TextMap:
		return neutralise(EntriesText(c.Entries(rec)))
	}
	panic(fmt.Sprintf("output: column %s has unknown type %v", c.Name, c.Type))
}

// EntriesText writes derived's entries as the CSV and workbook cells hold
// them: one "field: reason" per line.
func EntriesText(entries []schema.Entry) string {
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Key)
		b.WriteString(": ")
		b.WriteString(e.Text)
	}
	return b.String()
}

// neutralise prefixes a text cell that a spreadsheet would read as a
// formula with an apostrophe, as OWASP recommends against CSV injection:
// Excel, LibreOffice and Google Sheets evaluate a cell starting with =, +,
// -, @, TAB or CR. Only text cells get this: a number such as -5 is data,
// and an apostrophe would turn it into text.
//
// A text that starts with apostrophes and then one of those characters
// ('=x) gets one more too, so that the guard can be undone exactly: export's
// CSV reader drops the first apostrophe of a text cell that starts with
// apostrophes and a formula character, and keeps every other apostrophe.
func neutralise(s string) string {
	if t := strings.TrimLeft(s, "'"); t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0 {
		return "'" + s
	}
	return s
}
