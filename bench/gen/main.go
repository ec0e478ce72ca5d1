// Command gen writes a synthetic dataset for the benchmarks: N records,
// the same on every run for the same flags (see package bench/synth), and
// the sources they cite.
//
//	go run ./bench/gen -n 1000000 -kinds mixed -o /tmp/bench/records.csv
//
// writes the records to records.csv and, next to it, sources.yaml with the
// source texts that hold the quotes (so that export verifies every quote,
// as in real runs; -quotes unverified declares the sources without text).
// Run export on both files:
//
//	export run /tmp/bench/records.csv /tmp/bench/sources.yaml
//
// -invalid 0.01 makes 1% of the records invalid, spread evenly, each
// breaking one rule, for measuring error reports.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"export/bench/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "number of `records`")
	kinds := fs.String("kinds", synth.KindsInvestment, "record kinds: investment (investment totals only) or mixed (80% investment totals, 10% enterprise counts, 10% agreement counts)")
	out := fs.String("o", "records.csv", "records `file` (- for stdout)")
	format := fs.String("format", "", "records format: csv, jsonl, json or yaml (default: from the -o extension, else csv)")
	sources := fs.String("sources", "", "sources `file`; the source texts are written next to it (default: sources.yaml next to -o; none with -o -)")
	seed := fs.Uint64("seed", synth.DefaultSeed, "random seed")
	invalid := fs.Float64("invalid", 0, "`fraction` of records made invalid (0 to 1), such as 0.01")
	quotes := fs.String("quotes", "verified", "verified (sources have a text holding every quote) or unverified (no text: quotes are not checked)")
	noComputed := fs.Bool("no-computed", false, "leave out the CSV columns that export computes in its outputs (source_title, quote_verified, input_file, input_line)")
	quiet := fs.Bool("q", false, "no summary on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *n < 0 {
		return fmt.Errorf("-n %d: want 0 or more", *n)
	}
	if *quotes != "verified" && *quotes != "unverified" {
		return fmt.Errorf("-quotes %q: want verified or unverified", *quotes)
	}
	if *format == "" {
		*format = synth.FormatCSV
		switch ext := filepath.Ext(*out); ext {
		case ".jsonl", ".json", ".yaml":
			*format = ext[1:]
		}
	}
	g, err := synth.New(synth.Options{Kinds: *kinds, Seed: *seed, Invalid: *invalid,
		Unverified: *quotes == "unverified", NoComputed: *noComputed})
	if err != nil {
		return err
	}

	if *sources == "" && *out != "-" {
		*sources = filepath.Join(filepath.Dir(*out), synth.SourcesFile)
	}
	if *sources != "" {
		dir := filepath.Dir(*sources)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		files := g.SourceFiles()
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			p := filepath.Join(dir, name)
			if name == synth.SourcesFile {
				p = *sources
			}
			if err := os.WriteFile(p, files[name], 0o644); err != nil {
				return err
			}
		}
	}

	w := stdout
	var f *os.File
	if *out != "-" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			return err
		}
		if f, err = os.Create(*out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := g.WriteRecords(bw, *format, *n); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	if !*quiet {
		where := "not written (give -sources)"
		if *sources != "" {
			where = "in " + *sources
		}
		shape := *format
		if *format == synth.FormatCSV {
			shape = fmt.Sprintf("csv, %d columns", len(g.Header()))
		}
		fmt.Fprintf(stderr, "gen: %d %s records (%d invalid; %s; seed %d) to %s; sources (quotes %s) %s\n",
			*n, *kinds, g.CountInvalid(*n), shape, *seed, *out, *quotes, where)
	}
	return nil
}
