package schema_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"

	"export/input"
	"export/pipeline"
	"export/schema"
)

// These tests hold the JSON Schemas to what export validate does: every
// valid example passes both, and a broken example fails the schema for
// exactly the fields that export validate names, except where the rule is
// one that a JSON Schema cannot express. Those rules are listed here, and
// in the description of the schemas (schema/jsonschema.go) and in
// docs/SCHEMAS.md.

// onlyExportValidate are the rules (as export validate names them in
// [brackets]) that no JSON Schema can express.
var onlyExportValidate = map[string]string{
	"nefield":           "a field that must differ from another (recipient and investor, host and partner)",
	"sum_lte":           "joint_ventures + representative_offices must not exceed enterprises: arithmetic over fields",
	"digits":            "an amount of at most 15 significant digits and 3 decimal places: a schema sees a number, not its digits",
	"visible":           "at least 10 visible characters in a quote: the schema counts characters, visible or not",
	"unique_id":         "ids unique across all records of all input files; each source declared once",
	"source_declared":   "a record's source is declared in some input file",
	"quote_found":       "the quote is found in the source's text file",
	"text_inside_dir":   "the source's text file stays inside the dataset file's directory",
	"text_readable":     "the source's text file exists and is UTF-8",
	"sha256_match":      "the text file has the SHA-256 given, and sha256 comes with a text",
	"duplicate_key":     "a key given twice in one object: a JSON or YAML parser keeps one of them",
	"xlsx_text":         "a text the workbook can hold exactly: a rule of one output format, not of the data",
	"figure_stated":     "the quote states the record's figures, and the page is within the source's pages: the words against the figures",
	"figure_unreadable": "a figure of the quote that cannot be read: the words of the quote",
	"derived_stated":    "a field declared derived that the quote states after all",
	"country_named":     "the record's countries are named by the quote or the sentence before it in the source",
}

// beyondShape are the rules of which the schema checks the shape (its
// pattern) while export validate checks more: a value of the right shape
// that export validate rejects is rejected by export validate alone.
var beyondShape = map[string]string{
	"datetime":         "a real calendar date; the schema checks the YYYY-MM-DD shape (a validator that asserts format: date also checks the calendar)",
	"iso3166_1_alpha2": "a code on the ISO 3166-1 list; the schema checks two capitals",
	"iso4217":          "a code on the ISO 4217 list; the schema checks three capitals",
	"http_url":         "a URL with a host; the schema checks that it starts with http:// or https://",
}

// TestNotExpressedIsDocumented checks that the schemas' description names
// every rule the tests above exclude.
func TestNotExpressedIsDocumented(t *testing.T) {
	var doc struct {
		Description string `json:"description"`
	}
	if err := json.Unmarshal(schema.DatasetJSONSchema(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"differ from another", "joint_ventures + representative_offices", "ISO 3166-1",
		"ISO 4217", "calendar dates", "unique ids", "declared sources", "source's text", "NaN", "host", "duplicate keys",
		"significant digits", "visible", "stated by the quote", "cannot be read", "countries are named"} {
		if !strings.Contains(doc.Description, words) {
			t.Errorf("the dataset schema's description does not name what only export validate checks: %q is missing from\n%s", words, doc.Description)
		}
	}
}

// compile compiles a schema as an editor would use it: ECMA-262 regular
// expressions, formats as annotations (draft 2020-12's default).
func compile(t *testing.T, url string, doc []byte) *jsonschema.Schema {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(ecmaRegexp)
	if err := c.AddResource(url, v); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s does not compile: %v", url, err)
	}
	return sch
}

type ecma regexp2.Regexp

func (re *ecma) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecma) String() string { return (*regexp2.Regexp)(re).String() }

func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecma)(re), nil
}

func datasetSchema(t *testing.T) *jsonschema.Schema {
	return compile(t, schema.DatasetSchemaID, schema.DatasetJSONSchema())
}

// yamlToJSON reads a YAML dataset file as a YAML 1.2 editor does: a date
// such as 2008-09-30 is text (YAML 1.2 has no timestamp type), numbers
// and booleans are themselves. It returns the document as JSON.
func yamlToJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var conv func(n *yaml.Node) any
	conv = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			return conv(n.Content[0])
		case yaml.AliasNode:
			return conv(n.Alias)
		case yaml.MappingNode:
			m := map[string]any{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				m[n.Content[i].Value] = conv(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			l := []any{}
			for _, c := range n.Content {
				l = append(l, conv(c))
			}
			return l
		}
		if n.Tag == "!!timestamp" {
			return n.Value
		}
		var v any
		if err := n.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	out, err := json.Marshal(conv(&doc))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// validExamples are the dataset files that must pass both export validate
// and the schema: the embedded default dataset, its JSON twin, and the
// examples in testdata/valid.
func validExamples(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../input/defaultdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, "../input/testdata/kazakhstan-korea.json")
	more, err := filepath.Glob("testdata/valid/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range more {
		if input.FormatOf(p) == input.FormatYAML || input.FormatOf(p) == input.FormatJSON {
			paths = append(paths, p)
		}
	}
	if len(paths) < 4 {
		t.Fatalf("only %d valid examples: %q", len(paths), paths)
	}
	return paths
}

// asJSON returns a dataset file's document as JSON.
func asJSON(t *testing.T, path string, b []byte) []byte {
	if input.FormatOf(path) == input.FormatYAML {
		return yamlToJSON(t, b)
	}
	return b
}

func TestValidExamplesPassTheSchema(t *testing.T) {
	sch := datasetSchema(t)
	for _, path := range validExamples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc := decode(t, asJSON(t, path, b))
			if err := sch.Validate(doc); err != nil {
				t.Errorf("%s fails the dataset schema:\n%v", path, err)
			}
			results := check(t, os.DirFS(filepath.Dir(path)), filepath.Base(path))
			for _, r := range results {
				for _, p := range r.Problems {
					if p.Severity == schema.Error {
						t.Errorf("%s fails export validate: %s: %s: %s [%s]", path, r.ID, p.Field, p.Message, p.Rule)
					}
				}
			}
		})
	}
}

// TestValidExamplesUseTheSchema checks that the examples in testdata/valid
// show how an editor finds the schema: the yaml-language-server comment in
// YAML, "$schema" in JSON.
func TestValidExamplesUseTheSchema(t *testing.T) {
	const yamlComment = "# yaml-language-server: $schema=../../dataset.schema.json"
	paths, _ := filepath.Glob("testdata/valid/*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch input.FormatOf(p) {
		case input.FormatYAML:
			if !bytes.HasPrefix(b, []byte(yamlComment+"\n")) {
				t.Errorf("%s does not start with %q", p, yamlComment)
			}
		case input.FormatJSON:
			var doc struct {
				Schema string `json:"$schema"`
			}
			if err := json.Unmarshal(b, &doc); err != nil || doc.Schema != "../../dataset.schema.json" {
				t.Errorf("%s: \"$schema\" is %q (%v), want ../../dataset.schema.json", p, doc.Schema, err)
			}
		}
	}
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// collector keeps every result of a run.
type collector struct{ results []*pipeline.Result }

func (c *collector) Result(r *pipeline.Result) error { c.results = append(c.results, r); return nil }
func (c *collector) Finish(*pipeline.Summary) error  { return nil }

// check runs export validate's checks on one file of fsys.
func check(t *testing.T, fsys fs.FS, name string) []*pipeline.Result {
	t.Helper()
	var c collector
	files := []input.File{input.FromFS(fsys, name, name)}
	if _, err := pipeline.Check(context.Background(), files, &c, nil, pipeline.Config{}); err != nil {
		t.Fatal(err)
	}
	return c.results
}

// place is a field of a source, a record, or (section "") the file.
type place struct {
	section string // "sources", "records" or "" for the file itself
	id      string
	field   string
}

func (p place) String() string {
	if p.section == "" {
		return "(file) " + p.field
	}
	return p.section + "/" + cmp.Or(p.id, `""`) + "." + p.field
}

// validatePlaces returns the places export validate reports errors at,
// split into those a JSON Schema can express and those it cannot (with
// the reason).
func validatePlaces(t *testing.T, results []*pipeline.Result, doc map[string]any) (expressible map[place][]string, beyond map[place]string) {
	t.Helper()
	expressible, beyond = map[place][]string{}, map[place]string{}
	for _, r := range results {
		section := ""
		switch {
		case r.Kind == pipeline.KindSource:
			section = "sources"
		case r.Kind != "" || r.ID != "":
			section = "records"
		}
		for _, p := range r.Problems {
			if p.Severity != schema.Error {
				continue
			}
			field, index := splitField(p.Field)
			pl := place{section, r.ID, field}
			if section == "" {
				// A problem with the file rather than one item: export
				// validate names the key in its message, not as a field.
				pl = place{field: topLevel}
			}
			if why, ok := onlyExportValidate[p.Rule]; ok {
				beyond[pl] = p.Rule + ": " + why
				continue
			}
			if why, ok := beyondShape[p.Rule]; ok && hasShape(t, doc, pl, index) {
				beyond[pl] = p.Rule + ": " + why
				continue
			}
			expressible[pl] = append(expressible[pl], p.Rule)
		}
	}
	for pl := range expressible {
		delete(beyond, pl) // another rule of the same field is expressible
	}
	return expressible, beyond
}

// splitField splits "sectors[1]" into "sectors" and 1.
func splitField(f string) (string, int) {
	name, rest, ok := strings.Cut(f, "[")
	if !ok {
		return f, -1
	}
	i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if err != nil {
		return f, -1
	}
	return name, i
}

// hasShape reports whether the value at pl (element index of a list, or
// -1) matches the pattern the schema gives that field.
func hasShape(t *testing.T, doc map[string]any, pl place, index int) bool {
	t.Helper()
	obj := find(t, doc, pl)
	var col *schema.Column
	var ok bool
	if pl.section == "sources" {
		col, ok = schema.SourceTable().Column(pl.field)
	} else if k, found := schema.LookupKind(fmt.Sprint(obj["kind"])); found {
		col, ok = k.Column(pl.field)
	}
	if !ok {
		t.Fatalf("%v: no such column", pl)
	}
	k := col.Constraints()
	v := obj[pl.field]
	if index >= 0 {
		l, _ := v.([]any)
		if index >= len(l) || k.Items == nil {
			t.Fatalf("%v[%d]: no such element", pl, index)
		}
		v, k = l[index], *k.Items
	}
	s, isText := v.(string)
	return isText && k.Pattern != "" && regexp.MustCompile(k.Pattern).MatchString(s)
}

// find returns the object of doc that pl names, which must be the only
// one with its id.
func find(t *testing.T, doc map[string]any, pl place) map[string]any {
	t.Helper()
	list, _ := doc[pl.section].([]any)
	var found map[string]any
	for _, o := range list {
		if obj, ok := o.(map[string]any); ok && fmt.Sprint(obj["id"]) == pl.id {
			if found != nil {
				t.Fatalf("%v: the id is not unique in the example; give the test case unique ids", pl)
			}
			found = obj
		}
	}
	if found == nil {
		t.Fatalf("%v: not found in the document", pl)
	}
	return found
}

// schemaPlaces returns the places where the document fails the schema.
func schemaPlaces(doc map[string]any, err error) map[place]bool {
	out := map[place]bool{}
	if err == nil {
		return out
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		out[place{field: "not a validation error: " + err.Error()}] = true
		return out
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		var names []string
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			names = k.Missing
		case *kind.AdditionalProperties:
			names = k.Properties
		default:
			names = []string{""}
		}
		for _, name := range names {
			loc := slices.Clone(e.InstanceLocation)
			if name != "" {
				loc = append(loc, name)
			}
			out[locate(doc, loc)] = true
		}
	}
	walk(ve)
	return out
}

// topLevel is the field of a place at the document's top level.
const topLevel = "(top level)"

// locate turns an instance location (records/2/sectors/1) into a place.
func locate(doc map[string]any, loc []string) place {
	if len(loc) == 0 {
		return place{field: topLevel}
	}
	if len(loc) < 3 || (loc[0] != "sources" && loc[0] != "records") {
		return place{field: topLevel}
	}
	pl := place{section: loc[0], field: loc[2]}
	if i, err := strconv.Atoi(loc[1]); err == nil {
		if list, ok := doc[loc[0]].([]any); ok && i < len(list) {
			if obj, ok := list[i].(map[string]any); ok {
				if id, ok := obj["id"].(string); ok {
					pl.id = id
				}
			}
		}
	}
	return pl
}

// compareWithExportValidate runs both checks on one dataset file and
// reports every place where they disagree.
func compareWithExportValidate(t *testing.T, sch *jsonschema.Schema, fsys fs.FS, name string) (nExpressible, nBeyond int) {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	js := asJSON(t, name, b)
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	results := check(t, fsys, name)
	want, beyond := validatePlaces(t, results, doc)
	got := schemaPlaces(doc, sch.Validate(decode(t, js)))
	for _, pl := range sortedPlaces(slices.Collect(maps.Keys(want))) {
		if !got[pl] {
			t.Errorf("%s: export validate names %v [%s], the schema accepts it", name, pl, strings.Join(want[pl], ", "))
		}
	}
	for _, pl := range sortedPlaces(slices.Collect(maps.Keys(got))) {
		if _, ok := want[pl]; ok {
			continue
		}
		if why, ok := beyond[pl]; ok {
			t.Errorf("%s: the schema rejects %v, which only export validate can check (%s)", name, pl, why)
			continue
		}
		t.Errorf("%s: the schema rejects %v, export validate does not", name, pl)
	}
	return len(want), len(beyond)
}

func sortedPlaces(ps []place) []place {
	slices.SortFunc(ps, func(a, b place) int { return strings.Compare(a.String(), b.String()) })
	return ps
}

// TestBrokenExamplesFailForTheSameFields runs the broken examples of the
// repository through both checks.
func TestBrokenExamplesFailForTheSameFields(t *testing.T) {
	sch := datasetSchema(t)
	for _, c := range []struct {
		dir, name          string
		expressible, other int // places of each sort, so that the test cannot pass empty
	}{
		{"../examples", "programme-1bn.yaml", 2, 0},
		{"../pipeline/testdata/report", "figures.yaml", 3, 8},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, o := compareWithExportValidate(t, sch, os.DirFS(c.dir), c.name)
			if e != c.expressible || o != c.other {
				t.Errorf("%s: export validate names %d places a schema can express and %d it cannot; want %d and %d",
					c.name, e, o, c.expressible, c.other)
			}
		})
	}
}

// baseDataset is a small valid dataset that the cases below break, one
// field at a time.
func baseDataset() map[string]any {
	return map[string]any{
		"sources": []any{
			map[string]any{"id": "src", "title": "A book", "chapter": "Chapter 3", "pages": "190-191",
				"publisher": "A publisher", "year": 2010, "url": "https://example.org/book"},
		},
		"records": []any{
			map[string]any{"id": "inv", "kind": "investment_total", "investor": "KR", "recipient": "KZ",
				"amount": 3e9, "currency": "USD", "qualifier": "about", "as_of": "2008-09-30",
				"sectors": []any{"trade", "finance"}, "note": "A note.", "source": "src", "page": 191,
				"citation": "[44]", "authority": "National Bank", "quote": "As of 30 September 2008, South Korea's total investment in Kazakhstan had reached about $3bn"},
			map[string]any{"id": "ent", "kind": "enterprise_count", "partner": "KR", "host": "KZ", "enterprises": 300,
				"qualifier": "over", "joint_ventures": 48, "representative_offices": 62, "as_of": "2008-09-30",
				"source": "src", "quote": "As of 30 September 2008, over 300 enterprises with South Korean capital operated in Kazakhstan, including 48 joint ventures and 62 representative offices"},
			map[string]any{"id": "agr", "kind": "agreement_count", "parties": []any{"KZ", "KR"}, "documents": 60,
				"qualifier": "over", "areas": []any{"culture", "energy"}, "as_of": "2008-09-30",
				"source": "src", "quote": "As of 30 September 2008, Kazakhstan and South Korea had signed over 60 documents"},
		},
	}
}

// set changes the base dataset: path is section/index/field (field ""
// changes the document's top level); value del removes the field.
type edit struct {
	path  string
	value any
}

var del = struct{ deleted bool }{true}

func (e edit) apply(doc map[string]any) {
	parts := strings.Split(e.path, "/")
	obj := doc
	if len(parts) == 3 {
		i, _ := strconv.Atoi(parts[1])
		obj = doc[parts[0]].([]any)[i].(map[string]any)
		parts = parts[2:]
	}
	if e.value == del {
		delete(obj, parts[0])
	} else {
		obj[parts[0]] = e.value
	}
}

// TestBrokenDatasetsFailForTheSameFields breaks the base dataset in every
// way the contract forbids and compares the two checks on each. Each case
// says how many places a schema can express and how many it cannot, so
// that a case that tests nothing fails.
func TestBrokenDatasetsFailForTheSameFields(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name               string
		edits              []edit
		expressible, other int
	}{
		{"valid", nil, 0, 0},
		{"record id not a slug", []edit{{"records/0/id", "Inv_1"}}, 1, 0},
		{"record id too long", []edit{{"records/0/id", long(65)}}, 1, 0},
		{"record id missing", []edit{{"records/0/id", del}}, 1, 0},
		{"investor lowercase", []edit{{"records/0/investor", "kr"}}, 1, 0},
		{"investor not on the list", []edit{{"records/0/investor", "EU"}}, 0, 1},
		{"investor empty", []edit{{"records/0/investor", ""}}, 1, 0},
		{"recipient equals investor", []edit{{"records/0/recipient", "KR"}}, 0, 1},
		{"amount zero", []edit{{"records/0/amount", 0}}, 1, 0},
		{"amount negative", []edit{{"records/0/amount", -5}}, 1, 0},
		{"amount too large", []edit{{"records/0/amount", 2e13}}, 1, 0},
		{"amount text", []edit{{"records/0/amount", "lots"}}, 1, 0},
		{"amount null", []edit{{"records/0/amount", nil}}, 1, 0},
		{"currency lowercase", []edit{{"records/0/currency", "usd"}}, 1, 0},
		{"currency not on the list", []edit{{"records/0/currency", "ABC"}}, 0, 1},
		{"qualifier unknown", []edit{{"records/0/qualifier", "approximately"}}, 1, 0},
		{"as_of shape", []edit{{"records/0/as_of", "30/09/2008"}}, 1, 0},
		{"as_of with a time", []edit{{"records/0/as_of", "2008-09-30T00:00:00Z"}}, 1, 0},
		{"as_of not on the calendar", []edit{{"records/0/as_of", "2008-02-30"}}, 0, 1},
		{"as_of missing", []edit{{"records/0/as_of", del}}, 1, 0},
		{"sector unknown", []edit{{"records/0/sectors", []any{"trade", "banking"}}}, 1, 0},
		{"sectors repeated", []edit{{"records/0/sectors", []any{"trade", "trade"}}}, 1, 0},
		{"sectors not a list", []edit{{"records/0/sectors", "trade"}}, 1, 0},
		{"note too long", []edit{{"records/0/note", long(1001)}}, 1, 0},
		{"note control character", []edit{{"records/0/note", "a\u0007b"}}, 1, 0},
		{"note noncharacter", []edit{{"records/0/note", "a\ufffeb"}}, 1, 0},
		{"title noncharacter", []edit{{"sources/0/title", "a\uffffb"}}, 1, 0},
		{"note C1 control character", []edit{{"records/0/note", "a\u0085b"}}, 1, 0},
		{"page zero", []edit{{"records/0/page", 0}}, 1, 0},
		{"page too large", []edit{{"records/0/page", 100001}}, 1, 0},
		{"page text", []edit{{"records/0/page", "191"}}, 1, 0},
		{"page fraction", []edit{{"records/0/page", 1.5}}, 1, 0},
		{"citation too long", []edit{{"records/0/citation", long(501)}}, 1, 0},
		{"authority control character", []edit{{"records/0/authority", "a\tb"}}, 1, 0},
		{"quote too short", []edit{{"records/0/quote", "short"}}, 1, 0},
		{"quote too long", []edit{{"records/0/quote", long(2001)}}, 1, 0},
		{"quote missing", []edit{{"records/0/quote", del}}, 1, 0},
		// The default, exact, is not what the quote says ("about $3bn").
		{"qualifier left out (default exact)", []edit{{"records/0/qualifier", del}}, 0, 1},
		{"qualifier null (default exact)", []edit{{"records/0/qualifier", nil}}, 0, 1},
		{"qualifier empty", []edit{{"records/0/qualifier", ""}}, 1, 0},
		{"unknown field", []edit{{"records/0/colour", "blue"}}, 1, 0},
		{"computed field given", []edit{{"records/0/quote_verified", true}}, 0, 0},
		{"kind unknown", []edit{{"records/0/kind", "investment"}}, 1, 0},
		{"kind missing", []edit{{"records/0/kind", del}}, 1, 0},
		{"field of another kind", []edit{{"records/0/enterprises", 5}}, 1, 0},
		{"source missing", []edit{{"records/0/source", del}}, 1, 0},
		{"source not a slug", []edit{{"records/0/source", "Src!"}}, 1, 0},
		{"source not declared", []edit{{"records/0/source", "other"}}, 0, 1},
		{"enterprises negative", []edit{{"records/1/enterprises", -1}}, 1, 0},
		{"enterprises fraction", []edit{{"records/1/enterprises", 2.5}}, 1, 0},
		{"enterprises missing", []edit{{"records/1/enterprises", del}}, 1, 0},
		{"joint ventures negative", []edit{{"records/1/joint_ventures", -1}}, 1, 0},
		// The sum, and the representative offices the quote does not state.
		{"parts exceed enterprises", []edit{{"records/1/joint_ventures", 200}, {"records/1/representative_offices", 200}}, 0, 2},
		{"host equals partner", []edit{{"records/1/host", "KR"}}, 0, 1},
		{"partner missing", []edit{{"records/1/partner", del}}, 1, 0},
		{"parties only one", []edit{{"records/2/parties", []any{"KZ"}}}, 1, 0},
		{"parties repeated", []edit{{"records/2/parties", []any{"KZ", "KZ"}}}, 1, 0},
		{"party lowercase", []edit{{"records/2/parties", []any{"KZ", "kr"}}}, 1, 0},
		{"party not on the list", []edit{{"records/2/parties", []any{"KZ", "EU"}}}, 0, 1},
		{"documents zero", []edit{{"records/2/documents", 0}}, 1, 0},
		{"area unknown", []edit{{"records/2/areas", []any{"culture", "space"}}}, 1, 0},
		{"duplicate record id", []edit{{"records/2/id", "ent"}}, 0, 1},
		{"source id not a slug", []edit{{"sources/0/id", "Src"}, {"records/0/source", "Src"}, {"records/1/source", "Src"}, {"records/2/source", "Src"}}, 4, 0},
		{"source title missing", []edit{{"sources/0/title", del}}, 1, 0},
		{"source title empty", []edit{{"sources/0/title", ""}}, 1, 0},
		{"source title too long", []edit{{"sources/0/title", long(501)}}, 1, 0},
		{"source year too early", []edit{{"sources/0/year", 1700}}, 1, 0},
		{"source year too late", []edit{{"sources/0/year", 2200}}, 1, 0},
		{"source year absent as 0", []edit{{"sources/0/year", 0}}, 0, 0},
		{"source url not http", []edit{{"sources/0/url", "ftp://example.org/book"}}, 1, 0},
		{"source url without a host", []edit{{"sources/0/url", "https://"}}, 0, 1},
		{"source url with the scheme in capitals", []edit{{"sources/0/url", "HTTPS://EXAMPLE.ORG/book"}}, 0, 0},
		{"source sha256 not hex", []edit{{"sources/0/sha256", "abc"}}, 1, 0},
		{"source sha256 without text", []edit{{"sources/0/sha256", strings.Repeat("ab", 32)}}, 0, 1},
		{"source text outside", []edit{{"sources/0/text", "../outside.txt"}}, 0, 1},
		{"source text missing", []edit{{"sources/0/text", "missing.txt"}}, 0, 1},
		{"source chapter control character", []edit{{"sources/0/chapter", "a\nb"}}, 1, 0},
		{"source unknown field", []edit{{"sources/0/isbn", "123"}}, 1, 0},
		{"top-level unknown key", []edit{{"colour", "blue"}}, 1, 0},
	}
	sch := datasetSchema(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := baseDataset()
			for _, e := range c.edits {
				e.apply(doc)
			}
			b, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{"case.json": {Data: b}}
			e, o := compareWithExportValidate(t, sch, fsys, "case.json")
			if e != c.expressible || o != c.other {
				t.Errorf("export validate names %d places a schema can express and %d it cannot; want %d and %d\n%s",
					e, o, c.expressible, c.other, b)
			}
		})
	}
}

// TestFiguresJSONPassesItsSchema validates figures.json, as the JSON
// writer writes it (the golden file of package output), against
// FiguresJSONSchema, and shows that the schema is not empty: changed
// copies of it fail.
func TestFiguresJSONPassesItsSchema(t *testing.T) {
	sch := compile(t, schema.FiguresSchemaID, schema.FiguresJSONSchema())
	b, err := os.ReadFile("../output/testdata/golden/figures.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(decode(t, b)); err != nil {
		t.Fatalf("figures.json fails figures.schema.json:\n%v", err)
	}
	for _, c := range []struct {
		name   string
		change func(doc map[string]any)
	}{
		{"a key left out", func(doc map[string]any) { delete(first(doc, "investment_totals"), "note") }},
		{"a key added", func(doc map[string]any) { first(doc, "investment_totals")["colour"] = "blue" }},
		{"an amount as text", func(doc map[string]any) { first(doc, "investment_totals")["amount"] = "3000000000" }},
		{"the wrong kind", func(doc map[string]any) { first(doc, "investment_totals")["kind"] = "enterprise_count" }},
		{"a required field null", func(doc map[string]any) { first(doc, "investment_totals")["amount"] = nil }},
		{"a defaulted field null", func(doc map[string]any) { first(doc, "investment_totals")["qualifier"] = nil }},
		{"a computed field null", func(doc map[string]any) { first(doc, "enterprise_counts")["quote_verified"] = nil }},
		{"a table left out", func(doc map[string]any) { delete(doc, "agreement_counts") }},
		{"an unknown sector", func(doc map[string]any) { first(doc, "investment_totals")["sectors"] = []any{"banking"} }},
		{"a date of the wrong shape", func(doc map[string]any) { first(doc, "investment_totals")["as_of"] = "30.09.2008" }},
		{"a source without title", func(doc map[string]any) { delete(first(doc, "sources"), "title") }},
	} {
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		c.change(doc)
		changed, _ := json.Marshal(doc)
		if sch.Validate(decode(t, changed)) == nil {
			t.Errorf("figures.json with %s passes figures.schema.json", c.name)
		}
	}
}

func first(doc map[string]any, table string) map[string]any {
	return doc[table].([]any)[0].(map[string]any)
}
