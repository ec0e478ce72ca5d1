package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"export/input"
	"export/schema"
)

// collector is a Reporter and a Sink that keeps everything, for tests.
type collector struct {
	results []*Result
	records []schema.Record
	summary *Summary
}

func (c *collector) Result(r *Result) error        { c.results = append(c.results, r); return nil }
func (c *collector) Finish(s *Summary) error       { c.summary = s; return nil }
func (c *collector) Write(rec schema.Record) error { c.records = append(c.records, rec); return nil }

// problems lists every problem as "file:line:col: id: field [rule]".
func (c *collector) problems() []string {
	var out []string
	for _, r := range c.results {
		for _, p := range r.Problems {
			out = append(out, fmt.Sprintf("%s: %s: %s [%s]", p.Pos, r.ID, p.Field, p.Rule))
		}
	}
	return out
}

const text = "As of 30 September 2008, over 300 enter-\nprises with South Korean capital operate in Kazakhstan, including 48 joint ventures.\n"

// quote is a quote of text that states the figures of record.
const quote = "As of 30 September 2008, over 300 enterprises with South Korean capital operate in Kazakhstan"

func textDigest() string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

const sourceYAML = `sources:
  - id: book
    title: A book
    text: book.txt
`

func record(id, source, quote string) string {
	return fmt.Sprintf(`  - id: %s
    kind: enterprise_count
    partner: KR
    host: KZ
    enterprises: 300
    qualifier: over
    as_of: 2008-09-30
    source: %s
    quote: %q
`, id, source, quote)
}

// check runs Check over the files of fsys, in name order.
func check(t *testing.T, fsys fstest.MapFS, cfg Config) *collector {
	t.Helper()
	var names []string
	for name := range fsys {
		if input.FormatOf(name) != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var files []input.File
	for _, n := range names {
		files = append(files, input.FromFS(fsys, n, n))
	}
	c := &collector{}
	if _, err := Check(context.Background(), files, c, c, cfg); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCrossRecordChecks(t *testing.T) {
	good := "records:\n" + record("r1", "book", quote)
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"valid", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + good)},
			"book.txt": {Data: []byte(text)},
		}, nil},
		{"duplicate id across files", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + good)},
			"b.yaml":   {Data: []byte("records:\n" + record("r1", "book", quote))},
			"book.txt": {Data: []byte(text)},
		}, []string{"b.yaml:2:5: r1: id [unique_id]"}},
		{"source not declared", fstest.MapFS{
			"a.yaml": {Data: []byte("records:\n" + record("r1", "nobook", quote))},
		}, []string{"a.yaml:9:5: r1: source [source_declared]"}},
		{"source declared in a later file", fstest.MapFS{
			"a.yaml":   {Data: []byte("records:\n" + record("r1", "book", quote))},
			"b.jsonl":  {Data: []byte(`{"type": "source", "id": "book", "title": "A book", "text": "book.txt"}` + "\n")},
			"book.txt": {Data: []byte(text)},
		}, nil},
		{"source declared twice", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + good)},
			"b.yaml":   {Data: []byte(sourceYAML)},
			"book.txt": {Data: []byte(text)},
		}, []string{"b.yaml:2:5: book: id [unique_id]"}},
		{"sha256 pin matches", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + "    sha256: " + textDigest() + "\n" + good)},
			"book.txt": {Data: []byte(text)},
		}, nil},
		{"sha256 pin mismatch", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + "    sha256: " + strings.Repeat("0", 64) + "\n" + good)},
			"book.txt": {Data: []byte(text)},
		}, []string{"a.yaml:5:5: book: sha256 [sha256_match]"}},
		{"sha256 without text", fstest.MapFS{
			"a.yaml": {Data: []byte("sources:\n  - id: book\n    title: A book\n    sha256: " + textDigest() + "\n" + good)},
		}, []string{"a.yaml:4:5: book: sha256 [sha256_match]"}},
		{"text outside the directory", fstest.MapFS{
			"d/a.yaml": {Data: []byte(strings.Replace(sourceYAML, "book.txt", "../book.txt", 1) + good)},
			"book.txt": {Data: []byte(text)},
		}, []string{"d/a.yaml:4:5: book: text [text_inside_dir]"}},
		{"absolute text path", fstest.MapFS{
			"a.yaml": {Data: []byte(strings.Replace(sourceYAML, "book.txt", "/etc/passwd", 1) + good)},
		}, []string{"a.yaml:4:5: book: text [text_inside_dir]"}},
		{"text missing", fstest.MapFS{
			"a.yaml": {Data: []byte(sourceYAML + good)},
		}, []string{"a.yaml:4:5: book: text [text_readable]"}},
		{"quote not in the text", fstest.MapFS{
			"a.yaml":   {Data: []byte(sourceYAML + "records:\n" + record("r1", "book", quote+" today"))},
			"book.txt": {Data: []byte(text)},
		}, []string{"a.yaml:14:5: r1: quote [quote_found]"}},
		{"every error at once", fstest.MapFS{
			"a.yaml": {Data: []byte("records:\n" + record("r1", "nobook", quote) + record("r1", "nobook", "short"))},
			"b.csv":  {Data: []byte("id,kind,partner,host,enterprises,source,quote\nr2,enterprise_count,KR,KR,5,nobook,5 enterprises from South Korea\n")},
		}, []string{
			"a.yaml:9:5: r1: source [source_declared]",
			"a.yaml:11:5: r1: id [unique_id]",
			"a.yaml:18:5: r1: source [source_declared]",
			"a.yaml:19:5: r1: quote [min]",
			"b.csv:2:1: r2: as_of [recommended]",
			"b.csv:2:24: r2: host [nefield]",
			"b.csv:2:29: r2: source [source_declared]",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := check(t, tc.fsys, Config{})
			got := c.problems()
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDerivedFields(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml":   {Data: []byte(sourceYAML + "records:\n" + record("r1", "book", quote))},
		"b.yaml":   {Data: []byte("sources:\n  - {id: other, title: Other}\nrecords:\n" + record("r2", "other", quote))},
		"book.txt": {Data: []byte(text)},
	}
	c := check(t, fsys, Config{})
	if len(c.records) != 2 {
		t.Fatalf("got %d valid records, want 2; problems %v", len(c.records), c.problems())
	}
	p1, p2 := schema.ProvenanceOf(c.records[0]), schema.ProvenanceOf(c.records[1])
	if !p1.QuoteVerified || p1.SourceTitle != "A book" || p1.InputFile != "a.yaml" || p1.InputLine != 6 {
		t.Errorf("r1 provenance %+v", p1)
	}
	if p2.QuoteVerified || p2.SourceTitle != "Other" || p2.InputFile != "b.yaml" {
		t.Errorf("r2 (source without text) provenance %+v", p2)
	}
	s := c.summary
	if s.Records != 2 || s.Valid != 2 || s.Sources != 2 || s.Errors != 0 || len(s.Declared) != 2 || len(s.Inputs) != 2 {
		t.Errorf("summary %+v", s)
	}
	if s.ValidByKind[1].Kind != "enterprise_count" || s.ValidByKind[1].Count != 2 {
		t.Errorf("valid by kind %+v", s.ValidByKind)
	}
	want := sha256.Sum256(fsys["a.yaml"].Data)
	if s.Inputs[0].SHA256 != hex.EncodeToString(want[:]) || s.Inputs[0].Bytes != int64(len(fsys["a.yaml"].Data)) {
		t.Errorf("input digest %+v", s.Inputs[0])
	}
}

func TestInvalidRecordsAreNotWritten(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("sources:\n  - {id: book, title: A book}\nrecords:\n" +
			record("r1", "book", quote) + record("R2", "book", quote))},
	}
	c := check(t, fsys, Config{})
	if len(c.records) != 1 || schema.ID(c.records[0]) != "r1" {
		t.Errorf("sink got %d records, want only r1", len(c.records))
	}
	if !c.summary.Failed() {
		t.Error("run with an error did not fail")
	}
}

func TestStrict(t *testing.T) {
	undated := strings.Replace(record("r1", "book", quote), "    as_of: 2008-09-30\n", "", 1)
	fsys := fstest.MapFS{"a.yaml": {Data: []byte("sources:\n  - {id: book, title: A book}\nrecords:\n" + undated)}}
	if c := check(t, fsys, Config{}); c.summary.Failed() || c.summary.Warnings != 1 {
		t.Errorf("lenient: failed=%v warnings=%d, want a passing run with 1 warning", c.summary.Failed(), c.summary.Warnings)
	}
	if c := check(t, fsys, Config{Strict: true}); !c.summary.Failed() {
		t.Error("strict: a warning did not fail the run")
	}
}

func TestSyntaxErrorReportedOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("records:\n  - id: x\n   bad: [\n")},
		"b.json": {Data: []byte(`{"sources": [], "records": [{"id": "r", ]}`)},
	}
	c := check(t, fsys, Config{})
	got := c.problems()
	if len(got) != 2 || !strings.Contains(got[0], "a.yaml:") || !strings.Contains(got[1], "b.json:1:") {
		t.Errorf("problems %q, want one syntax error per file", got)
	}
}

func TestCancel(t *testing.T) {
	var b strings.Builder
	b.WriteString("sources:\n  - {id: book, title: A book}\nrecords:\n")
	for i := range 1000 {
		b.WriteString(record(fmt.Sprintf("r%d", i), "book", quote))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &collector{}
	_, err := Check(ctx, []input.File{input.FromFS(fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}, "a.yaml", "a.yaml")}, c, c, Config{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run returned %v", err)
	}
}

// TestDuplicatesPastExactIDs checks the hashed id set that large runs use:
// duplicates are confirmed by reading again and reported with both
// positions, and the counts of valid records are corrected.
func TestDuplicatesPastExactIDs(t *testing.T) {
	defer func(n int) { exactIDs = n }(exactIDs)
	exactIDs = 1
	var b strings.Builder
	b.WriteString("sources:\n  - {id: book, title: A book}\nrecords:\n")
	for _, id := range []string{"r1", "r2", "r3", "r2", "r4", "r1"} {
		b.WriteString(record(id, "book", quote))
	}
	c := check(t, fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}, Config{})
	want := []string{"a.yaml:31:5: r2: id [unique_id]", "a.yaml:49:5: r1: id [unique_id]"}
	if got := c.problems(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems %q, want %q", got, want)
	}
	for _, r := range c.results {
		for _, p := range r.Problems {
			if !strings.Contains(p.Message, "already used by the record at a.yaml:") {
				t.Errorf("message does not name the first position: %q", p.Message)
			}
		}
	}
	if s := c.summary; s.Valid != 4 || s.Errors != 2 || s.ValidByKind[1].Count != 4 {
		t.Errorf("summary valid=%d errors=%d by kind=%v", s.Valid, s.Errors, s.ValidByKind)
	}
	// The duplicates come in late results, after one Result per item.
	var late []string
	for i, r := range c.results {
		if r.Late != (i >= len(c.results)-2) {
			t.Errorf("result %d (%s) Late=%v", i, r.ID, r.Late)
		}
		if r.Late {
			late = append(late, r.ID)
		}
	}
	if !slices.Equal(late, []string{"r2", "r1"}) {
		t.Errorf("late results for %v, want r2 and r1", late)
	}

	// In JUnit, each late result is a test case of its own: no test case
	// is both passed and failed, and the counts add up.
	var junit strings.Builder
	rep, _ := NewReporter("junit", &junit, false)
	fsys := fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}
	if _, err := Check(context.Background(), []input.File{input.FromFS(fsys, "a.yaml", "a.yaml")}, rep, nil, Config{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests int `xml:"tests,attr"`
		Cases []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal([]byte(junit.String()), &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, tc := range doc.Cases {
		names[tc.Name]++
	}
	if doc.Tests != 9 || len(doc.Cases) != 9 || names["enterprise_count r2: unique id"] != 1 || names["enterprise_count r2"] != 2 {
		t.Errorf("JUnit: tests=%d, %d test cases %v; want 9: the source, six records, two late", doc.Tests, len(doc.Cases), names)
	}
}

// changingFS serves a file whose records change from the given open on:
// a file edited while a run reads it.
type changingFS struct {
	fstest.MapFS
	opens  *int
	from   int
	change func([]byte) []byte
}

func (f changingFS) Open(name string) (fs.File, error) {
	*f.opens++
	if *f.opens < f.from {
		return f.MapFS.Open(name)
	}
	changed := fstest.MapFS{name: {Data: f.change(f.MapFS[name].Data)}}
	return changed.Open(name)
}

// A duplicate id past exactIDs is located by reading the files again: a
// file changed in between is an error (the duplicate is neither confirmed
// nor let pass), and a file that cannot be read again (a pipe) gives a
// duplicate without its first use.
func TestDuplicatesNotFoundAgain(t *testing.T) {
	defer func(n int) { exactIDs = n }(exactIDs)
	exactIDs = 1
	var b strings.Builder
	b.WriteString("sources:\n  - {id: book, title: A book}\nrecords:\n")
	for _, id := range []string{"r1", "r2", "r3", "r2"} {
		b.WriteString(record(id, "book", quote))
	}
	opens := 0
	fsys := changingFS{MapFS: fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}, opens: &opens, from: 3,
		change: func(data []byte) []byte { return bytes.ReplaceAll(data, []byte("id: r2"), []byte("id: r9")) }}
	_, err := Check(context.Background(), []input.File{input.FromFS(fsys, "a.yaml", "a.yaml")}, &collector{}, nil, Config{})
	if err == nil || !strings.Contains(err.Error(), "id r2 was first used: the record at a.yaml:31:5 is no longer there; did a file change during the run?") {
		t.Errorf("error %v; want the file named as changed", err)
	}
	if opens != 3 {
		t.Errorf("the file was opened %d times, want 3 (sources, records, the duplicates)", opens)
	}
}

func TestIDSet(t *testing.T) {
	s := newIDSet()
	s.exact = nil // hashes only
	for i := range 100000 {
		if !s.add(s.hash(fmt.Sprint("id-", i))) {
			t.Fatalf("id-%d reported as seen", i)
		}
	}
	for i := range 100000 {
		if s.add(s.hash(fmt.Sprint("id-", i))) {
			t.Fatalf("id-%d not remembered", i)
		}
	}
}

func TestMaxErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("sources:\n  - {id: book, title: A book}\nrecords:\n")
	for i := range 10 {
		b.WriteString(record(fmt.Sprintf("R%d", i), "book", quote)) // bad id
	}
	fsys := fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}
	c := check(t, fsys, Config{MaxErrors: 3})
	if got := len(c.problems()); got != 3 {
		t.Errorf("%d problems reported, want 3", got)
	}
	if s := c.summary; s.Errors != 10 || s.NotShown != 7 {
		t.Errorf("summary errors=%d not shown=%d, want 10 and 7", s.Errors, s.NotShown)
	}
	var buf strings.Builder
	rep, _ := NewReporter("text", &buf, false)
	files := []input.File{input.FromFS(fsys, "a.yaml", "a.yaml")}
	if _, err := Check(context.Background(), files, rep, nil, Config{MaxErrors: 2}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "note: 8 more problems not shown (--max-errors)") {
		t.Errorf("text report lacks the not-shown line:\n%s", buf.String())
	}
}

// TestSharedTextIndexedOnce: sources that cite the same text (by content,
// whatever its name) share one index, so that memory grows with the
// distinct texts, not with the sources.
func TestSharedTextIndexedOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("sources:\n")
	for i := range 50 {
		name := "book.txt"
		if i%2 == 1 {
			name = "copy.txt" // the same bytes under another name
		}
		fmt.Fprintf(&b, "  - {id: s%02d, title: A book, text: %s}\n", i, name)
	}
	b.WriteString("  - {id: other, title: Another book, text: other.txt}\n")
	fsys := fstest.MapFS{
		"a.yaml":    {Data: []byte(b.String())},
		"book.txt":  {Data: []byte(text)},
		"copy.txt":  {Data: []byte(text)},
		"other.txt": {Data: []byte("Another text altogether.")},
	}
	files := []input.File{input.FromFS(fsys, "a.yaml", "a.yaml")}
	c := &checker{ctx: context.Background(), rep: &collector{}, sources: map[string]*sourceEntry{},
		texts: map[[sha256.Size]byte]*textEntry{}, ids: newIDSet(), broken: map[string]bool{}, sum: &Summary{}}
	if err := c.readFile(files[0], input.OnlySources); err != nil {
		t.Fatal(err)
	}
	if len(c.texts) != 2 {
		t.Errorf("%d texts indexed for 51 sources citing 2 distinct texts, want 2", len(c.texts))
	}
	first := c.sources["s00"].text
	for id, e := range c.sources {
		if id != "other" && e.text != first {
			t.Errorf("source %s has an index of its own", id)
		}
	}
	if c.sources["other"].text == first || c.sources["other"].text == nil {
		t.Error("a different text shares the index of another")
	}
}

// TestTextCopies: each distinct text gets one copy in the outputs, named
// after the text, and made unique when two texts share a name; every
// source names its text's copy.
func TestTextCopies(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("sources:\n  - {id: s1, title: A, text: book.txt}\n  - {id: s2, title: B, text: ./book.txt}\n" +
			"  - {id: s3, title: C, text: sub/book.txt}\n  - {id: s4, title: D}\n")},
		"book.txt":     {Data: []byte(text)},
		"sub/book.txt": {Data: []byte("Another text, with the same name.")},
	}
	c := check(t, fsys, Config{})
	var names []string
	for _, tx := range c.summary.Texts {
		names = append(names, tx.Name)
	}
	other := sha256.Sum256([]byte("Another text, with the same name."))
	want := []string{"sources/book.txt", "sources/" + hex.EncodeToString(other[:])[:12] + "-book.txt"}
	if !slices.Equal(names, want) {
		t.Errorf("copies %q, want %q", names, want)
	}
	got := map[string]string{}
	for _, s := range outputSources(c.summary) {
		got[s.ID] = s.Text
	}
	if got["s1"] != want[0] || got["s2"] != want[0] || got["s3"] != want[1] || got["s4"] != "" {
		t.Errorf("the sources name %v", got)
	}
	if b, err := c.summary.Texts[1].Read(); err != nil || string(b) != "Another text, with the same name." {
		t.Errorf("Read: %q, %v", b, err)
	}
	if c.summary.Declared[0].Text != "book.txt" {
		t.Error("outputSources changed the declared source")
	}
}
