package output

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A sheet's data rows are encoded here rather than by excelize's
// StreamWriter.SetRow, byte for byte as SetRow writes them, and deflated as
// they stream (deflatedBody), to be spliced into the worksheet part when
// excelize saves it, before its </sheetData>. SetRow takes a quarter of the CPU
// time of export run: for every cell it builds an xlsxC, formats its
// reference, escapes its text through encoding/xml into a strings.Builder,
// runs a regular expression over it (bstrMarshal) and copies it twice more;
// on a million rows that is 11.7 s of the 30 s the workbook takes, on the
// one goroutine that writes it. appendRow writes each cell once, straight
// into the row's bytes, for the values the writer gives it (xlsxWriter.cell):
// text, int64, float64, bool and excelize.Cell with a style and a float64.
// Whatever it does not encode exactly as SetRow would (a text holding _x,
// which SetRow escapes; a text longer than a cell holds, which it cuts; a
// value of another type), it declines, and SetRow encodes the row
// (writeRow).
// TestXLSXRowLikeExcelize and FuzzXLSXRow compare the two on every kind of
// value.

// xlsxRow is what a row needs besides its values: its number, and for each
// column its letters and the style its cells take (a column's style, as
// StreamWriter.SetColStyle set it, unless the cell carries its own).
type xlsxRow struct {
	row      int
	colNames []string
	styles   []int
	height   float64 // 0 for the default
}

// appendRow appends the row's XML to b, as SetRow(colName+row, vals,
// RowOpts{Height: height}) writes it, and reports whether it could.
func appendRow(b []byte, r xlsxRow, vals []any) ([]byte, bool) {
	if len(vals) > len(r.colNames) || r.height > excelize.MaxRowHeight || r.height < 0 {
		return b, false
	}
	start := len(b)
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(r.row), 10)
	b = append(b, '"')
	if r.height > 0 {
		b = append(b, ` ht="`...)
		b = strconv.AppendFloat(b, r.height, 'f', -1, 64)
		b = append(b, `" customHeight="1"`...)
	}
	b = append(b, '>')
	for i, v := range vals {
		if v == nil {
			continue
		}
		style := 0
		if i < len(r.styles) {
			style = r.styles[i]
		}
		if c, ok := v.(excelize.Cell); ok {
			if c.Formula != "" || c.Value == nil {
				return b[:start], false
			}
			if c.StyleID > 0 {
				style = c.StyleID
			}
			v = c.Value
		}
		b = append(b, `<c r="`...)
		b = append(b, r.colNames[i]...)
		b = strconv.AppendInt(b, int64(r.row), 10)
		b = append(b, '"')
		if style != 0 {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(style), 10)
			b = append(b, '"')
		}
		var ok bool
		if b, ok = appendCellValue(b, v); !ok {
			return b[:start], false
		}
		b = append(b, `</c>`...)
	}
	return append(b, `</row>`...), true
}

// appendCellValue appends the cell's type, the end of its start tag and its
// value.
func appendCellValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case string:
		// SetRow escapes _xHHHH_ (bstrMarshal) and cuts a text to
		// TotalCellChars UTF-16 units: leave both to it. A text has at
		// least as many bytes as UTF-16 units.
		if strings.Contains(v, "_x") || len(v) > excelize.TotalCellChars {
			return b, false
		}
		b = append(b, ` t="inlineStr"><is><t`...)
		if v != "" && (isXMLSpace(v[0]) || isXMLSpace(v[len(v)-1])) {
			b = append(b, ` xml:space="preserve"`...)
		}
		b = append(b, '>')
		b = appendEscapedText(b, v)
		return append(b, `</t></is>`...), true
	case int64:
		b = append(b, `><v>`...)
		b = strconv.AppendInt(b, v, 10)
		return append(b, `</v>`...), true
	case float64:
		s, ok := cellFloat(v)
		if !ok {
			return b, false
		}
		b = append(b, `><v>`...)
		b = append(b, s...)
		return append(b, `</v>`...), true
	case bool:
		b = append(b, ` t="b"><v>`...)
		if v {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		return append(b, `</v>`...), true
	}
	return b, false
}

// isXMLSpace reports whether c is one of the bytes that make excelize keep
// a text's spaces (xml:space="preserve") when it starts or ends with it.
func isXMLSpace(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// cellFloat formats v as SetRow does (formatCellFloat in excelize's
// cell.go: the shortest form, cut to Excel's 15 significant digits). It
// declines NaN and the infinities, which SetRow writes as text.
func cellFloat(v float64) (string, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return s, true
	}
	const maxPrec = 15
	decimal := strings.IndexByte(s, '.')
	significant := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || significant == 0 && s[i] == '0' {
			continue
		}
		if significant++; significant <= maxPrec {
			continue
		}
		if decimal >= 0 && i > decimal {
			return strings.TrimSuffix(s[:i], "."), true
		}
		if decimal < 0 {
			decimal = len(s)
		}
		cut := []byte(s[:decimal])
		for ; i < len(cut); i++ {
			cut[i] = '0'
		}
		return string(cut), true
	}
	return s, true
}

// appendEscapedText appends s escaped as excelize escapes a cell's text:
// encoding/xml's EscapeText, then its &#xA; put back as a newline.
func appendEscapedText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\'' && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		r, width := rune(c), 1
		if c >= utf8.RuneSelf {
			r, width = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "\n"
		case '\r':
			esc = "&#xD;"
		default:
			if !xmlCharacter(r) || r == utf8.RuneError && width == 1 {
				esc = "\uFFFD"
				break
			}
			i += width
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// xmlCharacter reports whether r may appear in XML (encoding/xml's
// isInCharacterRange).
func xmlCharacter(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// writeRow writes a row after the first into the sheet's body, encoded by
// appendRow, or by SetRow for a row with a style of its own or one that
// appendRow declines: SetRow appends it to the stream's buffer, which holds
// only the sheet's start and its first row (no other row stays there),
// and writeRow moves it from there to the body, so that the rows stay in
// order.
func (sh *xlsxSheet) writeRow(vals []any, style int, height float64) error {
	if sh.body == nil {
		if sheetBuffer(sh.sw) == nil {
			sh.noBody = true
			return sh.setRow(vals, style, height)
		}
		var err error
		if sh.body, err = newDeflatedBody(sh.tmpDir); err != nil {
			return err
		}
	}
	ok := false
	if style == 0 {
		sh.row, ok = appendRow(sh.row[:0], xlsxRow{row: sh.rows, colNames: sh.colNames, styles: sh.styles, height: height}, vals)
	}
	if !ok {
		buf := sheetBuffer(sh.sw)
		n := buf.Len()
		if err := sh.setRow(vals, style, height); err != nil {
			return err
		}
		sh.row = append(sh.row[:0], buf.Bytes()[n:]...)
		buf.Truncate(n)
	}
	if _, err := sh.body.Write(sh.row); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", sh.name, sh.rows, err)
	}
	return nil
}

// setRow writes a row after the first with excelize's SetRow.
func (sh *xlsxSheet) setRow(vals []any, style int, height float64) error {
	var opts []excelize.RowOpts
	if style != 0 || height > 0 {
		opts = append(opts, excelize.RowOpts{StyleID: style, Height: height})
	}
	if err := sh.sw.SetRow("A"+strconv.Itoa(sh.rows), vals, opts...); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", sh.name, sh.rows, err)
	}
	return nil
}

// sheetBuffer returns the stream's buffer, or nil when excelize's fields
// are not those of v2.11.1.
func sheetBuffer(sw *excelize.StreamWriter) *bytes.Buffer {
	b, _ := streamBuffer(sw)
	return b
}
