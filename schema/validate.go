package schema

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// The controlled vocabularies of the contract.
var (
	// Qualifiers say how a source qualifies a figure.
	Qualifiers = []string{"exact", "about", "over", "under"}
	// Sectors are the sectors an investment can go to.
	Sectors = []string{"construction", "trade", "finance", "information_technology", "bus_manufacturing",
		"oil_gas_equipment", "chemical_equipment", "white_goods", "agriculture", "machine_building",
		"energy", "mining", "other"}
	// Areas are the areas of cooperation agreements can cover.
	Areas = []string{"culture", "science_technology", "education", "information_technology",
		"telecommunications", "energy", "mineral_resources", "trade", "tourism", "sport", "other"}
)

// SlugPattern is the pattern of record and source identifiers.
const SlugPattern = `^[a-z0-9][a-z0-9-]{0,63}$`

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// validate is the one validator instance: it caches struct metadata, and
// registration is not safe once validation has started, so everything is
// registered here, before first use.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	// Tags compare an amount as the float64 that holds it: exactly, since
	// every Decimal has at most 15 significant digits (see Decimal.Float64).
	v.RegisterCustomTypeFunc(func(d reflect.Value) any { return d.Interface().(Decimal).Float64() }, Decimal{})
	for tag, spec := range rules {
		if spec.check == nil {
			continue
		}
		if err := v.RegisterValidation(tag, spec.check); err != nil {
			panic(err)
		}
	}
	for _, k := range kinds {
		for _, rule := range k.crossRules {
			v.RegisterStructValidation(func(sl validator.StructLevel) {
				cur := sl.Current()
				if !cur.CanAddr() { // validated by value: work on a copy
					cp := reflect.New(cur.Type())
					cp.Elem().Set(cur)
					cur = cp.Elem()
				}
				rule.check(cur.Addr().Interface(), func(message string) {
					sl.ReportError(message, rule.Field, rule.Field, rule.Rule, "")
				})
			}, reflect.New(k.typ).Elem().Interface())
		}
	}
	return v
}

// isSlug reports whether s matches SlugPattern. It runs for every record,
// so it does by hand what the regular expression (kept for schemas and the
// tests that compare the two) says.
func isSlug(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' && i > 0) {
			return false
		}
	}
	return true
}

// isSHA256 reports whether s is 64 lowercase hexadecimal digits.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// controlAt returns the index of the first control character or invalid
// UTF-8 byte in s (or U+FFFE, U+FFFF, which XML and so a workbook cannot
// hold), or -1. ASCII, the common case, is checked byte by byte.
func controlAt(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF {
			return i // a literal U+FFFD (size 3) is allowed; the noncharacters are not valid in XML
		}
		i += size
	}
	return -1
}

// enterpriseParts checks that the parts of an enterprise count fit in it.
// Every count is at most 2^53-1, but the rule is computed exactly for any
// int64 all the same: a sum never wraps around.
var enterpriseParts = crossRule{
	Field: "joint_ventures", Rule: "sum_lte",
	Doc:    "joint_ventures + representative_offices must not exceed enterprises",
	Fields: []string{"joint_ventures", "representative_offices", "enterprises"},
	check: func(rec any, report func(message string)) {
		e := rec.(*EnterpriseCount)
		if e.Enterprises == nil || *e.Enterprises < 0 {
			return
		}
		var parts uint64 // two non-negative int64s: their sum fits
		for _, p := range []*int64{e.JointVentures, e.RepresentativeOffices} {
			if p != nil && *p > 0 {
				parts += uint64(*p)
			}
		}
		if parts > uint64(*e.Enterprises) {
			report(fmt.Sprintf("joint_ventures + representative_offices (%d) exceeds enterprises (%d)", parts, *e.Enterprises))
		}
	},
}

// Severity tells whether a problem fails validation.
type Severity int

const (
	// Error problems make the data invalid.
	Error Severity = iota
	// Warning problems are reported but fail only in strict mode.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// FieldError is one broken rule of one field.
type FieldError struct {
	// Field is the contract's field name, such as "joint_ventures".
	Field string
	// Index is the position of the offending element in a list field, or -1.
	Index int
	// Key is the offending entry of a map field ("as_of" of derived), or "".
	Key string
	// Rule is the tag or rule that failed, such as "required" or "sum_lte".
	Rule string
	// Param is the rule's parameter, such as "0" for gte=0.
	Param string
	// Message says what is wrong and how to fix it.
	Message  string
	Severity Severity
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s [%s]", e.Path(), e.Message, e.Rule)
}

// Path returns the field name with the list index or the map key, such as
// "sectors[2]" or "derived.as_of".
func (e *FieldError) Path() string {
	switch {
	case e.Key != "":
		return e.Field + "." + e.Key
	case e.Index >= 0:
		return e.Field + "[" + strconv.Itoa(e.Index) + "]"
	}
	return e.Field
}

// Validate checks a record or a *Source against every rule of its struct
// tags and its kind's cross-field rules. It returns nil when v is valid, and
// otherwise one FieldError per failing field (the first failing rule of
// each), in column order, with cross-field rules last.
//
// Validate is safe for concurrent use.
func Validate(v any) []FieldError {
	// Validating a struct value rather than a pointer saves allocations:
	// validator boxes every field of an addressable struct.
	err := validate.Struct(reflect.ValueOf(v).Elem().Interface())
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		// Only a nil or non-struct argument gets here: a programming error.
		panic(fmt.Sprintf("schema.Validate(%T): %v", v, err))
	}
	table := tableOf(v)
	out := make([]FieldError, 0, len(ves))
	for _, fe := range ves {
		out = append(out, toFieldError(fe, table))
	}
	return out
}

// tableOf returns the table describing v, a record or a *Source.
func tableOf(v any) *Table {
	if r, ok := v.(Record); ok {
		return KindOf(r).table
	}
	return sourceTable
}

// Warnings returns the advisories for a record: recommended fields that are
// absent.
func Warnings(r Record) []FieldError {
	var out []FieldError
	for _, c := range KindOf(r).recommended {
		if !c.Present(r) {
			out = append(out, FieldError{
				Field: c.Name, Index: -1, Rule: "recommended", Severity: Warning,
				Message: fmt.Sprintf("is missing; add %s (%s) so the figure can be placed in time", c.Name, hint(c)),
			})
		}
	}
	return out
}

func hint(c *Column) string {
	if c.Type == Date {
		return "YYYY-MM-DD"
	}
	return c.Doc
}

func toFieldError(fe validator.FieldError, table *Table) FieldError {
	field, index, key := splitIndex(fe.Field())
	e := FieldError{Field: field, Index: index, Key: key, Rule: fe.Tag(), Param: fe.Param()}
	switch spec, known := rules[e.Rule]; {
	case e.Rule == "required":
		e.Message = "is required; add " + field
		if c, ok := table.Column(field); ok && c.Doc != "" {
			e.Message += ": " + lowerFirst(strings.TrimSuffix(c.Doc, "."))
		}
	case table.crossRule(e.Rule) != nil:
		e.Message, _ = fe.Value().(string) // the rule's own words
	case known:
		e.Message = spec.message(&e, failure{value: fe.Value(), kind: fe.Kind(), table: table})
	default:
		e.Message = fmt.Sprintf("breaks rule %s=%s; got %s", e.Rule, e.Param, describe(fe.Value()))
	}
	return e
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// splitIndex splits "sectors[2]" into "sectors" and 2, and "derived[as_of]"
// into "derived" and the key "as_of".
func splitIndex(s string) (name string, index int, key string) {
	name, rest, ok := strings.Cut(s, "[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return s, -1, ""
	}
	inside := strings.TrimSuffix(rest, "]")
	if i, err := strconv.Atoi(inside); err == nil {
		return name, i, ""
	}
	return name, -1, inside
}

// columnName maps a Go field name in a rule parameter (nefield=Investor) to
// the contract's name.
func columnName(goName string) string {
	for _, k := range kinds {
		if f, ok := k.typ.FieldByName(goName); ok {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			return name
		}
	}
	return goName
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case Decimal:
		return x.String()
	case *int64:
		if x == nil {
			return "nothing"
		}
		return strconv.FormatInt(*x, 10)
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}

// repeated names the first value of a list that occurs twice.
func repeated(v any) string {
	list, ok := v.([]string)
	if !ok {
		return "remove the repeats"
	}
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s] {
			return fmt.Sprintf("%q appears more than once", s)
		}
		seen[s] = true
	}
	return "remove the repeats"
}

// underivable returns the keys of a derived map (the field fl) that name
// no field of the record that may be derived.
func underivable(fl validator.FieldLevel) []string {
	m, ok := fl.Field().Interface().(Derived)
	if !ok || len(m) == 0 {
		return nil
	}
	t := tableOfType(fl.Top().Type())
	var bad []string
	for key := range m {
		if c, ok := t.Column(key); !ok || !c.Derivable {
			bad = append(bad, key)
		}
	}
	return bad
}

// derivableMessage names the entries of derived that cannot be derived,
// and the fields that can.
func derivableMessage(m Derived, t *Table) string {
	var bad []string
	for key := range m {
		if c, ok := t.Column(key); !ok || !c.Derivable {
			bad = append(bad, strconv.Quote(key))
		}
	}
	slices.Sort(bad)
	return fmt.Sprintf("may name only fields whose value the quote does not state word for word (%s), not %s",
		strings.Join(t.derivable(), ", "), strings.Join(bad, ", "))
}
