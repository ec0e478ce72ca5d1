package output

import (
	"archive/zip"
	"bytes"
	stdflate "compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/flate"
)

// xlsxZipEntries are the entries TestXLSXZip writes: sizes around the
// chunk size, so that entries are deflated in several chunks that must
// join into one stream, and a worksheet whose head is rewritten.
func xlsxZipEntries() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("investment enterprise agreement Kazakhstan Korea 300 48 62 <row r=\"1\"> </c> &amp; é 😀")
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.Bytes()[:n]
	}
	random := make([]byte, zipChunk+3) // incompressible
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	return map[string][]byte{
		"[Content_Types].xml":       text(100),
		"empty":                     nil,
		"xl/one-chunk":              text(zipChunk),
		"xl/many-chunks":            text(3*zipChunk + zipChunk/2),
		"xl/random":                 random,
		"xl/worksheets/sheet1.xml":  append([]byte(`<worksheet><dimension ref="OLD"></dimension><sheetData>`), text(zipChunk+17)...),
		"xl/worksheets/sheet2.xml":  []byte(`<worksheet><dimension ref="KEEP"></dimension><sheetData></sheetData></worksheet>`),
		"xl/worksheets/_rels/x.xml": text(10),
	}
}

// writeXLSXZip writes entries in the given order, in pieces of odd sizes,
// as excelize's io.Copy would.
func writeXLSXZip(t *testing.T, entries map[string][]byte, order []string) []byte {
	t.Helper()
	var out bytes.Buffer
	z, err := newXLSXZip(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	z.out = &out
	defer z.remove()
	z.rewriteHead = func(_ string, head []byte) ([]byte, func([]byte) ([]byte, error), error) {
		return bytes.Replace(head, []byte(`ref="OLD"`), []byte(`ref="NEW-AND-LONGER"`), 1), nil, nil
	}
	for _, name := range order {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		data := entries[name]
		for len(data) > 0 {
			n := min(len(data), 7777)
			if _, err := w.Write(data[:n]); err != nil {
				t.Fatal(err)
			}
			data = data[n:]
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestXLSXZip(t *testing.T) {
	entries := xlsxZipEntries()
	var names []string
	for name := range entries {
		names = append(names, name)
	}
	slices.Sort(names)
	reversed := slices.Clone(names)
	slices.Reverse(reversed)

	b := writeXLSXZip(t, entries, reversed)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc) // checks the CRC-32 and the size
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		want := entries[f.Name]
		if f.Name == "xl/worksheets/sheet1.xml" {
			want = bytes.Replace(want, []byte(`ref="OLD"`), []byte(`ref="NEW-AND-LONGER"`), 1)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s: read back %d bytes, want %d (equal: %v)", f.Name, len(data), len(want), bytes.Equal(data, want))
		}
		if f.Method != zip.Deflate || !f.Modified.IsZero() && f.Modified.Year() > 1980 {
			t.Errorf("%s: method %d, modified %v", f.Name, f.Method, f.Modified)
		}
	}
	if !slices.Equal(got, names) {
		t.Errorf("entries in order %v, want sorted %v", got, names)
	}

	// The order entries arrive in does not change a byte.
	shuffled := slices.Clone(names)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if again := writeXLSXZip(t, entries, shuffled); !bytes.Equal(again, b) {
		t.Error("another arrival order gave other bytes")
	}
}

type xlsxFailingWriter struct{ after int }

func (w *xlsxFailingWriter) Write(p []byte) (int, error) {
	if w.after < len(p) {
		return 0, errors.New("disk full")
	}
	w.after -= len(p)
	return len(p), nil
}

// A failing output or head rewrite is reported by Close, even though
// excelize drops most Write errors.
func TestXLSXZipErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		out     io.Writer
		rewrite error
	}{
		{"output", &xlsxFailingWriter{after: 100}, nil},
		{"rewrite", io.Discard, errors.New("bad head")},
	} {
		t.Run(c.name, func(t *testing.T) {
			z, err := newXLSXZip(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			z.out = c.out
			defer z.remove()
			z.rewriteHead = func(_ string, head []byte) ([]byte, func([]byte) ([]byte, error), error) {
				return head, nil, c.rewrite
			}
			for i := range 3 {
				w, err := z.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
				if err != nil {
					break
				}
				w.Write([]byte("<worksheet><sheetData>" + strings.Repeat("x", 1000)))
			}
			if err := z.Close(); err == nil {
				t.Error("Close succeeded")
			}
		})
	}
}

// BenchmarkXLSXDeflate compares the compressor of xlsxZip with the
// standard library's at the same level, on 8 MiB of sheet XML in the
// chunks xlsxZip compresses (MB/s, and the compressed size as a fraction
// of the XML).
func BenchmarkXLSXDeflate(b *testing.B) {
	var xml bytes.Buffer
	for i := 0; xml.Len() < 8<<20; i++ {
		fmt.Fprintf(&xml, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>rec-%07d</t></is></c><c r="B%d" t="inlineStr"><is><t>KR</t></is></c>`+
			`<c r="C%d" s="3"><v>%d</v></c><c r="D%d" s="4"><v>%d</v></c><c r="E%d" t="inlineStr"><is><t>Its total investment in Kazakhstan has reached about $%dbn (as of 30 September 2008)</t></is></c></row>`,
			i+2, i+2, i, i+2, i+2, 1000+i*7919%1000003, i+2, 39000+i%9000, i+2, i%97)
	}
	data := xml.Bytes()
	compressors := []struct {
		name string
		new  func(w io.Writer) (io.WriteCloser, func() error)
	}{
		{"stdlib", func(w io.Writer) (io.WriteCloser, func() error) {
			fw, _ := stdflate.NewWriter(w, zipLevel)
			return fw, fw.Flush
		}},
		{"klauspost", func(w io.Writer) (io.WriteCloser, func() error) {
			fw, _ := flate.NewWriter(w, zipLevel)
			return fw, fw.Flush
		}},
	}
	for _, c := range compressors {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var out int
			for b.Loop() {
				out = 0
				for i := 0; i < len(data); i += zipChunk {
					var buf bytes.Buffer
					fw, flush := c.new(&buf)
					fw.Write(data[i:min(i+zipChunk, len(data))])
					flush()
					out += buf.Len()
				}
			}
			b.ReportMetric(float64(out)/float64(len(data)), "size/xml")
		})
	}
}
