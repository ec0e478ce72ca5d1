package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// The rules of the contract, one entry per validate tag: how a value is
// checked, what a broken rule says, how the data dictionary words it, and
// what the JSON Schemas and Table Schemas say of it. Everything that reads
// the tags (Validate, Describe, Constraints) goes through this table, so a
// new rule is one entry here and a tag on a struct field.

// ruleSpec is what the package knows of one validate tag.
type ruleSpec struct {
	// check is the validator function of a tag this package registers;
	// nil for a tag that validator has built in.
	check validator.Func
	// message says what is wrong with the value that breaks the rule, and
	// how to fix it.
	message func(e *FieldError, f failure) string
	// words say what the rule requires, for the data dictionary and the
	// schemas' descriptions: "ISO 4217 currency code (such as USD)". t is
	// the column's type (the element type, for list elements).
	words func(r Rule, t Type) string
	// constrain adds what the rule requires of a value of column c to a
	// schema's constraints; nil when neither JSON Schema nor Table Schema
	// can say it (the rule is then named in notExpressed).
	constrain func(k *Constraints, r Rule, c *Column)
}

// rules maps every validate tag used by the record structs to its spec
// (required, omitempty and dive are structure, read by newColumn).
var rules = map[string]ruleSpec{
	"slug": {
		check: func(fl validator.FieldLevel) bool { return isSlug(fl.Field().String()) },
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be a slug (%s), got %s; write it like kr-kz-investment-2008", slugWords, describe(f.value))
		},
		words:     fixed(slugWords),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Pattern = SlugPattern },
	},
	"sha256": {
		check: func(fl validator.FieldLevel) bool { return isSHA256(fl.Field().String()) },
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be a SHA-256 digest (%s); got %s", sha256Words, describe(f.value))
		},
		words:     fixed(sha256Words),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Pattern = sha256RE.String() },
	},
	"qualifier": vocabulary(Qualifiers),
	"sector":    vocabulary(Sectors),
	"area":      vocabulary(Areas),
	"nocontrol": {
		check:     func(fl validator.FieldLevel) bool { return controlAt(fl.Field().String()) < 0 },
		message:   controlMessage,
		words:     fixed("valid UTF-8 text without control characters (nor U+FFFE or U+FFFF)"),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Pattern = controlPattern },
	},
	"visible": {
		check: func(fl validator.FieldLevel) bool {
			n, err := strconv.Atoi(fl.Param())
			return err == nil && visibleCount(fl.Field().String(), n) >= n
		},
		message: func(e *FieldError, f failure) string {
			s, _ := f.value.(string)
			return fmt.Sprintf("must hold at least %s visible characters (letters, digits or punctuation), not only white space or invisible ones; it has %d",
				e.Param, visibleCount(s, -1))
		},
		words: func(r Rule, _ Type) string {
			return "at least " + r.Param + " of them visible (letters, digits or punctuation)"
		},
	},
	"derivable": {
		check: func(fl validator.FieldLevel) bool { return len(underivable(fl)) == 0 },
		message: func(e *FieldError, f failure) string {
			m, _ := f.value.(Derived)
			return derivableMessage(m, f.table)
		},
		words: func(Rule, Type) string {
			return "a field the record has, mapped to the reason the quote does not state it word for word"
		},
		constrain: func(k *Constraints, _ Rule, c *Column) { k.Keys = c.keys },
	},
	"iso3166_1_alpha2": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be an ISO 3166-1 alpha-2 country code in capitals, such as KZ or KR; got %s%s", describe(f.value), lookAlike(f.value, nil))
		},
		words:     fixed("ISO 3166-1 alpha-2 country code (such as KZ)"),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Pattern = "^[A-Z]{2}$" },
	},
	"iso4217": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be an ISO 4217 currency code in capitals, such as USD; got %s%s", describe(f.value), lookAlike(f.value, nil))
		},
		words:     fixed("ISO 4217 currency code (such as USD)"),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Pattern = "^[A-Z]{3}$" },
	},
	"datetime": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be a real date written YYYY-MM-DD, such as 2008-09-30; got %s", describe(f.value))
		},
		words: fixed("a date written YYYY-MM-DD"),
		constrain: func(k *Constraints, _ Rule, _ *Column) {
			k.Format = "date"
			k.Pattern = datePattern
		},
	},
	"http_url": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be an http or https URL; got %s", describe(f.value))
		},
		words: fixed("an http or https URL"),
		constrain: func(k *Constraints, _ Rule, _ *Column) {
			// The scheme in any case, as export validate reads it.
			k.Format = "uri"
			k.Pattern = "^[Hh][Tt][Tt][Pp][Ss]?://"
		},
	},
	"unique": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must not repeat a value; %s", repeated(f.value))
		},
		words:     fixed("no value repeated"),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.UniqueItems = true },
	},
	"nefield": {
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must differ from %s; both are %s", columnName(e.Param), describe(f.value))
		},
		words: func(r Rule, _ Type) string { return "different from " + columnName(r.Param) },
	},
	// Bounds of a number's value (gt, gte, lt, lte) and of a text's or a
	// list's length (min, max, len), as the record structs use them.
	"gt":  bound("greater than", func(k *Constraints, p any) { k.ExclusiveMinimum = p }),
	"gte": bound("at least", func(k *Constraints, p any) { k.Minimum = p }),
	"lt":  bound("less than", func(k *Constraints, p any) { k.ExclusiveMaximum = p }),
	"lte": bound("at most", func(k *Constraints, p any) { k.Maximum = p }),
	"min": bound("at least", func(k *Constraints, p any) { k.MinLength = p }),
	"max": bound("at most", func(k *Constraints, p any) { k.MaxLength = p }),
	"len": bound("exactly", func(k *Constraints, p any) { k.MinLength, k.MaxLength = p, p }),
}

// Every tag of every record struct must have an entry in rules: a typo in
// a tag would otherwise panic only when validator first meets it.
func init() {
	for _, t := range append([]*Table{sourceTable}, tablesOfKinds()...) {
		for _, c := range t.Columns {
			for _, r := range append(slices.Clone(c.Rules), c.ElemRules...) {
				if _, ok := rules[r.Tag]; !ok {
					panic(fmt.Sprintf("schema: column %s.%s: tag %q has no entry in the rules table", t.Name, c.Name, r.Tag))
				}
			}
		}
	}
}

func tablesOfKinds() []*Table {
	var out []*Table
	for _, k := range kinds {
		out = append(out, k.table)
	}
	return out
}

// failure is what a message is built from: the value that broke a rule,
// its kind (string, slice, …), and the table of the record or source.
type failure struct {
	value any
	kind  reflect.Kind
	table *Table
}

const (
	slugWords   = "lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 characters"
	sha256Words = "64 lowercase hexadecimal digits"
)

func fixed(words string) func(Rule, Type) string { return func(Rule, Type) string { return words } }

// vocabulary is the spec of a tag whose values are a list of words.
func vocabulary(words []string) ruleSpec {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	oneOf := "one of " + strings.Join(words, ", ")
	return ruleSpec{
		check: func(fl validator.FieldLevel) bool { return set[fl.Field().String()] },
		message: func(e *FieldError, f failure) string {
			return fmt.Sprintf("must be %s; got %s%s", oneOf, describe(f.value), lookAlike(f.value, words))
		},
		words:     fixed(oneOf),
		constrain: func(k *Constraints, _ Rule, _ *Column) { k.Enum = words },
	}
}

// bound is the spec of a comparison with the tag's parameter: of a
// number, or of the length of a text or a list.
func bound(words string, constrain func(k *Constraints, p any)) ruleSpec {
	return ruleSpec{
		message: func(e *FieldError, f failure) string {
			switch f.kind {
			case reflect.String:
				return fmt.Sprintf("must be %s %s characters long; it has %d", words, e.Param, utf8.RuneCountInString(f.value.(string)))
			case reflect.Slice:
				return fmt.Sprintf("must hold %s %s values; it has %d", words, e.Param, reflect.ValueOf(f.value).Len())
			}
			return fmt.Sprintf("must be %s %s; got %s", words, plainNumber(e.Param), describe(f.value))
		},
		words: func(r Rule, t Type) string {
			switch t {
			case String:
				return words + " " + r.Param + " characters"
			case StringList:
				return words + " " + r.Param + " values"
			}
			return words + " " + plainNumber(r.Param)
		},
		constrain: func(k *Constraints, r Rule, _ *Column) { constrain(k, ruleNumber(r.Param)) },
	}
}

// lookAlike says, for a text that differs from one of words (or, with no
// words, from plain ASCII) only by characters that look alike, which
// characters they are and what to write: ", which contains Cyrillic о
// (U+043E) where over has o; write over". It returns "" otherwise.
func lookAlike(v any, words []string) string {
	s, ok := v.(string)
	if !ok {
		return ""
	}
	if words == nil {
		words = []string{asciiSkeleton(s)}
	}
	if w, why, ok := Homoglyph(s, words); ok {
		return ", which " + why + "; write " + w
	}
	return ""
}

// plainNumber writes a rule's numeric parameter without an exponent:
// 1e13 as 10000000000000.
func plainNumber(p string) string {
	if f, err := strconv.ParseFloat(p, 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return p
}

// visibleCount counts the letters, digits and punctuation of s, stopping
// once it reaches limit (when limit >= 0).
func visibleCount(s string, limit int) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsPunct(r) {
			if n++; n == limit {
				break
			}
		}
	}
	return n
}

func controlMessage(e *FieldError, f failure) string {
	s, _ := f.value.(string)
	i := controlAt(s)
	r, _ := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError {
		return fmt.Sprintf("holds invalid UTF-8 at byte %d; save the file as UTF-8", i)
	}
	if r == 0xFFFE || r == 0xFFFF {
		return fmt.Sprintf("holds the noncharacter %U at byte %d, which a workbook cannot hold (U+FFFE is a byte order mark read the wrong way round: was the text UTF-16?); remove it", r, i)
	}
	return fmt.Sprintf("holds the control character %U at byte %d; remove it or replace it with a space", r, i)
}

// A cross-field rule involves several fields of one record; a kind lists
// its own (kinds.go). Validate runs them after the tags.
type crossRule struct {
	// Field and Rule name the field and rule a failure is reported under.
	Field, Rule string
	// Doc says what the rule requires, for the data dictionary.
	Doc string
	// Fields are the fields the rule involves (see CrossFieldRule).
	Fields []string
	// check reports a failure through report, with the message that says
	// what was found.
	check func(rec any, report func(message string))
}
