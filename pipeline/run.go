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
	Tool    = output.ManifestTool
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
	// Force replaces outputs in the output directory that changed since
	// export wrote them (output.StageOptions.Force).
	Force bool
	// Report configures report.html, the HTML report every run writes
	// into the output directory.
	Report HTMLOptions
}

// Run checks the files like Check and, when every record is valid, writes
// the outputs and publishes them into cfg.OutDir in one step. Outputs are
// written into a stage next to the output directory while the records
// stream through; when the run fails (invalid data, an error, a cancelled
// ctx) the stage is removed and the output directory is left exactly as it
// was. It returns the files published, manifest last. It sets
// cfg.Writes from cfg.Formats: a text that a format it writes cannot hold
// is an error.
//
// The data decides first. When the outputs cannot be written (the output
// directory is not one export may replace, a writer fails, the disk is
// full), the records are still checked, every one, and the problem with
// the outputs is Run's error only when the data is valid: a run whose data
// has errors returns them in the summary (exit 1), whatever else went
// wrong, with nothing written.
func Run(ctx context.Context, files []input.File, rep Reporter, cfg RunConfig) (*Summary, []output.File, error) {
	cfg.Writes = slices.Clip(append([]string{}, cfg.Formats...))
	out, outErr := startOutputs(ctx, cfg)
	if outErr != nil && ctx.Err() != nil {
		return nil, nil, outErr // interrupted while waiting for another run
	}
	defer out.close()

	var sink Sink
	if out.fan != nil {
		sink = out.fan
	}
	if out.report != nil {
		opts := cfg.Report
		opts.TextLinks = true // the copies are beside it
		opts.Created = cfg.Created
		out.html = &stageReport{rep: newHTMLReporter(out.report, opts)}
		rep = teeReporter{rep, out.html}
	}
	sum, err := Check(ctx, files, rep, sink, cfg.Config)
	if werr := out.wait(); outErr == nil {
		outErr = werr
	}
	if out.html != nil && outErr == nil {
		outErr = out.html.err
	}
	switch {
	case err != nil:
		return sum, nil, err
	case sum.Failed():
		return sum, nil, nil
	case outErr != nil:
		return sum, nil, outErr
	}

	meta := &output.Meta{Tool: Tool, Version: Version, Created: cfg.Created, Sources: outputSources(sum),
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		meta.Inputs = append(meta.Inputs, output.Input(in))
	}
	if cfg.Progress != nil {
		cfg.Progress(Progress{Records: sum.Records, Errors: sum.Errors, Warnings: sum.Warnings, Phase: "writing"})
	}
	written, err := out.finish(cfg.Formats, meta, sourceTexts(sum))
	if err != nil {
		return sum, nil, err
	}
	if err := ctx.Err(); err != nil {
		return sum, nil, err
	}
	if err := out.stage.Publish(); err != nil {
		return sum, nil, err
	}
	return sum, written, nil
}

// outputs are a run's stage and the writers that stream into it.
type outputs struct {
	stage   *output.Stage
	writers []output.Writer
	fan     *fanout
	report  *output.ReportFile // report.html, in the stage
	html    *stageReport       // its reporter
}

// startOutputs creates the stage and the writers. When it cannot, it
// returns the error and outputs without any, which write nothing.
func startOutputs(ctx context.Context, cfg RunConfig) (*outputs, error) {
	stage, err := output.NewStage(ctx, cfg.OutDir, output.StageOptions{Force: cfg.Force, Waiting: cfg.Waiting})
	if err != nil {
		return &outputs{}, err
	}
	out := &outputs{stage: stage}
	opts := cfg.Output
	if opts.TempDir == "" {
		opts.TempDir = stage.Dir()
	}
	for _, f := range cfg.Formats {
		w, err := output.New(f, stage.Dir(), opts)
		if err != nil {
			out.close()
			return &outputs{}, err
		}
		out.writers = append(out.writers, w)
	}
	if out.report, err = output.CreateReport(stage.Dir()); err != nil {
		out.close()
		return &outputs{}, err
	}
	out.fan = newFanout(out.writers)
	return out, nil
}

// wait waits for the writers to take every record, and returns the first
// writer's error.
func (o *outputs) wait() error {
	if o.fan == nil {
		return nil
	}
	return o.fan.wait()
}

// finish finishes the writers, copies the source texts and writes the
// descriptors of what was written, the manifest last, into the stage.
func (o *outputs) finish(formats []string, meta *output.Meta, texts []output.SourceText) ([]output.File, error) {
	written, err := finishAll(o.writers, meta)
	if err != nil {
		return nil, err
	}
	copies, err := output.WriteSourceTexts(o.stage.Dir(), texts)
	if err != nil {
		return nil, err
	}
	written = append(written, copies...)
	report, err := o.report.Close()
	if err != nil {
		return nil, err
	}
	written = append(written, report)
	// Descriptors of what was written: the Frictionless Data Package of
	// the table files, then the files that go with a format's (the JSON
	// Schema beside figures.json).
	dir := o.stage.Dir()
	if output.Packaged(formats) {
		f, err := output.WriteDataPackage(dir, written, meta)
		if err != nil {
			return nil, err
		}
		written = append(written, f)
	}
	for _, name := range formats {
		if format, _ := output.LookupFormat(name); format != nil && format.Companion != nil {
			f, err := format.Companion(dir)
			if err != nil {
				return nil, err
			}
			written = append(written, f)
		}
	}
	manifest, err := output.WriteManifest(dir, written, meta)
	if err != nil {
		return nil, err
	}
	written = append(written, manifest)
	for _, w := range o.writers {
		if err := w.Close(); err != nil {
			return nil, err
		}
	}
	o.writers = nil
	return written, nil
}

// close closes the writers and removes the stage, unless it was
// published. The writers must have taken every record (wait).
func (o *outputs) close() {
	for _, w := range o.writers {
		w.Close()
	}
	o.writers = nil
	if o.report != nil {
		o.report.Close()
	}
	if o.stage != nil {
		o.stage.Discard()
	}
}

// outputSources returns the declared sources as the outputs list them: a
// source's text names the copy the outputs carry (sources/...), so that a
// workbook or JSON fed back finds it beside itself.
func outputSources(sum *Summary) []*schema.Source {
	out := make([]*schema.Source, len(sum.Declared))
	for i, s := range sum.Declared {
		cp := *s
		if name, ok := sum.textCopies[s.ID]; ok {
			cp.Text = name
		}
		out[i] = &cp
	}
	return out
}

// sourceTexts returns the texts to copy into the outputs.
func sourceTexts(sum *Summary) []output.SourceText {
	out := make([]output.SourceText, len(sum.Texts))
	for i, t := range sum.Texts {
		out[i] = output.SourceText{Name: t.Name, SHA256: t.SHA256, Read: t.read}
	}
	return out
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
		if ww.err != nil || f.failed.Load() {
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

// Write queues rec for every writer. Once any writer has failed, it drops
// the records and still returns nil, so that the run goes on checking the
// data (whose errors come first); wait returns the writer's error.
func (f *fanout) Write(rec schema.Record) error {
	if f.failed.Load() {
		f.batch = f.batch[:0]
		return nil
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

// teeReporter hands every result to two reporters: the user's, and the
// one writing report.html.
type teeReporter [2]Reporter

func (t teeReporter) Result(r *Result) error {
	if err := t[0].Result(r); err != nil {
		return err
	}
	return t[1].Result(r)
}

func (t teeReporter) Finish(s *Summary) error {
	if err := t[0].Finish(s); err != nil {
		return err
	}
	return t[1].Finish(s)
}

func (t teeReporter) setInputs(files []input.File, lim input.Limits) {
	for _, r := range t {
		if ir, ok := r.(inputsReporter); ok {
			ir.setInputs(files, lim)
		}
	}
}

// stageReport is the reporter of report.html: an error writing it is one
// of the outputs' (the data decides first, see Run), kept rather than
// stopping the check.
type stageReport struct {
	rep *htmlReporter
	err error
}

func (s *stageReport) Result(r *Result) error {
	if s.err == nil {
		s.err = s.rep.Result(r)
	}
	return nil
}

func (s *stageReport) Finish(sum *Summary) error {
	if s.err == nil {
		s.err = s.rep.Finish(sum)
	}
	return nil
}

func (s *stageReport) setInputs(files []input.File, lim input.Limits) { s.rep.setInputs(files, lim) }
