package input

import (
	"errors"
	"fmt"
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

// node is a field value read from a document: a scalar, a list of them,
// or a mapping of keys to them (derived).
type node struct {
	kind    nodeKind
	text    string
	plain   bool // a YAML plain (unquoted) scalar
	pos     Position
	items   []node
	entries []field // a mapping's keys and values; their own lists and mappings are not kept
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
		if c.Computed {
			continue // computed again from the data, never trusted
		}
		it.fields = append(it.fields, fieldPos{name: c.Name, index: -1, pos: f.keyPos})
		for i, e := range f.val.items {
			it.fields = append(it.fields, fieldPos{name: c.Name, index: i, pos: e.pos})
		}
		for _, e := range f.val.entries {
			it.fields = append(it.fields, fieldPos{name: c.Name, index: -1, key: e.key, pos: e.keyPos})
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
		if !c.Computed {
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
		if isRangeError(err) {
			return outOfRange(c, v)
		}
		if err != nil {
			return typeErr("a whole number written in digits, such as 300")
		}
		c.SetInt(target, n)
	case schema.Number:
		// A YAML plain scalar that a float cannot hold (1e400) is read as
		// text by the YAML library: its digits decide here.
		if v.kind != nodeNumber && v.kind != nodeText && !(v.kind == nodeString && v.plain) {
			return typeErr("a number")
		}
		d, err := schema.ParseDecimal(v.text)
		if err != nil {
			return decimalError(c, v, err)
		}
		c.SetDecimal(target, d)
	case schema.TextMap:
		return setMap(target, c, v, typeErr)
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

// outOfRange is the problem of a number too large to be held, reported
// under the column's own bound (lte), as validation would report it.
func outOfRange(c *schema.Column, v node) *Error {
	rule, msg := "lte", fmt.Sprintf("is out of range; got %s", v.text)
	if r, ok := c.Rule("lte"); ok {
		msg = fmt.Sprintf("must be at most %s; got %s, which is out of range", plainBound(r.Param), v.text)
	} else {
		rule = RuleType
	}
	return errorf(v.pos, c.Name, rule, "%s", msg)
}

func plainBound(p string) string {
	if f, err := strconv.ParseFloat(p, 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return p
}

// decimalError is the problem of an amount that is no exact Decimal: the
// contract's limits (15 significant digits, 3 places), never a rounding.
func decimalError(c *schema.Column, v node, err error) *Error {
	var de *schema.DecimalError
	if !errors.As(err, &de) {
		return errorf(v.pos, c.Name, RuleType, "must be a number written in digits; got %q", v.text)
	}
	switch de.Reason {
	case schema.OutOfRange:
		return outOfRange(c, v)
	case schema.TooManyDigits:
		return errorf(v.pos, c.Name, RuleDigits,
			"has %d significant digits; at most %d are held exactly by a spreadsheet and every output, so write the figure as the source states it (rounded to %d digits at most)",
			de.Digits, schema.MaxDigits, schema.MaxDigits)
	case schema.TooManyPlaces:
		return errorf(v.pos, c.Name, RuleDigits, "%s; write at most %d decimal places (amounts are in currency units)", de.Error(), schema.MaxPlaces)
	case schema.NotFinite:
		return errorf(v.pos, c.Name, RuleType, "must be a finite number; got %s", v.text)
	}
	got := v.kind.String()
	if v.kind == nodeText || v.kind == nodeString || v.kind == nodeNumber {
		got = strconv.Quote(v.text)
	}
	return errorf(v.pos, c.Name, RuleType, "must be a number written in digits, such as 3000000000 or 2.5; got %s", got)
}

// setMap stores a mapping of field names to text (derived): an object in
// YAML and JSON, or in a CSV or workbook cell one "field: reason" per line.
func setMap(target any, c *schema.Column, v node, typeErr func(string) *Error) *Error {
	m := schema.Derived{}
	switch v.kind {
	case nodeMap:
		for _, e := range v.entries {
			if _, dup := m[e.key]; dup {
				return errorf(e.keyPos, c.Name, RuleDuplicateKey, "%s.%s is given twice; keep one", c.Name, e.key)
			}
			if e.val.kind != nodeString && !(e.val.plain && e.val.kind != nodeOther && e.val.kind != nodeNull) {
				return errorf(e.val.pos, c.Name, RuleType, "%s.%s must be text: the reason the quote does not state the figure; got %s",
					c.Name, e.key, e.val.kind)
			}
			m[e.key] = e.val.text
		}
	case nodeText:
		for i, line := range strings.Split(strings.ReplaceAll(v.text, "\r\n", "\n"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			key, reason, ok := strings.Cut(line, ":")
			key, reason = strings.TrimSpace(key), strings.TrimSpace(reason)
			if !ok || key == "" {
				return errorf(v.pos, c.Name, RuleType, "line %d of the cell must read \"field: reason\", such as \"as_of: the article's date\"; got %q", i+1, line)
			}
			if _, dup := m[key]; dup {
				return errorf(v.pos, c.Name, RuleDuplicateKey, "%s.%s is given twice; keep one", c.Name, key)
			}
			m[key] = reason
		}
	default:
		return typeErr("a mapping of fields to reasons, such as {as_of: \"the article's date\"}")
	}
	if len(m) > 0 {
		c.SetMap(target, m)
	}
	return nil
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
