package pipeline

import (
	"export/pipeline/textnorm"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func sourceText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../input/defaultdata/kazakhstan-today-p190-191.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestQuoteMatching(t *testing.T) {
	text := newQuoteText(sourceText(t))
	tests := []struct {
		name  string
		quote string
		found bool
	}{
		// What is forgiven.
		{"exact with line break", "has reached about $3bn (as of 30\nSeptember 2008", true},
		{"line break as space", "has reached about $3bn (as of 30 September 2008", true},
		{"extra white space", "  has   reached\tabout $3bn  ", true},
		{"split ligature joined", "Nursultan Nazarbayev visited South Korea on an official visit twice", true},
		{"split ligature kept", "on an offi cial visit twice", true},
		{"ligature character", "on an oﬃcial visit twice", true},
		{"ligature before line-end", "the need to expand bilateral relations in the spirit of friendship", true},
		{"line-end hyphen joined", "signed during the Kazakh president’s second visit", true},
		{"line-end hyphen kept", "signed during the Kazakh president’s sec-ond visit", true},
		{"line-end hyphen with space", "signed during the Kazakh president’s sec- ond visit", true},
		{"real hyphen at line end", "development of Kazakh-South Korean relations", true},
		{"straight apostrophe", "signed during the Kazakh president's second visit", true},
		{"curly apostrophe", "Kazakhstan’s diplomatic relations with South Korea", true},
		{"hyphen for en dash", "visited South Korea on an official visit twice - in 1995", true},
		{"em dash for en dash", "visited South Korea on an official visit twice — in 1995", true},
		{"several artifacts", "Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan, including 48 joint ventures and 62 representative offices.", true},
		{"hyphen and ligature", "agreements on cultural and scientific and technical cooperation", true},
		{"across a ligature and hyphen", "consists of over 60 documents, including agreements", true},
		// What is not.
		{"changed digit", "has reached about $4bn (as of 30 September 2008", false},
		{"changed word", "has reached roughly $3bn", false},
		{"changed case", "Has reached about $3bn", false},
		{"changed punctuation", "has reached about $3bn, (as of 30 September 2008", false},
		{"dropped punctuation", "(as of 30 September 2008 according to the National Bank", false},
		{"missing word", "has reached $3bn", false},
		{"missing space", "hasreached about $3bn", false},
		{"added hyphen", "has re-ached about $3bn", false},
		{"not in the text", "Its total investment in Uzbekistan has reached", false},
		{"empty", "", false},
		{"only space", "   ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := text.find(tc.quote).found; got != tc.found {
				t.Errorf("find(%q) = %v, want %v", tc.quote, got, tc.found)
			}
		})
	}
}

func TestQuoteExplain(t *testing.T) {
	text := newQuoteText(sourceText(t))
	m := text.find("Its total investment in Kazakhstan has reached about $4bn (as of 30 September 2008)")
	if m.found {
		t.Fatal("changed digit found")
	}
	msg := m.explain("kazakhstan-today-p190-191.txt")
	for _, want := range []string{`in Kazakhstan has reached about $"`, `the quote has "4bn`, `the source has "3bn`} {
		if !strings.Contains(msg, want) {
			t.Errorf("explanation %q lacks %q", msg, want)
		}
	}
	if msg := text.find("Nothing like this is in the text").explain("x.txt"); !strings.Contains(msg, "not even its first words") {
		t.Errorf("explanation for a foreign quote: %q", msg)
	}
}

func FuzzQuote(f *testing.F) {
	src := sourceText(f)
	f.Add(src, "Its total investment in Kazakhstan has reached about $3bn")
	f.Add("sec-\nond offi cial", "second official")
	f.Add("a–b “c”", "a-b \"c\"")
	f.Add("x-\n", "x-")
	f.Fuzz(func(t *testing.T, text, quote string) {
		if !utf8.ValidString(text) || !utf8.ValidString(quote) {
			return
		}
		qt := newQuoteText(text)
		m := qt.find(quote)
		_ = m.explain("t.txt")
		// A text always contains itself, unless nothing is left of it once
		// normalized (white space, soft hyphens).
		if len(qt.runes) > 0 && !qt.find(text).found {
			t.Fatalf("text %q does not contain itself", text)
		}
		// Matching is forgiving, never creative: a quote found in a text
		// is found in the text with the artifacts removed in the same way.
		if m.found && strings.TrimSpace(quote) == "" {
			t.Fatalf("empty quote %q found", quote)
		}
	})
}

func TestQuoteSearchGivesUp(t *testing.T) {
	// Every position of the text starts a match of all but the quote's
	// last rune: without a budget, the search would compare 400 million
	// runes.
	text := newQuoteText(strings.Repeat("a", 200_000))
	quote := strings.Repeat("a", 1999) + "b"
	c := &checker{facts: newFactsCache()}
	m := c.factsOf(text, quote).match
	if m.found || !m.gaveUp {
		t.Fatalf("find = %+v; want not found, given up", m)
	}
	if msg := m.explain("t.txt"); !strings.Contains(msg, "gave up") || !strings.Contains(msg, "shorter") {
		t.Errorf("explanation %q does not say the search gave up and what to do", msg)
	}
	if again := c.factsOf(text, quote).match; again != m {
		t.Errorf("second search = %+v; want the first one's %+v", again, m)
	}
	// A text of prose is searched to the end, however long.
	prose := strings.Repeat(sourceText(t), 20)
	if m := newQuoteText(prose).find("the end of the text: absent"); m.gaveUp {
		t.Errorf("search through %d bytes of prose gave up", len(prose))
	}
}

// TestNormalizeMarked: normalising a chunk at a time gives the runes of
// normalising the whole text, and the form feeds and blank lines mark
// where pages and paragraphs start.
func TestNormalizeMarked(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 5*markChunk; i++ {
		fmt.Fprintf(&b, "Para\u00adgraph %d: the of\ufb01cial fi- gures of Kazakh-\nstan’s “trade” – %d bn.\n", i, i*7)
		if i%5 == 4 {
			b.WriteString("\n")
		}
		if i%97 == 96 {
			b.WriteString("\f")
		}
	}
	text := b.String()
	runes, pages, paras := normalizeMarked(text)
	if want := textnorm.Append(nil, text, textnorm.Source); string(runes) != string(want) {
		t.Fatalf("chunked normalisation differs from the whole (%d and %d runes)", len(runes), len(want))
	}
	if want := strings.Count(text, "\f"); len(pages) != want {
		t.Errorf("%d page starts, want %d", len(pages), want)
	}
	if want := strings.Count(text, "\n\n") + strings.Count(text, "\f"); len(paras) != want {
		t.Errorf("%d paragraph starts, want %d", len(paras), want)
	}
	for _, k := range pages {
		if !strings.HasPrefix(string(runes[k:]), "Para") {
			t.Fatalf("a page starts at %q", string(runes[k:min(len(runes), k+20)]))
		}
	}
}

// TestQuotePosition: a quote found says where it is in the text, by either
// search, and on which page and in which paragraph.
func TestQuotePosition(t *testing.T) {
	text := "Page one. Its total investment has reached about $3bn.\n\nA second paragraph, with a line-end hy-\nphen.\n\f" +
		"Page two: over 300 enter-\nprises operate.\f\fPage four, after an empty page."
	qt := newQuoteText(text)
	for _, tc := range []struct {
		quote, at  string // the quote, and the text found, as show writes it
		page       int
		para, rest string // the start and end of its paragraph
	}{
		{"Its total investment has reached about $3bn.", "Its total investment has reached about $3bn.", 0, "Page one.", "$3bn."},
		{"with a line-end hyphen.", "with a line-end hy-phen.", 0, "A second", "-phen."},
		{"with a line-end hy-phen.", "with a line-end hy-phen.", 0, "A second", "-phen."},
		{"over 300 enterprises operate", "over 300 enter-prises operate", 1, "Page two", "operate."},
		{"Page four", "Page four", 3, "Page four", "page."},
	} {
		m := qt.find(tc.quote)
		if !m.found {
			t.Errorf("%q: not found", tc.quote)
			continue
		}
		if got := show(qt.runes[m.start:m.end]); got != tc.at {
			t.Errorf("%q: found at %q, want %q", tc.quote, got, tc.at)
		}
		if got := qt.page(m.start); got != tc.page {
			t.Errorf("%q: page %d, want %d", tc.quote, got, tc.page)
		}
		ps, pe := qt.paragraph(m.start)
		if p := show(qt.runes[ps:pe]); !strings.HasPrefix(p, tc.para) || !strings.HasSuffix(strings.TrimSpace(p), tc.rest) {
			t.Errorf("%q: paragraph %q, want it from %q to %q", tc.quote, p, tc.para, tc.rest)
		}
	}
}
