package countries

import (
	"slices"
	"sync"
)

// Match is a country named in a text.
type Match struct {
	// Codes are the ISO 3166-1 alpha-2 codes of the countries the name
	// names, sorted: more than one only for an ambiguous name ("Korea":
	// KP and KR; "Congolese": CD and CG).
	Codes []string
	// Start and End are the place of the name in the text, in code points
	// (as the contract counts a quote's positions): a line break or a
	// line-end hyphen inside the name is inside the span.
	Start, End int
	// Text is the name as written: the text's code points [Start:End].
	Text string
}

// index is what Find and Names read, built on first use (about 10 ms)
// and then shared by every goroutine.
type index struct {
	matcher *matcher
	byCode  map[string][]string
}

var theIndex = sync.OnceValue(func() *index {
	ns := buildNames()
	m, err := newMatcher(ns.names)
	if err != nil {
		panic(err) // a name in dataset_gen.go or overrides.go; TestNamesMatch finds it first
	}
	return &index{matcher: m, byCode: ns.byCode}
})

// Find returns the countries named in text, in the order of the text: at
// each word, the longest name that starts there ("North Korea" names KP,
// never KR; "Papua New Guinea" is not Guinea), and none that overlaps a
// name found before it. A name matches on word boundaries (a hyphen is
// one: "Kazakh-South Korean relations" names KZ and KR), followed by a
// possessive or not ("Kazakhstan's" reads as Kazakhstan), and an
// adjective in the plural too ("Koreans"). See the package documentation
// for what case, white space, hyphens and apostrophes may differ.
//
// Find is safe for concurrent use, and allocates only the matches it
// returns.
func Find(text string) []Match {
	m := theIndex().matcher
	var out []Match
	c := cursor{s: text}
	var t token
	prevWord := false
	for {
		c.next(&t)
		if t.r == eof {
			return out
		}
		if !prevWord && isWord(t.r) {
			if f, ok := m.longest(&t, &c); ok {
				if len(f.codes) > 0 {
					out = append(out, Match{Codes: slices.Clone(f.codes), Start: f.c0, End: f.c1, Text: text[f.b0:f.b1]})
				}
				prevWord = isWord(c.last)
				continue
			}
			c.skipWord() // no name starts inside a word
		}
		prevWord = isWord(t.r)
	}
}

// Names returns the names that Find knows for the country of an ISO
// 3166-1 alpha-2 code (in capitals), most usual first: the common and
// official names, then adjectives, then other spellings. For KR: "South
// Korea", "Republic of Korea", "Korea", "ROK", "South Korean", "Korean".
// It returns nil for a code it does not know. The caller may modify the
// slice.
func Names(code string) []string {
	return slices.Clone(theIndex().byCode[code])
}
