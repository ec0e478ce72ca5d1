package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"export/schema"
)

// readAll reads a whole file, failing the test on an error.
func readAll(t *testing.T, f File, opts Options) []*Item {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r, err := Open(f, rc, opts)
	if err != nil {
		t.Fatal(err)
	}
	var items []*Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		items = append(items, it)
	}
}

func testdataFile(name string) File {
	return FromFS(os.DirFS("testdata"), name, filepath.Join("testdata", name))
}

// The fixtures in testdata/ hold the default dataset in the other formats:
// they must read as the same sources and records, without problems.
func TestDefaultDatasetFixtures(t *testing.T) {
	embedded := Embedded()
	if len(embedded) != 1 || embedded[0].Path != EmbeddedName+"kazakhstan-korea.yaml" || embedded[0].Format != FormatYAML {
		t.Fatalf("Embedded() = %+v; want the one YAML file", embedded)
	}
	want := readAll(t, embedded[0], Options{})
	if len(want) != 4 {
		t.Fatalf("the default dataset has %d items; want 1 source and 3 records", len(want))
	}
	for _, name := range []string{"kazakhstan-korea.json", "kazakhstan-korea.jsonl", "kazakhstan-korea.csv"} {
		t.Run(name, func(t *testing.T) {
			f := testdataFile(name)
			got := readAll(t, f, Options{})
			want := want
			if f.Format == FormatCSV {
				want = want[1:] // CSV files hold no sources
			}
			sameItems(t, got, want)
			if src := want[0].Source; f.Format != FormatCSV {
				if _, err := f.ReadSourceText(src.Text); err != nil {
					t.Errorf("the source text: %v", err)
				}
			}
		})
	}
}

func TestExampleReads(t *testing.T) {
	f := FromFS(os.DirFS(filepath.Join("..", "examples")), "programme-1bn.yaml", "examples/programme-1bn.yaml")
	items := readAll(t, f, Options{})
	if len(items) != 2 || !items[0].IsSource() || items[1].ID != "programme-1bn" {
		t.Fatalf("read %d items; want a source and the record programme-1bn", len(items))
	}
	for _, it := range items {
		if len(it.Problems) > 0 {
			t.Errorf("%v: problems %v (the example fails validation, not reading)", it.Pos, it.Problems)
		}
	}
}

// TestFieldPos checks the positions of items, fields and list elements in
// the default dataset, in every format. A field is at its key (where the
// format has keys), as in the contract's example lines; a list element at
// the element.
func TestFieldPos(t *testing.T) {
	type fieldAt struct {
		field string
		index int
		at    string // line:column
	}
	tests := []struct {
		file   File
		source string // position of the source, if any
		record string // position of the first record
		fields []fieldAt
		// position of enterprises in the second record
		enterprises string
	}{
		{
			file:   Embedded()[0],
			source: "5:5", record: "13:5",
			fields: []fieldAt{
				{"id", -1, "13:5"}, {"amount", -1, "17:5"}, {"sectors", -1, "21:5"}, {"sectors", 0, "21:15"},
				{"sectors", 2, "21:36"}, {"sectors", 5, "22:15"}, {"sectors", 99, "21:5"}, {"quote", -1, "26:5"},
				{"note", -1, "13:5"}, // absent: the record
			},
			enterprises: "36:5",
		},
		{
			file:   testdataFile("kazakhstan-korea.json"),
			source: "3:5", record: "13:5",
			fields: []fieldAt{
				{"id", -1, "14:7"}, {"amount", -1, "18:7"}, {"sectors", -1, "22:7"}, {"sectors", 0, "22:19"},
				{"sectors", 2, "22:44"}, {"sectors", 99, "22:7"}, {"note", -1, "13:5"},
			},
			enterprises: "33:7",
		},
		{
			file:   testdataFile("kazakhstan-korea.jsonl"),
			source: "1:1", record: "2:1",
			fields: []fieldAt{
				{"id", -1, "2:2"}, {"amount", -1, "2:101"}, {"sectors", -1, "2:187"}, {"sectors", 2, "2:224"},
				{"quote", -1, "2:428"}, {"note", -1, "2:1"},
			},
			enterprises: "3:88",
		},
		{
			file:   testdataFile("kazakhstan-korea.csv"),
			record: "2:1",
			fields: []fieldAt{
				{"id", -1, "2:1"}, {"amount", -1, "2:52"}, {"sectors", -1, "2:88"},
				{"sectors", 2, "2:88"}, // CSV lists have no element positions: the cell
				{"quote", -1, "2:255"}, {"note", -1, "2:1"},
			},
			enterprises: "3:47",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file.Path, func(t *testing.T) {
			items := readAll(t, tc.file, Options{})
			if tc.source != "" {
				if got := lineCol(items[0].Pos); !items[0].IsSource() || got != tc.source {
					t.Errorf("source at %s; want %s", got, tc.source)
				}
				items = items[1:]
			}
			rec := items[0]
			if got := lineCol(rec.Pos); got != tc.record {
				t.Errorf("record at %s; want %s", got, tc.record)
			}
			for _, f := range tc.fields {
				p := rec.FieldPos(f.field, f.index)
				if got := lineCol(p); got != f.at || p.File != tc.file.Path {
					t.Errorf("FieldPos(%q, %d) = %v; want %s:%s", f.field, f.index, p, tc.file.Path, f.at)
				}
			}
			if got := lineCol(items[1].FieldPos("enterprises", -1)); got != tc.enterprises {
				t.Errorf("enterprises at %s; want %s", got, tc.enterprises)
			}
			if rec.HasProblem("amount") || rec.IsSource() {
				t.Errorf("HasProblem or IsSource wrong for a record without problems")
			}
		})
	}
}

func TestHasProblem(t *testing.T) {
	r, _ := Open(File{Path: "f", Format: FormatYAML}, strings.NewReader("records:\n  - {id: a, kind: enterprise_count, enterprises: x}\n"), Options{})
	it, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !it.HasProblem("enterprises") || it.HasProblem("id") {
		t.Errorf("HasProblem: enterprises %v, id %v; want true, false", it.HasProblem("enterprises"), it.HasProblem("id"))
	}
	if p := it.Record.(*schema.EnterpriseCount); p.Enterprises != nil || p.Qualifier != "exact" {
		t.Errorf("record %+v; want enterprises unset and the default qualifier", p)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{&Error{Pos: Position{File: "a.yaml", Line: 3, Column: 5}, Field: "host", Rule: RuleType, Message: "m"}, "a.yaml:3:5: host: m [type]"},
		{&Error{Pos: Position{File: "a.csv", Line: 3}, Rule: RuleRaggedRow, Message: "m"}, "a.csv:3: m [ragged_row]"},
		{&Error{Pos: Position{File: "a.csv"}, Rule: RuleLimit, Message: "m"}, "a.csv: m [limit]"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q; want %q", got, tc.want)
		}
	}
}

// Fatal errors wrap the sentinel of their cause.
func TestErrorSentinels(t *testing.T) {
	for _, tc := range []struct {
		format, data string
		opts         Options
		want         error
	}{
		{FormatYAML, "a: [", Options{}, ErrSyntax},
		{FormatYAML, "a: \xff", Options{}, ErrEncoding},
		{FormatYAML, "records: []\n", Options{Limits: Limits{MaxYAMLBytes: 4}}, ErrLimit},
		{FormatJSON, "{", Options{}, ErrSyntax},
		{FormatJSON, "{\"a\": \"\xff\"}", Options{}, ErrEncoding},
		{FormatJSON, "{\"records\": [" + strings.Repeat("[", 100), Options{}, ErrLimit},
		{FormatJSONL, "{}\n\xff", Options{}, ErrEncoding},
		{FormatJSONL, "{}\n{}", Options{Limits: Limits{MaxLineBytes: 1}}, ErrLimit},
		{FormatCSV, "id,kind\n\"a", Options{}, ErrSyntax},
		{FormatCSV, "id,kind\n\xff", Options{}, ErrEncoding},
		{FormatCSV, "id,kind\na,b\n", Options{Limits: Limits{MaxLineBytes: 4}}, ErrLimit},
	} {
		r, err := Open(File{Path: "f", Format: tc.format}, strings.NewReader(tc.data), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := endError(r); !errors.Is(err, tc.want) {
			t.Errorf("%s %q: error %v; want one wrapping %v", tc.format, tc.data, err, tc.want)
		}
	}
}

// endError reads r to its end and returns the error that ends the file:
// the one Next returns, or, in a CSV file, the encoding problem of the row
// with invalid UTF-8, after which Next returns io.EOF.
func endError(r Reader) error {
	var last error
	for {
		it, err := r.Next()
		if err != nil {
			if err == io.EOF && last != nil {
				return last
			}
			return err
		}
		for _, p := range it.Problems {
			if p.Rule == RuleEncoding {
				last = p
			}
		}
	}
}

func TestOpenUnsupported(t *testing.T) {
	_, err := Open(File{Path: "a.ods"}, strings.NewReader(""), Options{})
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Path != "a.ods" {
		t.Errorf("Open(.ods) = %v; want an *UnsupportedError", err)
	}
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// TestTracker reads through a tracker with every small size of source
// reads and of caller buffers, so that characters and the BOM are cut
// everywhere.
func TestTracker(t *testing.T) {
	tests := []struct {
		name, in, out string
		errAt         string // position of the encoding error, if any
	}{
		{"ASCII", "ab\ncd", "ab\ncd", ""},
		{"BOM", "\xEF\xBB\xBFab", "ab", ""},
		{"BOM only", "\xEF\xBB\xBF", "", ""},
		{"BOM in the middle", "a\xEF\xBB\xBF", "a\xEF\xBB\xBF", ""},
		{"multibyte", "€\n𝄞x\nÿ", "€\n𝄞x\nÿ", ""},
		{"BOM and multibyte", "\xEF\xBB\xBF€", "€", ""},
		{"cut BOM", "\xEF\xBBx", "", "1:1"},
		{"lone lead byte", "\xEF", "", "1:1"},
		{"invalid byte", "ab\ncd\xffe", "ab\ncd", "2:3"},
		{"truncated sequence", "ab\ncd\xE2\x82x\n", "ab\ncd", "2:3"},
		{"truncated at the end", "ab\n€\xE2\x82", "ab\n€", "2:4"},
		{"surrogate", "a\xED\xA0\x80", "a", "1:2"},
		{"invalid after BOM", "\xEF\xBB\xBF\xff", "", "1:1"},
	}
	for _, tc := range tests {
		for src := 1; src <= 5; src++ {
			for dst := 1; dst <= 5; dst++ {
				tr := newTracker(&chunkReader{strings.NewReader(tc.in), src}, "f", false)
				var out []byte
				buf := make([]byte, dst)
				var err error
				for range 1000 {
					var n int
					n, err = tr.Read(buf)
					out = append(out, buf[:n]...)
					if err != nil {
						break
					}
				}
				if string(out) != tc.out {
					t.Errorf("%s (reads of %d and %d bytes): read %q; want %q", tc.name, src, dst, out, tc.out)
				}
				var e *Error
				switch {
				case tc.errAt == "" && err != io.EOF:
					t.Errorf("%s (reads of %d and %d bytes): error %v; want io.EOF", tc.name, src, dst, err)
				case tc.errAt != "" && (!errors.As(err, &e) || e.Rule != RuleEncoding || lineCol(e.Pos) != tc.errAt || e.Pos.File != "f"):
					t.Errorf("%s (reads of %d and %d bytes): error %v; want an encoding error at f:%s", tc.name, src, dst, err, tc.errAt)
				}
			}
		}
	}
}

// The tracker passes I/O errors on, after the bytes before them, and does
// not take a character cut by them for invalid UTF-8.
func TestTrackerIOError(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(strings.NewReader("ab€\xE2\x82"), iotest.ErrReader(boom))
	out, err := io.ReadAll(newTracker(src, "f", false))
	if string(out) != "ab€" || err != boom {
		t.Errorf("read %q, %v; want \"ab€\", boom", out, err)
	}
	// A source that never returns anything is an error, not a hang.
	out, err = io.ReadAll(newTracker(emptyReader{}, "f", false))
	if len(out) != 0 || err != io.ErrNoProgress {
		t.Errorf("read %q, %v; want io.ErrNoProgress", out, err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// bigFile builds a file of the format, larger than 64 KiB, of records
// r1, r2, ... with notes; in the note of the record that crosses each
// offset of cuts, special is placed so that its first byte is just before
// that offset. It returns the file, the notes and the line of each record.
func bigFile(format, special string, cuts []int) (data string, notes []string, lines []int) {
	var b strings.Builder
	line := 1
	switch format {
	case FormatYAML:
		b.WriteString("records:\n")
		line++
	case FormatJSON:
		b.WriteString("{\"records\": [\n")
		line++
	case FormatCSV:
		b.WriteString("id,kind,note\n")
		line++
	}
	for i := 1; b.Len() < 70000; i++ {
		var prefix, suffix string
		id := fmt.Sprintf("r%d", i)
		switch format {
		case FormatYAML:
			prefix, suffix = "  - {id: "+id+", kind: enterprise_count, note: \"", "\"}\n"
		case FormatJSON:
			prefix, suffix = "{\"id\": \""+id+"\", \"kind\": \"enterprise_count\", \"note\": \"", "\"},\n"
		case FormatJSONL:
			prefix, suffix = "{\"id\": \""+id+"\", \"kind\": \"enterprise_count\", \"note\": \"", "\"}\n"
		case FormatCSV:
			prefix, suffix = id+",enterprise_count,", "\n"
		}
		note := strings.Repeat("a", 90+i%7)
		start := b.Len() + len(prefix)
		for _, cut := range cuts {
			// Catch the cut in this note, or lengthen the note to catch a
			// cut that falls after it, before the next note.
			if k := cut - 1 - start; k >= 0 && k < len(note)+len(suffix)+len(prefix)+10 {
				if k >= len(note) {
					note += strings.Repeat("a", k-len(note)+5)
				}
				note = note[:k] + special + note[k:]
			}
		}
		b.WriteString(prefix + note + suffix)
		notes = append(notes, note)
		lines = append(lines, line)
		line++
	}
	if format == FormatJSON {
		b.WriteString("{\"id\": \"last\", \"kind\": \"enterprise_count\"}\n]}\n")
		notes = append(notes, "")
		lines = append(lines, line)
	}
	return b.String(), notes, lines
}

// TestBufferBoundaries reads files in which characters, and invalid bytes,
// cross the boundaries of the readers' buffers (4 KiB and 64 KiB).
func TestBufferBoundaries(t *testing.T) {
	cuts := []int{4096, 8192, 65536}
	for _, format := range []string{FormatYAML, FormatJSON, FormatJSONL, FormatCSV} {
		for _, special := range []string{"€", "𝄞", "é"} {
			data, notes, lines := bigFile(format, special, cuts)
			for _, cut := range cuts {
				if !strings.HasPrefix(data[cut-1:], special) {
					t.Fatalf("%s: %q is not at offset %d", format, special, cut-1)
				}
			}
			items := readAll(t, File{Path: "f", Format: format, open: func() (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader(data)), nil
			}}, Options{})
			if len(items) != len(notes) {
				t.Fatalf("%s %q: read %d records; want %d", format, special, len(items), len(notes))
			}
			for i, it := range items {
				if it.Pos.Line != lines[i] || len(it.Problems) > 0 {
					t.Errorf("%s %q: record %d at line %d with problems %v; want line %d", format, special, i, it.Pos.Line, it.Problems, lines[i])
				}
				if got := it.Record.(*schema.EnterpriseCount).Note; got != notes[i] {
					t.Errorf("%s %q: record %d has note %q; want %q", format, special, i, got, notes[i])
				}
			}
		}
		for _, special := range []string{"\xE2\x82", "\xff", "\xF0\x9D\x84"} {
			for _, cut := range cuts {
				data, _, _ := bigFile(format, special, []int{cut})
				// The position of the bad byte, counted by hand.
				bad := cut - 1
				line := 1 + strings.Count(data[:bad], "\n")
				col := bad - strings.LastIndexByte(data[:bad], '\n')
				r, _ := Open(File{Path: "f", Format: format}, strings.NewReader(data), Options{})
				err := endError(r)
				var e *Error
				if !errors.As(err, &e) || e.Rule != RuleEncoding || e.Pos.Line != line || e.Pos.Column != col {
					t.Errorf("%s %q at %d: error %v; want an encoding error at f:%d:%d", format, special, cut, err, line, col)
				}
			}
		}
	}
}

// A long CSV row stops reading early, rather than filling memory.
func TestCSVRowLimitStopsReading(t *testing.T) {
	const max = 1000
	data := "id,kind,note\na,enterprise_count,\"" + strings.Repeat("x\n", 1<<20)
	src := &countingReader{r: strings.NewReader(data)}
	r, _ := Open(File{Path: "f", Format: FormatCSV}, src, Options{Limits: Limits{MaxLineBytes: max}})
	_, err := r.Next()
	var e *Error
	if !errors.As(err, &e) || e.Rule != RuleLimit || lineCol(e.Pos) != "2" {
		t.Fatalf("Next: %v; want a limit error at line 2", err)
	}
	if src.n > 4*max+4*csvReadAhead+trackerBufSize {
		t.Errorf("read %d bytes to find a row longer than %d bytes", src.n, max)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Readers do not depend on how the file's bytes arrive.
func TestOneByteSource(t *testing.T) {
	for _, tc := range readerTests {
		r, _ := Open(File{Path: "f", Format: tc.format}, iotest.OneByteReader(strings.NewReader(tc.data)), tc.opts)
		r2, _ := Open(File{Path: "f", Format: tc.format}, bytes.NewReader([]byte(tc.data)), tc.opts)
		for n := 0; n < 1000; n++ {
			it, err := r.Next()
			it2, err2 := r2.Next()
			if fmt.Sprint(err) != fmt.Sprint(err2) || !reflect.DeepEqual(it, it2) {
				t.Errorf("%s/%s: item %d differs when read one byte at a time: %v %v / %v %v", tc.format, tc.name, n, it, err, it2, err2)
				break
			}
			if err == io.EOF {
				break
			}
		}
	}
}

// sameItems checks that got holds the items of want, without problems: the
// same ids, kinds, records and sources, in the same order.
func sameItems(t *testing.T, got, want []*Item) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d items; want %d", len(got), len(want))
	}
	for i := range got {
		if len(got[i].Problems) > 0 {
			t.Errorf("item %d: problems %v", i, got[i].Problems)
		}
		if got[i].ID != want[i].ID || got[i].Kind != want[i].Kind ||
			!reflect.DeepEqual(got[i].Record, want[i].Record) || !reflect.DeepEqual(got[i].Source, want[i].Source) {
			t.Errorf("item %d:\n got %+v %+v\nwant %+v %+v", i, got[i].Record, got[i].Source, want[i].Record, want[i].Source)
		}
	}
}
