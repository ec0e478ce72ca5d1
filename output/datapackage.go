package output

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"export/schema"
)

// The descriptors written beside the data files.
const (
	// DataPackageName is the Frictionless Data Package that describes the
	// CSV files; FormatDataPackage is the Format of its File.
	DataPackageName   = "datapackage.json"
	FormatDataPackage = "datapackage"
	// FiguresSchemaName is the JSON Schema of figures.json;
	// FormatJSONSchema is the Format of its File.
	FiguresSchemaName = "figures.schema.json"
	FormatJSONSchema  = "jsonschema"
)

// DataPackageProfile is the profile datapackage.json declares in
// "$schema": Data Package v2.1. The v2.0 profile leaves out the list
// field type that the v2.0 standard defines (frictionlessdata/datapackage
// issue 1089, fixed in v2.1), so a package with list fields, as ours,
// validates only against v2.1.
const DataPackageProfile = "https://datapackage.org/profiles/2.1/datapackage.json"

// injectionChars are the first characters for which the CSV writer
// prefixes a text cell with an apostrophe, found by asking neutralise
// itself so that the two cannot disagree: =, +, -, @, TAB and CR.
var injectionChars = func() string {
	var set []byte
	for c := byte(0); c < utf8.RuneSelf; c++ {
		if s := string(c); neutralise(s) != s {
			set = append(set, c)
		}
	}
	return string(set)
}()

// WriteDataPackage writes datapackage.json in dir: a Frictionless Data
// Package (v2.1) that describes the CSV files among files, so that a
// Frictionless tool (frictionless validate, a Data Package loader) can
// check them and load them with their types. Call it
// after the CSV writer's Finish, with the Files it returned: their SHA256
// and Bytes are used as given (the writer hashed what it wrote), and a
// File without them is hashed as it is on disk.
//
// The package has, in this order: "$schema", "name" (figures), "title",
// "description", "created" (only when meta.Created is set, RFC 3339 UTC),
// "sources" (the declared sources as Data Package sources: their title,
// and their URL, scheme in lowercase, as "path" when they have one) and
// "resources": one per CSV
// file, the kinds' tables in kind order then sources. Each resource has
// "name" (the table's name), "type" (table), "path", "title",
// "description", "format" (csv), "mediatype" (text/csv), "encoding"
// (utf-8, also when the file starts with a byte order mark, which
// Frictionless tools skip), "bytes", "hash" ("sha256:" and the lowercase
// hex digest) and "schema", a Table Schema derived from the struct tags
// (see tableSchema). JSON Lines and Parquet files of the same tables are
// listed after the CSV ones, named with a suffix (investment_totals_jsonl).
// The same
// files and meta give the same bytes.
//
// The returned File describes datapackage.json, with Rows nil.
func WriteDataPackage(dir string, files []File, meta *Meta) (File, error) {
	if meta == nil {
		meta = &Meta{}
	}
	fail := func(err error) (File, error) {
		return File{}, fmt.Errorf("writing %s: %w", DataPackageName, err)
	}
	type table struct {
		file  File
		name  string
		rank  int
		kind  *schema.Kind // nil for sources
		table *schema.Table
	}
	var tables []table
	var databases []File // figures.sqlite: one resource for the file
	for _, f := range files {
		switch formatOf(f.Format).role() {
		case PackagedDatabase:
			databases = append(databases, f)
			continue
		case NotPackaged:
			continue
		}
		t := table{file: f, name: tableOf(f)}
		for i, k := range schema.Kinds() {
			if k.Plural == t.name {
				t.rank, t.kind, t.table = i, k, k.Table()
			}
		}
		if src := schema.SourceTable(); t.name == src.Name {
			t.rank, t.table = len(schema.Kinds()), src
		}
		if t.table == nil {
			return fail(fmt.Errorf("%s holds no known table", f.Name))
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 && len(databases) == 0 {
		return fail(fmt.Errorf("no table file to describe"))
	}
	// CSV first (the resources a foreign key refers to), then the same
	// tables in the other formats; kinds in kind order, sources last.
	formatRank := func(f string) int { return formatOf(f).Rank }
	slices.SortStableFunc(tables, func(a, b table) int {
		return cmp.Or(cmp.Compare(formatRank(a.file.Format), formatRank(b.file.Format)), cmp.Compare(a.rank, b.rank))
	})
	// The first format of tables (CSV) names its resources plainly; the
	// others add the format's name. A kind's table refers to the sources
	// table of its own format.
	primary := primaryTables()
	resourceName := func(table, format string) string {
		if format == primary.Name {
			return table
		}
		return table + "_" + format
	}
	sourcesOf := map[string]string{} // format -> its sources resource
	for i, t := range tables {
		if i > 0 && t.name == tables[i-1].name && t.file.Format == tables[i-1].file.Format {
			return fail(fmt.Errorf("table %s is listed twice", t.name))
		}
		if t.kind == nil {
			sourcesOf[t.file.Format] = resourceName(t.name, t.file.Format)
		}
	}

	pkg := dataPackage{
		Schema: DataPackageProfile,
		Name:   "figures",
		Title:  "Economic figures with their provenance",
		Description: fmt.Sprintf("Validated figures and the sources they come from, written by %s %s. "+
			"Each kind of record has its own table; every row holds the record's own fields, then its provenance: "+
			"the source (a key into the sources table), page, citation, authority, the quote that states the figure, "+
			"whether the quote was found in the source's text, and the input file and line it was read from. "+
			"manifest.json beside this file lists the inputs and the validation summary.",
			cmp.Or(meta.Tool, "export"), cmp.Or(meta.Version, "(no version)")),
		Resources: make([]dpResource, 0, len(tables)),
	}
	if !meta.Created.IsZero() {
		pkg.Created = newGeneratedBy(meta).Created
	}
	for _, s := range meta.Sources {
		if s != nil {
			pkg.Sources = append(pkg.Sources, dpSource{Title: s.Title, Path: lowerScheme(s.URL)})
		}
	}
	for _, t := range tables {
		sum, size, err := t.file.digest(dir)
		if err != nil {
			return fail(err)
		}
		format := t.file.Format
		r := dpResource{
			Name:      t.name,
			Type:      "table",
			Path:      t.file.Name,
			Title:     tableTitle(t.name),
			Format:    format,
			Mediatype: formatOf(format).MediaType,
			Bytes:     size,
			Hash:      "sha256:" + sum,
			Schema:    tableSchema(resourceColumns(t.table, format), kindName(t.kind), formatOf(format).Guarded, formatOf(format).Objects),
		}
		if !formatOf(format).Binary {
			r.Encoding = "utf-8"
		}
		if format != primary.Name {
			// Resource names are unique in a package: the CSV table keeps
			// the plain name, the same table in another format gets a suffix.
			r.Name = resourceName(t.name, format)
			r.Title += " (" + formatOf(format).Title + ")"
		}
		if t.kind != nil {
			r.Description = t.kind.Doc + " One row per record of kind " + t.kind.Name + "."
			if src, ok := sourcesOf[format]; ok {
				r.Schema.ForeignKeys = []dpForeignKey{{
					Fields:    []string{"source"},
					Reference: dpReference{Resource: src, Fields: []string{"id"}},
				}}
			}
		} else {
			r.Description = "The sources the figures come from, one row per declared source."
		}
		pkg.Resources = append(pkg.Resources, r)
	}
	for _, f := range databases {
		r, err := databaseResource(dir, f)
		if err != nil {
			return fail(err)
		}
		pkg.Resources = append(pkg.Resources, r)
	}
	b, err := indentedJSON(pkg, "")
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, DataPackageName), append(b, '\n'), 0o666); err != nil {
		return fail(err)
	}
	return File{Name: DataPackageName, Format: FormatDataPackage}, nil
}

// WriteFiguresSchema writes figures.schema.json in dir: the JSON Schema
// (draft 2020-12) that figures.json validates against, the same bytes as
// schema.FiguresJSONSchema. The returned File has Rows nil.
func WriteFiguresSchema(dir string) (File, error) {
	if err := os.WriteFile(filepath.Join(dir, FiguresSchemaName), schema.FiguresJSONSchema(), 0o666); err != nil {
		return File{}, fmt.Errorf("writing %s: %w", FiguresSchemaName, err)
	}
	return File{Name: FiguresSchemaName, Format: FormatJSONSchema}, nil
}

// databaseResource describes figures.sqlite: one resource for the whole
// database (a Table Schema describes one table), with its media type
// (application/vnd.sqlite3, as registered with IANA), size and hash; its
// tables describe themselves in their _columns and _tables.
func databaseResource(dir string, f File) (dpResource, error) {
	sum, size, err := f.digest(dir)
	if err != nil {
		return dpResource{}, err
	}
	return dpResource{
		Name:  "figures_" + f.Format,
		Path:  f.Name,
		Title: "Figures (" + formatOf(f.Format).Title + " database)",
		Description: "Every table in one SQLite database: one table per kind and sources, with the CSV files' columns, " +
			"typed, with keys, references and checks, child tables for lists, derived and stated, the view figures, " +
			"and the data dictionary in _columns and _tables.",
		Format:    f.Format,
		Mediatype: formatOf(f.Format).MediaType,
		Bytes:     size,
		Hash:      "sha256:" + sum,
	}, nil
}

// lowerScheme writes a URL's scheme in lowercase (HTTPS://x as https://x):
// export accepts either, a Data Package path only the lowercase one.
func lowerScheme(url string) string {
	if scheme, rest, ok := strings.Cut(url, "://"); ok {
		return strings.ToLower(scheme) + "://" + rest
	}
	return url
}

func kindName(k *schema.Kind) string {
	if k == nil {
		return ""
	}
	return k.Name
}

// tableOf returns the name of the table a CSV file holds: the one table
// its Rows count, or else its name without the extension.
func tableOf(f File) string {
	if len(f.Rows) == 1 {
		for name := range f.Rows {
			return name
		}
	}
	return strings.TrimSuffix(f.Name, filepath.Ext(f.Name))
}

// tableTitle turns investment_totals into "Investment totals".
func tableTitle(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// tableSchema returns the Table Schema of a CSV file with the columns:
//   - field types string, integer, number, date, boolean, and list (with
//     delimiter ";" and itemType string) for lists;
//   - "constraints" from schema.Column.Constraints, the translation of the
//     tags that the JSON Schemas use too: required (required fields, the
//     kind and the columns export computes), enum, pattern, minLength and
//     maxLength (characters of a text, values of a list), minimum,
//     maximum, exclusiveMinimum, exclusiveMaximum. Date fields carry no
//     pattern: the date type checks more (a real date) than the pattern.
//     What a list's values must be (a vocabulary, a country code, no
//     repeats) Table Schema cannot state; the description says it;
//   - "missingValues": [""] (an absent value is an empty cell) and
//     "primaryKey": ["id"];
//   - the kind column (of a kind's table: kind names it) has enum [kind].
//
// The CSV writer prefixes a text cell that starts with a formula character
// with an apostrophe (see neutralise), so for a text column whose values
// may start with one (free text, such as quote or note) a pattern admits
// that apostrophe and maxLength counts it: a valid cell of such a column
// may be one character longer than the rule says. The field's description
// says so. Columns whose values cannot start with one (identifiers, codes,
// vocabularies, URLs) keep their constraints as they are.
//
// derived is an object in JSON Lines (objects set), and text (one "field:
// reason" per line) in CSV and Parquet; stated is in JSON Lines only.
func tableSchema(columns []*schema.Column, kind string, csvGuard, objects bool) dpSchema {
	s := dpSchema{MissingValues: []string{""}, PrimaryKey: []string{"id"}}
	for _, c := range columns {
		k := c.Constraints()
		if c.Synthetic {
			k.Enum = []string{kind} // the kind column holds the kind's name
		}
		f := dpField{
			Name:        c.Name,
			Type:        c.Type.String(),
			Description: strings.TrimSpace(c.Doc + " Rules: " + c.Describe() + "."),
			Constraints: &dpConstraints{Required: c.AlwaysPresent()},
		}
		if c.Type == schema.TextMap && !objects {
			f.Type = schema.String.String()
		}
		switch c.Type {
		case schema.String:
			guarded := csvGuard && mayNeedGuard(k)
			f.Constraints.Enum = k.Enum
			if guarded && k.Enum != nil {
				f.Constraints.Enum = nil
				for _, v := range k.Enum {
					f.Constraints.Enum = append(f.Constraints.Enum, neutralise(v))
				}
			}
			if k.Pattern != "" {
				f.Constraints.Pattern = fullPattern(k.Pattern, guarded)
			}
			f.Constraints.MinLength = k.MinLength
			f.Constraints.MaxLength = k.MaxLength
			if guarded {
				if n, ok := k.MaxLength.(int64); ok {
					f.Constraints.MaxLength = n + 1
				}
				f.Description += " In this CSV file a value that starts with =, +, -, @, a tab or a carriage return " +
					"is written with a leading ' so that a spreadsheet cannot run it as a formula; " +
					"strip it when you read the file with a program. The cell is then one character longer than the value."
			}
		case schema.StringList:
			f.Delimiter, f.ItemType = listSep, "string"
			f.Constraints.MinLength = k.MinLength
			f.Constraints.MaxLength = k.MaxLength
		case schema.Integer, schema.Number:
			f.Constraints.Minimum = k.Minimum
			f.Constraints.Maximum = k.Maximum
			f.Constraints.ExclusiveMinimum = k.ExclusiveMinimum
			f.Constraints.ExclusiveMaximum = k.ExclusiveMaximum
		}
		if f.Constraints.empty() {
			f.Constraints = nil
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

// resourceColumns returns the columns of a table as a file of format has
// them: one that writes objects (JSON Lines) has every column, the others
// all but stated.
func resourceColumns(t *schema.Table, format string) []*schema.Column {
	if formatOf(format).Objects {
		return t.Columns
	}
	return t.TableColumns()
}

// mayNeedGuard reports whether a present text value that meets the
// constraints can start with one of injectionChars, and so be written
// with the apostrophe guard. It is conservative: true unless the
// vocabulary or the pattern shows that the first character cannot be one.
func mayNeedGuard(k schema.Constraints) bool {
	if k.Enum != nil {
		for _, v := range k.Enum {
			if neutralise(v) != v {
				return true
			}
		}
		return false
	}
	if k.Pattern == "" {
		return true
	}
	first, ok := firstRune(k.Pattern)
	if !ok {
		return true
	}
	for _, r := range injectionChars {
		if first(r) {
			return true
		}
	}
	return false
}

// firstRune returns a test for the first character of a non-empty match of
// the regular expression, when the expression's shape makes it plain: it
// starts (after ^) with a literal, a character class, or a group,
// alternation or repetition of those that cannot match empty. ok is false
// otherwise.
func firstRune(pattern string) (test func(rune) bool, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	var first func(re *syntax.Regexp) (func(rune) bool, bool)
	first = func(re *syntax.Regexp) (func(rune) bool, bool) {
		switch re.Op {
		case syntax.OpLiteral:
			if len(re.Rune) == 0 {
				return nil, false
			}
			r0, fold := re.Rune[0], re.Flags&syntax.FoldCase != 0
			return func(r rune) bool {
				for f := r0; ; f = unicode.SimpleFold(f) { // [Hh] is a literal h in any case
					if f == r {
						return true
					}
					if !fold || unicode.SimpleFold(f) == r0 {
						return false
					}
				}
			}, true
		case syntax.OpCharClass:
			ranges := re.Rune
			return func(r rune) bool {
				for i := 0; i+1 < len(ranges); i += 2 {
					if ranges[i] <= r && r <= ranges[i+1] {
						return true
					}
				}
				return false
			}, true
		case syntax.OpCapture, syntax.OpPlus:
			return first(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				return first(re.Sub[0])
			}
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				if sub.Op != syntax.OpBeginText && sub.Op != syntax.OpBeginLine {
					return first(sub)
				}
			}
		case syntax.OpAlternate:
			var tests []func(rune) bool
			for _, sub := range re.Sub {
				t, ok := first(sub)
				if !ok {
					return nil, false
				}
				tests = append(tests, t)
			}
			return func(r rune) bool {
				return slices.ContainsFunc(tests, func(t func(rune) bool) bool { return t(r) })
			}, true
		}
		return nil, false
	}
	return first(re)
}

// fullPattern turns a pattern of schema.Constraints into a Table Schema
// pattern that matches the whole cell: Frictionless tools anchor a pattern
// themselves (frictionless-py tests ^pattern$), so a pattern that tests
// only a prefix, such as ^https?://, gets a trailing .* and both anchors.
// With guard, the pattern also admits the apostrophe the CSV writer
// prefixes to a value that starts with a formula character.
func fullPattern(p string, guard bool) string {
	body, anchored := strings.CutPrefix(p, "^")
	if !anchored {
		body = ".*" + body
	}
	if b, ok := strings.CutSuffix(body, "$"); ok && !strings.HasSuffix(body, `\$`) {
		body = b
	} else {
		body += ".*"
	}
	// Grouped where it matters, so that a pattern with an alternation
	// stays anchored whole (^a|b$ would anchor a at the start only).
	switch {
	case guard:
		return "^'?(?:" + body + ")$"
	case strings.Contains(body, "|"):
		return "^(?:" + body + ")$"
	}
	return "^" + body + "$"
}

// dataPackage is datapackage.json. Field order is key order.
type dataPackage struct {
	Schema      string       `json:"$schema"`
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Created     string       `json:"created,omitempty"`
	Sources     []dpSource   `json:"sources,omitempty"`
	Resources   []dpResource `json:"resources"`
}

type dpSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type dpResource struct {
	Name        string   `json:"name"`
	Type        string   `json:"type,omitempty"`
	Path        string   `json:"path"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Format      string   `json:"format"`
	Mediatype   string   `json:"mediatype"`
	Encoding    string   `json:"encoding,omitempty"`
	Bytes       int64    `json:"bytes"`
	Hash        string   `json:"hash"`
	Schema      dpSchema `json:"schema,omitzero"`
}

type dpSchema struct {
	Fields        []dpField      `json:"fields"`
	MissingValues []string       `json:"missingValues"`
	PrimaryKey    []string       `json:"primaryKey"`
	ForeignKeys   []dpForeignKey `json:"foreignKeys,omitempty"`
}

type dpField struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Description string         `json:"description,omitempty"`
	Delimiter   string         `json:"delimiter,omitempty"`
	ItemType    string         `json:"itemType,omitempty"`
	Constraints *dpConstraints `json:"constraints,omitempty"`
}

// dpConstraints are a field's constraints; the bounds hold an int64 or a
// float64, nil when absent.
type dpConstraints struct {
	Required         bool     `json:"required,omitempty"`
	Enum             []string `json:"enum,omitempty"`
	Pattern          string   `json:"pattern,omitempty"`
	MinLength        any      `json:"minLength,omitempty"`
	MaxLength        any      `json:"maxLength,omitempty"`
	Minimum          any      `json:"minimum,omitempty"`
	Maximum          any      `json:"maximum,omitempty"`
	ExclusiveMinimum any      `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum any      `json:"exclusiveMaximum,omitempty"`
}

func (c *dpConstraints) empty() bool {
	return !c.Required && c.Enum == nil && c.Pattern == "" && c.MinLength == nil && c.MaxLength == nil &&
		c.Minimum == nil && c.Maximum == nil && c.ExclusiveMinimum == nil && c.ExclusiveMaximum == nil
}

type dpForeignKey struct {
	Fields    []string    `json:"fields"`
	Reference dpReference `json:"reference"`
}

type dpReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}
