package schema

import (
	"bytes"
	"encoding/json"
	"strings"
)

// JSON Schemas (draft 2020-12), generated from the struct tags through
// Column.Constraints, the translation of the tags that the Table Schemas
// of the data package share.
//
// Rules a JSON Schema cannot express are left to export validate and named
// in the schemas' description (notExpressed): a field that must differ
// from another (nefield), the sum of enterprise parts (sum_lte), the exact
// lists of ISO 3166-1 and ISO 4217 codes (the schema checks their shape:
// two or three capitals), real calendar dates (the schema checks the
// YYYY-MM-DD shape), a URL's host (the schema checks http:// or https://),
// NaN and infinity (which JSON cannot write), keys given twice, and
// everything that involves several records or files (unique ids, declared
// sources, quotes found in the source's text, the text file itself). The
// tests in jsonschema_validate_test.go hold the schemas to export validate
// with this list.

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
	defs := obj{"source": tableSchema(sourceTable, "", true, "A source: a published document that figures are taken from.")}
	var branches []any
	for _, k := range kinds {
		defs[k.Name] = tableSchema(k.table, k.Name, true, k.Doc)
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
		"$schema": draft2020,
		"$id":     DatasetSchemaID,
		"title":   "export dataset file",
		"description": "A dataset file of export: the sources figures come from, and the records that state them. " + notExpressed +
			" \"$schema\" is for JSON files; a YAML file names its schema in a comment: # yaml-language-server: $schema=...",
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
	defs := obj{"source": tableSchema(sourceTable, "", false, "A declared source.")}
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
		defs[k.Name] = tableSchema(k.table, k.Name, false, k.Doc)
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

const notExpressed = "Rules that only export validate checks: a field that must differ from another " +
	"(recipient and investor, host and partner), joint_ventures + representative_offices <= enterprises, " +
	"the exact ISO 3166-1 and ISO 4217 code lists (the schema checks two or three capitals), " +
	"real calendar dates (the schema checks YYYY-MM-DD), a URL's host, NaN and infinity, duplicate keys, " +
	"an amount's precision (at most 15 significant digits and 3 decimal places), " +
	"at least 10 visible characters (letters, digits or punctuation) in a quote, " +
	"unique ids across files, declared sources, quotes found in the source's text, " +
	"the source's text file (inside the dataset's directory, readable, matching sha256), " +
	"and the figures stated by the quote: every figure the record does not declare in derived " +
	"(amount, currency, qualifier, counts, as_of, page) is stated by the quote's words, which hold no figure " +
	"that cannot be read, and the record's countries are named by the quote or the sentence before it."

// tableSchema returns the schema of one object of a table: a record of
// kind (whose kind field holds that name), or a source (kind ""). An input
// object (isInput) has the required fields required and may leave the
// others out; an output object has every key, null when absent, and the
// derived ones.
func tableSchema(t *Table, kind string, isInput bool, doc string) obj {
	props := obj{}
	var required []string
	for _, c := range t.Columns {
		if c.Computed && isInput {
			props[c.Name] = obj{"description": c.Doc + " Computed by export: ignored when read.", "readOnly": true}
			continue
		}
		props[c.Name] = columnSchema(c, isInput)
		if c.Synthetic && kind != "" {
			props[c.Name].(obj)["const"] = kind
		}
		// On input, a field with a default may be left out: the reader
		// fills it in (qualifier: exact).
		if c.Required && c.Default == "" || !isInput {
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
	case TextMap, SpanMap:
		value["type"] = "object"
	}
	k := c.Constraints()
	k.addTo(value, c.Type == StringList)
	items := obj{"type": "string"}
	if k.Items != nil {
		k.Items.addTo(items, false)
	}
	switch c.Type {
	case StringList:
		value["items"] = items
	case TextMap:
		value["additionalProperties"] = items
		value["propertyNames"] = obj{"enum": k.Keys}
	case SpanMap:
		value["propertyNames"] = obj{"enum": c.keys}
		value["additionalProperties"] = spanSchema
	}
	if c.Default != "" {
		s["default"] = c.Default
	}
	// A value is always there in figures.json for a required or derived
	// field, and in an input file for a required field without a default.
	if isInput && c.Required && c.Default == "" || !isInput && c.AlwaysPresent() {
		for k, v := range value {
			s[k] = v
		}
		return s
	}
	// Otherwise null (or, on input, the zero value of a non-pointer field,
	// which means absent: publisher: "", year: 0) is allowed too. A
	// required field with a default (qualifier) may be null or left out on
	// input, and the reader fills in the default; "" is not absent there.
	alts := []any{obj{"type": "null"}}
	if isInput && !c.pointer && c.Default == "" {
		switch c.Type {
		case String, Date:
			alts = append(alts, obj{"const": ""})
		case Integer:
			alts = append(alts, obj{"const": 0})
		}
	}
	s["anyOf"] = append(alts, value)
	return s
}

// spanSchema is the schema of one entry of stated: the words of the quote
// and their place in it.
var spanSchema = obj{
	"type": "object", "additionalProperties": false, "required": []string{"text", "start", "end"},
	"properties": obj{
		"text":  obj{"type": "string", "minLength": 1, "description": "The words of the quote that state the field's value."},
		"start": obj{"type": "integer", "minimum": 0, "description": "Where the words start in the quote, in Unicode code points from 0."},
		"end":   obj{"type": "integer", "minimum": 1, "description": "Where the words end in the quote (exclusive), in Unicode code points."},
	},
}

// addTo adds the constraints to s, a JSON Schema, as its keywords. The
// length bounds of a list (isList) are minItems and maxItems.
func (k *Constraints) addTo(s obj, isList bool) {
	if k.Pattern != "" {
		s["pattern"] = k.Pattern
	}
	if k.Enum != nil {
		s["enum"] = k.Enum
	}
	if k.Format != "" {
		s["format"] = k.Format
	}
	if k.UniqueItems {
		s["uniqueItems"] = true
	}
	for key, v := range map[string]any{
		"minimum": k.Minimum, "maximum": k.Maximum,
		"exclusiveMinimum": k.ExclusiveMinimum, "exclusiveMaximum": k.ExclusiveMaximum,
	} {
		if v != nil {
			s[key] = v
		}
	}
	minKey, maxKey := "minLength", "maxLength"
	if isList {
		minKey, maxKey = "minItems", "maxItems"
	}
	if k.MinLength != nil {
		s[minKey] = k.MinLength
	}
	if k.MaxLength != nil {
		s[maxKey] = k.MaxLength
	}
}

// marshal writes v as indented JSON, keys sorted, with <, > and & as they
// are, and the noncharacters of the text pattern escaped (see
// EscapeNoncharacters).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices, strings and numbers: cannot fail
	}
	return EscapeNoncharacters(buf.Bytes())
}

// EscapeNoncharacters writes U+FFFE and U+FFFF in JSON text as \ufffe and
// \uffff: encoding/json writes them as they are, invisible to a reader of
// the file. They occur only in strings (the text pattern), where the escape
// means the same.
func EscapeNoncharacters(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\uFFFE"), []byte(`\ufffe`))
	return bytes.ReplaceAll(b, []byte("\uFFFF"), []byte(`\uffff`))
}
