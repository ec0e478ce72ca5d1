package pipeline

import (
	"context"
	"export/input"
	"export/schema"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPageRange(t *testing.T) {
	for _, tt := range []struct {
		pages       string
		first, last int64
		ok          bool
	}{
		{"190-191", 190, 191, true},
		{"190–191", 190, 191, true},
		{" 12 ", 12, 12, true},
		{"12 - 14", 12, 14, true},
		{"191-190", 0, 0, false},
		{"xii", 0, 0, false},
		{"12, 14", 0, 0, false},
		{"", 0, 0, false},
		{"0-3", 0, 0, false},
	} {
		first, last, ok := pageRange(tt.pages)
		if first != tt.first || last != tt.last || ok != tt.ok {
			t.Errorf("pageRange(%q) = %d, %d, %v; want %d, %d, %v", tt.pages, first, last, ok, tt.first, tt.last, tt.ok)
		}
	}
}

// TestPageOutsideSource: a page outside the source's pages is an error at
// the page, unless the record derives it; pages that are no range are not
// checked.
func TestPageOutsideSource(t *testing.T) {
	rec := func(id string, page int, derived string) string {
		return strings.Replace(record(id, "book", quote), "    source: book\n",
			"    source: book\n    page: "+itoa(page)+"\n"+derived, 1)
	}
	for _, tc := range []struct {
		name, pages string
		page        int
		derived     string
		want        string
	}{
		{"inside", "190-191", 191, "", ""},
		{"first page", "190-191", 190, "", ""},
		{"before", "190-191", 189, "", "a.yaml:12:5: r: page [figure_stated]"},
		{"after a single page", "12", 13, "", "a.yaml:12:5: r: page [figure_stated]"},
		{"derived", "190-191", 189, "    derived: {page: \"the page of the print edition, not the PDF's\"}\n", ""},
		{"not a range", "xii-xiv", 3, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"a.yaml": {Data: []byte("sources:\n  - {id: book, title: A book, pages: \"" + tc.pages + "\"}\nrecords:\n" + rec("r", tc.page, tc.derived))}}
			got := strings.Join(check(t, fsys, Config{}).problems(), "\n")
			if got != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPageOfTheQuote: where the source's text marks its pages with form
// feeds, the record's page must be the one its quote is on (or, for a
// quote across a break, the next one), numbered from first_page or from
// the first of pages.
func TestPageOfTheQuote(t *testing.T) {
	text := "Page one holds a line.\n\fAs of 30 September 2008, over 300 enterprises with South Korean\ncapital operate in Kazakhstan.\n\f" +
		"Page three.\n"
	rec := func(page int, derived string) string {
		return strings.Replace(record("r", "book", quote), "    source: book\n", "    source: book\n    page: "+strconv.Itoa(page)+"\n"+derived, 1)
	}
	for _, tc := range []struct {
		name, source string
		page         int
		derived      string
		want         string
	}{
		{"first_page", "first_page: 190", 191, "", ""},
		{"first_page wrong", "first_page: 190", 190, "", "a.yaml:15:5: r: page [figure_stated]"},
		{"first of pages", `pages: "10-12"`, 11, "", ""},
		{"first of pages wrong", `pages: "10-12"`, 12, "", "a.yaml:15:5: r: page [figure_stated]"},
		{"derived", `pages: "10-12"`, 12, "    derived: {page: \"the printed page, one after the PDF's\"}\n", ""},
		{"no numbering", "chapter: Two", 7, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"a.yaml":   {Data: []byte("sources:\n  - id: book\n    title: A book\n    text: book.txt\n    " + tc.source + "\nrecords:\n" + rec(tc.page, tc.derived))},
				"book.txt": {Data: []byte(text)},
			}
			c := check(t, fsys, Config{})
			if got := strings.Join(c.problems(), "\n"); got != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}

	// A quote across a page break: its first page, or the next.
	across := "As of 30 September 2008, over 300 enterprises with\n\fSouth Korean capital operate in Kazakhstan.\n"
	for page, want := range map[int]string{5: "", 6: "", 7: "a.yaml:15:5: r: page [figure_stated]", 4: "a.yaml:15:5: r: page [figure_stated]"} {
		fsys := fstest.MapFS{
			"a.yaml":   {Data: []byte("sources:\n  - id: book\n    title: A book\n    text: book.txt\n    first_page: 5\nrecords:\n" + rec(page, ""))},
			"book.txt": {Data: []byte(across)},
		}
		if got := strings.Join(check(t, fsys, Config{}).problems(), "\n"); got != want {
			t.Errorf("across a break, page %d: problems %q, want %q", page, got, want)
		}
	}
}

// TestEvidence: a record's quote is placed in its paragraph of the
// source's text, and so are the words that state each figure.
func TestEvidence(t *testing.T) {
	c := &collector{}
	if _, err := Check(context.Background(), input.Embedded(), c, nil, Config{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"kr-kz-investment-2008-09": {"amount": "about $3bn", "qualifier": "about", "as_of": "30 September 2008"},
		"kr-kz-enterprises":        {"enterprises": "Over 300 enter-prises", "joint_ventures": "48 joint ventures", "representative_offices": "62 representative offices"},
		"kz-kr-agreements":         {"documents": "over 60 documents"},
	}
	seen := 0
	for _, r := range c.results {
		w, ok := want[r.ID]
		if !ok || r.Record == nil {
			continue
		}
		seen++
		ev := r.Evidence()
		if ev == nil {
			t.Fatalf("%s: no evidence", r.ID)
		}
		para := []rune(ev.Paragraph)
		quote := string(para[ev.QuoteStart:ev.QuoteEnd])
		if first := strings.Fields(schema.ProvenanceOf(r.Record).Quote)[0]; !strings.HasPrefix(quote, first) {
			t.Errorf("%s: the quote in its paragraph is %q", r.ID, quote)
		}
		if ev.Text != "sources/kazakhstan-today-p190-191.txt" || ev.Page != 0 {
			t.Errorf("%s: text %q, page %d", r.ID, ev.Text, ev.Page)
		}
		got := map[string]string{}
		for _, s := range ev.Stated {
			if string(para[s.Start:s.End]) != s.Text || s.Start < ev.QuoteStart || s.End > ev.QuoteEnd {
				t.Errorf("%s: %s at %d-%d is %q, not %q, or outside the quote", r.ID, s.Field, s.Start, s.End, string(para[s.Start:s.End]), s.Text)
			}
			got[s.Field] = s.Text
		}
		for field, text := range w {
			if got[field] != text {
				t.Errorf("%s: %s stated by %q in the paragraph, want %q", r.ID, field, got[field], text)
			}
		}
	}
	if seen != 3 {
		t.Errorf("%d records with evidence, want 3", seen)
	}
}
