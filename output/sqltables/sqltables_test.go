package sqltables_test

import (
	"bytes"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"export/output/sqltables"
	"export/schema"
)

var update = flag.Bool("update", false, "rewrite the golden DDL files")

// TestDDLGolden writes every table's DDL in both dialects and compares it
// with testdata/golden/{sqlite,postgresql}.sql (go test
// ./output/sqltables -update rewrites them): a change of a table is read
// in the diff.
func TestDDLGolden(t *testing.T) {
	for _, d := range []sqltables.Dialect{sqltables.SQLite, sqltables.PostgreSQL} {
		schemaName := ""
		if d == sqltables.PostgreSQL {
			schemaName = "export"
		}
		var b strings.Builder
		for _, tb := range sqltables.Tables() {
			b.WriteString(d.CreateTable(schemaName, tb) + ";\n")
		}
		b.WriteString(d.CreateFiguresView(schemaName) + ";\n")
		path := filepath.Join("testdata", "golden", strings.ToLower(d.String())+".sql")
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o666); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./output/sqltables -update)", err)
		}
		if !bytes.Equal(want, []byte(b.String())) {
			t.Errorf("%s DDL differs from %s (if intended, run go test ./output/sqltables -update and read the diff)", d, path)
		}
	}
}

// TestTables checks the shape the issue asks for: a table per kind named
// like its CSV file with the CSV's columns, sources, child tables for the
// lists, derived and stated, keys and references.
func TestTables(t *testing.T) {
	var names []string
	for _, tb := range sqltables.Tables() {
		names = append(names, tb.Name)
	}
	want := []string{"sources",
		"investment_totals", "investment_total_sectors", "investment_total_derived", "investment_total_stated",
		"enterprise_counts", "enterprise_count_derived", "enterprise_count_stated",
		"agreement_counts", "agreement_count_parties", "agreement_count_areas", "agreement_count_derived", "agreement_count_stated",
		"_columns", "_tables"}
	if !slices.Equal(names, want) {
		t.Errorf("tables %q\nwant %q", names, want)
	}
	for _, k := range schema.Kinds() {
		tb := sqltables.RecordsTable(k)
		var csv []string
		for _, c := range k.TableColumns() {
			csv = append(csv, c.Name)
		}
		if !slices.Equal(tb.ColumnNames(), csv) {
			t.Errorf("%s: columns %q, the CSV's %q", tb.Name, tb.ColumnNames(), csv)
		}
		if len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].Table != "sources" {
			t.Errorf("%s: foreign keys %+v, want one to sources", tb.Name, tb.ForeignKeys)
		}
	}
	items, _ := sqltables.Lookup("investment_total_sectors")
	if got := items.ColumnNames(); !slices.Equal(got, []string{"id", "position", "sector"}) {
		t.Errorf("investment_total_sectors: %q", got)
	}
	stated, _ := sqltables.Lookup("agreement_count_stated")
	if got := stated.ColumnNames(); !slices.Equal(got, []string{"id", "field", "text", "start", "end"}) {
		t.Errorf("agreement_count_stated: %q", got)
	}
	parties, _ := sqltables.Lookup("agreement_count_parties")
	if parties.Column("party") == nil {
		t.Errorf("agreement_count_parties: %q", parties.ColumnNames())
	}
	for _, tb := range sqltables.Tables() {
		for _, c := range tb.Columns {
			if c.Doc == "" {
				t.Errorf("%s.%s has no description", tb.Name, c.Name)
			}
		}
	}
}

// patterns are every pattern of the schema's columns, with values that
// must and must not match.
func patterns() []string {
	seen := map[string]bool{}
	var out []string
	add := func(k *schema.Constraints) {
		if k != nil && k.Pattern != "" && k.Format != "date" && !seen[k.Pattern] {
			seen[k.Pattern] = true
			out = append(out, k.Pattern)
		}
	}
	tables := []*schema.Table{schema.SourceTable()}
	for _, k := range schema.Kinds() {
		tables = append(tables, k.Table())
	}
	for _, tb := range tables {
		for _, c := range tb.Columns {
			k := c.Constraints()
			add(&k)
			add(k.Items)
		}
	}
	return out
}

var patternSamples = []string{"", "a", "kr-kz-investment-2008", "-a", "a-", "A", "KZ", "kz", "K", "KZZ", "USD", "US", "usd",
	"http://x", "HTTPS://x", "hTtP://", "https:/x", "ftp://x", " http://x", "httpss://x",
	strings.Repeat("a", 64), strings.Repeat("a", 65), strings.Repeat("0", 64), strings.Repeat("f", 63) + "g",
	"plain text", "tab\there", "line\nbreak", "del\x7f", "c1\u0085", "nbsp\u00a0ok", "\ufffd ok", "non\ufffe", "non\uffff",
	"emoji 🚀", "Қазақстан", "a*b", "a?b", "[x]", "it's"}

// TestGlobMatchesRegexp evaluates each pattern's GLOB translation in
// SQLite on every sample and compares it with Go's regular expression.
func TestGlobMatchesRegexp(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ps := patterns()
	if len(ps) < 6 {
		t.Fatalf("only %d patterns: %q", len(ps), ps)
	}
	for _, p := range ps {
		expr := sqltables.GlobExpr(`"x"`, p)
		re := regexp.MustCompile(p)
		for _, s := range patternSamples {
			var got bool
			if err := db.QueryRow(`SELECT coalesce(`+expr+`, 0) FROM (SELECT ? AS "x")`, s).Scan(&got); err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			if want := re.MatchString(s); got != want {
				t.Errorf("pattern %s on %q: GLOB says %v, regexp %v\n%s", p, s, got, want, expr)
			}
		}
	}
}

// TestSQLiteChecks creates every table in SQLite and checks that a bad
// value of each kind is refused.
func TestSQLiteChecks(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	d := sqltables.SQLite
	for _, tb := range sqltables.Tables() {
		if _, err := db.Exec(d.CreateTable("", tb)); err != nil {
			t.Fatalf("%s: %v", tb.Name, err)
		}
	}
	if _, err := db.Exec(d.CreateFiguresView("")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO sources (id, title) VALUES ('src', 'A source')`); err != nil {
		t.Fatal(err)
	}
	good := map[string]any{"id": "e-1", "kind": "enterprise_count", "partner": "KR", "host": "KZ", "enterprises": 300,
		"qualifier": "over", "joint_ventures": 48, "representative_offices": 62, "as_of": "2008-02-29", "source": "src",
		"source_title": "A source", "quote": "Over 300 enterprises", "quote_verified": 1, "input_file": "f.yaml", "input_line": 3}
	insert := func(row map[string]any) error {
		var cols, ph []string
		var args []any
		for k, v := range row {
			cols = append(cols, `"`+k+`"`)
			ph = append(ph, "?")
			args = append(args, v)
		}
		_, err := db.Exec("INSERT INTO enterprise_counts ("+strings.Join(cols, ",")+") VALUES ("+strings.Join(ph, ",")+")", args...)
		return err
	}
	if err := insert(good); err != nil {
		t.Fatalf("a valid row: %v", err)
	}
	bad := []map[string]any{
		{"id": "E-2"}, {"kind": "investment_total"}, {"partner": "kr"}, {"host": "KR"}, {"enterprises": -1},
		{"enterprises": "three hundred"}, {"enterprises": 9007199254740992}, {"qualifier": "roughly"}, {"joint_ventures": 300},
		{"as_of": "2008-02-30"}, {"as_of": "2008-2-3"}, {"as_of": 20080229}, {"quote_verified": 2}, {"quote": "short"},
		{"quote": "a quote with a bell \a in it"}, {"page": 0}, {"input_line": 1.5},
	}
	for i, b := range bad {
		row := map[string]any{}
		for k, v := range good {
			row[k] = v
		}
		row["id"] = "e-bad-" + string(rune('a'+i))
		for k, v := range b {
			row[k] = v
		}
		if err := insert(row); err == nil {
			t.Errorf("%v was accepted", b)
		}
	}
}
