package schema

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
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

// CustomTags describes the validator tags this package registers, for
// schemas and the data dictionary: the tag and what it requires.
var CustomTags = map[string]string{
	"slug":      "lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 characters",
	"qualifier": "one of " + strings.Join(Qualifiers, ", "),
	"sector":    "one of " + strings.Join(Sectors, ", "),
	"area":      "one of " + strings.Join(Areas, ", "),
	"finite":    "a finite number (not NaN or infinity)",
	"nocontrol": "valid UTF-8 text without control characters (nor U+FFFE or U+FFFF)",
	"sha256":    "64 lowercase hexadecimal digits",
}

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
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(v.RegisterValidation("slug", func(fl validator.FieldLevel) bool { return isSlug(fl.Field().String()) }))
	must(v.RegisterValidation("sha256", func(fl validator.FieldLevel) bool { return isSHA256(fl.Field().String()) }))
	must(v.RegisterValidation("qualifier", oneOf(Qualifiers)))
	must(v.RegisterValidation("sector", oneOf(Sectors)))
	must(v.RegisterValidation("area", oneOf(Areas)))
	must(v.RegisterValidation("finite", func(fl validator.FieldLevel) bool {
		f := fl.Field().Float()
		return !math.IsNaN(f) && !math.IsInf(f, 0)
	}))
	must(v.RegisterValidation("nocontrol", func(fl validator.FieldLevel) bool { return controlAt(fl.Field().String()) < 0 }))
	for _, k := range kinds {
		if k.crossRule != nil {
			rule := k.crossRule.check
			v.RegisterStructValidation(func(sl validator.StructLevel) {
				cur := sl.Current()
				if !cur.CanAddr() { // validated by value: work on a copy
					cp := reflect.New(cur.Type())
					cp.Elem().Set(cur)
					cur = cp.Elem()
				}
				rule(cur.Addr().Interface(), func(field, tag, param string, value any) {
					sl.ReportError(value, field, field, tag, param)
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

func oneOf(words []string) validator.Func {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return func(fl validator.FieldLevel) bool { return set[fl.Field().String()] }
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

// enterpriseRules checks that the parts of an enterprise count fit in it.
var enterpriseRules = crossRule{
	Field: "joint_ventures", Rule: "sum_lte",
	Doc:   "joint_ventures + representative_offices must not exceed enterprises",
	check: checkEnterpriseParts,
}

func checkEnterpriseParts(rec any, report func(field, rule, param string, value any)) {
	e := rec.(*EnterpriseCount)
	if e.Enterprises == nil || *e.Enterprises < 0 {
		return
	}
	var parts int64
	for _, p := range []*int64{e.JointVentures, e.RepresentativeOffices} {
		if p != nil && *p > 0 {
			parts += *p
		}
	}
	if parts > *e.Enterprises {
		report("joint_ventures", "sum_lte", strconv.FormatInt(*e.Enterprises, 10), parts)
	}
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

// Path returns the field name with the list index, such as "sectors[2]".
func (e *FieldError) Path() string {
	if e.Index >= 0 {
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
	field, index := splitIndex(fe.Field())
	e := FieldError{Field: field, Index: index, Rule: fe.Tag(), Param: fe.Param()}
	if e.Rule == "required" {
		e.Message = "is required; add " + field
		if c, ok := table.Column(field); ok && c.Doc != "" {
			e.Message += ": " + lowerFirst(strings.TrimSuffix(c.Doc, "."))
		}
		return e
	}
	e.Message = message(e, fe.Kind(), fe.Value())
	return e
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// splitIndex splits "sectors[2]" into "sectors" and 2.
func splitIndex(s string) (string, int) {
	name, rest, ok := strings.Cut(s, "[")
	if !ok {
		return s, -1
	}
	i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if err != nil {
		return s, -1
	}
	return name, i
}

// message builds the text for a broken rule: what is wrong, what was found,
// and what to write instead.
func message(e FieldError, kind reflect.Kind, value any) string {
	got := describe(value)
	p := e.Param
	switch e.Rule {
	case "slug":
		return fmt.Sprintf("must be a slug (%s), got %s; write it like kr-kz-investment-2008", CustomTags["slug"], got)
	case "iso3166_1_alpha2":
		return fmt.Sprintf("must be an ISO 3166-1 alpha-2 country code in capitals, such as KZ or KR; got %s", got)
	case "iso4217":
		return fmt.Sprintf("must be an ISO 4217 currency code in capitals, such as USD; got %s", got)
	case "qualifier", "sector", "area":
		return fmt.Sprintf("must be %s; got %s", CustomTags[e.Rule], got)
	case "finite":
		return fmt.Sprintf("must be a finite number; got %s", got)
	case "nocontrol":
		s, _ := value.(string)
		i := controlAt(s)
		r, _ := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError {
			return fmt.Sprintf("holds invalid UTF-8 at byte %d; save the file as UTF-8", i)
		}
		if r == 0xFFFE || r == 0xFFFF {
			return fmt.Sprintf("holds the noncharacter %U at byte %d, which a workbook cannot hold (U+FFFE is a byte order mark read the wrong way round: was the text UTF-16?); remove it", r, i)
		}
		return fmt.Sprintf("holds the control character %U at byte %d; remove it or replace it with a space", r, i)
	case "sha256":
		return fmt.Sprintf("must be a SHA-256 digest (%s); got %s", CustomTags["sha256"], got)
	case "http_url":
		return fmt.Sprintf("must be an http or https URL; got %s", got)
	case "datetime":
		return fmt.Sprintf("must be a real date written YYYY-MM-DD, such as 2008-09-30; got %s", got)
	case "unique":
		return fmt.Sprintf("must not repeat a value; %s", repeated(value))
	case "nefield":
		return fmt.Sprintf("must differ from %s; both are %s", columnName(p), got)
	case "sum_lte":
		return fmt.Sprintf("joint_ventures + representative_offices (%s) exceeds enterprises (%s)", got, p)
	case "gt", "gte", "lt", "lte", "min", "max", "len":
		return bound(e.Rule, p, kind, got, value)
	}
	return fmt.Sprintf("breaks rule %s=%s; got %s", e.Rule, p, got)
}

func bound(rule, p string, kind reflect.Kind, got string, value any) string {
	words := map[string]string{"gt": "greater than", "gte": "at least", "lt": "less than", "lte": "at most",
		"min": "at least", "max": "at most", "len": "exactly"}[rule]
	switch kind {
	case reflect.String:
		n := utf8.RuneCountInString(value.(string))
		return fmt.Sprintf("must be %s %s characters long; it has %d", words, p, n)
	case reflect.Slice:
		return fmt.Sprintf("must hold %s %s values; it has %d", words, p, reflect.ValueOf(value).Len())
	}
	if f, err := strconv.ParseFloat(p, 64); err == nil {
		p = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprintf("must be %s %s; got %s", words, p, got)
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
	case *float64:
		if x == nil {
			return "nothing"
		}
		return describe(*x)
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
