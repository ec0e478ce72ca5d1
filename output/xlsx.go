package output

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"export/schema"
)

// XLSXName is the workbook the XLSX writer writes.
const XLSXName = "figures.xlsx"

// The XLSX writer writes figures.xlsx with excelize:
//
//   - one sheet per kind, named after the kind's table (investment_totals,
//     ...), always, header-only when the kind has no records; a kind with
//     more records than a sheet holds (xlsxRowLimit) continues on sheets
//     investment_totals_2, _3, ..., each with its own header and table;
//   - a sheet "sources" (one row per source, the url a hyperlink) and a
//     sheet "about" (tool, version, generation time when known, inputs with
//     their SHA-256, the validation summary, and the data dictionary
//     generated from package schema).
//
// Every sheet is stream-written (excelize's StreamWriter), so strings are
// inline and never formulas, and memory stays flat: each sheet's XML spools
// to a temporary file, a full sheet's memory buffer is released
// (releaseStreamBuffer), and the workbook is zipped straight to its file
// (xlsxZip). Each data sheet is an Excel table named after its
// sheet, with a bold, frozen header row and filters, so that Power Query
// and Power BI find it by name.
//
// Cells are typed: amounts are number cells holding the exact decimal
// that CSV and JSON hold (at most 15 significant digits), shown with a
// thousands separator and with decimals only when there are any; integers are integer cells shown
// as they are; dates are date cells shown yyyy-mm-dd (the text YYYY-MM-DD
// before 1900-03-01: see xlsxDate); booleans are boolean cells;
// lists are ";"-joined text; an absent optional value is an empty cell. A
// text over Excel's 32,767-character limit is an error, not cut.
//
// Two things about a sheet are known only at the end, and a StreamWriter
// wants them before the first row: the <dimension> (the used range, which
// Power BI reads) and the column widths (which should fit the content).
// Each sheet is therefore started with a placeholder dimension unique to it
// and column widths fitted from the header; rows widen the widths as they
// stream; and when the workbook is saved, xlsxZip hands the start of every
// worksheet (up to <sheetData>) to patchHead, which finds the sheet by its
// placeholder and writes the real dimension and widths. Finish fails if a
// sheet was not patched, so a change in excelize cannot go unnoticed.

// xlsxRowLimit is the number of data rows per sheet: Excel's 1,048,576
// rows, less the header. Tests lower it.
var xlsxRowLimit = excelize.TotalRows - 1

const (
	// xlsxMaxWidth caps column widths (in characters): a quote of 2,000
	// characters should not make a column screens wide; it wraps instead.
	xlsxMaxWidth = 60
	// xlsxMaxWordWidth caps the width a column gets for a word that cannot
	// wrap (a SHA-256 digest, an id, a URL), so that such a word shows whole
	// up to this many characters.
	xlsxMaxWordWidth = 100
	xlsxMinWidth     = 6
	// xlsxLineHeight is the height of a line of text in points (Calibri 11,
	// Excel's default row), and xlsxMaxLines the most lines a row grows to
	// for its wrapped text: a longer text is scrolled in its cell.
	xlsxLineHeight = 15
	xlsxMaxLines   = 10
	// xlsxTableStyle is Excel's default table style.
	xlsxTableStyle = "TableStyleMedium2"
	// xlsxFixedTime stands for the workbook's time (see xlsxWriter.time)
	// when neither Meta.Created nor a record's date gives one: the clock
	// is never read. It is the zip format's epoch.
	xlsxFixedTime = "1980-01-01T00:00:00Z"
	xlsxSources   = "sources"
	xlsxAbout     = "about"
	xlsxDict      = "dictionary"
)

type xlsxWriter struct {
	dir      string
	tmpDir   string
	f        *excelize.File
	style    xlsxStyles
	kinds    []*xlsxKind
	byKind   map[*schema.Kind]*xlsxKind
	sheets   []*xlsxSheet // every streamed sheet, in creation order
	vals     []any        // one row's cells, reused
	valid    xlsxValidations
	newest   string // the latest date (YYYY-MM-DD) of a record written
	finished bool
	zip      *xlsxZip
}

// xlsxKind is a kind's sheet and its continuation sheets.
type xlsxKind struct {
	kind     *schema.Kind
	sheets   []*xlsxSheet
	styles   []int          // per column
	columns  map[string]int // the index of each column, by name
	colNames []string       // each column's letters
}

// xlsxStyles are the workbook's cell styles. Every style aligns its text
// to the top of the cell, so that a row grown for a long quote reads from
// its first line.
type xlsxStyles struct {
	header, integer, number, fraction, date, datetime, boolean, link, wrap int
}

// xlsxSheet is one stream-written sheet.
type xlsxSheet struct {
	name        string
	sw          *excelize.StreamWriter
	placeholder string    // its dimension until patchHead writes the real one
	widths      []float64 // in characters
	styles      []int     // per column
	wraps       []bool    // per column: its text wraps, and rows grow to fit it
	titles      bool      // the first row is printed on every page
	rows        int       // rows written, header included
	table       string    // the table's name, "" for none
	tableRow    int       // the table's header row
	tableRows   int       // the table's data rows
	tableAdded  bool
	patched     bool
	part        string     // its worksheet part (xl/worksheets/sheet1.xml), once saved
	notes       *xlsxNotes // its notes, nil for none

	// Data rows are encoded by appendRow into row and deflated into body
	// as they stream (see xlsx_rows.go), once the header row has started
	// the sheet's data; noBody when excelize's fields are not those
	// writeRow knows (every row then goes through SetRow).
	tmpDir   string
	body     *deflatedBody
	noBody   bool
	colNames []string // each column's letters
	row      []byte
}

// xlsxFormat: the workbook, a sheet per kind; some texts it cannot hold
// exactly (XLSXEscapeLoses), and says so at validation.
var xlsxFormat = register(&Format{Name: FormatXLSX, Title: "XLSX", Rank: 2, Default: true,
	MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", New: newXLSXWriter,
	Texts: &TextLimit{Rule: "xlsx_text", Loses: XLSXEscapeLoses,
		Why: "the workbook cannot store exactly (excelize would write it so that it reads back changed)", Writes: XLSXName}})

func newXLSXWriter(dir string, opts Options) (Writer, error) {
	w := &xlsxWriter{
		dir:    dir,
		tmpDir: opts.TempDir,
		f:      excelize.NewFile(excelize.Options{TmpDir: opts.TempDir}),
		byKind: map[*schema.Kind]*xlsxKind{},
	}
	err := w.start()
	if err == nil {
		// Spooling to TempDir from the start finds a bad TempDir now, not
		// after the last record (excelize would keep its streams in memory).
		w.zip, err = newXLSXZip(opts.TempDir)
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("writing %s: %w", XLSXName, err)
	}
	return w, nil
}

// start creates the styles and every kind's sheet, header included, so
// that records of any kind can stream in from the first one.
func (w *xlsxWriter) start() error {
	var err error
	if w.style, err = newXLSXStyles(w.f); err != nil {
		return err
	}
	// Create the sheets first, so that the first is active (tab selected)
	// before any stream writes its sheet view.
	for i, k := range schema.Kinds() {
		if k.Plural == xlsxSources || k.Plural == xlsxAbout {
			return fmt.Errorf("kind %s: the sheet name %s is taken", k.Name, k.Plural)
		}
		if i == 0 {
			err = w.f.SetSheetName("Sheet1", k.Plural)
		} else {
			_, err = w.f.NewSheet(k.Plural)
		}
		if err != nil {
			return fmt.Errorf("creating sheet %s: %w", k.Plural, err)
		}
	}
	w.f.SetActiveSheet(0)
	for _, k := range schema.Kinds() {
		xk := &xlsxKind{kind: k, columns: map[string]int{}}
		for i, c := range k.TableColumns() {
			xk.styles = append(xk.styles, w.style.column(c.Type))
			xk.columns[c.Name] = i
			name, _ := excelize.ColumnNumberToName(i + 1)
			xk.colNames = append(xk.colNames, name)
		}
		sh, err := w.dataSheet(xk, k.Plural)
		if err != nil {
			return err
		}
		xk.sheets = []*xlsxSheet{sh}
		w.kinds = append(w.kinds, xk)
		w.byKind[k] = xk
	}
	return nil
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	// Numbers (amounts) get a thousands separator, #,##0 when whole; one
	// with a fraction gets a format with decimals, cell by cell: Excel has
	// no format that shows decimals only when present ("#,##0.##" leaves a
	// dangling point on whole numbers). An amount has at most 3 places. Integers (counts, pages, lines, years) are
	// shown as they are, 0: a separator would make a year 2,020.
	fraction := "#,##0.###"
	date, datetime := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	// Excel shows a boolean cell as TRUE or FALSE whatever its format;
	// LibreOffice shows it as the number 1 or 0 unless the format says
	// otherwise.
	boolean := `"TRUE";"TRUE";"FALSE"`
	// A font that names only its weight is shown in the reader's own
	// default face and size (LibreOffice: 10 point), not in the
	// workbook's: the header names the workbook's, as the body cells do.
	face, err := f.GetDefaultFont()
	if err != nil {
		return s, fmt.Errorf("reading the default font: %w", err)
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	for _, st := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true, Family: face, Size: 11}, Alignment: top}},
		{&s.integer, excelize.Style{NumFmt: 1, Alignment: top}}, // 0
		{&s.number, excelize.Style{NumFmt: 3, Alignment: top}},  // #,##0
		{&s.fraction, excelize.Style{CustomNumFmt: &fraction, Alignment: top}},
		{&s.date, excelize.Style{CustomNumFmt: &date, Alignment: top}},
		{&s.datetime, excelize.Style{CustomNumFmt: &datetime, Alignment: top}},
		{&s.boolean, excelize.Style{CustomNumFmt: &boolean, Alignment: top}},
		{&s.link, excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}, Alignment: wrap}},
		{&s.wrap, excelize.Style{Alignment: wrap}},
	} {
		id, err := f.NewStyle(&st.style)
		if err != nil {
			return s, fmt.Errorf("creating a cell style: %w", err)
		}
		*st.id = id
	}
	return s, nil
}

// column returns the style of a column of type t; cells get it from the
// column (StreamWriter.SetColStyle) unless they carry their own. Text
// wraps: a text no wider than its column shows on one line, a longer one
// on as many as it needs (the row grows, see xlsxSheet.write), rather than
// being cut at the next cell.
func (s xlsxStyles) column(t schema.Type) int {
	switch t {
	case schema.Integer:
		return s.integer
	case schema.Number:
		return s.number
	case schema.Date:
		return s.date
	case schema.Boolean:
		return s.boolean
	}
	return s.wrap
}

// dataSheet starts a sheet of kind k: header row and frozen pane; its
// table is added once the sheet is complete (continueKind or Finish).
func (w *xlsxWriter) dataSheet(k *xlsxKind, name string) (*xlsxSheet, error) {
	header := make([]any, 0, len(k.kind.TableColumns()))
	for _, c := range k.kind.TableColumns() {
		header = append(header, c.Name)
	}
	sh, err := w.startSheet(name, k.styles, true)
	if err != nil {
		return nil, err
	}
	for i, c := range k.kind.TableColumns() {
		if c.Type == schema.Date {
			sh.widths[i] = xlsxDateWidth // a serial is shorter than the date it shows
		}
	}
	sh.table, sh.tableRow = name, 1
	if err := w.valid.add(w.f, name, k.kind.TableColumns(), k.kind.Name, k.kind.CrossFieldRules()); err != nil {
		return nil, err
	}
	return sh, sh.write(header, w.style.header)
}

// startSheet starts streaming the existing sheet name, with a column style
// per column (0 for none) and, when freeze is set, the first row frozen.
func (w *xlsxWriter) startSheet(name string, styles []int, freeze bool) (*xlsxSheet, error) {
	// A placeholder dimension that no other sheet has and no real sheet
	// needs: patchHead recognises the sheet by it.
	placeholder := "A1:XFD" + strconv.Itoa(excelize.TotalRows-len(w.sheets))
	if err := w.f.SetSheetDimension(name, placeholder); err != nil { // before NewStreamWriter
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	// Printed, a sheet fits the width of a landscape page, as many pages
	// tall as it takes, each with the sheet's name and its page number in
	// the footer (and, with freeze, the header row: see printTitles).
	// fitToPage is in the sheet's properties, which the stream writes
	// first; the page setup and footer it writes when flushed.
	if err := w.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	err = w.f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)})
	if err == nil {
		err = w.f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&L&A&RPage &P of &N"})
	}
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	sh := &xlsxSheet{name: name, sw: sw, placeholder: placeholder, titles: freeze, tmpDir: w.tmpDir,
		widths: make([]float64, len(styles)), styles: styles, wraps: make([]bool, len(styles))}
	for i, st := range styles {
		sh.wraps[i] = st == w.style.wrap
		name, _ := excelize.ColumnNumberToName(i + 1)
		sh.colNames = append(sh.colNames, name)
	}
	w.sheets = append(w.sheets, sh)
	// Right to left: each call puts its <col> in front of the earlier ones.
	for c := len(styles); c >= 1; c-- {
		if styles[c-1] != 0 {
			if err := sw.SetColStyle(c, c, styles[c-1]); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
		}
	}
	if freeze {
		err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	return sh, nil
}

// write writes the next row, with style for every cell when it is not 0,
// widens the columns to fit it, and makes it as tall as its wrapped text
// needs (xlsxRowHeight).
func (sh *xlsxSheet) write(vals []any, style int) error {
	lines := 1
	for i, v := range vals {
		if i >= len(sh.widths) {
			continue
		}
		if c, ok := v.(excelize.Cell); ok {
			v = c.Value
		}
		if t, ok := v.(string); ok {
			width, n := measureText(t, sh.widths[i])
			sh.widths[i] = width
			if sh.wraps[i] {
				lines = max(lines, n)
			}
			continue
		}
		if sh.widths[i] < xlsxMaxWordWidth {
			sh.widths[i] = max(sh.widths[i], cellWidth(v, sh.widths[i]))
		}
	}
	sh.rows++
	// The rows below a table's header go to the body (excelize's AddTable
	// reads the header from the stream's buffer); those of a sheet whose
	// table starts further down (about) stay with excelize.
	if sh.tableRow == 1 && sh.rows > 1 && !sh.noBody {
		return sh.writeRow(vals, style, xlsxRowHeight(lines))
	}
	var opts []excelize.RowOpts
	if style != 0 || lines > 1 {
		opts = append(opts, excelize.RowOpts{StyleID: style, Height: xlsxRowHeight(lines)})
	}
	if err := sh.sw.SetRow("A"+strconv.Itoa(sh.rows), vals, opts...); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", sh.name, sh.rows, err)
	}
	if sh.rows == presizeAtRow && sh.body == nil {
		// A sheet this long will reach excelize's 16 MiB chunk: give its
		// buffer room for it now, before doubling takes it to 32 MiB.
		presizeStreamBuffer(sh.sw)
	}
	return nil
}

// presizeAtRow is the row at which a growing sheet's buffer is presized
// (about 2-5 MiB of sheet XML, well below the chunk).
const presizeAtRow = 2048

func (w *xlsxWriter) Write(rec schema.Record) error {
	if w.finished || w.f == nil {
		return errors.New("xlsx: Write after Finish or Close")
	}
	k := w.byKind[schema.KindOf(rec)]
	if k == nil {
		return fmt.Errorf("xlsx: no sheet for kind %s", schema.KindOf(rec).Name)
	}
	vals := w.vals[:0]
	for _, c := range k.kind.TableColumns() {
		v, err := w.cell(c, rec)
		if err != nil {
			// The record's line, so that the text can be found and fixed.
			at := ""
			if p := schema.ProvenanceOf(rec); p.InputFile != "" {
				at = fmt.Sprintf("%s:%d: ", p.InputFile, p.InputLine)
			}
			return fmt.Errorf("%swriting %s: %s %s: %s: %w", at, XLSXName, k.kind.Name, schema.ID(rec), c.Name, err)
		}
		vals = append(vals, v)
	}
	w.vals = vals
	sh := k.sheets[len(k.sheets)-1]
	if sh.tableRows == xlsxRowLimit {
		var err error
		if sh, err = w.continueKind(k); err != nil {
			return fmt.Errorf("writing %s: %w", XLSXName, err)
		}
	}
	if err := sh.write(vals, 0); err != nil {
		return fmt.Errorf("writing %s: %w", XLSXName, err)
	}
	sh.tableRows++
	if err := w.note(k, sh, schema.ProvenanceOf(rec).Stated); err != nil {
		return fmt.Errorf("writing %s: %s %s: %w", XLSXName, k.kind.Name, schema.ID(rec), err)
	}
	return nil
}

// note puts the words that state each figure of the row just written in
// a note on the figure's cell (see xlsx_notes.go): one note per field,
// with the words of each of its spans.
func (w *xlsxWriter) note(k *xlsxKind, sh *xlsxSheet, stated schema.Stated) error {
	for i, s := range stated {
		if slices.ContainsFunc(stated[:i], func(o schema.Span) bool { return o.Field == s.Field }) {
			continue // written with the first of its field
		}
		col, ok := k.columns[s.Field]
		if !ok {
			return fmt.Errorf("the quote states %s, which is not a column of the sheet", s.Field)
		}
		if sh.notes == nil {
			var err error
			if sh.notes, err = newXLSXNotes(w.tmpDir); err != nil {
				return err
			}
		}
		if err := sh.notes.add(sh.rows, col+1, k.colNames[col], s.Field, stated[i:]); err != nil {
			return err
		}
	}
	return nil
}

// continueKind starts the next sheet of a kind whose last sheet is full,
// placed after it and before the next kind's sheets.
func (w *xlsxWriter) continueKind(k *xlsxKind) (*xlsxSheet, error) {
	// The full sheet's table can be added now. That moves the stream's
	// buffer to its temporary file, so the buffer can go: memory does not
	// grow with every sheet. The stream is flushed by Finish, as the others
	// are: MoveSheet below reads every sheet, and excelize can no longer
	// read a flushed one.
	full := k.sheets[len(k.sheets)-1]
	if err := full.addTable(); err != nil {
		return nil, err
	}
	releaseStreamBuffer(full.sw)
	name := k.kind.Plural + "_" + strconv.Itoa(len(k.sheets)+1)
	if _, err := w.f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("creating sheet %s: %w", name, err)
	}
	for i, kk := range w.kinds {
		if kk == k && i+1 < len(w.kinds) {
			if err := w.f.MoveSheet(name, w.kinds[i+1].sheets[0].name); err != nil {
				return nil, fmt.Errorf("moving sheet %s: %w", name, err)
			}
		}
	}
	sh, err := w.dataSheet(k, name)
	if err != nil {
		return nil, err
	}
	k.sheets = append(k.sheets, sh)
	return sh, nil
}

// cell returns the cell value of column c in rec (a Record or a
// *schema.Source), as a base type excelize writes typed: a named type or a
// pointer would become text.
func (w *xlsxWriter) cell(c *schema.Column, rec any) (any, error) {
	if !c.Present(rec) {
		return nil, nil
	}
	switch c.Type {
	case schema.String:
		return textCell(c.Text(rec))
	case schema.StringList:
		return textCell(strings.Join(c.List(rec), listSep))
	case schema.Date:
		if s := c.Text(rec); s != "" {
			w.newest = max(w.newest, s) // YYYY-MM-DD sorts as it counts
			return xlsxDate(s)
		}
		return nil, nil
	case schema.Integer:
		n, _ := c.Int(rec)
		return n, nil
	case schema.Number:
		d, _ := c.Decimal(rec)
		f := d.Float64() // exact: at most 15 significant digits
		if d.Milli()%1000 != 0 {
			return excelize.Cell{StyleID: w.style.fraction, Value: f}, nil
		}
		return f, nil
	case schema.TextMap:
		return textCell(EntriesText(c.Entries(rec)))
	case schema.Boolean:
		return c.Bool(rec), nil
	}
	return nil, fmt.Errorf("unknown column type %v", c.Type)
}

// The 1900 date system of a workbook counts days from 1899-12-30, but for
// Excel's false 1900-02-29 (serial 60), which makes the serials 1 to 60
// name one day later in Excel than in LibreOffice (serial 1 is 1900-01-01
// in Excel, 1899-12-31 in LibreOffice). From 1900-03-01 (serial 61) on,
// every program reads a serial alike.
var (
	xlsxDateEpoch     = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	xlsxFirstSerialOn = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)
)

// xlsxDateWidth is the width of a date shown yyyy-mm-dd.
const xlsxDateWidth = 10

// xlsxDate returns the cell of a YYYY-MM-DD date: its serial in the 1900
// date system (a number cell, which the date column's style shows
// yyyy-mm-dd) from 1900-03-01 on, and the text YYYY-MM-DD before, which
// every program reads as the same day (and which export's reader takes).
// The serial is computed here rather than by excelize from a time.Time:
// excelize writes a date before 1900 as an RFC 3339 timestamp and the days
// up to 1900-02-28 as the serials that LibreOffice reads a day early, and
// one exact integer per day is easy to check for every day of the range.
func xlsxDate(s string) (any, error) {
	t, err := ParseDate(s)
	if err != nil {
		return nil, err
	}
	if t.Before(xlsxFirstSerialOn) {
		return s, nil
	}
	return (t.Unix() - xlsxDateEpoch.Unix()) / (24 * 60 * 60), nil
}

// ErrXLSXCellTooLong is wrapped by the error for a text longer than an
// Excel cell holds (32,767 characters); excelize would cut it silently.
var ErrXLSXCellTooLong = errors.New("text too long for an Excel cell")

// ErrXLSXEscape is wrapped by the error for a text that the workbook
// library would store changed (see XLSXEscapeLoses).
var ErrXLSXEscape = errors.New("text holds an _xHHHH_ sequence that a workbook cannot store exactly")

// textCell returns s as a text cell, nil when it is empty.
func textCell(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	if seq, ok := XLSXEscapeLoses(s); ok {
		return nil, fmt.Errorf("%w: %q (excelize, which writes the workbook, would store it so that it reads back changed); "+
			"the other formats hold it: leave xlsx out of --formats, or change the text", ErrXLSXEscape, seq)
	}
	// Excel counts UTF-16 code units; a string has at least as many bytes.
	if len(s) > excelize.TotalCellChars {
		if n := utf16Len(s); n > excelize.TotalCellChars {
			return nil, fmt.Errorf("%w: %d characters (UTF-16 code units, as Excel counts), over the limit of %d",
				ErrXLSXCellTooLong, n, excelize.TotalCellChars)
		}
	}
	return s, nil
}

// XLSXEscapeLoses reports whether s holds one of the forms of the
// workbook's escape of a character, _x and four hexadecimal digits and _
// (_x0008_), that excelize v2.11.1 writes so that they read back changed,
// and returns it. excelize escapes each escape it finds, left to right,
// as _x005F_ (the escape of "_") and the rest, but misses two forms: one
// naming a UTF-16 surrogate, _xD800_ to _xDFFF_, which it leaves as it is
// (readers decode it to nothing), and two that share an underscore,
// _x0041_x0042_, of which it escapes only the first (it reads back as
// _x0041B) — unless the first is _x005F_ itself, which it handles.
// TestXLSXEscapeLoses checks this against excelize.
func XLSXEscapeLoses(s string) (string, bool) {
	for i := 0; ; {
		next := strings.Index(s[i:], "_x")
		if next < 0 {
			return "", false
		}
		i += next
		n, ok := xlsxEscapeAt(s, i)
		if !ok {
			i++
			continue
		}
		shared, sharing := xlsxEscapeAt(s, i+6)
		switch {
		case s[i:i+7] == "_x005F_":
			if sharing && isSurrogate(shared) {
				return s[i : i+13], true
			}
		case isSurrogate(n):
			return s[i : i+7], true
		case sharing:
			return s[i : i+13], true
		}
		i += 7
	}
}

func isSurrogate(n uint64) bool { return n >= 0xD800 && n <= 0xDFFF }

// xlsxEscapeAt returns the character that an _xHHHH_ escape at s[i:]
// names, if one is there.
func xlsxEscapeAt(s string, i int) (uint64, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	return n, err == nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cellWidth returns the width, in characters, that v needs when shown, or
// at most cur when it needs no more than cur.
func cellWidth(v any, cur float64) float64 {
	switch v := v.(type) {
	case string:
		w, _ := measureText(v, cur)
		return w
	case int64: // shown as it is
		return float64(len(strconv.FormatInt(v, 10)))
	case float64: // shown with thousands separators
		s := strconv.FormatFloat(v, 'f', -1, 64)
		whole, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		return float64(len(s) + (len(whole)-1)/3)
	case excelize.Cell:
		return cellWidth(v.Value, cur)
	case time.Time:
		if v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 {
			return 19
		}
		return 10
	case bool:
		return 5
	}
	return 0
}

// xlsxWrapWidth is the width, in characters, at which a column's text
// wraps: the widest column less its padding.
const xlsxWrapWidth = xlsxMaxWidth - 2

// measureText returns the width, in characters, that a column needs for
// text s when it is cur wide (cur, or more), and the lines s takes in a
// wrapping cell of that column, at most xlsxMaxLines.
//
// The width is the text's widest line up to xlsxWrapWidth (it wraps
// beyond), but at least its longest word up to xlsxMaxWordWidth (a word
// does not wrap, and a digest or a URL cut at the column's edge could not
// be read); the values of a list are words of their own. The lines are
// counted by wrapping the text word by word at xlsxWrapWidth, or at its
// longest word when that widens the column, as a spreadsheet does,
// breaking a word that is longer than a line. Characters count as wide as
// the digits that column widths are measured in (two for the wide
// characters of East Asian scripts), which most letters are not, so the
// estimate errs on the side of a row a little too tall, never one that
// cuts its text.
//
// Rows are streamed before the widths are known, and neither Excel nor
// LibreOffice fits a row to its text when it opens a workbook, so the
// writer sets each row's height itself (xlsxRowHeight). This runs for
// every text cell of every row: one pass, byte by byte for ASCII.
func measureText(s string, cur float64) (float64, int) {
	if float64(len(s)) <= cur && len(s) <= xlsxWrapWidth && strings.IndexByte(s, '\n') < 0 {
		return cur, 1 // a character takes at least one byte
	}
	lines, longest := wrapText(s, xlsxWrapWidth)
	if longest > xlsxWrapWidth { // the column widens for the word
		lines, _ = wrapText(s, min(longest, xlsxMaxWordWidth))
	}
	return max(cur, float64(min(longest, xlsxMaxWordWidth))), lines
}

// wrapText returns the lines s takes wrapped at width (at most
// xlsxMaxLines), and the width it needs: its widest line up to
// xlsxWrapWidth, or its longest word (or list value) when that is wider.
func wrapText(s string, width int) (lines, needs int) {
	lines = 1
	col := 0               // the current line's width, as wrapped
	word, listWord := 0, 0 // the current word's width; and up to a ';'
	line, widest, longest := 0, 0, 0
	place := func() { // the word just ended goes on the current line, or the next
		if col > 0 && col+1+word > width {
			lines++
			col = 0
		} else if col > 0 {
			col++ // the space before it
		}
		for col += word; col > width; col -= width {
			lines++
		}
		word = 0
	}
	for i := 0; i < len(s); {
		c := s[i]
		n := 1
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			n = charWidth(r)
			i += size
		} else {
			i++
		}
		switch c {
		case '\n':
			place()
			lines++
			col, line, listWord = 0, 0, 0
			continue
		case ' ':
			place()
			line++
			listWord = 0
			continue
		}
		word += n
		line += n
		if c == ';' {
			listWord = 0
		} else {
			listWord += n
		}
		widest, longest = max(widest, line), max(longest, listWord)
	}
	place()
	return min(lines, xlsxMaxLines), max(min(widest, xlsxWrapWidth), longest)
}

// charWidth is the width of r in a cell: one character, two for the wide
// characters of East Asian scripts.
func charWidth(r rune) int {
	if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
		r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 ||
		r >= 0xffe0 && r <= 0xffe6 || r >= 0x20000) {
		return 2
	}
	return 1
}

// xlsxRowHeight returns the height, in points, of a row of lines lines:
// 0, the default, for one.
func xlsxRowHeight(lines int) float64 {
	if lines <= 1 {
		return 0
	}
	return float64(min(lines, xlsxMaxLines) * xlsxLineHeight)
}

// Finish writes the sources and about sheets, the tables and the workbook's
// properties, and saves figures.xlsx. The File's Rows count each kind's
// records (over all its sheets) and the sources.
func (w *xlsxWriter) Finish(meta *Meta) ([]File, error) {
	if w.finished || w.f == nil {
		return nil, errors.New("xlsx: Finish called twice or after Close")
	}
	w.finished = true
	if meta == nil {
		meta = &Meta{}
	}
	rows, err := w.finish(meta)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", XLSXName, err)
	}
	path := filepath.Join(w.dir, XLSXName)
	d, err := w.save(path, meta)
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing %s: %w", XLSXName, err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return []File{d.describe(File{Name: XLSXName, Format: FormatXLSX, Rows: rows})}, nil
}

// finish completes the workbook and returns its tables' row counts.
func (w *xlsxWriter) finish(meta *Meta) (map[string]int, error) {
	sources, err := w.sourcesSheet(meta)
	if err != nil {
		return nil, err
	}
	about, err := w.aboutSheet(meta)
	if err != nil {
		return nil, err
	}
	// A kind's rows are counted over all its sheets, as CSV and JSON count
	// them (the manifest checks that every format agrees); the about sheet
	// lists each sheet's table.
	rows := map[string]int{}
	var all []*xlsxSheet
	for _, k := range w.kinds {
		for _, sh := range k.sheets {
			rows[k.kind.Plural] += sh.tableRows
			all = append(all, sh)
		}
	}
	rows[xlsxSources] = sources.tableRows
	for _, sh := range append(all, sources, about) {
		if err := sh.finish(); err != nil {
			return nil, err
		}
	}
	if err := w.printTitles(); err != nil {
		return nil, err
	}
	if err := w.setProps(meta); err != nil {
		return nil, err
	}
	return rows, nil
}

// finish adds the sheet's table, if it has one, and flushes it.
func (sh *xlsxSheet) finish() error {
	if err := sh.addTable(); err != nil {
		return err
	}
	if err := sh.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", sh.name, err)
	}
	return nil
}

// addTable adds the sheet's table, if it has one and has not yet got it.
func (sh *xlsxSheet) addTable() error {
	if sh.table != "" && !sh.tableAdded {
		sh.tableAdded = true
		from, _ := excelize.CoordinatesToCellName(1, sh.tableRow)
		// excelize stretches a header-only table to one empty data row, as
		// Excel does: a table has at least one.
		to, _ := excelize.CoordinatesToCellName(len(sh.widths), sh.tableRow+max(sh.tableRows, 1))
		err := sh.sw.AddTable(&excelize.Table{Range: from + ":" + to, Name: sh.table, StyleName: xlsxTableStyle})
		if err != nil {
			return fmt.Errorf("adding table %s: %w", sh.table, err)
		}
	}
	return nil
}

// printTitles has the header row of every sheet that has one printed at
// the top of every page. It is a name scoped to the sheet by its index,
// so it is defined once the sheets are in their final order
// (continueKind inserts continuation sheets).
func (w *xlsxWriter) printTitles() error {
	for _, sh := range w.sheets {
		if !sh.titles {
			continue
		}
		err := w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh.name,
			RefersTo: "'" + sh.name + "'!$1:$1"})
		if err != nil {
			return fmt.Errorf("sheet %s: print titles: %w", sh.name, err)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// sourcesSheet writes one row per source, the url a hyperlink as well as
// its text.
func (w *xlsxWriter) sourcesSheet(meta *Meta) (*xlsxSheet, error) {
	cols := schema.SourceTable().Columns
	styles := make([]int, len(cols))
	header := make([]any, len(cols))
	urlCol := -1
	for i, c := range cols {
		styles[i] = w.style.column(c.Type)
		header[i] = c.Name
		if c.Name == "url" {
			urlCol = i
		}
	}
	if _, err := w.f.NewSheet(xlsxSources); err != nil {
		return nil, fmt.Errorf("creating sheet %s: %w", xlsxSources, err)
	}
	sh, err := w.startSheet(xlsxSources, styles, true)
	if err != nil {
		return nil, err
	}
	sh.table, sh.tableRow = xlsxSources, 1
	if err := w.valid.add(w.f, xlsxSources, cols, "", nil); err != nil {
		return nil, err
	}
	if err := sh.write(header, w.style.header); err != nil {
		return nil, err
	}
	for _, s := range meta.Sources {
		if s == nil {
			continue
		}
		vals := make([]any, len(cols))
		for i, c := range cols {
			if vals[i], err = w.cell(c, s); err != nil {
				return nil, fmt.Errorf("source %s: %s: %w", s.ID, c.Name, err)
			}
		}
		link := urlCol >= 0 && vals[urlCol] != nil && sh.tableRows < excelize.TotalSheetHyperlinks
		if link {
			vals[urlCol] = excelize.Cell{StyleID: w.style.link, Value: vals[urlCol]}
		}
		if err := sh.write(vals, 0); err != nil {
			return nil, err
		}
		sh.tableRows++
		if link {
			ref, _ := excelize.CoordinatesToCellName(urlCol+1, sh.rows)
			if err := w.f.SetCellHyperLink(xlsxSources, ref, s.URL, "External"); err != nil {
				return nil, fmt.Errorf("source %s: url: %w", s.ID, err)
			}
		}
	}
	return sh, nil
}

// aboutSheet describes the workbook: what wrote it and when, from which
// inputs, the validation summary, the tables, and the data dictionary
// (an Excel table named "dictionary"), all generated from Meta and package
// schema.
func (w *xlsxWriter) aboutSheet(meta *Meta) (*xlsxSheet, error) {
	if _, err := w.f.NewSheet(xlsxAbout); err != nil {
		return nil, fmt.Errorf("creating sheet %s: %w", xlsxAbout, err)
	}
	// Meanings and rules are long: wrap them in their capped columns.
	wrap := w.style.wrap
	sh, err := w.startSheet(xlsxAbout, []int{wrap, wrap, wrap, wrap, wrap}, false)
	if err != nil {
		return nil, err
	}
	tool := cmp.Or(meta.Tool, "export")
	var rows [][]any
	row := func(v ...any) { rows = append(rows, v) }
	var bold []int // rows (indexes in rows) written in bold
	heading := func(v ...any) { bold = append(bold, len(rows)); row(v...) }

	row("tool", tool)
	row("version", meta.Version)
	if !meta.Created.IsZero() {
		row("generated (UTC)", excelize.Cell{StyleID: w.style.datetime, Value: meta.Created.UTC()})
	}
	row("errors", int64(meta.Errors))
	row("warnings", int64(meta.Warnings))
	row()
	heading("table", "rows", "meaning")
	for _, k := range w.kinds {
		for _, s := range k.sheets {
			row(s.table, int64(s.tableRows), k.kind.Doc)
		}
	}
	row(xlsxSources, int64(countSources(meta.Sources)), "Published documents the figures are taken from.")
	row()
	heading("input", "sha256", "bytes")
	for _, in := range meta.Inputs {
		row(in.Path, in.SHA256, in.Bytes)
	}
	row()
	heading("table", "column", "type", "meaning", "rules")
	dictRow := len(rows)
	dict := func(table string, cols []*schema.Column, cross []schema.CrossFieldRule) {
		for _, c := range cols {
			row(table, c.Name, c.Type.String(), c.Doc, columnRules(c, cross))
		}
	}
	for _, k := range schema.Kinds() {
		dict(k.Plural, k.TableColumns(), k.CrossFieldRules())
	}
	dict(xlsxSources, schema.SourceTable().Columns, nil)
	dictEnd := len(rows)

	// The lists that the data validations' drop-downs offer, too long to be
	// written in a validation, one per column, under a defined name each.
	var listRow int // the row of the lists' first values
	if lists := w.valid.lists; len(lists) > 0 {
		row()
		var labels []any
		n := 0
		for _, l := range lists {
			labels = append(labels, l.label)
			n = max(n, len(l.values))
		}
		heading(labels...)
		listRow = len(rows) + 1
		for i := range n {
			vals := make([]any, len(lists))
			for j, l := range lists {
				if i < len(l.values) {
					vals[j] = l.values[i]
				}
			}
			row(vals...)
		}
	}

	for i, r := range rows {
		if len(r) == 0 { // a blank row between sections
			sh.rows++
			continue
		}
		for j, v := range r {
			if s, ok := v.(string); ok {
				if r[j], err = textCell(s); err != nil {
					return nil, fmt.Errorf("sheet %s: %w", xlsxAbout, err)
				}
			}
		}
		style := 0
		if len(bold) > 0 && bold[0] == i {
			style, bold = w.style.header, bold[1:]
		}
		if err := sh.write(r, style); err != nil {
			return nil, err
		}
	}
	sh.table, sh.tableRow, sh.tableRows = xlsxDict, dictRow, dictEnd-dictRow
	for j, l := range w.valid.lists {
		col, _ := excelize.ColumnNumberToName(j + 1)
		ref := fmt.Sprintf("'%s'!$%s$%d:$%s$%d", xlsxAbout, col, listRow, col, listRow+len(l.values)-1)
		if err := w.f.SetDefinedName(&excelize.DefinedName{Name: l.name, RefersTo: ref,
			Comment: l.label + ", for the drop-downs of the data validations"}); err != nil {
			return nil, fmt.Errorf("sheet %s: list %s: %w", xlsxAbout, l.name, err)
		}
	}
	return sh, nil
}

func countSources(sources []*schema.Source) int {
	n := 0
	for _, s := range sources {
		if s != nil {
			n++
		}
	}
	return n
}

// time returns the workbook's time, for its properties and its zip
// entries: the generation time (SOURCE_DATE_EPOCH) when meta has one, else
// the latest date of the figures, at midnight UTC: taken from the inputs'
// content, never from the clock or a file's time, so that the same inputs
// give the same bytes on every machine. With neither, it is xlsxFixedTime.
func (w *xlsxWriter) time(meta *Meta) time.Time {
	if !meta.Created.IsZero() {
		return meta.Created.UTC()
	}
	if t, err := ParseDate(w.newest); err == nil {
		return t
	}
	t, _ := time.Parse(time.RFC3339, xlsxFixedTime)
	return t
}

// setProps sets the workbook's properties from meta, never from the clock.
func (w *xlsxWriter) setProps(meta *Meta) error {
	tool := cmp.Or(meta.Tool, "export")
	created := w.time(meta).Format(time.RFC3339)
	var tables []string
	for _, k := range schema.Kinds() {
		tables = append(tables, k.Plural)
	}
	err := w.f.SetDocProps(&excelize.DocProperties{
		Title:       "Economic figures",
		Subject:     "Economic figures with their provenance: " + strings.Join(tables, ", "),
		Creator:     tool,
		Description: fmt.Sprintf("Written by %s %s from %d input file(s); the about sheet lists them and describes every column.", tool, meta.Version, len(meta.Inputs)),
		Keywords:    strings.Join(tables, "; "),
		Created:     created,
		Modified:    created,
	})
	if err != nil {
		return fmt.Errorf("setting the document properties: %w", err)
	}
	// The application is fixed; AppVersion stays out: Excel expects its
	// own "XX.YYYY" build numbers there, not ours.
	if err := w.f.SetAppProps(&excelize.AppProperties{Application: tool}); err != nil {
		return fmt.Errorf("setting the application properties: %w", err)
	}
	return nil
}

// save writes the workbook to path through xlsxZip, with mode 0644 (excelize's
// SaveAs would use 0777 less the umask), hashing it as it goes.
func (w *xlsxWriter) save(path string, meta *Meta) (*digestWriter, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	defer out.Close() // for the error paths; closed and checked below
	d := newDigestWriter(out)
	w.zip.out = d
	w.zip.modified = w.time(meta)
	w.zip.rewriteHead = w.patchHead
	w.zip.deferPart, w.zip.patchPart, w.zip.extra = w.deferPart, w.patchPart, func() ([]zipExtra, error) { return w.notesParts(meta) }
	w.zip.body = w.sheetBody
	w.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return w.zip })
	if err := w.f.Write(io.Discard); err != nil {
		return nil, err
	}
	for _, sh := range w.sheets {
		if !sh.patched {
			return nil, fmt.Errorf("sheet %s: its dimension and column widths were not written (has excelize changed how it writes streamed sheets?)", sh.name)
		}
		if sh.notes != nil && (!sh.notes.tailPatched || !sh.notes.relsPatched) {
			return nil, fmt.Errorf("sheet %s: its notes were not linked in (has excelize changed how it writes streamed sheets?)", sh.name)
		}
	}
	return d, out.Close()
}

// patchHead rewrites the start of a streamed worksheet, up to <sheetData>:
// it replaces the placeholder dimension with the range the sheet's cells
// cover and the <cols> element with the fitted widths and the column
// styles. A worksheet without one of our placeholders is left alone.
func (w *xlsxWriter) patchHead(part string, head []byte) ([]byte, func([]byte) ([]byte, error), error) {
	b, sh, err := w.patchDimension(head)
	if sh == nil || err != nil {
		return b, nil, err
	}
	sh.part = part
	if sh.notes == nil {
		return b, nil, nil
	}
	return b, sh.notes.patchTail, nil
}

// patchDimension rewrites a worksheet's head, and returns its sheet: nil
// for a worksheet without one of our placeholders, which is left alone.
func (w *xlsxWriter) patchDimension(head []byte) ([]byte, *xlsxSheet, error) {
	const dimStart = `<dimension ref="`
	i := bytes.Index(head, []byte(dimStart))
	if i < 0 {
		return head, nil, nil
	}
	i += len(dimStart)
	n := bytes.IndexByte(head[i:], '"')
	if n < 0 {
		return head, nil, nil
	}
	var sh *xlsxSheet
	for _, s := range w.sheets {
		if s.placeholder == string(head[i:i+n]) {
			sh = s
		}
	}
	if sh == nil {
		return head, nil, nil
	}
	if sh.patched {
		return nil, nil, fmt.Errorf("sheet %s written twice", sh.name)
	}
	sh.patched = true
	last, err := excelize.CoordinatesToCellName(len(sh.widths), max(sh.rows, 1))
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	b.Write(head[:i])
	b.WriteString("A1:" + last)
	rest := head[i+n:]
	// <cols> comes right before <sheetData> (CT_Worksheet); excelize wrote
	// one only for the column styles set by startSheet.
	if c := bytes.Index(rest, []byte("<cols>")); c >= 0 {
		e := bytes.Index(rest, []byte("</cols>"))
		if e < c {
			return nil, nil, fmt.Errorf("sheet %s: unterminated <cols>", sh.name)
		}
		rest = append(rest[:c:c], rest[e+len("</cols>"):]...)
	}
	s := bytes.LastIndex(rest, sheetDataTag)
	b.Write(rest[:s])
	b.WriteString("<cols>")
	for i, wd := range sh.widths {
		wd = min(max(wd+2, xlsxMinWidth), xlsxMaxWordWidth+2) // padding, and room for the filter button
		fmt.Fprintf(&b, `<col min="%d" max="%d" width="%s" customWidth="1"`, i+1, i+1, strconv.FormatFloat(math.Ceil(wd), 'f', -1, 64))
		if sh.styles[i] != 0 {
			fmt.Fprintf(&b, ` style="%d"`, sh.styles[i])
		}
		b.WriteString("/>")
	}
	b.WriteString("</cols>")
	b.Write(rest[s:])
	return b.Bytes(), sh, nil
}

// sheetBody returns the rows of the worksheet part, deflated as they
// streamed, nil for none.
func (w *xlsxWriter) sheetBody(part string) *deflatedBody {
	for _, sh := range w.sheets {
		if sh.part == part {
			return sh.body
		}
	}
	return nil
}

// deferPart says which of excelize's parts the notes need changed: the
// content types and the worksheets' relationships (see patchPart).
func (w *xlsxWriter) deferPart(name string) bool {
	return name == "[Content_Types].xml" || strings.HasPrefix(name, "xl/worksheets/_rels/")
}

// patchPart adds what the notes need to a part that deferPart held: their
// content types, a worksheet's relationships to its notes' parts.
func (w *xlsxWriter) patchPart(name string, data []byte) ([]byte, error) {
	if name == "[Content_Types].xml" {
		var parts []string
		for _, sh := range w.sheets {
			if sh.notes != nil {
				parts = append(parts, sh.part)
			}
		}
		if len(parts) == 0 {
			return data, nil
		}
		return patchContentTypes(data, parts)
	}
	for _, sh := range w.sheets {
		if sh.notes != nil && name == path.Join(path.Dir(sh.part), "_rels", path.Base(sh.part)+".rels") {
			return sh.notes.patchRels(data, sh.part)
		}
	}
	return data, nil
}

// notesParts returns the comments part and the VML drawing of every sheet
// with notes, for xlsxZip to add, the drawings' shape ids in blocks of
// their own.
func (w *xlsxWriter) notesParts(meta *Meta) ([]zipExtra, error) {
	var parts []zipExtra
	block := 1
	for _, sh := range w.sheets {
		n := sh.notes
		if n == nil {
			continue
		}
		if sh.part == "" {
			return nil, fmt.Errorf("sheet %s: its worksheet part was not seen, for its notes", sh.name)
		}
		if err := n.flush(); err != nil {
			return nil, err
		}
		comments, vml := notesParts(sh.part)
		first := block
		block += n.blocks()
		parts = append(parts,
			zipExtra{comments, func(wr io.Writer) error { return n.writeComments(wr, cmp.Or(meta.Tool, "export")) }, false},
			zipExtra{vml, func(wr io.Writer) error { return n.writeVML(wr, first) }, true})
	}
	return parts, nil
}

// Close releases the temporary files: excelize's and the zip spool.
// figures.xlsx, if Finish wrote it, stays in the output directory. Close may
// be called more than once, with or without Finish.
func (w *xlsxWriter) Close() error {
	var errs []error
	if w.f != nil {
		errs = append(errs, w.f.Close())
		w.f = nil
	}
	for _, sh := range w.sheets {
		errs = append(errs, sh.body.remove())
		if sh.notes != nil {
			errs = append(errs, sh.notes.remove())
		}
	}
	errs = append(errs, w.zip.remove())
	return errors.Join(errs...)
}
