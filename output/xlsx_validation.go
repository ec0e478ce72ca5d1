package output

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/go-playground/validator/v10"
	"github.com/xuri/excelize/v2"

	"export/schema"
)

// The workbook guides an analyst who edits it with Excel's data
// validation, generated from package schema: every column of a sheet gets
// one, over the whole column below the header (rows added to a table are
// covered too), with an input message from the data dictionary (what the
// column means and its rules) and, where a spreadsheet can check the rule,
// a check that refuses a wrong value as it is typed ("stop"):
//
//   - a vocabulary (qualifier), a code list (ISO 3166-1 alpha-2 countries,
//     ISO 4217 currencies) and the kind column: a drop-down list. Excel
//     holds at most 255 characters of list in the validation itself; a
//     longer list is written on the about sheet and referred to by a
//     defined name (codes_iso4217, ...);
//   - a count, a page, a year: a whole number within the rule's bounds;
//   - an amount: a number within its bounds (a formula when a bound is
//     exclusive, greater than 0, which Excel's decimal rule cannot say);
//   - a date: a date Excel can hold (xlsxDateMin to 9999-12-31), as the
//     workbook reader accepts it;
//   - a text with a length rule: its length.
//
// A list held in one cell (sectors "trade;finance") cannot be a drop-down,
// and the other rules (a slug, the cross-field rules) no spreadsheet rule
// can state: their input message says them, and export validate checks
// them. Computed columns get an input message saying they are computed.
// Blank cells are allowed: a required field is checked by export validate.

// Excel's limits on a data validation's texts (in UTF-16 code units), past
// which Excel reports the workbook as damaged.
const (
	xlsxPromptTitleMax = 32
	xlsxPromptMax      = 255
	xlsxErrorTitleMax  = 32
	xlsxErrorMax       = 225
	xlsxListMax        = 255 // a list written in the validation itself
)

// The dates a date cell can hold, as Excel serial numbers: the workbook
// reader takes serials from 61 (1900-03-01; Excel's serials before it count
// a day that did not exist, 1900-02-29) to 9999-12-31.
const (
	xlsxDateMin = 61
	xlsxDateMax = 2958465
)

// xlsxCodeList is a rule whose values are the codes of a standard.
type xlsxCodeList struct {
	length int    // every code has this many capital letters
	label  string // the list's heading on the about sheet
}

// xlsxCodeLists are the rules of package schema whose values are the codes
// of a standard, which a drop-down can offer. The rules are validator/v10's
// own (built-in tags), and it keeps its lists unexported; a list taken
// from elsewhere disagrees with it (Debian's iso-codes 4.15 lacks XK, XCG
// and ZWG, which it accepts, and has ANG, CUC, HRK, SLL and ZWL, which it
// refuses), and a drop-down that disagreed would refuse valid codes or
// offer invalid ones. So a list is every string of the codes' shape that
// the validator accepts (xlsxCodes): exactly what export validate accepts.
// TestXLSXCodeLists checks each against schema.Validate and compares it
// with iso-codes.
var xlsxCodeLists = map[string]xlsxCodeList{
	"iso3166_1_alpha2": {2, "ISO 3166-1 alpha-2 country codes"},
	"iso4217":          {3, "ISO 4217 currency codes"},
}

// xlsxCodes returns the codes that validator's tag accepts, sorted; nil
// for a tag that is not in xlsxCodeLists. Enumerating them takes a few
// milliseconds, once per process.
func xlsxCodes(tag string) []string {
	if _, ok := xlsxCodeLists[tag]; !ok {
		return nil
	}
	return xlsxCodeCache()[tag]
}

var xlsxCodeCache = sync.OnceValue(func() map[string][]string {
	v := validator.New()
	lists := map[string][]string{}
	for tag, cl := range xlsxCodeLists {
		code := make([]byte, cl.length)
		var walk func(i int)
		walk = func(i int) {
			if i == len(code) {
				if s := string(code); v.Var(s, tag) == nil {
					lists[tag] = append(lists[tag], s)
				}
				return
			}
			for c := byte('A'); c <= 'Z'; c++ {
				code[i] = c
				walk(i + 1)
			}
		}
		walk(0)
	}
	return lists
})

// XLSXCodes returns the codes the workbook's drop-down offers for the
// values of validator tag (iso3166_1_alpha2, iso4217), or nil for a tag
// without a code list.
func XLSXCodes(tag string) []string { return slices.Clone(xlsxCodes(tag)) }

// xlsxList is a list of values too long for a validation's own formula,
// written on the about sheet under a defined name.
type xlsxList struct {
	name   string // the defined name: codes_TAG
	label  string
	values []string
}

// xlsxValidations builds the data validations of the workbook's sheets,
// and collects the long lists they refer to.
type xlsxValidations struct {
	lists []*xlsxList // in the order of first use
}

// add adds the data validations of a sheet's columns to sheet. kind is
// the kind's name for a kind's sheet ("" for sources), cross the kind's
// cross-field rules.
func (v *xlsxValidations) add(f *excelize.File, sheet string, cols []*schema.Column, kind string, cross []schema.CrossFieldRule) error {
	for i, c := range cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		dv, err := v.column(c, col, kind, columnRules(c, cross))
		if err != nil {
			return fmt.Errorf("sheet %s: column %s: data validation: %w", sheet, c.Name, err)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return fmt.Errorf("sheet %s: column %s: data validation: %w", sheet, c.Name, err)
		}
	}
	return nil
}

// columnRules returns column c's rules in words (the data dictionary's),
// with the cross-field rules it is reported under.
func columnRules(c *schema.Column, cross []schema.CrossFieldRule) string {
	rules := c.Describe()
	for _, r := range cross {
		if r.Field == c.Name {
			rules += "; " + r.Doc
		}
	}
	return rules
}

// column returns the data validation of column c, in column col of the
// sheet (from row 2 to the last row).
func (v *xlsxValidations) column(c *schema.Column, col, kind, rules string) (*excelize.DataValidation, error) {
	first := col + "2"
	dv := excelize.NewDataValidation(true)
	dv.Sqref = first + ":" + col + strconv.Itoa(excelize.TotalRows)
	check := true
	k := c.Constraints()
	switch {
	case c.Computed:
		check = false
	case c.Synthetic:
		if err := dv.SetDropList([]string{kind}); err != nil {
			return nil, err
		}
	case c.Type == schema.String:
		if values, label := listOf(c, k); values != nil {
			if err := v.setList(dv, values, label); err != nil {
				return nil, err
			}
			break
		}
		check = setLength(dv, k)
	case c.Type == schema.Integer:
		check = setBounds(dv, k, first, excelize.DataValidationTypeWhole)
	case c.Type == schema.Number:
		check = setBounds(dv, k, first, excelize.DataValidationTypeDecimal)
	case c.Type == schema.Date:
		if err := dv.SetRange(xlsxDateMin, xlsxDateMax, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return nil, err
		}
		rules += "; in a workbook, a date cell from 1900-03-01 to 9999-12-31"
	default: // a list in one cell, derived, a boolean: no spreadsheet rule
		check = false
	}
	dv.SetInput(clipUTF16(c.Name, xlsxPromptTitleMax), xlsxPrompt(c.Doc, rules))
	if check {
		dv.SetError(excelize.DataValidationErrorStyleStop, clipUTF16(c.Name, xlsxErrorTitleMax),
			clipUTF16(c.Name+": "+rules, xlsxErrorMax))
	}
	return dv, nil
}

// listOf returns the values a text column allows, when they are a list:
// its vocabulary, or the codes of its standard; and the list's label.
func listOf(c *schema.Column, k schema.Constraints) ([]string, string) {
	if len(k.Enum) > 0 {
		return k.Enum, c.Name
	}
	for _, r := range c.Rules {
		if codes := xlsxCodes(r.Tag); codes != nil {
			return codes, r.Tag
		}
	}
	return nil, ""
}

// setList makes dv a drop-down of values: in the validation when they fit,
// else from a list on the about sheet.
func (v *xlsxValidations) setList(dv *excelize.DataValidation, values []string, label string) error {
	if utf16Len(strings.Join(values, ",")) <= xlsxListMax {
		return dv.SetDropList(values)
	}
	name := "codes_" + label
	i := slices.IndexFunc(v.lists, func(l *xlsxList) bool { return l.name == name })
	if i < 0 {
		if cl, ok := xlsxCodeLists[label]; ok {
			label = cl.label
		}
		v.lists = append(v.lists, &xlsxList{name: name, label: label, values: values})
	}
	dv.SetSqrefDropList(name)
	return nil
}

// setLength checks a text's length, when a rule bounds it, and reports
// whether it did.
func setLength(dv *excelize.DataValidation, k schema.Constraints) bool {
	lo, hasLo := k.MinLength.(int64)
	hi, hasHi := k.MaxLength.(int64)
	switch {
	case hasLo && hasHi:
		_ = dv.SetRange(strconv.FormatInt(lo, 10), strconv.FormatInt(hi, 10), excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	case hasHi:
		_ = dv.SetRange(strconv.FormatInt(hi, 10), "", excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorLessThanOrEqual)
	case hasLo:
		_ = dv.SetRange(strconv.FormatInt(lo, 10), "", excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorGreaterThanOrEqual)
	default:
		return false
	}
	return true
}

// setBounds checks a number against the rule's bounds, and reports whether
// there were any. A whole number's exclusive bound is the next whole
// number; a decimal one with an exclusive bound and another bound is a
// formula (first is the range's first cell, which the formula names
// relative to each cell), since a decimal rule compares with one operator.
func setBounds(dv *excelize.DataValidation, k schema.Constraints, first string, t excelize.DataValidationType) bool {
	type bound struct {
		v         string
		exclusive bool
	}
	var lo, hi *bound
	if b := formulaNumber(k.Minimum); b != "" {
		lo = &bound{b, false}
	}
	if b := formulaNumber(k.ExclusiveMinimum); b != "" {
		lo = &bound{b, true}
	}
	if b := formulaNumber(k.Maximum); b != "" {
		hi = &bound{b, false}
	}
	if b := formulaNumber(k.ExclusiveMaximum); b != "" {
		hi = &bound{b, true}
	}
	if t == excelize.DataValidationTypeWhole {
		inclusive := func(b *bound, step int64) {
			if b != nil && b.exclusive {
				n, _ := strconv.ParseInt(b.v, 10, 64)
				b.v, b.exclusive = strconv.FormatInt(n+step, 10), false
			}
		}
		inclusive(lo, 1)
		inclusive(hi, -1)
	}
	op := func(b *bound, incl, excl excelize.DataValidationOperator) excelize.DataValidationOperator {
		if b.exclusive {
			return excl
		}
		return incl
	}
	switch {
	case lo != nil && hi != nil && (lo.exclusive || hi.exclusive):
		cmp := func(b *bound, incl, excl string) string {
			if b.exclusive {
				return first + excl + b.v
			}
			return first + incl + b.v
		}
		// Formula1 is the XML element's content: escaped here.
		dv.Type, dv.Formula1 = "custom", formulaEscape(fmt.Sprintf("AND(ISNUMBER(%s),%s,%s)", first, cmp(lo, ">=", ">"), cmp(hi, "<=", "<")))
	case lo != nil && hi != nil:
		_ = dv.SetRange(lo.v, hi.v, t, excelize.DataValidationOperatorBetween)
	case lo != nil:
		_ = dv.SetRange(lo.v, "", t, op(lo, excelize.DataValidationOperatorGreaterThanOrEqual, excelize.DataValidationOperatorGreaterThan))
	case hi != nil:
		_ = dv.SetRange(hi.v, "", t, op(hi, excelize.DataValidationOperatorLessThanOrEqual, excelize.DataValidationOperatorLessThan))
	default:
		return false
	}
	return true
}

// formulaNumber writes a bound (an int64 or float64 from Constraints) as a
// formula's number, "" for none.
func formulaNumber(b any) string {
	switch b := b.(type) {
	case int64:
		return strconv.FormatInt(b, 10)
	case float64:
		return strconv.FormatFloat(b, 'f', -1, 64)
	}
	return ""
}

var formulaEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// xlsxPrompt returns a column's input message: what it means and its
// rules, or as much of it as Excel shows (255 characters): the rules when
// both do not fit, since they are what a value must meet.
func xlsxPrompt(doc, rules string) string {
	for _, s := range []string{doc + "\n" + rules, rules} {
		if utf16Len(s) <= xlsxPromptMax {
			return s
		}
	}
	return clipUTF16(rules, xlsxPromptMax)
}

// clipUTF16 returns s cut to at most n UTF-16 code units, at a space when
// there is one in its second half, with an ellipsis when cut.
func clipUTF16(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	units := 0
	end := 0
	for i, r := range s {
		if units+utf16.RuneLen(r) > n-1 { // room for the ellipsis
			break
		}
		units += utf16.RuneLen(r)
		end = i + len(string(r))
	}
	cut := s[:end]
	if sp := strings.LastIndexByte(cut, ' '); sp > len(cut)/2 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ,;") + "…"
}
