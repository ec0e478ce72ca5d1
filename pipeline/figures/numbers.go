package figures

import "fmt"

// Numbers, written in digits or in words.
//
// Digits may be grouped in thousands by "," ("3,000,000"), by white space
// when every group after a first of 1-3 digits has exactly 3 ("USD 1 411
// billion", thin and no-break spaces included), or in the Indian way
// ("1,23,456"); "." is the decimal point. A "," followed by 1 or 2 digits
// that cannot be a thousands group is a decimal comma ("6,5 billion"),
// unless the 2 digits end in 0 ("3,00 million" may be "3,000 million" with
// a digit lost): that, and every other grouping ("1,2345", "1.234.567",
// "1.234,5"), is unreadable, never guessed. A "," followed by white space
// joins nothing ("10, 691" is two numbers).

// literal is a number read from the tokens first…last.
type literal struct {
	first, last int
	value       Decimal
	words       bool   // spelled out: "sixty", "a dozen"
	grouped     bool   // written with thousands separators
	fraction    bool   // written with a decimal point or comma
	unreadable  string // why it cannot be read
}

// readLiteral reads the number that starts at token i, a digit run or a
// number word; ok is false when there is none.
func (s *scanner) readLiteral(i int) (lit literal, ok bool) {
	t := s.tok(i)
	switch {
	case t.kind == tNum:
		return s.readDigits(i), true
	case t.kind == tWord && t.word().is(cNumber):
		lit, ok := s.readWords(i)
		if ok {
			s.readPoint(&lit)
		}
		if next := s.tok(lit.last + 1); ok && s.glued(lit.last+1) && next.kind != tPunct {
			return literal{}, false // "seven0"
		}
		return lit, ok
	}
	return literal{}, false
}

// readPoint reads the fraction of a number in words said with "point":
// "one-point-15", "one point five".
func (s *scanner) readPoint(lit *literal) {
	k := lit.last + 1
	if s.tok(k).isPunct('-') && s.glued(k) {
		k++
	}
	if s.keyAt(k) != "point" || !lit.value.IsInteger() {
		return
	}
	k++
	if s.tok(k).isPunct('-') && s.glued(k) {
		k++
	}
	s.digits = s.digits[:0]
	last := -1
	switch t := s.tok(k); {
	case t.kind == tNum:
		s.appendDigits(k)
		last = k
	default:
		for j := k; s.tok(j).word().is(cNumber) && s.tok(j).word().numKind == numUnit && s.tok(j).word().num < 10; j++ {
			s.digits = append(s.digits, byte('0'+s.tok(j).word().num))
			last = j
		}
	}
	if last < 0 {
		return
	}
	whole, _ := lit.value.Int64()
	frac := decimalFromDigits(s.digits, -len(s.digits))
	lit.value = addInt(frac, whole)
	lit.last, lit.fraction = last, true
}

// addInt returns d + n, for a fraction d of fewer than 18 digits.
func addInt(d Decimal, n int64) Decimal {
	m, e := d.mant, int(d.exp)
	for ; e > 0; e-- {
		m *= 10
	}
	p := int64(1)
	for range -e {
		p *= 10
	}
	return newDecimal(n*p+m, e)
}

func (s *scanner) readDigits(i int) literal {
	lit := literal{first: i, last: i}
	s.digits = s.digits[:0]
	s.appendDigits(i)
	first := s.tok(i).end - s.tok(i).start
	// Groups after a ",", glued on both sides.
	var groups [8]int32
	n := 0
	j := i
	for s.tok(j+1).isPunct(',') && s.glued(j+1) && s.tok(j+2).kind == tNum && s.glued(j+2) {
		if n == len(groups) {
			lit.unreadable = "too many digit groups"
			break
		}
		g := s.tok(j + 2)
		groups[n] = g.end - g.start
		n++
		j += 2
	}
	if n == 0 {
		// Groups of exactly 3 after white space.
		for first <= 3 && s.tok(j+1).kind == tNum && s.tok(j+1).space && s.tok(j+1).end-s.tok(j+1).start == 3 &&
			!s.tok(j+1).used && !s.tok(j+2).isPunct(',') {
			j++
			lit.grouped = true
			s.appendDigits(j)
		}
	}
	exp := 0
	switch {
	case n == 0:
	case allThree(groups[:n]) && first <= 3:
		lit.grouped = true
	case indian(first, groups[:n]):
		lit.grouped = true
	case n == 1 && groups[0] <= 2:
		if groups[0] == 2 && s.rs[s.tok(j).end-1] == '0' {
			lit.unreadable = fmt.Sprintf("%q: a decimal comma, or a thousands group with a digit missing", s.text(j-2)+","+s.text(j))
		}
		lit.fraction = true
		exp = -int(groups[0])
	default:
		lit.unreadable = "digits grouped neither in thousands nor with a decimal comma"
	}
	for k := i + 2; k <= j && n > 0; k += 2 {
		s.appendDigits(k)
	}
	// A decimal point, glued on both sides.
	if s.tok(j+1).isPunct('.') && s.glued(j+1) && s.tok(j+2).kind == tNum && s.glued(j+2) {
		if lit.fraction {
			lit.unreadable = "both a decimal comma and a decimal point"
		}
		j += 2
		s.appendDigits(j)
		lit.fraction = true
		exp = -int(s.tok(j).end - s.tok(j).start)
		for s.tok(j+1).isPunct('.') && s.glued(j+1) && s.tok(j+2).kind == tNum && s.glued(j+2) {
			j += 2
			lit.unreadable = "several decimal points (thousands grouped with \".\"?)"
		}
		if s.tok(j+1).isPunct(',') && s.glued(j+1) && s.tok(j+2).kind == tNum && s.glued(j+2) {
			j += 2
			lit.unreadable = "a \",\" after the decimal point"
		}
	}
	lit.last = j
	if lit.unreadable == "" {
		lit.value = decimalFromDigits(s.digits, exp)
	}
	return lit
}

func (s *scanner) appendDigits(i int) {
	t := s.tok(i)
	for _, r := range s.rs[t.start:t.end] {
		s.digits = append(s.digits, byte(r))
	}
}

func allThree(groups []int32) bool {
	for _, g := range groups {
		if g != 3 {
			return false
		}
	}
	return true
}

// indian says whether the groups are the Indian grouping: a first group
// of 1-2 digits, groups of 2, and a last group of 3 ("1,23,45,678").
func indian(first int32, groups []int32) bool {
	if first > 2 || len(groups) < 2 || groups[len(groups)-1] != 3 {
		return false
	}
	for _, g := range groups[:len(groups)-1] {
		if g != 2 {
			return false
		}
	}
	return true
}

// readWords reads a number in words: "sixty", "three hundred",
// "twenty-five", "a dozen", "one and a half", "two thousand three
// hundred", "half a". Scale words from million up are left to the caller
// ("one and a half billion" is 1.5, then billion).
func (s *scanner) readWords(i int) (literal, bool) {
	type state uint8
	const (
		start state = iota
		afterUnit
		afterTen
		afterHundred
		afterThousand
		afterA
		afterHalf
		end
	)
	var total, cur int64 // in hundredths, for halves
	st, last := start, -1
	pendingHalf := false // "half" without its "a"
	for j := i; st != end; j++ {
		t := s.tok(j)
		w := t.word()
		if t.kind == tPunct && t.r == '-' && st == afterTen && s.glued(j) && s.glued(j+1) && s.tok(j+1).word().is(cNumber) &&
			s.tok(j+1).word().numKind == numUnit {
			continue // "twenty-five"
		}
		if t.key() == "and" && last >= 0 {
			next := s.tok(j + 1).word()
			switch {
			case (st == afterHundred || st == afterThousand) && next.is(cNumber) && (next.numKind == numUnit || next.numKind == numTen):
				continue // "three hundred and fifty"
			case (st == afterUnit || st == afterTen) && next.is(cNumber) && next.numKind == numA && s.keyAt(j+2) == "half":
				cur += 50 // "one and a half"
				last, st = j+2, end
				continue
			}
		}
		if t.kind != tWord || !w.is(cNumber) {
			break
		}
		next := s.tok(j + 1).word()
		switch w.numKind {
		case numUnit:
			if st != start && st != afterTen && st != afterHundred && st != afterThousand {
				st = end
				continue
			}
			cur += w.num * 100
			st = afterUnit
		case numTen:
			if st != start && st != afterHundred && st != afterThousand {
				st = end
				continue
			}
			cur += w.num * 100
			st = afterTen
		case numHundred:
			if st != afterUnit && st != afterA {
				st = end
				continue
			}
			cur = cur / 100 % 100 * 10000
			st = afterHundred
		case numThousand:
			if st != afterUnit && st != afterTen && st != afterHundred && st != afterA {
				st = end
				continue
			}
			total, cur = total+cur*1000, 0
			st = afterThousand
		case numDozen:
			if st != afterUnit && st != afterTen && st != afterA {
				st = end
				continue
			}
			cur *= 12
			last, st = j, end
			continue
		case numHalf:
			// "half a million", "half a dozen"
			if st != start || !next.is(cNumber) || next.numKind != numA {
				st = end
				continue
			}
			cur = 50
			st, pendingHalf = afterHalf, true
		case numA:
			// "a dozen", "a hundred", "a thousand", "a million"
			if st != start && st != afterHalf || !(next.is(cNumber) && (next.numKind == numHundred ||
				next.numKind == numThousand || next.numKind == numDozen) || next.is(cScale) && next.scale >= 6 &&
				next.scaleRule == scaleAny) {
				st = end
				continue
			}
			if st == start {
				cur = 100
			}
			st, pendingHalf = afterA, false
			if !next.is(cNumber) {
				last, st = j, end // "a million": the caller reads the scale
				continue
			}
		}
		last = j
	}
	if last < 0 || pendingHalf {
		return literal{}, false
	}
	return literal{first: i, last: last, words: true, value: newDecimal(total+cur, -2)}, true
}
