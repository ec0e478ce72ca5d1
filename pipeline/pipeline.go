package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"export/input"
	"export/output"
	"export/schema"
)

// Config holds the options of a run.
type Config struct {
	// Strict makes warnings count as errors.
	Strict bool
	// Limits bound what one input file may hold.
	Limits input.Limits
	// Skipped lists what the walk of input directories left out, for the
	// summary.
	Skipped []input.Skipped
	// MaxErrors, when positive, stops reporting problems once that many
	// errors have been reported: the run still checks everything, and the
	// summary counts what was not shown (Summary.NotShown).
	MaxErrors int
	// Progress, when set, is called about every progressEvery items with
	// the counts so far, and when the phase changes. It runs on the
	// checking goroutine: it must be quick.
	Progress func(Progress)
	// Writes lists the output formats the run writes (Run sets it): a text
	// that one of them cannot hold exactly (output.Format.Texts) is an
	// error. Without it (export validate), a text that a default format
	// cannot hold is a warning, since a run writes them by default.
	Writes []string
}

// textLimit is a format's limit on texts, and how bad breaking it is.
type textLimit struct {
	format   *output.Format
	severity schema.Severity
}

// textLimits returns the limits on texts of the formats a run writes, or
// those of the default formats, as warnings, for export validate.
func (cfg Config) textLimits() []textLimit {
	names, severity := cfg.Writes, schema.Error
	if names == nil {
		names, severity = output.DefaultFormats(), schema.Warning
	}
	var out []textLimit
	for _, n := range names {
		if f, ok := output.LookupFormat(n); ok && f.Texts != nil {
			out = append(out, textLimit{f, severity})
		}
	}
	return out
}

// Progress is a run's progress so far.
type Progress struct {
	Records, Errors, Warnings int
	// Phase is "checking" while records are read, "checked" when they all
	// are, then (in Run) "writing" while the outputs are completed.
	Phase string
}

const progressEvery = 4096

// Sink receives the records that pass every check, one at a time, in input
// order. An error from Write stops the run.
type Sink interface {
	Write(schema.Record) error
}

// Check reads every file, checks every source and record, and reports each
// result to rep as it goes. Records that pass every check are handed to
// sink (which may be nil); whether the run as a whole is valid is known only
// at the end, from the summary: a caller that publishes outputs must wait
// for it (see Run).
//
// Check reads the files twice: first for their sources, so that a record can
// cite a source declared later or in another file, then for their records.
// Memory grows with the number of sources and record ids, not with the
// records themselves.
//
// The error is for what stops the run: an I/O error, a failing Reporter or
// Sink, or a cancelled ctx. Problems with the data are in the summary.
func Check(ctx context.Context, files []input.File, rep Reporter, sink Sink, cfg Config) (*Summary, error) {
	c := &checker{
		ctx:     ctx,
		cfg:     cfg,
		rep:     rep,
		limits:  cfg.textLimits(),
		sink:    sink,
		sources: map[string]*sourceEntry{},
		texts:   map[[sha256.Size]byte]*textEntry{},
		ids:     newIDSet(),
		broken:  map[string]bool{},
		sum:     &Summary{Files: len(files), Strict: cfg.Strict, Skipped: cfg.Skipped},
	}
	for _, k := range schema.Kinds() {
		c.sum.ValidByKind = append(c.sum.ValidByKind, KindCount{Kind: k.Name, Table: k.Plural})
	}
	if ir, ok := rep.(inputsReporter); ok {
		ir.setInputs(files, cfg.Limits)
	}
	for _, f := range files {
		if input.HasSources(f.Format) {
			if err := c.readFile(f, input.OnlySources); err != nil {
				return c.sum, err
			}
		}
	}
	for _, f := range files {
		if err := c.readFile(f, input.OnlyRecords); err != nil {
			return c.sum, err
		}
	}
	if err := c.confirmDuplicates(files); err != nil {
		return c.sum, err
	}
	c.progress("checked")
	c.sum.Skipped = c.textsRead.notRead(c.sum.Skipped)
	if err := rep.Finish(c.sum); err != nil {
		return c.sum, fmt.Errorf("writing the report: %w", err)
	}
	return c.sum, nil
}

type checker struct {
	ctx         context.Context
	cfg         Config
	rep         Reporter
	sink        Sink
	sum         *Summary
	sources     map[string]*sourceEntry
	texts       map[[sha256.Size]byte]*textEntry // each distinct source text, indexed once
	ids         *idSet
	suspects    []suspect       // records whose id may be a duplicate
	broken      map[string]bool // files whose sources pass hit a fatal error
	shownErrors int
	items       int
	limits      []textLimit // what the output formats cannot hold
	textsRead   textsRead   // the source texts read, by path: not skipped
}

// textEntry is one distinct source text: its index, and the name of its
// copy in the outputs.
type textEntry struct {
	index *quoteText
	copy  string
}

// copyName names the copy of a text in the outputs: sources/ and the
// text's base name, with the start of its digest when another text of the
// run has that name.
func (c *checker) copyName(declared, digest string) string {
	name := "sources/" + path.Base(path.Clean(declared))
	for _, t := range c.sum.Texts {
		if t.Name == name {
			return "sources/" + digest[:12] + "-" + path.Base(path.Clean(declared))
		}
	}
	return name
}

type sourceEntry struct {
	src  *schema.Source
	pos  input.Position
	text *quoteText // nil when the source has no readable text
}

// readFile reads one pass (sources or records) over a file.
func (c *checker) readFile(f input.File, only string) error {
	rc, err := f.OpenContext(c.ctx, c.cfg.Limits)
	if err != nil {
		return fmt.Errorf("opening %s: %w", f.Path, err)
	}
	defer rc.Close()
	var r io.Reader = rc
	var digest hash.Hash
	var size countWriter
	if only == input.OnlyRecords {
		digest = sha256.New()
		r = io.TeeReader(rc, io.MultiWriter(digest, &size))
	}
	rd, err := input.Open(f, r, input.Options{Only: only, Limits: c.cfg.Limits})
	if err != nil {
		return err
	}
	defer closeReader(rd)
	pf := prefetch(rd)
	defer pf.stop()  // before closeReader
	limited := false // the file is over a limit: the rest is not read, not even hashed
	for {
		if c.items++; c.items%256 == 0 {
			if err := c.ctx.Err(); err != nil {
				return err
			}
			if c.items%progressEvery == 0 {
				c.progress("checking")
			}
		}
		it, err := pf.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var ie *input.Error
			if !errors.As(err, &ie) {
				return err
			}
			// The rest of a stream that broke is not read: it may never end.
			limited = errors.Is(err, input.ErrLimit) || f.Streamed()
			if only == input.OnlySources {
				c.broken[f.Path] = true
			} else if c.broken[f.Path] {
				break // reported by the sources pass
			}
			if err := c.report(&Result{Pos: ie.Pos}, readingProblems([]*input.Error{ie})); err != nil {
				return err
			}
			break
		}
		if err := c.item(f, it); err != nil {
			return err
		}
	}
	pf.stop() // it has read its last; the rest of the file is read here
	if digest != nil && !limited {
		if _, err := io.Copy(io.Discard, r); err != nil { // hash the whole file
			return fmt.Errorf("reading %s: %w", f.Path, err)
		}
		c.sum.Inputs = append(c.sum.Inputs, Input{Path: f.Path, SHA256: hex.EncodeToString(digest.Sum(nil)), Bytes: int64(size)})
	}
	return nil
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

func readingProblems(errs []*input.Error) []Problem {
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		out = append(out, Problem{Severity: schema.Error, Pos: e.Pos, Field: e.Field, Rule: e.Rule, Message: e.Message})
	}
	return out
}

func (c *checker) progress(phase string) {
	if c.cfg.Progress != nil {
		c.cfg.Progress(Progress{Records: c.sum.Records, Errors: c.sum.Errors, Warnings: c.sum.Warnings, Phase: phase})
	}
}

// report counts a result's problems and hands it to the reporter, leaving
// out the problems past Config.MaxErrors.
func (c *checker) report(r *Result, problems []Problem) error {
	for _, p := range problems {
		if p.Severity == schema.Warning {
			c.sum.Warnings++
		} else {
			c.sum.Errors++
		}
	}
	if c.cfg.MaxErrors > 0 {
		problems = c.shown(problems)
	}
	r.Problems = problems
	if err := c.rep.Result(r); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// shown returns the problems to report under Config.MaxErrors: all of
// them until that many errors have been shown, then none; it counts the
// rest in Summary.NotShown.
func (c *checker) shown(problems []Problem) []Problem {
	shown := problems[:0:0]
	for _, p := range problems {
		if c.shownErrors >= c.cfg.MaxErrors {
			c.sum.NotShown++
			continue
		}
		if p.Severity == schema.Error {
			c.shownErrors++
		}
		shown = append(shown, p)
	}
	return shown
}

func (c *checker) item(f input.File, it *input.Item) error {
	switch {
	case it.Source != nil:
		return c.source(f, it)
	case it.Record != nil || it.Kind != nil || it.ID != "":
		return c.record(f, it)
	}
	// A problem with the file's structure, not with one item.
	return c.report(&Result{Pos: it.Pos}, readingProblems(it.Problems))
}

// fieldProblems turns validation errors into problems at their fields'
// positions, leaving out fields whose value could not be read.
func fieldProblems(it *input.Item, errs []schema.FieldError, problems []Problem) []Problem {
	for _, e := range errs {
		if it.HasProblem(e.Field) {
			continue
		}
		pos := it.FieldPos(e.Field, e.Index)
		if e.Key != "" {
			pos = it.EntryPos(e.Field, e.Key)
		}
		problems = append(problems, Problem{Severity: e.Severity, Pos: pos, Field: e.Path(), Rule: e.Rule, Message: e.Message})
	}
	return problems
}

func (c *checker) source(f input.File, it *input.Item) error {
	c.sum.Sources++
	src := it.Source
	problems := readingProblems(it.Problems)
	errs := schema.Validate(src)
	problems = fieldProblems(it, errs, problems)
	problems = c.formatTexts(it, src, schema.SourceTable().Columns, errs, problems)
	at := func(field, rule, format string, args ...any) {
		problems = append(problems, Problem{Severity: schema.Error, Pos: it.FieldPos(field, -1), Field: field,
			Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	entry := &sourceEntry{src: src, pos: it.Pos}
	if first, dup := c.sources[src.ID]; dup && src.ID != "" {
		at("id", "unique_id", "source %s is declared twice: first at %s; declare each source once", src.ID, first.pos)
	} else if src.ID != "" {
		c.sources[src.ID] = entry
		c.sum.Declared = append(c.sum.Declared, src)
	}
	if src.Text != "" && !failed(errs, "text") && !it.HasProblem("text") {
		text, err := f.ReadSourceText(src.Text)
		if err == nil {
			c.textsRead.add(f, src.Text)
		}
		switch {
		case errors.Is(err, input.ErrOutsideDir):
			at("text", "text_inside_dir", "text %q must be a path relative to the dataset file that stays inside its directory; move the text next to %s", src.Text, f.Path)
		case errors.Is(err, fs.ErrNotExist):
			at("text", "text_readable", "text file %q not found next to %s; fix the name or remove text:", src.Text, f.Path)
		case err != nil:
			at("text", "text_readable", "text file %q cannot be read: %v", src.Text, err)
		default:
			sum := sha256.Sum256(text)
			digest := hex.EncodeToString(sum[:])
			switch {
			case src.SHA256 != "" && !failed(errs, "sha256") && src.SHA256 != digest:
				at("sha256", "sha256_match", "the text file's SHA-256 is %s, not %s; if the text changed on purpose, update sha256", digest, src.SHA256)
			case !utf8.Valid(text):
				at("text", "text_readable", "text file %q is not valid UTF-8; save it as UTF-8", src.Text)
			default:
				// Sources that share a text share its index: memory grows
				// with the distinct texts, not with the sources citing them.
				t := c.texts[sum]
				if t == nil {
					t = &textEntry{index: newQuoteText(string(text)), copy: c.copyName(src.Text, digest)}
					c.texts[sum] = t
					c.sum.Texts = append(c.sum.Texts, SourceText{Name: t.copy, SHA256: digest, Bytes: int64(len(text)),
						read: func() ([]byte, error) { return f.ReadSourceText(src.Text) }})
				}
				entry.text = t.index
				if c.sum.textCopies == nil {
					c.sum.textCopies = map[string]string{}
				}
				if _, dup := c.sum.textCopies[src.ID]; !dup {
					c.sum.textCopies[src.ID] = t.copy
				}
			}
		}
	} else if src.Text == "" && src.SHA256 != "" {
		at("sha256", "sha256_match", "sha256 pins the source's text, but the source has no text; add text: or remove sha256")
	}
	return c.report(&Result{Pos: it.Pos, Kind: KindSource, ID: src.ID}, problems)
}

// formatTexts adds a problem for each text field of v (a record or a
// source) that an output format cannot hold exactly (c.limits). Only texts
// that passed validation are looked at; computed columns are looked at
// where they come from (a source's title at the source).
func (c *checker) formatTexts(it *input.Item, v any, columns []*schema.Column, errs []schema.FieldError, problems []Problem) []Problem {
	if len(c.limits) == 0 {
		return problems
	}
	for _, col := range columns {
		if col.Type != schema.String || col.Computed || col.Synthetic || failed(errs, col.Name) || it.HasProblem(col.Name) {
			continue
		}
		text := col.Text(v)
		for _, l := range c.limits {
			part, loses := l.format.Texts.Loses(text)
			if !loses {
				continue
			}
			why := fmt.Sprintf("holds %q, which %s; ", part, l.format.Texts.Why)
			p := Problem{Severity: l.severity, Pos: it.FieldPos(col.Name, -1), Field: col.Name, Rule: l.format.Texts.Rule,
				Message: why + "change the text, or leave " + l.format.Name + " out of --formats"}
			if l.severity == schema.Warning {
				p.Message = why + "export run, which writes " + l.format.Texts.Writes + " by default, will refuse it: " +
					"change the text, or run with --formats without " + l.format.Name
			}
			problems = append(problems, p)
		}
	}
	return problems
}

func failed(errs []schema.FieldError, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

func (c *checker) record(f input.File, it *input.Item) error {
	c.sum.Records++
	res := &Result{Pos: it.Pos, ID: it.ID}
	problems := readingProblems(it.Problems)
	if it.Kind == nil {
		return c.report(res, problems)
	}
	res.Kind = it.Kind.Name
	rec := it.Record
	id := schema.ID(rec)
	res.ID = id
	errs := schema.Validate(rec)
	problems = fieldProblems(it, errs, problems)
	problems = fieldProblems(it, schema.Warnings(rec), problems)
	problems = c.formatTexts(it, rec, it.Kind.Columns(), errs, problems)
	at := func(field, rule, format string, args ...any) {
		problems = append(problems, Problem{Severity: schema.Error, Pos: it.FieldPos(field, -1), Field: field,
			Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	maybeDup := false
	if id != "" && !failed(errs, "id") {
		first, dup, maybe := c.ids.check(id, it.FieldPos("id", -1))
		if dup {
			at("id", "unique_id", "%s", duplicateMessage(id, first))
		}
		maybeDup = maybe
	}
	prov := schema.ProvenanceOf(rec)
	prov.InputFile = f.Path
	prov.InputLine = int64(it.Pos.Line)
	quoteOK := prov.Quote != "" && !failed(errs, "quote") && !it.HasProblem("quote")
	if quoteOK && evidenceChecks {
		// The figures against the words of the quote, whatever its source.
		dollar := ""
		if entry, ok := c.sources[prov.Source]; ok {
			dollar = entry.src.Dollar
		}
		problems = append(problems, checkFigures(it, rec, errs, dollar)...)
	}
	if prov.Source != "" && !failed(errs, "source") && !it.HasProblem("source") {
		if entry, ok := c.sources[prov.Source]; !ok {
			at("source", "source_declared", "source %s is not declared; declare it under sources: in this or another input file%s", prov.Source, c.knownSources())
		} else {
			prov.SourceTitle = entry.src.Title
			var m quoteMatch
			if entry.text != nil && quoteOK {
				if m = entry.text.findCached(prov.Quote); m.found {
					prov.QuoteVerified = true
				} else {
					at("quote", "quote_found", "%s", m.explain(entry.src.Text))
				}
			}
			problems = append(problems, checkPage(it, prov, schema.DerivedOf(rec), entry.src, entry.text, m)...)
			if m.found {
				text, src, copyName := entry.text, entry.src, c.sum.textCopies[entry.src.ID]
				res.evidence = func() *Evidence {
					ev := text.evidence(prov.Quote, m, prov.Stated)
					if first, ok := firstPage(src); ok && len(text.pages) > 0 {
						ev.Page = first + int64(text.page(m.start))
					}
					ev.Text = copyName
					return ev
				}
			}
			if quoteOK && evidenceChecks {
				problems = append(problems, checkCountries(it, rec, errs, entry.text, m)...)
			}
		}
	}
	sortByPosition(problems)
	res.Problems = problems
	res.Record = rec
	if maybeDup {
		// Cloned: the id may be a slice of a whole CSV row.
		c.suspects = append(c.suspects, suspect{id: strings.Clone(id), kind: it.Kind.Name, pos: it.Pos,
			idPos: it.FieldPos("id", -1), valid: res.Errors() == 0})
	}
	if res.Errors() == 0 {
		c.sum.Valid++
		for i := range c.sum.ValidByKind {
			if c.sum.ValidByKind[i].Kind == it.Kind.Name {
				c.sum.ValidByKind[i].Count++
			}
		}
		if c.sink != nil {
			if err := c.sink.Write(rec); err != nil {
				return err
			}
		}
	}
	return c.report(res, problems)
}

func duplicateMessage(id string, first input.Position) string {
	return fmt.Sprintf("id %s is already used by the record at %s; give each record its own id", id, first)
}

// confirmDuplicates settles the records whose id hash was seen before (see
// idSet): it reads the records again to find where each suspect id was
// first used, and reports the true duplicates, each in a late Result.
// Nothing is read again when there is no suspect. Every file can be read
// again (a pipe or a device replays the copy its first reading kept), so a
// suspect's own record must be found, or a file changed during the run (an
// error).
func (c *checker) confirmDuplicates(files []input.File) error {
	if len(c.suspects) == 0 {
		return nil
	}
	first := make(map[string]input.Position, len(c.suspects))
	for _, s := range c.suspects {
		first[s.id] = input.Position{}
	}
	for _, f := range files {
		err := c.eachRecord(f, func(it *input.Item) {
			id := schema.ID(it.Record)
			if p, ok := first[id]; ok && p.File == "" {
				first[id] = it.FieldPos("id", -1)
			}
		})
		if err != nil {
			return err
		}
	}
	for _, s := range c.suspects {
		fp := first[s.id]
		msg := duplicateMessage(s.id, fp)
		switch {
		case fp == s.idPos:
			continue // two ids that share a hash: not a duplicate
		case fp.File == "":
			return fmt.Errorf("reading the inputs again to find where id %s was first used: the record at %s is no longer there; "+
				"did a file change during the run? Run again", s.id, s.idPos)
		}
		if s.valid {
			c.sum.Valid--
			for i := range c.sum.ValidByKind {
				if c.sum.ValidByKind[i].Kind == s.kind {
					c.sum.ValidByKind[i].Count--
				}
			}
		}
		p := Problem{Severity: schema.Error, Pos: s.idPos, Field: "id", Rule: "unique_id", Message: msg}
		if err := c.report(&Result{Pos: s.pos, Kind: s.kind, ID: s.id, Late: true}, []Problem{p}); err != nil {
			return err
		}
	}
	return nil
}

// eachRecord reads the records of a file again, calling fn for each one
// that has a kind. Problems are not reported: the first reading did.
func (c *checker) eachRecord(f input.File, fn func(*input.Item)) error {
	rc, err := f.OpenContext(c.ctx, c.cfg.Limits)
	if err != nil {
		return fmt.Errorf("opening %s: %w", f.Path, err)
	}
	defer rc.Close()
	rd, err := input.Open(f, rc, input.Options{Only: input.OnlyRecords, Limits: c.cfg.Limits})
	if err != nil {
		return err
	}
	defer closeReader(rd)
	for {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		it, err := rd.Next()
		if err != nil {
			var ie *input.Error
			if err == io.EOF || errors.As(err, &ie) {
				return nil
			}
			return err
		}
		if it.Record != nil {
			fn(it)
		}
	}
}

// closeReader releases what a reader holds (the XLSX reader's temporary
// files), also when a run stops early.
func closeReader(rd input.Reader) {
	if c, ok := rd.(io.Closer); ok {
		c.Close()
	}
}

// knownSources lists a few declared sources for an error message.
func (c *checker) knownSources() string {
	if len(c.sources) == 0 {
		return " (no source is declared at all)"
	}
	if len(c.sources) > 5 {
		return " (" + strconv.Itoa(len(c.sources)) + " sources are declared)"
	}
	return " (declared: " + strings.Join(slices.Sorted(maps.Keys(c.sources)), ", ") + ")"
}

// sortByPosition orders a record's problems as they appear in the file, so
// that an editor can walk them top to bottom.
func sortByPosition(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
}
