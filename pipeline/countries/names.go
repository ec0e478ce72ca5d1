package countries

import (
	"slices"
	"strings"
	"unicode"
)

//go:generate go run ./internal/gencountries -o dataset_gen.go

// datasetCountry is one country of the dataset (dataset_gen.go), as the
// generator transcribes it.
type datasetCountry struct {
	Code        string   // ISO 3166-1 alpha-2
	Common      string   // common English name: "South Korea"
	Official    string   // official English name: "Republic of Korea"
	Alt         []string // other spellings, in any language, and the code
	Demonyms    []string // English: "South Korean"
	Independent bool     // a sovereign state
}

// A name is a string that names countries, as this package matches it.
type name struct {
	text      string
	codes     []string // sorted; none for a name of something else (notCountries)
	adjective bool     // also matches with a plural s
}

// The names of the dataset that this package matches, for each country:
//
//   - the common and the official name, and the English demonyms (a
//     demonym of two countries, "Antiguan, Barbudan" or "Kittitian or
//     Nevisian", is two);
//   - the alternative spellings written in Latin letters, except the
//     country's code (IN, IT, NO and TO are English words; the usual
//     abbreviations, such as US, are additions), the inverted forms of
//     lists ("Korea, Republic of"), and the removals (overrides.go);
//   - for a name with a trailing parenthesis, "Holy See (Vatican City
//     State)", also the name without it.
//
// A name the dataset gives to several countries names them all (an
// ambiguous name: "Congolese", "Dominican"), except that a sovereign state
// takes a name it shares with dependent territories: "French" names
// France, not the French Southern Territories; "American" the United
// States, not the Northern Mariana Islands.
//
// Then come the additions and the names of something else
// (overrides.go), and each adjective's plural: the adjective and an s
// ("Koreans", "Kazakhs"), unless it ends in s, sh, ese, tch, nch, x or z
// ("Swiss", "British", "Chinese", "Dutch", "French").

// nameSet is every name this package knows, and the names of each
// country, most usual first, for Names.
type nameSet struct {
	names  []name
	byCode map[string][]string
}

// candidate is a name of the dataset for one country, before names that
// several countries share are resolved.
type candidate struct {
	text        string
	code        string
	independent bool
	adjective   bool
}

func buildNames() nameSet {
	var cands []candidate
	for _, c := range dataset {
		cands = append(cands, datasetNames(c)...)
	}
	names := resolve(cands)
	names = applyAdditions(names)
	names = append(names, plurals(names)...)
	for _, n := range notCountries {
		names = append(names, name{text: n.name})
	}
	return nameSet{names: names, byCode: namesByCode(names)}
}

// datasetNames returns the names of c that this package matches.
func datasetNames(c datasetCountry) []candidate {
	var out []candidate
	add := func(text string, adjective bool) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" || text == c.Code || strings.Contains(text, ",") || !isLatin(text) || removed(text, c.Code) {
			return
		}
		out = append(out, candidate{text: text, code: c.Code, independent: c.Independent, adjective: adjective})
		if base, ok := strings.CutSuffix(text, ")"); ok {
			if i := strings.LastIndex(base, " ("); i > 0 {
				out = append(out, candidate{text: base[:i], code: c.Code, independent: c.Independent})
			}
		}
	}
	add(c.Common, false)
	add(c.Official, false)
	for _, d := range c.Demonyms {
		for _, part := range splitDemonym(d) {
			add(part, true)
		}
	}
	for _, a := range c.Alt {
		add(a, false)
	}
	return out
}

// splitDemonym splits the demonym of a country of two names
// ("Antiguan, Barbudan", "Kittitian or Nevisian").
func splitDemonym(d string) []string {
	var parts []string
	for _, p := range strings.Split(d, ",") {
		parts = append(parts, strings.Split(p, " or ")...)
	}
	return parts
}

func removed(text, code string) bool {
	return slices.ContainsFunc(removals, func(r removal) bool { return r.name == text && r.code == code })
}

// isLatin says whether every letter of s is a Latin letter: the matcher
// reads English texts, and names in other scripts (Korean, Chinese) would
// need word segmentation it does not do.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// resolve groups the candidates by name, in the order they come, and gives
// a name shared by sovereign states and dependent territories to the
// states.
func resolve(cands []candidate) []name {
	type group struct {
		cands     []candidate
		adjective bool
	}
	groups := map[string]*group{}
	var order []string
	for _, c := range cands {
		g := groups[c.text]
		if g == nil {
			g = &group{}
			groups[c.text] = g
			order = append(order, c.text)
		}
		g.cands = append(g.cands, c)
		g.adjective = g.adjective || c.adjective
	}
	names := make([]name, 0, len(order))
	for _, text := range order {
		g := groups[text]
		sovereign := slices.ContainsFunc(g.cands, func(c candidate) bool { return c.independent })
		var codes []string
		for _, c := range g.cands {
			if c.independent || !sovereign {
				codes = append(codes, c.code)
			}
		}
		slices.Sort(codes)
		names = append(names, name{text: text, codes: slices.Compact(codes), adjective: g.adjective})
	}
	return names
}

// applyAdditions adds the additions to names: a new name, or more codes
// for a name of the dataset.
func applyAdditions(names []name) []name {
	for _, a := range additions {
		i := slices.IndexFunc(names, func(n name) bool { return n.text == a.name })
		if i < 0 {
			names = append(names, name{text: a.name})
			i = len(names) - 1
		}
		n := &names[i]
		n.codes = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(n.codes), a.codes...))))
		n.adjective = n.adjective || a.adjective
	}
	return names
}

// plurals returns the plural of each adjective, where English makes it
// with an s.
func plurals(names []name) []name {
	var out []name
	for _, n := range names {
		if n.adjective && !hasAnySuffix(n.text, "s", "sh", "ese", "tch", "nch", "x", "z") {
			out = append(out, name{text: n.text + "s", codes: n.codes})
		}
	}
	return out
}

func hasAnySuffix(s string, suffixes ...string) bool {
	return slices.ContainsFunc(suffixes, func(x string) bool { return strings.HasSuffix(s, x) })
}

// namesByCode lists the names of each country, most usual first: the
// common and official names, the additions, the demonyms, then the other
// spellings. Plurals and names of something else are left out.
func namesByCode(names []name) map[string][]string {
	codesOf := make(map[string][]string, len(names))
	for _, n := range names {
		codesOf[n.text] = n.codes
	}
	byCode := make(map[string][]string, len(dataset))
	add := func(code, text string) {
		text = strings.Join(strings.Fields(text), " ")
		if slices.Contains(codesOf[text], code) && !slices.Contains(byCode[code], text) {
			byCode[code] = append(byCode[code], text)
		}
	}
	for _, c := range dataset {
		add(c.Code, c.Common)
		add(c.Code, c.Official)
		for _, a := range additions {
			if !a.adjective && slices.Contains(a.codes, c.Code) {
				add(c.Code, a.name)
			}
		}
		for _, d := range c.Demonyms {
			for _, part := range splitDemonym(d) {
				add(c.Code, part)
			}
		}
		for _, a := range additions {
			if a.adjective && slices.Contains(a.codes, c.Code) {
				add(c.Code, a.name)
			}
		}
		for _, n := range datasetNames(c) {
			if !n.adjective {
				add(c.Code, n.text)
			}
		}
	}
	return byCode
}
