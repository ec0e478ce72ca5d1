package figures

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRoundTrip renders random figures in the forms the reader reads —
// value, scale word, currency before or after, qualifier before or after,
// grouping, number words — reads them back, and compares.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2008))
	for i := range 3000 {
		var text string
		var want string
		if i%3 == 2 {
			text, want = renderCount(rng)
		} else {
			text, want = renderMoney(rng)
		}
		sentence := "Last year, " + text + " were reported by the ministry."
		r := Read(sentence)
		got := briefs(r, KindMoney, KindCount)
		if len(got) != 1 || got[0] != want {
			t.Fatalf("Read(%q) = %q, want [%q]", sentence, got, want)
		}
		checkSpans(t, sentence, r)
	}
}

type scaleForm struct {
	words    string
	exp      int
	glued    bool // written glued to the digits
	needsCur bool // only after a currency
}

var scaleForms = []scaleForm{
	{"", 0, false, false}, {"thousand", 3, false, false}, {"k", 3, true, false},
	{"million", 6, false, false}, {"mn", 6, true, false}, {"mln", 6, false, false}, {"m", 6, true, true}, {"M", 6, true, true},
	{"billion", 9, false, false}, {"bn", 9, true, false}, {"bln", 9, false, false}, {"B", 9, true, true},
	{"trillion", 12, false, false}, {"tn", 12, false, false}, {"lakh", 5, false, false}, {"crore", 7, false, false},
	{"lakh crore", 12, false, false},
}

type currencyForm struct {
	before, after string // one of them
	code          string // what the reader gives
}

var currencyForms = []currencyForm{
	{"$", "", AnyDollar}, {"US$", "", "USD"}, {"S$", "", "SGD"}, {"HK$", "", "HKD"}, {"€", "", "EUR"}, {"£", "", "GBP"},
	{"₩", "", "KRW"}, {"₸", "", "KZT"}, {"₹", "", "INR"}, {"Rs ", "", AnyRupee}, {"Rs. ", "", AnyRupee},
	{"USD ", "", "USD"}, {"KZT", "", "KZT"}, {"EUR ", "", "EUR"},
	{"", " USD", "USD"}, {"", " KZT", "KZT"}, {"", " US dollars", "USD"}, {"", " U.S. dollars", "USD"},
	{"", " dollars", AnyDollar}, {"", " Singapore dollars", "SGD"}, {"", " tenge", "KZT"}, {"", " euros", "EUR"},
	{"", " won", "KRW"}, {"", " yuan", "CNY"}, {"", " rupees", AnyRupee},
}

type qualifierForm struct {
	before, after string
	q             Qualifier
	nearly        bool
}

var qualifierForms = []qualifierForm{
	{"", "", Exact, false}, {"about ", "", About, false}, {"around ", "", About, false}, {"approximately ", "", About, false},
	{"roughly ", "", About, false}, {"nearly ", "", About, true}, {"almost ", "", About, true}, {"close to ", "", About, false},
	{"an estimated ", "", About, false}, {"some ", "", About, false}, {"over ", "", Over, false}, {"more than ", "", Over, false},
	{"above ", "", Over, false}, {"in excess of ", "", Over, false}, {"at least ", "", Over, false},
	{"upwards of ", "", Over, false}, {"under ", "", Under, false}, {"less than ", "", Under, false},
	{"up to ", "", Under, false}, {"no more than ", "", Under, false}, {"", " or more", Over, false},
	{"", " or so", About, false}, {"", " or less", Under, false},
}

// renderMoney returns an amount written in one of the forms, and what the
// reader must make of it.
func renderMoney(rng *rand.Rand) (string, string) {
	sc := scaleForms[rng.IntN(len(scaleForms))]
	cur := currencyForms[rng.IntN(len(currencyForms))]
	if sc.needsCur && cur.before == "" {
		cur = currencyForms[0]
	}
	q := qualifierForms[rng.IntN(len(qualifierForms))]
	digits, value := randomNumber(rng, sc.exp == 0, strings.HasSuffix(cur.before, " ") && cur.before != "Rs " && cur.before != "Rs. ")
	sep := " "
	if sc.glued {
		sep = ""
	}
	number := digits
	if sc.words != "" {
		number += sep + sc.words
	}
	text := q.before + cur.before + number + cur.after + q.after
	return text, money(value.shift(sc.exp), cur.code, q)
}

func money(v Decimal, cur string, q qualifierForm) string {
	s := fmt.Sprintf("money %s %s %s", v, cur, q.q)
	if q.nearly {
		s += " nearly"
	}
	return s
}

// randomNumber returns digits for a random value: an integer, grouped by
// "," (or by spaces when spaces is set) when large, or a decimal.
func randomNumber(rng *rand.Rand, large, spaces bool) (string, Decimal) {
	switch rng.IntN(3) {
	case 0: // a decimal
		n, frac := 1+rng.IntN(999), rng.IntN(99)+1
		s := fmt.Sprintf("%d.%d", n, frac)
		return s, MustDecimal(s)
	case 1: // a large grouped integer
		if large {
			n := int64(1000 + rng.IntN(999_999_000))
			d := DecimalFromInt(n)
			g := d.Grouped()
			if spaces {
				g = strings.ReplaceAll(g, ",", "\u00a0")
			}
			return g, d
		}
	}
	n := int64(1 + rng.IntN(999))
	return fmt.Sprint(n), DecimalFromInt(n)
}

var nounForms = []struct {
	words string
	field string
}{
	{"companies", "enterprises"}, {"enterprises", "enterprises"}, {"South Korean firms", "enterprises"},
	{"legal entities", "enterprises"}, {"joint ventures", "joint_ventures"}, {"representative offices", "representative_offices"},
	{"bilateral agreements", "documents"}, {"documents", "documents"}, {"memoranda of understanding", "documents"},
	{"intergovernmental treaties", "documents"},
}

// renderCount returns a count written in one of the forms, and what the
// reader must make of it.
func renderCount(rng *rand.Rand) (string, string) {
	noun := nounForms[rng.IntN(len(nounForms))]
	q := qualifierForms[rng.IntN(len(qualifierForms))]
	n := int64(2 + rng.IntN(998))
	digits := fmt.Sprint(n)
	switch rng.IntN(3) {
	case 0:
		digits = numberWords(n)
	case 1:
		n = int64(1000 + rng.IntN(98_000))
		digits = DecimalFromInt(n).Grouped()
	}
	text := q.before + digits + " " + noun.words + q.after
	if q.after != "" && rng.IntN(2) == 0 {
		text = q.before + digits + q.after + " " + noun.words // "300 or more companies"
	}
	want := fmt.Sprintf("count %d %s %s", n, noun.field, q.q)
	if q.nearly {
		want += " nearly"
	}
	return text, want
}

// numberWords writes 1-999 in words: "three hundred and forty-two".
func numberWords(n int64) string {
	units := strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen " +
		"fifteen sixteen seventeen eighteen nineteen")
	tens := strings.Fields("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
	var parts []string
	if n >= 100 {
		parts = append(parts, units[n/100]+" hundred")
		n %= 100
		if n > 0 {
			parts = append(parts, "and")
		}
	}
	switch {
	case n >= 20 && n%10 != 0:
		parts = append(parts, tens[n/10]+"-"+units[n%10])
	case n >= 20:
		parts = append(parts, tens[n/10])
	case n > 0:
		parts = append(parts, units[n])
	}
	return strings.Join(parts, " ")
}
