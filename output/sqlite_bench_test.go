package output_test

import (
	"testing"

	"export/bench/synth"
	"export/output"
	"export/schema"
)

// BenchmarkSQLiteWriter writes b.N synthetic records (investment totals,
// as bench/run.sh's, with the four stated spans the pipeline finds in
// their quotes) into figures.sqlite, then finishes it. Unlike
// benchmarkWriter it needs b.N distinct records: ids are keys.
//
//	go test ./output -run '^$' -bench SQLiteWriter -benchtime 100000x -cpuprofile /tmp/sqlite.prof
func BenchmarkSQLiteWriter(b *testing.B) {
	g, err := synth.New(synth.Options{Kinds: synth.KindsInvestment})
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]schema.Record, b.N)
	for i := range recs {
		recs[i] = g.Record(i)
		// The words that state the figures, as the pipeline finds them in
		// the synthetic quotes: four spans a record.
		schema.ProvenanceOf(recs[i]).Stated = schema.Stated{{Field: "amount", Text: "681.0 billion tenge", Start: 61, End: 80},
			{Field: "currency", Text: "681.0 billion tenge", Start: 61, End: 80}, {Field: "qualifier", Text: "exceeded", Start: 52, End: 60},
			{Field: "as_of", Text: "By the end of 1997", Start: 0, End: 18}}
	}
	meta := &output.Meta{Tool: "export", Version: "bench", Sources: g.Sources()}
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	w, err := output.New(output.FormatSQLite, dir, output.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Finish(meta); err != nil {
		b.Fatal(err)
	}
}
