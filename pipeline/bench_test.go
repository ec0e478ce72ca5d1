package pipeline_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"

	"export/bench/synth"
	"export/input"
	"export/pipeline"
)

// Benchmarks of whole runs on a synthetic CSV dataset of every kind
// (bench/synth) held in memory, with its sources and their texts (so every
// quote is verified), reported as export's text report to io.Discard:
//
//	go test ./pipeline -run '^$' -bench . -benchmem
//
// The records are checked on GOMAXPROCS workers: -cpu runs each benchmark
// on several numbers of them, for the speedup of the pool:
//
//	go test ./pipeline -run '^$' -bench Check -cpu 1,2,4
//
// EXPORT_BENCH_RECORDS sets the number of records of both, for a profile of
// a run of realistic size:
//
//	EXPORT_BENCH_RECORDS=100000 go test ./pipeline -run '^$' -bench Run -benchtime=1x -cpuprofile cpu.out
//	go tool pprof -top pipeline.test cpu.out
//
// bench/run.sh measures the built binary on files on disk.

var (
	benchCheckRecords = benchRecords(5000)
	benchRunRecords   = benchRecords(2000)
)

// benchRecords returns EXPORT_BENCH_RECORDS, or def when it is not set.
func benchRecords(def int) int {
	if n, err := strconv.Atoi(os.Getenv("EXPORT_BENCH_RECORDS")); err == nil && n > 0 {
		return n
	}
	return def
}

// benchFiles returns the input files of a dataset of n records.
func benchFiles(b *testing.B, n int) []input.File {
	b.Helper()
	g, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		b.Fatal(err)
	}
	files, err := g.Dataset(synth.FormatCSV, n)
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return []input.File{
		input.FromFS(fsys, "records.csv", "records.csv"),
		input.FromFS(fsys, synth.SourcesFile, synth.SourcesFile),
	}
}

func benchReporter(b *testing.B) pipeline.Reporter {
	rep, err := pipeline.NewReporter("text", io.Discard, false)
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

func checkSummary(b *testing.B, sum *pipeline.Summary, err error, n int) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
	if sum.Failed() || sum.Valid != n || sum.Warnings != 0 {
		b.Fatalf("%d of %d records valid, %d errors, %d warnings; want all valid", sum.Valid, sum.Records, sum.Errors, sum.Warnings)
	}
}

// BenchmarkCheck reads, validates and cross-checks the dataset (export
// validate), writing nothing.
func BenchmarkCheck(b *testing.B) {
	files := benchFiles(b, benchCheckRecords)
	b.ReportAllocs()
	for b.Loop() {
		sum, err := pipeline.Check(context.Background(), files, benchReporter(b), nil, pipeline.Config{})
		checkSummary(b, sum, err, benchCheckRecords)
	}
	b.ReportMetric(float64(benchCheckRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkRun checks the dataset and writes CSV, JSON and XLSX into a
// directory under b.TempDir(), replaced by every run (export run).
func BenchmarkRun(b *testing.B) {
	files := benchFiles(b, benchRunRecords)
	out := filepath.Join(b.TempDir(), "out")
	cfg := pipeline.RunConfig{OutDir: out, Formats: []string{"csv", "json", "xlsx"}}
	b.ReportAllocs()
	for b.Loop() {
		sum, _, err := pipeline.Run(context.Background(), files, benchReporter(b), cfg)
		checkSummary(b, sum, err, benchRunRecords)
	}
	b.ReportMetric(float64(benchRunRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
