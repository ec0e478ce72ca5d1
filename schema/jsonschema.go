package schema

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// JSON Schemas (draft 2020-12), generated from the struct tags.
//
// Rules a JSON Schema cannot express are left to export validate and named
// in the descriptions: a field that must differ from another (nefield), the
// sum of enterprise parts (sum_lte), the exact lists of ISO 3166-1 and ISO
// 4217 codes (the schema checks their shape: two or three capitals), real
// calendar dates (the schema checks the YYYY-MM-DD shape), and everything
// that involves several records or files (unique ids, declared sources,
// quotes found in the source's text).

const (
	draft2020 = "https://json-schema.org/draft/2020-12/schema"
	// DatasetSchemaID and FiguresSchemaID identify the two schemas.
	DatasetSchemaID = "https://export.invalid/schema/dataset.schema.json"
	FiguresSchemaID = "https://export.invalid/schema/figures.schema.json"
)

type obj = map[string]any

// DatasetJSONSchema returns the JSON Schema of an input dataset file (YAML
// or JSON): sources and records, one branch per kind selected by "kind".
func DatasetJSONSchema() []byte {
	defs := obj{"source": tableSchema(sourceTable, true, "A source: a published document that figures are taken from.")}
	var branches []any
	for _, k := range kinds {
		defs[k.Name] = tableSchema(k.table, true, k.Doc)
		branches = append(branches, obj{
			"if":   obj{"properties": obj{"kind": obj{"const": k.Name}}, "required": []string{"kind"}},
			"then": obj{"$ref": "#/$defs/" + k.Name},
		})
	}
	defs["record"] = obj{
		"description": "A record: its kind selects its fields.",
		"type":        "object",
		"required":    []string{"kind"},
		"properties":  obj{"kind": obj{"enum": KindNames()}},
		"allOf":       branches,
	}
	return marshal(obj{
		"$schema":              draft2020,
		"$id":                  DatasetSchemaID,
		"title":                "export dataset file",
		"description":          "A dataset file of export: the sources figures come from, and the records that state them. " + notExpressed,
		"type":                 "object",
		"additionalProperties": false,
		"properties": obj{
			"$schema": obj{"type": "string", "description": "The JSON Schema this file follows (JSON files only)."},
			"sources": obj{"type": []string{"array", "null"}, "items": obj{"$ref": "#/$defs/source"}},
			"records": obj{"type": []string{"array", "null"}, "items": obj{"$ref": "#/$defs/record"}},
		},
		"$defs": defs,
	})
}

// FiguresJSONSchema returns the JSON Schema of figures.json, the JSON
// output: every record has every key of its kind, null when absent.
func FiguresJSONSchema() []byte {
	defs := obj{"source": tableSchema(sourceTable, false, "A declared source.")}
	props := obj{
		"generated_by": obj{
			"type": "object", "additionalProperties": false, "required": []string{"tool", "version"},
			"properties": obj{
				"tool":    obj{"type": "string"},
				"version": obj{"type": "string"},
				"created": obj{"type": "string", "format": "date-time", "description": "From SOURCE_DATE_EPOCH; absent when not set."},
			},
		},
		"sources": obj{"type": "array", "items": obj{"$ref": "#/$defs/source"}},
	}
	required := []string{"generated_by", "sources"}
	for _, k := range kinds {
		defs[k.Name] = tableSchema(k.table, false, k.Doc)
		props[k.Plural] = obj{"type": "array", "items": obj{"$ref": "#/$defs/" + k.Name}}
		required = append(required, k.Plural)
	}
	return marshal(obj{
		"$schema":              draft2020,
		"$id":                  FiguresSchemaID,
		"title":                "figures.json, written by export",
		"description":          "Validated figures with their provenance, one array per kind. " + notExpressed,
		"type":                 "object",
		"additionalProperties": false,
		"required":             required,
		"properties":           props,
		"$defs":                defs,
	})
}

const notExpressed = "Rules that only export validate checks: a field that must differ from another, " +
	"joint_ventures + representative_offices <= enterprises, the exact ISO 3166-1 and ISO 4217 code lists, " +
	"real calendar dates, unique ids across files, declared sources, quotes found in the source's text."

// tableSchema returns the schema of one object of a table. An input object
// (isInput) has the required fields required and may leave the others out;
// an output object has every key, null when absent, and the derived ones.
func tableSchema(t *Table, isInput bool, doc string) obj {
	props := obj{}
	var required []string
	for _, c := range t.Columns {
		if c.Derived && isInput {
			props[c.Name] = obj{"description": c.Doc + " Computed by export: ignored when read.", "readOnly": true}
			continue
		}
		props[c.Name] = columnSchema(c, isInput)
		if c.Required || !isInput {
			required = append(required, c.Name)
		}
	}
	return obj{
		"description":          doc,
		"type":                 "object",
		"additionalProperties": false,
		"required":             required,
		"properties":           props,
	}
}

// columnSchema translates a column's type and tags.
func columnSchema(c *Column, isInput bool) obj {
	s := obj{"description": strings.TrimSpace(c.Doc + " Rules: " + c.Describe() + ".")}
	if c.Synthetic {
		s["type"] = "string"
		return s
	}
	value := obj{}
	switch c.Type {
	case String:
		value["type"] = "string"
	case Date:
		value["type"] = "string"
		value["format"] = "date"
	case Integer:
		value["type"] = "integer"
	case Number:
		value["type"] = "number"
	case Boolean:
		value["type"] = "boolean"
	case StringList:
		value["type"] = "array"
		items := obj{"type": "string"}
		for _, r := range c.ElemRules {
			applyRule(items, r, String)
		}
		value["items"] = items
	}
	for _, r := range c.Rules {
		applyRule(value, r, c.Type)
	}
	if c.Default != "" {
		value["default"] = c.Default
	}
	if c.Required && isInput {
		for k, v := range value {
			s[k] = v
		}
		return s
	}
	// Optional: null (or, on input, the zero value of a non-pointer field,
	// which means absent: publisher: "", year: 0) is allowed too.
	alts := []any{obj{"type": "null"}}
	if isInput && !c.pointer {
		switch c.Type {
		case String, Date:
			alts = append(alts, obj{"const": ""})
		case Integer:
			alts = append(alts, obj{"const": 0})
		}
	}
	if !isInput && c.Derived {
		for k, v := range value {
			s[k] = v
		}
		return s
	}
	s["anyOf"] = append(alts, value)
	return s
}

func applyRule(s obj, r Rule, t Type) {
	num := func(p string) any {
		if f, err := strconv.ParseFloat(p, 64); err == nil {
			if f == float64(int64(f)) {
				return int64(f)
			}
			return f
		}
		return p
	}
	switch r.Tag {
	case "slug":
		s["pattern"] = SlugPattern
	case "sha256":
		s["pattern"] = sha256RE.String()
	case "iso3166_1_alpha2":
		s["pattern"] = "^[A-Z]{2}$"
	case "iso4217":
		s["pattern"] = "^[A-Z]{3}$"
	case "datetime":
		s["pattern"] = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	case "qualifier":
		s["enum"] = Qualifiers
	case "sector":
		s["enum"] = Sectors
	case "area":
		s["enum"] = Areas
	case "nocontrol":
		s["pattern"] = `^[^\x00-\x1f\x7f-\x9f]*$`
	case "http_url":
		s["format"] = "uri"
		s["pattern"] = "^https?://"
	case "unique":
		s["uniqueItems"] = true
	case "gt":
		s["exclusiveMinimum"] = num(r.Param)
	case "gte":
		s["minimum"] = num(r.Param)
	case "lt":
		s["exclusiveMaximum"] = num(r.Param)
	case "lte":
		s["maximum"] = num(r.Param)
	case "min", "max":
		key := map[string]string{"min": "min", "max": "max"}[r.Tag]
		switch t {
		case StringList:
			s[key+"Items"] = num(r.Param)
		default:
			s[key+"Length"] = num(r.Param)
		}
	}
}

// marshal writes v as indented JSON, keys sorted, with <, > and & as they are.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices, strings and numbers: cannot fail
	}
	return buf.Bytes()
}
