package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// Exit codes, as the contract defines them.
const (
	exitOK      = 0 // valid; outputs written
	exitInvalid = 1 // the data has errors; nothing written
	exitFailure = 2 // usage, I/O or internal error
)

// usageError is a mistake in the command line: exit 2 with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// interrupted is the error of a command that Ctrl-C or SIGTERM stopped; it
// says what that left (it wraps context.Canceled).
type interrupted struct{ left string }

func (e *interrupted) Error() string { return "interrupted; " + e.left }
func (e *interrupted) Unwrap() error { return context.Canceled }

// command is one subcommand of export.
type command struct {
	name  string
	usage string // the usage line after the program's name
	short string
	flags func(*options) *flag.FlagSet
	run   func(ctx context.Context, o *options, paths []string, stdout, stderr io.Writer) (int, error)
}

var commands []*command

func init() {
	commands = []*command{
		{name: "run", usage: "[run] [flags] [PATH ...]", short: "validate, then write every output (the default command)",
			flags: runFlags, run: runRun},
		{name: "validate", usage: "validate [flags] [PATH ...]", short: "validate only and print the report",
			flags: validateFlags, run: runValidate},
		{name: "schema", usage: "schema", short: "print the JSON Schema of the input dataset format",
			flags: func(*options) *flag.FlagSet { return newFlagSet("schema") }, run: runSchema},
		loadCommand(),
		{name: "version", usage: "version", short: "print the version (also --version)",
			flags: func(*options) *flag.FlagSet { return newFlagSet("version") }, run: runVersion},
	}
}

// options holds every flag; each command registers the ones it takes.
type options struct {
	report    string
	linkBase  string
	strict    bool
	maxErrors int
	out       string
	formats   string
	csvBOM    bool
	force     bool
	quiet     bool
	limits    input.Limits
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func validateFlags(o *options) *flag.FlagSet {
	fs := newFlagSet("validate")
	reportFlags(fs, o)
	limitFlags(fs, o)
	return fs
}

func reportFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.report, "report", "text", "report `FORMAT`: "+strings.Join(pipeline.ReportFormats, ", "))
	fs.StringVar(&o.linkBase, "report-link-base", "", "in the HTML report, link each position to `URL`/file#Lline (a repository's file view)")
	fs.BoolVar(&o.strict, "strict", false, "count warnings as errors")
	fs.IntVar(&o.maxErrors, "max-errors", 0, "report at most `N` errors (0: all); the rest are counted, not shown")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress line and no summary of written files on stderr")
}

func runFlags(o *options) *flag.FlagSet {
	fs := newFlagSet("run")
	fs.StringVar(&o.out, "o", "out", "output `DIR` (created; replaced as a whole)")
	fs.StringVar(&o.out, "out", "out", "output `DIR` (same as -o)")
	fs.StringVar(&o.formats, "formats", strings.Join(output.DefaultFormats(), ","), "output formats to write, a comma-separated `LIST` of "+strings.Join(output.Formats(), ", "))
	fs.BoolVar(&o.csvBOM, "csv-bom", false, "start CSV files with a UTF-8 byte order mark, for Excel")
	fs.BoolVar(&o.force, "force", false, "replace outputs in the output directory that changed since export wrote them")
	reportFlags(fs, o)
	limitFlags(fs, o)
	return fs
}

// run is the whole command: main only adds os.Exit. It returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The first Ctrl-C (or SIGTERM) cancels the run, which then removes what
	// it wrote and exits 2; a second one kills at once, as usual (the next
	// run removes what that leaves behind).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	code, err := dispatch(ctx, args, stdout, stderr)
	if err != nil {
		var ue *usageError
		switch {
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "%s: %v\nRun '%s -h' for usage.\n", prog, err, prog)
			return exitFailure
		case errors.Is(err, context.Canceled):
			left := &interrupted{"nothing was written"}
			errors.As(err, &left)
			fmt.Fprintf(stderr, "%s: %v\n", prog, left)
			return exitFailure
		}
		// One line, as the contract says, even when several things failed
		// at once (say, every writer on a full disk).
		fmt.Fprintf(stderr, "%s: %s\n", prog, strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; "))
		return exitFailure
	}
	return code
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	cmd := commands[0]
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			printUsage(stdout, nil)
			return exitOK, nil
		case "-version", "--version":
			args[0] = "version"
		}
		for _, c := range commands {
			if args[0] == c.name {
				cmd, args = c, args[1:]
				break
			}
		}
		if cmd == commands[0] && args[0] != "run" {
			if err := unknownCommand(args[0]); err != nil {
				return 0, err
			}
		}
	}
	o := &options{}
	fs := cmd.flags(o)
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, cmd)
		return exitOK, nil
	}
	if err != nil {
		return 0, usagef("%s: %v", cmd.name, explainFlagError(err, cmd))
	}
	out := &reportOutput{w: stdout}
	defer out.explain(stderr)
	return cmd.run(ctx, o, paths, out, stderr)
}

// parseInterleaved parses flags anywhere among the paths, as users expect:
// "export validate data/ --strict". A "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - len(fs.Args())
		rest := fs.Args()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(paths, rest...), nil
		}
		if len(rest) == 0 {
			break
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
	return paths, nil
}

// inputs resolves the paths to files, or the embedded dataset without paths.
func inputs(paths []string, outDir string) ([]input.File, []input.Skipped, error) {
	if len(paths) == 0 {
		return input.Embedded(), nil, nil
	}
	// A walk skips the run's own output directory and any directory of
	// export's outputs: a second run must not read the first one's.
	files, skipped, err := input.CollectOptions{OutDir: outDir, IsExportDir: output.IsExportDir}.Collect(paths)
	if err != nil {
		var ue *input.UnsupportedError
		var pe *fs.PathError
		switch {
		case errors.As(err, &ue):
			return nil, nil, usagef("%v", err)
		case errors.Is(err, fs.ErrNotExist) && errors.As(err, &pe):
			return nil, nil, fmt.Errorf("%s does not exist; give dataset files or directories", pe.Path)
		}
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, usagef("no dataset files (%s) in %s", strings.Join(input.Extensions(), ", "), strings.Join(paths, " "))
	}
	return files, skipped, nil
}

// config returns the pipeline configuration the flags ask for, and the
// reporter, writing to stdout past the progress line.
func (o *options) config(stdout io.Writer, progress *progressLine) (pipeline.Config, pipeline.Reporter, error) {
	if o.maxErrors < 0 {
		return pipeline.Config{}, nil, usagef("--max-errors must be 0 (all) or more")
	}
	if progress != nil {
		stdout = clearingWriter{stdout, progress}
	}
	if !slices.Contains(pipeline.ReportFormats, o.report) {
		return pipeline.Config{}, nil, usagef("--report: unknown report format %q%s; use one of %s", o.report,
			didYouMean(o.report, pipeline.ReportFormats, verbatim), strings.Join(pipeline.ReportFormats, ", "))
	}
	if err := checkLinkBase(o.linkBase); err != nil {
		return pipeline.Config{}, nil, err
	}
	rep, err := pipeline.NewReporterOptions(o.report, stdout, o.strict, pipeline.HTMLOptions{LinkBase: o.linkBase})
	if err != nil {
		return pipeline.Config{}, nil, usagef("%v", err)
	}
	cfg := pipeline.Config{Strict: o.strict, MaxErrors: o.maxErrors, Limits: o.limits}
	if progress != nil {
		cfg.Progress = progress.update
	}
	return cfg, rep, nil
}

// checkLinkBase refuses a --report-link-base that is no http or https URL:
// a link the page would not follow.
func checkLinkBase(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--report-link-base: %q is no http or https URL; give the repository's file view, such as https://github.com/OWNER/REPO/blob/COMMIT", base)
	}
	return nil
}

func runValidate(ctx context.Context, o *options, paths []string, stdout, stderr io.Writer) (int, error) {
	progress := newProgressLine(stderr, o.quiet)
	defer progress.finish()
	cfg, rep, err := o.config(stdout, progress)
	if err != nil {
		return 0, err
	}
	files, skipped, err := inputs(paths, "")
	if err != nil {
		return 0, err
	}
	cfg.Skipped = skipped
	sum, err := pipeline.Check(ctx, files, rep, nil, cfg)
	if err != nil {
		return 0, err
	}
	if sum.Failed() {
		return exitInvalid, nil
	}
	return exitOK, nil
}

func runRun(ctx context.Context, o *options, paths []string, stdout, stderr io.Writer) (int, error) {
	formats, err := parseFormats(o.formats)
	if err != nil {
		return 0, err
	}
	created, err := sourceDateEpoch()
	if err != nil {
		return 0, err
	}
	progress := newProgressLine(stderr, o.quiet)
	defer progress.finish()
	check, rep, err := o.config(stdout, progress)
	if err != nil {
		return 0, err
	}
	files, skipped, err := inputs(paths, o.out)
	if err != nil {
		return 0, err
	}
	check.Skipped = skipped
	cfg := pipeline.RunConfig{
		Config:  check,
		OutDir:  o.out,
		Formats: formats,
		Output:  output.Options{CSVBOM: o.csvBOM},
		Created: created,
		Force:   o.force,
		Report:  pipeline.HTMLOptions{LinkBase: o.linkBase},
		Waiting: func() {
			fmt.Fprintf(stderr, "%s: waiting for another %s run writing next to %s\n", prog, prog, o.out)
		},
	}
	sum, written, err := pipeline.Run(ctx, files, rep, cfg)
	progress.finish()
	if err != nil {
		return 0, err
	}
	if sum.Failed() {
		fmt.Fprintf(stderr, "%s: nothing written to %s: the data has %s\n", prog, o.out, failureCount(sum))
		return exitInvalid, nil
	}
	if !o.quiet {
		names := make([]string, len(written))
		for i, f := range written {
			names[i] = f.Name
		}
		fmt.Fprintf(stderr, "%s: wrote %d files to %s: %s\n", prog, len(written), o.out, strings.Join(names, ", "))
	}
	return exitOK, nil
}

func failureCount(s *pipeline.Summary) string {
	if s.Errors == 0 {
		return fmt.Sprintf("%d warnings (--strict)", s.Warnings)
	}
	if s.Errors == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", s.Errors)
}

// parseFormats reads --formats: known names, each once, in canonical order.
func parseFormats(list string) ([]string, error) {
	want := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(output.Formats(), f) {
			return nil, usagef("--formats: unknown format %q%s; use any of %s", f,
				didYouMean(f, output.Formats(), verbatim), strings.Join(output.Formats(), ","))
		}
		want[f] = true
	}
	if len(want) == 0 {
		return nil, usagef("--formats: name at least one of %s", strings.Join(output.Formats(), ","))
	}
	var formats []string
	for _, f := range output.Formats() {
		if want[f] {
			formats = append(formats, f)
		}
	}
	return formats, nil
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH (reproducible-builds.org): the
// only time export ever writes into its outputs.
func sourceDateEpoch() (time.Time, error) {
	v, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, usagef("SOURCE_DATE_EPOCH=%q: want a number of seconds since 1970-01-01 UTC", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

func runSchema(_ context.Context, _ *options, paths []string, stdout, _ io.Writer) (int, error) {
	if len(paths) > 0 {
		return 0, usagef("schema takes no arguments")
	}
	if _, err := stdout.Write(schema.DatasetJSONSchema()); err != nil {
		return 0, err
	}
	return exitOK, nil
}
