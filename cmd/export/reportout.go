package main

import (
	"fmt"
	"io"
)

// reportOutput is standard output as the commands write their report to
// it: a write that fails (a reader that went away, as in
// "econ-export run … | head -1"; a full disk) must not stop the run,
// whose outputs are still written and published and whose exit code
// still says whether the data is valid. So the first error is kept, the
// rest of the report discarded, and explain says so once on stderr.
//
// That a write to a closed pipe fails at all, rather than killing the
// process, is main's doing: it ignores SIGPIPE.
type reportOutput struct {
	w   io.Writer
	err error
}

func (r *reportOutput) Write(p []byte) (int, error) {
	if r.err != nil {
		return len(p), nil
	}
	if n, err := r.w.Write(p); err != nil {
		r.err = err
	} else if n < len(p) {
		r.err = io.ErrShortWrite
	}
	return len(p), nil
}

// explain writes one line on stderr if the report could not be written in
// full.
func (r *reportOutput) explain(stderr io.Writer) {
	if r.err != nil {
		fmt.Fprintf(stderr, "%s: the report could not be written in full: %v; the run went on without it\n", prog, r.err)
	}
}
