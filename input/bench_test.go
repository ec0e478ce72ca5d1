package input_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"export/bench/synth"
	"export/input"
	"export/output"
)

// Benchmarks of the readers: each operation reads a synthetic dataset of
// benchReadRecords records of every kind (bench/synth) from memory, as the
// pipeline's record pass does. records/s is the figure to compare:
//
//	go test ./input -run '^$' -bench Read -benchmem

const benchReadRecords = 2000

func BenchmarkReadCSV(b *testing.B)   { benchmarkRead(b, synth.FormatCSV) }
func BenchmarkReadJSONL(b *testing.B) { benchmarkRead(b, synth.FormatJSONL) }
func BenchmarkReadJSON(b *testing.B)  { benchmarkRead(b, synth.FormatJSON) }
func BenchmarkReadYAML(b *testing.B)  { benchmarkRead(b, synth.FormatYAML) }

// BenchmarkReadXLSX reads the same records in the workbook that the XLSX
// output writes for them (synth writes no workbook).
func BenchmarkReadXLSX(b *testing.B) {
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	w, err := output.New(output.FormatXLSX, dir, output.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for i := range benchReadRecords {
		if err := w.Write(g.Record(i)); err != nil {
			b.Fatal(err)
		}
	}
	files, err := w.Finish(&output.Meta{})
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, files[0].Name))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkReadData(b, "records.xlsx", data)
}

func benchmarkRead(b *testing.B, format string) {
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		b.Fatal(err)
	}
	files, err := g.Dataset(format, benchReadRecords)
	if err != nil {
		b.Fatal(err)
	}
	name := "records." + format
	benchmarkReadData(b, name, files[name])
}

// benchmarkReadData reads data, a file named name of benchReadRecords
// records, in each operation.
func benchmarkReadData(b *testing.B, name string, data []byte) {
	file := input.FromFS(fstest.MapFS{name: {Data: data}}, name, name)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := input.Open(file, bytes.NewReader(data), input.Options{Only: input.OnlyRecords})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(it.Problems) > 0 {
				b.Fatalf("%s: %v", it.Pos, it.Problems[0])
			}
			n++
		}
		if n != benchReadRecords {
			b.Fatalf("read %d records, want %d", n, benchReadRecords)
		}
	}
	b.ReportMetric(float64(benchReadRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
