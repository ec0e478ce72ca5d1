package figures

import (
	"fmt"
	"strconv"
)

// Reading is what a quote states: its figures and its dates, in the order
// of the text.
type Reading struct {
	Mentions []Mention
	Dates    []Date
}

// Span is a passage of the quote: its text, and where it starts and ends
// (End exclusive) in Unicode code points of the quote as given, so that
// []rune(quote)[Start:End] is Text.
type Span struct {
	Text       string
	Start, End int
}

// Kind says what a mention is.
type Kind uint8

const (
	// KindMoney is an amount with a currency: "about $3bn".
	KindMoney Kind = iota + 1
	// KindCount is a number bound to a count noun: "48 joint ventures".
	KindCount
	// KindNumber is any other number the quote states that could be a figure:
	// no currency and no count noun ("reached 3 billion"). Percentages,
	// ratios, ordinals, years, dates, durations and references are none.
	KindNumber
)

func (k Kind) String() string {
	switch k {
	case KindMoney:
		return "money"
	case KindCount:
		return "count"
	case KindNumber:
		return "number"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Qualifier is the word attached to a figure, as the contract names it.
type Qualifier string

const (
	Exact Qualifier = "exact" // no qualifier
	About Qualifier = "about" // about, around, approximately, some, roughly, nearly, almost, close to, an estimated, circa, ~, or so
	Over  Qualifier = "over"  // over, more than, above, exceeded, in excess of, upwards of, at least, a minimum of, or more, N-plus, N+
	Under Qualifier = "under" // under, less than, fewer than, below, up to, at most, a maximum of, no more than, or less
)

// Noun is the count field a count noun names.
type Noun uint8

const (
	NoNoun                Noun = iota
	Enterprises                // enterprises, companies, firms, businesses, entities, legal entities, corporations
	JointVentures              // joint ventures, joint enterprises, JVs
	RepresentativeOffices      // representative offices
	Documents                  // documents, agreements, treaties, accords, memoranda, MoUs, protocols, contracts, deals, letters of intent
)

// Field returns the record's field the noun names: "enterprises",
// "joint_ventures", "representative_offices", "documents", or "".
func (n Noun) Field() string {
	switch n {
	case Enterprises:
		return "enterprises"
	case JointVentures:
		return "joint_ventures"
	case RepresentativeOffices:
		return "representative_offices"
	case Documents:
		return "documents"
	}
	return ""
}

// words returns the noun as a message names it.
func (n Noun) words() string {
	switch n {
	case JointVentures:
		return "joint ventures"
	case RepresentativeOffices:
		return "representative offices"
	}
	return n.Field()
}

// NounOfField returns the Noun of a record's field name, or NoNoun.
func NounOfField(field string) Noun {
	for n := Enterprises; n <= Documents; n++ {
		if n.Field() == field {
			return n
		}
	}
	return NoNoun
}

// Mention is a figure the quote states.
type Mention struct {
	Kind Kind
	Span // the words: qualifier, currency, number, scale, noun
	// Value is the number with its scale word applied: "$3bn" is 3000000000.
	Value Decimal
	// Currency (Money) is an ISO 4217 code, or a family: AnyDollar for a
	// bare "$" or "dollars", AnyRupee for "Rs" or "rupees", AnyYen for "¥".
	Currency string
	// Noun (Count) is the count field the number is bound to.
	Noun Noun
	// Qualifier is the word attached (Exact when there is none), and
	// QualifierSpan its words (empty for Exact, or the whole range for one
	// end of a range).
	Qualifier     Qualifier
	QualifierSpan Span
	// Nearly is set for "nearly" and "almost": About, that may also be
	// recorded as Under.
	Nearly bool
	// Change is set for a change rather than a level: "increased by 25",
	// "25 more", "another 25".
	Change bool
	// Date is the index in Reading.Dates of the date the quote attaches to
	// this figure, or -1.
	Date int
	// Unreadable, when set, says why the words look like a figure (a money
	// amount, or a number bound to a count noun) that cannot be read, and
	// Value is zero: "$10bnn" has an unknown scale "bnn".
	Unreadable string
}

// Readable says whether the mention's value was read.
func (m Mention) Readable() bool { return m.Unreadable == "" }

// Precision is how precisely a date is given.
type Precision uint8

const (
	NoPrecision      Precision = iota // the words give no day range (see Date.Unreadable)
	DayPrecision                      // "30 September 2008", "end-September 2017"
	MonthPrecision                    // "April 2024"
	QuarterPrecision                  // "Q1 2017", "the first quarter of 2017"
	HalfPrecision                     // "in the first half of 2016"
	YearPrecision                     // "in 2008"
	PeriodPrecision                   // "January-September 2008", "2005-2008", "the first nine months of 2008"
)

func (p Precision) String() string {
	switch p {
	case DayPrecision:
		return "day"
	case MonthPrecision:
		return "month"
	case QuarterPrecision:
		return "quarter"
	case HalfPrecision:
		return "half-year"
	case YearPrecision:
		return "year"
	case PeriodPrecision:
		return "period"
	}
	return "none"
}

// Date is a date or period the quote states, as an inclusive range of days.
type Date struct {
	Span
	From, To  Day
	Precision Precision
	// Unreadable, when set, says why the words name a date but no range of
	// days: "mid-2017", "since 2008", a fiscal year, a day without a year.
	Unreadable string
}

// Readable says whether the date gives a range of days.
func (d Date) Readable() bool { return d.Unreadable == "" }

// Contains says whether the date's range holds d.
func (d Date) Contains(day Day) bool {
	return d.Unreadable == "" && d.From <= day && day <= d.To
}

// Day is a calendar day, as the number yyyymmdd (20080930); it orders as
// days do.
type Day int32

// NewDay returns the day; it does not check that the day exists.
func NewDay(year, month, day int) Day { return Day(year*10000 + month*100 + day) }

// ParseDay reads a day written YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, fmt.Errorf("date %q: want a real day, YYYY-MM-DD", s)
	}
	return NewDay(y, m, d), nil
}

// Year, Month and DayOfMonth return the parts of the day.
func (d Day) Year() int       { return int(d) / 10000 }
func (d Day) Month() int      { return int(d) / 100 % 100 }
func (d Day) DayOfMonth() int { return int(d) % 100 }

func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), d.Month(), d.DayOfMonth())
}

// daysIn returns the number of days of a month.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
