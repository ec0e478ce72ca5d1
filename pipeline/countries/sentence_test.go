package countries

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSentenceBefore(t *testing.T) {
	tests := []struct {
		name string
		text string // the quote starts at |
		want string // the sentence before it
		own  string // text[to:start]: the quote's own sentence before it
	}{
		{"two sentences", "South Korea invests. |Its total investment grew.", "South Korea invests.", " "},
		{"line breaks", "One.\nSouth Korea invests\nmuch.\n|Its total", "South Korea invests\nmuch.", "\n"},
		{"mid-sentence quote", "South Korea invests. Its |total investment grew.", "South Korea invests.", " Its "},
		{"no sentence before", "|Its total investment.", "", ""},
		{"no sentence before, mid-sentence", "  Its |total investment.", "", "Its "},
		{"first sentence", "South Korea invests. |Its", "South Korea invests.", " "},
		{"exclamation and question", "Really? South Korea! |Its", "South Korea!", " "},
		{"ellipsis", "Wait… South Korea invests… |Its", "South Korea invests…", " "},
		{"closing quote", "He said “Korea invests.” |Its", "He said “Korea invests.”", " "},
		{"closing bracket", "One. (Korea invests.) |Its", "(Korea invests.)", " "},
		{"opening quote starts", "One. Korea invests. |“Its", "Korea invests.", " "},
		{"digit starts", "One. Korea invests. |300 firms", "Korea invests.", " "},
		{"U.S.", "One. The U.S. and South Korea invest. |Its", "The U.S. and South Korea invest.", " "},
		{"U.S. before a capital", "One. Firms of the U.S. Government invest. |Its", "Firms of the U.S. Government invest.", " "},
		{"initials", "One. J. R. Smith of Korea said so. |Its", "J. R. Smith of Korea said so.", " "},
		{"e.g.", "One. Sectors, e.g. Energy, grew. |Its", "Sectors, e.g. Energy, grew.", " "},
		{"Mr.", "One. Mr. Roh visited Kazakhstan. |Its", "Mr. Roh visited Kazakhstan.", " "},
		{"No.", "One. Law No. 412 applies. |Its", "Law No. 412 applies.", " "},
		{"pp.", "One. See [44, pp. 332-333] here. |Its", "See [44, pp. 332-333] here.", " "},
		{"decimal", "One. It grew 3.5 times. |Its", "It grew 3.5 times.", " "},
		{"lowercase after a stop", "One. Its sales in the U.S. grew. |Its", "Its sales in the U.S. grew.", " "},
		{"abbreviation case", "One. Bldg NO. 5 stands. |Its", "Bldg NO. 5 stands.", " "},
		{"a citation", "launched\n[43].\n|Kazakhstan and", "launched\n[43].", "\n"},
		{"form feed", "Heading without a stop\f|Its total", "Heading without a stop", "\f"},
		{"blank line", "A heading\n\n|Its total", "A heading", "\n\n"},
		{"empty sentences", "Korea invests.\f\f|Its", "Korea invests.", "\f\f"},
		{"quote right after the stop", "Korea invests.|Its", "", "Korea invests."},
		{"end of text", "Korea invests. Its|", "Korea invests.", " Its"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after, ok := strings.Cut(tt.text, "|")
			if !ok {
				t.Fatal("no | in the text")
			}
			text := []rune(before + after)
			start := len([]rune(before))
			from, to := SentenceBefore(text, start)
			if got := string(text[from:to]); got != tt.want {
				t.Errorf("SentenceBefore = %q, want %q", got, tt.want)
			}
			if got := string(text[to:start]); got != tt.own {
				t.Errorf("text[to:start] = %q, want %q", got, tt.own)
			}
		})
	}
}

func TestSentenceBeforeBounds(t *testing.T) {
	text := []rune("One. Two. Three.")
	for _, start := range []int{-5, 0, 3, 5, 16, 17, 1000} {
		from, to := SentenceBefore(text, start)
		s := min(max(start, 0), len(text))
		if !(0 <= from && from <= to && to <= s) {
			t.Errorf("SentenceBefore(%d) = %d, %d", start, from, to)
		}
	}
	if from, to := SentenceBefore(nil, 3); from != 0 || to != 0 {
		t.Errorf("SentenceBefore(nil, 3) = %d, %d", from, to)
	}
	// A text with no sentence end costs maxSentence, not the text.
	long := []rune(strings.Repeat("word ", 10*maxSentence))
	from, to := SentenceBefore(long, len(long))
	if to != from || len(long)-from > maxSentence {
		t.Errorf("SentenceBefore(a long text with no stop) = %d, %d of %d", from, to, len(long))
	}
}

// TestDefaultDataset reads the source text of the embedded default dataset:
// each record's countries are named in its quote or the sentence before it.
func TestDefaultDataset(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "input", "defaultdata", "kazakhstan-today-p190-191.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := []rune(string(data))
	tests := []struct {
		quoteStart   string
		sentence     string // the sentence before
		inSentence   []string
		inQuoteFirst []string // the codes of the quote's first sentence
	}{
		{
			quoteStart:   "Its total investment in Kazakhstan has reached about $3bn",
			sentence:     "South Korea is one of the leading investors in the Kazakh economy.",
			inSentence:   []string{"KR=South Korea", "KZ=Kazakh"},
			inQuoteFirst: []string{"KZ=Kazakhstan", "KZ=Kazakhstan"},
		},
		{
			quoteStart:   "Over 300 enter-",
			sentence:     "The main spheres of investment are construction, trade, fi nance,\ninformation technologies, the production of buses, equipment for the\noil and gas and chemical sectors and white goods.",
			inQuoteFirst: []string{"KR=South Korean", "KZ=Kazakhstan"},
		},
		{
			quoteStart:   "The contractual and legislative basis",
			sentence:     "Present relations with South Korea, taking account of its economic\nand political potential, as well as its presence in the Kazakh economy,\nbear the nature of a strategic partnership for Kazakhstan.",
			inSentence:   []string{"KR=South Korea", "KZ=Kazakh", "KZ=Kazakhstan"},
			inQuoteFirst: []string{"KZ=Kazakhstan", "KR=South Korea"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.quoteStart, func(t *testing.T) {
			i := strings.Index(string(data), tt.quoteStart)
			if i < 0 {
				t.Fatalf("%q is not in the text", tt.quoteStart)
			}
			start := len([]rune(string(data[:i])))
			from, to := SentenceBefore(text, start)
			sentence := string(text[from:to])
			if sentence != tt.sentence {
				t.Errorf("the sentence before is %q, want %q", sentence, tt.sentence)
			}
			if got := shown(Find(sentence)); !slices.Equal(got, tt.inSentence) {
				t.Errorf("it names %q, want %q", got, tt.inSentence)
			}
			end := start + 1
			for end < len(text) && !endsSentence(text, end) {
				end++
			}
			if got := shown(Find(string(text[start:end]))); !slices.Equal(got, tt.inQuoteFirst) {
				t.Errorf("the quote's first sentence %q names %q, want %q", string(text[start:end]), got, tt.inQuoteFirst)
			}
		})
	}
}
