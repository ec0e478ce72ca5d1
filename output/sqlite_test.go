package output_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"export/output"
	"export/output/sqltables"
	"export/schema"
)

// openSQLite opens a figures.sqlite read-only.
func openSQLite(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sqliteSelect is a SELECT of every column of t, in rowid order, each as
// SQLite stores it: dates cast to text so that the driver does not turn
// them into times.
func sqliteSelect(t *sqltables.Table) string {
	var exprs []string
	for _, c := range t.Columns {
		q := sqltables.SQLite.Quote(c.Name)
		if c.Type == sqltables.Date {
			q = "CAST(" + q + " AS TEXT)"
		}
		exprs = append(exprs, q)
	}
	return "SELECT " + strings.Join(exprs, ", ") + " FROM " + sqltables.SQLite.Quote(t.Name) + " ORDER BY rowid"
}

// sqliteCell turns a value read from column c into a cell as wantCell
// gives it.
func sqliteCell(t testing.TB, c *sqltables.Column, v any) any {
	if v == nil {
		return nil
	}
	switch c.Type {
	case sqltables.Decimal:
		var d schema.Decimal
		var err error
		switch v := v.(type) {
		case int64:
			d, err = schema.DecimalOf(v)
		case float64:
			d, err = schema.DecimalFromFloat(v)
		default:
			t.Errorf("%s: %T %v", c.Name, v, v)
		}
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		return d.String()
	case sqltables.Integer:
		return strconv.FormatInt(v.(int64), 10)
	case sqltables.Boolean:
		return strconv.FormatBool(v.(int64) == 1)
	case sqltables.List:
		var l []string
		if err := json.Unmarshal([]byte(v.(string)), &l); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if l == nil {
			l = []string{}
		}
		return l
	}
	return v.(string)
}

// readSQLiteRows reads every row of table t as cells.
func readSQLiteRows(t testing.TB, db *sql.DB, tb *sqltables.Table) [][]any {
	t.Helper()
	rows, err := db.Query(sqliteSelect(tb))
	if err != nil {
		t.Fatalf("%s: %v", tb.Name, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(tb.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]any, len(vals))
		for i, c := range tb.Columns {
			row[i] = sqliteCell(t, c, vals[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSQLiteSameValues writes the default dataset and generated records
// (amounts of 15 digits, 1e13 with cents, dates around 1970 and before
// 1900, formula-like and non-Latin text, absent and empty lists) into
// figures.sqlite and reads every cell of every table back: the records'
// columns as every other format has them, and the child tables' rows as
// the records' lists, derived and stated.
func TestSQLiteSameValues(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(300)...)
	recs = append(recs, derivedRecord(t))
	dir := t.TempDir()
	writeFormats(t, dir, []string{output.FormatSQLite}, recs, withGeneratedSource(meta))
	db := openSQLite(t, filepath.Join(dir, output.SQLiteName))

	for _, k := range schema.Kinds() {
		tb := sqltables.RecordsTable(k)
		var want []schema.Record
		for _, r := range recs {
			if schema.KindOf(r) == k {
				want = append(want, r)
			}
		}
		got := readSQLiteRows(t, db, tb)
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", tb.Name, len(got), len(want))
		}
		bad := 0
		for i, r := range want {
			for j, c := range tb.Columns {
				if w := wantCell(c.Schema, r); !reflect.DeepEqual(got[i][j], w) && bad < 10 {
					bad++
					t.Errorf("%s %s %s = %#v, want %#v", tb.Name, schema.ID(r), c.Name, got[i][j], w)
				}
			}
		}
		for _, ch := range tb.Children() {
			var wantRows [][]any
			for _, r := range want {
				id := schema.ID(r)
				switch ch.Role {
				case sqltables.Items:
					for p, v := range ch.Of.List(r) {
						wantRows = append(wantRows, []any{id, strconv.Itoa(p + 1), v})
					}
				case sqltables.Derived:
					for _, e := range ch.Of.Entries(r) {
						wantRows = append(wantRows, []any{id, e.Key, e.Text})
					}
				case sqltables.Stated:
					for _, s := range ch.Of.Spans(r) {
						wantRows = append(wantRows, []any{id, s.Field, s.Text, strconv.Itoa(s.Start), strconv.Itoa(s.End)})
					}
				}
			}
			if got := readSQLiteRows(t, db, ch); !reflect.DeepEqual(got, wantRows) && (len(got) > 0 || len(wantRows) > 0) {
				t.Errorf("%s: %d rows %.300v\nwant %d %.300v", ch.Name, len(got), got, len(wantRows), wantRows)
			}
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM "sources"`).Scan(&n); err != nil || n != len(meta.Sources)+1 {
		t.Errorf("sources: %d rows (%v), want %d", n, err, len(meta.Sources))
	}
	var records, inputs string
	if err := db.QueryRow(`SELECT "records", "inputs" FROM "_run"`).Scan(&records, &inputs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(records, `"investment_totals":`) || !strings.Contains(inputs, meta.Inputs[0].SHA256) {
		t.Errorf("_run: records %s, inputs %s", records, inputs)
	}
	if err := db.QueryRow(`SELECT count(*) FROM "figures"`).Scan(&n); err != nil || n != len(recs) {
		t.Errorf("figures: %d rows (%v), want %d", n, err, len(recs))
	}
	if err := db.QueryRow(`SELECT count(*) FROM "_columns"`).Scan(&n); err != nil || n < 100 {
		t.Errorf("_columns: %d rows (%v)", n, err)
	}
}

// derivedRecord is a record with derived and stated entries, which the
// generated records lack.
func derivedRecord(t testing.TB) schema.Record {
	amount := schema.MustDecimal("9999999999999.99")
	return &schema.InvestmentTotal{Base: schema.Base{ID: "derived-1"}, Investor: "KR", Recipient: "KZ", Amount: &amount,
		Currency: "USD", Qualifier: "about", AsOf: "2008-09-30", Sectors: []string{"trade"},
		Derived: schema.Derived{"as_of": "the article's date; the sentence says only 'to date'", "amount": "a sum of the two figures it gives"},
		Provenance: schema.Provenance{Source: "generated", SourceTitle: "A generated source", Quote: "Investment reached about $10tn, to date.",
			Stated: schema.Stated{{Field: "qualifier", Text: "about", Start: 19, End: 24}}, InputFile: "x.yaml", InputLine: 1}}
}

// TestSQLiteDeterministic writes the same records twice and compares the
// bytes of figures.sqlite (TestDigestsGolden compares them with the
// committed digest too, and CI runs that with -tags noasm).
func TestSQLiteDeterministic(t *testing.T) {
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(3000)...)
	var files [2][]byte
	for i := range files {
		dir := t.TempDir()
		writeFormats(t, dir, []string{output.FormatSQLite}, recs, withGeneratedSource(meta))
		b, err := os.ReadFile(filepath.Join(dir, output.SQLiteName))
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("figures.sqlite differs between two runs (%d and %d bytes)", len(files[0]), len(files[1]))
	}
	// No journal or WAL is left beside it, and the file is in rollback
	// mode (header bytes 18 and 19 are 1: not WAL).
	if files[0][18] != 1 || files[0][19] != 1 {
		t.Errorf("header bytes 18, 19 are %d, %d: want 1, 1 (no WAL)", files[0][18], files[0][19])
	}
}

// sqliteReaders are the readers of the interop test: the sqlite3 shell
// (Debian package sqlite3) in CSV mode, which prints a real with 15
// significant digits, and Python's sqlite3 module, whose floats print
// with repr, the shortest text that reads back as the same float. Each
// returns every row of the table as its cells' text ("" for NULL), 1 and
// 0 for booleans.
var sqliteReaders = []struct {
	name string
	read func(t *testing.T, path, table string) []map[string]string
}{
	{"sqlite3 shell", func(t *testing.T, path, table string) []map[string]string {
		out, err := exec.Command("sqlite3", "-readonly", "-csv", "-header", path, `SELECT * FROM "`+table+`" ORDER BY rowid`).Output()
		if err != nil {
			t.Fatalf("sqlite3: %v", err)
		}
		if len(out) == 0 {
			return nil
		}
		records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("sqlite3 %s: %v", table, err)
		}
		var rows []map[string]string
		for _, r := range records[1:] {
			m := map[string]string{}
			for i, name := range records[0] {
				m[name] = r[i]
			}
			rows = append(rows, m)
		}
		return rows
	}},
	{"python3 sqlite3", func(t *testing.T, path, table string) []map[string]string {
		out, err := exec.Command("/usr/bin/python3", "-c", `
import json, sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
cur = db.execute('SELECT * FROM "%s" ORDER BY rowid' % sys.argv[2])
names = [d[0] for d in cur.description]
text = lambda v: "" if v is None else repr(v) if isinstance(v, float) else str(v)
print(json.dumps([{n: text(v) for n, v in zip(names, r)} for r in cur], ensure_ascii=False))
`, path, table).Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		var rows []map[string]string
		if err := json.Unmarshal(out, &rows); err != nil {
			t.Fatalf("python3 %s: %v", table, err)
		}
		return rows
	}},
}

// TestInteropSQLite reads figures.sqlite with the sqlite3 shell and with
// Python's sqlite3 module and compares every cell of every kind's table
// with the CSV file of the same run: the same text (the CSV's formula
// guard undone), numbers with the same digits, 1 and 0 for true and
// false, NULL for an empty cell, JSON arrays for ;-joined lists. It also
// runs the shell's integrity and foreign key checks.
func TestInteropSQLite(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		interopMissing(t, "EXPORT_REQUIRE_INTEROP", "the sqlite3 shell is not installed (apt-get install sqlite3)")
	}
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		interopMissing(t, "EXPORT_REQUIRE_INTEROP", "/usr/bin/python3 is not installed (apt-get install python3)")
	}
	recs, meta := defaultRecords(t)
	recs = append(recs, genRecords(150)...)
	dir := t.TempDir()
	writeFormats(t, dir, []string{output.FormatCSV, output.FormatSQLite}, recs, withGeneratedSource(meta))
	path := filepath.Join(dir, output.SQLiteName)

	out, err := exec.Command("sqlite3", "-readonly", path, "PRAGMA integrity_check; PRAGMA foreign_key_check;").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("sqlite3 integrity_check, foreign_key_check: %s (%v)", out, err)
	}
	for _, reader := range sqliteReaders {
		for _, k := range schema.Kinds() {
			csvRows := readCSVTable(t, filepath.Join(dir, k.Plural+".csv")).rows
			rows := reader.read(t, path, k.Plural)
			if len(rows) != len(csvRows) {
				t.Fatalf("%s %s: %d rows, the CSV %d", reader.name, k.Plural, len(rows), len(csvRows))
			}
			bad := 0
			for i, row := range rows {
				for _, c := range k.TableColumns() {
					got, want := interopCell(c, row[c.Name]), csvRows[i][c.Name]
					if got != want && bad < 10 {
						bad++
						t.Errorf("%s %s row %d %s = %q, the CSV %q", reader.name, k.Plural, i+1, c.Name, got, want)
					}
				}
			}
		}
	}
}

// interopCell turns the text a reader gave into the CSV's cell.
func interopCell(c *schema.Column, v string) string {
	switch c.Type {
	case schema.Boolean:
		return strconv.FormatBool(v == "1")
	case schema.StringList:
		if v == "" {
			return ""
		}
		var l []string
		if err := json.Unmarshal([]byte(v), &l); err != nil {
			return "not a JSON array: " + v
		}
		return csvText(strings.Join(l, ";"))
	case schema.String, schema.TextMap:
		return csvText(v)
	}
	return v
}

// TestSQLiteDictionary checks that _columns describes every column of
// every table with its declared type, as PRAGMA table_info gives it.
func TestSQLiteDictionary(t *testing.T) {
	recs, meta := defaultRecords(t)
	dir := t.TempDir()
	writeFormats(t, dir, []string{output.FormatSQLite}, recs, withGeneratedSource(meta))
	db := openSQLite(t, filepath.Join(dir, output.SQLiteName))
	rows, err := db.Query(`SELECT m."name", p."name", p."type" FROM sqlite_schema AS m, pragma_table_info(m."name") AS p
		WHERE m."type" = 'table' ORDER BY m."name", p."cid"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var declared []string
	for rows.Next() {
		var table, column, typ string
		if err := rows.Scan(&table, &column, &typ); err != nil {
			t.Fatal(err)
		}
		declared = append(declared, table+"."+column+" "+typ)
	}
	drows, err := db.Query(`SELECT "table_name", "column_name", "type" FROM "_columns" ORDER BY "table_name", "position"`)
	if err != nil {
		t.Fatal(err)
	}
	defer drows.Close()
	var described []string
	for drows.Next() {
		var table, column, typ string
		if err := drows.Scan(&table, &column, &typ); err != nil {
			t.Fatal(err)
		}
		described = append(described, table+"."+column+" "+typ)
	}
	slices.Sort(declared)
	slices.Sort(described)
	if !slices.Equal(declared, described) {
		t.Errorf("tables declare\n%q\n_columns describes\n%q", declared, described)
	}
}

// readSQLiteTable reads kind k's table of a figures.sqlite as checkCells
// compares tables: the column names, and the cells of every row.
func readSQLiteTable(t testing.TB, path string, k *schema.Kind) table {
	t.Helper()
	tb := sqltables.RecordsTable(k)
	out := table{columns: tb.ColumnNames()}
	for _, row := range readSQLiteRows(t, openSQLite(t, path), tb) {
		m := map[string]any{}
		for i, c := range tb.Columns {
			m[c.Name] = row[i]
		}
		out.rows = append(out.rows, m)
	}
	return out
}

// withGeneratedSource returns meta with the source that genRecords'
// records cite, which figures.sqlite's references need.
func withGeneratedSource(meta *output.Meta) *output.Meta {
	m := *meta
	m.Sources = append(slices.Clone(meta.Sources), &schema.Source{ID: "generated", Title: "A generated source"})
	return &m
}

// The SQLite writer's memory, outside the Go heap, counts in
// MemoryOutsideHeap from the writer's start until it finished or failed,
// so that the run's soft memory limit leaves room for it.
func TestSQLiteMemoryOutsideHeap(t *testing.T) {
	recs, meta := defaultRecords(t)
	for _, finish := range []bool{true, false} {
		dir := t.TempDir()
		w, err := output.New(output.FormatSQLite, dir, output.Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if got := output.MemoryOutsideHeap(); got < 16<<20 {
			t.Errorf("while writing: MemoryOutsideHeap() = %d, want SQLite's page cache and more", got)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if finish {
			if _, err := w.Finish(meta); err != nil {
				t.Fatal(err)
			}
			if got := output.MemoryOutsideHeap(); got != 0 {
				t.Errorf("after Finish: MemoryOutsideHeap() = %d, want 0", got)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := output.MemoryOutsideHeap(); got != 0 {
			t.Errorf("after Close (finished %v): MemoryOutsideHeap() = %d, want 0", finish, got)
		}
		// A writer that cannot start holds nothing.
		if _, err := output.New(output.FormatSQLite, dir, output.Options{TempDir: t.TempDir()}); err == nil {
			t.Error("a second writer over figures.sqlite started")
		}
		if got := output.MemoryOutsideHeap(); got != 0 {
			t.Errorf("after a failed start: MemoryOutsideHeap() = %d, want 0", got)
		}
	}
}
