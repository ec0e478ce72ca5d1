package input

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"export/schema"
)

// csvReader reads a CSV file of records: a header row of field names, with
// a kind column, then one record per row. Lists are ;-separated, and a cell
// for a field that does not apply to the row's kind must be empty. Columns
// that the outputs add (source_title, quote_verified, input_file,
// input_line) are accepted and ignored, so an exported CSV reads back.
type csvReader struct {
	file    string
	opts    Options
	r       *csv.Reader
	started bool
	width   int
	kindCol int
	idCol   int
	// cols[k][i] is kind k's column for header cell i: nil when the header
	// cell is unknown, derived, or not a field of that kind.
	cols    map[*schema.Kind][]*schema.Column
	ignore  []bool   // header cells to skip: unknown, duplicate or derived
	names   []string // the header
	pending *Item
	fatal   bool
}

func newCSVReader(r io.Reader, file string, opts Options) *csvReader {
	cr := csv.NewReader(newTracker(r, file, false))
	cr.ReuseRecord = true
	return &csvReader{file: file, opts: opts, r: cr, kindCol: -1, idCol: -1}
}

func (c *csvReader) Next() (*Item, error) {
	if c.fatal {
		return nil, io.EOF
	}
	if !c.started {
		c.started = true
		if err := c.readHeader(); err != nil {
			c.fatal = true
			return nil, err
		}
	}
	if c.pending != nil {
		it := c.pending
		c.pending = nil
		return it, nil
	}
	if !c.opts.wantRecords() {
		return nil, io.EOF // CSV files hold no sources
	}
	row, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			return c.ragged(row, pe), nil
		}
		if err != io.EOF {
			c.fatal = true
			err = c.fail(err)
		}
		return nil, err
	}
	return c.item(row), nil
}

func (c *csvReader) fail(err error) error {
	var e *Error
	var pe *csv.ParseError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &pe):
		return &Error{Pos: Position{File: c.file, Line: pe.Line, Column: pe.Column}, Rule: RuleSyntax, Err: ErrSyntax,
			Message: "invalid CSV: " + pe.Err.Error() + `; a cell that holds a quote must be quoted, with the quote doubled ("")`}
	}
	return fmt.Errorf("reading %s: %w", c.file, err)
}

func (c *csvReader) readHeader() error {
	header, err := c.r.Read()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return c.fail(err)
	}
	c.width = len(header)
	c.names = append([]string(nil), header...)
	c.ignore = make([]bool, len(header))
	c.cols = map[*schema.Kind][]*schema.Column{}
	for _, k := range schema.Kinds() {
		c.cols[k] = make([]*schema.Column, len(header))
	}
	var problems []*Error
	seen := map[string]int{}
	for i, name := range header {
		line, col := c.r.FieldPos(i)
		pos := Position{File: c.file, Line: line, Column: col}
		if first, dup := seen[name]; dup {
			problems = append(problems, errorf(pos, name, RuleDuplicateKey,
				"column %q appears twice in the header (first as column %d); remove one", name, first+1))
			c.ignore[i] = true
			continue
		}
		seen[name] = i
		switch name {
		case "kind":
			c.kindCol = i
			continue
		case "id":
			c.idCol = i
		}
		known := false
		for _, k := range schema.Kinds() {
			if col, ok := k.Column(name); ok {
				known = true
				if col.Derived {
					c.ignore[i] = true
				} else {
					c.cols[k][i] = col
				}
			}
		}
		if !known {
			c.ignore[i] = true
			problems = append(problems, errorf(pos, name, RuleUnknownField,
				"unknown column %q in the header; the columns are the record fields of %s", name, strings.Join(schema.KindNames(), ", ")))
		}
	}
	if c.kindCol < 0 {
		line, _ := c.r.FieldPos(0)
		return &Error{Pos: Position{File: c.file, Line: line, Column: 1}, Rule: RuleKind, Err: ErrSyntax,
			Message: "the header has no kind column; add one, and write each row's kind (" + strings.Join(schema.KindNames(), ", ") + ")"}
	}
	if len(problems) > 0 && c.opts.wantRecords() {
		c.pending = &Item{Pos: problems[0].Pos, Problems: problems}
	}
	return nil
}

func (c *csvReader) rowPos() Position {
	line, _ := c.r.FieldPos(0)
	return Position{File: c.file, Line: line, Column: 1}
}

func (c *csvReader) cellPos(i int) Position {
	line, col := c.r.FieldPos(i)
	return Position{File: c.file, Line: line, Column: col}
}

func (c *csvReader) ragged(row []string, pe *csv.ParseError) *Item {
	it := &Item{Pos: Position{File: c.file, Line: pe.StartLine, Column: 1}}
	if c.idCol >= 0 && c.idCol < len(row) {
		it.ID = row[c.idCol]
	}
	it.Problems = []*Error{errorf(it.Pos, "", RuleRaggedRow,
		"row has %d cells but the header has %d; every row needs one cell per header column (empty cells are fine)", len(row), c.width)}
	return it
}

func (c *csvReader) item(row []string) *Item {
	it := &Item{Pos: c.rowPos()}
	if c.idCol >= 0 {
		it.ID = row[c.idCol]
	}
	kindName := row[c.kindCol]
	k, ok := schema.LookupKind(kindName)
	if !ok {
		msg := fmt.Sprintf("unknown kind %q; use one of %s", kindName, strings.Join(schema.KindNames(), ", "))
		if kindName == "" {
			msg = "kind is required; write one of " + strings.Join(schema.KindNames(), ", ")
		}
		it.Problems = append(it.Problems, &Error{Pos: c.cellPos(c.kindCol), Field: "kind", Rule: RuleKind, Message: msg})
		return it
	}
	it.Kind, it.Record = k, k.New()
	cols := c.cols[k]
	for i, cell := range row {
		if cell == "" || i == c.kindCol || c.ignore[i] {
			continue
		}
		col := cols[i]
		pos := c.cellPos(i)
		if col == nil {
			it.Problems = append(it.Problems, errorf(pos, "", RuleNotApplicable,
				"column %q does not apply to kind %s; leave the cell empty", c.names[i], k.Name))
			continue
		}
		it.fields = append(it.fields, fieldPos{name: col.Name, index: -1, pos: pos})
		if p := setField(it.Record, col, node{kind: nodeText, text: cell, pos: pos}); p != nil {
			it.Problems = append(it.Problems, p)
		}
	}
	return it
}
