// Package input reads dataset files into records, one at a time.
//
// It owns the input formats of the contract (YAML, JSON, JSON Lines, CSV
// and XLSX workbooks in the layout export writes, chosen by file extension), the embedded default dataset, and the expansion
// of command-line paths into files. Every reader has the same shape: [Open]
// returns a [Reader] whose Next method returns one [Item] (a source or a
// record) per call and io.EOF at the end, so memory does not grow with the
// size of the input.
//
// Every item and every field keeps its [Position] (file, line and, where the
// format has one, column) so that a problem points at the line to fix.
// Problems that concern one item (an unknown field, a duplicate key, a value
// of the wrong type, a CSV cell that does not apply to the row's kind) travel
// with the item in Item.Problems, and reading goes on; problems that make the
// rest of the file unreadable (a syntax error, invalid UTF-8) are returned by
// Next as an [*Error] and end the file.
//
// What is accepted, in every format: a UTF-8 byte order mark, CRLF or LF line
// endings. What is rejected: invalid UTF-8 and NUL bytes (a UTF-16 file is
// named as such), escapes that stand for no character (half a surrogate
// pair), empty files (but for JSON Lines, where an empty file holds no
// records), unknown fields, duplicate keys, YAML aliases and
// multi-document YAML files.
//
// Readers fill records but do not validate them: that is package schema's
// job, and cross-record checks are package pipeline's.
package input
