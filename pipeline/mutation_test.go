package pipeline

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"export/input"
	"export/schema"
)

// TestDefaultDatasetMutations changes one figure of the embedded default
// dataset at a time, as a transcription slip would, and requires each
// change to be rejected at that field: a wrong number never passes. The
// page can only be checked against the source's pages (190-191, a spread
// without page marks), so its mutations are the pages outside them.
func TestDefaultDatasetMutations(t *testing.T) {
	files := input.Embedded()
	if len(files) != 1 {
		t.Fatalf("%d embedded dataset files, want 1", len(files))
	}
	rc, err := files[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	yaml := string(b)
	const textName = "kazakhstan-today-p190-191.txt"
	text, err := files[0].ReadSourceText(textName)
	if err != nil {
		t.Fatal(err)
	}
	check := func(data string) *collector {
		fsys := fstest.MapFS{"k.yaml": {Data: []byte(data)}, textName: {Data: text}}
		c := &collector{}
		if _, err := Check(context.Background(), []input.File{input.FromFS(fsys, "k.yaml", "k.yaml")}, c, nil, Config{}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := check(yaml); c.summary.Errors != 0 {
		t.Fatalf("the default dataset has errors: %v", c.problems())
	}

	type mutation struct{ field, from, to string }
	var mutations []mutation
	line := func(field, value string) string { return "    " + field + ": " + value + "\n" }
	add := func(field, from string, tos ...string) {
		for _, to := range tos {
			mutations = append(mutations, mutation{field, line(field, from), line(field, to)})
		}
	}
	// Every digit of the amount changed, the scale by 1000 either way.
	amount := "3000000000"
	for i := range amount {
		for _, d := range "0123456789" {
			if byte(d) != amount[i] && !(i == 0 && d == '0') {
				add("amount", amount, amount[:i]+string(d)+amount[i+1:])
			}
		}
	}
	add("amount", amount, "3000000", "3000000000000", "3000000000.5", "2999999999")
	// Not other dollars: the quote's bare "$" may be any dollar currency,
	// the source declaring none (dollar:).
	add("currency", "USD", "EUR", "KZT", "KRW", "GBP", "JPY", "CNY", "RUB")
	add("as_of", "2008-09-30", "2009-09-30", "2008-09-29", "2008-10-30", "2008-08-30", "2007-09-30", "2008-09-01")
	add("page", "191", "189", "192", "1", "100000")
	add("enterprises", "300", "200", "301", "299", "30", "3000", "48", "62")
	add("joint_ventures", "48", "62", "49", "47", "4", "480", "300")
	add("representative_offices", "62", "48", "63", "61", "6", "620", "300")
	add("documents", "60", "50", "61", "59", "6", "600")
	for _, q := range []string{"exact", "over", "under"} { // the investment's is about
		mutations = append(mutations, mutation{"qualifier", line("qualifier", "about"), line("qualifier", q)})
	}
	for _, q := range []string{"exact", "about", "under"} { // the counts' are over
		mutations = append(mutations, mutation{"qualifier", line("qualifier", "over"), line("qualifier", q)})
	}
	// Swapped: the joint ventures and representative offices.
	mutations = append(mutations, mutation{"joint_ventures", line("joint_ventures", "48") + line("representative_offices", "62"),
		line("joint_ventures", "62") + line("representative_offices", "48")})

	rejected := 0
	for _, m := range mutations {
		n := strings.Count(yaml, m.from)
		if n == 0 {
			t.Fatalf("%s: the default dataset has no %q", m.field, m.from)
		}
		// Each occurrence on its own: the qualifier "over" is on two records.
		for k := range n {
			at := nthIndex(yaml, m.from, k)
			data := yaml[:at] + m.to + yaml[at+len(m.from):]
			c := check(data)
			ok := false
			for _, r := range c.results {
				for _, p := range r.Problems {
					if p.Field == m.field && p.Severity == schema.Error {
						ok = true
					}
				}
			}
			if !ok {
				t.Errorf("%s %q → %q (occurrence %d) passed: %v", m.field, strings.TrimSpace(m.from), strings.TrimSpace(m.to), k+1, c.problems())
				continue
			}
			rejected++
		}
	}
	t.Logf("%d single-field mutations of the default dataset (%d with each occurrence of a value), every one rejected", len(mutations), rejected)
}

func nthIndex(s, sub string, n int) int {
	at := -1
	for range n + 1 {
		i := strings.Index(s[at+1:], sub)
		if i < 0 {
			return -1
		}
		at += 1 + i
	}
	return at
}
