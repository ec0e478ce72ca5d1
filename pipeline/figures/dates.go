package figures

import "fmt"

// Dates and periods, each read as an inclusive range of days at the
// precision the words give: "30 September 2008", "September 30, 2008",
// "2008-09-30" and "30.09.2008" a day; "end-September 2017" and "by the
// end of 2022" the last day; "April 2024" a month; "Q1 2017" and "the first
// quarter of 2017" a quarter; "the first half of 2016" and "H1 2016" a half;
// "in 2008" a year; "January-September 2008", "the first nine months of
// 2008" and "2005-2008" a period. Words that name a date but no range of
// days ("mid-2017", "since 2008", "FY2021", "2015/16", "30 September" with
// no year) are read as a Date with Unreadable set, so that they are never
// taken for figures and never pass for a day they do not give.

// dateSpan is a date being read: its range and its tokens.
type dateSpan struct {
	from, to    Day
	prec        Precision
	unreadable  string
	first, last int
	name        bool // a year that is part of a name: no date at all
}

// dateToks keeps, for each date of the reading, its first and last token.
type dateToks struct{ first, last int }

func (s *scanner) readDates() {
	s.dates = s.dates[:0]
	for i := 0; i < len(s.toks); i++ {
		if t := &s.toks[i]; t.used || t.kind == tPunct || t.kind == tWord && !t.word().is(cDateStart) {
			continue
		}
		d, ok := s.readDate(i)
		if !ok {
			continue
		}
		if d.name {
			s.markUsed(d.first, d.last)
			i = d.last
			continue
		}
		s.prefixDate(&d)
		s.markUsed(d.first, d.last)
		for k := d.first; k <= d.last; k++ {
			s.toks[k].date = true
		}
		if d.unreadable != "" {
			d.from, d.to, d.prec = 0, 0, NoPrecision
		}
		s.out.Dates = append(s.out.Dates, Date{Span: s.span(d.first, d.last), From: d.from, To: d.to,
			Precision: d.prec, Unreadable: d.unreadable})
		s.dates = append(s.dates, dateToks{d.first, d.last})
		i = d.last
	}
}

// readDate reads a date that starts at token i.
func (s *scanner) readDate(i int) (dateSpan, bool) {
	t := s.tok(i)
	switch {
	case t.kind == tNum:
		if d, ok := s.numericDate(i); ok {
			return d, true
		}
		if d, ok := s.dayFirst(i); ok {
			return d, true
		}
		if d, ok := s.quarterOrHalf(i); ok {
			return d, true
		}
		return s.yearDate(i)
	case t.kind == tWord && t.word().is(cMonth):
		return s.monthFirst(i)
	case t.kind == tWord && (t.key() == "q" || t.key() == "h") && t.caps&capFirst != 0:
		return s.quarterOrHalf(i)
	case t.kind == tWord && t.word().is(cOrdinal):
		return s.ordinalPeriod(i)
	case t.kind == tWord && t.key() == "fy" && s.tok(i+1).kind == tNum && s.glued(i+1):
		last := i + 1
		if c := s.tok(i + 2); (c.isPunct('-') || c.isPunct('/')) && s.glued(i+2) && s.tok(i+3).kind == tNum {
			last = i + 3
		}
		return unreadableDate("a fiscal year", i, last), true
	}
	return dateSpan{}, false
}

// year returns the year of a 4-digit number 1800-2100 at i, written
// without grouping and not glued to a word.
func (s *scanner) year(i int) (int, bool) {
	n, digits := s.intOf(i)
	if digits != 4 || n < 1800 || n > 2100 {
		return 0, false
	}
	if next := s.tok(i + 1); (next.isPunct(',') || next.isPunct('.')) && s.glued(i+1) && s.tok(i+2).kind == tNum && s.glued(i+2) {
		return 0, false
	}
	if s.glued(i) && s.tok(i-1).kind == tWord || s.glued(i+1) && s.tok(i+1).kind == tWord {
		return 0, false
	}
	return n, true
}

// month returns the month named at i (a capitalised name or abbreviation,
// with its "." if it has one) and its last token.
func (s *scanner) month(i int) (int, int, bool) {
	t := s.tok(i)
	if t.kind != tWord || !t.word().is(cMonth) || t.caps&capFirst == 0 {
		return 0, i, false
	}
	if s.tok(i+1).isPunct('.') && s.glued(i+1) {
		return int(t.word().month), i + 1, true
	}
	return int(t.word().month), i, true
}

// dayOfMonth returns the day 1-31 at i (with an ordinal suffix: "30th")
// and its last token.
func (s *scanner) dayOfMonth(i int) (int, int, bool) {
	n, digits := s.intOf(i)
	if digits < 1 || digits > 2 || n < 1 || n > 31 {
		return 0, i, false
	}
	if s.tok(i+1).word().is(cOrdinalSuffix) && s.glued(i+1) {
		return n, i + 1, true
	}
	if s.glued(i+1) && s.tok(i+1).kind == tWord {
		return 0, i, false
	}
	return n, i, true
}

// commaYear returns the year at i, after an optional ",".
func (s *scanner) commaYear(i int) (int, int, bool) {
	if s.tok(i).isPunct(',') {
		i++
	}
	y, ok := s.year(i)
	return y, i, ok
}

func dayDate(y, m, d, first, last int) dateSpan {
	if d > daysIn(y, m) {
		return dateSpan{unreadable: fmt.Sprintf("no day %d in month %d of %d", d, m, y), first: first, last: last}
	}
	day := NewDay(y, m, d)
	return dateSpan{from: day, to: day, prec: DayPrecision, first: first, last: last}
}

func monthsDate(y, m1, m2 int, prec Precision, first, last int) dateSpan {
	return dateSpan{from: NewDay(y, m1, 1), to: NewDay(y, m2, daysIn(y, m2)), prec: prec, first: first, last: last}
}

func unreadableDate(why string, first, last int) dateSpan {
	return dateSpan{unreadable: why, first: first, last: last}
}

// numericDate reads "2008-09-30", "30.09.2008", "30/09/2008", and the
// forms that are no day: "2008-09", "2021-22", "2015/16".
func (s *scanner) numericDate(i int) (dateSpan, bool) {
	glued := func(k int, r rune) bool {
		return s.tok(k).isPunct(r) && s.glued(k) && s.glued(k+1) && s.tok(k+1).kind == tNum
	}
	if y, ok := s.year(i); ok {
		switch {
		case glued(i+1, '-') && glued(i+3, '-'):
			m, md := s.intOf(i + 2)
			d, dd := s.intOf(i + 4)
			if md == 2 && dd == 2 && m >= 1 && m <= 12 && d >= 1 {
				return dayDate(y, m, d, i, i+4), true
			}
		case (glued(i+1, '-') || glued(i+1, '/')) && s.tok(i+3).kind != tNum:
			n, digits := s.intOf(i + 2)
			switch {
			case digits == 2 && (n == (y+1)%100 || s.tok(i+1).r == '/'):
				return unreadableDate("a fiscal year", i, i+2), true
			case digits == 2 && n > 12 && n > y%100:
				// "1990-99": a range of years
				y2 := y - y%100 + n
				return dateSpan{from: NewDay(y, 1, 1), to: NewDay(y2, 12, 31), prec: PeriodPrecision, first: i, last: i + 2}, true
			case digits == 2:
				return unreadableDate("a fiscal year, a month or a range of years", i, i+2), true
			case digits == 4 && s.tok(i+1).r == '/' && n == y+1:
				return unreadableDate("a fiscal year", i, i+2), true
			}
		}
		return dateSpan{}, false
	}
	for _, sep := range []rune{'.', '/'} {
		if !glued(i+1, sep) || !glued(i+3, sep) {
			continue
		}
		a, ad := s.intOf(i)
		b, bd := s.intOf(i + 2)
		y, ok := s.year(i + 4)
		if !ok || ad > 2 || bd > 2 || a < 1 || b < 1 {
			continue
		}
		switch {
		case sep == '.' && b <= 12: // day first, as in Europe
			return dayDate(y, b, a, i, i+4), true
		case sep == '/' && a > 12 && b <= 12:
			return dayDate(y, b, a, i, i+4), true
		case sep == '/' && b > 12 && a <= 12:
			return dayDate(y, a, b, i, i+4), true
		case sep == '/' && a == b:
			return dayDate(y, a, a, i, i+4), true
		case sep == '/':
			return unreadableDate("day and month could be either way round", i, i+4), true
		}
	}
	return dateSpan{}, false
}

// dayFirst reads "30 September 2008", "30th of September 2008".
func (s *scanner) dayFirst(i int) (dateSpan, bool) {
	d, k, ok := s.dayOfMonth(i)
	if !ok {
		return dateSpan{}, false
	}
	k++
	if s.keyAt(k) == "of" {
		k++
	}
	m, k, ok := s.month(k)
	if !ok {
		return dateSpan{}, false
	}
	if y, yk, ok := s.commaYear(k + 1); ok {
		return dayDate(y, m, d, i, yk), true
	}
	return unreadableDate("a day without a year", i, k), true
}

// monthFirst reads "September 30, 2008", "September 2008",
// "January-September 2008".
func (s *scanner) monthFirst(i int) (dateSpan, bool) {
	m, k, ok := s.month(i)
	if !ok {
		return dateSpan{}, false
	}
	if d, dk, ok := s.dayOfMonth(k + 1); ok && !s.tok(dk+1).isPunct('-') {
		if y, yk, ok := s.commaYear(dk + 1); ok {
			return dayDate(y, m, d, i, yk), true
		}
		if _, ok := s.year(dk + 1); !ok {
			return unreadableDate("a day without a year", i, dk), true
		}
	}
	if y, yk, ok := s.commaYear(k + 1); ok {
		return monthsDate(y, m, m, MonthPrecision, i, yk), true
	}
	// A range of months: "January-September 2008", "January to September 2008".
	if c := s.tok(k + 1); c.isPunct('-') || c.key() == "to" || c.key() == "through" || c.key() == "and" {
		if m2, k2, ok := s.month(k + 2); ok && m2 > m {
			if y, yk, ok := s.commaYear(k2 + 1); ok {
				return monthsDate(y, m, m2, PeriodPrecision, i, yk), true
			}
		}
	}
	return dateSpan{}, false
}

// quarterOrHalf reads "Q1 2017", "1Q 2017", "Q1-2017", "H1 2016".
func (s *scanner) quarterOrHalf(i int) (dateSpan, bool) {
	var n, k int
	var kind string
	switch t := s.tok(i); {
	case t.kind == tWord && s.tok(i+1).kind == tNum && s.glued(i+1):
		n, _ = s.intOf(i + 1)
		kind, k = t.key(), i+1
	case t.kind == tNum && s.tok(i+1).kind == tWord && s.glued(i+1) && s.tok(i+1).caps&capFirst != 0:
		n, _ = s.intOf(i)
		kind, k = s.keyAt(i+1), i+1
	default:
		return dateSpan{}, false
	}
	if !(kind == "q" && n >= 1 && n <= 4 || kind == "h" && n >= 1 && n <= 2) {
		return dateSpan{}, false
	}
	yk := k + 1
	if c := s.tok(yk); c.isPunct('-') || c.isPunct('/') || c.key() == "of" {
		yk++
	}
	y, ok := s.year(yk)
	if !ok {
		return unreadableDate("a quarter or half without a year", i, k), true
	}
	return periodPart(y, kind, n, i, yk), true
}

// periodPart returns quarter n ("q") or half n ("h") of year y.
func periodPart(y int, kind string, n, first, last int) dateSpan {
	if kind == "h" {
		return monthsDate(y, 6*n-5, 6*n, HalfPrecision, first, last)
	}
	return monthsDate(y, 3*n-2, 3*n, QuarterPrecision, first, last)
}

// ordinalPeriod reads "first half of 2016", "third quarter of 2008",
// "first nine months of 2008".
func (s *scanner) ordinalPeriod(i int) (dateSpan, bool) {
	ord := int(s.tok(i).word().ord)
	k := i + 1
	if s.tok(k).isPunct('-') {
		k++
	}
	var d dateSpan
	switch s.keyAt(k) {
	case "half":
		if ord > 2 {
			return dateSpan{}, false
		}
		d = dateSpan{prec: HalfPrecision}
	case "quarter":
		d = dateSpan{prec: QuarterPrecision}
	default:
		// "first nine months", "first 9 months"
		if ord != 1 {
			return dateSpan{}, false
		}
		n, nd := s.intOf(k)
		if w := s.tok(k).word(); w.is(cNumber) && w.numKind == numUnit {
			n, nd = int(w.num), 1
		}
		if nd == 0 || n < 1 || n > 12 || s.keyAt(k+1) != "months" {
			return dateSpan{}, false
		}
		k++
		d = dateSpan{prec: PeriodPrecision, to: Day(n)}
	}
	yk := k + 1
	if s.keyAt(yk) == "of" {
		yk++
	}
	if s.keyAt(yk) == "the" && s.keyAt(yk+1) == "year" {
		yk += 2
	}
	y, ok := s.year(yk)
	if !ok {
		return unreadableDate("a part of a year without the year", i, k), true
	}
	switch d.prec {
	case HalfPrecision:
		return periodPart(y, "h", ord, i, yk), true
	case QuarterPrecision:
		return periodPart(y, "q", ord, i, yk), true
	}
	return monthsDate(y, 1, int(d.to), PeriodPrecision, i, yk), true
}

// datePrepositions make the number after them a year even before a count
// noun: "in 2008 companies invested".
var datePrepositions = map[string]bool{"in": true, "since": true, "by": true, "until": true, "till": true,
	"during": true, "from": true, "to": true, "at": true, "on": true, "end": true, "between": true,
	"before": true, "after": true, "through": true, "year": true, "mid": true, "early": true, "late": true}

// yearDate reads "2008", "2005-2008", "between 2005 and 2008", "from 2005
// to 2008".
func (s *scanner) yearDate(i int) (dateSpan, bool) {
	y, ok := s.year(i)
	if !ok {
		return dateSpan{}, false
	}
	if cur, _ := s.currencyBefore(i); cur != "" {
		return dateSpan{}, false
	}
	if s.glued(i+1) && s.keyAt(i+1) == "s" {
		return unreadableDate("a decade", i, i+1), true
	}
	prev := s.keyAt(i - 1)
	if s.tok(i-1).isPunct(',') && oneOf(s.keyAt(i-2), "act", "code", "rules", "regulations", "ordinance") && s.tok(i-2).caps != 0 {
		return dateSpan{name: true, first: i, last: i}, true // "the Companies Act, 1956"
	}
	if p := s.tok(i - 1); p.kind == tWord && p.caps&capFirst != 0 && !datePrepositions[prev] && !p.word().is(cMonth) &&
		!oneOf(prev, "end", "as", "of", "fy", "fiscal") {
		// A year after a name is part of the name: "Summit 2024", "World
		// Investment Report 2018", "Vision 2030".
		return dateSpan{name: true, first: i, last: i}, true
	}
	if !datePrepositions[prev] && !(prev == "of" && (s.keyAt(i-2) == "as" || s.keyAt(i-2) == "end")) {
		// A number before a count noun, a scale word, a currency or a
		// percent sign is a figure, not a year: "2008 companies".
		// The word must end where a figure would read it: "2023 tn2"
		// has no scale, so its 2023 is a year.
		next := s.tok(i + 1)
		unit := s.endsWord(i+1) && (next.word().is(cScale) && next.word().scaleRule == scaleAny ||
			next.word().is(cCurrency|cPercent|cDuration) || next.word().is(cISO) && next.caps&capAll != 0)
		if noun, _, _ := s.nounAfter(i + 1); noun != NoNoun || unit || next.isPunct('%') {
			return dateSpan{}, false
		}
	}
	// A range of years.
	c := s.tok(i + 1)
	if c.isPunct('-') || c.key() == "to" || c.key() == "and" && prev == "between" || c.key() == "through" {
		if y2, ok := s.year(i + 2); ok && y2 == y+1 && c.isPunct('-') && s.glued(i+1) && s.glued(i+2) {
			return unreadableDate("a fiscal year, or two years", i, i+2), true // "1999-2000"
		}
		if y2, ok := s.year(i + 2); ok && y2 > y {
			return dateSpan{from: NewDay(y, 1, 1), to: NewDay(y2, 12, 31), prec: PeriodPrecision, first: i, last: i + 2}, true
		}
	}
	return dateSpan{from: NewDay(y, 1, 1), to: NewDay(y, 12, 31), prec: YearPrecision, first: i, last: i}, true
}

// prefixDate applies the words before a date: "end-", "the end of", "year-end"
// (its last day), "the beginning of" (its first day), "mid-", "early", "late"
// (no day range), "FY", "fiscal year" (not a calendar year), and "since",
// "until" (open-ended).
func (s *scanner) prefixDate(d *dateSpan) {
	f, word := d.first, ""
	switch {
	case s.tok(f-1).isPunct('-') && s.glued(f) && s.glued(f-1) && oneOf(s.keyAt(f-2), "end", "mid"):
		word, f = s.keyAt(f-2), f-2 // "end-2017", "mid-2017", "end-September 2017"
	case s.keyAt(f-1) == "of" && oneOf(s.keyAt(f-2), "end", "beginning", "start", "middle"):
		word, f = s.keyAt(f-2), f-2 // "the end of 2017"
	case oneOf(s.keyAt(f-1), "end", "early", "late", "mid", "fy", "fiscal"):
		word, f = s.keyAt(f-1), f-1 // "end 2017", "early 2017", "fiscal 2017"
		if word == "end" && s.tok(f-1).isPunct('-') && s.keyAt(f-2) == "year" {
			f -= 2 // "year-end 2017"
		}
	case s.keyAt(f-1) == "year" && oneOf(s.keyAt(f-2), "fiscal", "financial"):
		word, f = "fiscal", f-2
	}
	if word != "" {
		if s.keyAt(f-1) == "the" {
			f--
		}
		if d.unreadable == "" {
			switch word {
			case "end":
				d.from, d.prec = d.to, DayPrecision
			case "beginning", "start":
				d.to, d.prec = d.from, DayPrecision
			case "fy", "fiscal":
				d.unreadable = "a fiscal year"
			default:
				d.unreadable = fmt.Sprintf("%q gives no range of days", word)
			}
		}
		d.first = f
	}
	s.openDate(d)
}

func oneOf(k string, words ...string) bool {
	for _, w := range words {
		if k == w {
			return true
		}
	}
	return false
}

// openDate makes a date after "since", "after", "before", "until", "through"
// or "from" (not starting a period) open-ended: it gives no range of days.
func (s *scanner) openDate(d *dateSpan) {
	w := s.tok(d.first - 1)
	if !w.word().is(cOpenDate) || d.unreadable != "" {
		return
	}
	if w.key() == "from" && (d.prec == PeriodPrecision || s.keyAt(d.last+1) == "to" || s.tok(d.last+1).isPunct('-')) {
		return
	}
	d.unreadable = fmt.Sprintf("%q makes it open-ended", w.key())
	d.first--
}
