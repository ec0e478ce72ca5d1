package sqltables

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"export/schema"
)

// Dialect is a database's SQL.
type Dialect int

// The dialects.
const (
	SQLite Dialect = iota
	PostgreSQL
)

func (d Dialect) String() string { return [...]string{SQLite: "SQLite", PostgreSQL: "PostgreSQL"}[d] }

// Quote quotes an identifier (a table or column name), always: a name that
// is a keyword (end) or holds a capital then reads as itself. Both
// databases quote as standard SQL does, which is what pgx.Identifier
// writes.
func (d Dialect) Quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// Qualified quotes a table's name within schema (PostgreSQL; "" for
// none).
func (d Dialect) Qualified(schemaName, name string) string {
	if schemaName == "" {
		return d.Quote(name)
	}
	return pgx.Identifier{schemaName, name}.Sanitize()
}

// TypeName is the column's declared type in the dialect.
func (d Dialect) TypeName(c *Column) string {
	if d == SQLite {
		return [...]string{Text: "TEXT", Integer: "INTEGER", Decimal: "DECIMAL(18,3)", Date: "DATE", Boolean: "BOOLEAN",
			List: "TEXT", JSON: "TEXT", Timestamp: "TEXT"}[c.Type]
	}
	if c.Type == Integer && c.Int32 {
		return "integer"
	}
	return [...]string{Text: "text", Integer: "bigint", Decimal: "numeric(18,3)", Date: "date", Boolean: "boolean",
		List: "text[]", JSON: "jsonb", Timestamp: "timestamp with time zone"}[c.Type]
}

// typeCheck is what SQLite, whose columns take any value, must check for
// the column's values to have its type; "" in PostgreSQL, whose types do.
func (d Dialect) typeCheck(c *Column) string {
	if d != SQLite {
		return ""
	}
	x := d.Quote(c.Name)
	switch c.Type {
	case Text, Timestamp:
		return "typeof(" + x + ") = 'text'"
	case Integer:
		return "typeof(" + x + ") = 'integer'"
	case Decimal:
		return "typeof(" + x + ") IN ('integer', 'real')"
	case Date:
		// date() gives back a real date unchanged, and another text
		// changed or NULL: 2008-02-30 is 2008-03-01 (SQLite 3.54) or
		// refused. With '+0 days' even SQLite 3.40 normalises it.
		return "typeof(" + x + ") = 'text' AND " + x + " IS date(" + x + ", '+0 days')"
	case Boolean:
		return x + " IN (0, 1)"
	case List:
		return "json_valid(" + x + ") AND json_type(" + x + ") = 'array'"
	case JSON:
		return "json_valid(" + x + ")"
	}
	return ""
}

// ColumnCheck is the column's whole CHECK expression ("" for none): its
// type (SQLite) and its checks, true for an absent value.
func (d Dialect) ColumnCheck(c *Column) string {
	var parts []string
	if tc := d.typeCheck(c); tc != "" {
		parts = append(parts, tc)
	}
	for _, ch := range c.Checks {
		parts = append(parts, ch.SQL(d))
	}
	if len(parts) == 0 {
		return ""
	}
	expr := strings.Join(parts, " AND ")
	if !c.NotNull && d == SQLite && d.typeCheck(c) != "" {
		// typeof(NULL) is 'null': an absent value passes on its own.
		expr = d.Quote(c.Name) + " IS NULL OR (" + expr + ")"
	}
	return expr
}

// CreateTable writes the CREATE TABLE statement of t in schemaName ("" for
// none), with IF NOT EXISTS: its columns, types, NOT NULL, checks, primary
// key, unique sets and foreign keys. The references are DEFERRABLE
// INITIALLY DEFERRED, so that the order in which tables are filled within
// a transaction does not matter.
func (d Dialect) CreateTable(schemaName string, t *Table) string {
	lines := append(d.columnLines(t), d.keyLines(schemaName, t)...)
	return d.createTable(schemaName, t, append(lines, d.checkLines(t)...))
}

// CreateTableWithoutKeys is CreateTable without the primary key, the
// unique sets and the foreign keys, which AddKeys then adds: a table
// filled in bulk before it has them takes its rows faster (one index
// build and one check of each reference for the whole table, rather than
// one for each row).
func (d Dialect) CreateTableWithoutKeys(schemaName string, t *Table) string {
	return d.createTable(schemaName, t, append(d.columnLines(t), d.checkLines(t)...))
}

// AddKeys writes the ALTER TABLE statement that gives a table made by
// CreateTableWithoutKeys what CreateTable would have given it, under the
// same names (PostgreSQL: TABLE_pkey, TABLE_COLUMN_fkey). The tables it
// refers to must have their keys by then.
func (d Dialect) AddKeys(schemaName string, t *Table) string {
	lines := d.keyLines(schemaName, t)
	for i, l := range lines {
		lines[i] = "  ADD " + strings.TrimSpace(l)
	}
	return "ALTER TABLE " + d.Qualified(schemaName, t.Name) + "\n" + strings.Join(lines, ",\n")
}

func (d Dialect) createTable(schemaName string, t *Table, lines []string) string {
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (\n%s\n)", d.Qualified(schemaName, t.Name), strings.Join(lines, ",\n"))
}

// columnLines are the lines of CREATE TABLE that state the columns, with
// their types, NOT NULL and checks.
func (d Dialect) columnLines(t *Table) []string {
	var lines []string
	for _, c := range t.Columns {
		l := "  " + d.Quote(c.Name) + " " + d.TypeName(c)
		if c.Identity && d == PostgreSQL {
			l += " GENERATED ALWAYS AS IDENTITY"
		}
		if c.NotNull {
			l += " NOT NULL"
		}
		if ch := d.ColumnCheck(c); ch != "" {
			l += " CHECK (" + ch + ")"
		}
		lines = append(lines, l)
	}
	return lines
}

// checkLines are the lines of CREATE TABLE that state the table's checks.
func (d Dialect) checkLines(t *Table) []string {
	var lines []string
	for _, ch := range t.Checks {
		lines = append(lines, "  CHECK ("+ch.SQL(d)+")")
	}
	return lines
}

// keyLines are the lines of CREATE TABLE that state the keys: primary,
// unique, foreign.
func (d Dialect) keyLines(schemaName string, t *Table) []string {
	lines := []string{"  PRIMARY KEY (" + d.list(t.PrimaryKey) + ")"}
	for _, u := range t.Unique {
		lines = append(lines, "  UNIQUE ("+d.list(u)+")")
	}
	for _, fk := range t.ForeignKeys {
		l := fmt.Sprintf("  FOREIGN KEY (%s) REFERENCES %s (%s)", d.list(fk.Columns), d.Qualified(schemaName, fk.Table), d.list(fk.References))
		if fk.Cascade {
			l += " ON DELETE CASCADE"
		}
		lines = append(lines, l+" DEFERRABLE INITIALLY DEFERRED")
	}
	return lines
}

func (d Dialect) list(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Insert writes an INSERT of one row of every column of t, with the
// dialect's placeholders.
func (d Dialect) Insert(schemaName string, t *Table) string { return d.InsertRows(schemaName, t, 1) }

// InsertRows writes an INSERT of n rows of every column of t, with the
// dialect's placeholders, the values row after row.
func (d Dialect) InsertRows(schemaName string, t *Table, n int) string {
	rows := make([]string, n)
	ph := make([]string, len(t.Columns))
	for r := range rows {
		for i := range ph {
			ph[i] = "?"
			if d == PostgreSQL {
				ph[i] = fmt.Sprintf("$%d", r*len(ph)+i+1)
			}
		}
		rows[r] = "(" + strings.Join(ph, ", ") + ")"
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", d.Qualified(schemaName, t.Name), d.list(t.ColumnNames()), strings.Join(rows, ", "))
}

// figure is a kind's main figure: its first required number or count the
// quote must state (amount, enterprises, documents), and what it counts: the
// column of its currency, or else the figure's own name.
type figure struct {
	value    string
	currency string // "" for a count
}

func figureOf(k *schema.Kind) figure {
	for _, c := range k.TableColumns() {
		if (c.Type == schema.Number || c.Type == schema.Integer) && c.Required && c.Derivable {
			f := figure{value: c.Name}
			if c.Type == schema.Number {
				for _, cur := range k.TableColumns() {
					if _, ok := cur.Rule("iso4217"); ok {
						f.currency = cur.Name
					}
				}
			}
			return f
		}
	}
	panic("sqltables: kind " + k.Name + " has no figure for the figures view")
}

// figuresColumns are the view's columns: id and kind, the figure as value
// and unit, then every other column that every kind's table has, in the
// first kind's order.
func figuresColumns() []string {
	cols := []string{"id", "kind", "value", "unit"}
	kinds := schema.Kinds()
	for _, c := range kinds[0].TableColumns() {
		if c.Name == "id" || c.Name == "kind" {
			continue
		}
		common := true
		for _, k := range kinds[1:] {
			o, ok := k.Column(c.Name)
			common = common && ok && o.Type == c.Type
		}
		if common {
			cols = append(cols, c.Name)
		}
	}
	return cols
}

// FiguresDoc is the comment of the figures view.
const FiguresDoc = "Every record of every kind, one row each, with its main figure as value (the amount, or the number of " +
	"enterprises or documents) and unit (the amount's currency, or what is counted), and the columns every kind has."

// CreateFiguresView writes the statement that creates (or replaces, in
// PostgreSQL, where that keeps the views that depend on it) the figures
// view.
func (d Dialect) CreateFiguresView(schemaName string) string {
	cols := figuresColumns()
	var selects []string
	for _, k := range schema.Kinds() {
		f := figureOf(k)
		value := d.Quote(f.value)
		unit := literal(f.value)
		if f.currency != "" {
			unit = d.Quote(f.currency)
		}
		if d == PostgreSQL {
			value += "::numeric"
		}
		exprs := []string{d.Quote("id"), d.Quote("kind"), value + " AS " + d.Quote("value"), unit + " AS " + d.Quote("unit")}
		for _, c := range cols[4:] {
			exprs = append(exprs, d.Quote(c))
		}
		selects = append(selects, "SELECT "+strings.Join(exprs, ", ")+" FROM "+d.Qualified(schemaName, k.Plural))
	}
	verb := "CREATE VIEW IF NOT EXISTS"
	if d == PostgreSQL {
		verb = "CREATE OR REPLACE VIEW"
	}
	return verb + " " + d.Qualified(schemaName, FiguresView) + " AS\n" + strings.Join(selects, "\nUNION ALL\n")
}

// DictionaryRow is one row of the _columns table.
type DictionaryRow struct {
	Table, Column string
	Position      int
	Type          string
	NotNull       bool
	Description   string
	Rules         string // "" for none
}

// ColumnRows returns the rows of _columns in dialect d: every column of
// every table, in table order, then those of extra (_run, _loads).
func (d Dialect) ColumnRows(extra ...*Table) []DictionaryRow {
	var rows []DictionaryRow
	for _, t := range append(tables[:len(tables):len(tables)], extra...) {
		for i, c := range t.Columns {
			rows = append(rows, DictionaryRow{Table: t.Name, Column: c.Name, Position: i + 1, Type: d.TypeName(c),
				NotNull: c.NotNull, Description: c.Doc, Rules: c.Rules})
		}
	}
	return rows
}

// TableRow is one row of the _tables table.
type TableRow struct{ Table, Description string }

// TableRows returns the rows of _tables: every table, then extra, then
// the view.
func TableRows(extra ...*Table) []TableRow {
	var rows []TableRow
	for _, t := range append(tables[:len(tables):len(tables)], extra...) {
		rows = append(rows, TableRow{t.Name, t.Doc})
	}
	return append(rows, TableRow{FiguresView, FiguresDoc})
}

// FiguresColumns returns the figures view's columns, each with its
// comment: value and unit their own, the others those of the records
// tables' columns of the same name.
func FiguresColumns() []Column {
	first := RecordsTable(schema.Kinds()[0])
	var out []Column
	for _, name := range figuresColumns() {
		switch name {
		case "value":
			out = append(out, Column{Name: name, Type: Decimal, NotNull: true,
				Doc: "The record's main figure: the amount invested, or the number of enterprises or of documents."})
		case "unit":
			out = append(out, Column{Name: name, Type: Text, NotNull: true,
				Doc: "What value counts: the amount's currency (ISO 4217), or enterprises, or documents."})
		default:
			out = append(out, *first.Column(name))
		}
	}
	return out
}
