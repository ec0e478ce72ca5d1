package output

// The SQLite writer uses modernc.org/sqlite, SQLite compiled to pure Go:
// no cgo, so the static, cross-compiled and -tags noasm builds keep
// working. github.com/ncruces/go-sqlite3 (also pure Go, SQLite through
// WebAssembly translated to Go) was about as fast here and writes the same
// bytes; modernc.org/sqlite is the one more projects use.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"export/output/sqltables"
	"export/schema"
)

// SQLiteName is the file the SQLite writer writes.
const SQLiteName = "figures.sqlite"

// The SQLite writer writes figures.sqlite: the tables of package
// sqltables (one per kind and sources, named like the CSV files, with the
// same columns; child tables for lists, derived and stated; the figures
// view; the _columns and _tables dictionary) and _run, the facts of the
// manifest. Records go into their tables as they arrive, through prepared
// statements of sqliteBatchRows rows, all in one transaction that Finish
// commits once the sources are in; memory stays bounded by SQLite's page
// cache (sqliteCacheKiB).
//
// Values: text as text, amounts as an integer when whole and otherwise as
// the real nearest them (15 significant digits, so every amount reads back
// as its digits), dates as YYYY-MM-DD text, booleans 0 or 1, lists as a
// JSON array (which Datasette facets) and their values in the child table,
// derived as in CSV (one "field: reason" per line) and its entries in the
// child table. An absent value is NULL, an empty list [].
//
// The same records give the same bytes: the page size is fixed, rows go in
// in input order, and nothing but the records and Meta is written (no
// time, no path). The file is written without a journal (journal_mode
// OFF, synchronous OFF): it is in the stage, which a failed run discards,
// and the stage is synced before it is published. It is never in WAL mode,
// so a reader needs nothing but the one file.
type sqliteWriter struct {
	path     string
	db       *sql.DB
	tx       *sql.Tx
	inserts  map[*sqltables.Table]*sqliteBatch
	order    []*sqltables.Table                      // of the tables, for flush
	children map[*sqltables.Table][]*sqltables.Table // of each records table
	run      *sqltables.Table
	rows     map[string]int // records per kind (plural)
	args     []any
	finished bool
	holding  bool // counted in MemoryOutsideHeap
}

const (
	sqlitePageSize = 4096
	// sqliteCacheKiB is SQLite's page cache: enough for the indexes'
	// upper pages. At 1,000,000 records 16 MiB writes in 30 s; 4 MiB took
	// 133 s (the key index's pages go back and forth to the file).
	sqliteCacheKiB = 16 << 10
	// sqliteMemory is what an open SQLite writer holds outside the Go
	// heap, measured at 1,000,000 records (38 MiB): its page cache takes
	// twice its size, as modernc.org/libc's allocator gives each page (4
	// KiB and SQLite's header of it) a slot of the next power of two,
	// and statements, schema and buffers take some 6 MiB more.
	sqliteMemory = 2*sqliteCacheKiB<<10 + 6<<20
)

// sqliteFormat: figures.sqlite, every table in one database.
var sqliteFormat = register(&Format{Name: FormatSQLite, Title: "SQLite", Rank: 6, MediaType: "application/vnd.sqlite3",
	New: newSQLiteWriter, Package: PackagedDatabase})

// outsideHeap is the memory the open writers hold outside the Go heap.
var outsideHeap atomic.Int64

// MemoryOutsideHeap returns the memory, in bytes, that the writers open
// now hold outside the Go heap, where the Go runtime's soft memory limit
// (runtime/debug.SetMemoryLimit) does not see it: SQLite's, while
// figures.sqlite is written (modernc.org/sqlite allocates it from memory
// it maps itself). A program that keeps its whole memory within a budget
// gives the Go runtime the budget less this.
func MemoryOutsideHeap() int64 { return outsideHeap.Load() }

func newSQLiteWriter(dir string, opts Options) (Writer, error) {
	w := &sqliteWriter{path: filepath.Join(dir, SQLiteName), inserts: map[*sqltables.Table]*sqliteBatch{},
		children: map[*sqltables.Table][]*sqltables.Table{}, run: sqltables.RunTable(), rows: map[string]int{}}
	w.holdMemory()
	if err := w.open(); err != nil {
		w.Close()
		return nil, fmt.Errorf("creating %s: %w", SQLiteName, err)
	}
	return w, nil
}

// open creates the file and its tables, and starts the transaction.
func (w *sqliteWriter) open() error {
	if _, err := os.Lstat(w.path); err == nil {
		return fmt.Errorf("%s exists already", w.path)
	}
	db, err := sql.Open("sqlite", w.path)
	if err != nil {
		return err
	}
	w.db = db
	db.SetMaxOpenConns(1) // one connection: the pragmas and the transaction are its own
	ctx := context.Background()
	for _, p := range []string{
		fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize),
		"PRAGMA journal_mode = OFF",
		"PRAGMA synchronous = OFF",
		fmt.Sprintf("PRAGMA cache_size = -%d", sqliteCacheKiB),
		"PRAGMA foreign_keys = OFF", // checked once, at Finish (foreign_key_check): sources come last
	} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if w.tx, err = db.BeginTx(ctx, nil); err != nil {
		return err
	}
	d := sqltables.SQLite
	for _, t := range append(sqltables.Tables(), w.run) {
		if t.Role == sqltables.Records {
			w.children[t] = t.Children()
		}
		if _, err := w.tx.Exec(d.CreateTable("", t)); err != nil {
			return fmt.Errorf("creating table %s: %w", t.Name, err)
		}
		st, err := w.tx.Prepare(d.InsertRows("", t, sqliteBatchRows))
		if err != nil {
			return fmt.Errorf("preparing %s: %w", t.Name, err)
		}
		w.inserts[t] = &sqliteBatch{table: t, full: st}
		w.order = append(w.order, t)
	}
	if _, err := w.tx.Exec(d.CreateFiguresView("")); err != nil {
		return fmt.Errorf("creating view %s: %w", sqltables.FiguresView, err)
	}
	return nil
}

func (w *sqliteWriter) Write(rec schema.Record) error {
	if w.finished || w.tx == nil {
		return errors.New("sqlite: Write after Finish or Close")
	}
	k := schema.KindOf(rec)
	if err := w.writeRecord(sqltables.RecordsTable(k), rec); err != nil {
		return fmt.Errorf("writing %s: %s %s: %w", SQLiteName, k.Name, schema.ID(rec), err)
	}
	w.rows[k.Plural]++
	return nil
}

// writeRecord inserts rec's row and its child tables' rows.
func (w *sqliteWriter) writeRecord(t *sqltables.Table, rec schema.Record) error {
	w.args = w.args[:0]
	for _, c := range t.Columns {
		v, err := sqliteValue(c.Schema, rec)
		if err != nil {
			return err
		}
		w.args = append(w.args, v)
	}
	if err := w.insert(t, w.args...); err != nil {
		return err
	}
	id := schema.ID(rec)
	for _, ch := range w.children[t] {
		var err error
		switch ch.Role {
		case sqltables.Items:
			for i, v := range ch.Of.List(rec) {
				if err = w.insert(ch, id, int64(i+1), v); err != nil {
					break
				}
			}
		case sqltables.Derived:
			for _, e := range ch.Of.Entries(rec) {
				if err = w.insert(ch, id, e.Key, e.Text); err != nil {
					break
				}
			}
		case sqltables.Stated:
			for _, sp := range ch.Of.Spans(rec) {
				if err = w.insert(ch, id, sp.Field, sp.Text, int64(sp.Start), int64(sp.End)); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sqliteBatchRows rows go into a table in one INSERT: most of an
// INSERT's time is spent starting and ending the statement, so one for
// many rows (four stated spans, one or two sectors a record) takes a
// fraction of one for each.
const sqliteBatchRows = 256

// sqliteBatch is the rows of one table waiting to be inserted.
type sqliteBatch struct {
	table *sqltables.Table
	full  *sql.Stmt // inserts sqliteBatchRows rows
	args  []any
	rows  int
}

// insert adds a row to t's batch, inserting the batch when it is full.
func (w *sqliteWriter) insert(t *sqltables.Table, args ...any) error {
	b := w.inserts[t]
	b.args = append(b.args, args...)
	if b.rows++; b.rows < sqliteBatchRows {
		return nil
	}
	return b.exec(b.full)
}

// flush inserts the rows waiting in every batch.
func (w *sqliteWriter) flush() error {
	for _, t := range w.order {
		b := w.inserts[t]
		if b.rows == 0 {
			continue
		}
		st, err := w.tx.Prepare(sqltables.SQLite.InsertRows("", t, b.rows))
		if err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
		err = b.exec(st)
		st.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *sqliteBatch) exec(st *sql.Stmt) error {
	_, err := st.Exec(b.args...)
	if err != nil {
		return fmt.Errorf("inserting %d rows into table %s: %w", b.rows, b.table.Name, err)
	}
	clear(b.args) // no record kept alive by its values
	b.args, b.rows = b.args[:0], 0
	return nil
}

// sqliteValue is the value stored for column c of rec (a Record or a
// *schema.Source): nil when absent.
func sqliteValue(c *schema.Column, rec any) (any, error) {
	if !c.Present(rec) {
		return nil, nil
	}
	switch c.Type {
	case schema.String, schema.Date:
		return c.Text(rec), nil
	case schema.Integer:
		n, _ := c.Int(rec)
		return n, nil
	case schema.Number:
		d, _ := c.Decimal(rec)
		if d.Milli()%1000 == 0 {
			return d.Milli() / 1000, nil // whole: an integer, exact
		}
		return d.Float64(), nil // 15 significant digits: read back exactly as d's
	case schema.Boolean:
		if c.Bool(rec) {
			return int64(1), nil
		}
		return int64(0), nil
	case schema.StringList:
		b, err := json.Marshal(c.List(rec))
		return string(b), err
	case schema.TextMap:
		return EntriesText(c.Entries(rec)), nil
	}
	return nil, fmt.Errorf("%s: column type %v has no SQLite value", c.Name, c.Type)
}

// Finish inserts the sources, the dictionary and _run, checks every
// reference, commits and closes the file. It returns figures.sqlite with
// the rows of every kind and of sources.
func (w *sqliteWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished || w.tx == nil {
		return nil, errors.New("sqlite: Finish called twice or after Close")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	if err := w.finish(meta); err != nil {
		return nil, fmt.Errorf("writing %s: %w", SQLiteName, err)
	}
	sum, size, err := hashFile(w.path)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", SQLiteName, err)
	}
	rows := map[string]int{schema.SourceTable().Name: 0}
	for _, k := range schema.Kinds() {
		rows[k.Plural] = w.rows[k.Plural]
	}
	for _, s := range meta.Sources {
		if s != nil {
			rows[schema.SourceTable().Name]++
		}
	}
	return []File{{Name: SQLiteName, Format: FormatSQLite, Rows: rows, SHA256: sum, Bytes: size}}, nil
}

func (w *sqliteWriter) finish(meta *Meta) error {
	src, _ := sqltables.Lookup(schema.SourceTable().Name)
	for _, s := range meta.Sources {
		if s == nil {
			continue
		}
		w.args = w.args[:0]
		for _, c := range src.Columns {
			v, err := sqliteValue(c.Schema, s)
			if err != nil {
				return err
			}
			w.args = append(w.args, v)
		}
		if err := w.insert(src, w.args...); err != nil {
			return fmt.Errorf("source %s: %w", s.ID, err)
		}
	}
	run := w.run
	columns, _ := sqltables.Lookup(sqltables.ColumnsTable)
	for _, r := range sqltables.SQLite.ColumnRows(run) {
		notNull := int64(0)
		if r.NotNull {
			notNull = 1
		}
		if err := w.insert(columns, r.Table, r.Column, int64(r.Position), r.Type, notNull, r.Description, nullIfEmpty(r.Rules)); err != nil {
			return err
		}
	}
	tablesT, _ := sqltables.Lookup(sqltables.TablesTable)
	for _, r := range sqltables.TableRows(run) {
		if err := w.insert(tablesT, r.Table, r.Description); err != nil {
			return err
		}
	}
	if err := w.insertRun(meta); err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.checkReferences(); err != nil {
		return err
	}
	for _, b := range w.inserts {
		b.full.Close()
	}
	w.inserts = nil
	err := w.tx.Commit()
	w.tx = nil
	if err != nil {
		return err
	}
	err = w.db.Close()
	w.db = nil
	w.releaseMemory()
	return err
}

// holdMemory counts the writer's memory in MemoryOutsideHeap until
// releaseMemory, once it has closed the file.
func (w *sqliteWriter) holdMemory() {
	outsideHeap.Add(sqliteMemory)
	w.holding = true
}

func (w *sqliteWriter) releaseMemory() {
	if w.holding {
		outsideHeap.Add(-sqliteMemory)
		w.holding = false
	}
}

// insertRun writes _run's one row.
func (w *sqliteWriter) insertRun(meta *Meta) error {
	records := map[string]int{}
	for _, k := range schema.Kinds() {
		records[k.Plural] = w.rows[k.Plural]
	}
	recs, err := json.Marshal(records) // keys sorted
	if err != nil {
		return err
	}
	in := meta.Inputs
	if in == nil {
		in = []Input{}
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var created any
	if !meta.Created.IsZero() {
		created = newGeneratedBy(meta).Created
	}
	return w.insert(w.run, cmp.Or(meta.Tool, "export"), meta.Version, created, int64(meta.Errors), int64(meta.Warnings), string(recs), string(inputs))
}

// checkReferences fails when a row refers to a record or source that is
// not in the file (PRAGMA foreign_key_check, one pass at the end rather
// than a lookup per row while the sources are not in yet).
func (w *sqliteWriter) checkReferences() error {
	rows, err := w.tx.Query("PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("a row of %s (rowid %d) refers to a row of %s that is not there", table, rowid.Int64, parent)
	}
	return rows.Err()
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Close rolls back what Finish did not commit and closes the file. It
// removes nothing: the file stays in the output directory, which the
// caller publishes or discards as a whole. Close may be called more than
// once.
func (w *sqliteWriter) Close() error {
	var errs []error
	for _, b := range w.inserts {
		errs = append(errs, b.full.Close())
	}
	w.inserts = nil
	if w.tx != nil {
		errs = append(errs, w.tx.Rollback())
		w.tx = nil
	}
	if w.db != nil {
		errs = append(errs, w.db.Close())
		w.db = nil
	}
	w.releaseMemory()
	w.finished = true
	return errors.Join(errs...)
}
