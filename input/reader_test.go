package input

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// readerTest is one input file and what reading it gives, as a transcript:
// one line per item ("LINE:COL SORT ID", where SORT is source, the record's
// kind or "-"), an indented line per problem ("LINE:COL FIELD [RULE]"),
// and "error LINE:COL FIELD [RULE]" for an error that ends the file.
// Positions leave out the column when there is none; FIELD is "-" when the
// problem names none.
type readerTest struct {
	name   string
	format string
	data   string
	opts   Options
	want   string
	// msgs must each be found in the message of some problem or error.
	msgs []string
}

var readerTests = []readerTest{
	// YAML.
	{
		name: "positions", format: FormatYAML,
		data: `sources:
  - id: s
    title: T
records:
  - id: a
    kind: enterprise_count
    partner: KR
  - {id: b, kind: agreement_count}
`,
		want: `
2:5 source s
5:5 enterprise_count a
8:5 agreement_count b`,
	},
	{
		name: "unknown field", format: FormatYAML,
		data: `sources:
  - id: s
    kind: book
records:
  - id: a
    kind: enterprise_count
    colour: red
`,
		want: `
2:5 source s
  3:5 kind [unknown_field]
5:5 enterprise_count a
  7:5 colour [unknown_field]`,
		msgs: []string{`unknown field "kind" for a source`, `unknown field "colour" for an enterprise_count`},
	},
	{
		name: "duplicate key", format: FormatYAML,
		data: `records:
  - id: a
    kind: enterprise_count
    host: KZ
    host: KR
`,
		want: `
2:5 enterprise_count a
  5:5 host [duplicate_key]`,
		msgs: []string{"host is given twice (first at line 4)"},
	},
	{
		name: "wrong types", format: FormatYAML,
		data: `records:
  - id: a
    kind: investment_total
    amount: "3000000000"
    sectors: construction
    as_of: 5
  - id: b
    kind: enterprise_count
    enterprises: lots
    joint_ventures: 4.5
  - id: c
    kind: agreement_count
    parties: [KZ, [KR]]
    areas: {a: b}
`,
		want: `
2:5 investment_total a
  4:13 amount [type]
  5:14 sectors [type]
  6:12 as_of [type]
7:5 enterprise_count b
  9:18 enterprises [type]
  10:21 joint_ventures [type]
11:5 agreement_count c
  13:19 parties [type]
  14:12 areas [type]`,
		msgs: []string{`must be a number; got "3000000000"`, "must be a list", "must be a date",
			`must be a whole number; got "lots"`, "element 1 must be text; got a list", "must be a list"},
	},
	{
		name: "plain scalars are text", format: FormatYAML,
		data: `records:
  - id: 2024
    kind: agreement_count
    parties: [NO, yes]
    note: 3.5
`,
		want: `
2:5 agreement_count 2024`,
	},
	{
		name: "kind", format: FormatYAML,
		data: `records:
  - id: a
    kind: investment
  - id: b
    amount: 5
  - id: c
    kind: [investment_total]
`,
		want: `
2:5 - a
  3:11 kind [kind]
4:5 - b
  4:5 kind [kind]
6:5 - c
  7:11 kind [kind]`,
		msgs: []string{`unknown kind "investment"; use one of investment_total, enterprise_count, agreement_count`, "kind is required"},
	},
	{
		name: "alias", format: FormatYAML,
		data: `records:
  - id: &x a
    kind: enterprise_count
    host: *x
    <<: *x
  - &r {id: b, kind: enterprise_count}
  - *r
`,
		want: `
2:5 enterprise_count a
  4:11 host [unsupported]
  5:9 << [unsupported]
6:5 enterprise_count b
7:5 -
  7:5 - [unsupported]`,
		msgs: []string{"YAML aliases (*x) are not allowed"},
	},
	{
		name: "merge key", format: FormatYAML,
		data: `sources:
  - {id: s, title: S, <<: {year: 2000}}
records:
  - id: a
    <<: {kind: enterprise_count}
`,
		want: `
2:5 source s
  2:23 - [unsupported]
4:5 - a
  5:5 - [unsupported]
  4:5 kind [kind]`,
		msgs: []string{"YAML merge keys (<<) are not allowed in dataset files; write the merged fields into the record itself"},
	},
	{
		name: "alias to a list", format: FormatYAML,
		data: `sources: &s []
records: *s
`,
		want: `
error 2:10 records [unsupported]`,
	},
	{
		name: "unknown alias", format: FormatYAML,
		data: `records:
  - id: a
    kind: *nowhere
`,
		want: `
error 3:11 - [unsupported]`,
	},
	{
		name: "multi-document", format: FormatYAML,
		data: `records: []
---
records: []
`,
		want: `
error 2:1 - [syntax]`,
		msgs: []string{"a dataset file holds one YAML document"},
	},
	{
		name: "multi-document after start marker", format: FormatYAML,
		data: "---\nrecords: []\n---\n",
		want: `
error 3:1 - [syntax]`,
	},
	{
		name: "unknown top-level key", format: FormatYAML,
		data: `sauces: []
records:
  - id: a
    kind: enterprise_count
`,
		want: `
1:1 -
  1:1 - [unknown_field]
3:5 enterprise_count a`,
		msgs: []string{`unknown top-level key "sauces"`},
	},
	{
		name: "not a mapping", format: FormatYAML,
		data: "- id: a\n",
		want: "error 1:1 - [syntax]",
	},
	{
		name: "section not a list", format: FormatYAML,
		data: "records: 5\n",
		want: "error 1:10 records [syntax]",
	},
	{
		name: "section twice", format: FormatYAML,
		data: "records: []\nrecords: []\n",
		want: "error 2:1 records [duplicate_key]",
		msgs: []string{"records: is given twice (first at line 1)"},
	},
	{
		name: "element not a mapping", format: FormatYAML,
		data: "records:\n  - 5\n  - [a]\n",
		want: `
2:5 -
  2:5 - [type]
3:5 -
  3:5 - [type]`,
		msgs: []string{"each record must be a mapping"},
	},
	{
		name: "field name not text", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: enterprise_count\n    [x]: 1\n",
		want: `
2:5 enterprise_count a
  4:5 - [syntax]`,
	},
	{
		name: "empty", format: FormatYAML,
		data: "",
		want: "error 1 - [syntax]",
		msgs: []string{"the file is empty (or holds only comments)"},
	},
	{
		name: "comment only", format: FormatYAML,
		data: "# nothing yet\n",
		want: "error 1 - [syntax]",
		msgs: []string{"the file is empty (or holds only comments)"},
	},
	{
		name: "null", format: FormatYAML,
		data: "~\n",
	},
	{
		name: "empty sections", format: FormatYAML,
		data: "sources:\nrecords:\n",
	},
	{
		name: "BOM and CRLF", format: FormatYAML,
		data: "\xEF\xBB\xBFrecords:\r\n  - id: a\r\n    kind: x\r\n  - id: b\r\n    kind: enterprise_count\r\n    colour: red\r\n",
		want: `
2:5 - a
  3:11 kind [kind]
4:5 enterprise_count b
  6:5 colour [unknown_field]`,
	},
	{
		// yaml.v3 ends lines at these too; editors and the other readers do not.
		name: "line separators", format: FormatYAML,
		data: "records:\n  - {note: \"x\u2028y\", kind: x}\n  - id: a\n    note: \"x\u2028y\u0085z\u2029\"\n    kind: x\n  - id: b\r\n",
		want: `
2:5 -
  2:25 kind [kind]
3:5 - a
  5:11 kind [kind]
6:5 - b
  6:5 kind [kind]`,
	},
	{
		name: "syntax error after a line separator", format: FormatYAML,
		data: "records:\n  - note: \"\u2028\"\n  - id: \"abc\n",
		want: "error 3 - [syntax]",
	},
	{
		name: "section twice after a line separator", format: FormatYAML,
		data: "# \u2028\nrecords: []\nrecords: []\n",
		want: "error 3:1 records [duplicate_key]",
		msgs: []string{"records: is given twice (first at line 2)"},
	},
	{
		name: "invalid UTF-8", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: en\xffterprise_count\n",
		want: "error 3:13 - [encoding]",
	},
	{
		name: "control character", format: FormatYAML,
		data: "records:\n  - id: a\n    note: a\x01b\n",
		want: "error 3:12 - [syntax]",
		msgs: []string{"control character U+0001"},
	},
	{
		name: "syntax error on line 1", format: FormatYAML,
		data: "a: b: c\n",
		want: "error 1 - [syntax]",
		msgs: []string{"mapping values are not allowed in this context"},
	},
	{
		name: "syntax error in a quoted scalar", format: FormatYAML,
		data: "records:\n  - id: a\n    note: \"abc\n",
		want: "error 3 - [syntax]",
	},
	{
		// yaml.v3 reports the line where the enclosing block starts.
		name: "syntax error in a block", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: x\n   bad: indent\n",
		want: "error 2 - [syntax]",
		msgs: []string{"did not find expected '-' indicator"},
	},
	{
		name: "syntax error without context", format: FormatYAML,
		data: "records:\n  - id: a\n    kind: x\n}\n",
		want: "error 4 - [syntax]",
	},
	{
		name: "only sources", format: FormatYAML, opts: Options{Only: OnlySources},
		data: "sauces: 1\nrecords:\n  - id: a\nsources:\n  - id: s\n",
		want: `
1:1 -
  1:1 - [unknown_field]
5:5 source s`,
	},
	{
		name: "only records", format: FormatYAML, opts: Options{Only: OnlyRecords},
		data: "sauces: 1\nrecords:\n  - id: a\nsources:\n  - id: s\n",
		want: `
3:5 - a
  3:5 kind [kind]`,
	},
	{
		name: "size limit", format: FormatYAML, opts: Options{Limits: Limits{MaxYAMLBytes: 20}},
		data: "records:\n  - id: abcdef\n    kind: x\n",
		want: "error 2 - [limit]",
	},
	{
		// A multibyte character across the limit must not hang the reader.
		name: "size limit in a character", format: FormatYAML, opts: Options{Limits: Limits{MaxYAMLBytes: 20}},
		data: "records:\n  - id: ab€\n    kind: x\n",
		want: "error 2 - [limit]",
	},

	// JSON.
	{
		name: "positions", format: FormatJSON,
		data: `{
  "sources": [
    {"id": "s", "title": "T"}
  ],
  "records": [
    {
      "id": "a",
      "kind": "enterprise_count"
    },
    {"id": "b", "kind": "agreement_count"}
  ]
}`,
		want: `
3:5 source s
6:5 enterprise_count a
10:5 agreement_count b`,
	},
	{
		name: "unknown field", format: FormatJSON,
		data: `{"sources": [{"id": "s", "kind": "book"}],
"records": [{"id": "a", "kind": "enterprise_count", "colour": "red"}]}`,
		want: `
1:14 source s
  1:26 kind [unknown_field]
2:13 enterprise_count a
  2:53 colour [unknown_field]`,
		msgs: []string{`unknown field "kind" for a source`, `unknown field "colour" for an enterprise_count`},
	},
	{
		name: "duplicate key", format: FormatJSON,
		data: `{"records": [
{"id": "a", "kind": "enterprise_count", "host": "KZ",
 "host": "KR"}]}`,
		want: `
2:1 enterprise_count a
  3:2 host [duplicate_key]`,
		msgs: []string{"host is given twice (first at line 2)"},
	},
	{
		name: "wrong types", format: FormatJSON,
		data: `{"records": [
{"id": "a", "kind": "investment_total", "amount": "3000000000", "sectors": "construction", "as_of": 5},
{"id": "b", "kind": "enterprise_count", "enterprises": "lots", "joint_ventures": 4.5, "host": true},
{"id": "c", "kind": "agreement_count", "parties": ["KZ", ["KR"]], "areas": {"a": "b"}, "documents": null}
]}`,
		want: `
2:1 investment_total a
  2:51 amount [type]
  2:76 sectors [type]
  2:101 as_of [type]
3:1 enterprise_count b
  3:56 enterprises [type]
  3:82 joint_ventures [type]
  3:95 host [type]
4:1 agreement_count c
  4:58 parties [type]
  4:76 areas [type]`,
		msgs: []string{`must be a number; got "3000000000"`, `must be a list, such as [a, b]; got "construction"`,
			`must be a whole number; got "lots"`, "element 1 must be text; got a list", "must be text; got true or false"},
	},
	{
		name: "kind", format: FormatJSON,
		data: `{"records": [{"id": "a", "kind": "investment"}, {"id": "b"}, {"kind": 5}]}`,
		want: `
1:14 - a
  1:34 kind [kind]
1:49 - b
  1:49 kind [kind]
1:62 -
  1:71 kind [kind]`,
		msgs: []string{`unknown kind "investment"`, "kind is required", "got a number"},
	},
	{
		name: "syntax error", format: FormatJSON,
		data: `{"records": [{"id": "a",
 "kind": "enterprise_count" "host": "KZ"}]}`,
		want: "error 2:29 - [syntax]",
		msgs: []string{"invalid JSON: invalid character '\"' after object key:value pair"},
	},
	{
		name: "syntax error in a string", format: FormatJSON,
		data: `{"records": [{"id": "aaaaaaaaaa", "kind": "enterprise_count"},
 {"id": "b", "note": "abc\q"}]}`,
		want: `
1:14 enterprise_count aaaaaaaaaa
error 2:27 - [syntax]`,
		msgs: []string{"invalid character 'q' in string escape code"},
	},
	{
		name: "syntax error in a literal", format: FormatJSON,
		data: `{"records": [{"id": "aaaaaaaaaa", "kind": "enterprise_count"},
 {"id": "b", "amount": 12x}]}`,
		want: `
1:14 enterprise_count aaaaaaaaaa
error 2:26 - [syntax]`,
	},
	{
		name: "syntax error at a separator", format: FormatJSON,
		data: `{"records" , []}`,
		want: "error 1:12 - [syntax]",
	},
	{
		name: "syntax error in a value", format: FormatJSON,
		data: `{"records": [{"id": tru}]}`,
		want: "error 1:24 - [syntax]",
	},
	{
		name: "unexpected end", format: FormatJSON,
		data: `{"records": [{"id": "a"`,
		want: "error 1:24 - [syntax]",
		msgs: []string{"the file ends in the middle of a value"},
	},
	{
		name: "empty", format: FormatJSON,
		data: " \n",
		want: "error 1 - [syntax]",
		msgs: []string{"the file is empty"},
	},
	{
		name: "ends in the middle", format: FormatJSON,
		data: "{",
		want: "error 1:2 - [syntax]",
		msgs: []string{"the file ends in the middle of a value"},
	},
	{
		name: "not an object", format: FormatJSON,
		data: "\n[]",
		want: "error 2:1 - [syntax]",
		msgs: []string{"a JSON dataset file must be an object"},
	},
	{
		name: "trailing data", format: FormatJSON,
		data: "{\"records\": []}\n{}",
		want: "error 2:1 - [syntax]",
		msgs: []string{"more data after the dataset object"},
	},
	{
		name: "trailing bracket", format: FormatJSON,
		data: `{"records": []}]`,
		want: "error 1:16 - [syntax]",
	},
	{
		name: "unknown top-level key", format: FormatJSON,
		data: `{"$schema": "x", "sauces": {"a": [1]}, "records": [{"id": "a", "kind": "enterprise_count"}]}`,
		want: `
1:18 -
  1:18 - [unknown_field]
1:52 enterprise_count a`,
		msgs: []string{`unknown top-level key "sauces"`},
	},
	{
		name: "section twice", format: FormatJSON,
		data: "{\"records\": [],\n\"records\": []}",
		want: "error 2:1 records [duplicate_key]",
		msgs: []string{`"records" is given twice (first at line 1)`},
	},
	{
		name: "section not a list", format: FormatJSON,
		data: `{"sources": null, "records": {}}`,
		want: "error 1:30 records [syntax]",
	},
	{
		name: "element not an object", format: FormatJSON,
		data: `{"records": [5, [[1]], {"id": "a", "kind": "enterprise_count"}]}`,
		want: `
1:14 -
  1:14 - [type]
1:17 -
  1:17 - [type]
1:24 enterprise_count a`,
	},
	{
		name: "deep nesting", format: FormatJSON,
		data: `{"records": [{"id": "a", "note": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}]}`,
		want: "error 1:98 - [limit]",
	},
	{
		name: "deep nesting of objects", format: FormatJSON,
		data: `{"records": [{"id": "a", "note": ` + strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100) + `}]}`,
		want: "error 1:349 - [limit]",
	},
	{
		// The pass that skips the records refuses the bracket that the
		// pass that reads them refuses ("deep nesting").
		name: "deep nesting skipped", format: FormatJSON, opts: Options{Only: OnlySources},
		data: `{"records": [{"id": "a", "note": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}]}`,
		want: "error 1:98 - [limit]",
	},
	{
		// Just within the limit: the pass that skips the record does not
		// refuse it either (fuzzPasses checks the same on every test).
		name: "nesting of objects at the limit, skipped", format: FormatJSON, opts: Options{Only: OnlySources},
		data: `{"records": [{"id": "a", "note": ` + strings.Repeat(`{"a":`, 63) + "1" + strings.Repeat("}", 63) + `}]}`,
		want: "",
	},
	{
		name: "deep nesting of objects skipped", format: FormatJSON, opts: Options{Only: OnlySources},
		data: `{"records": [{"id": "a", "note": ` + strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100) + `}]}`,
		want: "error 1:349 - [limit]",
	},
	{
		name: "BOM and CRLF", format: FormatJSON,
		data: "\xEF\xBB\xBF{\"records\": [\r\n{\"id\": \"a\", \"kind\": \"x\"},\r\n  {\"id\": \"b\",\r\n \"kind\": \"enterprise_count\", \"colour\": 1}]}\r\n",
		want: `
2:1 - a
  2:21 kind [kind]
3:3 enterprise_count b
  4:30 colour [unknown_field]`,
	},
	{
		name: "invalid UTF-8", format: FormatJSON,
		data: "{\"records\": [\n{\"id\": \"a\", \"kind\": \"enterprise_count\"},\n{\"id\": \"b\xff\"}]}",
		want: `
2:1 enterprise_count a
error 3:10 - [encoding]`,
	},
	{
		name: "only sources", format: FormatJSON, opts: Options{Only: OnlySources},
		data: `{"records": [{"id": "a"}], "sauces": 1, "sources": [{"id": "s"}]}`,
		want: `
1:28 -
  1:28 - [unknown_field]
1:53 source s`,
	},
	{
		name: "only records", format: FormatJSON, opts: Options{Only: OnlyRecords},
		data: `{"records": [{"id": "a"}], "sauces": 1, "sources": [{"id": "s"}]}`,
		want: `
1:14 - a
  1:14 kind [kind]`,
	},

	// JSON Lines.
	{
		name: "positions", format: FormatJSONL,
		data: `{"type": "source", "id": "s", "title": "T"}

  {"id": "a", "kind": "enterprise_count"}
{"id": "b", "kind": "agreement_count"}`,
		want: `
1:1 source s
3:3 enterprise_count a
4:1 agreement_count b`,
	},
	{
		name: "problems", format: FormatJSONL,
		data: `{"type": "source", "id": "s", "kind": "book"}
{"id": "a", "kind": "enterprise_count", "colour": "red", "host": "KZ", "host": 1}
{"id": "b", "kind": "investment_total", "amount": "3000000000", "sectors": "trade", "as_of": 5}
{"id": "c", "kind": "enterprise_count", "enterprises": "lots", "parties": 1}
{"id": "d", "kind": "investment"}
{"id": "e"}`,
		want: `
1:1 source s
  1:31 kind [unknown_field]
2:1 enterprise_count a
  2:41 colour [unknown_field]
  2:72 host [duplicate_key]
3:1 investment_total b
  3:51 amount [type]
  3:76 sectors [type]
  3:94 as_of [type]
4:1 enterprise_count c
  4:56 enterprises [type]
  4:64 parties [unknown_field]
5:1 - d
  5:21 kind [kind]
6:1 - e
  6:1 kind [kind]`,
		msgs: []string{`unknown field "colour"`, "host is given twice (first at line 2)", `must be a number; got "3000000000"`},
	},
	{
		name: "type", format: FormatJSONL,
		data: `{"type": "record", "id": "a", "kind": "enterprise_count"}
{"type": "source", "id": "s"}
{"id": "b", "type": null}`,
		want: `
1:1 enterprise_count a
  1:10 type [type]
2:1 source s
3:1 - b
  3:21 type [type]
  3:1 kind [kind]`,
		msgs: []string{`type must be "source"`},
	},
	{
		name: "broken lines", format: FormatJSONL,
		data: `{"id": "a", "kind": "enterprise_count"
{"id": "b", "kind": "enterprise_count"}
[1]
{"id": "c", "note": "abc\q"}
{"id": "d"} {"id": "e"}
{"id": "f"}}
"x"
{"id": "g", "kind": "enterprise_count"}`,
		want: `
1:1 -
  1:39 - [syntax]
2:1 enterprise_count b
3:1 -
  3:1 - [syntax]
4:1 -
  4:26 - [syntax]
5:1 -
  5:13 - [syntax]
6:1 -
  6:12 - [syntax]
7:1 -
  7:1 - [syntax]
8:1 enterprise_count g`,
		msgs: []string{"more data after the object"},
	},
	{
		name: "deep nesting", format: FormatJSONL,
		data: `{"id": "a", "note": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}\n" + `{"id": "b", "kind": "enterprise_count"}`,
		want: `
1:1 -
  1:85 - [limit]
2:1 enterprise_count b`,
	},
	{
		name: "long line", format: FormatJSONL, opts: Options{Limits: Limits{MaxLineBytes: 40}},
		data: `{"id": "a", "kind": "enterprise_count"}` + "\n" + `{"id": "b", "kind": "enterprise_count"}` + "\n" +
			`{"id": "c", "kind": "enterprise_count",  }` + "\n",
		want: `
1:1 enterprise_count a
2:1 enterprise_count b
error 3 - [limit]`,
	},
	{
		name: "BOM and CRLF", format: FormatJSONL,
		data: "\xEF\xBB\xBF{\"id\": \"a\", \"kind\": \"x\"}\r\n\r\n{\"id\": \"b\", \"kind\": \"enterprise_count\", \"colour\": 1}\r\n",
		want: `
1:1 - a
  1:21 kind [kind]
3:1 enterprise_count b
  3:41 colour [unknown_field]`,
	},
	{
		name: "invalid UTF-8", format: FormatJSONL,
		data: "{\"id\": \"a\", \"kind\": \"enterprise_count\"}\n\n{\"id\": \"b\xff\"}\n{\"id\": \"c\"}\n",
		want: `
1:1 enterprise_count a
error 3:10 - [encoding]`,
	},
	{
		name: "only sources", format: FormatJSONL, opts: Options{Only: OnlySources},
		data: `{"id": "a"}
{"type": "source", "id": "s"}
{"typ\u0065": "source", "id": "t"}
{"type": "x", "id": "b"}
{"id": "c"`,
		want: `
2:1 source s
3:1 source t`,
	},
	{
		name: "only records", format: FormatJSONL, opts: Options{Only: OnlyRecords},
		data: `{"id": "a"}
{"type": "source", "id": "s"}
{"typ\u0065": "source", "id": "t"}
{"type": "x", "id": "b"}
{"id": "c"`,
		want: `
1:1 - a
  1:1 kind [kind]
4:1 - b
  4:10 type [type]
  4:1 kind [kind]
5:1 -
  5:11 - [syntax]`,
	},

	// CSV.
	{
		name: "positions", format: FormatCSV,
		data: "id,kind,partner\na,enterprise_count,KR\n\n\"b\",\"enterprise_count\",\"K\nR\"\nc,enterprise_count,KR\n",
		want: `
2:1 enterprise_count a
4:1 enterprise_count b
6:1 enterprise_count c`,
	},
	{
		name: "not applicable", format: FormatCSV,
		data: "id,kind,amount,enterprises,parties\na,enterprise_count,5,300,\nb,agreement_count,,,KZ;KR\n",
		want: `
2:1 enterprise_count a
  2:20 amount [not_applicable]
3:1 agreement_count b`,
		msgs: []string{`column "amount" does not apply to kind enterprise_count`},
	},
	{
		name: "ragged row", format: FormatCSV,
		data: "id,kind,host\na,enterprise_count\nb,enterprise_count,KZ,x\nc,enterprise_count,KZ\n",
		want: `
2:1 - a
  2:1 - [ragged_row]
3:1 - b
  3:1 - [ragged_row]
4:1 enterprise_count c`,
		msgs: []string{"row has 2 cells but the header has 3", "row has 4 cells"},
	},
	{
		name: "header problems", format: FormatCSV,
		data: "id,kind,colour,host,host,source_title,quote_verified\na,enterprise_count,red,KZ,KR,T,true\n",
		want: `
1:9 -
  1:9 colour [unknown_field]
  1:21 host [duplicate_key]
2:1 enterprise_count a`,
		msgs: []string{`unknown column "colour" in the header`, `column "host" appears twice in the header (first as column 4)`},
	},
	{
		name: "no kind column", format: FormatCSV,
		data: "id,host\na,KZ\n",
		want: "error 1:1 kind [kind]",
	},
	{
		name: "kind", format: FormatCSV,
		data: "id,kind\na,investment\nb,\n",
		want: `
2:1 - a
  2:3 kind [kind]
3:1 - b
  3:3 kind [kind]`,
		msgs: []string{`unknown kind "investment"`, "kind is required"},
	},
	{
		name: "wrong types", format: FormatCSV,
		data: "id,kind,amount,enterprises,documents,parties\na,investment_total,3bn,,,\nb,enterprise_count,,lots,,\nc,agreement_count,,,4.5,KZ;KR\n",
		want: `
2:1 investment_total a
  2:20 amount [type]
3:1 enterprise_count b
  3:21 enterprises [type]
4:1 agreement_count c
  4:21 documents [type]`,
		msgs: []string{`must be a number written in digits, such as 3000000000 or 2.5; got "3bn"`},
	},
	{
		name: "bare quote", format: FormatCSV,
		data: "id,kind\na,enterprise_count\nb,enter\"prise\n",
		want: `
2:1 enterprise_count a
error 3:8 - [syntax]`,
	},
	{
		name: "BOM and CRLF", format: FormatCSV,
		data: "\xEF\xBB\xBFid,kind,amount\r\na,investment_total,x\r\n\"b\",enterprise_count,\"5\r\n\"\r\nc,enterprise_count,\r\n",
		want: `
2:1 investment_total a
  2:20 amount [type]
3:1 enterprise_count b
  3:22 amount [not_applicable]
5:1 enterprise_count c`,
	},
	{
		name: "invalid UTF-8", format: FormatCSV,
		data: "id,kind\na,enterprise_count\nb,enter\xffprise\nc,enterprise_count\n",
		want: `
2:1 enterprise_count a
3:1 - b
  3:8 kind [encoding]`,
		msgs: []string{"invalid UTF-8 byte"},
	},
	{
		name: "invalid UTF-8 in a row that ends the file", format: FormatCSV,
		data: "id,kind,note\na,enterprise_count,caf\xe9",
		want: `
2:1 - a
  2:23 note [encoding]`,
	},
	{
		name: "invalid UTF-8 in the id", format: FormatCSV,
		data: "id,kind\nx\xffy,enterprise_count\n",
		want: `
2:1 -
  2:2 id [encoding]`,
	},
	{
		name: "invalid UTF-8 before a broken quote", format: FormatCSV,
		data: "id,kind\nx\xffy,\"enterprise_count\n",
		want: `
2:1 -
  2:2 - [encoding]`,
	},
	{
		name: "invalid UTF-8 in the header", format: FormatCSV,
		data: "id,k\xffind\na,enterprise_count\n",
		want: `error 1:5 - [encoding]`,
	},
	{
		name: "invalid UTF-8 in a quoted cell", format: FormatCSV,
		data: "id,kind\na,enterprise_count\nb,\"enter\nx\xffprise\"\nc,enterprise_count\n",
		want: `
2:1 enterprise_count a
3:1 - b
  4:2 kind [encoding]`,
	},
	{
		name: "long row", format: FormatCSV, opts: Options{Limits: Limits{MaxLineBytes: 30}},
		data: "id,kind,note\na,enterprise_count,short\nb,enterprise_count,\"a note that is far too long\"\n",
		want: `
2:1 enterprise_count a
error 3 - [limit]`,
	},
	{
		name: "empty", format: FormatCSV,
		data: "",
		want: "error 1 - [syntax]",
		msgs: []string{"the file is empty"},
	},
	{
		name: "blank lines", format: FormatCSV,
		data: "\xEF\xBB\xBF\r\n\n",
		want: "error 1 - [syntax]",
		msgs: []string{"the file is empty"},
	},
	{
		name: "header only", format: FormatCSV,
		data: "id,kind\n",
	},
	{
		name: "only sources", format: FormatCSV, opts: Options{Only: OnlySources},
		data: "id,kind,colour\na,enterprise_count,\n",
	},
}

func TestReaders(t *testing.T) { runReaderTests(t, readerTests) }

func runReaderTests(t *testing.T, tests []readerTest) {
	for _, tc := range tests {
		t.Run(tc.format+"/"+tc.name, func(t *testing.T) {
			got, msgs := transcript(t, tc.format, tc.data, tc.opts)
			want := strings.TrimSpace(tc.want)
			if got != want {
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

func slicesContainsSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// transcript reads data as file "f" and describes what it read (see
// readerTest), with the messages of every problem and error.
func transcript(t *testing.T, format, data string, opts Options) (string, []string) {
	t.Helper()
	r, err := Open(File{Path: "f", Format: format}, strings.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var lines, msgs []string
	problem := func(e *Error) string {
		if e.Pos.File != "f" {
			t.Errorf("%v: file %q, want f", e, e.Pos.File)
		}
		field := e.Field
		if field == "" {
			field = "-"
		}
		msgs = append(msgs, e.Message)
		return fmt.Sprintf("%s %s [%s]", lineCol(e.Pos), field, e.Rule)
	}
	for range 1000 {
		it, err := r.Next()
		if err == io.EOF {
			// The end is final.
			if it, err := r.Next(); it != nil || err != io.EOF {
				t.Errorf("Next after io.EOF = %v, %v; want nil, io.EOF", it, err)
			}
			return strings.Join(lines, "\n"), msgs
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Next: %T %v; want an *Error", err, err)
			}
			lines = append(lines, "error "+problem(e))
			continue
		}
		sort := "-"
		switch {
		case it.Source != nil:
			sort = "source"
		case it.Kind != nil:
			sort = it.Kind.Name
		}
		line := lineCol(it.Pos) + " " + sort
		if it.ID != "" {
			line += " " + it.ID
		}
		if it.Pos.File != "f" {
			t.Errorf("item at %v: file %q, want f", it.Pos, it.Pos.File)
		}
		lines = append(lines, line)
		for _, p := range it.Problems {
			lines = append(lines, "  "+problem(p))
		}
	}
	t.Fatal("Next does not end")
	return "", nil
}

func lineCol(p Position) string {
	s := strconv.Itoa(p.Line)
	if p.Column > 0 {
		s += ":" + strconv.Itoa(p.Column)
	}
	return s
}
