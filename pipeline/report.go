package pipeline

import (
	"export/input"
	"export/schema"
)

// Problem is one broken rule, where it is, and how to fix it.
type Problem struct {
	Severity schema.Severity
	Pos      input.Position
	// Field is the contract's field name, with the element index for list
	// elements ("sectors[2]"); empty when the problem concerns the whole
	// record or file.
	Field string
	// Rule names the broken rule: a validator tag ("required", "gte"), a
	// cross-field rule ("sum_lte"), a cross-record check ("unique_id",
	// "source_declared", "quote_found") or a reading rule ("syntax").
	Rule    string
	Message string
}

// Result is the outcome of checking one item: a record, a source, or (Kind
// empty) a part of a file that could not be read as an item.
type Result struct {
	Pos input.Position
	// Kind is the record's kind name, KindSource, or "" for a file problem.
	Kind     string
	ID       string
	Problems []Problem
	// Late marks a second Result for a record already reported, with a
	// problem found only at the end of the run: an id used twice among more
	// records than the run remembers exactly, confirmed by reading the
	// files again. Its problems add to the record's.
	Late bool
	// Record is the record checked (nil for a source, a file problem, a
	// record without a known kind, or a Late result), with its computed
	// provenance filled in (source_title, quote_verified, stated). A
	// Reporter must not keep it past its Result call unless it copies it:
	// the record streams on to the writers.
	Record schema.Record
	// evidence, when set, finds the record's quote in its source's text.
	evidence func() *Evidence
}

// Evidence is a record's quote in its paragraph of the source's text, for
// a reader to see each figure beside the words that state it.
type Evidence struct {
	// Paragraph is the paragraph of the source's text that holds the
	// quote's start, normalised as the quote matcher reads it (white space
	// collapsed, line-end hyphens and split ligatures joined).
	Paragraph string
	// QuoteStart and QuoteEnd delimit the quote in Paragraph, in code
	// points (QuoteEnd at most the paragraph's end: a quote may run on into
	// the next paragraph).
	QuoteStart, QuoteEnd int
	// Stated are the record's stated words, placed in Paragraph (code
	// points), in the order of the record's Stated.
	Stated []schema.Span
	// Page is the page of the source the quote is on, as form feeds in the
	// text number it (first_page, or the first of pages), or 0 when the
	// text does not mark its pages.
	Page int64
	// Text is the name of the source's text in the outputs (sources/...).
	Text string
}

// Evidence returns the record's quote in its source's text, or nil when
// the quote was not found in a text (the source has none, or it differs).
// It is computed when asked for: a report shows only some records.
func (r *Result) Evidence() *Evidence {
	if r.evidence == nil {
		return nil
	}
	return r.evidence()
}

// KindSource is the Result.Kind of a source.
const KindSource = "source"

// Errors counts the problems that are errors.
func (r *Result) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == schema.Error {
			n++
		}
	}
	return n
}

// Reporter receives the results of a run as they are found, so that a
// report of any size streams out in bounded memory.
type Reporter interface {
	// Result is called once per item checked, in input order: first every
	// source of every file, then every record. It is called for items
	// without problems too. Then it may be called again for some records,
	// with Result.Late set (duplicate ids of a large run). An error stops
	// the run.
	Result(*Result) error
	// Finish is called once, after the last Result, with the run's summary.
	Finish(*Summary) error
}

// Summary counts what a run read and found.
type Summary struct {
	Files   int
	Sources int
	// Records counts the records read; Valid those that passed every check.
	Records, Valid int
	// ValidByKind counts valid records per kind, in kind order.
	ValidByKind []KindCount
	Errors      int
	Warnings    int
	// NotShown counts problems left out of the report by MaxErrors.
	NotShown int
	// Inputs lists every input file read, with its digest: all but those
	// that broke an input limit, whose rest is not read.
	Inputs []Input
	// Declared lists the sources declared, in declaration order (the first
	// declaration of each id).
	Declared []*schema.Source
	// Texts lists the distinct source texts read, in the order first read,
	// for the outputs to carry a copy of each.
	Texts []SourceText
	// textCopies maps a source's id to its text's copy (SourceText.Name).
	textCopies map[string]string
	// Skipped lists what the walk of input directories did not read.
	Skipped []input.Skipped
	// Strict is true when warnings count as errors.
	Strict bool
}

// KindCount is the number of records of one kind.
type KindCount struct {
	Kind  string
	Table string
	Count int
}

// Input is an input file and the SHA-256 of its bytes.
type Input struct {
	Path   string
	SHA256 string
	Bytes  int64
}

// Failed reports whether the run found errors, or warnings in strict mode.
func (s *Summary) Failed() bool {
	return s.Errors > 0 || (s.Strict && s.Warnings > 0)
}

// SourceText is a source's text file that a run read: the outputs carry a
// copy of it, so that they can be fed back and their quotes verified
// anywhere.
type SourceText struct {
	// Name is the copy's path in the output directory, such as
	// "sources/kazakhstan-today-p190-191.txt": the text's base name, made
	// unique among the run's texts.
	Name string
	// SHA256 (lowercase hex) and Bytes describe the text as read.
	SHA256 string
	Bytes  int64
	read   func() ([]byte, error)
}

// Read reads the text again, for its copy.
func (t SourceText) Read() ([]byte, error) { return t.read() }
