package output

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// releaseStreamBuffer frees a stream's buffer once its rows went to the
// temporary file, and the workbook still holds every row.
func TestXLSXReleaseStreamBuffer(t *testing.T) {
	f := excelize.NewFile(excelize.Options{TmpDir: t.TempDir()})
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"small"}); err != nil {
		t.Fatal(err)
	}
	if releaseStreamBuffer(sw) {
		t.Fatal("released a buffer that holds the only copy of a row")
	}
	long := strings.Repeat("x", 30000)
	rows := excelize.StreamChunkSize/len(long) + 10 // past the 16 MiB that spill to the file
	for r := 2; r <= rows; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{long, r}); err != nil {
			t.Fatal(err)
		}
	}
	// As continueKind does: the table moves the buffer to the file.
	if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:B%d", rows), Name: "t"}); err != nil {
		t.Fatal(err)
	}
	if !releaseStreamBuffer(sw) {
		t.Fatal("the buffer of a spilled stream was not released after AddTable: has excelize's StreamWriter changed?")
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	sheet, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(sheet, []byte("<row ")); n != rows || !bytes.Contains(sheet, []byte(">small<")) ||
		!bytes.Contains(sheet, []byte("</sheetData>")) || !bytes.HasSuffix(sheet, []byte("</worksheet>")) {
		t.Errorf("the sheet has %d rows, want %d, intact", n, rows)
	}
}
