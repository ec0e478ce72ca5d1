package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"export/pipeline"
)

// progressLine shows how a long run is going on stderr: records checked,
// records per second, errors so far. It shows only when stderr is a
// terminal, not with --quiet, and only once a run has taken a second, so
// short runs, pipes, files and CI logs never see it.
type progressLine struct {
	w     io.Writer
	start time.Time
	bar   *progressbar.ProgressBar
}

// newProgressLine returns nil when no progress line should be shown.
func newProgressLine(stderr io.Writer, quiet bool) *progressLine {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progressLine{w: stderr, start: time.Now()}
}

func (p *progressLine) update(pr pipeline.Progress) {
	if p == nil {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("records"),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	desc := fmt.Sprintf("%s: %d errors, %d warnings", pr.Phase, pr.Errors, pr.Warnings)
	if pr.Phase == "writing" {
		desc = "writing the outputs"
	}
	p.bar.Describe(desc)
	p.bar.Set64(int64(pr.Records))
}

// clear removes the line, before the report or a message is printed on the
// same terminal, and at the end.
func (p *progressLine) clear() {
	if p != nil && p.bar != nil {
		p.bar.Clear()
	}
}

func (p *progressLine) finish() {
	if p != nil && p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
		p.bar = nil
	}
}

// clearingWriter clears the progress line before each write to stdout, so
// that report lines never land on top of it when both go to one terminal.
type clearingWriter struct {
	w io.Writer
	p *progressLine
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.clear()
	return c.w.Write(b)
}
