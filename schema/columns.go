package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Type is the type of a column's values, the same in every output format.
type Type int

// The column types.
const (
	String     Type = iota // text
	Integer                // whole number (int64)
	Number                 // exact decimal number (Decimal)
	Date                   // calendar date, YYYY-MM-DD
	Boolean                // true or false
	StringList             // list of text values
	TextMap                // field names mapped to text (Derived)
	SpanMap                // field names mapped to a part of the quote (Stated)
)

var typeNames = [...]string{String: "string", Integer: "integer", Number: "number", Date: "date", Boolean: "boolean",
	StringList: "list", TextMap: "object", SpanMap: "object"}

// String returns the type's name as Table Schema spells it.
func (t Type) String() string { return typeNames[t] }

// Table is an ordered set of columns: a record kind's or the sources'.
type Table struct {
	// Name names the table, its file and its sheet.
	Name    string
	Columns []*Column
	byName  map[string]*Column
	cross   []*crossRule // the kind's cross-field rules
}

// Column returns the column with the given contract name.
func (t *Table) Column(name string) (*Column, bool) {
	c, ok := t.byName[name]
	return c, ok
}

// TableColumns returns the columns that table formats have: all but the
// stated words (see Column.InTables).
func (t *Table) TableColumns() []*Column {
	out := make([]*Column, 0, len(t.Columns))
	for _, c := range t.Columns {
		if c.InTables() {
			out = append(out, c)
		}
	}
	return out
}

// crossRule returns the table's cross-field rule named rule, or nil.
func (t *Table) crossRule(rule string) *crossRule {
	for _, r := range t.cross {
		if r.Rule == rule {
			return r
		}
	}
	return nil
}

// derivable lists the names of the columns a record may derive, in
// column order.
func (t *Table) derivable() []string {
	var names []string
	for _, c := range t.Columns {
		if c.Derivable {
			names = append(names, c.Name)
		}
	}
	return names
}

// tableOfType returns the table of a record struct or Source type.
func tableOfType(t reflect.Type) *Table {
	for _, k := range kinds {
		if k.typ == t {
			return k.table
		}
	}
	return sourceTable
}

// Column is one field of a table, derived from a struct field and its tags.
type Column struct {
	// Name is the contract's field name (the json tag).
	Name string
	Type Type
	// Doc says what the column means.
	Doc string
	// Required is true when the validate tag starts with "required".
	Required bool
	// Recommended is true when absence is a warning (warn:"recommended").
	Recommended bool
	// Computed columns are filled in by the pipeline and never read from
	// input.
	Computed bool
	// Derivable is true for a field the quote must state unless the
	// record declares it in derived (derivable:"true").
	Derivable bool
	// Synthetic is true for the "kind" column, which has no struct field.
	Synthetic bool
	// Default is filled in by readers when the field is absent.
	Default string
	// Rules are the validate tag's rules for the value, without "required"
	// and "omitempty"; ElemRules are those after "dive", for list elements.
	Rules, ElemRules []Rule

	index   []int
	pointer bool
	keys    []string // a TextMap's or SpanMap's keys: the derivable columns, in order
}

// Rule is one validator tag with its parameter, such as {Tag: "gte", Param: "0"}.
type Rule struct {
	Tag, Param string
}

func newTable(t reflect.Type, name string) *Table {
	tb := &Table{Name: name, byName: map[string]*Column{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			if f.Anonymous {
				walk(f.Type, idx)
				continue
			}
			c := newColumn(f, idx)
			tb.add(c)
			if c.Name == "id" && t == reflect.TypeFor[Base]() {
				tb.add(&Column{Name: "kind", Type: String, Required: true, Synthetic: true,
					Doc: "Kind of record: " + name + " rows all have the same kind."})
			}
		}
	}
	walk(t, nil)
	for _, c := range tb.Columns {
		if c.Type == TextMap || c.Type == SpanMap {
			c.keys = tb.derivable()
		}
	}
	return tb
}

func (t *Table) add(c *Column) {
	if _, dup := t.byName[c.Name]; dup {
		panic(fmt.Sprintf("schema: table %s has two columns named %q", t.Name, c.Name))
	}
	t.Columns = append(t.Columns, c)
	t.byName[c.Name] = c
}

func newColumn(f reflect.StructField, index []int) *Column {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		panic(fmt.Sprintf("schema: field %s has no json name", f.Name))
	}
	c := &Column{
		Name:        name,
		Doc:         f.Tag.Get("doc"),
		Computed:    f.Tag.Get("computed") == "true",
		Derivable:   f.Tag.Get("derivable") == "true",
		Recommended: f.Tag.Get("warn") == "recommended",
		Default:     f.Tag.Get("default"),
		index:       index,
	}
	t := f.Type
	if t.Kind() == reflect.Pointer {
		c.pointer = true
		t = t.Elem()
	}
	typ, ok := columnTypes[t]
	if !ok {
		panic(fmt.Sprintf("schema: field %s: unsupported type %s", f.Name, f.Type))
	}
	c.Type = typ
	target := &c.Rules
	for _, part := range splitTag(f.Tag.Get("validate")) {
		tag, param, _ := strings.Cut(part, "=")
		switch tag {
		case "required":
			c.Required = true
		case "omitempty":
		case "dive":
			target = &c.ElemRules
		case "datetime":
			c.Type = Date
			fallthrough
		default:
			*target = append(*target, Rule{Tag: tag, Param: param})
		}
	}
	return c
}

// columnTypes maps the Go types of record fields to column types.
var columnTypes = map[reflect.Type]Type{
	reflect.TypeFor[string]():   String,
	reflect.TypeFor[int64]():    Integer,
	reflect.TypeFor[Decimal]():  Number,
	reflect.TypeFor[bool]():     Boolean,
	reflect.TypeFor[[]string](): StringList,
	reflect.TypeFor[Derived]():  TextMap,
	reflect.TypeFor[Stated]():   SpanMap,
}

// splitTag splits a validate tag on commas. (Our tags hold no escaped commas.)
func splitTag(tag string) []string {
	if tag == "" {
		return nil
	}
	return strings.Split(tag, ",")
}

// Rule returns the column's rule with the given tag, if it has one.
func (c *Column) Rule(tag string) (Rule, bool) {
	for _, r := range c.Rules {
		if r.Tag == tag {
			return r, true
		}
	}
	return Rule{}, false
}

// field returns the struct field of the column in v, a struct value.
func (c *Column) field(v reflect.Value) reflect.Value {
	return v.FieldByIndex(c.index)
}

// target returns the settable value for the column in rec, allocating the
// pointer of an optional number.
func (c *Column) target(rec any) reflect.Value {
	f := c.field(reflect.ValueOf(rec).Elem())
	if c.pointer {
		if f.IsNil() {
			f.Set(reflect.New(f.Type().Elem()))
		}
		f = f.Elem()
	}
	return f
}

// get returns the column's value in rec and whether it is present.
func (c *Column) get(rec any) (reflect.Value, bool) {
	f := c.field(reflect.ValueOf(rec).Elem())
	if c.pointer {
		if f.IsNil() {
			return f, false
		}
		return f.Elem(), true
	}
	return f, !f.IsZero() && (c.Type != TextMap || f.Len() > 0) || c.Type == Boolean || c.Computed
}

// AlwaysPresent reports whether every valid record (or source) has a value
// for the column in the outputs: a required field, one the pipeline
// derives, the kind, or a boolean (false is a value). Writers make such a
// column not nullable.
func (c *Column) AlwaysPresent() bool {
	return c.Required || c.Computed || c.Synthetic || c.Type == Boolean
}

// InTables reports whether table formats (CSV, the workbook's columns,
// Parquet) have the column: all but the stated words, which JSON carries
// as an object and the workbook as notes on the figures' cells.
func (c *Column) InTables() bool { return c.Type != SpanMap }

// Present reports whether rec (a *Source or a Record) holds a value for the
// column. Absent values are written as empty cells or JSON null.
func (c *Column) Present(rec any) bool {
	if c.Synthetic {
		return true
	}
	_, ok := c.get(rec)
	return ok
}

// Text returns a String or Date column's value ("" when absent). For the
// synthetic kind column it returns the record's kind name.
func (c *Column) Text(rec any) string {
	if c.Synthetic {
		return KindOf(rec.(Record)).Name
	}
	return c.field(reflect.ValueOf(rec).Elem()).String()
}

// Int returns an Integer column's value and whether it is present.
func (c *Column) Int(rec any) (int64, bool) {
	v, ok := c.get(rec)
	if !ok {
		return 0, false
	}
	return v.Int(), true
}

// Decimal returns a Number column's value and whether it is present.
func (c *Column) Decimal(rec any) (Decimal, bool) {
	v, ok := c.get(rec)
	if !ok {
		return Decimal{}, false
	}
	return v.Interface().(Decimal), true
}

// Bool returns a Boolean column's value.
func (c *Column) Bool(rec any) bool {
	return c.field(reflect.ValueOf(rec).Elem()).Bool()
}

// List returns a StringList column's values (nil when absent).
func (c *Column) List(rec any) []string {
	return c.field(reflect.ValueOf(rec).Elem()).Interface().([]string)
}

// SetText sets a String or Date column.
func (c *Column) SetText(rec any, s string) { c.target(rec).SetString(s) }

// SetInt sets an Integer column.
func (c *Column) SetInt(rec any, n int64) { c.target(rec).SetInt(n) }

// SetDecimal sets a Number column.
func (c *Column) SetDecimal(rec any, d Decimal) { c.target(rec).Set(reflect.ValueOf(d)) }

// SetBool sets a Boolean column.
func (c *Column) SetBool(rec any, b bool) { c.target(rec).SetBool(b) }

// SetList sets a StringList column.
func (c *Column) SetList(rec any, l []string) { c.target(rec).Set(reflect.ValueOf(l)) }

// Entry is one entry of a TextMap column: derived's field and reason.
type Entry struct{ Key, Text string }

// Entries returns a TextMap column's entries: those whose key is a column
// of the record in column order, then any other key in sorted order (which
// validation refuses). It returns nil when the map is absent.
func (c *Column) Entries(rec any) []Entry {
	m, _ := c.field(reflect.ValueOf(rec).Elem()).Interface().(Derived)
	if len(m) == 0 {
		return nil
	}
	out := make([]Entry, 0, len(m))
	for _, k := range c.keys {
		if text, ok := m[k]; ok {
			out = append(out, Entry{k, text})
		}
	}
	if len(out) < len(m) {
		var others []string
		for k := range m {
			if !slices.Contains(c.keys, k) {
				others = append(others, k)
			}
		}
		slices.Sort(others)
		for _, k := range others {
			out = append(out, Entry{k, m[k]})
		}
	}
	return out
}

// Keys returns the keys a TextMap column may hold: the names of the
// record's derivable columns, in column order.
func (c *Column) Keys() []string { return slices.Clone(c.keys) }

// SetMap sets a TextMap column.
func (c *Column) SetMap(rec any, m Derived) { c.target(rec).Set(reflect.ValueOf(m)) }

// Spans returns a SpanMap column's spans.
func (c *Column) Spans(rec any) Stated {
	return c.field(reflect.ValueOf(rec).Elem()).Interface().(Stated)
}
