// Package output writes valid records as files: one CSV table per kind, an
// XLSX workbook, and figures.json, plus the manifest that lists them.
//
// Every writer takes its columns from package schema (the record's fields in
// contract order, then the provenance columns) and never lists columns by
// hand. Writers stream: they take records one at a time, in input order,
// and keep no more than a buffered file holds, so a run of millions of
// records writes in bounded memory.
//
// Writers create their files in a directory that the caller (package
// pipeline) publishes as a whole, or discards when the run fails, so that a
// failed run never leaves a partial output. The same records and metadata
// give byte-identical files on every run, machine and time zone.
package output
