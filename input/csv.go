package input

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

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
	// cell is unknown, computed, or not a field of that kind.
	cols    map[*schema.Kind][]*schema.Column
	ignore  []bool   // header cells to skip: unknown, duplicate or computed
	names   []string // the header
	pending *Item
	fatal   bool
	// rowStart is the offset where the row being read starts, and
	// nextLine the line where it starts (or a blank line before it).
	rowStart int64
	nextLine int
	// t passes invalid UTF-8 on, so that the row that holds it is read
	// and reported with its id; then the file ends.
	t *tracker
}

func newCSVReader(r io.Reader, file string, opts Options) *csvReader {
	c := &csvReader{file: file, opts: opts, kindCol: -1, idCol: -1, nextLine: 1}
	c.t = newTracker(r, file, false)
	c.t.lenient = true
	c.r = csv.NewReader(&rowLimit{r: c.t, c: c})
	c.r.ReuseRecord = true
	return c
}

// csvReadAhead bounds how far encoding/csv reads ahead of the row it parses
// (the size of its bufio.Reader).
const csvReadAhead = 4096

// rowLimit stops encoding/csv from reading a row much longer than
// MaxLineBytes (a quoted cell may hold any number of lines) into memory.
// Rows a little longer are caught by csvReader.read, once read.
type rowLimit struct {
	r    io.Reader
	c    *csvReader
	read int64
}

func (l *rowLimit) Read(p []byte) (int, error) {
	if l.read-l.c.rowStart > int64(l.c.opts.Limits.MaxLineBytes)+csvReadAhead {
		return 0, l.c.rowTooLong()
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

func (c *csvReader) rowTooLong() *Error {
	return &Error{Pos: Position{File: c.file, Line: c.nextLine}, Rule: RuleLimit, Err: ErrLimit,
		Message: fmt.Sprintf("row is longer than %d bytes; is a quote missing at the end of a cell?", c.opts.Limits.MaxLineBytes)}
}

// read reads one row, enforcing the row size limit.
func (c *csvReader) read() ([]string, error) {
	c.rowStart = c.r.InputOffset()
	row, err := c.r.Read()
	if len(row) > 0 && (err == nil || errors.Is(err, csv.ErrFieldCount)) {
		if c.r.InputOffset()-c.rowStart > int64(c.opts.Limits.MaxLineBytes) {
			c.nextLine, _ = c.r.FieldPos(0)
			return nil, c.rowTooLong()
		}
		// The next row starts after the last line of this one.
		line, _ := c.r.FieldPos(len(row) - 1)
		c.nextLine = line + strings.Count(row[len(row)-1], "\n") + 1
	}
	return row, err
}

func (c *csvReader) Next() (*Item, error) {
	raw, err := c.Split()
	if err != nil {
		return nil, err
	}
	return raw.Decode(), nil
}

// Split finds the next row and the positions of its cells; csvRow.decode
// builds its record.
func (c *csvReader) Split() (Raw, error) {
	if c.fatal {
		return Raw{}, io.EOF
	}
	if !c.started {
		c.started = true
		if err := c.readHeader(); err != nil {
			c.fatal = true
			return Raw{}, err
		}
	}
	if c.pending != nil {
		it := c.pending
		c.pending = nil
		return Raw{item: it}, nil
	}
	if !c.opts.wantRecords() {
		return Raw{}, io.EOF // CSV files hold no sources
	}
	row, err := c.read()
	if bad := c.badUTF8(); bad != nil {
		return Raw{item: c.badRow(row, bad, err)}, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			return Raw{item: c.ragged(row, pe)}, nil
		}
		if err != io.EOF {
			c.fatal = true
			err = c.fail(err)
		}
		return Raw{}, err
	}
	r := &csvRow{c: c, tooLong: c.limitCells(row), row: slices.Clone(row), at: make([]int32, 2*len(row))}
	for i := range row {
		line, col := c.r.FieldPos(i)
		r.at[2*i], r.at[2*i+1] = int32(line), int32(col)
	}
	return Raw{d: r}, nil
}

// csvRow is a row read, with the line and column of each cell, to be
// decoded on any goroutine: the reader's header is not changed once read.
type csvRow struct {
	c       *csvReader
	row     []string
	at      []int32 // line and column of cell i at 2i and 2i+1
	tooLong []*Error
}

func (r *csvRow) decode() *Item {
	it := r.c.item(r.row, r.at)
	if r.tooLong != nil {
		it.Problems = append(r.tooLong, it.Problems...)
	}
	return it
}

// badUTF8 returns the error of the first invalid UTF-8 byte when the row
// just read (or the file's end, or a syntax error) comes after it.
func (c *csvReader) badUTF8() *Error {
	if c.t.firstBad == nil || c.t.badOff >= c.r.InputOffset() {
		return nil
	}
	return c.t.firstBad
}

// badRow is the item of the row that holds invalid UTF-8 (or of the row at
// whose end reading stopped), named by its id where that can be read, with
// the encoding error; it ends the file, as invalid UTF-8 does in every
// format.
func (c *csvReader) badRow(row []string, bad *Error, err error) *Item {
	c.fatal = true
	it := &Item{Pos: Position{File: c.file, Line: bad.Pos.Line, Column: 1}}
	if err == nil || errors.Is(err, csv.ErrFieldCount) {
		it.Pos = c.rowPos()
		if c.idCol >= 0 && c.idCol < len(row) && utf8.ValidString(row[c.idCol]) {
			it.ID = strings.Clone(row[c.idCol])
		}
		for i, cell := range row {
			if !utf8.ValidString(cell) && i < len(c.names) {
				bad.Field = c.names[i]
				break
			}
		}
	}
	it.Problems = []*Error{bad}
	return it
}

// limitCells empties the cells of row longer than MaxFieldBytes, and
// returns the problems that say so.
func (c *csvReader) limitCells(row []string) []*Error {
	var problems []*Error
	for i, cell := range row {
		if len(cell) > c.opts.Limits.MaxFieldBytes && !c.ignore[i] {
			problems = append(problems, valueTooLong(c.cellPos(i), c.names[i], len(cell), c.opts.Limits.MaxFieldBytes, false))
			row[i] = ""
		}
	}
	return problems
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
	header, err := c.read()
	if bad := c.badUTF8(); bad != nil {
		return bad
	}
	if err == io.EOF { // nothing but blank lines (encoding/csv skips them)
		return &Error{Pos: Position{File: c.file, Line: 1}, Rule: RuleSyntax, Err: ErrSyntax,
			Message: "the file is empty; a CSV file starts with a header row of field names, with a kind column (a file of only the header is fine: it holds no records)"}
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
		if len(name) > c.opts.Limits.MaxFieldBytes {
			problems = append(problems, valueTooLong(pos, "", len(name), c.opts.Limits.MaxFieldBytes, true))
			c.ignore[i] = true
			continue
		}
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
				if col.Computed {
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
		return &Error{Pos: Position{File: c.file, Line: line, Column: 1}, Field: "kind", Rule: RuleKind, Err: ErrSyntax,
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

// Unguard undoes exactly the formula guard of export's CSV writer (see
// neutralise in package output): the writer prefixes a text that starts
// with =, +, -, @, TAB or CR, after any apostrophes, with one more
// apostrophe. So the first apostrophe of such a cell is dropped, and any
// other leading apostrophe ('tis) is data. Every reader of export's CSV
// text cells uses it: this reader, and export load's.
func Unguard(cell string) string {
	if t := strings.TrimLeft(cell, "'"); len(t) < len(cell) && t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0 {
		return cell[1:]
	}
	return cell
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

// item builds the record of a row whose cells are at the lines and
// columns of at (csvRow.at).
func (c *csvReader) item(row []string, at []int32) *Item {
	cellPos := func(i int) Position { return Position{File: c.file, Line: int(at[2*i]), Column: int(at[2*i+1])} }
	it := &Item{Pos: Position{File: c.file, Line: int(at[0]), Column: 1}}
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
		it.Problems = append(it.Problems, &Error{Pos: cellPos(c.kindCol), Field: "kind", Rule: RuleKind, Message: msg})
		return it
	}
	it.Kind, it.Record = k, k.New()
	it.fields = make([]fieldPos, 0, len(row))
	cols := c.cols[k]
	for i, cell := range row {
		if cell == "" || i == c.kindCol || c.ignore[i] {
			continue
		}
		col := cols[i]
		pos := cellPos(i)
		if col == nil {
			it.Problems = append(it.Problems, errorf(pos, c.names[i], RuleNotApplicable,
				"column %q does not apply to kind %s; leave the cell empty", c.names[i], k.Name))
			continue
		}
		it.fields = append(it.fields, fieldPos{name: col.Name, index: -1, pos: pos})
		if col.Type == schema.String || col.Type == schema.StringList {
			cell = Unguard(cell)
		}
		if p := setField(it.Record, col, node{kind: nodeText, text: cell, pos: pos}); p != nil {
			it.Problems = append(it.Problems, p)
		}
	}
	return it
}
