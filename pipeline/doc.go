// Package pipeline wires readers, validation and writers together, and owns
// the policy of a run.
//
// [Check] reads every input file twice: first its sources, so that a record
// can cite a source declared later or in another file, then its records,
// one at a time. Each record is validated against its struct tags (package
// schema), then checked against the rest of the run: its id must be unique
// across all inputs, its source must be declared, and its quote must be
// found in the source's text (see quote.go for what the matching forgives).
// Every problem of the whole run is reported, as it is found, to a
// [Reporter]; [NewReporter] writes the text, json, junit, github and html
// report formats. The html one ([NewReporterOptions], html.go) is a
// self-contained page that keeps, while the records stream, the first
// problems and figures up to its caps and counts the rest, then reads the
// input lines around each problem back from the files, and renders once
// the verdict is known.
//
// [Run] does the same and streams the valid records into the output writers
// (package output), in a stage next to the output directory that is
// published only when the whole run is valid, and discarded otherwise; it
// writes the HTML report into the stage too, as report.html.
//
// Memory grows with the number of sources and record ids, never with the
// records themselves: they stream from reader to writers.
package pipeline
