package schema_test

import (
	"testing"

	"export/bench/synth"
	"export/schema"
)

// BenchmarkValidate validates synthetic records of every kind (bench/synth),
// one per operation: valid ones, and ones that break a rule (the error path
// builds messages).
//
//	go test ./schema -run '^$' -bench Validate -benchmem
func BenchmarkValidate(b *testing.B) {
	valid, err := synth.New(synth.Options{Kinds: synth.KindsMixed})
	if err != nil {
		b.Fatal(err)
	}
	spoilt, err := synth.New(synth.Options{Kinds: synth.KindsMixed, Invalid: 1})
	if err != nil {
		b.Fatal(err)
	}
	var good, bad []schema.Record
	for i := 0; len(good) < 1000; i++ {
		r := valid.Record(i)
		if errs := schema.Validate(r); errs != nil {
			b.Fatalf("%s: %v", schema.ID(r), errs)
		}
		good = append(good, r)
	}
	// Some spoilt records break rules that only the pipeline checks (an
	// undeclared source, a quote not in the text): keep the others.
	for i := 0; len(bad) < 1000; i++ {
		if r := spoilt.Record(i); schema.Validate(r) != nil {
			bad = append(bad, r)
		}
	}
	run := func(recs []schema.Record, wantValid bool) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if errs := schema.Validate(recs[i%len(recs)]); (errs == nil) != wantValid {
					b.Fatalf("%s: %v", schema.ID(recs[i%len(recs)]), errs)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		}
	}
	b.Run("valid", run(good, true))
	b.Run("invalid", run(bad, false))
}
