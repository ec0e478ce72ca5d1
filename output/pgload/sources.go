package pgload

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"export/input"
	"export/output/sqltables"
	"export/schema"
)

// csvRows streams the rows of one of export's CSV tables as the values
// of the table's columns, for CopyFrom: the CSV's text turned back into
// the columns' types, exactly (amounts as numeric from their digits), the
// formula guard of text cells undone, an empty cell NULL.
type csvRows struct {
	path  string
	table *sqltables.Table
	f     *os.File
	r     *csv.Reader
	line  int
	vals  []any
	err   error
}

func openCSV(path string, t *sqltables.Table) (*csvRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 256<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) { // --csv-bom
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if want := t.ColumnNames(); !slices.Equal(header, want) {
		f.Close()
		return nil, fmt.Errorf("%s has the columns %s, but table %s has %s: was it written by another version of export?",
			path, strings.Join(header, ","), t.Name, strings.Join(want, ","))
	}
	return &csvRows{path: path, table: t, f: f, r: r, line: 1, vals: make([]any, len(t.Columns))}, nil
}

func (c *csvRows) Close() error { return c.f.Close() }

func (c *csvRows) Next() bool {
	if c.err != nil {
		return false
	}
	row, err := c.r.Read()
	if err == io.EOF {
		return false
	}
	c.line++
	if err != nil {
		c.err = fmt.Errorf("%s: %w", c.path, err)
		return false
	}
	for i, col := range c.table.Columns {
		v, err := csvValue(col, row[i])
		if err != nil {
			c.err = fmt.Errorf("%s:%d: %s: %w", c.path, c.line, col.Name, err)
			return false
		}
		c.vals[i] = v
	}
	return true
}

func (c *csvRows) Values() ([]any, error) { return c.vals, nil }
func (c *csvRows) Err() error             { return c.err }

// csvValue turns a cell of export's CSV into the value of column c.
func csvValue(c *sqltables.Column, cell string) (any, error) {
	if cell == "" {
		if c.NotNull && c.Type == sqltables.Text {
			return "", nil
		}
		return nil, nil
	}
	switch c.Type {
	case sqltables.Text:
		return input.Unguard(cell), nil
	case sqltables.Integer:
		return strconv.ParseInt(cell, 10, 64)
	case sqltables.Decimal:
		d, err := schema.ParseDecimal(cell)
		if err != nil {
			return nil, err
		}
		return numeric(d), nil
	case sqltables.Date:
		return time.Parse(time.DateOnly, cell)
	case sqltables.Boolean:
		return strconv.ParseBool(cell)
	case sqltables.List:
		return strings.Split(input.Unguard(cell), ";"), nil
	}
	return nil, fmt.Errorf("no CSV reading for type %v", c.Type)
}

// numeric is d as PostgreSQL's numeric: its thousandths, scale 3.
func numeric(d schema.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: big.NewInt(d.Milli()), Exp: -3, Valid: true}
}

// span is one entry of stated in JSON.
type span struct {
	Text       string `json:"text"`
	Start, End int
}

// statedRow is one record's stated, as JSON has it.
type statedRow struct {
	ID     string          `json:"id"`
	Stated map[string]span `json:"stated"`
}

// statedRows streams the rows of a kind's stated table from the JSON Lines
// file of the kind, or from figures.json: one row per span, in the order
// of the kind's fields.
type statedRows struct {
	path  string
	keys  []string
	f     *os.File
	dec   *json.Decoder
	lines bool // a JSON Lines file rather than figures.json's array
	cur   statedRow
	next  int // index into keys
	vals  []any
	err   error
}

func openStated(path string, k *schema.Kind, lines bool) (*statedRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	col, _ := k.Column("stated")
	s := &statedRows{path: path, keys: col.Keys(), f: f, dec: json.NewDecoder(bufio.NewReaderSize(f, 256<<10)), lines: lines,
		next: -1, vals: make([]any, 5)}
	if !lines {
		if err := s.seek(k.Plural); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return s, nil
}

// seek moves figures.json's decoder into the array of table.
func (s *statedRows) seek(table string) error {
	if tok, err := s.dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", err)
	}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		if tok == table {
			if tok, err := s.dec.Token(); err != nil || tok != json.Delim('[') {
				return fmt.Errorf("%s is not an array (%v)", table, err)
			}
			return nil
		}
		if err := skipValue(s.dec); err != nil {
			return err
		}
	}
	return fmt.Errorf("no %s", table)
}

// skipValue reads past the next value, one element at a time: another
// kind's array may be hundreds of megabytes, which Decode into a
// json.RawMessage would hold whole.
func skipValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok || (d != '[' && d != '{') {
		return nil
	}
	for dec.More() {
		if d == '{' {
			if _, err := dec.Token(); err != nil { // the key
				return err
			}
		}
		var elem json.RawMessage // one record at most
		if err := dec.Decode(&elem); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

func (s *statedRows) Close() error { return s.f.Close() }

func (s *statedRows) Next() bool {
	for s.err == nil {
		for s.next >= 0 && s.next < len(s.keys) {
			k := s.keys[s.next]
			s.next++
			if sp, ok := s.cur.Stated[k]; ok {
				s.vals[0], s.vals[1], s.vals[2], s.vals[3], s.vals[4] = s.cur.ID, k, sp.Text, int32(sp.Start), int32(sp.End)
				return true
			}
		}
		if !s.dec.More() {
			return false
		}
		s.cur = statedRow{}
		if err := s.dec.Decode(&s.cur); err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = fmt.Errorf("%s: %w", s.path, err)
			}
			return false
		}
		for k := range s.cur.Stated {
			if !slices.Contains(s.keys, k) {
				s.err = fmt.Errorf("%s: %s: stated has the field %q, which its kind has not", s.path, s.cur.ID, k)
				return false
			}
		}
		s.next = 0
	}
	return false
}

func (s *statedRows) Values() ([]any, error) { return s.vals, nil }
func (s *statedRows) Err() error             { return s.err }
