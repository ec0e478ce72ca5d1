package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// Describe returns the column's rules in words, derived from its tags, for
// data dictionaries and schema descriptions: "required; ISO 3166-1 alpha-2
// country code (such as KZ); different from investor".
func (c *Column) Describe() string {
	var parts []string
	switch {
	case c.Synthetic:
		return "required; the kind's name"
	case c.Derived:
		return "computed by export, not read from input"
	case c.Required:
		parts = append(parts, "required")
	case c.Recommended:
		parts = append(parts, "optional (a warning when absent)")
	default:
		parts = append(parts, "optional")
	}
	if c.Default != "" {
		parts = append(parts, "default "+c.Default)
	}
	for _, r := range c.Rules {
		parts = append(parts, describeRule(r, c.Type))
	}
	if len(c.ElemRules) > 0 {
		var elem []string
		for _, r := range c.ElemRules {
			elem = append(elem, describeRule(r, String))
		}
		parts = append(parts, "each value "+strings.Join(elem, ", "))
	}
	return strings.Join(parts, "; ")
}

func describeRule(r Rule, t Type) string {
	if f, err := strconv.ParseFloat(r.Param, 64); err == nil && (t == Number || t == Integer) {
		r.Param = strconv.FormatFloat(f, 'f', -1, 64)
	}
	unit := ""
	switch t {
	case String:
		unit = " characters"
	case StringList:
		unit = " values"
	}
	switch r.Tag {
	case "gt":
		return "greater than " + r.Param + unit
	case "gte", "min":
		return "at least " + r.Param + unit
	case "lt":
		return "less than " + r.Param + unit
	case "lte", "max":
		return "at most " + r.Param + unit
	case "len":
		return "exactly " + r.Param + unit
	case "iso3166_1_alpha2":
		return "ISO 3166-1 alpha-2 country code (such as KZ)"
	case "iso4217":
		return "ISO 4217 currency code (such as USD)"
	case "datetime":
		return "a date written YYYY-MM-DD"
	case "unique":
		return "no value repeated"
	case "nefield":
		return "different from " + columnName(r.Param)
	case "http_url":
		return "an http or https URL"
	}
	if d, ok := CustomTags[r.Tag]; ok {
		return d
	}
	return fmt.Sprintf("%s=%s", r.Tag, r.Param)
}
