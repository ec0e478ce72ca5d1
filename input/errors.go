package input

import (
	"errors"
	"fmt"
	"strconv"
)

// Position is a place in an input file. Line and Column count from 1; a zero
// Column means the format has no column for it, and a zero Line means the
// problem concerns the whole file.
type Position struct {
	File   string
	Line   int
	Column int
}

// String formats the position as file:line:column, leaving out what is unknown.
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	return s
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
