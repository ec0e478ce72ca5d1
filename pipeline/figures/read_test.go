package figures

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// brief renders a mention compactly for table tests: "money 3000000000 $
// about", "count 48 joint_ventures exact change", "unreadable money …",
// with " @2008-09-30..2008-09-30" when a date is attached.
func brief(r Reading, m Mention) string {
	var b strings.Builder
	if !m.Readable() {
		fmt.Fprintf(&b, "unreadable %s", m.Kind)
		if m.Noun != NoNoun {
			fmt.Fprintf(&b, " %s", m.Noun.Field())
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s", m.Kind, m.Value)
	if m.Currency != "" {
		fmt.Fprintf(&b, " %s", m.Currency)
	}
	if m.Noun != NoNoun {
		fmt.Fprintf(&b, " %s", m.Noun.Field())
	}
	fmt.Fprintf(&b, " %s", m.Qualifier)
	if m.Nearly {
		b.WriteString(" nearly")
	}
	if m.Change {
		b.WriteString(" change")
	}
	if m.Date >= 0 {
		d := r.Dates[m.Date]
		if d.Readable() {
			fmt.Fprintf(&b, " @%s..%s", d.From, d.To)
		} else {
			b.WriteString(" @unreadable")
		}
	}
	return b.String()
}

func briefs(r Reading, kinds ...Kind) []string {
	var out []string
	for _, m := range r.Mentions {
		if len(kinds) == 0 || slices.Contains(kinds, m.Kind) {
			out = append(out, brief(r, m))
		}
	}
	return out
}

type readCase struct {
	in   string
	want []string // the money and count mentions, and the numbers
}

func runReadCases(t *testing.T, cases []readCase) {
	t.Helper()
	for _, tc := range cases {
		r := Read(tc.in)
		got := briefs(r)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Read(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		checkSpans(t, tc.in, r)
	}
}

// checkSpans checks that every span's text is the quote's code points
// from Start to End.
func checkSpans(t *testing.T, quote string, r Reading) {
	t.Helper()
	rs := []rune(quote)
	var spans []Span
	for _, m := range r.Mentions {
		spans = append(spans, m.Span)
		if m.QualifierSpan.Text != "" {
			spans = append(spans, m.QualifierSpan)
		}
	}
	for _, d := range r.Dates {
		spans = append(spans, d.Span)
	}
	for _, sp := range spans {
		if sp.Start < 0 || sp.End > len(rs) || sp.Start >= sp.End || string(rs[sp.Start:sp.End]) != sp.Text {
			t.Errorf("Read(%q): span %+v is not the quote's code points %d:%d", quote, sp, sp.Start, sp.End)
		}
	}
}

func TestReadNumbers(t *testing.T) {
	runReadCases(t, []readCase{
		{"reached $3,000,000,000", []string{"money 3000000000 $ exact"}},
		{"reached $1,234.5 million", []string{"money 1234500000 $ exact"}},
		{"USD 1 411 billion", []string{"money 1411000000000 USD exact"}},
		{"USD 1\u00a0411\u00a0billion", []string{"money 1411000000000 USD exact"}},
		{"USD 1\u2009411\u202f000", []string{"money 1411000 USD exact"}},
		{"25 000 companies", []string{"count 25000 enterprises exact"}},
		{"6,5 billion tenge", []string{"money 6500000000 KZT exact"}},
		{"$9,35 billion", []string{"money 9350000000 $ exact"}},
		{"3,025 billion tenge", []string{"money 3025000000000 KZT exact"}},
		{"Rs 1,23,456 crore", []string{"money 1234560000000 Rs exact"}},
		{"$3.5bn", []string{"money 3500000000 $ exact"}},
		{"0.5 million dollars", []string{"money 500000 $ exact"}},
		{"sixty agreements", []string{"count 60 documents exact"}},
		{"three hundred companies", []string{"count 300 enterprises exact"}},
		{"three hundred and fifty firms", []string{"count 350 enterprises exact"}},
		{"twenty-five joint ventures", []string{"count 25 joint_ventures exact"}},
		{"two thousand three hundred enterprises", []string{"count 2300 enterprises exact"}},
		{"a dozen agreements", []string{"count 12 documents exact"}},
		{"half a dozen MoUs", []string{"count 6 documents exact"}},
		{"one and a half billion dollars", []string{"money 1500000000 $ exact"}},
		{"a billion dollars", []string{"money 1000000000 $ exact"}},
		{"half a million dollars", []string{"money 500000 $ exact"}},
		{"1.2 billion euros", []string{"money 1200000000 EUR exact"}},
		{"1.2 million companies", []string{"count 1200000 enterprises exact"}},
		{"reached 3 billion", []string{"number 3000000000 exact"}},
		// Unreadable candidates.
		{"$10bnn", []string{"unreadable money"}},
		{"the G20 summit and the A380", nil},
		{"48 joint ventures at the G20", []string{"count 48 joint_ventures exact"}},
		{"A2000–R$5", []string{"money 5 BRL exact"}},
		{"USD3bn", []string{"money 3000000000 USD exact"}},
		{"3,00 million dollars", []string{"unreadable money"}},
		{"3,00 companies", []string{"unreadable count enterprises"}},
		{"$1,2345 million", []string{"unreadable money"}},
		{"€1.234.567", []string{"unreadable money"}},
		{"€1.234,5 million", []string{"unreadable money"}},
		{"2.5 agreements", []string{"unreadable count documents"}},
		// Never joined across ", ".
		{"10, 691 companies", []string{"number 10 exact", "count 691 enterprises exact"}},
	})
}

func TestReadCurrencies(t *testing.T) {
	runReadCases(t, []readCase{
		{"about $3bn", []string{"money 3000000000 $ about"}},
		{"US$ 4 billion", []string{"money 4000000000 USD exact"}},
		{"US$4bn", []string{"money 4000000000 USD exact"}},
		{"U.S.$4bn", []string{"money 4000000000 USD exact"}},
		{"USD 4 billion", []string{"money 4000000000 USD exact"}},
		{"USD4bn", []string{"money 4000000000 USD exact"}},
		{"KZT355.7bn", []string{"money 355700000000 KZT exact"}},
		{"420,925,400 USD", []string{"money 420925400 USD exact"}},
		{"4 billion US dollars", []string{"money 4000000000 USD exact"}},
		{"4 billion U.S. dollars", []string{"money 4000000000 USD exact"}},
		{"4 billion dollars", []string{"money 4000000000 $ exact"}},
		{"S$8 billion", []string{"money 8000000000 SGD exact"}},
		{"8 billion Singapore dollars", []string{"money 8000000000 SGD exact"}},
		{"HK$2.1bn", []string{"money 2100000000 HKD exact"}},
		{"A$500m", []string{"money 500000000 AUD exact"}},
		{"C$1.2 billion", []string{"money 1200000000 CAD exact"}},
		{"NZ$300 million", []string{"money 300000000 NZD exact"}},
		{"R$5 billion", []string{"money 5000000000 BRL exact"}},
		{"€117m", []string{"money 117000000 EUR exact"}},
		{"£27 million", []string{"money 27000000 GBP exact"}},
		{"GBP 27 million", []string{"money 27000000 GBP exact"}},
		{"¥500 billion", []string{"money 500000000000 ¥ exact"}},
		{"₩1.5 trillion", []string{"money 1500000000000 KRW exact"}},
		{"1.5 trillion won", []string{"money 1500000000000 KRW exact"}},
		{"₸151 billion", []string{"money 151000000000 KZT exact"}},
		{"151 billion tenge", []string{"money 151000000000 KZT exact"}},
		{"₹5,000 crore", []string{"money 50000000000 INR exact"}},
		{"Rs 31 crore", []string{"money 310000000 Rs exact"}},
		{"Rs. 31 crore", []string{"money 310000000 Rs exact"}},
		{"Rs 2 lakh crore", []string{"money 2000000000000 Rs exact"}},
		{"Rs 50 lakh", []string{"money 5000000 Rs exact"}},
		{"5,000 crore rupees", []string{"money 50000000000 Rs exact"}},
		{"5,000 crore Indian rupees", []string{"money 50000000000 INR exact"}},
		{"10 billion yuan", []string{"money 10000000000 CNY exact"}},
		{"RMB 10 billion", []string{"money 10000000000 CNY exact"}},
		{"3 billion euros", []string{"money 3000000000 EUR exact"}},
		{"3 million pounds", []string{"money 3000000 GBP exact"}},
		{"$294M", []string{"money 294000000 $ exact"}},
		{"$3B", []string{"money 3000000000 $ exact"}},
		{"$100k", []string{"money 100000 $ exact"}},
		{"117m euros", []string{"money 117000000 EUR exact"}},
		{"$5 mn", []string{"money 5000000 $ exact"}},
		{"5 mln dollars", []string{"money 5000000 $ exact"}},
		{"$2.5 bln", []string{"money 2500000000 $ exact"}},
		{"$1 tn", []string{"money 1000000000000 $ exact"}},
		{"1,5 млрд долларов", []string{"number 1500000000 exact"}},
		// m and B only after a currency amount.
		{"5 m long", []string{"number 5 exact"}},
		{"a 5m road", nil},
	})
}

func TestReadRanges(t *testing.T) {
	runReadCases(t, []readCase{
		{"between $8 billion and $10 billion", []string{"money 8000000000 $ over", "money 10000000000 $ under"}},
		{"$8 to $10 billion", []string{"money 8000000000 $ over", "money 10000000000 $ under"}},
		{"S$8 to S$10 billion", []string{"money 8000000000 SGD over", "money 10000000000 SGD under"}},
		{"USD 8-10 billion", []string{"money 8000000000 USD over", "money 10000000000 USD under"}},
		{"8-10 billion US dollars", []string{"money 8000000000 USD over", "money 10000000000 USD under"}},
		{"60-70 companies", []string{"count 60 enterprises over", "count 70 enterprises under"}},
		{"between 8 and 10 agreements", []string{"count 8 documents over", "count 10 documents under"}},
		{"rose from 200 to 300 companies", []string{"count 200 enterprises exact", "count 300 enterprises exact"}},
		{"increased by 25 to 300 companies", []string{"number 25 exact change", "count 300 enterprises exact"}},
	})
}

func TestReadQualifiers(t *testing.T) {
	cases := []readCase{}
	for _, q := range []struct {
		words string
		want  string
	}{
		{"about", "about"}, {"around", "about"}, {"approximately", "about"}, {"approx.", "about"},
		{"some", "about"}, {"roughly", "about"}, {"nearly", "about nearly"}, {"almost", "about nearly"},
		{"close to", "about"}, {"an estimated", "about"}, {"circa", "about"}, {"~", "about"},
		{"over", "over"}, {"more than", "over"}, {"above", "over"}, {"exceeded", "over"}, {"exceeds", "over"},
		{"surpassed", "over"}, {"crossed", "over"}, {"topped", "over"}, {"in excess of", "over"},
		{"upwards of", "over"}, {"at least", "over"}, {"a minimum of", "over"}, {"no less than", "over"},
		{"under", "under"}, {"less than", "under"}, {"fewer than", "under"}, {"below", "under"},
		{"up to", "under"}, {"at most", "under"}, {"a maximum of", "under"}, {"no more than", "under"},
	} {
		cases = append(cases, readCase{"it had " + q.words + " 300 companies", []string{"count 300 enterprises " + q.want}})
		cases = append(cases, readCase{"it had " + q.words + " $3bn", []string{"money 3000000000 $ " + q.want}})
	}
	cases = append(cases,
		readCase{"300 companies or more", []string{"count 300 enterprises over"}},
		readCase{"300 or more companies", []string{"count 300 enterprises over"}},
		readCase{"$3bn or so", []string{"money 3000000000 $ about"}},
		readCase{"300 or fewer companies", []string{"count 300 enterprises under"}},
		readCase{"$3bn or less", []string{"money 3000000000 $ under"}},
		readCase{"300-plus companies", []string{"count 300 enterprises over"}},
		readCase{"300+ companies", []string{"count 300 enterprises over"}},
		readCase{"300-odd companies", []string{"count 300 enterprises about"}},
		readCase{"just over 300 companies", []string{"count 300 enterprises over"}},
		readCase{"it exceeded 2018's $10.9 billion", []string{"money 10900000000 $ exact @2018-01-01..2018-12-31"}},
		readCase{"Over the past 18 years, 300 companies", []string{"count 300 enterprises exact"}},
		readCase{"over 25 years", nil},
		// Changes.
		readCase{"increased by 25 companies", []string{"count 25 enterprises exact change"}},
		readCase{"25 more companies", []string{"count 25 enterprises exact change"}},
		readCase{"another 25 companies", []string{"count 25 enterprises exact change"}},
		readCase{"a further 25 agreements", []string{"count 25 documents exact change"}},
		readCase{"an increase of $3bn", []string{"money 3000000000 $ exact change"}},
	)
	runReadCases(t, cases)
}

func TestReadNouns(t *testing.T) {
	runReadCases(t, []readCase{
		{"Over 300 enterprises with the involvement of South Korean capital", []string{"count 300 enterprises over"}},
		{"including 48 joint ventures and 62 representative offices", []string{"count 48 joint_ventures exact", "count 62 representative_offices exact"}},
		{"48 joint-ventures", []string{"count 48 joint_ventures exact"}},
		{"48 JVs", []string{"count 48 joint_ventures exact"}},
		{"48 joint enterprises", []string{"count 48 joint_ventures exact"}},
		{"60 bilateral documents", []string{"count 60 documents exact"}},
		{"300 South Korean companies", []string{"count 300 enterprises exact"}},
		{"300 Korean-invested firms", []string{"count 300 enterprises exact"}},
		{"300 small and medium-sized enterprises", []string{"number 300 exact"}},
		{"2,500 legal entities", []string{"count 2500 enterprises exact"}},
		{"12 intergovernmental agreements", []string{"count 12 documents exact"}},
		{"5 letters of intent", []string{"count 5 documents exact"}},
		{"5 memoranda of understanding", []string{"count 5 documents exact"}},
		{"14 treaties, 3 accords, 20 MoUs, 7 protocols, 9 contracts and 4 deals", []string{"count 14 documents exact",
			"count 3 documents exact", "count 20 documents exact", "count 7 documents exact", "count 9 documents exact",
			"count 4 documents exact"}},
		{"62 offices", []string{"number 62 exact"}},
		{"300 employees signed agreements", []string{"number 300 exact"}},
		{"Over 300 enter- prises", []string{"count 300 enterprises over"}},
		{"Over 300 enter-\nprises", []string{"count 300 enterprises over"}},
		{"In 2008 companies invested $3bn", []string{"money 3000000000 $ exact @2008-01-01..2008-12-31"}},
		{"2008 companies", []string{"count 2008 enterprises exact"}},
	})
}

func TestReadNotFigures(t *testing.T) {
	for _, in := range []string{
		"a rise of 25%", "25 percent", "25 per cent", "25 pc", "25.8%", "25,8%", "10-12%", "2.3 times", "a two-fold rise",
		"twice", "the 12th", "the second", "2nd", "the year 2008", "in 1995", "2021-22", "2015/16", "FY2021",
		"Q1 2017", "in the first half of 2016", "over the past 18 years", "8 months", "a 5-year plan", "a 3-day visit",
		"[44, pp 332-333]", "[43]", "p. 45", "pages 190-191", "COVID-19", "Boeing 737", "Law No. 412", "Article 5",
		"Resolution No. 1325", "G20", "A320", "the 1990s", "30 September 2008", "on September 30, 2008",
		"2023 tn2", // "tn" does not end a word, so it is no scale and 2023 is a year
	} {
		r := Read(in)
		if got := briefs(r); len(got) > 0 {
			t.Errorf("Read(%q) = %q, want no figure", in, got)
		}
		checkSpans(t, in, r)
	}
}

func TestReadDates(t *testing.T) {
	tests := []struct {
		in         string
		from, to   string
		precision  Precision
		unreadable bool
	}{
		{"as of 30 September 2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"30th of September 2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"September 30, 2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"Sept. 30, 2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"2008-09-30", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"30.09.2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"30/09/2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"09/30/2008", "2008-09-30", "2008-09-30", DayPrecision, false},
		{"end-September 2017", "2017-09-30", "2017-09-30", DayPrecision, false},
		{"at the end of September 2017", "2017-09-30", "2017-09-30", DayPrecision, false},
		{"end-2017", "2017-12-31", "2017-12-31", DayPrecision, false},
		{"by the end of 2022", "2022-12-31", "2022-12-31", DayPrecision, false},
		{"year-end 2017", "2017-12-31", "2017-12-31", DayPrecision, false},
		{"at the beginning of 2017", "2017-01-01", "2017-01-01", DayPrecision, false},
		{"in 2008", "2008-01-01", "2008-12-31", YearPrecision, false},
		{"as of 2008", "2008-01-01", "2008-12-31", YearPrecision, false},
		{"April 2024", "2024-04-01", "2024-04-30", MonthPrecision, false},
		{"February 2024", "2024-02-01", "2024-02-29", MonthPrecision, false},
		{"in the first half of 2016", "2016-01-01", "2016-06-30", HalfPrecision, false},
		{"the second half of 2016", "2016-07-01", "2016-12-31", HalfPrecision, false},
		{"H1 2016", "2016-01-01", "2016-06-30", HalfPrecision, false},
		{"Q1 2017", "2017-01-01", "2017-03-31", QuarterPrecision, false},
		{"3Q 2017", "2017-07-01", "2017-09-30", QuarterPrecision, false},
		{"the third quarter of 2008", "2008-07-01", "2008-09-30", QuarterPrecision, false},
		{"the first nine months of 2008", "2008-01-01", "2008-09-30", PeriodPrecision, false},
		{"January-September 2008", "2008-01-01", "2008-09-30", PeriodPrecision, false},
		{"from 2005 to 2008", "2005-01-01", "2008-12-31", PeriodPrecision, false},
		{"2005-2008", "2005-01-01", "2008-12-31", PeriodPrecision, false},
		{"mid-2017", "", "", NoPrecision, true},
		{"early 2017", "", "", NoPrecision, true},
		{"since 2008", "", "", NoPrecision, true},
		{"FY2021", "", "", NoPrecision, true},
		{"fiscal year 2021", "", "", NoPrecision, true},
		{"2021-22", "", "", NoPrecision, true},
		{"30 September", "", "", NoPrecision, true},
		{"31 September 2008", "", "", NoPrecision, true},
		{"05/06/2008", "", "", NoPrecision, true},
	}
	for _, tc := range tests {
		r := Read(tc.in)
		if len(r.Dates) != 1 {
			t.Errorf("Read(%q): dates %+v, want one", tc.in, r.Dates)
			continue
		}
		d := r.Dates[0]
		if tc.unreadable {
			if d.Readable() {
				t.Errorf("Read(%q) = %s..%s, want no range of days", tc.in, d.From, d.To)
			}
			continue
		}
		if !d.Readable() || d.From.String() != tc.from || d.To.String() != tc.to || d.Precision != tc.precision {
			t.Errorf("Read(%q) = %s..%s %s %q, want %s..%s %s", tc.in, d.From, d.To, d.Precision, d.Unreadable,
				tc.from, tc.to, tc.precision)
		}
		checkSpans(t, tc.in, r)
	}
}

func TestReadAttachesDates(t *testing.T) {
	runReadCases(t, []readCase{
		{"Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008, according to the National Bank of Kazakhstan).",
			[]string{"money 3000000000 $ about @2008-09-30..2008-09-30"}},
		{"FDI reached $10bn in 2022, up from $8bn in 2021.",
			[]string{"money 10000000000 $ exact @2022-01-01..2022-12-31", "money 8000000000 $ exact @2021-01-01..2021-12-31"}},
		{"In 2022 FDI was $10bn and in 2021 $8bn.",
			[]string{"money 10000000000 $ exact @2022-01-01..2022-12-31", "money 8000000000 $ exact @2021-01-01..2021-12-31"}},
		{"KZT 1.2 trillion ($3bn) in 2008",
			[]string{"money 1200000000000 KZT exact @2008-01-01..2008-12-31", "money 3000000000 $ exact @2008-01-01..2008-12-31"}},
		{"In 2015, 300 companies were registered. Investment reached $3bn.",
			[]string{"count 300 enterprises exact @2015-01-01..2015-12-31", "money 3000000000 $ exact"}},
		{"$3bn (2008) and 300 companies (2010)",
			[]string{"money 3000000000 $ exact @2008-01-01..2008-12-31", "count 300 enterprises exact @2010-01-01..2010-12-31"}},
		{"300 companies were registered, while in 2016 trade fell.",
			[]string{"count 300 enterprises exact"}},
		{"As of 1 January 2023, 300 companies with Korean capital operated in Kazakhstan.",
			[]string{"count 300 enterprises exact @2023-01-01..2023-01-01"}},
		{"mid-2017 saw $3bn", []string{"money 3000000000 $ exact @unreadable"}},
	})
}
