package figures

import "strings"

// Count nouns: which field a number counts.

// gluedNoun says whether the word at k, glued to the number before it, is a
// count noun by itself ("300enterprises", an extraction artifact).
func (s *scanner) gluedNoun(k int) bool {
	n, _ := s.nounAt(k)
	return n != NoNoun
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
