package output_test

import (
	"os"
	"path/filepath"
	"testing"

	"export/bench/synth"
	"export/output"
	"export/schema"
)

// Benchmarks of the CSV and JSON writers, in the shape of
// BenchmarkXLSXWriter: one writer takes b.N synthetic records of every kind
// (bench/synth), then Finish:
//
//	go test ./output -run '^$' -bench 'CSVWriter|JSONWriter' -benchmem

func BenchmarkCSVWriter(b *testing.B)  { benchmarkWriter(b, output.FormatCSV) }
func BenchmarkJSONWriter(b *testing.B) { benchmarkWriter(b, output.FormatJSON) }

func benchmarkWriter(b *testing.B, format string) {
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]schema.Record, 1000)
	for i := range recs {
		recs[i] = g.Record(i)
	}
	meta := &output.Meta{Tool: "export", Version: "bench", Sources: g.Sources()}
	dir, tmp := b.TempDir(), b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	w, err := output.New(format, dir, output.Options{TempDir: tmp})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for i := range b.N {
		if err := w.Write(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
	files, err := w.Finish(meta)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	var size int64
	for _, f := range files {
		info, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil {
			b.Fatal(err)
		}
		size += info.Size()
	}
	b.ReportMetric(float64(size)/float64(b.N), "B/record")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
