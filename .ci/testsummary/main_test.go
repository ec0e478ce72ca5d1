package main

import (
	"encoding/json"
	"os"
	osexec "os/exec"
	"strings"
	"testing"
)

// ev writes one go test -json line.
func ev(action, pkg, test, output string) string {
	b, err := json.Marshal(event{Action: action, Package: pkg, Test: test, Output: output})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// passed, skipped and failed are the events of one test, as go test -json
// prints them.
func passed(pkg, test string, output ...string) []string {
	return testEvents(pkg, test, "pass", "PASS", output)
}

func skipped(pkg, test string, output ...string) []string {
	return testEvents(pkg, test, "skip", "SKIP", output)
}

func failed(pkg, test string, output ...string) []string {
	return testEvents(pkg, test, "fail", "FAIL", output)
}

func testEvents(pkg, test, action, word string, output []string) []string {
	lines := []string{ev("run", pkg, test, ""), ev("output", pkg, test, "=== RUN   "+test+"\n")}
	for _, o := range output {
		lines = append(lines, ev("output", pkg, test, o+"\n"))
	}
	return append(lines, ev("output", pkg, test, "--- "+word+": "+test+" (0.01s)\n"), ev(action, pkg, test, ""))
}

func pkgOK(pkg string) []string {
	return []string{ev("output", pkg, "", "PASS\n"), ev("output", pkg, "", "ok  \t"+pkg+"\t0.1s\n"), ev("pass", pkg, "", "")}
}

func stream(parts ...[]string) string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return strings.Join(all, "\n") + "\n"
}

const missing = "    datapackage_test.go:731: SKIPPED, NOT RUN: sqlite3 is not on PATH: apt-get install sqlite3"

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		require bool
		code    int
		want    []string
		notWant []string
	}{
		{"all ran", stream(
			passed("export/output", "TestInteropDuckDB"),
			passed("export/output", "TestCSV", "    csv_test.go:10: a log line"),
			passed("export/cmd/export", "TestInteropPsql"),
			pkgOK("export/output"), pkgOK("export/cmd/export"),
		), true, 0,
			[]string{"ok  \texport/output\t0.1s\n", "  ran      export/output TestInteropDuckDB\n",
				"  ran      export/cmd/export TestInteropPsql\n", "interop: 2 ran, 0 skipped\n", "\ntests: 3 passed, 0 failed, 0 skipped\n"},
			[]string{"PASS\n", "a log line", "TestCSV", "=== RUN"}},
		{"a skip with the helper's message", stream(
			passed("export/output", "TestInteropDuckDB"),
			skipped("export/output", "TestInteropSQLite", "WARNING: TestInteropSQLite SKIPPED: sqlite3 is not on PATH", missing),
			pkgOK("export/output"),
		), false, 0,
			[]string{"  SKIPPED  export/output TestInteropSQLite: sqlite3 is not on PATH: apt-get install sqlite3\n",
				"interop: 1 ran, 1 skipped\n", "tests: 1 passed, 0 failed, 1 skipped\n"}, nil},
		{"a skip fails where interop is required", stream(
			passed("export/output", "TestInteropDuckDB"),
			skipped("export/output", "TestInteropSQLite", missing),
			pkgOK("export/output"),
		), true, 1, []string{"SKIPPED  export/output TestInteropSQLite", "every interop test must run here"}, nil},
		{"a skip of another kind is an interop skip too, with its last line as the reason", stream(
			skipped("export/report", "TestInteropChromium", "    html_test.go:12: chromium crashed at start"),
			pkgOK("export/report"),
		), true, 1, []string{"  SKIPPED  export/report TestInteropChromium: html_test.go:12: chromium crashed at start\n",
			"interop: 0 ran, 1 skipped\n"}, nil},
		{"a test of any name that skips with the helper's message is listed", stream(
			[]string{ev("run", "export/output", "TestLoad", "")},
			skipped("export/output", "TestLoad/postgres", missing),
			passed("export/output", "TestLoad"),
			passed("export/output", "TestInteropDuckDB"),
			pkgOK("export/output"),
		), true, 1, []string{"  SKIPPED  export/output TestLoad/postgres: sqlite3 is not on PATH", "interop: 1 ran, 1 skipped\n"}, nil},
		{"no interop test ran", stream(passed("export/input", "TestCSV"), pkgOK("export/input")), true, 1,
			[]string{"interop: 0 ran, 0 skipped\n", "every interop test must run here"}, nil},
		{"no interop test ran, and none required", stream(passed("export/input", "TestCSV"), pkgOK("export/input")), false, 0,
			[]string{"interop: 0 ran, 0 skipped\n"}, []string{"must run"}},
		{"a failed test shows its output, its subtests' too", stream(
			[]string{ev("run", "export/input", "TestCSV", ""), ev("output", "export/input", "TestCSV", "=== RUN   TestCSV\n")},
			failed("export/input", "TestCSV/quoted", "    csv_test.go:20: got 2 rows, want 3"),
			[]string{ev("output", "export/input", "TestCSV", "--- FAIL: TestCSV (0.02s)\n"), ev("fail", "export/input", "TestCSV", "")},
			passed("export/output", "TestInteropDuckDB"),
			[]string{ev("output", "export/input", "", "FAIL\n"), ev("output", "export/input", "", "FAIL\texport/input\t0.1s\n"),
				ev("fail", "export/input", "", "")},
		), true, 1,
			[]string{"--- FAIL: TestCSV/quoted (0.01s)\n", "    csv_test.go:20: got 2 rows, want 3\n", "--- FAIL: TestCSV (0.02s)\n",
				"FAIL\texport/input\t0.1s\n", "tests: 1 passed, 2 failed, 0 skipped\n"}, nil},
		{"a failed interop test ran", stream(failed("export/output", "TestInteropDuckDB", "    duckdb_interop_test.go:5: bad type"),
			pkgOK("export/output")), true, 1, []string{"  FAILED   export/output TestInteropDuckDB\n", "interop: 1 ran, 0 skipped\n", "bad type"}, nil},
		{"a panic shows the output of the test that never ended", stream(
			[]string{ev("run", "export/input", "TestYAML", ""), ev("output", "export/input", "TestYAML", "panic: boom\n"),
				ev("output", "export/input", "", "FAIL\texport/input\t0.1s\n"), ev("fail", "export/input", "", "")},
			passed("export/output", "TestInteropDuckDB"),
		), true, 1, []string{"panic: boom\n", "FAIL\texport/input"}, nil},
		{"a build failure", stream(
			[]string{`{"ImportPath":"export/input [export/input.test]","Action":"build-output","Output":"input/csv.go:3:1: syntax error\n"}`,
				`{"ImportPath":"export/input [export/input.test]","Action":"build-fail"}`},
			passed("export/output", "TestInteropDuckDB"),
		), true, 1, []string{"input/csv.go:3:1: syntax error\n"}, nil},
		{"lines that are not events pass through", stream([]string{"go: downloading example.org/m v1.0.0"},
			passed("export/output", "TestInteropDuckDB")), true, 0, []string{"go: downloading example.org/m v1.0.0\n"}, nil},
		{"nothing at all", "", false, 1, []string{"no go test -json events"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			code := run(strings.NewReader(tc.in), &out, tc.require)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, &out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, &out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, &out)
				}
			}
		})
	}
}

// TestRealGoTest runs go test -json on a package of interop tests made for
// the test (one runs, one skips through a helper like interopMissing, one
// is not an interop test), so that the rules hold for what go test really
// prints, not only for the events written above.
func TestRealGoTest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(dir+"/"+name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module fixture\n\ngo 1.26\n")
	write("fixture_test.go", `package fixture

import (
	"fmt"
	"os"
	"testing"
)

func interopMissing(t *testing.T, msg string) {
	t.Helper()
	fmt.Fprintf(os.Stderr, "WARNING: %s SKIPPED: %s\n", t.Name(), msg)
	t.Skip("SKIPPED, NOT RUN: " + msg)
}

func TestInteropRuns(t *testing.T)  { t.Log("read back") }
func TestInteropSkips(t *testing.T) { interopMissing(t, "nothing is installed here") }
func TestOther(t *testing.T)        { t.Run("sub", func(t *testing.T) { interopMissing(t, "no psql") }) }
`)
	cmd := osexec.Command("go", "test", "-json", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	js, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -json: %v\n%s", err, js)
	}
	var out strings.Builder
	if code := run(strings.NewReader(string(js)), &out, true); code != 1 {
		t.Errorf("exit %d, want 1 (interop tests skipped)", code)
	}
	for _, w := range []string{"ok  \tfixture\t", "  ran      fixture TestInteropRuns\n",
		"  SKIPPED  fixture TestInteropSkips: nothing is installed here\n", "  SKIPPED  fixture TestOther/sub: no psql\n",
		"interop: 1 ran, 2 skipped\n", "tests: 2 passed, 0 failed, 2 skipped\n"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, &out)
		}
	}
}
