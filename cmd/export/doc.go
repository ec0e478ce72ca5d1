// Command export (installed as econ-export: export is a shell builtin)
// turns hand-curated economic figures into validated, traceable data. It
// reads dataset files (YAML, JSON, JSON Lines, CSV, and XLSX workbooks in
// the layout it writes), checks every record against the data contract
// and every quote against its source's text, reports every problem of the
// whole run at once, and, when the data is valid, writes CSV, XLSX, JSON,
// JSON Lines, Parquet and SQLite with provenance columns, a Frictionless
// data package, a manifest and report.html, a self-contained HTML report
// that shows every figure beside the words of its source that state it.
//
// Usage:
//
//	econ-export [run] [flags] [PATH ...]     validate, then write every output (the default command)
//	econ-export validate [flags] [PATH ...]  validate only and print the report
//	econ-export schema                       print the JSON Schema of the input dataset format
//	econ-export load --postgres URL [OUTDIR] load a published output directory into PostgreSQL
//	econ-export version                      print the version (also --version)
//
// With no PATH, it reads its embedded default dataset; a directory is read
// recursively, and what it holds but does not read is listed in the
// report. Flags may come before or after the paths; -h lists every command
// and flag, and a mistyped flag, command or format gets the nearest one
// suggested. The report (--report text, json, junit, github, or html: one
// page, written once the run is over, whose positions --report-link-base
// URL makes links to URL/file#Lline) goes to standard output; a progress
// line goes to stderr on a terminal only.
//
// The outputs are written into a stage next to the output directory and
// take its place in one rename only when every record is valid and every
// writer succeeded; two runs writing next to each other are serialised by
// a lock. On invalid data, on any error and on Ctrl-C or SIGTERM the
// output directory is left as it was. The report on standard output is
// no part of the outputs (report.html is): when standard output goes away (econ-export run | head -1;
// SIGPIPE is ignored for that), the run goes on without it and says so on
// stderr.
//
// Exit codes: 0 the data is valid (outputs written); 1 the data has
// errors (the report names every one, and no output is written); 2 a
// usage, I/O or internal error, in one line on stderr.
//
// The package: main.go sets the garbage collector's budget and calls run;
// run.go has the commands, their flags and the run itself; limits.go the
// flags that bound an input file; usage.go the -h text; suggest.go the
// "did you mean" hints; name.go the name the command calls itself by;
// version.go the version command; reportout.go the standard output that a
// failing reader cannot stop the run through; progress.go the progress
// line. The work is done by packages input (readers), pipeline (checks,
// reports, the run's policy) and output (writers, stage, lock).
package main
