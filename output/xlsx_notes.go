package output

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"export/schema"
)

// The workbook puts the words of the quote that state a figure
// (schema.Provenance.Stated) in a note on the figure's cell: an analyst
// hovers over 3,000,000,000 and reads `Stated by the quote: "about $3bn"`.
//
// Notes (Excel's comments) are written here, streamed, because excelize
// cannot write them in bounded memory: its AddComment keeps every comment
// and its VML shape in memory until the workbook is saved, and checks each
// new one against every earlier one of the sheet. Three notes per row took
// 1.8 s and 80 MiB for 5,000 rows, 7.7 s and 150 MiB for 10,000 and 30 s
// and 290 MiB for 20,000 (BenchmarkXLSXExcelizeComments measures it): a
// million rows would take about 20 hours and 15 GiB. Instead, each
// sheet's notes spool to two temporary files as the rows stream (the
// <comment> elements, deflated as they come (deflatedBody), and each
// note's cell), and when the workbook is saved xlsxZip adds the sheet's
// comments part and its VML drawing (which Excel needs to show the notes)
// made from them, and links them in:
// a relationship of the worksheet to each, a <legacyDrawing> in the
// worksheet, and their content types. Memory stays that of two buffers
// per sheet: 100 MiB peak RSS for a million records with three notes
// each, against 97 MiB without (BenchmarkXLSXNotes).
//
// The parts follow what Excel and openpyxl write: one author (the tool),
// plain text, and for each note a hidden shape of the standard note type
// anchored to its cell. The shapes of each drawing have ids in blocks of
// 1,024 of their own (o:idmap), as Excel numbers them.

// xlsxNoteSpool is the buffer of each of a sheet's two spools.
const xlsxNoteSpool = 64 << 10

// xlsxNotes spools the notes of one sheet.
type xlsxNotes struct {
	comments    *deflatedBody // the <comment> elements, deflated as they are written
	cells       *os.File      // each note's row and column
	cw, pw      *bufio.Writer
	n           int    // notes
	num         []byte // scratch for a row number
	tailPatched bool
	relsPatched bool
}

func newXLSXNotes(tmpDir string) (*xlsxNotes, error) {
	n := &xlsxNotes{}
	var err error
	if n.comments, err = newDeflatedBody(tmpDir); err != nil {
		return nil, err
	}
	if n.cells, err = os.CreateTemp(tmpDir, "figures-notes-*.tmp"); err != nil {
		n.remove()
		return nil, fmt.Errorf("creating a temporary file for the notes: %w", err)
	}
	n.cw, n.pw = bufio.NewWriterSize(n.comments, xlsxNoteSpool), bufio.NewWriterSize(n.cells, xlsxNoteSpool)
	return n, nil
}

// add adds a note on the cell at row and col (1-based, colName its
// letters) with the words of the spans of field in stated:
// Stated by the quote: "about $3bn". It runs for every figure of every
// record, so it writes straight to the spool.
func (n *xlsxNotes) add(row, col int, colName, field string, stated schema.Stated) error {
	w := n.cw
	w.WriteString(`<comment ref="`)
	w.WriteString(colName)
	n.num = strconv.AppendInt(n.num[:0], int64(row), 10)
	w.Write(n.num)
	w.WriteString(`" authorId="0"><text><t xml:space="preserve">Stated by the quote: `)
	first := true
	for _, s := range stated {
		if s.Field != field {
			continue
		}
		if !first {
			w.WriteString(", ")
		}
		first = false
		w.WriteByte('"')
		writeNoteText(w, s.Text)
		w.WriteByte('"')
	}
	if _, err := w.WriteString(`</t></text></comment>`); err != nil {
		return fmt.Errorf("writing a temporary file for the notes: %w", err)
	}
	var pos [8]byte
	binary.LittleEndian.PutUint32(pos[:4], uint32(row-1))
	binary.LittleEndian.PutUint32(pos[4:], uint32(col-1))
	if _, err := n.pw.Write(pos[:]); err != nil {
		return fmt.Errorf("writing a temporary file for the notes: %w", err)
	}
	n.n++
	return nil
}

// writeNoteText writes a note's words, escaped for XML and for the
// workbook (escapeXLSXSequences).
func writeNoteText(w *bufio.Writer, s string) {
	if strings.Contains(s, "_x") {
		s = escapeXLSXSequences(s)
	}
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// xlsxNoteEscaper escapes a text for XML.
var xlsxNoteEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escapeXLSXSequences escapes every _xHHHH_ in s as _x005F_xHHHH_, as
// excelize does in cells: a comment's text is an ST_Xstring, in which
// Excel reads _xHHHH_ as the character HHHH. (excelize and openpyxl read a
// comment's text as it is written, and so does LibreOffice, which writes
// it escaped when it saves an .xlsx: only Excel shows such a note as the
// quote has it. A quote holding _xHHHH_ is rare.)
func escapeXLSXSequences(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if _, ok := xlsxEscapeAt(s, i); ok {
			b.WriteString("_x005F")
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// flush writes the spools' buffers out, so that the files hold every note.
func (n *xlsxNotes) flush() error {
	if err := errors.Join(n.cw.Flush(), n.pw.Flush()); err != nil {
		return fmt.Errorf("writing a temporary file for the notes: %w", err)
	}
	return nil
}

// remove deletes the spools. It may be called more than once.
func (n *xlsxNotes) remove() error {
	errs := []error{n.comments.remove()}
	if n.cells != nil {
		errs = append(errs, n.cells.Close(), os.Remove(n.cells.Name()))
		n.cells = nil
	}
	return errors.Join(errs...)
}

// The parts' relationships (from the worksheet) and content types.
const (
	xlsxNotesRelID   = "rIdExportNotes"
	xlsxNotesVMLID   = "rIdExportNotesVML"
	relComments      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
	relVMLDrawing    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
	typeComments     = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	typeVMLDrawing   = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	xlsxShapeIDBlock = 1024
)

// notesParts returns the names of the comments part and the VML drawing of
// the worksheet part ws (xl/worksheets/sheet3.xml: xl/comments3.xml and
// xl/drawings/vmlDrawing3.vml).
func notesParts(ws string) (comments, vml string) {
	num := strings.TrimSuffix(strings.TrimPrefix(path.Base(ws), "sheet"), ".xml")
	return "xl/comments" + num + ".xml", "xl/drawings/vmlDrawing" + num + ".vml"
}

// patchTail links the VML drawing into the worksheet: a <legacyDrawing>
// after </sheetData>, before <tableParts> (CT_Worksheet's order; nothing
// that goes between them is written here).
func (n *xlsxNotes) patchTail(tail []byte) ([]byte, error) {
	end := bytes.Index(tail, []byte("</sheetData>"))
	if end < 0 {
		return nil, errors.New("the end of the sheet's data was not found, for its notes (has excelize changed how it writes streamed sheets?)")
	}
	if bytes.Contains(tail[end:], []byte("<legacyDrawing")) {
		return nil, errors.New("the sheet already has a legacy drawing")
	}
	at := bytes.Index(tail[end:], []byte("<tableParts"))
	if at < 0 {
		at = bytes.LastIndex(tail[end:], []byte("</worksheet>"))
	}
	if at < 0 {
		return nil, errors.New("the end of the sheet was not found, for its notes")
	}
	at += end
	n.tailPatched = true
	return slices3(tail[:at], []byte(`<legacyDrawing r:id="`+xlsxNotesVMLID+`"/>`), tail[at:]), nil
}

// patchRels adds the relationships of the worksheet to its notes' parts.
func (n *xlsxNotes) patchRels(rels []byte, ws string) ([]byte, error) {
	at := bytes.LastIndex(rels, []byte("</Relationships>"))
	if at < 0 {
		return nil, errors.New("no </Relationships>")
	}
	comments, vml := notesParts(ws)
	add := fmt.Sprintf(`<Relationship Id="%s" Type="%s" Target="../%s"/><Relationship Id="%s" Type="%s" Target="../%s"/>`,
		xlsxNotesRelID, relComments, strings.TrimPrefix(comments, "xl/"), xlsxNotesVMLID, relVMLDrawing, strings.TrimPrefix(vml, "xl/"))
	n.relsPatched = true
	return slices3(rels[:at], []byte(add), rels[at:]), nil
}

// patchContentTypes adds the content types of the notes' parts of the
// worksheets wss.
func patchContentTypes(types []byte, wss []string) ([]byte, error) {
	at := bytes.LastIndex(types, []byte("</Types>"))
	if at < 0 {
		return nil, errors.New("no </Types>")
	}
	var add strings.Builder
	if !bytes.Contains(types, []byte(`Extension="vml"`)) {
		add.WriteString(`<Default Extension="vml" ContentType="` + typeVMLDrawing + `"/>`)
	}
	for _, ws := range wss {
		comments, _ := notesParts(ws)
		add.WriteString(`<Override PartName="/` + comments + `" ContentType="` + typeComments + `"/>`)
	}
	return slices3(types[:at], []byte(add.String()), types[at:]), nil
}

func slices3(a, b, c []byte) []byte {
	out := make([]byte, 0, len(a)+len(b)+len(c))
	return append(append(append(out, a...), b...), c...)
}

// writeComments writes the comments part.
func (n *xlsxNotes) writeComments(w io.Writer, author string) error {
	_, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>`+
		xlsxNoteEscaper.Replace(author)+`</author></authors><commentList>`)
	if err != nil {
		return err
	}
	s, ok := w.(interface{ splice(*deflatedBody) error })
	if !ok {
		return errors.New("the notes' comments can be written only into the workbook's zip")
	}
	if err := s.splice(n.comments); err != nil {
		return err
	}
	_, err = io.WriteString(w, `</commentList></comments>`)
	return err
}

// writeVML writes the VML drawing, its shapes' ids in the blocks from
// block on (xlsxNotesBlocks of them).
func (n *xlsxNotes) writeVML(w io.Writer, block int) error {
	bw := bufio.NewWriterSize(w, xlsxNoteSpool)
	bw.WriteString(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ` +
		`xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="`)
	for i := range n.blocks() {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(strconv.Itoa(block + i))
	}
	bw.WriteString(`"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" ` +
		`path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`)
	cells := bufio.NewReaderSize(io.NewSectionReader(n.cells, 0, 1<<62), xlsxNoteSpool)
	var pos [8]byte
	var b []byte
	for i := range n.n {
		if _, err := io.ReadFull(cells, pos[:]); err != nil {
			return fmt.Errorf("reading a temporary file for the notes: %w", err)
		}
		b = append(b[:0], `<v:shape id="_x0000_s`...)
		b = strconv.AppendInt(b, int64(block*xlsxShapeIDBlock+1+i), 10)
		b = append(b, `" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`+
			`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>`+
			`<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`+
			`<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill><x:Row>`...)
		b = strconv.AppendUint(b, uint64(binary.LittleEndian.Uint32(pos[:4])), 10)
		b = append(b, `</x:Row><x:Column>`...)
		b = strconv.AppendUint(b, uint64(binary.LittleEndian.Uint32(pos[4:])), 10)
		b = append(b, `</x:Column></x:ClientData></v:shape>`...)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	bw.WriteString(`</xml>`)
	return bw.Flush()
}

// blocks is the number of shape id blocks the drawing's shapes take: ids
// from block*1024+1 on.
func (n *xlsxNotes) blocks() int { return n.n/xlsxShapeIDBlock + 1 }
