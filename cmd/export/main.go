package main

import (
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
	"time"

	"export/output"
)

// The garbage collector's settings, unless GOMEMLIMIT and GOGC say
// otherwise. export allocates a little for every record and keeps little:
// buffered sheets, one batch of records per writer, the set of record ids.
// So the collector may let the heap grow to gcPercent more than what is
// live before it runs (fewer collections: a quarter of the default's
// work), but only to a soft limit of memoryLimit, which keeps a
// multi-million-record run within its memory budget. Some runs keep more
// (a large source text, indexed for quotes; a YAML file read whole): for
// them the limit follows the live heap, at twice its size (the default
// GOGC's headroom), so that the collector does not run without end.
const (
	memoryLimit = 128 << 20
	gcPercent   = 400
	// limitEvery is how often the limit is set again from the live heap.
	limitEvery = 100 * time.Millisecond
)

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
		go followLiveHeap(memoryLimit)
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	// A write to a closed pipe then fails with EPIPE, instead of the
	// process dying of SIGPIPE (Go's default for standard output): the run
	// goes on without its report (reportOutput).
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// followLiveHeap sets the soft memory limit to twice the heap live after
// the last collection, and never below floor, less the memory the writers
// hold outside the Go heap (SQLite's), which the limit does not see.
func followLiveHeap(floor int64) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for range time.Tick(limitEvery) {
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(max(floor-output.MemoryOutsideHeap(), 2*int64(live[0].Value.Uint64())))
		}
	}
}
