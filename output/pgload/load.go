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
// column, and commits. Readers see the old rows or the new ones, and are
// not blocked (no table is truncated, and only one that gains a column is
// locked against them; the figures view is replaced last, and a query on
// it may wait for the commit); a
// load that fails anywhere, the connection lost or Ctrl-C included,
// leaves the previous state.
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
// How the rows go in: a table the load creates takes them straight, and
// gets its primary key and references once they are in, as pg_restore
// does (nobody sees the table before the commit, and one index build and
// one check of each reference cost a fraction of checking every row as
// it comes). An existing table takes them through a temporary staging
// table, from which only the rows that differ are deleted, updated or
// inserted (loader.merge): loading the same outputs again writes nothing,
// checks no reference and leaves no dead rows behind, and a new run's
// outputs write what changed. Both take about the time psql's \copy takes
// to load the same CSV files into new tables (docs/PERFORMANCE.md).
package pgload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
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
	// Changed counts the rows inserted, updated or deleted: none when the
	// same outputs are loaded again.
	Changed int64
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

// loader is one load's transaction.
type loader struct {
	ctx    context.Context
	tx     pgx.Tx
	schema string
	res    *Result
	// created are the tables this load created. Nobody sees them before
	// the commit, so they take their rows straight, and their keys after
	// them (one index build and one check of each reference, rather than
	// one of each for every row, which would take longer than the COPYs
	// themselves). The other data tables, which readers may be querying,
	// take their rows through a staging table, from which merge writes
	// only what changed.
	created map[*sqltables.Table]bool
}

func load(ctx context.Context, tx pgx.Tx, opts Options, m *output.Manifest, p *plan, stated *statedFeed, res *Result) error {
	l := &loader{ctx: ctx, tx: tx, schema: opts.Schema, res: res, created: map[*sqltables.Table]bool{}}
	if _, err := tx.Exec(ctx, lockSQL, opts.Schema); err != nil {
		return fmt.Errorf("waiting for another load of the schema: %w", err)
	}
	// work_mem: the merges' hash joins of a million rows in memory.
	for _, s := range []string{"SET LOCAL lock_timeout = '30s'", "SET LOCAL standard_conforming_strings = on", "SET LOCAL work_mem = '64MB'"} {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pg.Quote(opts.Schema)); err != nil {
		return fmt.Errorf("creating schema %s: %w", opts.Schema, err)
	}
	all := append(sqltables.Tables(), sqltables.LoadsTable())
	if err := l.prepare(all); err != nil {
		return err
	}
	if err := l.fill(p, stated); err != nil {
		return err
	}
	if err := copyDictionary(ctx, tx, opts.Schema, res); err != nil {
		return err
	}
	for _, t := range all {
		if l.created[t] {
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

// prepare creates the tables that are missing, checks the others' columns
// and adds those of a newer export, and creates the staging tables.
func (l *loader) prepare(all []*sqltables.Table) error {
	var missing []*sqltables.Column
	var missingOf []*sqltables.Table
	for _, t := range all {
		cols, err := existingColumns(l.ctx, l.tx, l.schema, t.Name)
		if err != nil {
			return err
		}
		if cols == nil {
			if _, err := l.tx.Exec(l.ctx, pg.CreateTableWithoutKeys(l.schema, t)); err != nil {
				return fmt.Errorf("creating table %s: %w", t.Name, err)
			}
			l.created[t] = true
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
	// The dictionary's rows, and those of a table that gains a column
	// (NOT NULL needs an empty table, or a default), are replaced whole:
	// DELETE rather than TRUNCATE, so that readers keep seeing the old
	// rows until the commit instead of waiting for it.
	for i := len(all) - 1; i >= 0; i-- {
		t := all[i]
		if l.created[t] || t.Name == sqltables.LoadsTable().Name || (t.Role != sqltables.Dictionary && !slices.Contains(missingOf, t)) {
			continue
		}
		if _, err := l.tx.Exec(l.ctx, "DELETE FROM "+pg.Qualified(l.schema, t.Name)); err != nil {
			return fmt.Errorf("deleting the rows of %s: %w", t.Name, err)
		}
	}
	for i, c := range missing {
		t := missingOf[i]
		if err := addColumn(l.ctx, l.tx, l.schema, t, c); err != nil {
			return err
		}
		l.res.Added = append(l.res.Added, t.Name+"."+c.Name)
	}
	for _, t := range all {
		if t.Role != sqltables.Dictionary && !l.created[t] {
			q := fmt.Sprintf("CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP", l.into(t).Sanitize(), pg.Qualified(l.schema, t.Name))
			if _, err := l.tx.Exec(l.ctx, q); err != nil {
				return fmt.Errorf("creating the staging table of %s: %w", t.Name, err)
			}
		}
	}
	return nil
}

// into returns the table that takes t's rows: t when the load created it,
// else its staging table.
func (l *loader) into(t *sqltables.Table) pgx.Identifier {
	if l.created[t] || t.Role == sqltables.Dictionary {
		return pgx.Identifier{l.schema, t.Name}
	}
	return pgx.Identifier{"pg_temp", "new_" + t.Name}
}

// fill fills the data tables: sources and each kind's records from their
// CSV files (COPY), the list and derived tables from the records (the
// server splits them), then the stated tables from the feed; each
// existing table is merged once its rows are staged.
func (l *loader) fill(p *plan, stated *statedFeed) error {
	src, _ := sqltables.Lookup(schema.SourceTable().Name)
	if err := l.copyCSV(src, p.csv[src.Name]); err != nil {
		return err
	}
	var statedTables []*sqltables.Table
	for _, k := range schema.Kinds() {
		t := sqltables.RecordsTable(k)
		if err := l.copyCSV(t, p.csv[t.Name]); err != nil {
			return err
		}
		for _, ch := range t.Children() {
			switch ch.Role {
			case sqltables.Items, sqltables.Derived:
				if err := l.fillChild(ch); err != nil {
					return err
				}
			case sqltables.Stated:
				statedTables = append(statedTables, ch)
				if len(p.stated) > 0 {
					l.res.Rows[ch.Name] = 0
				}
			}
		}
	}
	if err := l.copyStated(stated); err != nil {
		return err
	}
	for _, t := range statedTables {
		if err := l.merge(t); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) copyCSV(t *sqltables.Table, path string) error {
	rows, err := openCSV(path, t)
	if err != nil {
		return err
	}
	defer rows.Close()
	n, err := l.tx.CopyFrom(l.ctx, l.into(t), t.ColumnNames(), rows)
	if err != nil {
		return fmt.Errorf("copying %s into %s: %w", filepath.Base(path), t.Name, err)
	}
	l.res.Rows[t.Name] = n
	return l.merge(t)
}

// fillChild fills a list's or derived's table from the records' table
// (merged by then): the list's array with its positions, derived's lines,
// each "field: reason".
func (l *loader) fillChild(ch *sqltables.Table) error {
	parent := pg.Qualified(l.schema, ch.Parent.Name)
	col := pg.Quote(ch.Of.Name)
	var q string
	switch ch.Role {
	case sqltables.Items:
		q = fmt.Sprintf(`INSERT INTO %s SELECT p."id", v.position, v.value FROM %s AS p, unnest(p.%s) WITH ORDINALITY AS v(value, position)`,
			l.into(ch).Sanitize(), parent, col)
	case sqltables.Derived:
		q = fmt.Sprintf(`INSERT INTO %s SELECT p."id", split_part(l.line, ': ', 1), substr(l.line, strpos(l.line, ': ') + 2)
			FROM %s AS p, regexp_split_to_table(p.%s, E'\n') AS l(line) WHERE p.%s IS NOT NULL`,
			l.into(ch).Sanitize(), parent, col, col)
	}
	tag, err := l.tx.Exec(l.ctx, q)
	if err != nil {
		return fmt.Errorf("filling %s: %w", ch.Name, err)
	}
	l.res.Rows[ch.Name] = tag.RowsAffected()
	return l.merge(ch)
}

// copyStated fills the stated tables from the feed, one COPY for each
// kind's run of spans, in the order the files have them.
func (l *loader) copyStated(stated *statedFeed) error {
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
		n, err := l.tx.CopyFrom(l.ctx, l.into(t), t.ColumnNames(), rows)
		if err != nil {
			return fmt.Errorf("copying the stated spans into %s: %w", t.Name, err)
		}
		l.res.Rows[t.Name] += n
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

// merge makes an existing table hold the rows of its staging table,
// writing only what differs: one full join of the two finds the rows whose
// key is gone, those whose other columns changed and the new ones, and
// only those are deleted, updated or inserted. Loading the same outputs
// again writes nothing, so it checks no reference and leaves no dead rows.
// A table the load created holds its rows already.
func (l *loader) merge(t *sqltables.Table) error {
	if l.created[t] {
		l.res.Changed += l.res.Rows[t.Name]
		return nil
	}
	target, staged := pg.Qualified(l.schema, t.Name), l.into(t).Sanitize()
	diff := pgx.Identifier{"pg_temp", "diff_" + t.Name}.Sanitize()
	var keys, rest, all []string
	for _, c := range t.Columns {
		if isKey(t, c.Name) {
			keys = append(keys, pg.Quote(c.Name))
		} else {
			rest = append(rest, pg.Quote(c.Name))
		}
		all = append(all, pg.Quote(c.Name))
	}
	// list writes each name with prefix, joined: list("s.", keys).
	list := func(prefix string, names []string) string { return prefix + strings.Join(names, ", "+prefix) }
	join := func(a, b string) string {
		var on []string
		for _, k := range keys {
			on = append(on, a+"."+k+" = "+b+"."+k)
		}
		return strings.Join(on, " AND ")
	}
	var found []string
	for _, k := range keys {
		found = append(found, "coalesce(s."+k+", t."+k+") AS "+k)
	}
	differs := "s." + keys[0] + " IS NULL OR t." + keys[0] + " IS NULL"
	if len(rest) > 0 {
		found = append(found, list("s.", rest))
		differs += " OR ROW(" + list("t.", rest) + ") IS DISTINCT FROM ROW(" + list("s.", rest) + ")"
	}
	stmts := []string{
		"ANALYZE " + staged,
		fmt.Sprintf(`CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s, s.%s IS NULL AS "_gone", t.%s IS NULL AS "_new"
			FROM %s AS t FULL JOIN %s AS s ON %s WHERE %s`, diff, strings.Join(found, ", "), keys[0], keys[0], target, staged, join("s", "t"), differs),
		"ANALYZE " + diff,
		fmt.Sprintf(`DELETE FROM %s AS t USING %s AS d WHERE d."_gone" AND %s`, target, diff, join("t", "d")),
	}
	if len(rest) > 0 {
		stmts = append(stmts, fmt.Sprintf(`UPDATE %s AS t SET (%s) = ROW(%s) FROM %s AS d WHERE NOT d."_gone" AND NOT d."_new" AND %s`,
			target, strings.Join(rest, ", "), list("d.", rest), diff, join("t", "d")))
	}
	stmts = append(stmts, fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s AS d WHERE d."_new"`, target, strings.Join(all, ", "), list("d.", all), diff))
	for _, q := range stmts {
		tag, err := l.tx.Exec(l.ctx, q)
		if err != nil {
			return fmt.Errorf("replacing the rows of %s: %w", t.Name, err)
		}
		if tag.Delete() || tag.Update() || tag.Insert() {
			l.res.Changed += tag.RowsAffected()
		}
	}
	return nil
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
