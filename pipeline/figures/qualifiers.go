package figures

// Qualifiers and changes: the words that touch a figure.

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
