package output_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// writeDescriptors writes datapackage.json and figures.schema.json beside
// the default outputs, as pipeline.Run does.
func writeDescriptors(t *testing.T, dir string, created time.Time) ([]output.File, *output.Meta) {
	t.Helper()
	files, meta := writeDefaultOutputs(t, dir, created)
	f, err := output.WriteDataPackage(dir, files, meta)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != output.DataPackageName || f.Format != output.FormatDataPackage || f.Rows != nil {
		t.Errorf("WriteDataPackage returned %+v", f)
	}
	f, err = output.WriteFiguresSchema(dir)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != output.FiguresSchemaName || f.Format != output.FormatJSONSchema || f.Rows != nil {
		t.Errorf("WriteFiguresSchema returned %+v", f)
	}
	return files, meta
}

func TestDataPackageGolden(t *testing.T) {
	dir := t.TempDir()
	writeDescriptors(t, dir, time.Time{})
	got, err := os.ReadFile(filepath.Join(dir, output.DataPackageName))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", output.DataPackageName)
	if updatingGolden() {
		if err := os.WriteFile(golden, got, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (if the change is intended, run go test ./output -update):\ngot:\n%s",
			output.DataPackageName, golden, got)
	}
}

func TestWriteFiguresSchema(t *testing.T) {
	dir := t.TempDir()
	writeDescriptors(t, dir, time.Time{})
	got, err := os.ReadFile(filepath.Join(dir, output.FiguresSchemaName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, schema.FiguresJSONSchema()) {
		t.Error("figures.schema.json is not schema.FiguresJSONSchema()")
	}
	if _, err := output.WriteFiguresSchema(filepath.Join(dir, "missing")); err == nil {
		t.Error("WriteFiguresSchema into a missing directory succeeded")
	}
}

// dataPackageJSON is datapackage.json as a reader sees it.
type dataPackageJSON struct {
	Schema      string `json:"$schema"`
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Created     string `json:"created"`
	Sources     []struct {
		Title string `json:"title"`
		Path  string `json:"path"`
	} `json:"sources"`
	Resources []resourceJSON `json:"resources"`
}

type resourceJSON struct {
	Name        string     `json:"name"`
	Type        string     `json:"type"`
	Path        string     `json:"path"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Format      string     `json:"format"`
	Mediatype   string     `json:"mediatype"`
	Encoding    string     `json:"encoding"`
	Bytes       int64      `json:"bytes"`
	Hash        string     `json:"hash"`
	Schema      schemaJSON `json:"schema"`
}

type schemaJSON struct {
	Fields        []fieldJSON `json:"fields"`
	MissingValues []string    `json:"missingValues"`
	PrimaryKey    []string    `json:"primaryKey"`
	ForeignKeys   []struct {
		Fields    []string `json:"fields"`
		Reference struct {
			Resource string   `json:"resource"`
			Fields   []string `json:"fields"`
		} `json:"reference"`
	} `json:"foreignKeys"`
}

type fieldJSON struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Delimiter   string `json:"delimiter"`
	ItemType    string `json:"itemType"`
	Constraints struct {
		Required         bool     `json:"required"`
		Enum             []string `json:"enum"`
		Pattern          string   `json:"pattern"`
		MinLength        *int     `json:"minLength"`
		MaxLength        *int     `json:"maxLength"`
		Minimum          *float64 `json:"minimum"`
		Maximum          *float64 `json:"maximum"`
		ExclusiveMinimum *float64 `json:"exclusiveMinimum"`
		ExclusiveMaximum *float64 `json:"exclusiveMaximum"`
	} `json:"constraints"`
}

func readDataPackage(t *testing.T, dir string) dataPackageJSON {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, output.DataPackageName))
	if err != nil {
		t.Fatal(err)
	}
	var dp dataPackageJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dp); err != nil {
		t.Fatalf("datapackage.json: %v\n%s", err, b)
	}
	return dp
}

// TestDataPackageDescribesTheCSVFiles checks datapackage.json against the
// files: each CSV file listed once with its real SHA-256 and size, its
// fields its header, its keys pointing at existing fields and resources.
func TestDataPackageDescribesTheCSVFiles(t *testing.T) {
	dir := t.TempDir()
	files, meta := writeDescriptors(t, dir, time.Time{})
	dp := readDataPackage(t, dir)
	if dp.Schema != "https://datapackage.org/profiles/2.1/datapackage.json" || dp.Name != "figures" || dp.Title == "" || dp.Description == "" {
		t.Errorf("$schema %q, name %q, title %q, description %q", dp.Schema, dp.Name, dp.Title, dp.Description)
	}
	if dp.Created != "" {
		t.Errorf("created is %q without SOURCE_DATE_EPOCH", dp.Created)
	}
	if len(dp.Sources) != len(meta.Sources) || dp.Sources[0].Title != meta.Sources[0].Title {
		t.Errorf("sources %+v, want the titles of %d declared sources", dp.Sources, len(meta.Sources))
	}
	var csvFiles []string
	for _, f := range files {
		if f.Format == output.FormatCSV {
			csvFiles = append(csvFiles, f.Name)
		}
	}
	var listed []string
	names := map[string]resourceJSON{}
	for _, r := range dp.Resources {
		listed = append(listed, r.Path)
		names[r.Name] = r
		b, err := os.ReadFile(filepath.Join(dir, r.Path))
		if err != nil {
			t.Fatal(err)
		}
		if r.Hash != "sha256:"+sha256Hex(b) || r.Bytes != int64(len(b)) {
			t.Errorf("%s: hash %s and bytes %d, the file has sha256:%s and %d", r.Path, r.Hash, r.Bytes, sha256Hex(b), len(b))
		}
		if r.Type != "table" || r.Format != "csv" || r.Mediatype != "text/csv" || r.Encoding != "utf-8" || r.Title == "" || r.Description == "" {
			t.Errorf("%s: %+v", r.Path, r)
		}
		if r.Path != r.Name+".csv" {
			t.Errorf("resource %s has path %s", r.Name, r.Path)
		}
		header, err := csv.NewReader(bytes.NewReader(b)).Read()
		if err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, f := range r.Schema.Fields {
			fields = append(fields, f.Name)
		}
		if !slices.Equal(fields, header) {
			t.Errorf("%s: fields %q, header %q", r.Path, fields, header)
		}
		if !slices.Equal(r.Schema.PrimaryKey, []string{"id"}) || !slices.Equal(r.Schema.MissingValues, []string{""}) {
			t.Errorf("%s: primaryKey %q, missingValues %q", r.Path, r.Schema.PrimaryKey, r.Schema.MissingValues)
		}
	}
	if !slices.Equal(listed, csvFiles) {
		t.Errorf("resources %q, want the CSV files written %q", listed, csvFiles)
	}
	for _, k := range schema.Kinds() {
		r := names[k.Plural]
		if len(r.Schema.ForeignKeys) != 1 {
			t.Fatalf("%s: foreignKeys %+v", k.Plural, r.Schema.ForeignKeys)
		}
		fk := r.Schema.ForeignKeys[0]
		if !slices.Equal(fk.Fields, []string{"source"}) || fk.Reference.Resource != "sources" || !slices.Equal(fk.Reference.Fields, []string{"id"}) {
			t.Errorf("%s: foreign key %+v", k.Plural, fk)
		}
	}
	if len(names["sources"].Schema.ForeignKeys) != 0 {
		t.Error("sources has a foreign key")
	}

	// With SOURCE_DATE_EPOCH, created is that time in UTC.
	created := time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("UTC+2", 7200))
	dir = t.TempDir()
	writeDescriptors(t, dir, created)
	if got := readDataPackage(t, dir).Created; got != "2024-05-01T10:00:00Z" {
		t.Errorf("created = %q, want 2024-05-01T10:00:00Z", got)
	}
}

// TestDataPackageTypes checks the Table Schema of one table field by field
// where the contract is precise: types, list delimiter, constraints, and
// which text fields allow for the formula guard.
func TestDataPackageTypes(t *testing.T) {
	dir := t.TempDir()
	writeDescriptors(t, dir, time.Time{})
	fields := map[string]fieldJSON{}
	for _, r := range readDataPackage(t, dir).Resources {
		for _, f := range r.Schema.Fields {
			fields[r.Name+"."+f.Name] = f
		}
	}
	num := func(f float64) *float64 { return &f }
	for name, want := range map[string]struct {
		typ               string
		required          bool
		pattern           string
		enum              []string
		minLen, maxLen    int // 0: none
		min, max, exclMin *float64
	}{
		"investment_totals.id":             {typ: "string", required: true, pattern: schema.SlugPattern},
		"investment_totals.kind":           {typ: "string", required: true, enum: []string{"investment_total"}},
		"investment_totals.investor":       {typ: "string", required: true, pattern: "^[A-Z]{2}$"},
		"investment_totals.amount":         {typ: "number", required: true, exclMin: num(0), max: num(1e13)},
		"investment_totals.qualifier":      {typ: "string", required: true, enum: schema.Qualifiers},
		"investment_totals.as_of":          {typ: "date", required: true},
		"investment_totals.sectors":        {typ: "list"},
		"investment_totals.note":           {typ: "string", pattern: "^'?(?:[^\\x00-\\x1f\\x7f-\\x9f\uFFFE\uFFFF]*)$", maxLen: 1001},
		"investment_totals.quote":          {typ: "string", required: true, pattern: "^'?(?:[^\\x00-\\x1f\\x7f-\\x9f\uFFFE\uFFFF]*)$", minLen: 10, maxLen: 2001},
		"investment_totals.page":           {typ: "integer", min: num(1), max: num(100000)},
		"investment_totals.quote_verified": {typ: "boolean", required: true},
		"investment_totals.input_line":     {typ: "integer", required: true},
		"enterprise_counts.as_of":          {typ: "date"},
		"enterprise_counts.enterprises":    {typ: "integer", required: true, min: num(0), max: num(9007199254740991)},
		"agreement_counts.parties":         {typ: "list", required: true, minLen: 2},
		"agreement_counts.documents":       {typ: "integer", required: true, min: num(1), max: num(9007199254740991)},
		"investment_totals.derived":        {typ: "string"},
		"sources.title":                    {typ: "string", required: true, pattern: "^'?(?:[^\\x00-\\x1f\\x7f-\\x9f\uFFFE\uFFFF]*)$", minLen: 1, maxLen: 501},
		"sources.year":                     {typ: "integer", min: num(1800), max: num(2100)},
		"sources.url":                      {typ: "string", pattern: "^[Hh][Tt][Tt][Pp][Ss]?://.*$", maxLen: 2000},
		"sources.sha256":                   {typ: "string", pattern: "^[0-9a-f]{64}$"},
	} {
		f, ok := fields[name]
		if !ok {
			t.Errorf("%s: no such field", name)
			continue
		}
		c := f.Constraints
		ptr := func(n int) *int {
			if n == 0 {
				return nil
			}
			return &n
		}
		eq := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
		eqi := func(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
		if f.Type != want.typ || c.Required != want.required || c.Pattern != want.pattern || !slices.Equal(c.Enum, want.enum) ||
			!eqi(c.MinLength, ptr(want.minLen)) || !eqi(c.MaxLength, ptr(want.maxLen)) ||
			!eq(c.Minimum, want.min) || !eq(c.Maximum, want.max) || !eq(c.ExclusiveMinimum, want.exclMin) {
			t.Errorf("%s: %+v, want %+v", name, f, want)
		}
		if f.Type == "list" && (f.Delimiter != ";" || f.ItemType != "string") {
			t.Errorf("%s: delimiter %q, itemType %q", name, f.Delimiter, f.ItemType)
		}
	}
	// A text field whose values may start with a formula character says
	// so, and its pattern admits the guard; the others do neither.
	for name, f := range fields {
		if f.Type != "string" || strings.HasSuffix(name, ".derived") { // derived starts with a field name
			continue
		}
		c := f.Constraints
		free := c.Enum == nil && (c.Pattern == "" || strings.HasPrefix(c.Pattern, "^'?(?:"))
		if mentions := strings.Contains(f.Description, "with a leading '"); mentions != free {
			t.Errorf("%s (pattern %q, enum %q): the description mentions the formula guard: %v", name, c.Pattern, c.Enum, mentions)
		}
	}
	for _, name := range []string{"investment_totals.note", "investment_totals.source_title", "investment_totals.input_file",
		"sources.title", "sources.text"} {
		if c := fields[name].Constraints; c.Enum != nil || c.Pattern != "" && !strings.HasPrefix(c.Pattern, "^'?(?:") {
			t.Errorf("%s: free text without the formula guard: %+v", name, c)
		}
	}
	for _, name := range []string{"investment_totals.id", "investment_totals.kind", "investment_totals.currency",
		"investment_totals.source", "sources.url", "sources.sha256"} {
		if c := fields[name].Constraints; strings.HasPrefix(c.Pattern, "^'?") || strings.Contains(fields[name].Description, "with a leading '") {
			t.Errorf("%s cannot start with a formula character, but allows for the guard: %+v", name, c)
		}
	}
}

// TestDataPackageListsOnlyWrittenFiles gives WriteDataPackage other sets
// of files: it lists the CSV files among them and nothing else.
func TestDataPackageListsOnlyWrittenFiles(t *testing.T) {
	dir := t.TempDir()
	files, meta := writeDefaultOutputs(t, dir, time.Time{})
	var kindsOnly []output.File
	for _, f := range files {
		if f.Format == output.FormatCSV && f.Name != "sources.csv" {
			kindsOnly = append(kindsOnly, f)
		}
	}
	// Without sources.csv: three resources, no foreign key to a missing one.
	if _, err := output.WriteDataPackage(dir, kindsOnly, meta); err != nil {
		t.Fatal(err)
	}
	dp := readDataPackage(t, dir)
	if len(dp.Resources) != 3 {
		t.Errorf("%d resources, want 3", len(dp.Resources))
	}
	for _, r := range dp.Resources {
		if len(r.Schema.ForeignKeys) != 0 {
			t.Errorf("%s refers to sources, which is not written", r.Name)
		}
	}
	// The order of files does not matter; other formats are left out.
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	reversed = append(reversed, output.File{Name: "figures.xlsx", Format: output.FormatXLSX})
	if _, err := output.WriteDataPackage(dir, reversed, meta); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, output.DataPackageName))
	want, _ := os.ReadFile(filepath.Join("testdata", "golden", output.DataPackageName))
	if !bytes.Equal(got, want) {
		t.Error("the files in another order, with a workbook, give another datapackage.json than the golden one")
	}

	for _, c := range []struct {
		name  string
		files []output.File
	}{
		{"no CSV file", []output.File{{Name: "figures.json", Format: output.FormatJSON}}},
		{"a CSV file of no known table", []output.File{{Name: "other.csv", Format: output.FormatCSV, Rows: map[string]int{"other": 1}}}},
		{"a CSV file that is not there", []output.File{{Name: "missing.csv", Format: output.FormatCSV, Rows: map[string]int{"sources": 1}}}},
		{"a table twice", append(slices.Clone(kindsOnly), kindsOnly[0])},
	} {
		if _, err := output.WriteDataPackage(dir, c.files, meta); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// ecmaCompiler returns a JSON Schema compiler with ECMA-262 regular
// expressions (the Data Package profiles use lookahead, which Go's RE2
// does not have).
func ecmaCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		re, err := regexp2.Compile(s, regexp2.ECMAScript)
		if err != nil {
			return nil, err
		}
		return (*ecmaRegexp)(re), nil
	})
	return c
}

type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }

// profile is the Data Package v2.1 profile: see testdata/datapackage/README.md.
const profile = "testdata/datapackage/datapackage-2.1.json"

// TestDataPackageProfile validates datapackage.json against the official
// Data Package v2.1 profile, and shows that the profile is doing its work:
// broken copies of the descriptor fail it.
func TestDataPackageProfile(t *testing.T) {
	sch, err := ecmaCompiler().Compile(profile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeDescriptors(t, dir, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	b, err := os.ReadFile(filepath.Join(dir, output.DataPackageName))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("datapackage.json fails the Data Package v2.1 profile:\n%v", err)
	}
	formulas := t.TempDir()
	writeCSVOf(t, formulas, formulaDataset(t), output.Options{CSVBOM: true})
	fb, err := os.ReadFile(filepath.Join(formulas, output.DataPackageName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fb, []byte(`"path": "https://example.org/=book"`)) {
		t.Errorf("the source's URL is not its path, scheme in lowercase:\n%s", fb)
	}
	if fdoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(fb)); err != nil {
		t.Fatal(err)
	} else if err := sch.Validate(fdoc); err != nil {
		t.Errorf("the datapackage.json of formula-like text fails the Data Package v2.1 profile:\n%v", err)
	}
	for _, c := range []struct {
		name   string
		change func(dp map[string]any)
	}{
		{"no resources", func(dp map[string]any) { dp["resources"] = []any{} }},
		{"a resource without name", func(dp map[string]any) { delete(resource(dp, 0), "name") }},
		{"a hash not in hex", func(dp map[string]any) { resource(dp, 0)["hash"] = "sha256:xyz" }},
		{"bytes as text", func(dp map[string]any) { resource(dp, 0)["bytes"] = "780" }},
		{"a path that leaves the package", func(dp map[string]any) { resource(dp, 0)["path"] = "../x.csv" }},
		{"an unknown field type", func(dp map[string]any) { field(dp, 0, 0)["type"] = "text" }},
		{"required as text", func(dp map[string]any) {
			field(dp, 0, 12)["constraints"] = map[string]any{"required": "yes"} // page
		}},
		{"a list with a numeric delimiter", func(dp map[string]any) { field(dp, 0, 8)["delimiter"] = 1 }},
		{"created not a date-time", func(dp map[string]any) { dp["created"] = 1714521600 }},
		{"an empty source", func(dp map[string]any) { dp["sources"] = []any{map[string]any{}} }},
	} {
		var dp map[string]any
		if err := json.Unmarshal(b, &dp); err != nil {
			t.Fatal(err)
		}
		c.change(dp)
		changed, _ := json.Marshal(dp)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(changed))
		if sch.Validate(v) == nil {
			t.Errorf("datapackage.json with %s passes the profile", c.name)
		}
	}
}

func resource(dp map[string]any, i int) map[string]any {
	return dp["resources"].([]any)[i].(map[string]any)
}

func field(dp map[string]any, r, f int) map[string]any {
	return resource(dp, r)["schema"].(map[string]any)["fields"].([]any)[f].(map[string]any)
}

// writeCSVOf validates a dataset and writes it as CSV into dir, then
// writes datapackage.json.
func writeCSVOf(t *testing.T, dir string, files []input.File, opts output.Options) {
	t.Helper()
	w, err := output.New(output.FormatCSV, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sum, err := pipeline.Check(context.Background(), files, quietReporter{}, fanout{w}, pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors > 0 {
		t.Fatalf("the dataset has %d errors", sum.Errors)
	}
	meta := &output.Meta{Tool: "export", Version: "test", Sources: sum.Declared}
	written, err := w.Finish(meta)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := output.WriteDataPackage(dir, written, meta); err != nil {
		t.Fatal(err)
	}
}

// formulaDataset is valid data whose free text starts with the characters
// a spreadsheet reads as a formula, at the longest the rules allow, so that
// every such cell of the CSV output carries the apostrophe guard.
func formulaDataset(t *testing.T) []input.File {
	t.Helper()
	text := func(first string, n int) string { return first + strings.Repeat("x", n-1) }
	// The figures are made up: derived says so, with reasons as long as
	// the rule allows, starting like formulas too.
	derived := func(fields ...string) map[string]any {
		m := map[string]any{}
		for _, f := range fields {
			m[f] = text("=", 500)
		}
		return m
	}
	doc := map[string]any{
		"sources": []any{map[string]any{
			"id": "src", "title": text("=", 500), "chapter": text("-", 500), "pages": text("+", 100),
			"publisher": text("@", 500), "year": 1800, "url": "HTTPS://example.org/=book",
		}},
		"records": []any{
			map[string]any{"id": "inv", "kind": "investment_total", "investor": "KR", "recipient": "KZ",
				"amount": 1e13, "currency": "USD", "as_of": "2008-02-29", "sectors": []any{"other"},
				"note": text("=", 1000), "source": "src", "page": 100000, "citation": text("-", 500),
				"authority": text("+", 500), "quote": text("@", 2000),
				"derived": derived("amount", "as_of", "page", "investor", "recipient")},
			map[string]any{"id": "ent", "kind": "enterprise_count", "partner": "KR", "host": "KZ",
				"enterprises": 0, "joint_ventures": 0, "source": "src", "quote": text("-", 10), "note": "+1",
				"derived": derived("enterprises", "joint_ventures", "partner", "host")},
			map[string]any{"id": "agr", "kind": "agreement_count", "parties": []any{"KZ", "KR", "JP"},
				"documents": 1, "source": "src", "quote": "=SUM(A1:A9) is not a figure", "citation": "@x",
				"derived": derived("documents", "parties")},
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return []input.File{input.FromFS(fstest.MapFS{"formulas.json": {Data: b}}, "formulas.json", "formulas.json")}
}

// TestCSVMeetsItsTableSchema reads the CSV files as a Frictionless
// validator would and checks every cell against the Table Schema in
// datapackage.json: types, required, enum, pattern (anchored, as
// frictionless-py anchors it), lengths, bounds, the primary key and the
// foreign keys. Valid data must pass, including free text that the CSV
// writer guards with an apostrophe, and a file with a byte order mark.
func TestCSVMeetsItsTableSchema(t *testing.T) {
	t.Run("default dataset", func(t *testing.T) {
		dir := t.TempDir()
		writeDescriptors(t, dir, time.Time{})
		if problems := checkTables(t, dir); len(problems) > 0 {
			t.Errorf("the CSV files do not meet datapackage.json:\n%s", strings.Join(problems, "\n"))
		}
	})
	for _, bom := range []bool{false, true} {
		t.Run(fmt.Sprintf("formula characters, BOM %v", bom), func(t *testing.T) {
			dir := t.TempDir()
			writeCSVOf(t, dir, formulaDataset(t), output.Options{CSVBOM: bom})
			if problems := checkTables(t, dir); len(problems) > 0 {
				t.Errorf("the CSV files do not meet datapackage.json:\n%s", strings.Join(problems, "\n"))
			}
			// The guard is there, and the schema allowed for it.
			b, _ := os.ReadFile(filepath.Join(dir, "investment_totals.csv"))
			if !bytes.Contains(b, []byte(",'="+strings.Repeat("x", 999)+",")) {
				t.Error("investment_totals.csv has no guarded note: the test data no longer tests the guard")
			}
		})
	}
	// The checker is not blind: it finds a broken cell of each sort.
	dir := t.TempDir()
	writeCSVOf(t, dir, formulaDataset(t), output.Options{})
	for _, c := range []struct{ file, old, new, want string }{
		{"investment_totals.csv", ",KR,KZ,", ",kr,KZ,", "investor"},
		{"investment_totals.csv", ",10000000000000,", ",10000000000001,", "amount"},
		{"investment_totals.csv", ",2008-02-29,", ",2008-02-30,", "as_of"},
		{"investment_totals.csv", ",'=" + strings.Repeat("x", 999) + ",", ",'=" + strings.Repeat("x", 1000) + ",", "note"},
		{"investment_totals.csv", ",'=" + strings.Repeat("x", 999) + ",", ",=" + strings.Repeat("x", 999) + "\a,", "note"},
		{"investment_totals.csv", ",false,", ",maybe,", "quote_verified"},
		{"agreement_counts.csv", ",KZ;KR;JP,", ",KZ,", "parties"},
		{"enterprise_counts.csv", ",src,", ",other,", "source"},
		{"sources.csv", ",1800,", ",1799,", "year"},
	} {
		path := filepath.Join(dir, c.file)
		orig, _ := os.ReadFile(path)
		if !bytes.Contains(orig, []byte(c.old)) {
			t.Fatalf("%s does not hold %q", c.file, c.old)
		}
		os.WriteFile(path, bytes.Replace(orig, []byte(c.old), []byte(c.new), 1), 0o666)
		problems := checkTables(t, dir)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("%s with %q: the checker finds %q, nothing about %s", c.file, c.new, problems, c.want)
		}
		os.WriteFile(path, orig, 0o666)
	}
}

// checkTables checks every resource of dir/datapackage.json against its
// file, and returns the problems.
func checkTables(t *testing.T, dir string) []string {
	t.Helper()
	dp := readDataPackage(t, dir)
	var problems []string
	keys := map[string]map[string]bool{} // resource -> primary key values
	type ref struct {
		resource, field, value, where string
	}
	var refs []ref
	for _, r := range dp.Resources {
		b, err := os.ReadFile(filepath.Join(dir, r.Path))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		keys[r.Name] = map[string]bool{}
		for i, row := range rows[1:] {
			for j, f := range r.Schema.Fields {
				where := fmt.Sprintf("%s row %d %s", r.Path, i+2, f.Name)
				if p := checkCell(f, row[j], r.Schema.MissingValues); p != "" {
					problems = append(problems, where+": "+p)
				}
				if f.Name == "id" {
					if keys[r.Name][row[j]] {
						problems = append(problems, where+": primary key "+row[j]+" repeated")
					}
					keys[r.Name][row[j]] = true
				}
				for _, fk := range r.Schema.ForeignKeys {
					if fk.Fields[0] == f.Name {
						refs = append(refs, ref{fk.Reference.Resource, fk.Reference.Fields[0], row[j], where})
					}
				}
			}
		}
	}
	for _, r := range refs {
		if !keys[r.resource][r.value] {
			problems = append(problems, fmt.Sprintf("%s: %q is not an id of %s", r.where, r.value, r.resource))
		}
	}
	return problems
}

// checkCell checks one cell against a field, as the Table Schema
// specification and frictionless-py read it.
func checkCell(f fieldJSON, cell string, missing []string) string {
	c := f.Constraints
	if slices.Contains(missing, cell) {
		if c.Required {
			return "required, but empty"
		}
		return ""
	}
	var num float64
	length := utf8.RuneCountInString(cell)
	switch f.Type {
	case "string":
	case "integer":
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return fmt.Sprintf("%q is not an integer", cell)
		}
		num = float64(n)
	case "number":
		n, err := strconv.ParseFloat(cell, 64)
		if err != nil || strings.ContainsAny(cell, "eE") {
			return fmt.Sprintf("%q is not a plain number", cell)
		}
		num = n
	case "date":
		if _, err := time.Parse(time.DateOnly, cell); err != nil {
			return fmt.Sprintf("%q is not a date", cell)
		}
	case "boolean":
		if !slices.Contains([]string{"true", "True", "TRUE", "1", "false", "False", "FALSE", "0"}, cell) {
			return fmt.Sprintf("%q is not a boolean", cell)
		}
	case "list":
		length = len(strings.Split(cell, f.Delimiter))
	default:
		return "unknown type " + f.Type
	}
	if c.Enum != nil && !slices.Contains(c.Enum, cell) {
		return fmt.Sprintf("%q is not one of %q", cell, c.Enum)
	}
	if c.Pattern != "" && !regexp.MustCompile("^(?:"+c.Pattern+")$").MatchString(cell) {
		return fmt.Sprintf("%q does not match %s", truncate(cell), c.Pattern)
	}
	if c.MinLength != nil && length < *c.MinLength || c.MaxLength != nil && length > *c.MaxLength {
		return fmt.Sprintf("length %d is out of [%v, %v]", length, deref(c.MinLength), deref(c.MaxLength))
	}
	if c.Minimum != nil && num < *c.Minimum || c.Maximum != nil && num > *c.Maximum ||
		c.ExclusiveMinimum != nil && num <= *c.ExclusiveMinimum || c.ExclusiveMaximum != nil && num >= *c.ExclusiveMaximum ||
		math.IsNaN(num) {
		return fmt.Sprintf("%s is out of bounds", cell)
	}
	return ""
}

func deref(p *int) any {
	if p == nil {
		return "-"
	}
	return *p
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// The interoperability tests run validators nobody on the team wrote.
// Without them they skip, loudly; with EXPORT_REQUIRE_INTEROP=1 (set by
// CI) they fail instead. Each is named TestInterop… and skips through
// interopMissing, whose "SKIPPED, NOT RUN: " message .ci/testsummary
// looks for: so .ci/run lists every interop test as run or skipped.

func interopMissing(t *testing.T, env, msg string) {
	t.Helper()
	if os.Getenv(env) == "1" {
		t.Fatalf("%s=1, but %s", env, msg)
	}
	fmt.Fprintf(os.Stderr, "WARNING: %s SKIPPED: %s\n", t.Name(), msg) // seen without -v too
	t.Skip("SKIPPED, NOT RUN: " + msg)
}

// pythonWith returns a Python interpreter that can import module:
// $EXPORT_PYTHON, then Debian's /usr/bin/python3 (where python3-jsonschema
// and python3-openpyxl install), then python3 on PATH, which may be a pyenv
// or venv interpreter without it. It returns "" when none can.
func pythonWith(module string) string {
	candidates := []string{os.Getenv("EXPORT_PYTHON"), "/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if p != "" && exec.Command(p, "-c", "import "+module).Run() == nil {
			return p
		}
	}
	return ""
}

// TestInteropPythonJSONSchema validates figures.json against
// figures.schema.json (Draft202012Validator), and datapackage.json against
// the Data Package profile (Draft7Validator), with python3-jsonschema and
// testdata/datapackage/check_jsonschema.py. Broken copies must fail.
func TestInteropPythonJSONSchema(t *testing.T) {
	python := pythonWith("jsonschema")
	if python == "" {
		interopMissing(t, "EXPORT_REQUIRE_INTEROP",
			"Python's jsonschema is not available: install the Debian package python3-jsonschema (apt-get install python3-jsonschema) to run this test")
	}
	script, _ := filepath.Abs("testdata/datapackage/check_jsonschema.py")
	dir := t.TempDir()
	writeDescriptors(t, dir, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	formulas := t.TempDir()
	writeCSVOf(t, formulas, formulaDataset(t), output.Options{CSVBOM: true})
	run := func(schemaPath string, docs ...string) (string, error) {
		out, err := exec.Command(python, append([]string{script, schemaPath}, docs...)...).CombinedOutput()
		return string(out), err
	}

	golden, _ := filepath.Abs("testdata/golden/figures.json")
	out, err := run(filepath.Join(dir, output.FiguresSchemaName), filepath.Join(dir, "figures.json"), golden)
	if err != nil || !strings.Contains(out, "validator: Draft202012Validator") || strings.Count(out, ": valid") != 2 {
		t.Errorf("figures.json against figures.schema.json: %v\n%s", err, out)
	}
	out, err = run(profile, filepath.Join(dir, output.DataPackageName), filepath.Join(formulas, output.DataPackageName))
	if err != nil || !strings.Contains(out, "validator: Draft7Validator") || strings.Count(out, ": valid") != 2 {
		t.Errorf("datapackage.json against the Data Package v2.1 profile: %v\n%s", err, out)
	}

	// Broken copies fail: the script and the schemas are not vacuous.
	broken := func(name, old, new string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s does not hold %q", name, old)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Each must fail for its own change: the error names the document and
	// the place changed (the script exits 1 for an invalid document, but
	// Python also exits 1 on any exception).
	for _, c := range []struct{ schema, doc, where string }{
		{filepath.Join(dir, output.FiguresSchemaName), broken("figures.json", `"amount": 3000000000`, `"amount": "3000000000"`),
			"investment_totals/0/amount: '3000000000' is not of type 'number'"},
		{filepath.Join(dir, output.FiguresSchemaName), broken("figures.json", `"as_of": "2008-09-30"`, `"as_of": "2008-09-31"`),
			"investment_totals/0/as_of: '2008-09-31' is not a 'date'"},
		{profile, broken(output.DataPackageName, `"type": "list"`, `"type": "lists"`), "resources/0/schema/fields/8: "},
		{profile, broken(output.DataPackageName, `"path": "sources.csv"`, `"path": "../sources.csv"`), "resources/3/path: '../sources.csv'"},
	} {
		out, err := run(c.schema, c.doc)
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 ||
			!strings.Contains(out, c.doc+": "+c.where) || strings.Contains(out, "Traceback") {
			t.Errorf("%s against %s: %v, want exit status 1 and the error %q\n%s", c.doc, c.schema, err, c.where, out)
		}
	}
}
