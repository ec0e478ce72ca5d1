package figures

import "fmt"

// fig is a figure being read: a number with what surrounds it.
type fig struct {
	lit         literal
	first, last int // every token of the mention
	coreLast    int // the last token of the number, its scale and its currency
	scaled      bool
	scaleExp    int
	cur         string
	curPrefix   bool
	suffix      string // an unknown word glued to the number
	noun        Noun
	not         bool // a percentage, ratio, ordinal, duration, reference or code
	change      bool
	qual        Qualifier
	nearly      bool
	qualFirst   int // the qualifier's tokens, or -1
	qualLast    int
	rangeFirst  int // the whole range, when the figure is one end of one, or -1
	rangeLast   int
	mention     int  // its index in Reading.Mentions, or -1
	fromTo      bool // "from A to B": a change of level, not a range
}

// readFigures reads every number that dates did not take.
func (s *scanner) readFigures() {
	s.figs = s.figs[:0]
	for i := 0; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.used || !(t.kind == tNum || t.kind == tWord && t.word().is(cNumber)) {
			continue
		}
		a, ok := s.readCore(i)
		if !ok {
			continue
		}
		var next int
		if b, ok := s.readRangeEnd(&a); ok {
			s.finishRange(&a, &b)
			next = b.last + 1
		} else {
			s.finish(&a)
			s.emit(&a)
			next = a.last + 1
		}
		i = next - 1
	}
}

// readCore reads the number at token i with its currency, before or after,
// and its scale words: "about $3bn" gives the core "$3bn".
func (s *scanner) readCore(i int) (fig, bool) {
	lit, ok := s.readLiteral(i)
	if !ok {
		return fig{}, false
	}
	f := fig{lit: lit, first: i, qualFirst: -1, qualLast: -1, rangeFirst: -1, rangeLast: -1, mention: -1}
	if cur, first := s.currencyBefore(i); cur != "" {
		f.cur, f.curPrefix, f.first = cur, true, first
		if s.minus(first - 1) {
			f.lit.value, f.first = f.lit.value.neg(), first-1 // "-$34 billion"
		}
	} else if s.minus(i-1) && s.glued(i) {
		if cur, first := s.currencyBefore(i - 1); cur != "" {
			f.cur, f.curPrefix, f.first = cur, true, first
			f.lit.value = f.lit.value.neg() // "USD -34 billion"
		}
	}
	k := lit.last + 1
	// Scale words, and what is glued to the number.
	for {
		t := s.tok(k)
		if t.kind != tWord {
			break
		}
		glued := s.glued(k)
		w := t.word()
		if w.is(cScale) && !(lit.words && w.numKind != 0) && s.scaleAllowed(&f, k, glued) &&
			!(s.glued(k+1) && s.tok(k+1).kind != tPunct) {
			f.scaled = true
			f.scaleExp += int(w.scale)
			k++
			continue
		}
		if glued && k == lit.last+1 && !lit.words {
			switch {
			case !f.curPrefix && (w.is(cOrdinalSuffix|cRatio|cPercent|cDuration) || t.key() == "s"):
				f.not = true // "12th", "1990s", "2.3x", "5pc", "5yrs"
			case !f.curPrefix && s.endsWord(k) && (w.is(cISO) && t.caps&capAll != 0 || w.is(cCurrency) || s.gluedNoun(k)):
				// a currency or noun glued to the number: read below
			default:
				f.suffix = s.text(k)
				k++
			}
		}
		break
	}
	// "4 billion 280 million yuan": a smaller scaled number adds to it.
	for f.scaled && f.suffix == "" && s.tok(k).kind == tNum && s.tok(k).space && !f.lit.fraction {
		n, digits := s.intOf(k)
		w := s.tok(k + 1).word()
		if digits == 0 || digits > 3 || !w.is(cScale) || w.scaleRule != scaleAny || int(w.scale) >= f.scaleExp ||
			w.scale < 3 || s.tok(k+2).kind == tNum {
			break
		}
		f.lit.value = DecimalFromInt(int64(n)).shift(int(w.scale) - f.scaleExp).add(f.lit.value)
		k += 2
	}
	f.coreLast = k - 1
	if !f.curPrefix && f.suffix == "" {
		if cur, last := s.currencyAfter(k); cur != "" {
			f.cur, f.coreLast = cur, last
		}
	}
	f.last = f.coreLast
	return f, true
}

// endsWord says whether token k ends a word: no letter or digit is glued
// after it ("MoU0" is no noun).
func (s *scanner) endsWord(k int) bool {
	return !(s.glued(k+1) && s.tok(k+1).kind != tPunct)
}

// minus says whether token k is a minus sign: a "-" after white space (or
// first), glued to what follows ("USD -34 billion", "-$15 billion"); the "-"
// of "$8-$10 billion" joins a range.
func (s *scanner) minus(k int) bool {
	return k >= 0 && s.tok(k).isPunct('-') && (k == 0 || s.tok(k).space) && s.glued(k+1)
}

// scaleAllowed says whether the scale word at k applies to the figure: "m"
// and "B" only in an amount with a currency, "k" only glued to the digits.
func (s *scanner) scaleAllowed(f *fig, k int, glued bool) bool {
	switch s.tok(k).word().scaleRule {
	case scaleGlued:
		return glued && k == f.lit.last+1
	case scaleCurrency:
		if f.curPrefix {
			return true
		}
		cur, _ := s.currencyAfter(k + 1)
		return cur != ""
	}
	return true
}

// readRangeEnd reads the second end of a range that starts with a:
// "60-70", "$8 to $10 billion", "between $8 billion and $10 billion",
// "from 200 to 300" (a change from one level to another, not a range).
func (s *scanner) readRangeEnd(a *fig) (fig, bool) {
	k := a.coreLast + 1
	c := s.tok(k)
	before := s.keyAt(a.first - 1)
	switch {
	case c.isPunct('-'), c.key() == "to" && before != "by":
	case c.key() == "and" && before == "between":
	default:
		return fig{}, false
	}
	// The second number, after its currency if it has one.
	for j := k + 1; j <= k+5 && j < len(s.toks); j++ {
		t := s.tok(j)
		if t.used {
			return fig{}, false
		}
		if t.kind != tNum && !(t.kind == tWord && t.word().is(cNumber)) {
			continue
		}
		b, ok := s.readCore(j)
		if !ok || b.first != k+1 || b.suffix != "" || b.lit.unreadable != "" || a.suffix != "" {
			return fig{}, false // each is read on its own
		}
		if c.isPunct('-') && a.lit.words != b.lit.words {
			return fig{}, false
		}
		a.fromTo = before == "from"
		return b, true
	}
	return fig{}, false
}

// finishRange completes both ends of a range: a scale word, a currency and a
// noun apply to both ("$8 to $10 billion", "60-70 companies"); the first end
// is over and the second under, unless the quote qualifies them.
func (s *scanner) finishRange(a, b *fig) {
	if !a.scaled && b.scaled {
		a.scaled, a.scaleExp = true, b.scaleExp
	}
	if a.cur == "" {
		a.cur = b.cur
	}
	if b.cur == "" && a.cur != "" {
		b.cur = a.cur
	}
	s.finish(b)
	a.noun, a.not = b.noun, a.not || b.not
	s.qualifierBefore(a)
	if s.keyAt(a.first-1) == "between" || s.keyAt(a.first-1) == "from" {
		a.first--
	}
	whole := [2]int{a.first, b.last}
	av, bv := a.value(), b.value()
	isRange := !a.fromTo && a.lit.unreadable == "" && b.lit.unreadable == "" && av.Cmp(bv) < 0
	if isRange {
		// A qualifier before the range qualifies both ends: "about 20-30
		// million" is about 20 and about 30 million.
		switch {
		case a.qualFirst < 0:
			a.qual = Over
			if b.qualFirst < 0 {
				b.qual = Under
			}
		case b.qualFirst < 0:
			b.qual, b.nearly = a.qual, a.nearly
		}
		a.rangeFirst, a.rangeLast = whole[0], whole[1]
		b.rangeFirst, b.rangeLast = whole[0], whole[1]
	}
	a.last = b.last
	s.classify(a)
	s.classify(b)
	if a.not || b.not {
		a.not, b.not = true, true // "pages 190-191"
	}
	if isRange {
		a.last, b.first = whole[1], whole[0]
	}
	s.emit(a)
	s.emit(b)
}

// value returns the figure's value with its scale applied.
func (f *fig) value() Decimal { return f.lit.value.shift(f.scaleExp) }

// finish completes a figure: what follows it (a percent sign, a unit of
// time, a qualifier, a noun) and what precedes it (a qualifier, a word of
// change, a reference word).
func (s *scanner) finish(f *fig) {
	s.after(f)
	s.qualifierBefore(f)
	s.classify(f)
}

// after reads what follows the figure's core.
func (s *scanner) after(f *fig) {
	k := f.coreLast + 1
	t := s.tok(k)
	switch {
	case t.isPunct('%'), t.word().is(cPercent), t.key() == "per" && s.keyAt(k+1) == "cent",
		t.word().is(cRatio) && t.key() != "x", t.key() == "x" && s.glued(k),
		t.word().is(cDuration) && !f.scaled && f.cur == "":
		f.not = true
		return
	case t.isPunct('-') && s.glued(k) && s.glued(k+1) && s.tok(k+1).kind == tWord:
		switch s.keyAt(k + 1) {
		case "plus":
			f.setQualAfter(Over, k, k+1)
			k += 2
		case "odd":
			f.setQualAfter(About, k, k+1)
			k += 2
		default:
			f.not = f.cur == "" // "5-year", "10-member", "COVID-19"
			return
		}
	case t.isPunct('+') && s.glued(k) && !(s.glued(k+1) && s.tok(k+1).kind != tPunct):
		f.setQualAfter(Over, k, k)
		k++
	}
	if q, last := s.qualifierAfter(k); q != "" {
		f.setQualAfter(q, k, last)
		k = last + 1
	}
	f.last = k - 1
	if f.cur != "" {
		return
	}
	if noun, last, change := s.nounAfter(k); noun != NoNoun {
		f.noun, f.change, f.last = noun, f.change || change, last
		if q, qlast := s.qualifierAfter(last + 1); q != "" && f.qualFirst < 0 {
			f.setQualAfter(q, last+1, qlast)
			f.last = qlast
		}
	}
}

// classify decides what the figure is: money, a count, another number,
// unreadable, or no figure at all.
func (s *scanner) classify(f *fig) {
	if f.qual == "" {
		f.qual = Exact
	}
	if f.cur != "" {
		return
	}
	t := s.tok(f.lit.first)
	before := s.tok(f.lit.first - 1)
	switch {
	case t.bracket:
		f.not = true // a citation: "[43]", "[44, pp 332-333]"
	case before.word().is(cRef) && !before.word().is(cStop|cNumber) || before.isPunct('.') && s.tok(f.lit.first-2).word().is(cRef):
		f.not = true // "Law No. 412", "page 3"
	case before.word().is(cRef) && before.key() == "no" && before.caps&capFirst != 0:
		f.not = true
	case s.glued(f.lit.first) && (before.kind == tWord || before.isPunct('-') && s.glued(f.lit.first-1) &&
		s.tok(f.lit.first-2).kind == tWord) && !f.lit.words:
		f.not = true // "A320", "COVID-19"
	}
}

// emit adds the figure to the reading.
func (s *scanner) emit(f *fig) {
	if f.not && f.cur == "" {
		s.markUsed(f.lit.first, f.coreLast)
		return
	}
	m := Mention{Value: f.value(), Currency: f.cur, Qualifier: f.qual, Nearly: f.nearly, Change: f.change, Date: -1}
	unreadable := f.lit.unreadable
	if f.suffix != "" {
		unreadable = fmt.Sprintf("unknown suffix %q", f.suffix)
	}
	switch {
	case f.cur != "":
		m.Kind = KindMoney
	case f.noun != NoNoun:
		m.Kind, m.Noun = KindCount, f.noun
		if unreadable == "" && !f.scaled && f.lit.fraction {
			unreadable = "a count written with a decimal point or comma"
		}
	case unreadable != "":
		s.markUsed(f.lit.first, f.coreLast)
		return // no candidate for any field
	default:
		m.Kind = KindNumber
		if n := s.numberOf(f); n != NoNoun {
			m.Kind, m.Noun = KindCount, n
		}
	}
	first, last := f.first, f.last
	if f.rangeFirst >= 0 {
		first, last = f.rangeFirst, f.rangeLast
	}
	if !s.endsWord(last) && unreadable == "" {
		// A last resort: whatever the rules above took, a figure never ends
		// inside a word.
		if m.Kind == KindNumber {
			s.markUsed(f.lit.first, f.coreLast)
			return
		}
		unreadable = fmt.Sprintf("glued to %q", s.text(last+1))
	}
	if unreadable != "" {
		m.Unreadable, m.Value = unreadable, Decimal{}
	}
	m.Span = s.span(first, last)
	if f.qualFirst >= 0 {
		m.QualifierSpan = s.span(f.qualFirst, f.qualLast)
		if f.rangeFirst >= 0 {
			m.QualifierSpan = m.Span
		}
	} else if f.rangeFirst >= 0 {
		m.QualifierSpan = m.Span
	}
	s.markUsed(first, last)
	f.mention = len(s.out.Mentions)
	s.out.Mentions = append(s.out.Mentions, m)
	f.first, f.last = first, last
	s.figs = append(s.figs, *f)
}

func (s *scanner) markUsed(first, last int) {
	for i := max(first, 0); i <= last && i < len(s.toks); i++ {
		s.toks[i].used = true
	}
}
