package input

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"export/schema"
)

// xlsxReader reads a workbook in the layout that the XLSX output writes,
// so that an analyst can fix a figure in Excel and feed the workbook back:
//
//   - a sheet named after a kind's table (investment_totals, ...), or a
//     continuation sheet of one (investment_totals_2, ...), holds records of
//     that kind: a header row of column names, then one record per row. The
//     kind column may be left out or empty; when given it must name the
//     sheet's kind.
//   - the sheet "sources" holds sources, with the same header convention;
//   - the sheet "about" is ignored; any other sheet is a problem.
//
// The header is the first row that is not empty; empty rows are skipped.
// Columns the outputs compute (source_title, quote_verified, input_file,
// input_line) are ignored: the pipeline computes them again. Cells are read
// raw (excelize's RawCellValue): a number in an integer column must be
// whole; a number in a date column is an Excel date serial (in the
// workbook's 1900 or 1904 date system) and becomes YYYY-MM-DD, and text
// YYYY-MM-DD is taken as it is; lists are ";"-joined text; an empty cell is
// an absent value. A text path in the sources sheet (text) is relative to
// the workbook's directory, as in any other dataset file.
//
// Positions are cells: Line is the row, Column the column number and Sheet
// the sheet, so that a problem reads figures.xlsx:enterprise_counts!E2.
//
// A workbook is a zip archive of XML parts, and a hostile one can be a zip
// bomb, so before excelize opens it the reader checks, in this order and
// without unpacking anything that it has not bounded first:
//
//  1. the file's size (Limits.MaxXLSXBytes), from the file system for a file
//     on disk, which is opened for random access rather than read into
//     memory; other content is read into memory up to that size;
//  2. that it is a zip archive, not an encrypted (or .xls) compound file;
//  3. the zip directory: at most xlsxMaxDirBytes of it; the sizes its
//     entries declare (Limits.MaxXLSXUnzipBytes in all; the parts excelize
//     keeps in memory at most xlsxMaxInMemory; no part over 1 MiB packed
//     more than xlsxMaxRatio to 1, the mark of a zip bomb);
//  4. the sheets the workbook part lists: at most xlsxMaxSheets, each its
//     own part;
//  5. every XML part that the pass reads, streamed through encoding/xml
//     with no element or text (and no worksheet row) over
//     Limits.MaxLineBytes: archive/zip stops a part that inflates past its
//     declared size, so nothing inflates further than step 3 allowed. A
//     worksheet's rows and cells must come in increasing order. excelize
//     stops reading a sheet silently at malformed XML, and misplaces cells
//     given out of order; this check makes both an error instead.
//
// Reading a workbook therefore unpacks its sheets twice: once for the check
// and once for excelize. The pass that reads only sources (Options.Only)
// skips checking the other sheets.
type xlsxReader struct {
	file File
	src  io.Reader
	opts Options

	started, done bool
	// checked is the file on disk as it was when its checks began.
	checked  os.FileInfo
	wb       *excelize.File
	cleanup  runtime.Cleanup
	date1904 bool
	sheets   []*xlsxSheet // still to read, in workbook order
	cur      *xlsxSheet
	rows     *excelize.Rows
}

// xlsxSheet is one sheet to read and what its header says.
type xlsxSheet struct {
	name  string
	kind  *schema.Kind // nil for the sources sheet
	table *schema.Table
	file  string

	// problem, for a sheet that is not read, is the item that reports it.
	problem *Item

	row       int // the row read last
	headerRow int // 0 until the header is read
	names     []string
	cols      []*schema.Column // per header cell; nil when the column is not read
	kindCol   int
}

// The sheets of a workbook that are not a kind's.
const (
	xlsxSourcesSheet = "sources"
	xlsxAboutSheet   = "about"
)

// Fixed limits of the XLSX reader, besides Limits (documented there).
const (
	xlsxMaxDirBytes = 4 << 20
	xlsxMaxInMemory = 128 << 20
	// xlsxXMLInMemory is excelize's UnzipXMLSizeLimit: worksheets and
	// shared strings larger than it go to temporary files.
	xlsxXMLInMemory = 16 << 20
	xlsxMaxRatio    = 100
	xlsxRatioFrom   = 1 << 20
	xlsxMaxDepth    = 256
	xlsxMinElement  = 64 << 10
	xlsxLastSerial  = 2958465 // 9999-12-31 in the 1900 date system
	xlsxSerial1904  = 1462    // 1904-01-01 in the 1900 date system, 0 in the 1904 one
	// xlsxMaxSheets bounds the sheets of a workbook: export writes one per
	// kind (and one more for each 1,048,575 records), sources and about,
	// about 30 for ten million records.
	xlsxMaxSheets = 1000
)

func newXLSXReader(file File, r io.Reader, opts Options) *xlsxReader {
	return &xlsxReader{file: file, src: r, opts: opts}
}

func (x *xlsxReader) Next() (it *Item, err error) {
	// A panic in excelize (or here) on a hostile file ends the file with an
	// internal error (exit 2 in the command), not a crash. It is not an
	// *Error, so the fuzz test still catches it.
	defer func() {
		if p := recover(); p != nil {
			x.Close()
			it, err = nil, fmt.Errorf("reading %s: internal error in the XLSX reader: %v", x.file.Path, p)
		}
	}()
	if x.done {
		return nil, io.EOF
	}
	if !x.started {
		x.started = true
		if err := x.open(); err != nil {
			x.Close()
			return nil, err
		}
	}
	for {
		if x.rows == nil {
			if len(x.sheets) == 0 {
				x.Close()
				return nil, io.EOF
			}
			sh := x.sheets[0]
			x.sheets = x.sheets[1:]
			if sh.problem != nil {
				return sh.problem, nil
			}
			rows, err := x.wb.Rows(sh.name)
			if err != nil {
				x.Close()
				return nil, x.fail(Position{File: x.file.Path, Sheet: sh.name}, RuleSyntax, ErrSyntax,
					"sheet %s cannot be read: %v", sh.name, err)
			}
			x.cur, x.rows = sh, rows
		}
		it, err := x.nextRow()
		if err != nil {
			x.Close()
			return nil, err
		}
		if it != nil {
			return it, nil
		}
	}
}

// Close releases the workbook (excelize's temporary files). Next closes it
// at the end of the file or at an error; Close is for a caller that stops
// reading earlier, and may be called more than once.
func (x *xlsxReader) Close() error {
	x.done = true
	var err error
	if x.rows != nil {
		x.rows.Close()
		x.rows = nil
	}
	if x.wb != nil {
		x.cleanup.Stop()
		err = x.wb.Close()
		x.wb = nil
	}
	return err
}

func (x *xlsxReader) fail(pos Position, rule string, err error, format string, args ...any) *Error {
	return &Error{Pos: pos, Rule: rule, Err: err, Message: fmt.Sprintf(format, args...)}
}

// nextRow returns the next item of the current sheet, nil at its end.
func (x *xlsxReader) nextRow() (*Item, error) {
	sh := x.cur
	for x.rows.Next() {
		sh.row++
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, x.fail(sh.pos(1), RuleSyntax, ErrSyntax, "row %d cannot be read: %v", sh.row, err)
		}
		if isEmptyRow(cells) {
			continue
		}
		if sh.headerRow == 0 {
			if it := sh.header(cells, x.opts.Limits.MaxFieldBytes); it != nil {
				return it, nil
			}
			continue
		}
		return x.item(sh, cells), nil
	}
	err := x.rows.Close()
	x.rows = nil
	if err != nil {
		return nil, x.fail(Position{File: x.file.Path, Sheet: sh.name}, RuleSyntax, ErrSyntax,
			"sheet %s cannot be read after row %d: %v", sh.name, sh.row, err)
	}
	return nil, nil
}

func isEmptyRow(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

func (sh *xlsxSheet) pos(col int) Position {
	return Position{File: sh.file, Sheet: sh.name, Line: sh.row, Column: col}
}

// header reads the header row, returning an item with its problems, if any.
func (sh *xlsxSheet) header(cells []string, maxField int) *Item {
	sh.headerRow = sh.row
	sh.names = slices.Clone(cells)
	sh.cols = make([]*schema.Column, len(cells))
	sh.kindCol = -1
	var problems []*Error
	seen := map[string]int{}
	for i, name := range cells {
		if name == "" {
			continue
		}
		pos := sh.pos(i + 1)
		if len(name) > maxField {
			problems = append(problems, valueTooLong(pos, "", len(name), maxField, true))
			continue
		}
		if first, dup := seen[name]; dup {
			problems = append(problems, errorf(pos, name, RuleDuplicateKey,
				"column %q appears twice in the header (first in column %s); remove one", name, columnName(first+1)))
			continue
		}
		seen[name] = i
		if name == "kind" && sh.kind != nil {
			sh.kindCol = i
			continue
		}
		c, ok := sh.table.Column(name)
		switch {
		case !ok:
			problems = append(problems, unknownField(pos, name, sh.table))
		case !c.Computed: // computed columns are computed again, never read
			sh.cols[i] = c
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &Item{Pos: problems[0].Pos, Problems: problems}
}

// item reads one data row.
func (x *xlsxReader) item(sh *xlsxSheet, cells []string) *Item {
	var fields []field
	var problems []*Error
	var unread []fieldPos // fields whose cell could not be converted
	if sh.kind != nil {
		// The sheet says the kind; a kind cell may only agree.
		pos := sh.pos(1)
		if sh.kindCol >= 0 && sh.kindCol < len(cells) && cells[sh.kindCol] != "" {
			pos = sh.pos(sh.kindCol + 1)
			if got := cells[sh.kindCol]; got != sh.kind.Name {
				msg := fmt.Sprintf("kind %q does not match sheet %s, which holds %s records; write %s or leave the cell empty",
					got, sh.name, sh.kind.Name, sh.kind.Name)
				if k, ok := schema.LookupKind(got); ok {
					msg += fmt.Sprintf(", or move the row to sheet %s", k.Plural)
				}
				problems = append(problems, &Error{Pos: pos, Field: "kind", Rule: RuleKind, Message: msg})
			}
		}
		fields = append(fields, field{key: "kind", keyPos: pos, val: node{kind: nodeText, text: sh.kind.Name, pos: pos}})
	}
	for i, cell := range cells {
		if cell == "" || i == sh.kindCol {
			continue
		}
		pos := sh.pos(i + 1)
		if i >= len(sh.names) || sh.names[i] == "" {
			problems = append(problems, errorf(pos, "", RuleUnknownField,
				"this cell is in a column without a name in the header (row %d); write the column's name there or clear the cell", sh.headerRow))
			continue
		}
		c := sh.cols[i]
		if c == nil {
			continue // unknown or repeated (reported with the header), or computed
		}
		text, p := x.cellText(c, cell, pos)
		if p != nil {
			problems = append(problems, p)
			unread = append(unread, fieldPos{name: c.Name, index: -1, pos: pos})
			continue
		}
		fields = append(fields, field{key: c.Name, keyPos: pos, val: node{kind: nodeText, text: text, pos: pos}})
	}
	it := buildItem(sh.pos(1), fields, sh.kind == nil, x.opts.Limits.MaxFieldBytes)
	it.Problems = append(problems, it.Problems...)
	it.fields = append(it.fields, unread...)
	// An absent value is at its empty cell, so that a missing as_of points
	// there, not at the record's first cell.
	for i, c := range sh.cols {
		if c != nil && (i >= len(cells) || cells[i] == "") {
			it.fields = append(it.fields, fieldPos{name: c.Name, index: -1, pos: sh.pos(i + 1)})
		}
	}
	return it
}

// cellText turns a raw cell value into the text setField reads, as a CSV
// cell holds it.
func (x *xlsxReader) cellText(c *schema.Column, s string, pos Position) (string, *Error) {
	switch c.Type {
	case schema.Integer:
		// A whole number may come back in exponent form (1E+21); anything
		// else is left to setField, which reports it.
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			if f, ok := parseNumber(s); ok && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
				return strconv.FormatInt(int64(f), 10), nil
			}
		}
	case schema.Number:
		// A number cell holds a double, which the workbook writes with up
		// to 17 digits: it stands for the decimal of 15 digits that Excel
		// shows (and that export wrote).
		if f, ok := parseNumber(s); ok && !math.IsNaN(f) && !math.IsInf(f, 0) && strings.ContainsAny(s, "eE.") {
			return strconv.FormatFloat(f, 'g', schema.MaxDigits, 64), nil
		}
	case schema.Date:
		f, ok := parseNumber(s)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return s, nil // text, such as 2008-09-30; validation checks it
		}
		if f != math.Trunc(f) {
			return "", errorf(pos, c.Name, RuleType,
				"must be a date without a time of day; got the date and time %s (Excel serial %s)", x.serialText(f), s)
		}
		// From 1900-03-01: Excel's 1900 system has a false 1900-02-29
		// (serial 60), and Excel and LibreOffice read the serials 1 to 60
		// as different days, so neither is guessed. export writes the
		// days before 1900-03-01 as text.
		first, firstDate := 61.0, "1900-03-01"
		if x.date1904 {
			first, firstDate = 0, "1904-01-01"
		}
		if f < first || f > x.lastSerial() {
			return "", errorf(pos, c.Name, RuleType,
				"must be a date from %s to 9999-12-31; got the number %s (write an earlier date as text, YYYY-MM-DD)", firstDate, s)
		}
		t, err := excelize.ExcelDateToTime(f, x.date1904)
		if err != nil {
			return "", errorf(pos, c.Name, RuleType, "must be a date; got the number %s: %v", s, err)
		}
		return t.Format("2006-01-02"), nil
	}
	return s, nil
}

// parseNumber parses a number cell's raw value.
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return f, true
}

// lastSerial is the serial of 9999-12-31 in the workbook's date system.
func (x *xlsxReader) lastSerial() float64 {
	if x.date1904 {
		return xlsxLastSerial - xlsxSerial1904
	}
	return xlsxLastSerial
}

func (x *xlsxReader) serialText(f float64) string {
	if f < 0 || f > x.lastSerial()+1 {
		return "out of range"
	}
	t, err := excelize.ExcelDateToTime(f, x.date1904)
	if err != nil {
		return "out of range"
	}
	return t.Format("2006-01-02 15:04:05")
}

// open checks the workbook, opens it with excelize and plans the sheets to
// read.
func (x *xlsxReader) open() error {
	lim := x.opts.Limits
	ra, size, closer, err := x.source()
	if closer != nil {
		defer closer.Close()
	}
	if err != nil {
		return err
	}
	if err := x.checkMagic(ra, size); err != nil {
		return err
	}
	zr, err := x.openZip(ra, size)
	if err != nil {
		return err
	}
	parts, err := x.checkDirectory(zr)
	if err != nil {
		return err
	}
	book, perr := x.sheetParts(parts)
	if perr != nil {
		return perr
	}
	names, sheetOf := book.names, book.sheetOf
	// The pass for sources reads only the sources sheet: the others need
	// no check (the pass for records checks them).
	skipped := map[string]bool{}
	if !x.opts.wantRecords() {
		for n, p := range book.partOf {
			if n != xlsxSourcesSheet {
				skipped[p] = true
			}
		}
	}
	for _, zf := range zr.File {
		name := xlsxPartName(zf)
		if skipped[name] || (book.checked[name] && sheetOf[name] == "") {
			continue
		}
		if err := x.checkPart(zf, name, sheetOf[name]); err != nil {
			return err
		}
	}

	eo := excelize.Options{RawCellValue: true, UnzipSizeLimit: lim.MaxXLSXUnzipBytes,
		UnzipXMLSizeLimit: min(xlsxXMLInMemory, lim.MaxXLSXUnzipBytes)}
	var wb *excelize.File
	if x.file.disk != "" {
		wb, err = excelize.OpenFile(x.file.disk, eo)
	} else {
		wb, err = excelize.OpenReader(io.NewSectionReader(ra, 0, size), eo)
	}
	if err != nil {
		if wb != nil {
			wb.Close()
		}
		return x.fail(Position{File: x.file.Path}, RuleSyntax, ErrSyntax,
			"not a valid XLSX workbook: %v; open it in Excel and save it again as an Excel Workbook (.xlsx)", err)
	}
	x.wb = wb
	// Should a caller stop reading early without Close, the temporary
	// files go when the reader is collected.
	x.cleanup = runtime.AddCleanup(x, func(wb *excelize.File) { wb.Close() }, wb)
	// excelize opened the file again by name: it must be the one checked.
	if x.checked != nil {
		if err := sameFile(x.checked, x.file.disk); err != nil {
			return err
		}
	}
	list := wb.GetSheetList()
	if !slices.Equal(list, names) {
		// excelize found other sheets than xlsxSheetParts: check what was
		// skipped after all.
		for _, zf := range zr.File {
			if name := xlsxPartName(zf); skipped[name] {
				if err := x.checkPart(zf, name, sheetOf[name]); err != nil {
					return err
				}
			}
		}
	}
	if props, err := wb.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	return x.plan(list)
}

// plan lists the sheets to read and the problems with the others.
func (x *xlsxReader) plan(list []string) error {
	seen := map[string]string{}
	for _, name := range list {
		if name == "" {
			// Excel does not allow it, and a position in it could not
			// name its sheet.
			return x.fail(Position{File: x.file.Path}, RuleSyntax, ErrSyntax,
				"the workbook has a sheet without a name; Excel does not allow that: name it, or delete it")
		}
		lower := strings.ToLower(name)
		if first, dup := seen[lower]; dup {
			// excelize looks sheets up ignoring case: which one it read
			// would be left to chance.
			return x.fail(Position{File: x.file.Path, Sheet: name}, RuleSyntax, ErrSyntax,
				"the workbook has two sheets named %q and %q; Excel does not allow that, and neither can be read reliably: rename one", first, name)
		}
		seen[lower] = name
		sh := &xlsxSheet{name: name, file: x.file.Path}
		switch k := xlsxSheetKind(name); {
		case k != nil:
			sh.kind, sh.table = k, k.Table()
			if x.opts.wantRecords() {
				x.sheets = append(x.sheets, sh)
			}
		case name == xlsxSourcesSheet:
			sh.table = schema.SourceTable()
			if x.opts.wantSources() {
				x.sheets = append(x.sheets, sh)
			}
		case name == xlsxAboutSheet:
		default:
			if x.opts.wantRecords() {
				pos := Position{File: x.file.Path, Sheet: name, Line: 1, Column: 1}
				sh.problem = &Item{Pos: pos, Problems: []*Error{errorf(pos, "", RuleUnknownField,
					"unknown sheet %q; the sheets a workbook may have are %s (and their continuations, such as %s_2), %s and %s; rename the sheet or delete it",
					name, strings.Join(xlsxKindSheets(), ", "), schema.Kinds()[0].Plural, xlsxSourcesSheet, xlsxAboutSheet)}}
				x.sheets = append(x.sheets, sh)
			}
		}
	}
	return nil
}

// xlsxSheetKind returns the kind whose records a sheet of that name holds:
// the kind's table (investment_totals) or a continuation of it
// (investment_totals_2, _3, ...).
func xlsxSheetKind(name string) *schema.Kind {
	for _, k := range schema.Kinds() {
		if name == k.Plural {
			return k
		}
		if n, ok := strings.CutPrefix(name, k.Plural+"_"); ok {
			if v, err := strconv.Atoi(n); err == nil && v >= 2 && strconv.Itoa(v) == n {
				return k
			}
		}
	}
	return nil
}

func xlsxKindSheets() []string {
	var names []string
	for _, k := range schema.Kinds() {
		names = append(names, k.Plural)
	}
	return names
}

// sizedReaderAt is a ReaderAt that knows its size (bytes.Reader,
// strings.Reader, io.SectionReader).
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// source returns the workbook's bytes for random access: the file on disk,
// or the content read into memory, within MaxXLSXBytes either way.
func (x *xlsxReader) source() (io.ReaderAt, int64, io.Closer, error) {
	max := x.opts.Limits.MaxXLSXBytes
	tooBig := func(size string) error { return fileTooBig(x.file, x.opts.Limits, size) }
	if x.file.disk != "" {
		f, err := os.Open(x.file.disk)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("reading %s: %w", x.file.Path, err)
		}
		fi, err := f.Stat()
		if err != nil {
			return nil, 0, f, fmt.Errorf("reading %s: %w", x.file.Path, err)
		}
		if fi.Size() > max {
			return nil, 0, f, tooBig(fmt.Sprintf("%d bytes", fi.Size()))
		}
		x.checked = fi
		return f, fi.Size(), f, nil
	}
	if ra, ok := x.src.(sizedReaderAt); ok {
		if ra.Size() > max {
			return nil, 0, nil, tooBig(fmt.Sprintf("%d bytes", ra.Size()))
		}
		return ra, ra.Size(), nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(x.src, max+1))
	if err != nil {
		return nil, 0, nil, fmt.Errorf("reading %s: %w", x.file.Path, err)
	}
	if int64(len(b)) > max {
		return nil, 0, nil, tooBig("more than " + FormatSize(max))
	}
	return bytes.NewReader(b), int64(len(b)), nil, nil
}

// sameFile checks that the file excelize opened by name, and has read, is
// still the one checked: the same file, of the size and time it had before
// the check (a file changed in place keeps its identity).
func sameFile(checked os.FileInfo, name string) error {
	now, err := os.Stat(name)
	if err != nil || !os.SameFile(checked, now) || checked.Size() != now.Size() || !checked.ModTime().Equal(now.ModTime()) {
		return fmt.Errorf("reading %s: the file changed while it was read", name)
	}
	return nil
}

var (
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	zipMagic = []byte("PK\x03\x04")
	zipEmpty = []byte("PK\x05\x06")
)

func (x *xlsxReader) checkMagic(ra io.ReaderAt, size int64) error {
	head := make([]byte, min(size, 8))
	if _, err := ra.ReadAt(head, 0); err != nil && err != io.EOF {
		return fmt.Errorf("reading %s: %w", x.file.Path, err)
	}
	pos := Position{File: x.file.Path}
	switch {
	case size == 0:
		return x.fail(pos, RuleSyntax, ErrSyntax, "the file is empty; an .xlsx workbook is a zip archive of the sheets export writes")
	case bytes.Equal(head, oleMagic):
		return x.fail(pos, RuleUnsupported, ErrSyntax,
			"the workbook is encrypted (password-protected) or in the old .xls format; save it in Excel as an Excel Workbook (.xlsx) without a password")
	case !bytes.HasPrefix(head, zipMagic) && !bytes.HasPrefix(head, zipEmpty):
		return x.fail(pos, RuleSyntax, ErrSyntax,
			"not an XLSX workbook: an .xlsx file is a zip archive, but this one starts with %q; is it another kind of file renamed to .xlsx?", head)
	}
	return nil
}

// budgetReaderAt fails reads past a budget, while the budget is on.
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64
	on   bool
}

var errDirTooBig = errors.New("zip directory too big")

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.on {
		if int64(len(p)) > b.left {
			return 0, errDirTooBig
		}
		b.left -= int64(len(p))
	}
	return b.r.ReadAt(p, off)
}

func (x *xlsxReader) openZip(ra io.ReaderAt, size int64) (*zip.Reader, error) {
	// archive/zip reads the end record (up to 65 KiB) and the directory.
	b := &budgetReaderAt{r: ra, left: xlsxMaxDirBytes + 66<<10, on: true}
	zr, err := zip.NewReader(b, size)
	b.on = false
	pos := Position{File: x.file.Path}
	switch {
	case errors.Is(err, errDirTooBig):
		return nil, x.fail(pos, RuleLimit, ErrLimit,
			"the workbook's zip directory is larger than %d bytes; a workbook lists a few dozen parts", xlsxMaxDirBytes)
	case err != nil:
		return nil, x.fail(pos, RuleSyntax, ErrSyntax,
			"not a valid XLSX workbook: %v; is the file complete? Open it in Excel and save it again", err)
	}
	return zr, nil
}

func xlsxPartName(zf *zip.File) string { return strings.ReplaceAll(zf.Name, `\`, "/") }

// checkDirectory checks the sizes the zip directory declares (see
// xlsxReader) and returns the parts by name.
func (x *xlsxReader) checkDirectory(zr *zip.Reader) (map[string]*zip.File, error) {
	lim := x.opts.Limits
	pos := Position{File: x.file.Path}
	xmlInMemory := uint64(min(xlsxXMLInMemory, lim.MaxXLSXUnzipBytes))
	parts := make(map[string]*zip.File, len(zr.File))
	var total, inMemory uint64
	for _, zf := range zr.File {
		name := xlsxPartName(zf)
		if _, dup := parts[name]; dup {
			return nil, x.fail(pos, RuleSyntax, ErrSyntax, "the workbook is damaged: it holds two parts named %s", name)
		}
		parts[name] = zf
		size := zf.UncompressedSize64
		if size > uint64(lim.MaxXLSXUnzipBytes) || total+size > uint64(lim.MaxXLSXUnzipBytes) {
			return nil, x.fail(pos, RuleLimit, ErrLimit,
				"the workbook unpacks to more than %d bytes (%s alone declares %d); is it a zip bomb? If it is a real workbook, it is too large to read",
				lim.MaxXLSXUnzipBytes, name, size)
		}
		total += size
		if size >= xlsxRatioFrom && zf.Method != zip.Store && size/max(zf.CompressedSize64, 1) >= xlsxMaxRatio {
			return nil, x.fail(pos, RuleLimit, ErrLimit,
				"%s is packed %d to 1 (%d bytes into %d), more than a workbook's %d to 1: a zip bomb?",
				name, size/max(zf.CompressedSize64, 1), size, zf.CompressedSize64, xlsxMaxRatio)
		}
		// What excelize keeps in memory (ReadZipReader): all but the
		// worksheets and shared strings larger than UnzipXMLSizeLimit.
		lower := strings.ToLower(name)
		spooled := size > xmlInMemory && (lower == "xl/sharedstrings.xml" || strings.HasPrefix(lower, "xl/worksheets/sheet"))
		if !spooled {
			if inMemory += size; inMemory > xlsxMaxInMemory {
				return nil, x.fail(pos, RuleLimit, ErrLimit,
					"the workbook's parts other than large worksheets unpack to more than %d bytes; is it a zip bomb?", xlsxMaxInMemory)
			}
		}
	}
	return parts, nil
}

// boundedReader stops a read once more than limit bytes were read past the
// mark.
type boundedReader struct {
	r          io.Reader
	read, mark int64
	limit      int64
}

var errPartTooLong = errors.New("XML element too long")

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.read-b.mark > b.limit {
		return 0, errPartTooLong
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// checkPart streams one part of the workbook through encoding/xml (see
// xlsxReader), when it is XML: a worksheet (sheet is its name), the shared
// strings, or a part whose name ends in .xml or .rels. Other parts are read
// by excelize, which checks their checksums.
func (x *xlsxReader) checkPart(zf *zip.File, name, sheet string) *Error {
	lower := strings.ToLower(name)
	if sheet == "" && !strings.HasSuffix(lower, ".xml") && !strings.HasSuffix(lower, ".rels") {
		return nil
	}
	limit := int64(x.opts.Limits.MaxLineBytes)
	// Outside rows, at least xlsxMinElement: the root element of a part
	// declares a few KiB of namespaces.
	elemLimit := max(limit, xlsxMinElement)
	row := 0
	where := "part " + name
	if sheet != "" {
		where = "sheet " + sheet + " (part " + name + ")"
	}
	fail := func(rule string, err error, format string, args ...any) *Error {
		pos := Position{File: x.file.Path, Sheet: sheet}
		if row > 0 && sheet != "" {
			pos.Line, pos.Column = row, 1
		}
		return x.fail(pos, rule, err, format, args...)
	}
	rc, err := zf.Open()
	if err != nil {
		return fail(RuleSyntax, ErrSyntax, "the workbook is damaged: %s cannot be unpacked: %v", name, err)
	}
	defer rc.Close()
	const readAhead = 4096
	br := &boundedReader{r: rc, limit: elemLimit + readAhead}
	d := xml.NewDecoder(bufio.NewReaderSize(br, readAhead))
	var (
		depth, rowDepth int
		inRow           bool
		rowStart, prev  int64
		col             int
		// Rows are those of a worksheet that excelize's Rows reads: every
		// <row> up to the first </sheetData>. Other parts (docProps,
		// externalLinks) have elements named row of their own.
		rows = sheet != ""
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			switch {
			case errors.Is(err, errPartTooLong):
				if inRow {
					return fail(RuleLimit, ErrLimit, "row %d of %s is longer than %d bytes of XML", row, where, limit)
				}
				return fail(RuleLimit, ErrLimit, "%s holds an XML element or text longer than %d bytes", where, elemLimit)
			case errors.Is(err, zip.ErrFormat):
				return fail(RuleLimit, ErrLimit,
					"%s unpacks to more than the %d bytes its zip entry declares: the workbook is damaged, or a zip bomb", name, zf.UncompressedSize64)
			case errors.Is(err, zip.ErrChecksum):
				return fail(RuleSyntax, ErrSyntax, "the workbook is damaged: %s does not match its checksum", name)
			case errors.As(err, &se):
				return fail(RuleSyntax, ErrSyntax,
					"the workbook is damaged: %s is not well-formed XML (line %d of the part: %s); open it in Excel and save it again", where, se.Line, se.Msg)
			}
			return fail(RuleSyntax, ErrSyntax, "the workbook is damaged: %s cannot be read: %v", where, err)
		}
		off := d.InputOffset()
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > xlsxMaxDepth {
				return fail(RuleLimit, ErrLimit, "%s nests XML elements more than %d deep", where, xlsxMaxDepth)
			}
			switch {
			case rows && t.Name.Local == "row":
				n := row + 1
				if r, ok := xmlAttr(t, "r"); ok {
					v, err := strconv.Atoi(r)
					if err != nil || v <= row || v > excelize.TotalRows {
						return fail(RuleSyntax, ErrSyntax,
							"the workbook is damaged: %s has row number %q after row %d; rows must come in increasing order, up to %d",
							where, r, row, excelize.TotalRows)
					}
					n = v
				}
				row, inRow, rowDepth, rowStart, col = n, true, depth, prev, 0
			case t.Name.Local == "c" && inRow && depth == rowDepth+1:
				c := col + 1
				if r, ok := xmlAttr(t, "r"); ok {
					v, _, err := excelize.CellNameToCoordinates(r)
					switch {
					case err != nil:
						return fail(RuleSyntax, ErrSyntax,
							"the workbook is damaged: %s row %d has a cell with the reference %q, which is not a cell such as B2; open it in Excel and save it again",
							where, row, r)
					case v <= col:
						return fail(RuleSyntax, ErrSyntax,
							"the workbook is damaged: %s row %d has cell %q after column %s; cells must come in increasing order",
							where, row, r, columnName(col))
					}
					c = v
				}
				col = c
			}
		case xml.EndElement:
			depth--
			switch {
			case inRow && t.Name.Local == "row" && depth < rowDepth:
				inRow = false
			case rows && t.Name.Local == "sheetData":
				rows = false
			}
		}
		if inRow {
			if off-rowStart > limit {
				return fail(RuleLimit, ErrLimit, "row %d of %s is longer than %d bytes of XML", row, where, limit)
			}
			br.mark = rowStart
		} else {
			if off-prev > elemLimit {
				return fail(RuleLimit, ErrLimit, "%s holds an XML element or text longer than %d bytes", where, elemLimit)
			}
			br.mark = off
		}
		prev = off
	}
}

func xmlAttr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// The relationship types of the workbook part, transitional and strict.
const (
	relOfficeDocument       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relStrictOfficeDocument = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
)

type xlsxRelsXML struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xlsxBookSheet is a <sheet> of the workbook part.
type xlsxBookSheet struct {
	Name string `xml:"name,attr"`
	RID  string `xml:"id,attr"`
}

// errTooManySheets ends readBookSheets at the sheet past its maximum.
var errTooManySheets = errors.New("too many sheets")

// xlsxBook is what the workbook part and its relationships say.
type xlsxBook struct {
	names   []string          // the sheets, in order
	partOf  map[string]string // the part of each sheet that has one
	sheetOf map[string]string // the sheet of each part
	checked map[string]bool   // the parts checkPart checked, as no worksheet
}

// sheetParts returns the workbook's sheets and their parts, found as
// excelize finds them (getWorkbookPath, getSheetMap, getWorksheetPath), or
// the error that ends the file: the workbook part cannot be read (excelize
// could not open it either), it lists more than xlsxMaxSheets sheets, or
// two sheets are one part. The parts it reads are small (checkDirectory
// bounded what is kept in memory), and checkPart checks each before it is
// decoded: encoding/xml holds every open element, so that 15 MB of
// elements nested in each other would take it 400 MB.
func (x *xlsxReader) sheetParts(parts map[string]*zip.File) (*xlsxBook, *Error) {
	pos := Position{File: x.file.Path}
	damaged := func(err error) *Error {
		return x.fail(pos, RuleSyntax, ErrSyntax,
			"not a valid XLSX workbook: %v; open it in Excel and save it again as an Excel Workbook (.xlsx)", err)
	}
	wb := &xlsxBook{checked: map[string]bool{}}
	check := func(name string) *Error {
		zf := parts[name]
		if zf == nil || wb.checked[name] {
			return nil // readSmallXML reports a missing part
		}
		wb.checked[name] = true
		return x.checkPart(zf, name, "")
	}
	var root xlsxRelsXML
	if e := check("_rels/.rels"); e != nil {
		return nil, e
	}
	if err := readSmallXML(parts, "_rels/.rels", &root); err != nil {
		return nil, damaged(err)
	}
	book := ""
	for _, r := range root.Rels {
		if r.Type == relOfficeDocument || r.Type == relStrictOfficeDocument {
			book = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if book == "" {
		return nil, damaged(errors.New("_rels/.rels names no workbook part"))
	}
	// The sheets are counted before anything else is read: excelize pairs
	// every sheet with every relationship, so that a workbook of 175 KB
	// with 16,000 sheets would take it seconds to open.
	if e := check(book); e != nil {
		return nil, e
	}
	sheets, err := readBookSheets(parts, book, xlsxMaxSheets)
	if errors.Is(err, errTooManySheets) {
		return nil, x.fail(pos, RuleLimit, ErrLimit,
			"the workbook has more than %d sheets, the limit for a workbook; export writes one sheet per kind (and one more for each 1,048,575 records), sources and about: delete the sheets that hold no dataset, or split the workbook",
			xlsxMaxSheets)
	}
	if err != nil {
		return nil, damaged(err)
	}
	var rels xlsxRelsXML
	relsName := path.Join(path.Dir(book), "_rels", path.Base(book)+".rels")
	if e := check(relsName); e != nil {
		return nil, e
	}
	if err := readSmallXML(parts, relsName, &rels); err != nil {
		return nil, damaged(err)
	}
	// The part of each relationship that exists, indexed by Id: the last
	// one for an Id given twice, as excelize takes it.
	target := make(map[string]string, len(rels.Rels))
	for _, r := range rels.Rels {
		p := strings.TrimPrefix(path.Clean(path.Dir(book)+"/"+r.Target), "/")
		if strings.HasPrefix(r.Target, "/") {
			p = strings.TrimPrefix(path.Clean(r.Target), "/")
		}
		if parts[p] != nil {
			target[r.ID] = p
		}
	}
	wb.partOf = make(map[string]string, len(sheets))
	wb.sheetOf = make(map[string]string, len(sheets))
	for _, s := range sheets {
		wb.names = append(wb.names, s.Name)
		p, ok := target[s.RID]
		if !ok {
			continue // excelize reports the sheet when it is read
		}
		if first, dup := wb.sheetOf[p]; dup {
			// excelize would read the one part as both sheets.
			return nil, x.fail(Position{File: x.file.Path, Sheet: s.Name}, RuleSyntax, ErrSyntax,
				"the workbook is damaged: sheets %q and %q are the same part, %s; open it in Excel and save it again", first, s.Name, p)
		}
		wb.sheetOf[p] = s.Name
		wb.partOf[s.Name] = p
	}
	return wb, nil
}

// readBookSheets streams the workbook part and returns its sheets (the
// <sheet> elements of <sheets>, as excelize's xlsxWorkbook takes them), or
// errTooManySheets at the one past max.
func readBookSheets(parts map[string]*zip.File, book string, max int) ([]xlsxBookSheet, error) {
	zf := parts[book]
	if zf == nil {
		return nil, fmt.Errorf("it has no part %s", book)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", book, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var sheets []xlsxBookSheet
	depth, inSheets := 0, false
	for {
		tok, err := d.Token()
		if err != nil {
			// Like xml.Decoder.Decode, which read it before: the root
			// element must be there, and complete.
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("%s: %w", book, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2:
				inSheets = t.Name.Local == "sheets"
			case depth == 3 && inSheets && t.Name.Local == "sheet":
				if len(sheets) == max {
					return nil, errTooManySheets
				}
				var s xlsxBookSheet
				if err := d.DecodeElement(&s, &t); err != nil {
					return nil, fmt.Errorf("%s: %w", book, err)
				}
				depth--
				sheets = append(sheets, s)
			}
		case xml.EndElement:
			if depth--; depth == 0 {
				return sheets, nil
			}
		}
	}
}

func readSmallXML(parts map[string]*zip.File, name string, v any) error {
	zf := parts[name]
	if zf == nil {
		return fmt.Errorf("it has no part %s", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rc.Close()
	// checkDirectory bounded the size: this part is one excelize holds in
	// memory.
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
