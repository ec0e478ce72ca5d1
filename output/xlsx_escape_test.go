package output

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXEscapeLoses checks XLSXEscapeLoses against excelize itself: every
// text is written with a StreamWriter, as the XLSX writer writes, and read
// back, and XLSXEscapeLoses must report exactly the texts that come back
// changed. The texts are the hand-picked ones below and thousands made at
// random (with a fixed seed) of the pieces of escapes.
func TestXLSXEscapeLoses(t *testing.T) {
	texts := []string{
		"", "_x", "_x0041", "_x0041_", "a_x0041_b", "_X0041_", "_x004_", "_x00411_", "__x0041__",
		"_x0041_x0042_", "_x0041__x0042_", "_x005F_", "_x005F_x0041_", "_x005f_x0041_", "_x005F_x005F_x0041_",
		"_xD800_", "_xd800_", "_xDFFF_", "_xD7FF_", "_xE000_", "_xFFFE_", "_x0000_", "_x000D_",
		"_x005F_xD800_", "_x005F_x0041_x0042_", "_x0041_x0042_x0043_", "x_x0041_x", "_x_x0041_", "_x+041_", "_x 041_", "_x0x41_",
	}
	pieces := []string{"_", "_x", "x", "0041", "005F", "005f", "D800", "dfff", "00", "4", "_x0041_", "_x005F_", "a"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), []any{s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	lost := 0
	for i, s := range texts {
		got, err := g.GetCellValue("Sheet1", fmt.Sprintf("A%d", i+1))
		if err != nil {
			t.Fatal(err)
		}
		seq, loses := XLSXEscapeLoses(s)
		if loses != (got != s) {
			t.Errorf("XLSXEscapeLoses(%q) = %q, %v; but excelize reads it back as %q", s, seq, loses, got)
		}
		if loses {
			lost++
			if !strings.Contains(s, seq) {
				t.Errorf("XLSXEscapeLoses(%q) = %q, which the text does not hold", s, seq)
			}
		}
	}
	if lost == 0 || lost == len(texts) {
		t.Errorf("%d of %d texts lost: the random texts test nothing", lost, len(texts))
	}
	t.Logf("%d of %d texts do not survive", lost, len(texts))
}
