package schema

import (
	"fmt"
	"reflect"
)

// kinds is the registry of record kinds, in the order tables are written.
// Adding a kind is one struct in records.go and one line here.
var kinds = []*Kind{
	newKind[InvestmentTotal]("investment_total", "investment_totals", "Total investment of one country in another."),
	newKind[EnterpriseCount]("enterprise_count", "enterprise_counts", "Enterprises with one country's capital operating in another.", &enterpriseParts),
	newKind[AgreementCount]("agreement_count", "agreement_counts", "Documents (agreements) between countries."),
}

// sourceTable describes the sources table.
var sourceTable = newTable(reflect.TypeFor[Source](), "sources")

// Kind describes one kind of record: its name, its table and its columns.
type Kind struct {
	// Name is the value of the kind field, such as "investment_total".
	Name string
	// Plural names the kind's table, file and sheet, such as "investment_totals".
	Plural string
	// Doc says what a record of this kind states.
	Doc string

	table       *Table
	typ         reflect.Type
	crossRules  []*crossRule
	recommended []*Column // columns whose absence is a warning
	derived     *Column   // the derived column
}

// CrossFieldRule is a rule of a kind that involves several fields.
type CrossFieldRule struct {
	Field, Rule, Doc string
	// Fields are the fields the rule involves, in the rule's order (for
	// sum_lte: the parts, then the field their sum must not exceed), so
	// that a database can state the rule as a CHECK.
	Fields []string
}

// CrossFieldRules returns the kind's rules that involve several fields
// (beyond those written as tags, such as nefield).
func (k *Kind) CrossFieldRules() []CrossFieldRule {
	var out []CrossFieldRule
	for _, r := range k.crossRules {
		out = append(out, CrossFieldRule{Field: r.Field, Rule: r.Rule, Doc: r.Doc, Fields: r.Fields})
	}
	return out
}

func newKind[T any](name, plural, doc string, rules ...*crossRule) *Kind {
	t := reflect.TypeFor[T]()
	if !reflect.PointerTo(t).Implements(reflect.TypeFor[Record]()) {
		panic(fmt.Sprintf("schema: %s does not embed Base and Provenance", t))
	}
	k := &Kind{Name: name, Plural: plural, Doc: doc, table: newTable(t, plural), typ: t, crossRules: rules}
	k.table.cross = rules
	k.derived, _ = k.table.Column("derived")
	if k.derived == nil || k.derived.Type != TextMap {
		panic(fmt.Sprintf("schema: kind %s has no derived field", name))
	}
	for _, c := range k.table.Columns {
		if c.Recommended {
			k.recommended = append(k.recommended, c)
		}
	}
	return k
}

// Kinds returns every registered kind, in table order.
func Kinds() []*Kind { return kinds }

// KindNames returns the names of every kind, in table order.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// LookupKind returns the kind with the given name.
func LookupKind(name string) (*Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

// KindOf returns the kind of a record.
func KindOf(r Record) *Kind {
	t := reflect.TypeOf(r).Elem()
	for _, k := range kinds {
		if k.typ == t {
			return k
		}
	}
	panic(fmt.Sprintf("schema: %T is not a registered kind", r))
}

// New returns a new, empty record of this kind with its defaults set.
func (k *Kind) New() Record {
	v := reflect.New(k.typ)
	for _, c := range k.table.Columns {
		if c.Default != "" {
			c.field(v.Elem()).SetString(c.Default)
		}
	}
	return v.Interface().(Record)
}

// Columns returns the kind's columns in output order: the record's own
// fields (with "kind" after "id"), then the provenance columns.
func (k *Kind) Columns() []*Column { return k.table.Columns }

// TableColumns returns the columns that table formats have (CSV, the
// workbook, Parquet), in output order: all but stated (see InTables).
func (k *Kind) TableColumns() []*Column { return k.table.TableColumns() }

// Column returns the column with the given contract name.
func (k *Kind) Column(name string) (*Column, bool) { return k.table.Column(name) }

// Table returns the table that describes the kind's columns.
func (k *Kind) Table() *Table { return k.table }

// SourceTable returns the table that describes sources.
func SourceTable() *Table { return sourceTable }

// NewSource returns a new, empty source.
func NewSource() *Source { return new(Source) }
