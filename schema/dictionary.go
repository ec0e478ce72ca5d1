package schema

import (
	"fmt"
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
	case c.Computed:
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

// describeRule words one rule for a value of type t.
func describeRule(r Rule, t Type) string {
	if spec, ok := rules[r.Tag]; ok && spec.words != nil {
		return spec.words(r, t)
	}
	return fmt.Sprintf("%s=%s", r.Tag, r.Param)
}
