package schema

import (
	"fmt"
	"reflect"
	"strings"
)

// Type is the type of a column's values, the same in every output format.
type Type int

// The column types.
const (
	String     Type = iota // text
	Integer                // whole number (int64)
	Number                 // decimal number (float64)
	Date                   // calendar date, YYYY-MM-DD
	Boolean                // true or false
	StringList             // list of text values
)

var typeNames = [...]string{String: "string", Integer: "integer", Number: "number", Date: "date", Boolean: "boolean", StringList: "list"}

// String returns the type's name as Table Schema spells it.
func (t Type) String() string { return typeNames[t] }

// Table is an ordered set of columns: a record kind's or the sources'.
type Table struct {
	// Name names the table, its file and its sheet.
	Name    string
	Columns []*Column
	byName  map[string]*Column
}

// Column returns the column with the given contract name.
func (t *Table) Column(name string) (*Column, bool) {
	c, ok := t.byName[name]
	return c, ok
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
	// Derived columns are computed by the pipeline and never read from input.
	Derived bool
	// Synthetic is true for the "kind" column, which has no struct field.
	Synthetic bool
	// Default is filled in by readers when the field is absent.
	Default string
	// Rules are the validate tag's rules for the value, without "required"
	// and "omitempty"; ElemRules are those after "dive", for list elements.
	Rules, ElemRules []Rule

	index   []int
	pointer bool
	value   string // the synthetic column's value
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
		Derived:     f.Tag.Get("derived") == "true",
		Recommended: f.Tag.Get("warn") == "recommended",
		Default:     f.Tag.Get("default"),
		index:       index,
	}
	t := f.Type
	if t.Kind() == reflect.Pointer {
		c.pointer = true
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		c.Type = String
	case reflect.Int64:
		c.Type = Integer
	case reflect.Float64:
		c.Type = Number
	case reflect.Bool:
		c.Type = Boolean
	case reflect.Slice:
		if t.Elem().Kind() != reflect.String {
			panic(fmt.Sprintf("schema: field %s: only lists of strings are supported", f.Name))
		}
		c.Type = StringList
	default:
		panic(fmt.Sprintf("schema: field %s: unsupported type %s", f.Name, f.Type))
	}
	rules := &c.Rules
	for _, part := range splitTag(f.Tag.Get("validate")) {
		tag, param, _ := strings.Cut(part, "=")
		switch tag {
		case "required":
			c.Required = true
		case "omitempty":
		case "dive":
			rules = &c.ElemRules
		case "datetime":
			c.Type = Date
			fallthrough
		default:
			*rules = append(*rules, Rule{Tag: tag, Param: param})
		}
	}
	return c
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
	return f, !f.IsZero() || c.Type == Boolean || c.Derived
}

// AlwaysPresent reports whether every valid record (or source) has a value
// for the column in the outputs: a required field, one the pipeline
// derives, the kind, or a boolean (false is a value). Writers make such a
// column not nullable.
func (c *Column) AlwaysPresent() bool {
	return c.Required || c.Derived || c.Synthetic || c.Type == Boolean
}

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

// Float returns a Number column's value and whether it is present.
func (c *Column) Float(rec any) (float64, bool) {
	v, ok := c.get(rec)
	if !ok {
		return 0, false
	}
	return v.Float(), true
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

// SetFloat sets a Number column.
func (c *Column) SetFloat(rec any, f float64) { c.target(rec).SetFloat(f) }

// SetBool sets a Boolean column.
func (c *Column) SetBool(rec any, b bool) { c.target(rec).SetBool(b) }

// SetList sets a StringList column.
func (c *Column) SetList(rec any, l []string) { c.target(rec).Set(reflect.ValueOf(l)) }
