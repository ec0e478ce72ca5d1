package input

import (
	"strings"
	"testing"
	"testing/fstest"
)

// encodingTests are texts that no character stands for, or files that are
// not UTF-8 text at all: each is an error at its position, with the rule
// encoding, never a U+FFFD that the file does not hold.
var encodingTests = []readerTest{
	{
		name: "half a surrogate pair", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "x \ud800 y"}]}`,
		want: `error 1:64 note [encoding]`,
		msgs: []string{`the escape \uD800 is half of a UTF-16 surrogate pair, without the other half`},
	},
	{
		name: "a low half alone", format: FormatJSON,
		data: "{\"records\": [\n  {\"id\": \"a\", \"kind\": \"agreement_count\", \"note\": \"\\udc00\"}]}",
		want: `error 2:51 note [encoding]`,
		msgs: []string{`\uDC00 is half`},
	},
	{
		name: "a high half at the end of the text", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "\uD83D"}]}`,
		want: `error 1:62 note [encoding]`,
	},
	{
		name: "a high half before an escaped character", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "\uD83D\n"}]}`,
		want: `error 1:62 note [encoding]`,
	},
	{
		name: "two high halves", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "\uD83D\uD83D"}]}`,
		want: `error 1:62 note [encoding]`,
	},
	{
		name: "in the sources pass, in a record it skips", format: FormatJSON, opts: Options{Only: OnlySources},
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "\ud800"}]}`,
		want: `error 1:62 note [encoding]`,
	},
	{
		name: "a whole pair, and an escaped backslash before u", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "agreement_count", "note": "\ud83d\ude00 \\ud800"}]}`,
		want: `1:14 agreement_count a`,
	},
	{
		name: "half a pair", format: FormatJSONL,
		data: "{\"id\": \"a\", \"kind\": \"agreement_count\"}\n{\"id\": \"b\", \"kind\": \"agreement_count\", \"note\": \"\\ud800\"}\n{\"id\": \"c\", \"kind\": \"agreement_count\"}\n",
		want: `
1:1 agreement_count a
2:1 -
  2:49 note [encoding]
3:1 agreement_count c`,
		msgs: []string{`\uD800 is half`},
	},
	{
		name: "a whole pair", format: FormatJSONL,
		data: `{"id": "a", "kind": "agreement_count", "note": "\ud83d\ude00"}`,
		want: `1:1 agreement_count a`,
	},
	{
		name: "half a pair", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: agreement_count\n    note: \"\\\\u0041 é \\ud800\"\n",
		want: `error 4:22 - [encoding]`,
		msgs: []string{`the escape \ud800 is half of a UTF-16 surrogate pair, which YAML does not allow`},
	},
	{
		name: "a whole pair", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: agreement_count\n    note: \"\\ud83d\\ude00\"\n",
		want: `error 4:12 - [encoding]`,
		msgs: []string{`the escapes \ud83d\ude00 are a UTF-16 surrogate pair`, `\U0001F600`},
	},
	{
		name: "a byte order mark in the middle", format: FormatYAML,
		data: "\xEF\xBB\xBFsources: []\n\xEF\xBB\xBFrecords: []\n",
		want: `error 2:1 - [encoding]`,
		msgs: []string{"a byte order mark (U+FEFF) in the middle of the file"},
	},
	{
		name: "a byte order mark in a value", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: agreement_count\n    note: \"é \xEF\xBB\xBF\"\n",
		want: `error 4:14 - [encoding]`,
	},
	{
		name: "a byte order mark on a line of its own", format: FormatYAML,
		data: "records:\n  - id: a\n\n\xEF\xBB\xBF\n  - id: b\n",
		want: `error 4:1 - [encoding]`,
	},
	{
		name: "past U+10FFFF", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: agreement_count\n    note: \"\\U00110000\"\n",
		want: `error 4:12 - [encoding]`,
		msgs: []string{`the escape \U00110000 stands for no Unicode character`},
	},
}

// notUTF8Tests are files that are not UTF-8 text, or not text at all: the
// error says what they are (an empty file says it is empty; only these).
func notUTF8Tests() []readerTest {
	var tests []readerTest
	utf16 := func(s string, bigEndian bool) string {
		var b []byte
		for _, c := range []byte(s) {
			if bigEndian {
				b = append(b, 0, c)
			} else {
				b = append(b, c, 0)
			}
		}
		return string(b)
	}
	for _, format := range []string{FormatYAML, FormatJSON, FormatJSONL, FormatCSV} {
		text := map[string]string{FormatYAML: "records: []\n", FormatJSON: `{"records": []}`,
			FormatJSONL: `{"id": "a"}`, FormatCSV: "id,kind\n"}[format]
		tests = append(tests,
			readerTest{name: "UTF-16 with a BOM (PowerShell)", format: format, data: "\xFF\xFE" + utf16(text, false),
				want: "error 1:1 - [encoding]", msgs: []string{"the file is UTF-16", "Out-File -Encoding utf8"}},
			readerTest{name: "UTF-16 big-endian with a BOM", format: format, data: "\xFE\xFF" + utf16(text, true),
				want: "error 1:1 - [encoding]", msgs: []string{"the file is UTF-16"}},
			readerTest{name: "UTF-16 without a BOM", format: format, data: utf16(text, false),
				want: "error 1:2 - [encoding]", msgs: []string{"the file holds NUL bytes from its start: it is UTF-16"}},
			readerTest{name: "UTF-16 big-endian without a BOM", format: format, data: utf16(text, true),
				want: "error 1:1 - [encoding]", msgs: []string{"the file holds NUL bytes from its start"}},
			readerTest{name: "zeros", format: format, data: strings.Repeat("\x00", 10000),
				want: "error 1:1 - [encoding]", msgs: []string{"the file holds NUL bytes from its start"}},
		)
	}
	return append(tests,
		readerTest{name: "a NUL byte in a cell", format: FormatCSV, data: "id,kind\na,enterprise_count\nb\x00,x\n",
			want: "2:1 enterprise_count a\nerror 3:2 - [encoding]", msgs: []string{"a NUL byte (0x00), which no text holds"}},
		readerTest{name: "a line comment", format: FormatJSON, data: "// figures of 2008\n{\"records\": []}",
			want: "error 1:1 - [syntax]", msgs: []string{"JSON has no comments"}},
		readerTest{name: "a block comment", format: FormatJSON, data: "{\"records\": [ /* none yet */ ]}",
			want: "error 1:15 - [syntax]", msgs: []string{"JSON has no comments"}},
		readerTest{name: "a comment", format: FormatJSONL, data: "// figures\n{\"id\": \"a\", \"kind\": \"agreement_count\"}\n",
			want: "1:1 -\n  1:1 - [syntax]\n2:1 agreement_count a", msgs: []string{"JSON has no comments"}},
		readerTest{name: "empty: no records", format: FormatJSONL, data: ""},
		readerTest{name: "white space: no records", format: FormatJSONL, data: "\xEF\xBB\xBF\n  \n"},
	)
}

func TestNotUTF8(t *testing.T)  { runReaderTests(t, notUTF8Tests()) }
func TestEncoding(t *testing.T) { runReaderTests(t, encodingTests) }

// A whole surrogate pair is one character, in JSON and JSON Lines.
func TestSurrogatePair(t *testing.T) {
	for _, format := range []string{FormatJSON, FormatJSONL} {
		data := `{"id": "a", "kind": "agreement_count", "note": "\ud83d\ude00"}`
		if format == FormatJSON {
			data = `{"records": [` + data + `]}`
		}
		items := readAll(t, FromFS(fstest.MapFS{"f." + format: {Data: []byte(data)}}, "f."+format, "f"), Options{})
		items[0].Problems = nil // required fields are missing
		if len(items) != 1 || items[0].Record == nil {
			t.Fatalf("%s: %+v", format, items)
		}
		col, _ := items[0].Kind.Column("note")
		if got := col.Text(items[0].Record); got != "😀" {
			t.Errorf("%s: note = %q; want 😀", format, got)
		}
	}
}
