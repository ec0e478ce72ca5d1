package pipeline

import (
	"context"
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
}

// Run checks the files like Check and, when every record is valid, writes
// the outputs and publishes them into cfg.OutDir in one step. Outputs are
// written into a stage next to the output directory while the records
// stream through; when the run fails (invalid data, an error, a cancelled
// ctx) the stage is removed and the output directory is left exactly as it
// was. It returns the files published, manifest last.
func Run(ctx context.Context, files []input.File, rep Reporter, cfg RunConfig) (*Summary, []output.File, error) {
	stage, err := output.NewStage(cfg.OutDir)
	if err != nil {
		return nil, nil, err
	}
	defer stage.Discard()

	opts := cfg.Output
	if opts.TempDir == "" {
		opts.TempDir = stage.Dir()
	}
	var sinks fanout
	defer func() {
		for _, w := range sinks {
			w.Close()
		}
	}()
	for _, f := range cfg.Formats {
		w, err := output.New(f, stage.Dir(), opts)
		if err != nil {
			return nil, nil, err
		}
		sinks = append(sinks, w)
	}

	sum, err := Check(ctx, files, rep, sinks, cfg.Config)
	if err != nil || sum.Failed() {
		return sum, nil, err
	}

	meta := &output.Meta{Tool: Tool, Version: Version, Created: cfg.Created, Sources: sum.Declared,
		Errors: sum.Errors, Warnings: sum.Warnings}
	for _, in := range sum.Inputs {
		meta.Inputs = append(meta.Inputs, output.Input(in))
	}
	var written []output.File
	for _, w := range sinks {
		fs, err := w.Finish(meta)
		if err != nil {
			return sum, nil, err
		}
		written = append(written, fs...)
	}
	manifest, err := output.WriteManifest(stage.Dir(), written, meta)
	if err != nil {
		return sum, nil, err
	}
	written = append(written, manifest)
	for _, w := range sinks {
		if err := w.Close(); err != nil {
			return sum, nil, err
		}
	}
	sinks = nil
	if err := ctx.Err(); err != nil {
		return sum, nil, err
	}
	if err := stage.Publish(); err != nil {
		return sum, nil, err
	}
	return sum, written, nil
}

// fanout hands each record to every writer.
type fanout []output.Writer

func (f fanout) Write(rec schema.Record) error {
	for _, w := range f {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}
