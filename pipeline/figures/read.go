package figures

import (
	"fmt"
	"strings"
)

// fig is a figure being read: a number with what surrounds it.
type fig struct {
	lit          literal
	first, last  int // every token of the mention
	coreLast     int // the last token of the number, its scale and its currency
	scaled       bool
	scaleExp     int
	cur          string
	curPrefix    bool
	suffix       string // an unknown word glued to the number
	noun         Noun
	not          bool // a percentage, ratio, ordinal, duration, reference or code
	change       bool
	qual         Qualifier
	nearly       bool
	qualFirst    int // the qualifier's tokens, or -1
	qualLast     int
	rangeFirst   int // the whole range, when the figure is one end of one, or -1
	rangeLast    int
	mention      int // its index in Reading.Mentions, or -1
	transitions  bool
	prefixFirst  int // the first token of a currency before the number, or lit.first
	afterNounEnd int
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
		next := a.coreLast + 1
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
	f := fig{lit: lit, first: i, qualFirst: -1, qualLast: -1, rangeFirst: -1, rangeLast: -1, mention: -1, prefixFirst: i}
	if cur, first := s.currencyBefore(i); cur != "" {
		f.cur, f.curPrefix, f.first, f.prefixFirst = cur, true, first, first
		if s.minus(first - 1) {
			f.lit.value, f.first, f.prefixFirst = f.lit.value.neg(), first-1, first-1 // "-$34 billion"
		}
	} else if s.minus(i-1) && s.glued(i) {
		if cur, first := s.currencyBefore(i - 1); cur != "" {
			f.cur, f.curPrefix, f.first, f.prefixFirst = cur, true, first, first
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

// gluedNoun says whether the word at k, glued to the number before it, is a
// count noun by itself ("300enterprises", an extraction artifact).
func (s *scanner) gluedNoun(k int) bool {
	n, _ := s.nounAt(k)
	return n != NoNoun
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

// currencyBefore returns the currency written just before the number at
// token i, and its first token: "$", "US$", "U.S.$", "USD", "KZT", "Rs.", "€".
func (s *scanner) currencyBefore(i int) (string, int) {
	k := i - 1
	t := s.tok(k)
	switch {
	case t.kind == tPunct && t.r == '.' && s.tok(k-1).word().is(cCurrencyPrefix) && s.tok(k-1).caps&capFirst != 0:
		return s.tok(k - 1).word().cur, k - 1 // "Rs. 500"
	case t.kind == tPunct:
		cur, ok := symbols[t.r]
		if !ok {
			return "", i
		}
		if t.r == '¥' && s.glued(k) && (s.keyAt(k-1) == "cn" || s.keyAt(k-1) == "rmb") && s.tok(k-1).caps&capAll != 0 {
			return "CNY", k - 1 // "CN¥110.04 billion"
		}
		if t.r == '¥' && s.glued(k) && s.keyAt(k-1) == "jp" && s.tok(k-1).caps&capAll != 0 {
			return "JPY", k - 1
		}
		if t.r != '$' {
			return cur, k
		}
		p := s.tok(k - 1)
		switch {
		case p.kind == tWord && p.caps&capFirst != 0 && (p.word().is(cDollarPrefix) && (s.glued(k) || p.key() == "us") ||
			p.word().is(cISO) && p.caps&capAll != 0 && s.glued(k)):
			if p.word().is(cDollarPrefix) {
				return p.word().cur, k - 1
			}
			return p.word().cur, k - 1 // "USD$"
		case p.isPunct('.') && s.glued(k) && s.keyAt(k-2) == "s" && s.tok(k-3).isPunct('.') && s.keyAt(k-4) == "u":
			return "USD", k - 4 // "U.S.$"
		}
		return cur, k
	case t.kind == tWord && t.word().is(cISO) && t.caps&capAll != 0 && t.end-t.start == 3:
		return t.word().cur, k
	case t.kind == tWord && t.word().is(cCurrencyPrefix) && t.caps&capFirst != 0:
		return t.word().cur, k
	}
	return "", i
}

// currencyAfter returns the currency written from token k on, and its last
// token: "USD", "tenge", "US dollars", "U.S. dollars", "Singapore dollars",
// "Indian rupees", "€".
func (s *scanner) currencyAfter(k int) (string, int) {
	t := s.tok(k)
	switch {
	case t.kind == tWord && t.word().is(cISO) && t.caps&capAll != 0 && t.end-t.start == 3 && s.endsWord(k):
		return t.word().cur, k
	case t.kind == tPunct:
		if cur, ok := symbols[t.r]; ok && !(s.glued(k+1) && s.tok(k+1).kind != tPunct) {
			return cur, k // "3 000 €", not the "$" of "3 $A0"
		}
		return "", k
	}
	adj := ""
	j := k
	for n := 0; n < 4; n++ {
		t := s.tok(j)
		switch {
		case t.kind == tWord && t.word().is(cCurrency) && s.endsWord(j):
			cur := t.word().cur
			if adj != "" && (adj == cur || inFamily(adj, cur) || t.key() == "pounds" || t.key() == "pound" ||
				t.key() == "francs" || t.key() == "franc") {
				cur = adj
			}
			return cur, j
		case t.kind == tWord && t.word().is(cCurrencyAdj) && (t.caps&capFirst != 0):
			adj = t.word().cur
		case t.kind == tWord && t.key() == "u" && s.tok(j+1).isPunct('.') && s.keyAt(j+2) == "s" && s.tok(j+3).isPunct('.'):
			adj = "USD"
			j += 3
		case t.kind == tWord && t.caps&capFirst != 0 && n < 2:
			// "Hong" Kong, "New" Zealand, "Sri" Lankan, "South" Korean
		default:
			return "", k
		}
		j++
	}
	return "", k
}

// inFamily says whether code is one of the family's codes.
func inFamily(code, family string) bool {
	for _, c := range families[family] {
		if c == code {
			return true
		}
	}
	return false
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
		a.transitions = before == "from"
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
	a.afterNounEnd = b.last
	s.qualifierBefore(a)
	if s.keyAt(a.first-1) == "between" || s.keyAt(a.first-1) == "from" {
		a.first--
	}
	whole := [2]int{a.first, b.last}
	av, bv := a.value(), b.value()
	isRange := !a.transitions && a.lit.unreadable == "" && b.lit.unreadable == "" && av.Cmp(bv) < 0
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

func (f *fig) setQualAfter(q Qualifier, first, last int) {
	f.qual, f.qualFirst, f.qualLast = q, first, last
}

// qualifierAfter reads "or more", "or so", "or less", "plus" at k.
func (s *scanner) qualifierAfter(k int) (Qualifier, int) {
	a, b := s.keyAt(k), s.keyAt(k+1)
	switch {
	case !s.endsWord(k) || a != "plus" && !s.endsWord(k+1):
		return "", k
	case (a == "or" || a == "and") && (b == "more" || b == "above" || b == "over"):
		return Over, k + 1
	case a == "or" && b == "so":
		return About, k + 1
	case (a == "or" || a == "and") && (b == "less" || b == "fewer" || b == "below" || b == "under"):
		return Under, k + 1
	case a == "plus" && s.tok(k+1).kind != tNum && !s.tok(k+1).word().is(cNumber):
		return Over, k
	}
	return "", k
}

// nounAfter reads the count noun bound to a number, from token k: "joint
// ventures", "South Korean companies", "bilateral documents", with up to
// four words between that describe the noun. change says the number is a
// change: "25 more companies".
func (s *scanner) nounAfter(k int) (noun Noun, last int, change bool) {
	j := k
	switch s.keyAt(j) {
	case "more", "additional", "fewer", "extra":
		change = true
		j++
	case "are", "were":
		j++ // "of which 3,087 are joint ventures"
	}
	for mods := 0; mods <= 4; {
		t := s.tok(j)
		if t.kind == tPunct && t.r == '-' && mods > 0 && s.glued(j) && s.glued(j+1) && s.tok(j+1).kind == tWord {
			j++ // "Korean-invested"
			continue
		}
		if t.kind != tWord {
			return NoNoun, k - 1, false
		}
		if n, end := s.nounAt(j); n != NoNoun && s.endsWord(end) {
			return n, end, change
		}
		if !s.modifier(j) {
			return NoNoun, k - 1, false
		}
		j++
		mods++
	}
	return NoNoun, k - 1, false
}

// nounAt reads a count noun at token j.
func (s *scanner) nounAt(j int) (Noun, int) {
	w := s.tok(j).word()
	if !w.is(cNoun) {
		return NoNoun, j
	}
	switch w.nounPart {
	case nounPlain:
		if strings.HasPrefix(w.key, "memorand") && s.keyAt(j+1) == "of" && s.keyAt(j+2) == "understanding" {
			return w.noun, j + 2 // "memoranda of understanding"
		}
		return w.noun, j
	case nounJointHead:
		n := j + 1
		if s.tok(n).isPunct('-') && s.glued(n) {
			n++
		}
		next := s.tok(n).word()
		switch {
		case w.key == "joint" && next.is(cNoun) && (next.noun == JointVentures && next.nounPart == nounTail ||
			next.noun == Enterprises):
			return JointVentures, n
		case w.key == "representative" && next.is(cNoun) && next.noun == RepresentativeOffices:
			return RepresentativeOffices, n
		case (w.key == "letters" || w.key == "letter") && s.keyAt(j+1) == "of" && s.keyAt(j+2) == "intent":
			return Documents, j + 2
		}
	}
	return NoNoun, j
}

// modifier says whether the word at j may stand between a number and its
// noun: "South Korean", "bilateral", "foreign-owned", "newly registered".
// A function word, a number, a unit or a plural noun ends the phrase.
func (s *scanner) modifier(j int) bool {
	t := s.tok(j)
	w := t.word()
	if t.kind != tWord || w.is(cStop|cNumber|cScale|cDuration|cPercent|cRatio|cChange|cClause|cOpenDate) {
		return false
	}
	if t.caps&capFirst != 0 {
		return true
	}
	rs := s.rs[t.start:t.end]
	n := len(rs)
	if n > 3 && rs[n-1] == 's' {
		for _, end := range []string{"ss", "us", "is", "ics", "ous"} {
			if strings.HasSuffix(string(rs[max(0, n-3):]), end) {
				return true
			}
		}
		return false
	}
	return true
}

// qualBefore are the qualifiers written before a figure, longest first
// within each last word.
var qualBefore = []struct {
	words  []string
	q      Qualifier
	nearly bool
}{
	{words: []string{"in", "the", "region", "of"}, q: About},
	{words: []string{"of", "the", "order", "of"}, q: About},
	{words: []string{"on", "the", "order", "of"}, q: About},
	{words: []string{"in", "excess", "of"}, q: Over},
	{words: []string{"upwards", "of"}, q: Over},
	{words: []string{"upward", "of"}, q: Over},
	{words: []string{"a", "minimum", "of"}, q: Over},
	{words: []string{"a", "maximum", "of"}, q: Under},
	{words: []string{"no", "more", "than"}, q: Under},
	{words: []string{"not", "more", "than"}, q: Under},
	{words: []string{"no", "less", "than"}, q: Over},
	{words: []string{"not", "less", "than"}, q: Over},
	{words: []string{"no", "fewer", "than"}, q: Over},
	{words: []string{"not", "fewer", "than"}, q: Over},
	{words: []string{"more", "than"}, q: Over},
	{words: []string{"greater", "than"}, q: Over},
	{words: []string{"less", "than"}, q: Under},
	{words: []string{"fewer", "than"}, q: Under},
	{words: []string{"not", "exceeding"}, q: Under},
	{words: []string{"at", "least"}, q: Over},
	{words: []string{"at", "most"}, q: Under},
	{words: []string{"up", "to"}, q: Under},
	{words: []string{"close", "to"}, q: About},
	{words: []string{"an", "estimated"}, q: About},
	{words: []string{"estimated", "at"}, q: About},
	{words: []string{"estimated"}, q: About},
	{words: []string{"about"}, q: About},
	{words: []string{"around"}, q: About},
	{words: []string{"approximately"}, q: About},
	{words: []string{"approx"}, q: About},
	{words: []string{"some"}, q: About},
	{words: []string{"roughly"}, q: About},
	{words: []string{"circa"}, q: About},
	{words: []string{"ca"}, q: About},
	{words: []string{"approaching"}, q: About},
	{words: []string{"nearly"}, q: About, nearly: true},
	{words: []string{"almost"}, q: About, nearly: true},
	{words: []string{"over"}, q: Over},
	{words: []string{"above"}, q: Over},
	{words: []string{"exceeding"}, q: Over},
	{words: []string{"exceeded"}, q: Over},
	{words: []string{"exceeds"}, q: Over},
	{words: []string{"exceed"}, q: Over},
	{words: []string{"surpassed"}, q: Over},
	{words: []string{"surpasses"}, q: Over},
	{words: []string{"surpassing"}, q: Over},
	{words: []string{"crossed"}, q: Over},
	{words: []string{"crosses"}, q: Over},
	{words: []string{"topped"}, q: Over},
	{words: []string{"tops"}, q: Over},
	{words: []string{"under"}, q: Under},
	{words: []string{"below"}, q: Under},
}

// qualifierBefore reads the qualifier that touches the figure's first
// token, and a word of change before it.
func (s *scanner) qualifierBefore(f *fig) {
	first := f.first
	if s.tok(first - 1).isPunct('~') {
		f.qual, f.qualFirst, f.qualLast = About, first-1, first-1
		f.first = first - 1
	} else {
		end := first - 1
		if s.tok(end).isPunct('.') && (s.keyAt(end-1) == "approx" || s.keyAt(end-1) == "ca") {
			end-- // "approx. 300", "ca. 300"
		}
	phrases:
		for _, p := range qualBefore {
			if !s.tok(end).word().is(cQualifierEnd) {
				break
			}
			n := len(p.words)
			for i, w := range p.words {
				if s.keyAt(end-n+1+i) != w {
					continue phrases
				}
			}
			if p.words[0] == "up" && (s.tok(end-n).word().is(cChange) || oneOf(s.keyAt(end-n), "went", "go", "goes", "going",
				"gone", "shot", "moved")) {
				break // "went up to 619" is "rose to 619"
			}
			if f.qualFirst < 0 || f.qualFirst > f.lit.last {
				f.qual, f.nearly = p.q, p.nearly
				f.qualFirst, f.qualLast = end-n+1, first-1
			}
			f.first = end - n + 1
			break
		}
	}
	// A change: "increased by 25", "an increase of 25", "another 25".
	b := f.first
	switch k1, k2 := s.keyAt(b-1), s.keyAt(b-2); {
	case k1 == "by" && s.differenceBefore(b-2):
		f.change = true // "exceeded the target by KRW2.3 trillion"
	case k1 == "by" && s.tok(b-2).word().is(cChange) && k2 != "up" && k2 != "down",
		k1 == "by" && (k2 == "up" || k2 == "down") && s.tok(b-3).word().is(cChange|cStop),
		k1 == "of" && s.tok(b-2).word().is(cChange) && s.tok(b-2).caps == 0 && isChangeNoun(k2),
		f.cur == "" && (k1 == "another" || k1 == "additional" || k1 == "extra" || k1 == "further" && (k2 == "a" || k2 == "another")):
		// "another 25 companies" is a change of a count; "another $3bn is
		// planned for …" is an amount of its own.
		f.change = true
	}
}

// differenceBefore says whether a verb of change or of exceeding stands
// within a few words before k, with no punctuation between: "exceeded the
// government's initial target by".
func (s *scanner) differenceBefore(k int) bool {
	for j := k; j >= 0 && j > k-10; j-- {
		t := s.tok(j)
		if t.kind == tPunct && t.r != '\'' {
			return false
		}
		if t.word().is(cChange) && t.key() != "up" && t.key() != "down" || oneOf(t.key(), "exceeded", "exceeds", "exceeding",
			"surpassed", "topped", "beat", "outpaced") {
			return true
		}
	}
	return false
}

func isChangeNoun(k string) bool {
	switch k {
	case "increase", "rise", "growth", "decline", "decrease", "drop", "fall", "gain", "jump", "surge", "reduction":
		return true
	}
	return false
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

// numberOf returns the noun of "the number of NOUN" earlier in the
// figure's clause, for a number that has no noun of its own: "the number of
// such companies went up to 619", "the number of companies with Russian
// capital are 1,035". A count between the noun and the number ends the
// search.
func (s *scanner) numberOf(f *fig) Noun {
	if f.scaled || f.lit.fraction {
		return NoNoun
	}
	clause := s.tok(f.first).clause
	for j := f.first - 1; j >= 0 && s.toks[j].clause == clause; j-- {
		if s.keyAt(j) != "number" || s.keyAt(j+1) != "of" {
			continue
		}
		k := j + 2
		for oneOf(s.keyAt(k), "such", "the", "these", "those", "all") {
			k++
		}
		noun, last, _ := s.nounAfter(k)
		if noun == NoNoun || last >= f.first {
			return NoNoun
		}
		for _, g := range s.figs {
			if g.noun != NoNoun && g.first > last && g.first < f.first {
				return NoNoun
			}
		}
		return noun
	}
	return NoNoun
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
