package output

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 3*zipChunk+12345)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, cut := range []int{0, 1, 2, 3, 7, 8, 1000, zipChunk, zipChunk + 1, len(data) - 1, len(data)} {
		a, b := data[:cut], data[cut:]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b)))
		if want := crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut at %d: %08x, want %08x", cut, got, want)
		}
	}
}

// TestXLSXZipSplice writes a worksheet whose rows were deflated ahead
// (deflatedBody), as xlsxWriter does, and reads it back with archive/zip,
// which checks the combined CRC-32 and size: the rows are in their place,
// before </sheetData>, after what excelize wrote of the sheet's data, and
// the notes' comments are in theirs.
func TestXLSXZipSplice(t *testing.T) {
	for _, rows := range []int{0, 1, 20000, 100000} {
		var body strings.Builder
		for i := range rows {
			body.WriteString(`<row r="` + strconv.Itoa(i+2) + `"><c r="A` + strconv.Itoa(i+2) + `" t="inlineStr"><is><t>row ` + strconv.Itoa(i*7919%100003) + `</t></is></c></row>`)
		}
		dir := t.TempDir()
		b, err := newDeflatedBody(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer b.remove()
		rest := body.String()
		for len(rest) > 0 { // in pieces of odd sizes, as rows come
			n := min(len(rest), 3001)
			if _, err := b.Write([]byte(rest[:n])); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		var out bytes.Buffer
		z, err := newXLSXZip(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer z.remove()
		z.out = &out
		z.rewriteHead = func(_ string, head []byte) ([]byte, func([]byte) ([]byte, error), error) {
			return bytes.Replace(head, []byte(`ref="OLD"`), []byte(`ref="A1:A99"`), 1), func(tail []byte) ([]byte, error) {
				return bytes.Replace(tail, []byte(`<end/>`), []byte(`<legacyDrawing/><end/>`), 1), nil
			}, nil
		}
		z.body = func(name string) *deflatedBody {
			if name == "xl/worksheets/sheet1.xml" {
				return b
			}
			return nil
		}
		head, tail := `<worksheet><dimension ref="OLD"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`, `</sheetData><end/></worksheet>`
		for _, e := range []struct{ name, data string }{{"xl/worksheets/sheet1.xml", head + tail}, {"xl/worksheets/sheet2.xml", head + tail}} {
			w, err := z.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []byte(e.data) { // a byte at a time: the tags are found across writes
				w.Write([]byte{c})
			}
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc) // checks the CRC-32 and the size
			rc.Close()
			if err != nil {
				t.Fatalf("%d rows: %s: %v", rows, f.Name, err)
			}
			want := `<worksheet><dimension ref="A1:A99"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>` + `</sheetData><legacyDrawing/><end/></worksheet>`
			if f.Name == "xl/worksheets/sheet1.xml" {
				want = strings.Replace(want, `</sheetData>`, body.String()+`</sheetData>`, 1)
			}
			if string(got) != want {
				t.Errorf("%d rows: %s: read back %d bytes, want %d", rows, f.Name, len(got), len(want))
			}
		}
	}
}

// A sheet whose rows were deflated ahead but whose data never ends is an
// error, not a workbook without its rows.
func TestXLSXZipSpliceNoEnd(t *testing.T) {
	dir := t.TempDir()
	b, err := newDeflatedBody(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.remove()
	b.Write([]byte(`<row r="2"/>`))
	z, err := newXLSXZip(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer z.remove()
	z.out = io.Discard
	z.rewriteHead = func(_ string, head []byte) ([]byte, func([]byte) ([]byte, error), error) { return head, nil, nil }
	z.body = func(string) *deflatedBody { return b }
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<worksheet><sheetData><row r="1"/>`))
	if err := z.Close(); err == nil || !strings.Contains(err.Error(), "end of the sheet's data") {
		t.Errorf("Close: %v, want the end of the sheet's data not found", err)
	}
}
