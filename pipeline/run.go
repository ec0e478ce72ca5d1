package pipeline

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"export/input"
	"export/output"
	"export/schema"
)

// Tool and Version name this program in the files it writes.
const (
	Tool    = "export"
	Version = "0.1.0"
)

// RunConfig holds the options of Run.
type RunConfig struct {
	Config
	// OutDir is the output directory.
	OutDir string
	// Formats lists the output formats to write.
	Formats []string
	// Output configures the writers.
	Output output.Options
	// Created is the generation time written into the outputs, from
	// SOURCE_DATE_EPOCH; zero writes none.
	Created time.Time
	// Waiting, when set, is called if the run has to wait for another run
	// writing next to the same output directory.
	Waiting func()
}

// Run checks the files like Check and, when every record is valid, writes
// the outputs and publishes them into cfg.OutDir in one step. Outputs are
// written into a stage next to the output directory while the records
// stream through; when the run fails (invalid data, an error, a cancelled
// ctx) the stage is removed and the output directory is left exactly as it
// was. It returns the files published, manifest last. It sets
// cfg.Workbook from cfg.Formats: a text that the workbook cannot hold is an
// error when the run writes one.
func Run(ctx context.Context, files []input.File, rep Reporter, cfg RunConfig) (*Summary, []output.File, error) {
	stage, err := output.NewStage(ctx, cfg.OutDir, cfg.Waiting)
	if err != nil {
		return nil, nil, err
	}
	defer stage.Discard()

	opts := cfg.Output
	if opts.TempDir == "" {
		opts.TempDir = stage.Dir()
	}
	var writers []output.Writer
	defer func() {
		for _, w := range writers {
			w.Close()
		}
	}()
	for _, f := range cfg.Formats {
		w, err := output.New(f, stage.Dir(), opts)
		if err != nil {
			return nil, nil, err
		}
		writers = append(writers, w)
	}
	sinks := newFanout(writers)

	cfg.Workbook = WorkbookIgnores
	if slices.Contains(cfg.Formats, output.FormatXLSX) {
		cfg.Workbook = WorkbookFails
	}
	sum, err := Check(ctx, files, rep, sinks, cfg.Config)
	if werr := sinks.wait(); werr != nil {
		err = werr // the writer's own error, rather than errWriterFailed
	}
	if err != nil || sum.Failed() {
		return sum, nil, err
	}

	meta := &output.Meta{Tool: Tool, Version: Version, Created: cfg.Created, Sources: sum.Declared,
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		meta.Inputs = append(meta.Inputs, output.Input(in))
	}
	if cfg.Progress != nil {
		cfg.Progress(Progress{Records: sum.Records, Errors: sum.Errors, Warnings: sum.Warnings, Phase: "writing"})
	}
	written, err := finishAll(writers, meta)
	if err != nil {
		return sum, nil, err
	}
	// Descriptors of what was written: the Frictionless Data Package with
	// the tables (CSV, JSON Lines, Parquet), the JSON Schema beside
	// figures.json.
	if slices.ContainsFunc(cfg.Formats, func(f string) bool {
		return f == output.FormatCSV || f == output.FormatJSONL || f == output.FormatParquet || f == output.FormatSQLite
	}) {
		f, err := output.WriteDataPackage(stage.Dir(), written, meta)
		if err != nil {
			return sum, nil, err
		}
		written = append(written, f)
	}
	if slices.Contains(cfg.Formats, output.FormatJSON) {
		f, err := output.WriteFiguresSchema(stage.Dir())
		if err != nil {
			return sum, nil, err
		}
		written = append(written, f)
	}
	manifest, err := output.WriteManifest(stage.Dir(), written, meta)
	if err != nil {
		return sum, nil, err
	}
	written = append(written, manifest)
	for _, w := range writers {
		if err := w.Close(); err != nil {
			return sum, nil, err
		}
	}
	writers = nil
	if err := ctx.Err(); err != nil {
		return sum, nil, err
	}
	if err := stage.Publish(); err != nil {
		return sum, nil, err
	}
	return sum, written, nil
}

// fanout hands each record to every writer, each writer working on its own
// goroutine, so that reading and validating overlap with writing, and the
// writers with each other: on a machine with two cores, the XLSX writer
// (by far the slowest) gets one to itself. Records travel in batches,
// through channels of bounded capacity, so memory stays bounded and a slow
// writer slows the reader down rather than letting records pile up.
// Records are not changed once written to the fanout, so the writers share
// them.
type fanout struct {
	workers []*writerWorker
	batch   []schema.Record
	failed  atomic.Bool
	closed  bool
}

type writerWorker struct {
	w    output.Writer
	in   chan []schema.Record
	done chan struct{}
	err  error
}

const (
	fanoutBatch = 256 // records per batch
	fanoutDepth = 16  // batches queued per writer
)

func newFanout(writers []output.Writer) *fanout {
	f := &fanout{}
	for _, w := range writers {
		ww := &writerWorker{w: w, in: make(chan []schema.Record, fanoutDepth), done: make(chan struct{})}
		f.workers = append(f.workers, ww)
		go f.run(ww)
	}
	return f
}

func (f *fanout) run(ww *writerWorker) {
	defer close(ww.done)
	for batch := range ww.in {
		if ww.err != nil {
			continue // drain, so that the producer never blocks
		}
		for _, rec := range batch {
			if err := ww.w.Write(rec); err != nil {
				ww.err = err
				f.failed.Store(true)
				break
			}
		}
	}
}

// errWriterFailed stops the run when a writer has failed; wait returns the
// writer's own error.
var errWriterFailed = errors.New("an output writer failed")

// Write queues rec for every writer. It fails once any writer has failed.
func (f *fanout) Write(rec schema.Record) error {
	if f.failed.Load() {
		return errWriterFailed
	}
	f.batch = append(f.batch, rec)
	if len(f.batch) == fanoutBatch {
		f.flush()
	}
	return nil
}

func (f *fanout) flush() {
	if len(f.batch) == 0 {
		return
	}
	for _, ww := range f.workers {
		ww.in <- f.batch
	}
	f.batch = make([]schema.Record, 0, fanoutBatch)
}

// wait sends what is queued, waits for every writer to catch up, and
// returns the first writer error. It may be called more than once.
func (f *fanout) wait() error {
	if !f.closed {
		f.closed = true
		f.flush()
		for _, ww := range f.workers {
			close(ww.in)
		}
	}
	for _, ww := range f.workers {
		<-ww.done
	}
	for _, ww := range f.workers {
		if ww.err != nil {
			return ww.err
		}
	}
	return nil
}

// finishAll finishes the writers concurrently and returns their files in
// the writers' order.
func finishAll(writers []output.Writer, meta *output.Meta) ([]output.File, error) {
	files := make([][]output.File, len(writers))
	errs := make([]error, len(writers))
	var wg sync.WaitGroup
	for i, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			files[i], errs[i] = w.Finish(meta)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []output.File
	for _, fs := range files {
		out = append(out, fs...)
	}
	return out, nil
}
