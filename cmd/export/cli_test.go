package main

import (
	"bufio"
	"flag"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestProgramName(t *testing.T) {
	for argv0, want := range map[string]string{
		"/home/a/go/bin/econ-export":                 "econ-export",
		"econ-export":                                "econ-export",
		"/usr/local/bin/figures":                     "figures",
		"figures.exe":                                "figures",
		"/home/a/go/bin/export":                      "econ-export", // the shell's builtin: no use to type
		"export.exe":                                 "econ-export",
		"/tmp/go-build1234/b001/exe/export":          "econ-export", // go run
		"/tmp/go-build1234/b001/exe/something":       "econ-export",
		"/tmp/go-build99/b001/export.test":           "econ-export", // go test
		"./export.test":                              "econ-export",
		"":                                           "econ-export",
		"/work/econ/bin/econ-export-v2":              "econ-export-v2",
		"/Users/a/Library/Caches/go-build/x/figures": "econ-export",
	} {
		if got := programName(filepath.FromSlash(argv0)); got != want {
			t.Errorf("programName(%q) = %q, want %q", argv0, got, want)
		}
	}
}

func TestVersionText(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		info    *debug.BuildInfo
		want    []string
		notWant string
	}{
		{"go build in a clone with changes", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: "export", Version: "v0.0.0-20261127120507-bb98867b7534+dirty"},
			Settings: settings("GOOS", "linux", "GOARCH", "amd64", "vcs", "git",
				"vcs.revision", "bb98867b75345f9a8566da7a656f5e036e6018b8", "vcs.time", "2026-11-27T12:05:07Z", "vcs.modified", "true")},
			[]string{"econ-export 0.1.0\n",
				"module:    export v0.0.0-20261127120507-bb98867b7534+dirty\n",
				"revision:  bb98867b75345f9a8566da7a656f5e036e6018b8 (modified: built with uncommitted changes)\n",
				"committed: 2026-11-27T12:05:07Z\n",
				"go:        go1.26.8 linux/amd64\n"}, ""},
		{"a clean tagged build", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Path: "export", Version: "v0.2.0"},
			Settings: settings("vcs.revision", "abc", "vcs.modified", "false")},
			[]string{"module:    export v0.2.0\n", "revision:  abc\n", "go:        go1.26.8\n"}, "modified"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "export", Version: "(devel)"}},
			[]string{"module:    export (devel): no module version recorded", "revision:  unknown"}, "committed"},
		{"no build information", nil, []string{"econ-export 0.1.0\n", "build information: none"}, "module"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := versionText(tc.info)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			if tc.notWant != "" && strings.Contains(got, tc.notWant) {
				t.Errorf("says %q:\n%s", tc.notWant, got)
			}
		})
	}
}

// TestVersionCommand runs version and --version in-process (a test binary
// has build information, without a module version).
func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, stdout, stderr := exec(t, args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "econ-export 0.1.0\n") || !strings.Contains(stdout, "module:    export") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := exec(t, "version", "x"); code != 2 || !strings.Contains(stderr, "version takes no arguments") {
		t.Errorf("version x: exit %d, stderr %q", code, stderr)
	}
}

// TestSuggestions: a mistyped flag, command, report or output format names
// the one meant; a typo too far from anything suggests nothing.
func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // on stderr; "" for no suggestion at all
	}{
		{[]string{"validate", "--stirct"}, "flag provided but not defined: -stirct (did you mean --strict?)"},
		{[]string{"--repot", "json"}, "(did you mean --report?)"},
		{[]string{"validate", "--max-error", "3"}, "(did you mean --max-errors?)"},
		{[]string{"run", "--fromats", "csv"}, "(did you mean --formats?)"},
		{[]string{"validate", "-o", "x"}, "(-o is a flag of econ-export run, not of validate)"},
		{[]string{"validate", "--csv-bom"}, "(--csv-bom is a flag of econ-export run, not of validate)"},
		{[]string{"valdate"}, `unknown command "valdate" (and no file of that name); did you mean econ-export validate?`},
		{[]string{"shema"}, "did you mean econ-export schema?"},
		{[]string{"validate", "--report", "jsno"}, `unknown report format "jsno" (did you mean json?); use one of text, json, junit, github`},
		{[]string{"--formats", "csv,xslx"}, `unknown format "xslx" (did you mean xlsx?)`},
		{[]string{"validate", "-q"}, ""},
		{[]string{"validate", "--colour"}, ""},
		{[]string{"--report", "xml"}, ""},
	} {
		code, stdout, stderr := exec(t, tc.args...)
		if code != 2 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q; want exit 2 and nothing on stdout", tc.args, code, stdout)
		}
		if tc.want == "" && strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: stderr %q; want %q", tc.args, stderr, tc.want)
		}
		if !strings.HasPrefix(stderr, "econ-export: ") || !strings.HasSuffix(stderr, "\nRun 'econ-export -h' for usage.\n") {
			t.Errorf("%v: stderr %q; want the program's name first and the hint to run -h last", tc.args, stderr)
		}
	}
	// A file named like a command is a path, not a misspelt command.
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("valdate", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, stderr := exec(t, "valdate"); strings.Contains(stderr, "did you mean") {
		t.Errorf("a file named valdate was taken for a misspelt command: %s", stderr)
	}
}

func TestNearest(t *testing.T) {
	names := []string{"report", "strict", "max-errors", "quiet", "o", "out", "formats"}
	for typed, want := range map[string]string{
		"repot": "report", "reportt": "report", "stirct": "strict", "quite": "quiet", "max-error": "max-errors",
		"fromats": "formats", "q": "", "x": "", "outt": "out", "colour": "", "": "",
	} {
		if got := nearest(typed, names); got != want {
			t.Errorf("nearest(%q) = %q, want %q", typed, got, want)
		}
	}
}

// TestHelpListsEverything: -h names every command and every flag of every
// command, as the user types them.
func TestHelpListsEverything(t *testing.T) {
	code, stdout, stderr := exec(t, "-h")
	if code != 0 || stderr != "" {
		t.Fatalf("-h: exit %d, stderr %q", code, stderr)
	}
	for _, c := range commands {
		if !strings.Contains(stdout, "  econ-export "+c.usage+" ") {
			t.Errorf("-h lacks the command %s:\n%s", c.name, stdout)
		}
		c.flags(&options{}).VisitAll(func(f *flag.Flag) {
			if !strings.Contains(stdout, dashed(f.Name)+" ") && !strings.Contains(stdout, dashed(f.Name)+",") &&
				!strings.Contains(stdout, dashed(f.Name)+"\n") {
				t.Errorf("-h lacks %s of %s:\n%s", dashed(f.Name), c.name, stdout)
			}
		})
	}
	for _, want := range []string{"Flags of run:\n", "Flags of run and validate:\n", "-o, --out DIR\n", "--report FORMAT\n",
		"(default text)", "--formats LIST\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("-h lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "--out DIR\n      output DIR (same as -o)") {
		t.Errorf("-h lists --out apart from -o:\n%s", stdout)
	}
}

// installCommand returns the command the README's "Installing" section
// gives to build and install the program.
func installCommand(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inSection := false
	for s := bufio.NewScanner(f); s.Scan(); {
		line := s.Text()
		if strings.HasPrefix(line, "## ") {
			inSection = line == "## Installing"
		}
		if inSection && strings.HasPrefix(line, "go build ") {
			return line
		}
	}
	t.Fatal(`README.md has no "go build" line in its "## Installing" section`)
	return ""
}

// TestInstalledFromFreshShell follows the README as a user would: runs its
// install command in a shell, with GOPATH a directory of the test's own,
// then runs the installed command from fresh bash and sh shells that find
// it on PATH: by the name the README gives, which no shell builtin hides.
func TestInstalledFromFreshShell(t *testing.T) {
	install := installCommand(t)
	if !strings.Contains(install, "econ-export") || strings.Contains(install, "go install") {
		t.Fatalf("the README's install command %q does not install econ-export with go build", install)
	}
	gopath := t.TempDir()
	modcache, err := osexec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	build := osexec.Command("bash", "-c", install)
	build.Dir = "../.."
	// The module cache stays where it is: nothing is downloaded again.
	build.Env = append(os.Environ(), "GOPATH="+gopath, "GOMODCACHE="+strings.TrimSpace(string(modcache)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", install, err, out)
	}
	bin := filepath.Join(gopath, "bin")
	if _, err := os.Stat(filepath.Join(bin, "econ-export")); err != nil {
		t.Fatalf("the install command wrote no %s: %v", filepath.Join(bin, "econ-export"), err)
	}
	examples, _ := filepath.Abs("../../examples")
	for _, shell := range []string{"bash", "sh"} {
		if _, err := osexec.LookPath(shell); err != nil {
			t.Fatalf("no %s here: %v", shell, err)
		}
		for _, tc := range []struct {
			script string
			code   int
			stdout []string
			stderr string
		}{
			{"econ-export -h", 0, []string{"Usage:\n", "  econ-export validate [flags] [PATH ...]", "--report FORMAT"}, ""},
			{"econ-export validate -h", 0, []string{"Usage: econ-export validate"}, ""},
			{"econ-export --version", 0, []string{"econ-export 0.1.0\n", "module:    export"}, ""},
			{"econ-export version", 0, []string{"econ-export 0.1.0\n"}, ""},
			{"econ-export validate", 0, []string{"valid: 3 records in 1 file"}, ""},
			{"econ-export validate programme-1bn.yaml", 1, []string{"programme-1bn.yaml:17:5: programme-1bn: as_of: is required"}, ""},
			{"econ-export validate --stirct", 2, nil, "econ-export: validate: flag provided but not defined: -stirct (did you mean --strict?)\n"},
			// What the README warns of: the shell's builtin, not this
			// program, answers to export (bash: "invalid option", dash:
			// "Illegal option").
			{"export -h", 2, nil, " option"},
		} {
			cmd := osexec.Command(shell, "-c", tc.script)
			cmd.Dir = examples
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if exit, ok := err.(*osexec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("%s -c %q: exit %d, want %d\nstdout: %s\nstderr: %s", shell, tc.script, code, tc.code, &stdout, &stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("%s -c %q: stdout lacks %q:\n%s", shell, tc.script, w, &stdout)
				}
			}
			if !strings.Contains(strings.ToLower(stderr.String()), tc.stderr) || tc.stderr == "" && stderr.Len() > 0 {
				t.Errorf("%s -c %q: stderr %q, want %q", shell, tc.script, &stderr, tc.stderr)
			}
		}
	}
}
