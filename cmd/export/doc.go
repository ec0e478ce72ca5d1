// Command export turns hand-curated economic figures into validated,
// traceable data: it reads dataset files (YAML, JSON, JSON Lines, CSV),
// checks every record against the data contract, and writes CSV, XLSX and
// JSON with provenance columns.
//
// Usage:
//
//	export [run] [flags] [PATH ...]     validate, then write every output (the default command)
//	export validate [flags] [PATH ...]  validate only and print the report
//	export schema                       print the JSON Schema of the input dataset format
//
// With no PATH, export reads its embedded default dataset. Exit codes: 0 the
// data is valid (outputs written); 1 the data has errors (the report names
// every one, and no output is written); 2 a usage, I/O or internal error.
package main
