package pipeline

import (
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
