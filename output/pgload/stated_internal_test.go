package pgload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"export/schema"
)

// readAll reads the spans of a file of the given content through the
// feed, as the load does.
func readAll(t testing.TB, content string, lines bool) ([]statedSpan, error) {
	path := filepath.Join(t.TempDir(), "figures.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	kinds := schema.Kinds()
	if lines {
		kinds = kinds[:1]
	}
	feed := startStated(context.Background(), []statedSource{{path: path, kinds: kinds, lines: lines}})
	defer feed.Close()
	var spans []statedSpan
	for {
		b, ok := feed.next()
		if !ok {
			return spans, nil
		}
		if b.err != nil {
			return spans, b.err
		}
		spans = append(spans, b.spans...)
	}
}

// figures.json and JSON Lines that export did not write give an error
// that names the file and the place, never a panic or a hang.
func TestStatedReaderErrors(t *testing.T) {
	rec := `{"id": "a", "stated": {"amount": {"text": "$3bn", "start": 1, "end": 5}}}`
	tests := []struct {
		name, content string
		lines         bool
		want          string // in the error; "" for none
		spans         int    // without an error
	}{
		{"figures.json", `{"generated_by": {}, "sources": [], "investment_totals": [` + rec + `, ` + rec + `], "enterprise_counts": []}`, false, "", 2},
		{"JSON Lines", rec + "\n" + rec + "\n", true, "", 2},
		{"empty JSON Lines", "", true, "", 0},
		{"a kind twice, another between", `{"investment_totals": [` + rec + `], "enterprise_counts": [{"id": "b", "stated": {}}], "investment_totals": [` + rec + `]}`,
			false, "", 2},
		{"null stated", `{"investment_totals": [{"id": "a", "stated": null}]}`, false, "", 0},
		{"stated before id", `{"investment_totals": [{"stated": {"amount": {"text": "x", "start": 0, "end": 1}}, "id": "a"}]}`, false, "", 1},
		{"not JSON", `investment_totals: []`, false, "at byte", 0},
		{"an array", `[]`, false, "want figures.json's object", 0},
		{"a kind not an array", `{"investment_totals": {}}`, false, "want investment_totals's array of records", 0},
		{"a record not an object", `{"investment_totals": [1]}`, false, "want a record object", 0},
		{"an id not a string", `{"investment_totals": [{"id": 1}]}`, false, "a record's id is 1", 0},
		{"no id", `{"investment_totals": [{"stated": {"amount": {"text": "x", "start": 0, "end": 1}}}]}`, false, "has no id", 0},
		{"a field the kind has not", `{"investment_totals": [{"id": "a", "stated": {"documents": {"text": "x", "start": 0, "end": 1}}}]}`, false,
			`stated: "documents" is not a field of kind investment_total`, 0},
		{"a span not an object", `{"investment_totals": [{"id": "a", "stated": {"amount": "x"}}]}`, false, "stated: amount: want a span object", 0},
		{"a start out of range", `{"investment_totals": [{"id": "a", "stated": {"amount": {"text": "x", "start": 1e10, "end": 1}}}]}`, false,
			"stated: amount: start: 1e10 is not a whole number of code points", 0},
		{"a start not a number", `{"investment_totals": [{"id": "a", "stated": {"amount": {"text": "x", "start": "1", "end": 1}}}]}`, false,
			"stated: amount: start: string, not a number", 0},
		{"a text not a string", `{"investment_totals": [{"id": "a", "stated": {"amount": {"text": 1, "start": 0, "end": 1}}}]}`, false,
			"stated: amount: text is number, not a string", 0},
		{"stated not an object", `{"investment_totals": [{"id": "a", "stated": []}]}`, false, "stated: want an object of spans", 0},
		{"a span with more", `{"investment_totals": [{"id": "a", "stated": {"amount": {"text": "x", "start": 0, "end": 1, "note": "n"}}}]}`, false, "", 1},
		{"cut short", `{"investment_totals": [` + rec, false, "unexpected EOF", 0},
		{"cut short in JSON Lines", rec[:20], true, "unexpected EOF", 0},
		{"a line not an object", rec + "\n[]\n", true, "want a record object", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans, err := readAll(t, tt.content, tt.lines)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "figures.json, at byte ")):
				t.Errorf("err = %v, want one naming the file and the place, saying %q", err, tt.want)
			}
			if tt.want == "" && len(spans) != tt.spans {
				t.Errorf("%d spans, want %d", len(spans), tt.spans)
			}
		})
	}
}

// The reader of stated spans takes any bytes as figures.json or JSON
// Lines: spans or an error, never a panic or a hang.
func FuzzStated(f *testing.F) {
	f.Add(`{"investment_totals": [{"id": "a", "stated": {"amount": {"text": "$3bn", "start": 1, "end": 5}}}]}`, false)
	f.Add(`{"id": "a", "stated": {"qualifier": {"text": "about", "start": 0, "end": 5}}}`+"\n", true)
	f.Add(`{"sources": [{"id": "s"}], "agreement_counts": [{"id": "b", "stated": {}}]}`, false)
	f.Fuzz(func(t *testing.T, content string, lines bool) {
		spans, err := readAll(t, content, lines)
		if err == nil {
			for _, sp := range spans {
				if sp.id == "" || sp.field == "" {
					t.Errorf("a span without its id or field: %+v", sp)
				}
			}
		}
	})
}
