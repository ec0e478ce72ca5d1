// Command testsummary reads what go test -json prints and says which
// interop tests ran and which skipped, which go test hides: it prints the
// skip message of a test only with -v, and a package whose tests skipped
// reads "ok" like one whose tests ran.
//
//	go test -json ./... | go run ./.ci/testsummary [-require-interop]
//
// As the events arrive it prints what go test prints without -json: each
// package's result line, build errors, and the whole output of every test
// that failed. At the end it lists the interop tests, then counts every
// test in one closing line ("tests: N passed, N failed, N skipped").
//
// An interop test is one that opens the outputs with a real reader that
// nobody on this team wrote (openpyxl, LibreOffice, DuckDB, python3's
// jsonschema, sqlite3, psql, Chromium). Two rules find them, so that a new
// one is listed without a change here:
//   - its name begins with TestInterop (a top-level test), and
//   - any test that skips with the message of the helper that skips, or in
//     CI fails, an interop test whose tool is missing ("SKIPPED, NOT RUN: ",
//     interopMissing in output/datapackage_test.go) is one too, whatever
//     its name.
//
// It exits 1 when a test or a build failed, when the input holds no test
// event, and, with -require-interop (the default when
// EXPORT_REQUIRE_INTEROP=1, as in CI), when an interop test skipped or
// none ran.
//
// This is a program of its own rather than a go test flag or a shell
// pipeline of jq: go test has no such summary, gotestsum (which has one of
// skipped tests) is not packaged for Debian, and the rules above are
// easier to read, and to test, in Go.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// skipMarker starts the skip message of every interop test whose tool is
// missing (interopMissing).
const skipMarker = "SKIPPED, NOT RUN: "

// event is one line of go test -json (go doc test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	// ImportPath names the package of a build-output or build-fail event.
	ImportPath string
}

// interopTest is what happened to one interop test.
type interopTest struct {
	pkg, name string
	status    string // "pass", "fail" or "skip"
	reason    string // why it skipped
}

// summary gathers a run's results as the events stream by.
type summary struct {
	out io.Writer
	// output holds each running top-level test's output (with its
	// subtests'), printed if it fails and dropped otherwise.
	output  map[string][]string // package + " " + top-level test
	interop []*interopTest
	seen    map[string]*interopTest // package + " " + test
	counts  map[string]int          // action -> tests
	failed  bool                    // a test, a package or a build failed
	events  int
}

func newSummary(out io.Writer) *summary {
	return &summary{out: out, output: map[string][]string{}, seen: map[string]*interopTest{}, counts: map[string]int{}}
}

func topLevel(test string) string {
	top, _, _ := strings.Cut(test, "/")
	return top
}

// add takes one line of go test -json.
func (s *summary) add(line string) {
	var e event
	if err := json.Unmarshal([]byte(line), &e); err != nil || e.Action == "" {
		fmt.Fprintln(s.out, line) // not an event: say it as it came
		return
	}
	s.events++
	switch {
	case e.Action == "build-output":
		fmt.Fprint(s.out, e.Output)
	case e.Action == "build-fail":
		s.failed = true
	case e.Test == "":
		s.packageEvent(e)
	default:
		s.testEvent(e)
	}
}

func (s *summary) packageEvent(e event) {
	switch e.Action {
	case "output":
		if e.Output != "PASS\n" { // go test without -json says only "ok"
			fmt.Fprint(s.out, e.Output)
		}
	case "fail":
		s.failed = true
		// A test that never ended (a panic, a timeout) has its output
		// still held: that output says why the package failed.
		for _, key := range sortedKeys(s.output) {
			if pkg, _, _ := strings.Cut(key, " "); pkg == e.Package {
				s.flush(key)
			}
		}
	}
}

func (s *summary) testEvent(e event) {
	key := e.Package + " " + topLevel(e.Test)
	switch e.Action {
	case "output":
		if !strings.HasPrefix(e.Output, "=== ") { // RUN, PAUSE, CONT, NAME
			s.output[key] = append(s.output[key], e.Output)
		}
		if _, reason, ok := strings.Cut(e.Output, skipMarker); ok {
			if t := s.interopOf(e); t != nil {
				t.reason = strings.TrimSpace(reason)
			}
		}
	case "pass", "fail", "skip":
		s.counts[e.Action]++
		if t := s.interopOf(e); t != nil {
			t.status = e.Action
			if e.Action == "skip" && t.reason == "" {
				t.reason = lastMessage(s.output[key])
			}
		}
		if e.Action == "fail" {
			s.failed = true
		}
		if e.Test == topLevel(e.Test) {
			if e.Action == "fail" {
				s.flush(key)
			}
			delete(s.output, key)
		}
	}
}

// interopOf returns the interop test the event belongs to, or nil: a
// top-level test named TestInterop…, or one that printed skipMarker (then
// the test is recorded here first, from that output event).
func (s *summary) interopOf(e event) *interopTest {
	key := e.Package + " " + e.Test
	if t := s.seen[key]; t != nil {
		return t
	}
	isInterop := strings.HasPrefix(e.Test, "TestInterop") && !strings.Contains(e.Test, "/") ||
		e.Action == "output" && strings.Contains(e.Output, skipMarker)
	if !isInterop {
		return nil
	}
	t := &interopTest{pkg: e.Package, name: e.Test}
	s.seen[key] = t
	s.interop = append(s.interop, t)
	return t
}

// lastMessage returns the last line a test logged before its "--- SKIP":
// the reason of a skip that did not use the marker.
func lastMessage(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "--- ") {
			return l
		}
	}
	return "(no reason given)"
}

func (s *summary) flush(key string) {
	for _, l := range s.output[key] {
		fmt.Fprint(s.out, l)
	}
	delete(s.output, key)
}

// finish prints the interop tests and the counts, and returns the exit
// code.
func (s *summary) finish(requireInterop bool) int {
	code := 0
	if s.failed {
		code = 1
	}
	if s.events == 0 {
		fmt.Fprintln(s.out, "testsummary: no go test -json events on standard input")
		return 1
	}
	ran, skipped := 0, 0
	fmt.Fprintln(s.out, "\nInterop tests (real readers: each TestInterop… test, and any test skipped for a missing tool):")
	for _, t := range s.interop {
		switch t.status {
		case "skip":
			skipped++
			fmt.Fprintf(s.out, "  SKIPPED  %s %s: %s\n", t.pkg, t.name, t.reason)
		case "pass", "fail":
			ran++
			verdict := "ran"
			if t.status == "fail" {
				verdict = "FAILED"
			}
			fmt.Fprintf(s.out, "  %-7s  %s %s\n", verdict, t.pkg, t.name)
		default:
			fmt.Fprintf(s.out, "  UNFINISHED %s %s\n", t.pkg, t.name)
		}
	}
	fmt.Fprintf(s.out, "interop: %d ran, %d skipped\n", ran, skipped)
	if requireInterop && (skipped > 0 || ran == 0) {
		fmt.Fprintln(s.out, "testsummary: every interop test must run here (-require-interop, EXPORT_REQUIRE_INTEROP=1): install what the skipped ones name")
		code = 1
	}
	fmt.Fprintf(s.out, "tests: %d passed, %d failed, %d skipped\n", s.counts["pass"], s.counts["fail"], s.counts["skip"])
	return code
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func run(in io.Reader, out io.Writer, requireInterop bool) int {
	s := newSummary(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20) // a test may print long lines
	for sc.Scan() {
		s.add(sc.Text())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(out, "testsummary: reading go test -json: %v\n", err)
		return 1
	}
	return s.finish(requireInterop)
}

func main() {
	require := flag.Bool("require-interop", os.Getenv("EXPORT_REQUIRE_INTEROP") == "1",
		"exit 1 when an interop test skipped or none ran (default true when EXPORT_REQUIRE_INTEROP=1)")
	flag.Parse()
	os.Exit(run(os.Stdin, os.Stdout, *require))
}
