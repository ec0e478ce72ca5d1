package output

import (
	"time"

	"export/schema"
)

// The output formats, as --formats names them.
const (
	FormatCSV     = "csv"
	FormatXLSX    = "xlsx"
	FormatJSON    = "json"
	FormatJSONL   = "jsonl"
	FormatParquet = "parquet"
	FormatSQLite  = "sqlite"
)

// Writer streams valid records into the files of one format.
//
// Records arrive one at a time, in input order, with kinds interleaved; a
// writer must not keep them (beyond what a buffered file holds). Finish is
// called once, after the last record, only when the run is valid; Close is
// always called and releases what the writer holds (temporary files). The
// files are created in the directory given to New, which the caller
// publishes or discards as a whole.
type Writer interface {
	Write(schema.Record) error
	Finish(*Meta) ([]File, error)
	Close() error
}

// Meta is what a writer needs besides the records, known at the end of a
// run.
type Meta struct {
	// Tool and Version name the program that wrote the files.
	Tool, Version string
	// Created is the generation time from SOURCE_DATE_EPOCH; zero when it
	// is not set, and then no timestamp is written.
	Created time.Time
	// Sources are the declared sources, in declaration order.
	Sources []*schema.Source
	// Inputs are the input files with their SHA-256, in reading order.
	Inputs []Input
	// Errors and Warnings are the validation summary.
	Errors, Warnings int
}

// Input is an input file and its digest.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// File describes one file a writer produced.
type File struct {
	// Name is the file name inside the output directory.
	Name string
	// Format is the format that wrote it.
	Format string
	// Rows counts data rows per table (kind plural or "sources"); a CSV
	// file has one table, a workbook or figures.json several.
	Rows map[string]int
	// SHA256 (lowercase hex) and Bytes describe the file's content when the
	// writer hashed it as it wrote it; SHA256 is "" otherwise, and the
	// manifest and the data package read the file to hash it.
	SHA256 string
	Bytes  int64
}

// fileBufferSize is the buffer of each output file: a write system call per
// 256 KiB rather than per 4 KiB (bufio's default).
const fileBufferSize = 256 << 10

// Options configure the writers.
type Options struct {
	// CSVBOM writes a UTF-8 byte order mark at the start of CSV files, for
	// Excel users.
	CSVBOM bool
	// TempDir holds the writers' temporary files; "" means the directory
	// the writer writes into.
	TempDir string
}

// ParseDate parses a YYYY-MM-DD date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}
