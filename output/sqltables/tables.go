package sqltables

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"export/schema"
)

// Type is a column's type; each Dialect names it.
type Type int

// The column types.
const (
	Text      Type = iota // text
	Integer               // whole number (int64)
	Decimal               // exact amount, DECIMAL(18,3)
	Date                  // calendar date
	Boolean               // true or false
	List                  // list of text values, in a record's table
	JSON                  // a JSON value (metadata tables only)
	Timestamp             // a point in time (metadata tables only)
)

// Role says what a table holds.
type Role int

// The roles of tables.
const (
	Records    Role = iota // one row per record of a kind
	Items                  // one row per value of a record's list column
	Derived                // one row per entry of a record's derived
	Stated                 // one row per span of a record's stated
	Sources                // one row per declared source
	Dictionary             // the data dictionary: _columns, _tables
)

// Table is one table of the database.
type Table struct {
	// Name is the table's name, such as investment_totals.
	Name string
	// Doc says what a row is, for the table's comment.
	Doc        string
	Role       Role
	Columns    []*Column
	PrimaryKey []string
	// Unique lists further sets of columns whose values do not repeat.
	Unique      [][]string
	ForeignKeys []ForeignKey
	// Checks are the table's checks that involve several columns.
	Checks []Check

	// Kind is the kind whose records (or their lists) the table holds;
	// nil for sources and the dictionary.
	Kind *schema.Kind
	// Of is the column of Kind a child table holds the values of (sectors,
	// derived, stated); nil for other tables.
	Of *schema.Column
	// Parent is the records table of a child table.
	Parent *Table
}

// Column is one column of a table.
type Column struct {
	Name    string
	Type    Type
	NotNull bool
	// Int32 is true for an Integer column whose bounds fit in 32 bits
	// (PostgreSQL: integer rather than bigint).
	Int32 bool
	// Identity is true for a key the database numbers itself (PostgreSQL:
	// GENERATED ALWAYS AS IDENTITY).
	Identity bool
	// Doc says what the column means; Rules says what a value must be, in
	// words (schema.Column.Describe).
	Doc, Rules string
	// Checks are what a present value must be.
	Checks []Check
	// Schema is the column of package schema the values come from: the
	// record's column, or a list's, derived's or stated's for a child
	// table's value columns; nil for the key columns of a child table and
	// for the dictionary.
	Schema *schema.Column
}

// Comment is the column's comment: what it means, then its rules.
func (c *Column) Comment() string {
	if c.Rules == "" {
		return c.Doc
	}
	return strings.TrimSpace(c.Doc + " Rules: " + c.Rules + ".")
}

// ForeignKey is a reference from a table's columns to another table's key.
type ForeignKey struct {
	Columns    []string
	Table      string
	References []string
	// Cascade deletes the rows of a child table with their record.
	Cascade bool
}

// Column returns the table's column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ColumnNames returns the names of the table's columns, in order.
func (t *Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// The names of the dictionary tables.
const (
	ColumnsTable = "_columns"
	TablesTable  = "_tables"
	// FiguresView is the view over every kind.
	FiguresView = "figures"
)

var tables = build()

// Tables returns every table, in the order they are created: sources,
// then each kind's records table followed by its child tables, then the
// dictionary. A table's references come before it.
func Tables() []*Table { return tables }

// Lookup returns the table with the given name.
func Lookup(name string) (*Table, bool) {
	for _, t := range tables {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// RecordsTable returns the records table of kind k.
func RecordsTable(k *schema.Kind) *Table {
	for _, t := range tables {
		if t.Role == Records && t.Kind == k {
			return t
		}
	}
	panic("sqltables: no table for kind " + k.Name)
}

// Children returns the child tables of a records table, in column order.
func (t *Table) Children() []*Table {
	var out []*Table
	for _, c := range tables {
		if c.Parent == t {
			out = append(out, c)
		}
	}
	return out
}

func build() []*Table {
	src := sourcesTable()
	out := []*Table{src}
	for _, k := range schema.Kinds() {
		rec := recordsTable(k, src)
		out = append(out, rec)
		for _, c := range k.Columns() {
			switch c.Type {
			case schema.StringList:
				out = append(out, itemsTable(rec, c))
			case schema.TextMap:
				out = append(out, derivedTable(rec, c))
			case schema.SpanMap:
				out = append(out, statedTable(rec, c))
			}
		}
	}
	out = append(out, columnsTable(), tablesTable())
	names := map[string]bool{}
	for _, t := range out {
		if names[t.Name] {
			panic("sqltables: two tables named " + t.Name)
		}
		names[t.Name] = true
	}
	return out
}

func sourcesTable() *Table {
	t := &Table{Name: schema.SourceTable().Name, Role: Sources, PrimaryKey: []string{"id"},
		Doc: "The sources the figures come from, one row per declared source."}
	for _, c := range schema.SourceTable().Columns {
		t.Columns = append(t.Columns, column(c, ""))
	}
	return t
}

func recordsTable(k *schema.Kind, src *Table) *Table {
	t := &Table{Name: k.Plural, Role: Records, Kind: k, PrimaryKey: []string{"id"},
		Doc: k.Doc + " One row per record of kind " + k.Name + "; its lists, derived and stated are in the tables " +
			k.Name + "_*, and every kind's figure is in the view " + FiguresView + ".",
		ForeignKeys: []ForeignKey{{Columns: []string{"source"}, Table: src.Name, References: []string{"id"}}}}
	for _, c := range k.TableColumns() {
		t.Columns = append(t.Columns, column(c, k.Name))
		for _, r := range c.Rules {
			if r.Tag == "nefield" {
				other := otherColumn(k, r.Param)
				t.Checks = append(t.Checks, Check{op: notEqual, columns: []string{c.Name, other}})
			}
		}
	}
	for _, r := range k.CrossFieldRules() {
		t.Checks = append(t.Checks, crossCheck(k, r))
	}
	return t
}

// crossCheck states a kind's cross-field rule in SQL. A rule this function
// does not know panics, so that a new rule cannot go without its CHECK
// unnoticed (the package's tests build every table).
func crossCheck(k *schema.Kind, r schema.CrossFieldRule) Check {
	switch r.Rule {
	case "sum_lte":
		if len(r.Fields) < 2 {
			break
		}
		for _, f := range r.Fields {
			if _, ok := k.Column(f); !ok {
				panic(fmt.Sprintf("sqltables: kind %s: rule %s names %s, which is not a column", k.Name, r.Rule, f))
			}
		}
		return Check{op: sumAtMost, columns: r.Fields}
	}
	panic(fmt.Sprintf("sqltables: kind %s: cross-field rule %s has no SQL form; add one to crossCheck", k.Name, r.Rule))
}

// otherColumn returns the contract name of the column a nefield rule names
// by its Go field name (Investor: investor, JointVentures: joint_ventures).
func otherColumn(k *schema.Kind, goName string) string {
	var b strings.Builder
	for i, r := range goName {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	if _, ok := k.Column(b.String()); !ok {
		panic(fmt.Sprintf("sqltables: kind %s: nefield=%s names no column", k.Name, goName))
	}
	return b.String()
}

// column turns a schema column into a table column: its type, NOT NULL,
// comment and checks. kind is the kind's name for its kind column ("" for
// sources).
func column(c *schema.Column, kind string) *Column {
	col := &Column{Name: c.Name, NotNull: c.AlwaysPresent(), Doc: c.Doc, Rules: c.Describe(), Schema: c}
	k := c.Constraints()
	switch c.Type {
	case schema.String:
		col.Type = Text
		col.Checks = textChecks(c.Name, k)
		if c.Synthetic {
			col.Checks = []Check{{op: enum, columns: []string{c.Name}, values: []string{kind}}}
		}
	case schema.Integer:
		col.Type = Integer
		col.Checks = rangeChecks(c.Name, k)
		col.Int32 = fits32(k)
	case schema.Number:
		col.Type = Decimal
		col.Checks = rangeChecks(c.Name, k)
	case schema.Date:
		col.Type = Date // the type says it all: a real date
	case schema.Boolean:
		col.Type = Boolean
	case schema.StringList:
		col.Type = List
		if k.MinLength != nil || k.MaxLength != nil {
			col.Checks = []Check{{op: count, columns: []string{c.Name}, min: k.MinLength, max: k.MaxLength}}
		}
	case schema.TextMap:
		col.Type = Text // one "field: reason" per line, as in CSV; the entries are in the derived table
	default:
		panic(fmt.Sprintf("sqltables: column %s has type %v, which has no table column", c.Name, c.Type))
	}
	return col
}

// textChecks are the checks of a text value's constraints.
func textChecks(name string, k schema.Constraints) []Check {
	var out []Check
	cols := []string{name}
	if k.Enum != nil {
		out = append(out, Check{op: enum, columns: cols, values: k.Enum})
	}
	if k.MinLength != nil || k.MaxLength != nil {
		out = append(out, Check{op: length, columns: cols, min: k.MinLength, max: k.MaxLength})
	}
	if k.Pattern != "" && k.Format != "date" {
		out = append(out, Check{op: pattern, columns: cols, pattern: k.Pattern})
	}
	return out
}

// rangeChecks are the checks of a number's bounds.
func rangeChecks(name string, k schema.Constraints) []Check {
	var out []Check
	cols := []string{name}
	for _, b := range []struct {
		op Op
		v  any
	}{{gte, k.Minimum}, {gt, k.ExclusiveMinimum}, {lte, k.Maximum}, {lt, k.ExclusiveMaximum}} {
		if b.v != nil {
			out = append(out, Check{op: b.op, columns: cols, bound: b.v})
		}
	}
	return out
}

// fits32 reports whether the bounds keep an integer within 32 bits.
func fits32(k schema.Constraints) bool {
	lo, hi := bound(k.Minimum), bound(k.Maximum)
	return lo != nil && hi != nil && *lo >= math.MinInt32 && *hi <= math.MaxInt32
}

func bound(v any) *float64 {
	switch v := v.(type) {
	case int64:
		f := float64(v)
		return &f
	case float64:
		return &v
	}
	return nil
}

// keyColumn is a child table's reference to its record.
func keyColumn(parent *Table) *Column {
	return &Column{Name: "id", Type: Text, NotNull: true,
		Doc: "Identifier of the record (" + parent.Name + ".id)."}
}

// singular names one value of a list: sectors: sector, parties: party.
func singular(plural string) string {
	if s, ok := strings.CutSuffix(plural, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(plural, "s")
}

func childTable(parent *Table, c *schema.Column, role Role, suffix, doc string) *Table {
	return &Table{Name: parent.Kind.Name + "_" + suffix, Role: role, Kind: parent.Kind, Of: c, Parent: parent, Doc: doc,
		ForeignKeys: []ForeignKey{{Columns: []string{"id"}, Table: parent.Name, References: []string{"id"}, Cascade: true}}}
}

// itemsTable holds the values of a list column, one row each, in order.
func itemsTable(parent *Table, c *schema.Column) *Table {
	value := singular(c.Name)
	t := childTable(parent, c, Items, c.Name,
		fmt.Sprintf("The values of %s.%s, one row per value: filter a BI tool's %s on %s here. %s", parent.Name, c.Name, parent.Name, value, c.Doc))
	k := c.Constraints()
	var item schema.Constraints
	if k.Items != nil {
		item = *k.Items
	}
	t.Columns = []*Column{
		keyColumn(parent),
		{Name: "position", Type: Integer, NotNull: true, Int32: true,
			Doc:    "Place of the value in the list, from 1 (a list keeps its order).",
			Checks: []Check{{op: gte, columns: []string{"position"}, bound: int64(1)}}},
		{Name: value, Type: Text, NotNull: true, Schema: c,
			Doc:    "One value of " + c.Name + ".",
			Rules:  itemRules(c),
			Checks: textChecks(value, item)},
	}
	// The key is the value (a list holds no value twice): one index,
	// which a filter on the value by id uses; position keeps the order.
	t.PrimaryKey = []string{"id", value}
	return t
}

// itemRules words the rules of one value of a list column.
func itemRules(c *schema.Column) string {
	d := c.Describe()
	if _, each, ok := strings.Cut(d, "each value "); ok {
		return each
	}
	return d
}

// derivedTable holds derived's entries: the fields a record derives, with
// the reasons.
func derivedTable(parent *Table, c *schema.Column) *Table {
	t := childTable(parent, c, Derived, c.Name,
		fmt.Sprintf("The entries of %s.%s, one row per field: %s", parent.Name, c.Name, c.Doc))
	k := c.Constraints()
	var reason schema.Constraints
	if k.Items != nil {
		reason = *k.Items
	}
	t.Columns = []*Column{
		keyColumn(parent),
		{Name: "field", Type: Text, NotNull: true, Schema: c,
			Doc:    "The field derived rather than stated by the quote.",
			Rules:  "one of " + strings.Join(c.Keys(), ", "),
			Checks: []Check{{op: enum, columns: []string{"field"}, values: c.Keys()}}},
		{Name: "reason", Type: Text, NotNull: true, Schema: c,
			Doc:    "Why the quote does not state it word for word.",
			Rules:  itemRules(c),
			Checks: textChecks("reason", reason)},
	}
	t.PrimaryKey = []string{"id", "field"}
	return t
}

// statedTable holds stated's spans: the words of the quote that state
// each field.
func statedTable(parent *Table, c *schema.Column) *Table {
	t := childTable(parent, c, Stated, c.Name,
		fmt.Sprintf("The words of each %s record's quote that state its figures, one row per field: %s", parent.Kind.Name, c.Doc))
	t.Columns = []*Column{
		keyColumn(parent),
		{Name: "field", Type: Text, NotNull: true, Schema: c,
			Doc:    "The field the words state.",
			Rules:  "one of " + strings.Join(c.Keys(), ", "),
			Checks: []Check{{op: enum, columns: []string{"field"}, values: c.Keys()}}},
		{Name: "text", Type: Text, NotNull: true, Schema: c, Doc: "The words, as the quote has them."},
		{Name: "start", Type: Integer, NotNull: true, Int32: true, Schema: c,
			Doc:    "Where the words start in the quote, in Unicode code points from 0.",
			Checks: []Check{{op: gte, columns: []string{"start"}, bound: int64(0)}}},
		{Name: "end", Type: Integer, NotNull: true, Int32: true, Schema: c,
			Doc: "Where the words end in the quote (exclusive), in Unicode code points."},
	}
	t.PrimaryKey = []string{"id", "field"}
	t.Checks = []Check{{op: atMost, columns: []string{"start", "end"}}}
	return t
}

func columnsTable() *Table {
	return &Table{Name: ColumnsTable, Role: Dictionary, PrimaryKey: []string{"table_name", "column_name"},
		Doc: "The data dictionary: every column of every table, with its type, meaning and rules.",
		Columns: []*Column{
			{Name: "table_name", Type: Text, NotNull: true, Doc: "The table."},
			{Name: "column_name", Type: Text, NotNull: true, Doc: "The column."},
			{Name: "position", Type: Integer, NotNull: true, Int32: true, Doc: "Place of the column in the table, from 1."},
			{Name: "type", Type: Text, NotNull: true, Doc: "The column's declared type in this database."},
			{Name: "not_null", Type: Boolean, NotNull: true, Doc: "True when every row has a value."},
			{Name: "description", Type: Text, NotNull: true, Doc: "What the column means."},
			{Name: "rules", Type: Text, Doc: "What a value must be, in words; the table's CHECK constraints state what SQL can."},
		}}
}

func tablesTable() *Table {
	return &Table{Name: TablesTable, Role: Dictionary, PrimaryKey: []string{"table_name"},
		Doc: "The data dictionary: every table, with what a row of it is.",
		Columns: []*Column{
			{Name: "table_name", Type: Text, NotNull: true, Doc: "The table or view."},
			{Name: "description", Type: Text, NotNull: true, Doc: "What a row of it is."},
		}}
}

// Names returns every table, view and column name, sorted, without
// repeats: for checking them against a database's keywords.
func Names() []string {
	var names []string
	for _, t := range tables {
		names = append(names, t.Name)
		names = append(names, t.ColumnNames()...)
	}
	names = append(names, FiguresView)
	names = append(names, figuresColumns()...)
	slices.Sort(names)
	return slices.Compact(names)
}

// RunTable is figures.sqlite's _run: one row with what manifest.json says
// of the run that wrote the file (the manifest itself is written after it,
// so its hash cannot be here).
func RunTable() *Table {
	return &Table{Name: "_run", Role: Dictionary, PrimaryKey: []string{"tool"},
		Doc: "The run of export that wrote this file, as manifest.json describes it: one row.",
		Columns: []*Column{
			{Name: "tool", Type: Text, NotNull: true, Doc: "The program that wrote the file."},
			{Name: "version", Type: Text, NotNull: true, Doc: "Its version."},
			{Name: "created", Type: Timestamp, Doc: "When, from SOURCE_DATE_EPOCH (RFC 3339, UTC); absent without it, as no clock is read."},
			{Name: "errors", Type: Integer, NotNull: true, Doc: "Errors of the validation (0: the outputs are written only when it passes)."},
			{Name: "warnings", Type: Integer, NotNull: true, Doc: "Warnings of the validation."},
			{Name: "records", Type: JSON, NotNull: true, Doc: "Records written per kind, as a JSON object."},
			{Name: "inputs", Type: JSON, NotNull: true, Doc: "The input files, as a JSON array of objects with path, sha256 and bytes."},
		}}
}

// LoadsTable is PostgreSQL's _loads: one row per load by export load,
// never changed once written.
func LoadsTable() *Table {
	return &Table{Name: "_loads", Role: Dictionary, PrimaryKey: []string{"load_id"},
		Doc: "Every load of this schema by export load, one row each: what was loaded, from which run.",
		Columns: []*Column{
			{Name: "load_id", Type: Integer, NotNull: true, Identity: true, Doc: "Identifier of the load, counting up."},
			{Name: "loaded_at", Type: Timestamp, NotNull: true, Doc: "When the load ran (the start of its transaction, by the database's clock)."},
			{Name: "manifest_sha256", Type: Text, NotNull: true, Doc: "SHA-256 of the manifest.json loaded: the same outputs have the same one."},
			{Name: "tool", Type: Text, NotNull: true, Doc: "The program that wrote the outputs."},
			{Name: "version", Type: Text, NotNull: true, Doc: "Its version."},
			{Name: "loader_version", Type: Text, NotNull: true, Doc: "The version of export that loaded them."},
			{Name: "created", Type: Timestamp, Doc: "When the outputs were written, from SOURCE_DATE_EPOCH; absent without it."},
			{Name: "inputs", Type: JSON, NotNull: true, Doc: "The input files of the run, with path, sha256 and bytes."},
			{Name: "rows", Type: JSON, NotNull: true, Doc: "Rows loaded per table."},
		}}
}
