package pgload_test

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"export/bench/synth"
	"export/input"
	"export/output"
	"export/output/pgload"
	"export/output/pgload/pgtest"
	"export/output/sqltables"
	"export/pipeline"
	"export/schema"
)

type quiet struct{}

func (quiet) Result(*pipeline.Result) error  { return nil }
func (quiet) Finish(*pipeline.Summary) error { return nil }

// publish writes a synthetic dataset of n mixed records and publishes
// export's outputs of it in formats; it returns the output directory.
func publish(t *testing.T, n int, formats ...string) string {
	t.Helper()
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Dataset(synth.FormatCSV, n)
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inputs, _, err := input.Collect([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	sum, _, err := pipeline.Run(context.Background(), inputs, quiet{}, pipeline.RunConfig{OutDir: out, Formats: formats})
	if err != nil || sum.Failed() {
		t.Fatalf("export run: %v, %d errors", err, sum.Errors)
	}
	return out
}

func load(t *testing.T, s *pgtest.Server, dir, schemaName string) (*pgload.Result, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	return pgload.Load(context.Background(), pgload.Options{Config: cfg, Schema: schemaName, Dir: dir, Version: "test"})
}

// TestInteropPostgres runs the loader against a throwaway server: every subtest
// shares it, each in its own schema.
func TestInteropPostgres(t *testing.T) {
	s := pgtest.Start(t)
	dir := publish(t, 300, output.FormatCSV, output.FormatJSON)

	t.Run("load", func(t *testing.T) {
		res, err := load(t, s, dir, "bi")
		if err != nil {
			t.Fatal(err)
		}
		if res.LoadID != 1 || res.Rows["investment_totals"] == 0 || res.Rows["investment_total_sectors"] == 0 {
			t.Errorf("result %+v", res)
		}
		checkLikeCSV(t, s, dir, "bi")
		// Types, as a BI tool reads them from the catalog.
		types := s.Psql(t, `SELECT column_name || ' ' || data_type FROM information_schema.columns
			WHERE table_schema = 'bi' AND table_name = 'investment_totals' AND column_name IN ('amount', 'as_of', 'quote_verified', 'page', 'sectors', 'input_line') ORDER BY column_name`)
		want := "amount numeric\nas_of date\ninput_line bigint\npage integer\nquote_verified boolean\nsectors ARRAY"
		if types != want {
			t.Errorf("types:\n%s\nwant\n%s", types, want)
		}
		// The keys and checks that a new table gets once its rows are in
		// are those the DDL of export load --print-sql creates.
		var ddl strings.Builder
		ddl.WriteString("CREATE SCHEMA ddl;\n")
		for _, tb := range append(sqltables.Tables(), sqltables.LoadsTable()) {
			ddl.WriteString(sqltables.PostgreSQL.CreateTable("ddl", tb) + ";\n")
		}
		s.Psql(t, ddl.String())
		constraints := func(schemaName string) string {
			return s.Psql(t, `SELECT c.relname, con.conname, con.contype, con.condeferrable, con.condeferred, replace(pg_get_constraintdef(con.oid), '`+schemaName+`.', '')
				FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = '`+schemaName+`' ORDER BY 1, 2`) + "\n" +
				s.Psql(t, `SELECT tablename, indexname, replace(indexdef, '`+schemaName+`.', '') FROM pg_indexes WHERE schemaname = '`+schemaName+`' ORDER BY 1, 2`)
		}
		if got, want := constraints("bi"), constraints("ddl"); got != want || !strings.Contains(got, "investment_totals_source_fkey") {
			t.Errorf("the loaded tables' keys and checks:\n%s\nthe DDL's:\n%s", got, want)
		}
		// Comments on every table and column.
		if n := s.Psql(t, `SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'bi' AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL`); n != "0" {
			t.Errorf("%s columns have no comment", n)
		}
		if got := s.Psql(t, `SELECT obj_description('bi.investment_total_sectors'::regclass)`); !strings.Contains(got, "filter") {
			t.Errorf("table comment %q", got)
		}
		// The view, and a filter on a list as a BI tool writes it.
		if got := s.Psql(t, `SELECT count(*) FROM bi.figures`); got != "300" {
			t.Errorf("figures: %s rows, want 300", got)
		}
		trade := s.Psql(t, `SELECT count(*) FROM bi.investment_totals i WHERE EXISTS
			(SELECT 1 FROM bi.investment_total_sectors s WHERE s.id = i.id AND s.sector = 'trade')`)
		if trade2 := s.Psql(t, `SELECT count(*) FROM bi.investment_totals WHERE 'trade' = ANY(sectors)`); trade != trade2 || trade == "0" {
			t.Errorf("filter on sectors: %s by the child table, %s by the array", trade, trade2)
		}
	})

	t.Run("twice", func(t *testing.T) {
		for range 2 {
			if _, err := load(t, s, dir, "twice"); err != nil {
				t.Fatal(err)
			}
		}
		checkLikeCSV(t, s, dir, "twice")
		if got := s.Psql(t, `SELECT count(*), count(DISTINCT manifest_sha256) FROM twice._loads`); got != "2|1" {
			t.Errorf("_loads: %s, want 2 loads of one manifest", got)
		}
	})

	t.Run("changed file", func(t *testing.T) {
		changed := copyDir(t, dir)
		f := filepath.Join(changed, "enterprise_counts.csv")
		b, _ := os.ReadFile(f)
		os.WriteFile(f, append(b, "\n"...), 0o644)
		_, err := load(t, s, changed, "changed")
		if !errors.Is(err, output.ErrChanged) || !strings.Contains(err.Error(), "enterprise_counts.csv") {
			t.Errorf("err = %v, want the changed file named", err)
		}
		if got := s.Psql(t, `SELECT count(*) FROM pg_namespace WHERE nspname = 'changed'`); got != "0" {
			t.Error("a changed file still created the schema")
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { _, errs[i] = load(t, s, dir, "together") })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		checkLikeCSV(t, s, dir, "together")
		if got := s.Psql(t, `SELECT string_agg(load_id::text, ',' ORDER BY load_id) FROM together._loads`); got != "1,2" {
			t.Errorf("_loads ids %s", got)
		}
	})

	t.Run("killed", func(t *testing.T) {
		if _, err := load(t, s, dir, "killed"); err != nil {
			t.Fatal(err)
		}
		big := publish(t, 20000, output.FormatCSV, output.FormatJSON)
		// Kill the loader's connection once its transaction has written
		// (it has a transaction id), before it commits.
		done := make(chan error, 1)
		go func() { _, err := load(t, s, big, "killed"); done <- err }()
		killed := false
		for !killed {
			select {
			case err := <-done:
				t.Fatalf("the load ended before it could be killed: %v", err)
			default:
			}
			killed = s.Psql(t, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE backend_xid IS NOT NULL AND datname = 'postgres' AND pid <> pg_backend_pid()`) != "0"
			time.Sleep(5 * time.Millisecond)
		}
		if err := <-done; err == nil {
			t.Fatal("a killed load succeeded")
		}
		checkLikeCSV(t, s, dir, "killed")
		if got := s.Psql(t, `SELECT count(*) FROM killed._loads`); got != "1" {
			t.Errorf("_loads has %s rows after a failed load, want 1", got)
		}
	})

	t.Run("older and different tables", func(t *testing.T) {
		if _, err := load(t, s, dir, "evolve"); err != nil {
			t.Fatal(err)
		}
		// A table of an older export, without a column (the view, which
		// uses it, is made again by the load).
		s.Psql(t, `DROP VIEW evolve.figures; ALTER TABLE evolve.investment_totals DROP COLUMN citation`)
		res, err := load(t, s, dir, "evolve")
		if err != nil || !slices.Contains(res.Added, "investment_totals.citation") {
			t.Fatalf("an older table: %v, added %v", err, res)
		}
		checkLikeCSV(t, s, dir, "evolve")
		s.Psql(t, `DROP VIEW evolve.figures; ALTER TABLE evolve.enterprise_counts ALTER COLUMN page TYPE bigint`)
		_, err = load(t, s, dir, "evolve")
		var de *pgload.DiffError
		if !errors.As(err, &de) || de.Table != "enterprise_counts" || de.Column != "page" {
			t.Errorf("a changed type: %v", err)
		}
		if got := s.Psql(t, `SELECT count(*) FROM evolve._loads`); got != "2" {
			t.Errorf("_loads has %s rows, want 2", got)
		}
	})

	t.Run("keywords", func(t *testing.T) {
		reserved := strings.Fields(s.Psql(t, `SELECT word FROM pg_get_keywords() WHERE catcode = 'R' ORDER BY word`))
		var clash []string
		for _, n := range sqltables.Names() {
			if slices.Contains(reserved, n) {
				clash = append(clash, n)
			}
		}
		// "end" is stated's: the issue names it so, and it is always quoted.
		if !slices.Equal(clash, []string{"end"}) {
			t.Errorf("names that are reserved words in PostgreSQL: %q, want only end", clash)
		}
	})
}

// checkLikeCSV checks that every kind's table in schemaName holds the
// rows of its CSV file, every cell the same text once PostgreSQL writes
// it as CSV (amounts to their digits, booleans true and false, lists
// joined with ;).
func checkLikeCSV(t *testing.T, s *pgtest.Server, dir, schemaName string) {
	t.Helper()
	for _, k := range schema.Kinds() {
		tb := sqltables.RecordsTable(k)
		var exprs []string
		for _, c := range tb.Columns {
			q := sqltables.PostgreSQL.Quote(c.Name)
			switch c.Type {
			case sqltables.Decimal:
				q = "trim_scale(" + q + ")::text"
			case sqltables.Boolean:
				q = q + "::text"
			case sqltables.List:
				q = "array_to_string(" + q + ", ';')"
			}
			exprs = append(exprs, q)
		}
		got := s.Psql(t, "COPY (SELECT "+strings.Join(exprs, ", ")+" FROM "+schemaName+"."+tb.Name+" ORDER BY id) TO STDOUT WITH (FORMAT csv)")
		gotRows, err := csv.NewReader(strings.NewReader(got)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join(dir, k.Plural+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		wantRows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		wantRows = wantRows[1:]
		for _, r := range wantRows {
			for i, c := range tb.Columns {
				if c.Type == sqltables.Text || c.Type == sqltables.List {
					r[i] = input.Unguard(r[i])
				}
				if c.Type == sqltables.Boolean {
					r[i] = map[string]string{"true": "true", "false": "false"}[r[i]]
				}
			}
		}
		slices.SortFunc(wantRows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
		if len(gotRows) != len(wantRows) {
			t.Fatalf("%s.%s: %d rows, the CSV %d", schemaName, tb.Name, len(gotRows), len(wantRows))
		}
		bad := 0
		for i := range wantRows {
			for j, c := range tb.Columns {
				if gotRows[i][j] != wantRows[i][j] && bad < 10 {
					bad++
					t.Errorf("%s.%s %s %s = %q, the CSV %q", schemaName, tb.Name, wantRows[i][0], c.Name, gotRows[i][j], wantRows[i][j])
				}
			}
		}
	}
}

func copyDir(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(to, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return to
}
