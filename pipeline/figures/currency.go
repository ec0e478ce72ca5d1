package figures

// Currencies, before or after the number: codes, signs, the prefixes of
// "$", and words (the tables are in words.go).

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
			return p.word().cur, k - 1 // "US$", "S$", "USD$"
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
