package countries

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// shown is a match as the tests write it: "KR=South Korea", "KP,KR=Korea".
func shown(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, strings.Join(m.Codes, ",")+"="+m.Text)
	}
	return out
}

func TestFind(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		// Names, short names, adjectives, possessives, plurals.
		{"South Korea", []string{"KR=South Korea"}},
		{"the Republic of Korea", []string{"KR=Republic of Korea"}},
		{"South Korean capital", []string{"KR=South Korean"}},
		{"the Kazakh economy", []string{"KZ=Kazakh"}},
		{"Kazakhstan's and Kazakhstan’s policy", []string{"KZ=Kazakhstan", "KZ=Kazakhstan"}},
		{"Kazakhstani companies", []string{"KZ=Kazakhstani"}},
		{"Kazakhs and Koreans", []string{"KZ=Kazakhs", "KP,KR=Koreans"}},
		{"South Koreans", []string{"KR=South Koreans"}},
		{"Korea’s diaspora", []string{"KP,KR=Korea"}},
		{"the Korean diaspora", []string{"KP,KR=Korean"}},
		{"Emirati and Saudi investors", []string{"AE=Emirati", "SA=Saudi"}},
		{"Saudi Arabia and the UAE", []string{"SA=Saudi Arabia", "AE=UAE"}},
		{"British and Britain and the UK and the U.K.", []string{"GB=British", "GB=Britain", "GB=UK", "GB=U.K."}},
		{"Great Britain", []string{"GB=Great Britain"}},
		{"the Czech Republic, Czechia, Czech firms", []string{"CZ=Czech Republic", "CZ=Czechia", "CZ=Czech"}},

		// The longest name wins.
		{"North Korea", []string{"KP=North Korea"}},
		{"North Korean", []string{"KP=North Korean"}},
		{"Papua New Guinea", []string{"PG=Papua New Guinea"}},
		{"Guinea", []string{"GN=Guinea"}},
		{"Guinea-Bissau", []string{"GW=Guinea-Bissau"}},
		{"Equatorial Guinea", []string{"GQ=Equatorial Guinea"}},
		{"Niger and Nigeria, Nigerien and Nigerian", []string{"NE=Niger", "NG=Nigeria", "NE=Nigerien", "NG=Nigerian"}},
		{"Dominica and the Dominican Republic", []string{"DM=Dominica", "DO=Dominican Republic"}},
		{"DR Congo and the Republic of the Congo", []string{"CD=DR Congo", "CG=Republic of the Congo"}},
		{"the Democratic Republic of the Congo", []string{"CD=Democratic Republic of the Congo"}},
		{"American Samoa and Samoa", []string{"AS=American Samoa", "WS=Samoa"}},
		{"South Georgia and Georgia", []string{"GS=South Georgia", "GE=Georgia"}},
		{"the United States and the United States of America", []string{"US=United States", "US=United States of America"}},
		{"the People's Republic of China and the Republic of China", []string{"CN=People's Republic of China", "TW=Republic of China"}},
		{"Northern Ireland and Ireland", []string{"GB=Northern Ireland", "IE=Ireland"}},

		// Ambiguous names name every country they may mean.
		{"Korea", []string{"KP,KR=Korea"}},
		{"Congo", []string{"CD,CG=Congo"}},
		{"Congolese", []string{"CD,CG=Congolese"}},
		{"Dominican", []string{"DM,DO=Dominican"}},
		{"the Virgin Islands", []string{"VG,VI=Virgin Islands"}},
		// A sovereign state takes a name it shares with territories.
		{"French and Dutch and American and Indian", []string{"FR=French", "NL=Dutch", "US=American", "IN=Indian"}},

		// Case decides where English does.
		{"the US and the U.S. and the U.S.A. and America", []string{"US=US", "US=U.S.", "US=U.S.A.", "US=America"}},
		{"let us go; Us too", nil},
		{"Chad, chad", []string{"TD=Chad"}},
		{"Turkey, turkey, Türkiye, Turkiye", []string{"TR=Turkey", "TR=Türkiye", "TR=Turkiye"}},
		{"Jordan, jordan, Georgia, georgia, China, china", []string{"JO=Jordan", "GE=Georgia", "CN=China"}},
		{"SOUTH KOREA AND KAZAKHSTAN", []string{"KR=SOUTH KOREA", "KZ=KAZAKHSTAN"}},
		{"south korea", nil},

		// Apostrophes, diacritics, dashes.
		{"Côte d'Ivoire, Côte d’Ivoire, Cote d'Ivoire, Ivory Coast", []string{"CI=Côte d'Ivoire", "CI=Côte d’Ivoire", "CI=Cote d'Ivoire", "CI=Ivory Coast"}},
		{"Co\u0302te d'Ivoire", []string{"CI=Co\u0302te d'Ivoire"}},
		{"Guinea–Bissau", []string{"GW=Guinea–Bissau"}},
		{"São Tomé and Príncipe", []string{"ST=São Tomé and Príncipe"}},

		// White space and hyphens of a PDF's lines.
		{"South\nKorea", []string{"KR=South\nKorea"}},
		{"South  \n\t Korea", []string{"KR=South  \n\t Korea"}},
		{"Kazakh-\nstan", []string{"KZ=Kazakh-\nstan"}},
		{"Kazakh-\r\n  stan", []string{"KZ=Kazakh-\r\n  stan"}},
		{"Kazakh\u00ADstan", []string{"KZ=Kazakh\u00ADstan"}},
		{"Kazakh-\nSouth Korean relations", []string{"KZ=Kazakh", "KR=South Korean"}},
		{"Kazakh-South Korean relations", []string{"KZ=Kazakh", "KR=South Korean"}},
		{"Guinea-\nBissau", []string{"GW=Guinea-\nBissau"}},
		{"Kazakhstan\u2019s o\uFB03cial visit to Fiji", []string{"KZ=Kazakhstan", "FJ=Fiji"}},
		{"Kazakh- stan", []string{"KZ=Kazakh"}}, // no line break: a dash

		// Word boundaries.
		{"Omanis, Romania, Romanian", []string{"OM=Omanis", "RO=Romania", "RO=Romanian"}},
		{"Indiana, Mali", []string{"ML=Mali"}},
		{"pro-American, Sino-Korean", []string{"US=American", "KP,KR=Korean"}},
		{"USD and US$3bn and KRW", nil},
		{"(Kazakhstan)", []string{"KZ=Kazakhstan"}},
		{"IN IT NO TO", nil}, // codes are not names

		// Names of something else.
		{"New Guinea", nil},
		{"the Indian Ocean", nil},
		{"South China Sea", nil},
		{"Latin America and North America", nil},
		{"New Mexico and New Jersey", nil},
		{"British Columbia", nil},
		{"British Indian Ocean Territory", []string{"IO=British Indian Ocean Territory"}},

		// Removed from the dataset's spellings.
		{"Island nations", nil},
		{"Thomas Mann", nil},

		// Nothing.
		{"", nil},
		{"   ", nil},
		{"total investment has reached about $3bn", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := shown(Find(tt.text)); !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindPositions(t *testing.T) {
	text := "Über Kazakh-\nstan’s\npartner, South  Korea."
	ms := Find(text)
	want := []Match{
		{Codes: []string{"KZ"}, Start: 5, End: 17, Text: "Kazakh-\nstan"},
		{Codes: []string{"KR"}, Start: 29, End: 41, Text: "South  Korea"},
	}
	if len(ms) != len(want) {
		t.Fatalf("Find(%q) = %+v, want %+v", text, ms, want)
	}
	runes := []rune(text)
	for i, m := range ms {
		if !slices.Equal(m.Codes, want[i].Codes) || m.Start != want[i].Start || m.End != want[i].End || m.Text != want[i].Text {
			t.Errorf("match %d = %+v, want %+v", i, m, want[i])
		}
		if got := string(runes[m.Start:m.End]); got != m.Text {
			t.Errorf("match %d: runes [%d:%d] are %q, Text %q", i, m.Start, m.End, got, m.Text)
		}
	}
}

func TestFindCodesAreTheCallers(t *testing.T) {
	a := Find("Korea")
	a[0].Codes[0] = "XX"
	if b := Find("Korea"); b[0].Codes[0] != "KP" {
		t.Errorf("changing a match's codes changed the index: %v", b[0].Codes)
	}
}

// TestEveryName checks that every name of every country is found as
// itself, alone, in a sentence and in capitals, and names its country.
func TestEveryName(t *testing.T) {
	count := 0
	for _, c := range dataset {
		names := Names(c.Code)
		if len(names) == 0 {
			t.Errorf("%s (%s) has no name", c.Code, c.Common)
		}
		for _, n := range names {
			count++
			for _, text := range []struct{ text, want string }{
				{n, n},
				{"In " + n + "'s economy.", n},
				{"«" + n + "»", n},
				{strings.ToUpper(n), strings.ToUpper(n)},
			} {
				ms := Find(text.text)
				if len(ms) != 1 || ms[0].Text != text.want || !slices.Contains(ms[0].Codes, c.Code) {
					t.Errorf("Names(%q) has %q, but Find(%q) = %q", c.Code, n, text.text, shown(ms))
				}
			}
		}
	}
	if count < 1000 {
		t.Errorf("only %d names", count)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		code string
		want []string // the first names
	}{
		{"KR", []string{"South Korea", "Republic of Korea", "Korea", "ROK", "South Korean", "Korean"}},
		{"KZ", []string{"Kazakhstan", "Republic of Kazakhstan", "Kazakhstani", "Kazakh"}},
		{"US", []string{"United States", "United States of America", "US", "U.S.", "U.S.A.", "America", "American", "USA"}},
		{"GB", []string{"United Kingdom", "United Kingdom of Great Britain and Northern Ireland", "U.K.", "Britain", "Northern Ireland", "British", "UK", "Great Britain"}},
		{"VA", []string{"Vatican City", "Vatican City State", "Vatican", "Holy See (Vatican City State)", "Holy See"}},
	}
	for _, tt := range tests {
		if got := Names(tt.code); len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
			t.Errorf("Names(%q) = %q, want it to start %q", tt.code, got, tt.want)
		}
	}
	for _, code := range []string{"", "XX", "kr", "KOR", "TF "} {
		if got := Names(code); got != nil {
			t.Errorf("Names(%q) = %q, want nil", code, got)
		}
	}
	// A territory does not list a name its sovereign took.
	if got := Names("TF"); slices.Contains(got, "French") {
		t.Errorf("Names(TF) = %q, has French", got)
	}
	names := Names("KR")
	names[0] = "changed"
	if Names("KR")[0] != "South Korea" {
		t.Error("changing the slice Names returned changed the index")
	}
}

// TestOverrides checks that each change to the dataset still changes
// something, so that one the dataset has caught up with is noticed.
func TestOverrides(t *testing.T) {
	var ds []candidate
	for _, c := range dataset {
		ds = append(ds, datasetNames(c)...)
	}
	datasetCodes := map[string][]string{}
	for _, n := range resolve(ds) {
		datasetCodes[n.text] = n.codes
	}
	for _, a := range additions {
		if a.reason == "" || len(a.codes) == 0 {
			t.Errorf("addition %q: it needs codes and a reason", a.name)
		}
		if codes := datasetCodes[a.name]; len(codes) > 0 && !slices.ContainsFunc(a.codes, func(c string) bool { return !slices.Contains(codes, c) }) {
			t.Errorf("addition %q: the dataset names %v already; remove it from overrides.go", a.name, codes)
		}
		for _, code := range a.codes {
			if Names(code) == nil {
				t.Errorf("addition %q: no country %q", a.name, code)
			}
		}
	}
	for _, r := range removals {
		i := slices.IndexFunc(dataset[:], func(c datasetCountry) bool { return c.Code == r.code })
		if r.reason == "" || i < 0 {
			t.Errorf("removal %q of %q: no such country, or no reason", r.name, r.code)
			continue
		}
		c := dataset[i]
		if r.name != c.Common && r.name != c.Official && !slices.Contains(c.Alt, r.name) && !slices.Contains(c.Demonyms, r.name) {
			t.Errorf("removal %q: the dataset does not give it to %s any more; remove it from overrides.go", r.name, r.code)
		}
	}
	for _, n := range notCountries {
		if n.reason == "" {
			t.Errorf("%q: no reason", n.name)
		}
		if codes := datasetCodes[n.name]; len(codes) > 0 {
			t.Errorf("%q is a name of %v in the dataset, and in notCountries", n.name, codes)
		}
		if ms := Find(n.name); ms != nil {
			t.Errorf("Find(%q) = %q, want nothing", n.name, shown(ms))
		}
		// Without it, a country would be found inside it; else it is not needed.
		inner := false
		for i, r := range n.name {
			if i > 0 && !isWord(r) {
				inner = inner || Find(n.name[i:]) != nil || Find(strings.TrimRight(n.name[:i], "$")) != nil
			}
		}
		if !inner {
			t.Errorf("notCountries has %q, which holds no country's name", n.name)
		}
	}
}

// TestNamesMatch checks that every name can be indexed, and that no two
// names read the same while naming different countries (an ambiguous
// name is one name with several codes).
func TestNamesMatch(t *testing.T) {
	ns := buildNames()
	if _, err := newMatcher(ns.names); err != nil {
		t.Fatal(err)
	}
	seen := map[string]name{}
	for _, n := range ns.names {
		key, upper := keyOf(n.text)
		k := fmt.Sprint(string(key), upper)
		if o, ok := seen[k]; ok && !slices.Equal(o.codes, n.codes) {
			t.Errorf("%q (%v) and %q (%v) read the same", o.text, o.codes, n.text, n.codes)
		}
		seen[k] = n
	}
	if _, err := newMatcher([]name{{text: "-dash", codes: []string{"XX"}}}); err == nil {
		t.Error("a name that starts with a dash was indexed")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[rune]rune{'é': 'e', 'Ç': 'c', 'ü': 'u', 'ø': 'o', 'ı': 'i', 'ộ': 'o', 'ß': 'ß', 'ж': 'ж', 'A': 'a', '’': '\'', 'ʼ': '\''} {
		if got, _ := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	for r := rune(foldLo); r < foldHi; r++ {
		if got, _ := fold(r); unicode.IsLetter(r) && !unicode.IsLetter(got) {
			t.Errorf("fold(%q) = %q, not a letter", r, got)
		}
	}
}
