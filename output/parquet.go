package output

// The Parquet writer uses github.com/parquet-go/parquet-go, the maintained
// successor of segmentio/parquet-go. It was chosen over apache/arrow-go
// because it writes rows straight into column chunks without an in-memory
// Arrow record batch, builds a schema at run time from nodes (so the schema
// comes from schema.Kind.Columns, not from a Go struct), lets us bound row
// groups and fix created_by, and pulls in a handful of small modules rather
// than Arrow's large tree. Files it writes are read by DuckDB, pyarrow,
// pandas and Spark (the DuckDB interop test checks the first).

import (
	"errors"
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go"

	"export/schema"
)

// The Parquet writer writes one file per kind, named after the kind's
// table (investment_totals.parquet, ...), with the kind's columns in column
// order and these types:
//
//	schema type  Parquet physical and logical type
//	string       BYTE_ARRAY, STRING (UTF-8), dictionary-encoded
//	integer      INT64, INTEGER(64, signed): counts, page, input_line
//	number       INT64, DECIMAL(18,3): amount (see below)
//	date         INT32, DATE (days since 1970-01-01): as_of
//	boolean      BOOLEAN: quote_verified
//	list         LIST of required STRING: sectors, areas, parties
//
// A column is REQUIRED when every valid record has a value (the rule
// requires one, or the pipeline always fills it in: computed columns,
// booleans, kind) and OPTIONAL otherwise, an absent value being null. A
// present but empty list is an empty list, as in figures.json.
//
// Amounts are DECIMAL(18,3), an INT64 of thousandths: the contract holds
// an amount to at most 15 significant digits and 3 decimal places, so
// every valid amount fits exactly, as it does in CSV and JSON (its digits),
// in the workbook (a double, which holds 15 digits) and in SQL's
// numeric(18,3). derived is STRING, one "field: reason" per line as in CSV.
//
// Compression is GZIP, a codec of the first Parquet format that every
// reader supports (Zstd would make smaller files, but some older readers
// lack it). Not Snappy: its encoder (klauspost's, under parquet-go) has
// assembly for amd64 that makes other bytes than its pure Go code on other
// machines, and the files must be the same on every machine
// (TestDigestsGolden, which CI also runs with -tags noasm). Data pages are
// version 1, which every reader reads.
//
// Rows stream into the current row group; a row group is written out once
// it holds parquetRowGroupRows rows or about parquetRowGroupBytes bytes,
// whichever comes first, so memory stays bounded by about that much per
// kind. The file's metadata holds no timestamp, and created_by is the
// fixed "export": the same records give the same bytes.
type parquetWriter struct {
	dir      string
	tables   []*parquetTable // one per kind, in schema.Kinds() order
	sources  *parquetTable   // sources.parquet, created by Finish
	finished bool
}

// Row group bounds (see parquetWriter); variables so that tests can make
// them small.
var (
	parquetRowGroupRows        = 256 * 1024
	parquetRowGroupBytes int64 = 32 << 20
)

const (
	// parquetBatchRows is how many rows the writer hands to the library
	// at once (the library itself writes at most 64 at a time).
	parquetBatchRows = 64
	parquetCreatedBy = "export"
	// parquetDictionaryBytes caps a string column's dictionary per row
	// group, as pyarrow does; past it the column is written plain.
	parquetDictionaryBytes = 1 << 20
)

// parquetTable is one table's file being written: a kind's, or the
// sources'.
type parquetTable struct {
	*tableFile
	kind     *schema.Kind // nil for the sources
	columns  []*schema.Column
	required []bool // per column: REQUIRED rather than OPTIONAL
	w        *parquet.Writer
	// batch[:pending] are not handed to w yet; the rows' arrays are reused.
	batch     []parquet.Row
	pending   int
	groupRows int   // rows in the current row group
	groupAt   int64 // w.Size() when the current row group started
}

// parquetFormat: one Parquet file per kind, with logical types.
var parquetFormat = register(&Format{Name: FormatParquet, Title: "Parquet", Rank: 5, MediaType: "application/vnd.apache.parquet",
	New: newParquetWriter, Package: PackagedTables, Binary: true})

// newParquetWriter creates every kind's file at once, so that a kind
// without records still gets a file (with its schema and no rows).
func newParquetWriter(dir string, opts Options) (Writer, error) {
	w := &parquetWriter{dir: dir}
	for _, k := range schema.Kinds() {
		t, err := newParquetTable(dir, k.Table(), k)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.tables = append(w.tables, t)
	}
	return w, nil
}

// newParquetTable creates the file of table tb (of kind k, or nil for the
// sources).
func newParquetTable(dir string, tb *schema.Table, k *schema.Kind) (*parquetTable, error) {
	t := &parquetTable{kind: k, columns: tb.TableColumns()}
	sch := parquetSchema(tb)
	for _, c := range t.columns {
		t.required = append(t.required, c.AlwaysPresent())
	}
	tf, err := createTableFile(dir, tb.Name, ".parquet", FormatParquet, false) // the library buffers
	if err != nil {
		return nil, err
	}
	t.tableFile = tf
	cfg, err := parquet.NewWriterConfig(
		sch,
		parquet.Compression(&parquet.Gzip),
		parquet.DataPageVersion(1),
		parquet.DictionaryMaxBytes(parquetDictionaryBytes),
		// Set as is: the CreatedBy option would add " version ...".
		&parquet.WriterConfig{CreatedBy: parquetCreatedBy},
	)
	if err != nil {
		t.close()
		return nil, fmt.Errorf("writing %s: %w", t.name, err)
	}
	t.w = parquet.NewWriter(tf.w, cfg)
	return t, nil
}

// parquetSchema returns the Parquet schema of a table's file, built from
// its columns (see the Parquet writer for the types).
func parquetSchema(tb *schema.Table) *parquet.Schema {
	columns := tb.TableColumns()
	names := make([]string, 0, len(columns))
	nodes := make([]parquet.Node, 0, len(columns))
	for _, c := range columns {
		var n parquet.Node
		switch c.Type {
		case schema.String:
			n = parquetString()
		case schema.Integer:
			n = parquet.Int(64)
		case schema.Number:
			n = parquet.Decimal(3, 18, parquet.Int64Type)
		case schema.Date:
			n = parquet.Date()
		case schema.Boolean:
			n = parquet.Leaf(parquet.BooleanType)
		case schema.StringList:
			n = parquet.List(parquetString())
		case schema.TextMap:
			n = parquetString() // derived: one "field: reason" per line, as in CSV
		default:
			panic(fmt.Sprintf("output: column %s has unknown type %v", c.Name, c.Type))
		}
		if !c.AlwaysPresent() {
			n = parquet.Optional(n)
		}
		names = append(names, c.Name)
		nodes = append(nodes, n)
	}
	return parquet.NewSchema(tb.Name, newParquetGroup(names, nodes))
}

func parquetString() parquet.Node {
	return parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
}

// parquetGroup is a group node whose fields keep the order they were given
// in: parquet.Group, a map, lists its fields sorted by name, and the file's
// columns must be in column order. (GoType, used to write Go structs, which
// this writer does not do, stays parquet.Group's.)
type parquetGroup struct {
	parquet.Group
	fields []parquet.Field
}

func newParquetGroup(names []string, nodes []parquet.Node) *parquetGroup {
	g := &parquetGroup{Group: parquet.Group{}}
	for i, name := range names {
		g.Group[name] = nodes[i]
	}
	// The group's own fields (which know how to find their value in a Go
	// value), put back in the order given.
	byName := map[string]parquet.Field{}
	for _, f := range g.Group.Fields() {
		byName[f.Name()] = f
	}
	for _, name := range names {
		g.fields = append(g.fields, byName[name])
	}
	return g
}

func (g *parquetGroup) Fields() []parquet.Field { return g.fields }

func (g *parquetGroup) String() string {
	var b strings.Builder
	parquet.PrintSchema(&b, "", g)
	return b.String()
}

func (w *parquetWriter) Write(rec schema.Record) error {
	if w.finished {
		return errors.New("parquet: Write after Finish")
	}
	k := schema.KindOf(rec)
	for _, t := range w.tables {
		if t.kind == k {
			if t.f == nil {
				return fmt.Errorf("parquet: Write after Close")
			}
			if err := t.write(rec); err != nil {
				return fmt.Errorf("%w (%s %s)", err, k.Name, schema.ID(rec))
			}
			return nil
		}
	}
	return fmt.Errorf("parquet: no table for kind %s", k.Name)
}

// write appends the row of rec (a Record or a *schema.Source) to the
// batch and hands a full batch to the library.
func (t *parquetTable) write(rec any) error {
	if t.batch == nil {
		t.batch = make([]parquet.Row, parquetBatchRows)
	}
	row, err := t.appendRow(t.batch[t.pending][:0], rec)
	if err != nil {
		return fmt.Errorf("writing %s: %w", t.name, err)
	}
	t.batch[t.pending] = row
	t.pending++
	t.rows++
	if t.pending == len(t.batch) {
		return t.flushBatch()
	}
	return nil
}

// flushBatch hands the pending rows to the library, then ends the row
// group when it holds parquetRowGroupRows rows or has grown past
// parquetRowGroupBytes. (Size is the library's estimate of what it has
// written plus what the current row group holds, uncompressed.)
func (t *parquetTable) flushBatch() error {
	if t.pending == 0 {
		return nil
	}
	if _, err := t.w.WriteRows(t.batch[:t.pending]); err != nil {
		return fmt.Errorf("writing %s: %w", t.name, err)
	}
	t.groupRows += t.pending
	t.pending = 0
	if t.groupRows >= parquetRowGroupRows || t.w.Size()-t.groupAt >= parquetRowGroupBytes {
		if err := t.w.Flush(); err != nil {
			return fmt.Errorf("writing %s: %w", t.name, err)
		}
		t.groupRows, t.groupAt = 0, t.w.Size()
	}
	return nil
}

// appendRow appends the values of rec's columns to row: one value per
// column, a list giving one per element (or a single null). Leaf i of the
// schema is column i, since every column has exactly one leaf.
func (t *parquetTable) appendRow(row parquet.Row, rec any) (parquet.Row, error) {
	for i, c := range t.columns {
		def := 1 // definition level of a present value in an OPTIONAL column
		if t.required[i] {
			def = 0
		}
		if !c.Present(rec) {
			if t.required[i] {
				return nil, fmt.Errorf("%s: no value, and the column is required", c.Name)
			}
			row = append(row, parquet.NullValue().Level(0, 0, i))
			continue
		}
		var v parquet.Value
		switch c.Type {
		case schema.String:
			v = parquet.ByteArrayValue([]byte(c.Text(rec)))
		case schema.Integer:
			n, _ := c.Int(rec)
			v = parquet.Int64Value(n)
		case schema.Number:
			d, _ := c.Decimal(rec)
			v = parquet.Int64Value(d.Milli()) // DECIMAL(18,3): exact
		case schema.TextMap:
			v = parquet.ByteArrayValue([]byte(EntriesText(c.Entries(rec))))
		case schema.Date:
			d, err := ParseDate(c.Text(rec))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			v = parquet.Int32Value(int32(d.Unix() / 86400)) // midnight UTC: exact
		case schema.Boolean:
			v = parquet.BooleanValue(c.Bool(rec))
		case schema.StringList:
			// The list group adds a level: a present list's elements are
			// at def+1, its first element at repetition level 0, the next
			// at 1; an empty list is one null at def.
			list := c.List(rec)
			if len(list) == 0 {
				row = append(row, parquet.NullValue().Level(0, def, i))
				continue
			}
			for j, s := range list {
				rep := 0
				if j > 0 {
					rep = 1
				}
				row = append(row, parquet.ByteArrayValue([]byte(s)).Level(rep, def+1, i))
			}
			continue
		default:
			return nil, fmt.Errorf("%s: unknown column type %v", c.Name, c.Type)
		}
		row = append(row, v.Level(0, def, i))
	}
	return row, nil
}

// Finish writes sources.parquet, the last rows and each file's footer, and
// closes the files. It returns one File per kind, in kind order, then
// sources.parquet.
func (w *parquetWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished {
		return nil, errors.New("parquet: Finish called twice")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	for _, t := range w.tables {
		if t.f == nil {
			return nil, errors.New("parquet: Finish after Close")
		}
	}
	src, err := newParquetTable(w.dir, schema.SourceTable(), nil)
	if err != nil {
		return nil, err
	}
	w.sources = src
	for _, s := range meta.Sources {
		if s != nil {
			if err := src.write(s); err != nil {
				return nil, fmt.Errorf("%w (source %s)", err, s.ID)
			}
		}
	}
	files := make([]File, 0, len(w.tables)+1)
	for _, t := range append(w.tables[:len(w.tables):len(w.tables)], src) {
		if t.f == nil {
			return nil, errors.New("parquet: Finish after Close")
		}
		if err := t.flushBatch(); err != nil {
			return nil, err
		}
		if err := t.w.Close(); err != nil { // the footer; it does not close the file
			t.close()
			return nil, fmt.Errorf("writing %s: %w", t.name, err)
		}
		f, err := t.tableFile.finish()
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// close closes the file, once, and lets the writer's buffers go; it is
// safe on a nil table.
func (t *parquetTable) close() error {
	if t == nil {
		return nil
	}
	t.w, t.batch = nil, nil
	return t.tableFile.close()
}

// Close closes the files that are still open (all of them unless Finish
// succeeded); a file closed before Finish has no footer. It removes
// nothing: the files stay in the output directory, which the caller
// publishes or discards as a whole. Close may be called more than once.
func (w *parquetWriter) Close() error {
	var errs []error
	for _, t := range append(w.tables[:len(w.tables):len(w.tables)], w.sources) {
		errs = append(errs, t.close())
	}
	return errors.Join(errs...)
}
