package main

import (
	"os"
	"path/filepath"
	"strings"
)

// installedName is the name the README installs the command under:
//
//	go build -o "$(go env GOPATH)/bin/econ-export" ./cmd/export
//
// not export, the package's directory name, which go install and go build
// would give it: export is a builtin of bash, zsh and sh, which a shell
// runs instead of any program of that name on PATH.
const installedName = "econ-export"

// prog is the name usage text and messages call the command by.
var prog = programName(os.Args[0])

// programName returns the name to call the command by, given how it was
// invoked: the invoked name, so that a copy installed as something else
// names itself as the user typed it, except where that name is no use to
// type: export (the shell's builtin; the name go build gives), or a binary
// in the go command's temporary build directory (go run, go test), or a
// test binary. Those say installedName.
func programName(argv0 string) string {
	name := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	switch {
	case name == "" || name == "." || name == string(filepath.Separator),
		name == "export",
		strings.HasSuffix(name, ".test"),
		strings.Contains(filepath.ToSlash(argv0), "/go-build"):
		return installedName
	}
	return name
}
