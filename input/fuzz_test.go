package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The fuzz targets feed arbitrary bytes to one reader each and check what
// must hold for any input:
//
//   - no panic, and Next ends (with io.EOF) after at most len(data)+10 items;
//   - every error Next returns is an *Error, after which Next returns io.EOF;
//   - every *Error and every problem has a position in the file (File set,
//     Line >= 1), a rule and a message, and names its field when the rule
//     is about one; every item and every field has a position too;
//   - reading sources and records in two passes (Options.Only) ends in an
//     error exactly when reading in one pass does, and returns the same
//     items as one pass when no pass ends in an error.
//
// They are seeded with every dataset file of their format in defaultdata/,
// ../examples/ and testdata/, and with the inputs of the reader tests.
//
//	go test ./input -run XXX -fuzz FuzzYAML -fuzztime 3m

func FuzzYAML(f *testing.F)  { fuzzReader(f, FormatYAML) }
func FuzzJSON(f *testing.F)  { fuzzReader(f, FormatJSON) }
func FuzzJSONL(f *testing.F) { fuzzReader(f, FormatJSONL) }
func FuzzCSV(f *testing.F)   { fuzzReader(f, FormatCSV) }

func fuzzReader(f *testing.F, format string) {
	for _, dir := range []string{"defaultdata", filepath.Join("..", "examples"), "testdata"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && FormatOf(e.Name()) == format {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
	for _, tc := range readerTests {
		if tc.format == format {
			f.Add([]byte(tc.data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzPasses(t, func(only string) ([]string, error) { return fuzzRead(t, format, data, only) })
	})
}

// fuzzPasses reads a file in one pass and in the sources and records passes
// (Options.Only), and checks that one of the two passes ends in an error
// exactly when the one pass does, and that the two passes return the items
// of the one pass when no pass ends in an error.
//
// The errors agree because a pass reads, or checks as it skips, all that
// the one pass reads: what ends a file (its syntax, its size, a value, a
// line, a JSON element or nesting over its limit, a damaged workbook part)
// is found by the pass that reads that part of the file, or by both. The
// exception is --max-records for the entries that are neither sources nor
// records, which the one pass counts over both lists: ten million of them,
// far beyond a fuzzer's inputs.
func fuzzPasses(t *testing.T, read func(only string) (items []string, end error)) {
	all, errAll := read("")
	sources, errSources := read(OnlySources)
	records, errRecords := read(OnlyRecords)
	if (errAll != nil) != (errSources != nil || errRecords != nil) {
		t.Errorf("one pass ended with %v, but the sources pass with %v and the records pass with %v", errAll, errSources, errRecords)
	}
	if errAll != nil || errSources != nil || errRecords != nil {
		return
	}
	split := append(sources, records...)
	slices.Sort(all)
	slices.Sort(split)
	if !slices.Equal(all, split) {
		t.Errorf("one pass read\n%q\nbut the sources and records passes read\n%q", all, split)
	}
}

// fuzzRead reads data to the end, checking the invariants of every reader.
// It returns a summary of each item read and the error that ended the file.
func fuzzRead(t *testing.T, format string, data []byte, only string) (items []string, end error) {
	const file = "fuzz"
	r, err := Open(File{Path: file, Format: format}, bytes.NewReader(data), Options{Only: only})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkPos := func(what string, p Position) {
		if p.File != file || p.Line < 1 || p.Column < 0 {
			t.Errorf("only=%q: %s has position %+v; want file %q and line >= 1", only, what, p, file)
		}
	}
	checkErr := func(what string, e *Error, _ bool) {
		checkPos(fmt.Sprintf("%s %q", what, e.Error()), e.Pos)
		if e.Rule == "" || e.Message == "" {
			t.Errorf("only=%q: %s %q has no rule or message", only, what, e.Error())
		}
		switch e.Rule {
		case RuleKind, RuleNotApplicable: // (a duplicate or unknown key may be "")
			if e.Field == "" {
				t.Errorf("only=%q: %s %q names no field", only, what, e.Error())
			}
		}
	}
	return readChecked(t, r, len(data), only, checkPos, checkErr)
}

// readChecked reads r to the end, checking what every reader must do,
// whatever its format: Next ends after at most size+10 items; every error
// is an *Error, checked with checkErr (fatal), after which Next returns
// io.EOF; every item, field and problem has a position, checked with
// checkPos; problems are checked with checkErr (not fatal); an item is a
// source or a record, of the sort Options.Only asks for. It returns a
// summary of each item read and the error that ended the file.
func readChecked(t *testing.T, r Reader, size int, only string, checkPos func(what string, p Position),
	checkErr func(what string, e *Error, fatal bool)) (items []string, end error) {
	for n := 0; ; n++ {
		if n > size+10 {
			t.Fatalf("only=%q: more than %d items from %d bytes: Next does not end", only, n-1, size)
		}
		it, err := r.Next()
		if err == io.EOF {
			return items, end
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("only=%q: Next returned %T %v; want an *Error", only, err, err)
			}
			checkErr("error", e, true)
			if end != nil {
				t.Fatalf("only=%q: Next returned %v after %v; want io.EOF", only, err, end)
			}
			end = err
			continue
		}
		if end != nil {
			t.Fatalf("only=%q: Next returned an item after %v; want io.EOF", only, end)
		}
		checkPos("item", it.Pos)
		if (it.Kind == nil) != (it.Record == nil) || (it.Source != nil && it.Kind != nil) {
			t.Errorf("only=%q: item at %v has Kind %v, Record %v and Source %v", only, it.Pos, it.Kind, it.Record, it.Source)
		}
		switch {
		case only == OnlySources && it.Kind != nil, only == OnlyRecords && it.Source != nil:
			t.Errorf("only=%q: item at %v is of the wrong sort", only, it.Pos)
		}
		for _, f := range it.fields {
			checkPos("field "+f.name, f.pos)
			checkPos("FieldPos "+f.name, it.FieldPos(f.name, f.index))
		}
		var probs []string
		for _, p := range it.Problems {
			checkErr("problem", p, false)
			probs = append(probs, p.Error())
		}
		items = append(items, fmt.Sprintf("%v id=%q source=%v problems=%q", it.Pos, it.ID, it.Source != nil, probs))
	}
}
