package pgload

import (
	"bufio"
	"bytes"
	"encoding/csv"
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
