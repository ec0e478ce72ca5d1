package synth_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"testing/fstest"

	"export/bench/synth"
	"export/input"
	"export/pipeline"
	"export/schema"
)

// check runs export's checks on a generated dataset.
func check(t *testing.T, g *synth.Generator, format string, n int) *pipeline.Summary {
	t.Helper()
	files, err := g.Dataset(format, n)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	var report bytes.Buffer
	rep, err := pipeline.NewReporter("text", &report, false)
	if err != nil {
		t.Fatal(err)
	}
	name := "records." + format
	sum, err := pipeline.Check(context.Background(), []input.File{
		input.FromFS(fsys, name, name), input.FromFS(fsys, synth.SourcesFile, synth.SourcesFile),
	}, rep, nil, pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records != n {
		t.Fatalf("%s: read %d records, want %d\n%s", format, sum.Records, n, report.String())
	}
	if t.Failed() || testing.Verbose() {
		t.Log(report.String())
	}
	return sum
}

// The generated records are valid in every format, with quotes verified or
// not, and -invalid spoils exactly the fraction asked for.
func TestDatasetsCheck(t *testing.T) {
	const n = 200
	for _, kinds := range []string{synth.KindsInvestment, synth.KindsMixed} {
		for _, unverified := range []bool{false, true} {
			for _, format := range []string{synth.FormatCSV, synth.FormatJSONL, synth.FormatJSON, synth.FormatYAML} {
				g, err := synth.New(synth.Options{Kinds: kinds, Unverified: unverified})
				if err != nil {
					t.Fatal(err)
				}
				sum := check(t, g, format, n)
				if sum.Failed() || sum.Valid != n || sum.Warnings != 0 {
					t.Errorf("%s %s unverified=%v: %d of %d valid, %d errors, %d warnings",
						kinds, format, unverified, sum.Valid, n, sum.Errors, sum.Warnings)
				}
				bad, err := synth.New(synth.Options{Kinds: kinds, Unverified: unverified, Invalid: 0.05})
				if err != nil {
					t.Fatal(err)
				}
				want := bad.CountInvalid(n)
				if want != 10 {
					t.Fatalf("CountInvalid(%d) = %d at 5%%, want 10", n, want)
				}
				sum = check(t, bad, format, n)
				if sum.Valid != n-want || sum.Errors != want {
					t.Errorf("%s %s unverified=%v, 5%% invalid: %d valid, %d errors; want %d valid, %d errors",
						kinds, format, unverified, sum.Valid, sum.Errors, n-want, want)
				}
			}
		}
	}
}

// Record i is the same whatever the generator made before, and datasets
// are byte-identical from one generator to the next.
func TestDeterministic(t *testing.T) {
	a, _ := synth.New(synth.Options{Kinds: synth.KindsMixed, Invalid: 0.1})
	b, _ := synth.New(synth.Options{Kinds: synth.KindsMixed, Invalid: 0.1})
	var first bytes.Buffer
	if err := a.WriteRecords(&first, synth.FormatCSV, 300); err != nil {
		t.Fatal(err)
	}
	_ = b.Record(250) // out of order
	var second bytes.Buffer
	if err := b.WriteRecords(&second, synth.FormatCSV, 300); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("two generators with the same options wrote different CSV")
	}
	if got := schema.ID(a.Record(41)); got != "rec-0000042" {
		t.Errorf("Record(41) has id %s, want rec-0000042", got)
	}
	for name, data := range a.SourceFiles() {
		if !bytes.Equal(data, b.SourceFiles()[name]) {
			t.Errorf("%s differs between two generators", name)
		}
	}
}

// Quotes are 80 to 200 characters, and the CSV has export's 20 columns for
// investment totals.
func TestShape(t *testing.T) {
	g, _ := synth.New(synth.Options{})
	if h := g.Header(); len(h) != 20 {
		t.Errorf("header has %d columns, want 20: %v", len(h), h)
	}
	for i := range 2000 {
		q := schema.ProvenanceOf(g.Record(i)).Quote
		if n := len([]rune(q)); n < 80 || n > 200 {
			t.Fatalf("record %d: quote of %d characters: %q", i, n, q)
		}
	}
	if err := g.WriteRecords(io.Discard, "xml", 1); err == nil {
		t.Error("WriteRecords accepted format xml")
	}
}
