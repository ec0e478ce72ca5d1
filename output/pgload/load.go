// Package pgload loads a directory that export run published into
// PostgreSQL (export load), with github.com/jackc/pgx/v5.
//
// It first checks every file against manifest.json (output.Manifest's
// Verify: a changed file stops the load before anything is sent), then in
// one transaction, serialised with any other load of the same schema by
// an advisory lock: it creates the schema and the tables of package
// sqltables where missing, checks that existing tables have exactly their
// columns (a table of an older export gains the columns added since; any
// other difference stops the load, naming the column), replaces every
// table's rows, records the load in _loads, comments every table and
// column, and commits. Readers see the old rows or the new ones (rows are
// deleted, not truncated, so a query on a table is not blocked; the
// figures view is replaced last, and a query on it may wait for the
// commit), and a load that fails anywhere, the connection lost or Ctrl-C
// included, leaves the previous state.
//
// What it reads: the CSV tables (the default formats always write them),
// with COPY through CopyFrom; the child tables of lists and derived are
// filled from the records' tables by the server (unnest of the list
// arrays, the derived text split into its lines), and stated, which the
// CSV files do not have, from the kinds' JSON Lines files or else
// figures.json when the manifest lists them (else the stated tables stay
// empty, and Result.Notes says so), decoded on a goroutine while the
// server works (stated.go).
//
// A table the load creates gets its primary key and references once its
// rows are in, as pg_restore does: nobody sees the table before the
// commit, and one index build and one check of each reference cost a
// fraction of checking every row as it comes. An existing table keeps its
// keys, and its new rows are checked one by one (at the commit: the
// references are deferred), which is why loading into existing tables
// takes about twice as long (docs/PERFORMANCE.md).
package pgload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"export/output"
	"export/output/sqltables"
	"export/schema"
)

// Options configure a load.
type Options struct {
	// Config is the connection, from pgx.ParseConfig.
	Config *pgx.ConnConfig
	// Schema is the schema the tables are in.
	Schema string
	// Dir is the published output directory.
	Dir string
	// Version is the loader's version, recorded in _loads.
	Version string
}

// Result is what a load did.
type Result struct {
	LoadID         int64
	ManifestSHA256 string
	// Rows counts the rows loaded per table.
	Rows map[string]int64
	// Added lists the columns added to tables of an older export.
	Added []string
	// Notes are things the user should know (no stated spans to load).
	Notes []string
}

// DiffError says how an existing table differs from the one export
// creates.
type DiffError struct {
	Table, Column, Problem string
}

func (e *DiffError) Error() string {
	return fmt.Sprintf("table %s, column %s: %s; the table differs from what this export creates: load into another --schema, "+
		"or drop the table if nothing else uses it", e.Table, e.Column, e.Problem)
}

// lockKey is the advisory lock that serialises loads of one schema.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtextextended('export load ' || $1, 0))`

var pg = sqltables.PostgreSQL

// Load loads opts.Dir into the database.
func Load(ctx context.Context, opts Options) (*Result, error) {
	if opts.Schema == "" {
		return nil, errors.New("no schema given")
	}
	m, err := output.ReadManifest(opts.Dir)
	if err != nil {
		return nil, err
	}
	// Nothing is sent unless every file is exactly what export wrote.
	if err := m.Verify(opts.Dir); err != nil {
		return nil, fmt.Errorf("%w; run export again rather than editing its outputs (nothing was loaded)", err)
	}
	plan, err := newPlan(opts.Dir, m)
	if err != nil {
		return nil, err
	}
	// Read from now on: figures.json is decoded while the server works.
	stated := startStated(ctx, plan.stated)
	defer stated.Close()
	conn, err := pgx.ConnectConfig(ctx, opts.Config)
	if err != nil {
		return nil, connectError(opts.Config, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res := &Result{ManifestSHA256: m.SHA256, Rows: map[string]int64{}, Notes: plan.notes}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return load(ctx, tx, opts, m, plan, stated, res) })
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("loading %s into schema %s (nothing was changed): %w", opts.Dir, opts.Schema, err)
	}
	return res, nil
}

// connectError says what failed when connecting, without the password
// (pgconn's message names the host, user and database, never the
// password; Redact removes it all the same).
func connectError(cfg *pgx.ConnConfig, err error) error {
	return fmt.Errorf("cannot connect to PostgreSQL at %s: %w", where(cfg), err)
}

func where(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("host %s port %d, database %s, user %s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
}

// plan is what a load reads: the CSV file of each table, and the files of
// the kinds' stated spans.
type plan struct {
	csv    map[string]string // table: path
	stated []statedSource
	notes  []string
}

func newPlan(dir string, m *output.Manifest) (*plan, error) {
	p := &plan{csv: map[string]string{}}
	tables := []string{schema.SourceTable().Name}
	for _, k := range schema.Kinds() {
		tables = append(tables, k.Plural)
	}
	for _, t := range tables {
		f, ok := m.FileOf(output.FormatCSV, t)
		if !ok {
			return nil, fmt.Errorf("%s lists no CSV file of %s: export load reads the CSV tables; run export with --formats including csv", output.ManifestName, t)
		}
		p.csv[t] = filepath.Join(dir, f.Name)
	}
	// Each kind's JSON Lines file, else figures.json for all the others.
	var fromJSON *statedSource
	n := 0
	for _, k := range schema.Kinds() {
		if f, ok := m.FileOf(output.FormatJSONL, k.Plural); ok {
			p.stated = append(p.stated, statedSource{path: filepath.Join(dir, f.Name), kinds: []*schema.Kind{k}, lines: true})
		} else if f, ok := m.FileOf(output.FormatJSON, k.Plural); ok {
			if fromJSON == nil {
				fromJSON = &statedSource{path: filepath.Join(dir, f.Name)}
			}
			fromJSON.kinds = append(fromJSON.kinds, k)
		} else {
			continue
		}
		n++
	}
	if fromJSON != nil {
		p.stated = append(p.stated, *fromJSON)
	}
	if n < len(schema.Kinds()) {
		p.notes = append(p.notes, "the stated tables are left empty: the directory has neither figures.json nor JSON Lines files, which hold the words that state each figure")
	}
	return p, nil
}

func load(ctx context.Context, tx pgx.Tx, opts Options, m *output.Manifest, p *plan, stated *statedFeed, res *Result) error {
	if _, err := tx.Exec(ctx, lockSQL, opts.Schema); err != nil {
		return fmt.Errorf("waiting for another load of the schema: %w", err)
	}
	for _, s := range []string{"SET LOCAL lock_timeout = '30s'", "SET LOCAL standard_conforming_strings = on"} {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pg.Quote(opts.Schema)); err != nil {
		return fmt.Errorf("creating schema %s: %w", opts.Schema, err)
	}
	all := append(sqltables.Tables(), sqltables.LoadsTable())
	// A table created by this load gets its keys once its rows are in
	// (nobody else sees it before the commit): one index build and one
	// check of each reference, rather than one of each for every row,
	// which would take longer than the COPYs themselves.
	created := map[*sqltables.Table]bool{}
	var missing []*sqltables.Column
	var missingOf []*sqltables.Table
	for _, t := range all {
		cols, err := existingColumns(ctx, tx, opts.Schema, t.Name)
		if err != nil {
			return err
		}
		if cols == nil {
			if _, err := tx.Exec(ctx, pg.CreateTableWithoutKeys(opts.Schema, t)); err != nil {
				return fmt.Errorf("creating table %s: %w", t.Name, err)
			}
			created[t] = true
			continue
		}
		add, err := compare(t, cols)
		if err != nil {
			return err
		}
		for _, c := range add {
			missing, missingOf = append(missing, c), append(missingOf, t)
		}
	}
	// Replace the rows: children first, then what they refer to. DELETE
	// rather than TRUNCATE, so that readers keep seeing the old rows
	// until the commit instead of waiting for it.
	for i := len(all) - 1; i >= 0; i-- {
		if t := all[i]; t.Name != sqltables.LoadsTable().Name && !created[t] {
			if _, err := tx.Exec(ctx, "DELETE FROM "+pg.Qualified(opts.Schema, t.Name)); err != nil {
				return fmt.Errorf("deleting the rows of %s: %w", t.Name, err)
			}
		}
	}
	for i, c := range missing {
		t := missingOf[i]
		if err := addColumn(ctx, tx, opts.Schema, t, c); err != nil {
			return err
		}
		res.Added = append(res.Added, t.Name+"."+c.Name)
	}
	if err := copyTables(ctx, tx, opts.Schema, p, stated, res); err != nil {
		return err
	}
	if err := copyDictionary(ctx, tx, opts.Schema, res); err != nil {
		return err
	}
	for _, t := range all {
		if created[t] {
			if _, err := tx.Exec(ctx, pg.AddKeys(opts.Schema, t)); err != nil {
				return fmt.Errorf("adding the keys of table %s: %w", t.Name, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, pg.CreateFiguresView(opts.Schema)); err != nil {
		return fmt.Errorf("creating view %s: %w", sqltables.FiguresView, err)
	}
	if err := comment(ctx, tx, opts.Schema, all); err != nil {
		return err
	}
	return recordLoad(ctx, tx, opts, m, res)
}

// existing is a column as the database has it.
type existing struct {
	name, typ string
	notNull   bool
}

// existingColumns returns the columns of a table, nil when there is no
// such table.
func existingColumns(ctx context.Context, tx pgx.Tx, schemaName, table string) ([]existing, error) {
	rows, err := tx.Query(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, schemaName, table)
	if err != nil {
		return nil, fmt.Errorf("reading the columns of %s: %w", table, err)
	}
	var out []existing
	for rows.Next() {
		var e existing
		if err := rows.Scan(&e.name, &e.typ, &e.notNull); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// compare checks an existing table against t: every column it has must be
// t's, with its type and nullability. It returns t's columns that the
// table lacks (a table created by an older export), to be added.
func compare(t *sqltables.Table, cols []existing) ([]*sqltables.Column, error) {
	have := map[string]existing{}
	for _, e := range cols {
		have[e.name] = e
		c := t.Column(e.name)
		switch {
		case c == nil:
			return nil, &DiffError{t.Name, e.name, "export does not create this column"}
		case e.typ != pg.TypeName(c):
			return nil, &DiffError{t.Name, e.name, fmt.Sprintf("its type is %s, export's is %s", e.typ, pg.TypeName(c))}
		case e.notNull != (c.NotNull || isKey(t, c.Name)):
			return nil, &DiffError{t.Name, e.name, fmt.Sprintf("NOT NULL is %v, export's is %v", e.notNull, c.NotNull)}
		}
	}
	var add []*sqltables.Column
	for _, c := range t.Columns {
		if _, ok := have[c.Name]; !ok {
			add = append(add, c)
		}
	}
	return add, nil
}

func isKey(t *sqltables.Table, name string) bool {
	for _, k := range t.PrimaryKey {
		if k == name {
			return true
		}
	}
	return false
}

// addColumn adds a column of a newer export to a table, with its checks;
// the table is empty by then (its rows were just deleted), so NOT NULL
// needs no default.
func addColumn(ctx context.Context, tx pgx.Tx, schemaName string, t *sqltables.Table, c *sqltables.Column) error {
	def := pg.Quote(c.Name) + " " + pg.TypeName(c)
	if c.NotNull {
		def += " NOT NULL"
	}
	if ch := pg.ColumnCheck(c); ch != "" {
		def += " CHECK (" + ch + ")"
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE "+pg.Qualified(schemaName, t.Name)+" ADD COLUMN "+def); err != nil {
		return fmt.Errorf("adding column %s to %s: %w", c.Name, t.Name, err)
	}
	return nil
}

// copyTables fills the data tables: sources and each kind's records from
// their CSV files (COPY), the list and derived tables from the records
// (the server splits them), then the stated tables from the feed.
func copyTables(ctx context.Context, tx pgx.Tx, schemaName string, p *plan, stated *statedFeed, res *Result) error {
	src, _ := sqltables.Lookup(schema.SourceTable().Name)
	if err := copyCSV(ctx, tx, schemaName, src, p.csv[src.Name], res); err != nil {
		return err
	}
	for _, k := range schema.Kinds() {
		t := sqltables.RecordsTable(k)
		if err := copyCSV(ctx, tx, schemaName, t, p.csv[t.Name], res); err != nil {
			return err
		}
		for _, ch := range t.Children() {
			switch ch.Role {
			case sqltables.Items, sqltables.Derived:
				if err := fillChild(ctx, tx, schemaName, ch, res); err != nil {
					return err
				}
			case sqltables.Stated:
				if len(p.stated) > 0 {
					res.Rows[ch.Name] = 0
				}
			}
		}
	}
	return copyStated(ctx, tx, schemaName, stated, res)
}

func copyCSV(ctx context.Context, tx pgx.Tx, schemaName string, t *sqltables.Table, path string, res *Result) error {
	rows, err := openCSV(path, t)
	if err != nil {
		return err
	}
	defer rows.Close()
	n, err := tx.CopyFrom(ctx, pgx.Identifier{schemaName, t.Name}, t.ColumnNames(), rows)
	if err != nil {
		return fmt.Errorf("copying %s into %s: %w", filepath.Base(path), t.Name, err)
	}
	res.Rows[t.Name] = n
	return nil
}

// fillChild fills a list's or derived's table from the records' table:
// the list's array with its positions, derived's lines, each "field:
// reason".
func fillChild(ctx context.Context, tx pgx.Tx, schemaName string, ch *sqltables.Table, res *Result) error {
	parent := pg.Qualified(schemaName, ch.Parent.Name)
	col := pg.Quote(ch.Of.Name)
	var q string
	switch ch.Role {
	case sqltables.Items:
		q = fmt.Sprintf(`INSERT INTO %s SELECT p."id", v.position, v.value FROM %s AS p, unnest(p.%s) WITH ORDINALITY AS v(value, position)`,
			pg.Qualified(schemaName, ch.Name), parent, col)
	case sqltables.Derived:
		q = fmt.Sprintf(`INSERT INTO %s SELECT p."id", split_part(l.line, ': ', 1), substr(l.line, strpos(l.line, ': ') + 2)
			FROM %s AS p, regexp_split_to_table(p.%s, E'\n') AS l(line) WHERE p.%s IS NOT NULL`,
			pg.Qualified(schemaName, ch.Name), parent, col, col)
	}
	tag, err := tx.Exec(ctx, q)
	if err != nil {
		return fmt.Errorf("filling %s: %w", ch.Name, err)
	}
	res.Rows[ch.Name] = tag.RowsAffected()
	return nil
}

// copyStated fills the stated tables from the feed, one COPY for each
// kind's run of spans, in the order the files have them.
func copyStated(ctx context.Context, tx pgx.Tx, schemaName string, stated *statedFeed, res *Result) error {
	for {
		b, ok := stated.next()
		if !ok {
			return nil
		}
		if b.err != nil {
			return fmt.Errorf("reading the stated spans: %w", b.err)
		}
		stated.unread = &b
		t := statedTable(b.kind)
		rows := &statedRows{feed: stated, kind: b.kind, vals: make([]any, len(t.Columns))}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{schemaName, t.Name}, t.ColumnNames(), rows)
		if err != nil {
			return fmt.Errorf("copying the stated spans into %s: %w", t.Name, err)
		}
		res.Rows[t.Name] += n
	}
}

// statedTable returns the stated table of kind k.
func statedTable(k *schema.Kind) *sqltables.Table {
	for _, ch := range sqltables.RecordsTable(k).Children() {
		if ch.Role == sqltables.Stated {
			return ch
		}
	}
	panic("pgload: kind " + k.Name + " has no stated table")
}

// copyDictionary fills _columns and _tables.
func copyDictionary(ctx context.Context, tx pgx.Tx, schemaName string, res *Result) error {
	loads := sqltables.LoadsTable()
	var cols [][]any
	for _, r := range pg.ColumnRows(loads) {
		var rules any
		if r.Rules != "" {
			rules = r.Rules
		}
		cols = append(cols, []any{r.Table, r.Column, int32(r.Position), r.Type, r.NotNull, r.Description, rules})
	}
	ct, _ := sqltables.Lookup(sqltables.ColumnsTable)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{schemaName, ct.Name}, ct.ColumnNames(), pgx.CopyFromRows(cols)); err != nil {
		return fmt.Errorf("filling %s: %w", ct.Name, err)
	}
	var tabs [][]any
	for _, r := range sqltables.TableRows(loads) {
		tabs = append(tabs, []any{r.Table, r.Description})
	}
	tt, _ := sqltables.Lookup(sqltables.TablesTable)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{schemaName, tt.Name}, tt.ColumnNames(), pgx.CopyFromRows(tabs)); err != nil {
		return fmt.Errorf("filling %s: %w", tt.Name, err)
	}
	res.Rows[ct.Name], res.Rows[tt.Name] = int64(len(cols)), int64(len(tabs))
	return nil
}

// comment writes COMMENT ON every table, column and the view, from the
// data dictionary: Metabase and Superset show them.
func comment(ctx context.Context, tx pgx.Tx, schemaName string, tables []*sqltables.Table) error {
	var b strings.Builder
	for _, t := range tables {
		name := pg.Qualified(schemaName, t.Name)
		fmt.Fprintf(&b, "COMMENT ON TABLE %s IS %s;\n", name, literal(t.Doc))
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "COMMENT ON COLUMN %s.%s IS %s;\n", name, pg.Quote(c.Name), literal(c.Comment()))
		}
	}
	view := pg.Qualified(schemaName, sqltables.FiguresView)
	fmt.Fprintf(&b, "COMMENT ON VIEW %s IS %s;\n", view, literal(sqltables.FiguresDoc))
	for _, c := range sqltables.FiguresColumns() {
		fmt.Fprintf(&b, "COMMENT ON COLUMN %s.%s IS %s;\n", view, pg.Quote(c.Name), literal(c.Comment()))
	}
	if _, err := tx.Exec(ctx, b.String()); err != nil {
		return fmt.Errorf("commenting the tables: %w", err)
	}
	return nil
}

// literal writes s as a string literal (standard_conforming_strings is
// on in the load's transaction).
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// recordLoad adds the load's row to _loads.
func recordLoad(ctx context.Context, tx pgx.Tx, opts Options, m *output.Manifest, res *Result) error {
	rows, err := json.Marshal(res.Rows)
	if err != nil {
		return err
	}
	in := m.Inputs
	if in == nil {
		in = []output.Input{}
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var created any
	if m.GeneratedBy.Created != "" {
		created = m.GeneratedBy.Created
	}
	err = tx.QueryRow(ctx, fmt.Sprintf(`INSERT INTO %s ("loaded_at", "manifest_sha256", "tool", "version", "loader_version", "created", "inputs", "rows")
		VALUES (now(), $1, $2, $3, $4, $5::timestamptz, $6::jsonb, $7::jsonb) RETURNING "load_id"`, pg.Qualified(opts.Schema, sqltables.LoadsTable().Name)),
		m.SHA256, m.GeneratedBy.Tool, m.GeneratedBy.Version, opts.Version, created, string(inputs), string(rows)).Scan(&res.LoadID)
	if err != nil {
		return fmt.Errorf("recording the load in _loads: %w", err)
	}
	return nil
}

// IsConnect reports whether err is a failure to reach or log in to the
// server.
func IsConnect(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}
