package input

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Position is a place in an input file. Line and Column count from 1; a zero
// Column means the format has no column for it, and a zero Line means the
// problem concerns the whole file (or, with Sheet, the whole sheet).
//
// In a workbook, Sheet names the worksheet, Line is the row number and
// Column the column number (A = 1), and the position reads as Excel writes a
// reference: figures.xlsx:enterprise_counts!E2.
type Position struct {
	File   string
	Line   int
	Column int
	Sheet  string
}

// String formats the position as file:line:column, leaving out what is
// unknown, or as file:sheet!cell in a workbook.
func (p Position) String() string {
	if p.Sheet != "" {
		return p.File + ":" + p.Cell()
	}
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	return s
}

// Cell returns a workbook position as Excel writes a reference: the sheet,
// then "!" and the cell (enterprise_counts!E2), the row (enterprise_counts!2:2)
// or nothing (enterprise_counts) when the position concerns the whole sheet.
// A sheet name other than letters, digits, "_" and "." is quoted, as Excel
// quotes it ('my sheet'!A1). Cell returns "" outside a workbook.
func (p Position) Cell() string {
	if p.Sheet == "" {
		return ""
	}
	s := p.Sheet
	if !plainSheetName(s) {
		s = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	switch {
	case p.Line <= 0:
		return s
	case p.Column <= 0:
		return s + "!" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Line)
	}
	return s + "!" + columnName(p.Column) + strconv.Itoa(p.Line)
}

// columnName returns the letters of a spreadsheet column number: 1 is A, 27
// is AA. (excelize.ColumnNumberToName returns an error past column XFD; a
// position is written whatever its column.)
func columnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append(b, byte('A'+(n-1)%26))
	}
	slices.Reverse(b)
	return string(b)
}

func plainSheetName(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r >= 0x80 && unicode.IsLetter(r):
		case i > 0 && (r >= '0' && r <= '9' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// Rules of reading problems, as they appear in reports.
const (
	RuleSyntax        = "syntax"         // the file is not well-formed
	RuleEncoding      = "encoding"       // invalid UTF-8
	RuleDuplicateKey  = "duplicate_key"  // a key given twice in one object
	RuleUnknownField  = "unknown_field"  // a key or CSV column the contract does not define
	RuleType          = "type"           // a value of the wrong type
	RuleKind          = "kind"           // a missing or unknown record kind
	RuleRaggedRow     = "ragged_row"     // a CSV row with a different number of cells than the header
	RuleNotApplicable = "not_applicable" // a CSV cell for a field of another kind
	RuleUnsupported   = "unsupported"    // a YAML feature the dataset format does not allow
	RuleLimit         = "limit"          // an input larger than the configured limits
	RuleDigits        = "digits"         // an amount with more digits or places than every output holds exactly
)

// ErrSyntax is wrapped by errors that end a file because it is not
// well-formed; ErrEncoding by those caused by invalid UTF-8.
var (
	ErrSyntax   = errors.New("syntax error")
	ErrEncoding = errors.New("invalid UTF-8")
	ErrLimit    = errors.New("input limit exceeded")
)

// Error is a reading problem at a position. Field is the contract's field
// name when the problem concerns one field.
type Error struct {
	Pos     Position
	Field   string
	Rule    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := e.Pos.String() + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Message + " [" + e.Rule + "]"
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(pos Position, field, rule, format string, args ...any) *Error {
	return &Error{Pos: pos, Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}
