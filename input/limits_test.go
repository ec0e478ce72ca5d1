package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"export/schema"
)

// The limits of docs/LIMITS.md, each with a test that fails when it is not
// enforced. Besides these: TestXLSXZipBomb and TestXLSXFileLimit
// (xlsx_test.go) for workbooks, TestCSVRowLimitStopsReading
// (positions_test.go) for CSV rows, and, for more than 1,048,576 rows of
// one kind, TestXLSXRowLimit and TestXLSXRowLimitLarge in
// output/xlsx_test.go (the XLSX output continues on further sheets).

var limitTests = []readerTest{
	// MaxRecords: the entry past the limit ends the file with an error at
	// its position; sources and records are counted apart.
	{
		name: "records over the limit", format: FormatYAML, opts: Options{Limits: Limits{MaxRecords: 2}},
		data: `sources:
  - {id: s1, title: T}
  - {id: s2, title: T}
records:
  - {id: a, kind: enterprise_count}
  - {id: b, kind: enterprise_count}
  - {id: c, kind: enterprise_count}
`,
		want: `
2:5 source s1
3:5 source s2
5:5 enterprise_count a
6:5 enterprise_count b
error 7:5 - [limit]`,
		msgs: []string{"the file holds more than 2 records, the limit for one file (--max-records); split it into several files"},
	},
	{
		name: "sources over the limit", format: FormatYAML, opts: Options{Limits: Limits{MaxRecords: 1}},
		data: `sources:
  - {id: s1, title: T}
  - {id: s2, title: T}
`,
		want: `
2:5 source s1
error 3:5 - [limit]`,
		msgs: []string{"more than 1 sources"},
	},
	{
		name: "records over the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxRecords: 1}},
		data: `{"records": [{"id": "a", "kind": "enterprise_count"}, 1, {"id": "b"}]}`,
		want: `
1:14 enterprise_count a
1:55 -
  1:55 - [type]
error 1:58 - [limit]`,
	},
	{
		name: "records over the limit", format: FormatJSONL, opts: Options{Limits: Limits{MaxRecords: 1}},
		data: "{\"id\": \"a\", \"kind\": \"enterprise_count\"}\n{\"id\": \"b\"}\n",
		want: `
1:1 enterprise_count a
error 2:1 - [limit]`,
	},
	{
		name: "broken lines over the limit", format: FormatJSONL, opts: Options{Limits: Limits{MaxRecords: 2}},
		data: "1\n2\n3\n",
		want: `
1:1 -
  1:1 - [syntax]
2:1 -
  2:1 - [syntax]
error 3:1 - [limit]`,
		msgs: []string{"the file holds more than 2 entries that are neither records nor sources"},
	},
	{
		name: "records over the limit", format: FormatCSV, opts: Options{Limits: Limits{MaxRecords: 2}},
		data: "id,kind\na,enterprise_count\nb,enterprise_count\nc,enterprise_count\nd,enterprise_count\n",
		want: `
2:1 enterprise_count a
3:1 enterprise_count b
error 4:1 - [limit]`,
	},
	{
		name: "records at the limit", format: FormatCSV, opts: Options{Limits: Limits{MaxRecords: 2}},
		data: "id,kind\na,enterprise_count\nb,enterprise_count\n",
		want: `
2:1 enterprise_count a
3:1 enterprise_count b`,
	},

	// MaxFieldBytes: a value over it is a problem of its record at the
	// value, and is not read (so validation says nothing more about it);
	// the next record is read. A field name over it too.
	{
		name: "value over the limit", format: FormatYAML, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: `records:
  - id: a
    kind: enterprise_count
    quote: "seventeen bytes.."
    note: "sixteen bytes..."
    sectors: [ok, "seventeen bytes.."]
    seventeen-bytes..: 1
  - {id: b, kind: enterprise_count}
`,
		want: `
2:5 enterprise_count a
  4:12 quote [limit]
  6:19 sectors [limit]
  7:5 - [limit]
8:5 enterprise_count b`,
		msgs: []string{"the value is 17 bytes long, over the limit of 16 bytes for one value (--max-field-size); it was not read",
			"a field name is 17 bytes long"},
	},
	{
		name: "value over the limit", format: FormatJSONL, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: "{\"id\": \"a\", \"kind\": \"enterprise_count\", \"quote\": \"seventeen bytes..\", \"note\": \"sixteen bytes...\"}\n" +
			"{\"id\": \"b\", \"kind\": \"enterprise_count\", \"seventeen-bytes..\": 1}\n" +
			"{\"id\": \"c\", \"kind\": \"enterprise_count\"}\n",
		want: `
1:1 enterprise_count a
  1:50 quote [limit]
2:1 enterprise_count b
  2:41 - [limit]
3:1 enterprise_count c`,
	},
	{
		name: "value over the limit", format: FormatCSV, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: "id,kind,quote,note\na,enterprise_count,seventeen bytes..,sixteen bytes...\nb,enterprise_count,,\n",
		want: `
2:1 enterprise_count a
  2:20 quote [limit]
3:1 enterprise_count b`,
	},
	{
		name: "header cell over the limit", format: FormatCSV, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: "id,kind,seventeen-bytes..\na,enterprise_count,x\n",
		want: `
1:9 -
  1:9 - [limit]
2:1 enterprise_count a`,
	},
	// In a JSON file the value is refused while it is read: the file ends
	// at the start of the string (escapes count as what they stand for).
	{
		name: "string over the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: `{"records": [{"id": "a", "kind": "enterprise_count", "note": "sixteen bytes...", "quote": "seventeen bytes.."}]}`,
		want: `
error 1:91 quote [limit]`,
		msgs: []string{"a text longer than 16 bytes, the limit for one value (--max-field-size); no field of a dataset holds that much"},
	},
	{
		name: "escaped string at the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		// 16 bytes once decoded: é is 2 bytes, 😀 (a surrogate pair) 4, \n 1.
		data: `{"records": [{"id": "a", "kind": "enterprise_count", "note": "\u00e9\u00e9\ud83d\ude00\n\"\\\/abcd"}]}`,
		want: `
1:14 enterprise_count a`,
	},
	{
		name: "escaped string over the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: `{"records": [{"id": "a", "kind": "enterprise_count", "note": "\u00e9\u00e9\ud83d\ude00\n\"\\\/abcde"}]}`,
		want: `
error 1:62 note [limit]`,
	},
	{
		name: "key over the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: "{\"records\": [\n  {\"seventeen-bytes..\": 1}]}",
		want: `
error 2:4 - [limit]`,
	},
	{
		name: "number over the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: `{"records": [{"amount": 12345678901234567}]}`,
		want: `
error 1:25 amount [limit]`,
		msgs: []string{"a number longer than 16 bytes"},
	},
	{
		name: "syntax error before the limit", format: FormatJSON, opts: Options{Limits: Limits{MaxFieldBytes: 16}},
		data: `{"records": [{"amount": x, "quote": "seventeen bytes.."}]}`,
		want: `
error 1:25 - [syntax]`,
	},
	{
		name: "record over the line limit", format: FormatJSON, opts: Options{Limits: Limits{MaxLineBytes: 64}},
		data: `{"sources": [{"id": "s"}], "records": [{"id": "a"}, {"id": "b", "sectors": ["a","a","a","a","a","a","a","a","a","a","a","a","a"]}, {"id": "c"}]}`,
		want: `
1:14 source s
1:40 - a
  1:40 kind [kind]
error 1:53 - [limit]`,
		msgs: []string{"this record takes more than 64 bytes of JSON; a record is a few fields of text and numbers"},
	},
	{
		name: "record over the line limit, sources pass", format: FormatJSON, opts: Options{Only: OnlySources, Limits: Limits{MaxLineBytes: 64}},
		data: `{"records": [{"id": "a"}, {"id": "b", "sectors": ["a","a","a","a","a","a","a","a","a","a","a","a","a"]}], "sources": [{"id": "s"}]}`,
		want: `
error 1:27 - [limit]`,
	},
	// An element's bound starts after its first token, in the pass that
	// reads it and in the pass that skips it: the "," and the white space
	// before it (bounded on their own) do not count. Each second element
	// here takes 24 or 25 bytes after 60 spaces, within the limit of 64.
	{
		name: "elements after white space", format: FormatJSON, opts: Options{Limits: Limits{MaxLineBytes: 64}},
		data: elementsAfterSpace,
		want: `
1:14 source s
1:100 source t
1:140 - a
  1:160 kind [kind]
1:225 - b
  1:245 kind [kind]`,
	},
	{
		name: "elements after white space, sources pass", format: FormatJSON, opts: Options{Only: OnlySources, Limits: Limits{MaxLineBytes: 64}},
		data: elementsAfterSpace,
		want: `
1:14 source s
1:100 source t`,
	},
	{
		name: "elements after white space, records pass", format: FormatJSON, opts: Options{Only: OnlyRecords, Limits: Limits{MaxLineBytes: 64}},
		data: elementsAfterSpace,
		want: `
1:140 - a
  1:160 kind [kind]
1:225 - b
  1:245 kind [kind]`,
	},
	{
		name: "marks over the limit", format: FormatYAML, opts: Options{Limits: Limits{MaxYAMLMarks: 10}},
		data: "records:\n  - id: a\n    sectors: [a, b, c, d]\n    x: [e, f]\n",
		want: `
error 3 - [limit]`,
		msgs: []string{"the YAML file holds more than 10 of the marks that start a value (, : - ? [ { and line ends), more than is safe to parse whole; split it, or use CSV or JSON Lines for large datasets"},
	},
	{
		name: "marks at the limit", format: FormatYAML, opts: Options{Limits: Limits{MaxYAMLMarks: 10}},
		data: "records:\n  - id: a\n    sectors: [a, b, c]\n",
		want: `
2:5 - a
  2:5 kind [kind]`,
	},
	{
		name: "white space over the line limit", format: FormatJSON, opts: Options{Limits: Limits{MaxLineBytes: 16}},
		data: "{\"records\": [" + strings.Repeat(" ", 17) + "]}",
		want: `
error 1:14 - [limit]`,
		msgs: []string{"more than 16 bytes of white space in a row"},
	},
}

var elementsAfterSpace = `{"sources": [{"id": "s", "title": "T"},` + strings.Repeat(" ", 60) + `{"id": "t", "title": "T"}], ` +
	`"records": [{"id": "a", "kind": "x"},` + strings.Repeat(" ", 60) + `{"id": "b", "kind": "x"}]}`

func TestLimits(t *testing.T) {
	for _, tc := range limitTests {
		t.Run(tc.format+"/"+tc.name, func(t *testing.T) {
			got, msgs := transcript(t, tc.format, tc.data, tc.opts)
			if want := strings.TrimSpace(tc.want); got != want {
				t.Errorf("read:\n%s\nwant:\n%s", got, want)
			}
			for _, m := range tc.msgs {
				if !slicesContainsSubstring(msgs, m) {
					t.Errorf("no message holds %q; messages:\n%s", m, strings.Join(msgs, "\n"))
				}
			}
		})
	}
}

// endless is a hostile stream: head, then filler forever.
type endless struct {
	head   []byte
	filler string
	i      int
	n      int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.filler[e.i%len(e.filler)]
		e.i++
	}
	e.n += int64(len(p))
	return len(p), nil
}

// A JSON string (or number, or white space) that never ends is refused
// once it passes the limit, having read little more than the limit: the
// decoder never holds it whole. With the default limit of 64 KiB, this
// stands for a 1 GB string in a JSON file.
func TestJSONValueNeverHeldWhole(t *testing.T) {
	for _, tc := range []struct {
		name, head, filler string
		only               string
		want               string
	}{
		{"string", `{"records": [{"id": "a", "quote": "`, "a", "", "f:1:35: quote: a text longer than 64KiB"},
		{"key", `{"records": [{"`, "a", "", "f:1:15: a text longer than 64KiB"},
		{"number", `{"records": [{"amount": 1`, "0", "", "f:1:25: amount: a number longer than 64KiB"},
		{"white space", `{"records": [`, " ", "", "f:1:14: more than 1MiB of white space in a row"},
		{"string in a skipped object", `{"records": [{"x": {"y": "`, "a", "", "f:1:26: x: a text longer than 64KiB"},
		// A record of millions of small values is not held either: a
		// record takes at most MaxLineBytes, also in the pass that skips it.
		{"list in a record", `{"records": [{"sectors": [`, "1,", "", "f:1:14: this record takes more than 1MiB of JSON"},
		{"object in a record", `{"records": [{"x": {`, `"a":1,`, "", "f:1:14: this record takes more than 1MiB of JSON"},
		{"list in a skipped record", `{"records": [{"sectors": [`, "1,", OnlySources, "f:1:14: this record takes more than 1MiB of JSON"},
		{"list in a source", `{"sources": [{"x": [`, "1,", "", "f:1:14: this source takes more than 1MiB of JSON"},
		{"list as a record", `{"records": [[`, "1,", "", "f:1:14: this record takes more than 1MiB of JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &endless{head: []byte(tc.head), filler: tc.filler}
			r, err := Open(File{Path: "f", Format: FormatJSON}, src, Options{Only: tc.only})
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var it *Item
			for err == nil {
				it, err = r.Next()
				if it != nil && len(it.Problems) == 0 {
					t.Fatalf("read an item: %+v", it)
				}
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrLimit) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v; want %q…", err, tc.want)
			}
			limit := int64(DefaultLimits.MaxFieldBytes)
			if !strings.Contains(tc.want, "64KiB") {
				limit = int64(DefaultLimits.MaxLineBytes)
			}
			if src.n > 2*limit+64<<10 {
				t.Errorf("read %d bytes to refuse a value over %d bytes", src.n, limit)
			}
			// The decoder allocates for every token it returns (and drops it
			// at once), so allocations say something only about one token.
			if alloc := after.TotalAlloc - before.TotalAlloc; tc.filler != "1," && tc.filler != `"a":1,` && alloc > uint64(16*limit+4<<20) {
				t.Errorf("allocated %d bytes to refuse a value over %d bytes", alloc, limit)
			}
		})
	}
}

// The file size limit: a file on disk is refused from its size, before a
// byte of it is read; a stream once it passes the limit.
func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	lim := Limits{MaxFileBytes: 100}
	for _, tc := range []struct{ name, data, want string }{
		{"big.json", `{"records": []}` + strings.Repeat(" ", 100), "the file is 115 bytes, over the limit of 100 bytes for an input file (--max-file-size)"},
		{"big.jsonl", strings.Repeat("\n", 101), "the file is 101 bytes, over the limit of 100 bytes"},
		{"big.csv", "id,kind\n" + strings.Repeat("\n", 101), "the file is 109 bytes, over the limit of 100 bytes"},
		{"big.yaml", "records: []\n" + strings.Repeat("\n", 101), "the file is 113 bytes, over the limit of 100 bytes for an input file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			files, _, err := Collect([]string{p})
			if err != nil {
				t.Fatal(err)
			}
			// From disk: Open does not read r at all.
			src := &countingReader{r: strings.NewReader(tc.data)}
			r, err := Open(files[0], src, Options{Limits: lim})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Next()
			var e *Error
			if !errors.As(err, &e) || e.Pos != (Position{File: p}) || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("from disk: %v; want %q at %s", err, tc.want, p)
			}
			if src.n != 0 {
				t.Errorf("read %d bytes of a file refused from its size", src.n)
			}
			if it, err := r.Next(); it != nil || err != io.EOF {
				t.Errorf("after the error: %v, %v; want io.EOF", it, err)
			}

			// From a stream: refused after at most one byte past the limit.
			src = &countingReader{r: strings.NewReader(tc.data)}
			r, err = Open(File{Path: "f", Format: files[0].Format}, src, Options{Limits: lim})
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = r.Next()
			}
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "100 bytes") {
				t.Errorf("from a stream: %v; want a limit error", err)
			}
			if max := 101 + yamlReadAhead(files[0].Format); src.n > max {
				t.Errorf("from a stream: read %d bytes with a limit of 100; want at most %d", src.n, max)
			}
		})
	}

	// YAML has its own, lower limit, and says why.
	p := filepath.Join(dir, "big.yaml")
	files, _, _ := Collect([]string{p})
	r, _ := Open(files[0], strings.NewReader(""), Options{Limits: Limits{MaxYAMLBytes: 50}})
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "the file is 113 bytes, over the limit of 50 bytes for a YAML file, which is read whole") {
		t.Errorf("YAML over MaxYAMLBytes: %v", err)
	}
	// A file at the limit is read.
	r, _ = Open(files[0], strings.NewReader("records: []\n"+strings.Repeat("\n", 101)), Options{Limits: Limits{MaxFileBytes: 113}})
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("YAML at the limit: %v", err)
	}
}

// yamlReadAhead is how far a YAML file is read past its limit: the
// tracker's buffer.
func yamlReadAhead(format string) int {
	if format == FormatYAML {
		return trackerBufSize
	}
	return 0
}

// Deeply nested JSON is refused at the bracket past the limit, without
// recursion or memory proportional to the depth (a megabyte of brackets
// allocates a small part of that).
func TestJSONDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", 1<<20)
	for _, tc := range []struct{ name, data, want string }{
		{"in a value", `{"records": [{"sectors": ` + deep, "f:1:90: JSON nests deeper than 64 levels; dataset values are at most a list of text [limit]"},
		{"in an object", `{"records": [{"x": {"y": ` + deep, "f:1:89: JSON nests deeper than 64 levels; dataset values are at most a list of text [limit]"},
		{"in a skipped object", `{"records": [{"x": {"y": {"z": ` + deep, "f:1:93: JSON nests deeper than 64 levels [limit]"},
		{"in a skipped key", `{"other": ` + deep, "f:1:74: JSON nests deeper than 64 levels [limit]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, _ := Open(File{Path: "f", Format: FormatJSON}, strings.NewReader(tc.data), Options{})
			var err error
			for err == nil {
				_, err = r.Next()
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrLimit) || err.Error() != tc.want {
				t.Errorf("error %v; want %q", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(len(tc.data))/4 {
				t.Errorf("allocated %d KiB for %d KiB of input; want a small part of it", alloc>>10, len(tc.data)>>10)
			}
		})
	}
}

// "Billion laughs": YAML aliases are refused, never expanded (the
// transcript holds no expansion), so nested anchors cost nothing.
func TestYAMLBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("records:\n  - id: lol\n    kind: investment_total\n")
	b.WriteString(`    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "    %c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1)
	}
	b.WriteString("    quote: *i\n  - *i\n")
	got, msgs := transcript(t, FormatYAML, b.String(), Options{})
	want := `2:5 investment_total lol
  5:12 b [unsupported]
  6:12 c [unsupported]
  7:12 d [unsupported]
  8:12 e [unsupported]
  9:12 f [unsupported]
  10:12 g [unsupported]
  11:12 h [unsupported]
  12:12 i [unsupported]
  13:12 quote [unsupported]
  4:5 a [unknown_field]
14:5 -
  14:5 - [unsupported]`
	if got != want {
		t.Errorf("read:\n%s\nwant:\n%s", got, want)
	}
	if !slicesContainsSubstring(msgs, "YAML aliases (*i) are not allowed in dataset files") {
		t.Errorf("messages: %q", msgs)
	}
	// At the top, in place of the list of records.
	got, _ = transcript(t, FormatYAML, "x: &x [lol]\nrecords: *x\n", Options{})
	if !strings.Contains(got, "error 2:10 records [unsupported]") {
		t.Errorf("records: *x read as:\n%s", got)
	}
}

// A source's text is read whole, so it must be a regular file of at most
// 64 MiB: a larger one is refused from its size, and a named pipe without
// opening it (which would wait for a writer).
func TestSourceTextLimit(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.yaml")
	os.WriteFile(data, []byte("sources: []\n"), 0o644)
	big, err := os.Create(filepath.Join(dir, "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	big.Truncate(maxTextBytes + 1) // sparse: nothing is written
	big.Close()
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("text"), 0o644)
	mkfifo(t, filepath.Join(dir, "pipe.txt"))
	files, _, err := Collect([]string{data})
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	if _, err := f.ReadSourceText("big.txt"); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "big.txt is 67108865 bytes, over the limit of 64MiB for a source's text") {
		t.Errorf("big text: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := f.ReadSourceText("pipe.txt"); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "pipe.txt is not a regular file") {
			t.Errorf("named pipe: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a named pipe as a source text waits for a writer")
	}
	if b, err := f.ReadSourceText("ok.txt"); err != nil || !bytes.Equal(b, []byte("text")) {
		t.Errorf("ok.txt: %q, %v", b, err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 100: "100 bytes", 1024: "1KiB", 1536: "1536 bytes",
		64 << 20: "64MiB", 8 << 30: "8GiB", 3 << 40: "3TiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// In a workbook: a cell over MaxFieldBytes is a problem of its record at
// the cell, a header cell too; the row past MaxRecords ends the file.
func TestXLSXLimits(t *testing.T) {
	long := strings.Repeat("x", 17)
	data := buildXLSX(t, xsheet{"enterprise_counts", [][]any{
		{"id", "kind", "quote", long},
		{"a", nil, long, "ignored"},
		{"b", nil, "sixteen bytes..."},
	}})
	items, err := readXLSX(t, data, Options{Limits: Limits{MaxFieldBytes: 16}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"f.xlsx:enterprise_counts!D1: a field name is 17 bytes long, over the limit of 16 bytes for one value (--max-field-size); it was not read [limit]",
		"f.xlsx:enterprise_counts!C2: quote: the value is 17 bytes long, over the limit of 16 bytes for one value (--max-field-size); it was not read [limit]",
	}
	if got := problems(items); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(items) != 3 || items[1].ID != "a" || items[1].Record == nil || items[2].ID != "b" {
		t.Errorf("items %v", items)
	}

	items, err = readXLSX(t, data, Options{Limits: Limits{MaxRecords: 1}})
	if len(items) != 2 || !errors.Is(err, ErrLimit) ||
		err.Error() != "f.xlsx:enterprise_counts!A3: the file holds more than 1 records, the limit for one file (--max-records); split it into several files [limit]" {
		t.Errorf("%d items, error %v", len(items), err)
	}
}

// Deeply nested YAML is refused by the parser (yaml.v3 stops at 10,000
// levels), with a position, in well under a second.
func TestYAMLDepthLimit(t *testing.T) {
	for _, data := range []string{
		"records: " + strings.Repeat("[", 20000),
		"records:\n  - id: a\n    note: " + strings.Repeat("{a: ", 20000),
		"records:\n" + strings.Repeat("- ", 20000),
	} {
		r, _ := Open(File{Path: "f", Format: FormatYAML}, strings.NewReader(data), Options{})
		var err error
		for err == nil {
			_, err = r.Next()
		}
		var e *Error
		if !errors.As(err, &e) || e.Pos.Line < 1 || !strings.Contains(err.Error(), "exceeded max depth of 10000") {
			t.Errorf("%.30q…: error %v; want the depth limit at a line", data, err)
		}
	}
}

// A workbook fed back may hold formulas: they are never evaluated (nor are
// macros or external links, which the reader never opens). A formula cell
// reads as the value Excel saved with it, here none; text that looks like
// a formula is text.
func TestXLSXFormulasNotEvaluated(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "enterprise_counts")
	f.SetSheetRow("enterprise_counts", "A1", &[]any{"id", "enterprises", "note", "quote"})
	f.SetSheetRow("enterprise_counts", "A2", &[]any{"a", nil, nil, "=cmd|' /C calc'!A0"})
	f.SetCellFormula("enterprise_counts", "B2", "1+1")
	f.SetCellFormula("enterprise_counts", "C2", `WEBSERVICE("http://example.invalid/")`)
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	items, err := readXLSX(t, b.Bytes(), Options{})
	if err != nil || len(items) != 1 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	rec, ok := items[0].Record.(*schema.EnterpriseCount)
	if !ok {
		t.Fatalf("record %T", items[0].Record)
	}
	if rec.Enterprises != nil || rec.Note != "" || rec.Quote != "=cmd|' /C calc'!A0" {
		t.Errorf("enterprises %v, note %q, quote %q; want the formulas unevaluated and the text as it is", rec.Enterprises, rec.Note, rec.Quote)
	}
}
