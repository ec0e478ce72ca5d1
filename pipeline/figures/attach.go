package figures

// Which date belongs to which figure (v1: the same clause).
//
// A parenthesis right after a figure belongs to it: "about $3bn (as of 30
// September 2008, according to …)" dates the $3bn, and a date in it dates no
// other figure. Otherwise a figure takes the nearest date of its clause at
// its own level of parentheses (a parenthesis that follows no figure is
// read as part of the text around it); a figure in another figure's
// parenthesis with no date of its own ("KZT 1.2 trillion ($3bn) in 2008")
// takes that figure's date. A sentence, ";" and the words that start a
// contrasting clause (while, whereas, but, compared, against, ", up from")
// end a clause (see scanner.structure).

func (s *scanner) attachDates() {
	if len(s.out.Dates) == 0 || len(s.figs) == 0 {
		return
	}
	for fi := range s.figs {
		if p := s.parenAfter(fi); p > 0 {
			s.parens[p].owner = fi
		}
	}
	for fi := range s.figs {
		f := &s.figs[fi]
		d := -1
		if p := s.parenAfter(fi); p > 0 {
			d = s.firstDateIn(p)
		}
		if d < 0 {
			d = s.nearestDate(f)
		}
		if d < 0 {
			if p := s.level(s.toks[f.first].paren); p > 0 && s.parens[p].owner >= 0 && s.parens[p].owner < fi {
				d = s.out.Mentions[s.figs[s.parens[p].owner].mention].Date
			}
		}
		s.out.Mentions[f.mention].Date = d
	}
}

// parenAfter returns the parenthesis that opens right after figure fi, or 0.
func (s *scanner) parenAfter(fi int) int {
	f := &s.figs[fi]
	open := s.tok(f.last + 1)
	if !open.isPunct('(') || f.last+2 >= len(s.toks) {
		return 0
	}
	if p := s.toks[f.last+2].paren; p != open.paren {
		return int(p)
	}
	return 0
}

// level returns the parenthesis that a token in parenthesis p is read at: p
// itself if a figure owns it, else the level of its parent.
func (s *scanner) level(p int16) int {
	for p != 0 && s.parens[p].owner < 0 {
		p = s.parens[p].parent
	}
	return int(p)
}

// inParen says whether parenthesis p is q or inside q.
func (s *scanner) inParen(p int16, q int) bool {
	for ; p != 0; p = s.parens[p].parent {
		if int(p) == q {
			return true
		}
	}
	return false
}

func (s *scanner) firstDateIn(p int) int {
	for di, d := range s.dates {
		if s.inParen(s.toks[d.first].paren, p) {
			return di
		}
	}
	return -1
}

func (s *scanner) nearestDate(f *fig) int {
	clause := s.toks[f.first].clause
	level := s.level(s.toks[f.first].paren)
	best, bestDist := -1, 0
	for di, d := range s.dates {
		t := &s.toks[d.first]
		if t.clause != clause && s.toks[d.last].clause != clause || s.level(t.paren) != level {
			continue
		}
		if s.tok(d.last+1).isPunct('\'') && s.keyAt(d.last+2) == "s" && f.first != d.last+3 {
			continue // "2018's $10.9 billion" dates that figure only
		}
		if s.out.Dates[di].Precision == YearPrecision && s.keyAt(d.first-1) == "the" && s.tok(d.last+1).kind == tWord && s.tok(d.last+1).caps == 0 && d.last > f.first {
			continue // "the 2020 figure" dates a figure after it, if any
		}
		var dist int
		switch {
		case d.last < f.first:
			dist = 2 * (f.first - d.last) // ties go to the date after
			if s.coordinated(d.last+1, f.first) {
				continue
			}
		default:
			dist = 2*(d.first-f.last) - 1
			if s.coordinated(f.last+1, d.first+1) {
				continue
			}
		}
		if best < 0 || dist < bestDist {
			best, bestDist = di, dist
		}
	}
	return best
}

// coordinated says whether tokens from…to-1 hold the start of a clause of
// its own date ("and in 2021", ", as of 2021": "In 2022 FDI was $10bn and in
// 2021 $8bn" dates $10bn 2022 and $8bn 2021), or a comparison ("than").
func (s *scanner) coordinated(from, to int) bool {
	for k := from; k < to; k++ {
		if s.keyAt(k) == "than" {
			return true // "18% more than in the same period in 2022"
		}
		if !(s.keyAt(k) == "and" || s.tok(k).isPunct(',')) {
			continue
		}
		j := k + 1
		switch s.keyAt(j) {
		case "as", "in", "by", "at", "on", "during", "for":
			if s.keyAt(j+1) == "of" || s.keyAt(j+1) == "at" || s.keyAt(j+1) == "the" {
				j++
			}
			if j+1 < to+1 && s.tok(j+1).date {
				return true
			}
		}
	}
	return false
}
