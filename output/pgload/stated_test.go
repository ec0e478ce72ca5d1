package pgload_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"export/output"
	"export/output/pgload/pgtest"
	"export/output/sqltables"
	"export/schema"
)

// statedRecords are n records of the three kinds, in turns of ten (so
// that the kinds' spans interleave in the JSON Lines files' order and fill
// more than one batch), each with spans in stated: what a run writes when
// the quotes state the figures, which the synthetic datasets' quotes do
// not. It returns the records, the meta with their one source, and the
// stated rows the tables must hold, per table, as psql prints them.
func statedRecords(n int) ([]schema.Record, *output.Meta, map[string][]string) {
	return statedRecordsOf(n, false)
}

// statedRecordsOf is statedRecords, or with changed those of a later run:
// a seventh of the records gone, a hundred more, and in others the
// amount, the sectors, derived or the stated spans changed.
func statedRecordsOf(n int, changed bool) ([]schema.Record, *output.Meta, map[string][]string) {
	quote := "By 2008 investment from Korea reached about $3bn; over 300 enterprises and 60 agreements."
	src := &schema.Source{ID: "src", Title: "A source", Year: 2008}
	meta := &output.Meta{Tool: output.ManifestTool, Version: "test", Sources: []*schema.Source{src}}
	prov := func(i int, spans ...schema.Span) schema.Provenance {
		return schema.Provenance{Source: src.ID, SourceTitle: src.Title, Quote: quote, QuoteVerified: true, Stated: spans,
			InputFile: "in.csv", InputLine: int64(i + 2)}
	}
	want := map[string][]string{}
	var recs []schema.Record
	total := n
	if changed {
		total += 100
	}
	for i := range total {
		if changed && i%7 == 3 {
			continue
		}
		id := fmt.Sprintf("r-%05d", i)
		count := int64(300 + i)
		var r schema.Record
		var table string
		switch i / 10 % 3 {
		case 0:
			amount := schema.MustDecimal("3000000000")
			sectors := []string{"trade", "energy", "mining"}[:i%4]
			var derived schema.Derived
			if changed && i%5 == 0 {
				amount = schema.MustDecimal("3000000000.5")
				sectors = []string{"mining", "trade"}
				derived = schema.Derived{"as_of": "the article's date, as the sentence has none"}
			}
			p := prov(i, schema.Span{Field: "amount", Text: "$3bn", Start: 45, End: 49},
				schema.Span{Field: "qualifier", Text: "about", Start: 39, End: 44},
				schema.Span{Field: "as_of", Text: "By 2008 " + strings.Repeat("é", i%5), Start: 0, End: 7})
			if changed && i%6 == 0 {
				p.Stated = p.Stated[1:]
				p.Stated[0].Text = "about"
			}
			r, table = &schema.InvestmentTotal{Base: schema.Base{ID: id}, Investor: "KR", Recipient: "KZ", Amount: &amount, Currency: "USD",
				Qualifier: "about", AsOf: "2008-12-31", Sectors: sectors, Derived: derived, Provenance: p}, "investment_total_stated"
		case 1:
			p := prov(i, schema.Span{Field: "enterprises", Text: "300", Start: 56, End: 59}, schema.Span{Field: "qualifier", Text: "over", Start: 51, End: 55})
			r, table = &schema.EnterpriseCount{Base: schema.Base{ID: id}, Partner: "KR", Host: "KZ", Enterprises: &count, Qualifier: "over",
				Provenance: p}, "enterprise_count_stated"
		default:
			p := prov(i, schema.Span{Field: "documents", Text: "60", Start: 76, End: 78})
			if i%7 == 0 {
				p.Stated = nil // a record whose quote states nothing: no rows
			}
			areas := []string{"culture", "education"}[:i%3]
			if changed && i%4 == 0 {
				areas = []string{"education"}
			}
			r, table = &schema.AgreementCount{Base: schema.Base{ID: id}, Parties: []string{"KR", "KZ"}, Documents: &count, Qualifier: "exact",
				Areas: areas, Provenance: p}, "agreement_count_stated"
		}
		recs = append(recs, r)
		for _, sp := range schema.ProvenanceOf(r).Stated {
			want[table] = append(want[table], fmt.Sprintf("%s|%s|%s|%d|%d", id, sp.Field, sp.Text, sp.Start, sp.End))
		}
	}
	for _, rows := range want {
		slices.Sort(rows)
	}
	return recs, meta, want
}

// writeOutputs writes recs in formats into a new directory with their
// manifest, as a run publishes them.
func writeOutputs(t *testing.T, recs []schema.Record, meta *output.Meta, formats ...string) string {
	t.Helper()
	dir := t.TempDir()
	var files []output.File
	for _, format := range formats {
		w, err := output.New(format, dir, output.Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		fs, err := w.Finish(meta)
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		files = append(files, fs...)
	}
	if _, err := output.WriteManifest(dir, files, meta); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The stated tables hold every span of every record, from figures.json
// (read once for every kind) or from the JSON Lines files, whichever the
// directory has; loaded again, the same rows.
func TestInteropPostgresStated(t *testing.T) {
	s := pgtest.Start(t)
	recs, meta, want := statedRecords(5000)
	for _, tc := range []struct {
		name    string
		formats []string
	}{
		{"figures.json", []string{output.FormatCSV, output.FormatJSON}},
		{"JSON Lines", []string{output.FormatCSV, output.FormatJSONL}},
		{"both formats", []string{output.FormatCSV, output.FormatJSON, output.FormatJSONL}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeOutputs(t, recs, meta, tc.formats...)
			schemaName := strings.ReplaceAll(strings.ToLower(tc.name), " ", "_")
			schemaName = strings.ReplaceAll(schemaName, ".", "_")
			for range 2 {
				res, err := load(t, s, dir, schemaName)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Notes) != 0 {
					t.Errorf("notes: %q", res.Notes)
				}
				for table, rows := range want {
					got := s.Psql(t, `SELECT id || '|' || field || '|' || text || '|' || start || '|' || "end" FROM `+schemaName+`.`+table+` ORDER BY 1`)
					if got != strings.Join(rows, "\n") {
						t.Errorf("%s: %d rows, want %d:\n%.300s", table, strings.Count(got, "\n")+1, len(rows), got)
					}
					if res.Rows[table] != int64(len(rows)) {
						t.Errorf("Result.Rows[%s] = %d, want %d", table, res.Rows[table], len(rows))
					}
				}
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		dir := writeOutputs(t, recs, meta, output.FormatCSV)
		res, err := load(t, s, dir, "no_stated")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "stated tables are left empty") {
			t.Errorf("notes: %q", res.Notes)
		}
		if got := s.Psql(t, `SELECT count(*) FROM no_stated.investment_total_stated`); got != "0" {
			t.Errorf("%s stated rows", got)
		}
	})
	t.Run("a kind's JSON Lines file changed", func(t *testing.T) {
		dir := copyDir(t, writeOutputs(t, recs, meta, output.FormatCSV, output.FormatJSONL))
		appendTo(t, filepath.Join(dir, "agreement_counts.jsonl"), "{}\n")
		if _, err := load(t, s, dir, "changed_jsonl"); err == nil || !strings.Contains(err.Error(), "agreement_counts.jsonl changed") {
			t.Errorf("err = %v", err)
		}
	})
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// Loading into existing tables writes only what changed, and leaves every
// table as a load into new tables does: the same outputs again change
// nothing; a later run's outputs (records gone, new, changed in their
// lists, derived and stated) give the rows of that run.
func TestInteropPostgresReload(t *testing.T) {
	s := pgtest.Start(t)
	before, meta, _ := statedRecordsOf(3000, false)
	after, _, _ := statedRecordsOf(3000, true)
	dirBefore := writeOutputs(t, before, meta, output.FormatCSV, output.FormatJSON)
	dirAfter := writeOutputs(t, after, meta, output.FormatCSV, output.FormatJSON)
	steps := []struct {
		dir     string
		changed bool
	}{{dirBefore, true}, {dirBefore, false}, {dirAfter, true}, {dirAfter, false}}
	for i, st := range steps {
		res, err := load(t, s, st.dir, "merged")
		if err != nil {
			t.Fatal(err)
		}
		if (res.Changed > 0) != st.changed {
			t.Errorf("load %d: %d rows changed", i+1, res.Changed)
		}
	}
	if _, err := load(t, s, dirAfter, "fresh"); err != nil {
		t.Fatal(err)
	}
	for _, tb := range sqltables.Tables() {
		content := func(schemaName string) string {
			return s.Psql(t, `SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, E'\n' ORDER BY r::text)), '') FROM `+
				sqltables.PostgreSQL.Qualified(schemaName, tb.Name)+` AS r`)
		}
		if got, want := content("merged"), content("fresh"); got != want || strings.HasPrefix(got, "0 ") && tb.Role != sqltables.Derived {
			t.Errorf("%s: %s after the loads, %s loaded into a new schema", tb.Name, got, want)
		}
	}
	if got := s.Psql(t, `SELECT count(*) FROM merged._loads`); got != "4" {
		t.Errorf("_loads: %s rows", got)
	}
}
