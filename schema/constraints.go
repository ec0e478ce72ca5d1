package schema

import (
	"regexp"
	"strconv"
)

// Constraints is what a column's rules require of a present value, in the
// vocabulary that JSON Schema and Frictionless Table Schema share. It is
// the one translation of the validate tags into schema keywords: the JSON
// Schemas (jsonschema.go) and the Table Schemas of the data package
// (package output) are both written from it, so they cannot drift apart.
//
// Rules that neither schema language can state (nefield, sum_lte,
// visible, the ISO code lists, real calendar dates, a URL's host, an
// amount's digits) have no field here; they are the ones only export
// validate checks (notExpressed in jsonschema.go lists them).
type Constraints struct {
	// Pattern is a regular expression the value must match, anchored with
	// ^ and $ where it must match the whole value. It uses only syntax
	// that ECMA-262 (JSON Schema), RE2 (Go), Python's re and Rust's regex
	// read alike: character classes with \xHH escapes, counted repeats,
	// groups and alternation.
	Pattern string
	// Enum lists the values allowed, when the rule is a vocabulary.
	Enum []string
	// Format is the JSON Schema format: "date" or "uri".
	Format string
	// Minimum, Maximum, ExclusiveMinimum and ExclusiveMaximum bound a
	// number: an int64 when the bound is whole, else a float64; nil when
	// there is no such bound.
	Minimum, Maximum, ExclusiveMinimum, ExclusiveMaximum any
	// MinLength and MaxLength bound the characters (Unicode code points)
	// of a text, or the number of values of a list: an int64, or nil.
	MinLength, MaxLength any
	// UniqueItems is true when the values of a list must not repeat.
	UniqueItems bool
	// Items constrains each value of a list, or of a map (derived); nil
	// for other columns.
	Items *Constraints
	// Keys lists the keys a map may hold (derived: the fields a record may
	// derive); nil for other columns.
	Keys []string
}

// controlPattern matches a text without control characters (Unicode
// category Cc: U+0000-U+001F and U+007F-U+009F) and without the
// noncharacters U+FFFE and U+FFFF, as nocontrol requires. Those two are
// written as they are: ECMA-262 and RE2 share no escape for them.
const controlPattern = "^[^\\x00-\\x1f\\x7f-\\x9f\uFFFE\uFFFF]*$"

// datePattern is the shape of a YYYY-MM-DD date; that the date exists on
// the calendar only export validate checks.
const datePattern = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`

// Constraints returns what the column's rules require of a present value.
// A required text column whose other rules would accept "" gets MinLength
// 1: required means non-empty, and an empty text is how a file writes an
// absent one.
func (c *Column) Constraints() Constraints {
	var k Constraints
	for _, r := range c.Rules {
		k.apply(r, c)
	}
	if len(c.ElemRules) > 0 {
		items := &Constraints{}
		for _, r := range c.ElemRules {
			items.apply(r, c)
		}
		k.Items = items
	}
	if c.Required && !c.Synthetic && c.Type == String && k.MinLength == nil && k.allowsEmpty() {
		k.MinLength = int64(1)
	}
	return k
}

// allowsEmpty reports whether "" meets the constraints on a text.
func (k *Constraints) allowsEmpty() bool {
	if len(k.Enum) > 0 {
		return false
	}
	return k.Pattern == "" || regexp.MustCompile(k.Pattern).MatchString("")
}

// apply adds what one rule of column c requires of a value.
func (k *Constraints) apply(r Rule, c *Column) {
	if spec := rules[r.Tag]; spec.constrain != nil {
		spec.constrain(k, r, c)
	}
}

// ruleNumber parses a rule's parameter: an int64 when it is whole (so that
// 1e13 is written 10000000000000), else a float64.
func ruleNumber(p string) any {
	if f, err := strconv.ParseFloat(p, 64); err == nil {
		if f == float64(int64(f)) {
			return int64(f)
		}
		return f
	}
	return p
}
