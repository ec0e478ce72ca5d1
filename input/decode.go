package input

import (
	"math"
	"strconv"
	"strings"

	"export/schema"
)

// nodeKind is what a value in a YAML or JSON document is.
type nodeKind int

const (
	nodeNull nodeKind = iota
	nodeString
	nodeNumber
	nodeBool
	nodeDate  // a YAML timestamp
	nodeOther // a YAML scalar of another tag, such as !!binary
	nodeList
	nodeMap
	nodeText // a CSV cell: text that may hold any type
)

func (k nodeKind) String() string {
	return [...]string{"null", "text", "a number", "true or false", "a date", "a tagged value", "a list", "an object", "text"}[k]
}

// node is a field value read from a document: a scalar, or a list of them.
type node struct {
	kind  nodeKind
	text  string
	plain bool // a YAML plain (unquoted) scalar
	pos   Position
	items []node
}

// field is a key and its value, as read from one object of a document.
type field struct {
	key    string
	keyPos Position
	val    node
}

// buildItem turns the fields of one object into a record or source item.
// isSource says whether the object declares a source (it sits under
// "sources:", or has "type": "source" in JSON Lines). Fields whose name or
// value is longer than maxField bytes are left out, and their problems
// come first (limitFields): here, so that no reader can forget it.
func buildItem(pos Position, fields []field, isSource bool, maxField int) *Item {
	fields, tooLong := limitFields(fields, maxField)
	it := &Item{Pos: pos, Problems: tooLong}
	seen := make(map[string]Position, len(fields))
	var table *schema.Table
	var target any
	if isSource {
		it.Source = schema.NewSource()
		table, target = schema.SourceTable(), it.Source
	} else {
		kindField, ok := findField(fields, "kind")
		switch {
		case !ok:
			it.Problems = append(it.Problems, errorf(pos, "kind", RuleKind,
				"kind is required; add kind: one of %s", strings.Join(schema.KindNames(), ", ")))
		case kindField.val.kind != nodeString && kindField.val.kind != nodeText:
			it.Problems = append(it.Problems, errorf(kindField.val.pos, "kind", RuleKind,
				"kind must be one of %s; got %s", strings.Join(schema.KindNames(), ", "), kindField.val.kind))
		default:
			k, ok := schema.LookupKind(kindField.val.text)
			if !ok {
				it.Problems = append(it.Problems, errorf(kindField.val.pos, "kind", RuleKind,
					"unknown kind %q; use one of %s", kindField.val.text, strings.Join(schema.KindNames(), ", ")))
			} else {
				it.Kind, it.Record = k, k.New()
				table, target = k.Table(), it.Record
			}
		}
	}
	for _, f := range fields {
		if first, dup := seen[f.key]; dup {
			it.Problems = append(it.Problems, errorf(f.keyPos, f.key, RuleDuplicateKey,
				"%s is given twice (first at line %d); keep one", f.key, first.Line))
			continue
		}
		seen[f.key] = f.keyPos
		if f.key == "id" && (f.val.kind == nodeString || f.val.kind == nodeText || f.val.plain) {
			it.ID = f.val.text
		}
		if table == nil || (!isSource && f.key == "kind") {
			continue
		}
		c, ok := table.Column(f.key)
		if !ok {
			it.Problems = append(it.Problems, unknownField(f.keyPos, f.key, table))
			continue
		}
		if c.Derived {
			continue // computed again from the data, never trusted
		}
		it.fields = append(it.fields, fieldPos{name: c.Name, index: -1, pos: f.keyPos})
		for i, e := range f.val.items {
			it.fields = append(it.fields, fieldPos{name: c.Name, index: i, pos: e.pos})
		}
		if p := setField(target, c, f.val); p != nil {
			it.Problems = append(it.Problems, p)
		}
	}
	return it
}

func findField(fields []field, key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

func unknownField(pos Position, key string, table *schema.Table) *Error {
	var known []string
	for _, c := range table.Columns {
		if !c.Derived {
			known = append(known, c.Name)
		}
	}
	what := strings.TrimSuffix(table.Name, "s")
	if strings.ContainsRune("aeiou", rune(what[0])) {
		what = "an " + what
	} else {
		what = "a " + what
	}
	return errorf(pos, key, RuleUnknownField, "unknown field %q for %s; the fields are %s",
		key, what, strings.Join(known, ", "))
}

// setField stores v in the column c of target. A null value leaves the
// field absent.
func setField(target any, c *schema.Column, v node) *Error {
	if v.kind == nodeNull || (v.kind == nodeText && v.text == "") {
		return nil
	}
	typeErr := func(want string) *Error {
		got := v.kind.String()
		if v.kind == nodeText || v.kind == nodeString {
			got = strconv.Quote(v.text)
		}
		return errorf(v.pos, c.Name, RuleType, "must be %s; got %s", want, got)
	}
	switch c.Type {
	case schema.String:
		switch {
		case v.kind == nodeString || v.kind == nodeText:
		case v.plain && v.kind != nodeOther:
			// An unquoted YAML scalar is text as written: pages: 190-191.
		default:
			return typeErr("text")
		}
		c.SetText(target, v.text)
	case schema.Date:
		if v.kind != nodeString && v.kind != nodeText && v.kind != nodeDate {
			return typeErr("a date written YYYY-MM-DD")
		}
		c.SetText(target, v.text)
	case schema.Integer:
		if v.kind != nodeNumber && v.kind != nodeText {
			return typeErr("a whole number")
		}
		n, err := strconv.ParseInt(v.text, 10, 64)
		if err != nil {
			return typeErr("a whole number written in digits, such as 300")
		}
		c.SetInt(target, n)
	case schema.Number:
		if v.kind != nodeNumber && v.kind != nodeText {
			return typeErr("a number")
		}
		f, ok := parseNumber(v.text)
		if !ok {
			return typeErr("a number written in digits, such as 3000000000 or 2.5")
		}
		c.SetFloat(target, f)
	case schema.StringList:
		if v.kind == nodeText { // a CSV cell: ;-separated
			var list []string
			for _, s := range strings.Split(v.text, ";") {
				list = append(list, strings.TrimSpace(s))
			}
			c.SetList(target, list)
			return nil
		}
		if v.kind != nodeList {
			return typeErr("a list, such as [a, b]")
		}
		list := make([]string, 0, len(v.items))
		for i, e := range v.items {
			if e.kind != nodeString && !(e.plain && e.kind != nodeOther && e.kind != nodeNull) {
				return errorf(e.pos, c.Name, RuleType,
					"element %d must be text; got %s", i, e.kind)
			}
			list = append(list, e.text)
		}
		c.SetList(target, list)
	default:
		return typeErr("a value that is computed, not read")
	}
	return nil
}

// parseNumber parses a decimal number: digits with an optional sign,
// fraction and exponent, or a YAML special float (.nan, .inf).
func parseNumber(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case ".nan":
		return math.NaN(), true
	case ".inf", "+.inf":
		return math.Inf(1), true
	case "-.inf":
		return math.Inf(-1), true
	}
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return f, true
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
