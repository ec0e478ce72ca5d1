package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"export/pipeline"
)

// runVersion prints the version: pipeline.Version (the one the outputs
// name in generated_by), then what the go command recorded in the binary:
// the module's version, the VCS revision it was built from and whether
// the tree had uncommitted changes, and the Go toolchain.
func runVersion(_ context.Context, _ *options, args []string, stdout, _ io.Writer) (int, error) {
	if len(args) > 0 {
		return 0, usagef("version takes no arguments")
	}
	info, _ := debug.ReadBuildInfo()
	if _, err := io.WriteString(stdout, versionText(info)); err != nil {
		return 0, err
	}
	return exitOK, nil
}

// versionText lays out the version for a binary built as info says (nil
// when the binary has no build information).
func versionText(info *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", prog, pipeline.Version)
	if info == nil {
		b.WriteString("  build information: none in this binary\n")
		return b.String()
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	module := info.Main.Version
	switch module {
	case "", "(devel)":
		// go run, go test, and builds outside a version control checkout
		// record no module version.
		module = "(devel): no module version recorded (go run, go test, or a build outside a git checkout)"
	}
	fmt.Fprintf(&b, "  module:    %s %s\n", info.Main.Path, module)
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " (modified: built with uncommitted changes)"
		}
		fmt.Fprintf(&b, "  revision:  %s\n", rev)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "  committed: %s\n", t)
		}
	} else {
		b.WriteString("  revision:  unknown (go run, go test and -buildvcs=false record none)\n")
	}
	platform := strings.TrimSpace(settings["GOOS"] + "/" + settings["GOARCH"])
	if platform == "/" {
		platform = ""
	}
	fmt.Fprintf(&b, "  go:        %s\n", strings.TrimSpace(info.GoVersion+" "+platform))
	return b.String()
}
