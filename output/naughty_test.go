package output_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"export/input"
	"export/output"
	"export/pipeline"
	"export/schema"
)

// TestNaughtyStrings puts every string of the Big List of Naughty Strings
// (testdata/blns, MIT licence) and of extraNaughtyStrings into every
// free-text field of a record (quote, note, citation, authority) and of a
// source (title, chapter, pages, publisher), one record or source per
// string and field, all in one JSON input file. Each must either be
// rejected with a positioned error by the field's own rule (nocontrol for
// control characters and the noncharacters U+FFFE and U+FFFF, max or min
// for the length; the first rule of the field's tag that fails) or travel through the reader, the validation and
// every writer exactly: read back with encoding/csv, excelize,
// encoding/json and parquet-go (and with export's own workbook reader, the
// analysts' round trip), every cell holds the string as given, except the
// documented apostrophe before CSV text that a spreadsheet would take for
// a formula.
//
// A quote shorter than 10 characters is rejected by min; so that every
// string also crosses the quote column, each also goes into a quote after
// a prefix ("quote-padded"). The other text columns hold no free text:
// ids and source references are slugs; countries, currencies, dates and
// the vocabularies are checked against their lists; url must be an http
// URL and a source's text a path inside the dataset's directory.
//
// The texts a workbook cannot hold exactly (README, XLSX: some with
// _xHHHH_ sequences, which excelize would store changed) are written in
// the other formats, and the XLSX writer must refuse them with
// ErrXLSXEscape, naming the record and the field.
func TestNaughtyStrings(t *testing.T) {
	strs := naughtyStrings(t)
	dir := t.TempDir()

	// The first run: every string in every field.
	all, cases := naughtyDataset(strs, nil)
	path := filepath.Join(dir, "naughty.json")
	if err := os.WriteFile(path, all, 0o644); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(all), "\n")
	files, _, err := input.Collect([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	col := &problemCollector{}
	// Which texts the workbook cannot hold is the third run's business.
	sum, err := pipeline.Check(context.Background(), files, col, nil, pipeline.Config{Strict: true, Writes: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]pipeline.Problem{}
	for _, r := range col.results {
		if len(r.Problems) > 0 {
			got[r.ID] = append(got[r.ID], r.Problems...)
		}
	}
	accepted := map[string]bool{}
	rejected := map[string]int{} // by rule
	for _, c := range cases {
		ps := got[c.id]
		delete(got, c.id)
		if c.rule == "" {
			accepted[c.id] = true
			for _, p := range ps {
				t.Errorf("%s = %+q: rejected with %s [%s]; want it accepted", c.field, c.value, p.Message, p.Rule)
			}
			continue
		}
		rejected[c.rule]++
		if len(ps) != 1 {
			t.Errorf("%s = %+q: %d problems %v; want one [%s]", c.field, c.value, len(ps), ps, c.rule)
			continue
		}
		p := ps[0]
		if p.Rule != c.rule || p.Field != c.field || p.Severity != schema.Error || p.Message == "" {
			t.Errorf("%s = %+q: %s: %s [%s]; want field %s [%s]", c.field, c.value, p.Field, p.Message, p.Rule, c.field, c.rule)
		}
		// The position is the field's own line in the file.
		if p.Pos.File != path || p.Pos.Line < 1 || p.Pos.Line > len(lines) || p.Pos.Column < 1 ||
			!strings.Contains(lines[p.Pos.Line-1], strconv.Quote(c.field)+":") {
			t.Errorf("%s = %+q: [%s] at %v, which is not the field's line", c.field, c.value, p.Rule, p.Pos)
		}
	}
	for id, ps := range got {
		t.Errorf("%s: unexpected problems %v", id, ps)
	}
	if sum.Errors != len(cases)-len(accepted) || sum.Warnings != 0 {
		t.Errorf("summary: %d errors, %d warnings; want %d and none", sum.Errors, sum.Warnings, len(cases)-len(accepted))
	}
	t.Logf("%d strings, %d cases: %d accepted, rejected by rule %v", len(strs), len(cases), len(accepted), rejected)

	// The texts excelize would not keep (TestXLSXEscapeLoses checks which
	// those are) are left for the third run; the second run reads the
	// workbook back, so any other text it did not keep would fail there.
	unheld := map[string]bool{}
	var lost []string
	for _, c := range cases {
		if _, loses := output.XLSXEscapeLoses(c.value); accepted[c.id] && loses {
			unheld[c.id] = true
			delete(accepted, c.id)
			lost = append(lost, c.value)
		}
	}
	t.Logf("%d texts a workbook cannot hold: %+q", len(lost), lost)
	checkXLSXRefuses(t, filepath.Join(dir, "unheld"), strs, unheld)

	// The second run: the accepted ones, written in every format.
	good, cases := naughtyDataset(strs, accepted)
	goodDir := filepath.Join(dir, "good")
	if err := os.Mkdir(goodDir, 0o755); err != nil {
		t.Fatal(err)
	}
	goodPath := filepath.Join(goodDir, "naughty.json")
	if err := os.WriteFile(goodPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err = input.Collect([]string{goodPath})
	if err != nil {
		t.Fatal(err)
	}
	var recs recordSink
	if sum, err := pipeline.Check(context.Background(), files, quietReporter{}, &recs, pipeline.Config{Strict: true}); err != nil || sum.Failed() {
		t.Fatalf("checking the accepted strings: %v, %d errors", err, sum.Errors)
	}
	out := filepath.Join(dir, "out")
	sum, _, err = pipeline.Run(context.Background(), files, quietReporter{}, pipeline.RunConfig{
		Config: pipeline.Config{Strict: true}, OutDir: out, Formats: output.Formats()})
	if err != nil || sum.Failed() {
		t.Fatalf("writing the accepted strings: %v, %d errors", err, sum.Errors)
	}

	// Every record holds what the input file said.
	byID := map[string]schema.Record{}
	for _, r := range recs {
		byID[schema.ID(r)] = r
	}
	checkRecordTexts(t, "the reader", byID, cases)

	// Every format holds every cell of every record, and every source.
	checkCells(t, out, output.Formats(), recs)
	checkSourceTexts(t, out, output.Formats(), cases)

	// The analysts' round trip: the workbook read back by export itself.
	checkRecordTexts(t, "the xlsx reader", readWorkbookRecords(t, filepath.Join(out, output.XLSXName)), cases)
}

// checkRecordTexts checks that every record case holds, in the field it
// names, exactly the text the input file said; what names who read them.
func checkRecordTexts(t *testing.T, what string, byID map[string]schema.Record, cases []naughtyCase) {
	t.Helper()
	for _, c := range cases {
		if c.source {
			continue
		}
		r, ok := byID[c.id]
		if !ok {
			t.Errorf("%s: no record %s", what, c.id)
			continue
		}
		col, _ := schema.KindOf(r).Column(c.field)
		if v := col.Text(r); v != c.value {
			t.Errorf("%s: %s %s = %+q, the file holds %+q", what, c.id, c.field, v, c.value)
		}
	}
}

// checkXLSXRefuses runs the cases of ids, texts excelize would store
// changed: a run that writes a workbook reports each as an error (rule
// xlsx_text) at its field and writes nothing; export validate reports each
// as a warning; written without xlsx, every other format holds each
// exactly.
func checkXLSXRefuses(t *testing.T, dir string, strs []string, ids map[string]bool) {
	t.Helper()
	if len(ids) == 0 {
		t.Fatal("no texts that a workbook cannot hold: the list of naughty strings lost its _xHHHH_ cases")
	}
	data, cases := naughtyDataset(strs, ids)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "unheld.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	files, _, err := input.Collect([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, run := range []struct {
		name     string
		severity schema.Severity
		check    func(pipeline.Reporter) (*pipeline.Summary, error)
	}{
		{"a run with xlsx", schema.Error, func(rep pipeline.Reporter) (*pipeline.Summary, error) {
			sum, _, err := pipeline.Run(context.Background(), files, rep, pipeline.RunConfig{
				OutDir: out, Formats: output.Formats()})
			return sum, err
		}},
		{"validate", schema.Warning, func(rep pipeline.Reporter) (*pipeline.Summary, error) {
			return pipeline.Check(context.Background(), files, rep, nil, pipeline.Config{})
		}},
	} {
		col := &problemCollector{}
		sum, err := run.check(col)
		if err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
		got := map[string][]pipeline.Problem{}
		for _, r := range col.results {
			got[r.ID] = append(got[r.ID], r.Problems...)
		}
		for _, c := range cases {
			ps := got[c.id]
			seq, _ := output.XLSXEscapeLoses(c.value)
			if len(ps) != 1 || ps[0].Rule != "xlsx_text" || ps[0].Field != c.field || ps[0].Severity != run.severity ||
				!strings.Contains(ps[0].Message, strconv.Quote(seq)) || ps[0].Pos.Line < 1 || ps[0].Pos.Line > len(lines) ||
				!strings.Contains(lines[ps[0].Pos.Line-1], strconv.Quote(c.field)+":") {
				t.Errorf("%s: %s %s = %+q: problems %+v; want one %v [xlsx_text] at the field naming %q",
					run.name, c.id, c.field, c.value, ps, run.severity, seq)
			}
		}
		wantErrors, wantWarnings := len(cases), 0
		if run.severity == schema.Warning {
			wantErrors, wantWarnings = 0, len(cases)
		}
		if sum.Errors != wantErrors || sum.Warnings != wantWarnings {
			t.Errorf("%s: %d errors and %d warnings, want %d and %d", run.name, sum.Errors, sum.Warnings, wantErrors, wantWarnings)
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: a failed run left %s: %v", run.name, out, err)
		}
	}

	var others []string
	for _, f := range output.Formats() {
		if f != output.FormatXLSX {
			others = append(others, f)
		}
	}
	sum, _, err := pipeline.Run(context.Background(), files, quietReporter{}, pipeline.RunConfig{
		Config: pipeline.Config{Strict: true}, OutDir: out, Formats: others})
	if err != nil || sum.Failed() {
		t.Fatalf("writing them without xlsx: %v", err)
	}
	var recs recordSink
	cfg := pipeline.Config{Strict: true, Writes: []string{}}
	if sum, err := pipeline.Check(context.Background(), files, quietReporter{}, &recs, cfg); err != nil || sum.Failed() {
		t.Fatalf("checking them: %v, %d errors", err, sum.Errors)
	}
	byID := map[string]schema.Record{}
	for _, r := range recs {
		byID[schema.ID(r)] = r
	}
	checkRecordTexts(t, "the reader", byID, cases)
	checkCells(t, out, others, recs)
	checkSourceTexts(t, out, others, cases)
}

// checkSourceTexts checks that the sources of cases hold their text in
// the formats that carry sources: sources.csv, the workbook's sources
// sheet and figures.json.
func checkSourceTexts(t *testing.T, out string, formats []string, cases []naughtyCase) {
	t.Helper()
	type carrier struct {
		format string
		byID   map[string]map[string]any
		want   func(string) string
	}
	var carriers []carrier
	exact := func(s string) string { return s }
	for _, f := range formats {
		switch f {
		case output.FormatCSV:
			carriers = append(carriers, carrier{f, rowsByID(readCSVTable(t, filepath.Join(out, "sources.csv"))), csvText})
		case output.FormatXLSX:
			carriers = append(carriers, carrier{f, rowsByID(readXLSXSheet(t, filepath.Join(out, output.XLSXName), "sources")), exact})
		case output.FormatJSON:
			carriers = append(carriers, carrier{f, rowsByID(readJSONSources(t, filepath.Join(out, output.JSONName))), exact})
		}
	}
	for _, c := range cases {
		if !c.source {
			continue
		}
		for _, f := range carriers {
			row := f.byID[c.id]
			if row == nil {
				t.Errorf("%s sources: no row for %s", f.format, c.id)
				continue
			}
			if g, w := row[c.field], f.want(c.value); g != w {
				t.Errorf("%s sources %s %s = %+q, want %+q", f.format, c.id, c.field, g, w)
			}
		}
	}
}

// TestNaughtyBytes puts text that is not UTF-8 into a note in every text
// format: the reader rejects the file at that line (rule encoding) before
// any value is read.
func TestNaughtyBytes(t *testing.T) {
	bad := []string{"\xff", "a\xc3\x28b", "\xed\xa0\x80 a surrogate", "\xf4\x90\x80\x80 past U+10FFFF",
		"\xc0\xaf overlong", "cut \xe2\x82", "\xfe\xff", "latin-1 caf\xe9"}
	const quote = "A quote of more than ten characters."
	for i, b := range bad {
		for _, format := range []string{input.FormatJSON, input.FormatJSONL, input.FormatYAML, input.FormatCSV} {
			var data string
			line := 0
			switch format {
			case input.FormatJSON:
				data = "{\"records\": [\n{\"id\": \"r\", \"kind\": \"agreement_count\", \"parties\": [\"KZ\", \"KR\"], \"documents\": 1,\n" +
					"\"note\": \"" + b + "\",\n\"source\": \"s\", \"quote\": \"" + quote + "\"}]}\n"
				line = 3
			case input.FormatJSONL:
				data = "{\"id\": \"q\", \"kind\": \"agreement_count\", \"parties\": [\"KZ\", \"KR\"], \"documents\": 1, \"source\": \"s\", \"quote\": \"" + quote + "\"}\n" +
					"{\"id\": \"r\", \"kind\": \"agreement_count\", \"parties\": [\"KZ\", \"KR\"], \"documents\": 1, \"note\": \"" + b + "\", \"source\": \"s\", \"quote\": \"" + quote + "\"}\n"
				line = 2
			case input.FormatYAML:
				data = "records:\n  - id: r\n    kind: agreement_count\n    parties: [KZ, KR]\n    documents: 1\n    note: \"" + b + "\"\n    source: s\n    quote: " + quote + "\n"
				line = 6
			case input.FormatCSV:
				data = "id,kind,parties,documents,note,source,quote\nq,agreement_count,KZ;KR,1,,s," + quote + "\nr,agreement_count,KZ;KR,1,\"" + b + "\",s," + quote + "\n"
				line = 3
			}
			name := fmt.Sprintf("bad%d.%s", i, format)
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			files, _, err := input.Collect([]string{path})
			if err != nil {
				t.Fatal(err)
			}
			col := &problemCollector{}
			sum, err := pipeline.Check(context.Background(), files, col, nil, pipeline.Config{})
			if err != nil {
				t.Fatal(err)
			}
			var enc []pipeline.Problem
			for _, r := range col.results {
				for _, p := range r.Problems {
					if p.Rule == input.RuleEncoding {
						enc = append(enc, p)
					}
				}
			}
			if len(enc) != 1 || enc[0].Pos.File != path || enc[0].Pos.Line != line || !sum.Failed() {
				t.Errorf("%s with note %+q: encoding problems %+v; want one at line %d", format, b, enc, line)
			}
		}
	}
}

// problemCollector keeps the results of a run.
type problemCollector struct{ results []*pipeline.Result }

func (c *problemCollector) Result(r *pipeline.Result) error {
	c.results = append(c.results, r)
	return nil
}
func (c *problemCollector) Finish(*pipeline.Summary) error { return nil }

// naughtyCase is one string in one field of one record or source.
type naughtyCase struct {
	id     string
	source bool
	field  string
	value  string
	rule   string // the rule that rejects it, or ""
}

// naughtyStrings returns the strings of testdata/blns/blns.txt (every line
// that is neither empty nor a comment, as upstream's own script reads it),
// then extraNaughtyStrings.
func naughtyStrings(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "blns", "blns.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var strs []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			strs = append(strs, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(strs) < 450 {
		t.Fatalf("only %d strings in blns.txt", len(strs))
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			t.Fatalf("blns.txt holds invalid UTF-8: %+q", s)
		}
	}
	return append(strs, extraNaughtyStrings()...)
}

// extraNaughtyStrings are strings that the 2016 copy of the list lacks and
// that matter to these formats: control characters of both ranges, every
// Unicode space, byte order marks, noncharacters (XML, and so a workbook,
// cannot hold U+FFFE and U+FFFF), the workbook's own _xHHHH_ escapes, XML
// and CSV syntax, spreadsheet formula starts, and text at the length
// limits, in characters that take one to four bytes.
func extraNaughtyStrings() []string {
	extra := []string{
		// Control characters, C0, DEL and C1 (NEL is U+0085).
		"\x00", "nul\x00inside", "\x01\x02\x03\x04\x05\x06\x07\x08", "tab\there", "line\nbreak", "cr\rhere",
		"crlf\r\nhere", "\x0b\x0c", "\x1b[31mred\x1b[0m", "\x7f", "del\x7fhere", "\u0080", "nel\u0085here", "\u009f",
		"\tleading tab", "trailing newline\n",
		// Unicode spaces and invisible characters, which are not control
		// characters: they must travel unchanged.
		"\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000",
		"line\u2028separator", "para\u2029separator", "\ufeff", "\ufeffBOM first", "BOM last\ufeff", "zero\u200bwidth\u200cnon\u200djoiner",
		"soft\u00adhyphen", "\u2060word joiner", "\u180e", "\u034f", "\u115f\u1160\u3164",
		"  two leading spaces", "two trailing spaces  ", " ", "          ", "\u3000ideographic space",
		// Bidirectional controls are format characters (Cf), not controls.
		"\u202eright-to-left override", "\u2066isolate\u2069", "\u200fmark\u200e", "\u061c",
		// Noncharacters, private use and the replacement character.
		"\ufffe", "\uffff", "non\ufffecharacter", "non\uffffcharacter", "\ufdd0\ufdef", "\U0001fffe\U0010ffff",
		"\ue000\uf8ff\U000f0000", "\ufffd", "replacement \ufffd inside",
		// The workbook's escapes of characters XML cannot hold.
		"_x0000_", "_x0041_", "_x005F_", "_x005F_x0041_", "_x000D_", "_xD800_", "_xFFFE_", "a_x0041_b", "_X0041_",
		"_x004_", "_x00411_", "__x0041__", "_x0041_x0042_",
		// XML and HTML.
		"<![CDATA[x]]>", "]]>", "&amp;", "&#0;", "&#xFFFE;", "<?xml version=\"1.0\"?>", "<t xml:space=\"preserve\"> </t>",
		"<is><t>injected</t></is>", "</c></row><row>",
		// CSV and JSON.
		",", "a,b", "\"", "\"\"", "a\"b", "\"quoted\"", ";", "a;b", "'", "''", "\\", "\\u0000", "\\n", "/", "\\\"",
		"{\"a\": 1}", "[1, 2]", "null", "NaN", "-0", "1e999", "0x10", "00123", "1,5", "2008-09-30", "TRUE",
		// Spreadsheet formula starts, which CSV guards with an apostrophe.
		"=1+2", "+1", "-1", "@SUM(A1:A9)", "=HYPERLINK(\"http://example.com\",\"x\")", "=cmd|' /C calc'!A0",
		"'=already guarded", "'+1", "==", "=", "+", "-", "@", "\uff1d1 fullwidth equals", "- a list item",
		"DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
		// Grapheme clusters.
		"👩\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "e\u0301", "\u0e14" + strings.Repeat("\u0e49\u0e47", 20),
		strings.Repeat("\u0301", 30),
	}
	// The length limits: quote 10 to 2000, note 1000, title, chapter,
	// publisher, citation and authority 500, pages 100 characters.
	for _, n := range []int{9, 10, 99, 100, 101, 499, 500, 501, 999, 1000, 1001, 1999, 2000, 2001} {
		for _, r := range []string{"a", "é", "€", "𝕏"} {
			extra = append(extra, strings.Repeat(r, n))
		}
	}
	return extra
}

// naughtyFields are the free-text fields each string goes into.
var (
	naughtyRecordFields = []string{"quote", "note", "citation", "authority"}
	naughtySourceFields = []string{"title", "chapter", "pages", "publisher"}
)

const naughtyQuotePrefix = "naughty quote: "

// naughtyDataset returns a JSON dataset with every string in every field,
// and the cases it holds. When keep is not nil, it holds only the cases
// whose id keep has.
func naughtyDataset(strs []string, keep map[string]bool) ([]byte, []naughtyCase) {
	var cases []naughtyCase
	type object = map[string]any
	ds := struct {
		Sources []object `json:"sources"`
		Records []object `json:"records"`
	}{Sources: []object{{"id": "base", "title": "A source"}}}
	kinds := schema.Kinds()
	for i, s := range strs {
		for _, field := range naughtySourceFields {
			c := naughtyCase{id: fmt.Sprintf("s-%04d-%s", i, field), source: true, field: field, value: s}
			c.rule = rejectingRule(schema.SourceTable().Columns, field, s)
			if keep != nil && !keep[c.id] {
				continue
			}
			src := object{"id": c.id, "title": "A source"}
			src[field] = s
			ds.Sources = append(ds.Sources, src)
			cases = append(cases, c)
		}
		for j, field := range append(naughtyRecordFields, "quote-padded") {
			k := kinds[(i+j)%len(kinds)]
			c := naughtyCase{id: fmt.Sprintf("r-%04d-%s", i, field), field: field, value: s}
			if field == "quote-padded" {
				c.field, c.value = "quote", naughtyQuotePrefix+s
			}
			c.rule = rejectingRule(k.Columns(), c.field, c.value)
			if keep != nil && !keep[c.id] {
				continue
			}
			// The quote states the record's figures and names its countries;
			// where the naughty text replaces it, they are declared derived.
			rec := object{"id": c.id, "kind": k.Name, "source": "base", "as_of": "2008-09-30"}
			var figures []string
			switch k.Name {
			case "investment_total":
				rec["investor"], rec["recipient"], rec["amount"], rec["currency"] = "KR", "KZ", 3e9, "USD"
				rec["quote"] = "As of 30 September 2008, South Korea had invested 3 billion US dollars in Kazakhstan."
				figures = []string{"amount", "as_of", "investor", "recipient"}
			case "enterprise_count":
				rec["partner"], rec["host"], rec["enterprises"] = "KR", "KZ", 300
				rec["quote"] = "As of 30 September 2008, 300 enterprises with South Korean capital operated in Kazakhstan."
				figures = []string{"enterprises", "as_of", "partner", "host"}
			case "agreement_count":
				rec["parties"], rec["documents"] = []string{"KZ", "KR"}, 60
				rec["quote"] = "As of 30 September 2008, Kazakhstan and South Korea had signed 60 documents."
				figures = []string{"documents", "as_of", "parties"}
			}
			if c.field == "quote" {
				derived := object{}
				for _, f := range figures {
					// One of the strings is the date itself: the quote
					// then states it, and deriving it would be a warning.
					if f != "as_of" || !strings.Contains(c.value, "2008-09-30") {
						derived[f] = "the quote is a naughty string, for the test"
					}
				}
				rec["derived"] = derived
			}
			rec[c.field] = c.value
			ds.Records = append(ds.Records, rec)
			cases = append(cases, c)
		}
	}
	b, err := json.MarshalIndent(ds, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n'), cases
}

// rejectingRule returns the first rule of the field's validate tag that s
// breaks, "" when s passes: the contract's length limits count characters
// (code points), and nocontrol refuses the control characters (Unicode
// category Cc).
func rejectingRule(columns []*schema.Column, field, s string) string {
	for _, c := range columns {
		if c.Name != field {
			continue
		}
		n := utf8.RuneCountInString(s)
		for _, r := range c.Rules {
			limit, _ := strconv.Atoi(r.Param)
			switch r.Tag {
			case "min":
				if n < limit {
					return "min"
				}
			case "max":
				if n > limit {
					return "max"
				}
			case "nocontrol":
				if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF }) {
					return "nocontrol"
				}
			case "visible":
				visible := 0
				for _, r := range s {
					if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsPunct(r) {
						visible++
					}
				}
				if visible < limit {
					return "visible"
				}
			default:
				panic("rejectingRule does not know rule " + r.Tag)
			}
		}
		return ""
	}
	panic("no column " + field)
}

// rowsByID indexes the rows of a table by their id.
func rowsByID(tb table) map[string]map[string]any {
	rows := make(map[string]map[string]any, len(tb.rows))
	for _, row := range tb.rows {
		id, _ := row["id"].(string)
		rows[id] = row
	}
	return rows
}

// readXLSXSheet reads a sheet of raw cell values, its first row the column
// names.
func readXLSXSheet(t *testing.T, path, sheet string) table {
	t.Helper()
	f := xlsxOpen(t, path)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	tb := table{columns: rows[0]}
	for _, row := range rows[1:] {
		m := map[string]any{}
		for i, name := range tb.columns {
			m[name] = ""
			if i < len(row) {
				m[name] = row[i]
			}
		}
		tb.rows = append(tb.rows, m)
	}
	return tb
}

// readJSONSources reads the sources of figures.json.
func readJSONSources(t *testing.T, path string) table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sources []map[string]any `json:"sources"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var tb table
	for _, s := range doc.Sources {
		tb.rows = append(tb.rows, s)
	}
	return tb
}

// readWorkbookRecords reads the records of a workbook with export's own
// XLSX reader, as export reads a workbook an analyst feeds back.
func readWorkbookRecords(t *testing.T, path string) map[string]schema.Record {
	t.Helper()
	files, _, err := input.Collect([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := files[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r, err := input.Open(files[0], rc, input.Options{Only: input.OnlyRecords})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	recs := map[string]schema.Record{}
	for {
		it, err := r.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range it.Problems {
			t.Errorf("xlsx input: %v", p)
		}
		if it.Record != nil {
			recs[schema.ID(it.Record)] = it.Record
		}
	}
}
