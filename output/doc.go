// Package output writes valid records as files, and publishes them.
//
// The formats (--formats) are CSV (one table per kind and sources.csv), an
// XLSX workbook (a sheet per kind with continuation sheets past Excel's row
// limit, sources and about), figures.json with its JSON Schema, JSON Lines
// and Parquet (a file per kind), and figures.sqlite (the tables of package
// output/sqltables). Besides them a run always writes a copy of
// each source's text (sources/, see [WriteSourceTexts]), report.html (the
// HTML report, which package pipeline renders into the [ReportFile] that
// [CreateReport] opens in the stage, hashed as it is written) and
// manifest.json
// ([WriteManifest]): every file with its SHA-256, size and row counts, the
// inputs and the validation summary; with a table format, datapackage.json,
// a Frictionless Data Package that describes every table file
// ([WriteDataPackage]).
//
// Every writer takes its columns from package schema (the record's fields in
// contract order, then the provenance columns; Kind.TableColumns for the
// table formats, which carry the stated words only in JSON and as the
// workbook's notes) and never lists columns by hand. Writers stream: they
// take records one at a time, in input order, and keep no more than a
// buffered file holds, so a run of millions of records writes in bounded
// memory (the SQLite writer's memory is outside the Go heap, and
// [MemoryOutsideHeap] says how much). Each writer hashes its files as it
// writes them, so the manifest and the data package need not read them
// again. [ReadManifest] reads a manifest back, and [Manifest.Verify] checks
// that the files it lists are as export wrote them: export load (package
// output/pgload) loads nothing else.
//
// Writers create their files in a [Stage], a temporary directory next to the
// output directory, which the caller (package pipeline) publishes as a whole
// in one rename, or discards when the run fails, so that a failed or
// interrupted run never leaves a partial output and a reader never sees a
// mix of two runs. A stage holds a lock on the output directory's parent,
// so that two runs writing there are serialised. A directory is replaced
// only when it is empty or holds export's own outputs, as its manifest says.
//
// The same records and metadata give byte-identical files on every run,
// machine and time zone: no clock is read, and compression is chosen to be
// the same on every machine.
package output
