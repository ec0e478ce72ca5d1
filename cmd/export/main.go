package main

import (
	"os"
	"runtime/debug"
)

// The garbage collector's settings, unless GOMEMLIMIT and GOGC say
// otherwise. export allocates a little for every record and keeps little:
// buffered sheets, one batch of records per writer, the set of record ids.
// So the collector may let the heap grow to gcPercent more than what is
// live before it runs (fewer collections: a quarter of the default's
// work), but never past memoryLimit, which keeps a multi-million-record run
// within its memory budget.
const (
	memoryLimit = 128 << 20
	gcPercent   = 400
)

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
