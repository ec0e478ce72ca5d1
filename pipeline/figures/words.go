package figures

import (
	"slices"
	"strings"
)

// The words the reader knows, in one place: number words, scale words,
// currencies, count nouns, qualifiers, months, and the words that make a
// number something other than a figure (percentages, ratios, durations,
// references). Every word is looked up once, when the text is cut into
// tokens, in a small open-addressing table keyed by the lowercased word.

// wordClass is a set of the roles a word can play.
type wordClass uint32

const (
	cNumber         wordClass = 1 << iota // a number word: num, numKind
	cScale                                // a scale word: scale, scaleRule
	cCurrency                             // a currency word after a number: cur
	cISO                                  // an ISO 4217 code (only in capitals)
	cMonth                                // a month: month
	cDuration                             // a unit of time: "18 years" is a duration
	cPercent                              // percent, pc: "25 percent" is a percentage
	cRatio                                // times, fold: "2.3 times" is a ratio
	cNoun                                 // a count noun: noun
	cStop                                 // a function word: it ends a noun phrase
	cChange                               // a verb or noun of change: "increased by", "an increase of"
	cOrdinalSuffix                        // st, nd, rd, th after digits
	cRef                                  // a number after it is a reference: "No. 412", "page 3"
	cAbbrev                               // a "." after it ends no sentence
	cClause                               // starts a new clause: while, whereas, but, compared
	cOpenDate                             // since, after, before, until: an open-ended date
	cOrdinal                              // first, second, third, fourth (of halves and quarters)
	cCurrencyPrefix                       // a currency written before the number: Rs, RMB
	cDollarPrefix                         // a country's letters before "$": US$, S$, HK$
	cCurrencyAdj                          // an adjective naming a currency's country: US, Singapore
	cQualifierEnd                         // the last word of a qualifier before a figure (see qualBefore)
	cDateStart                            // a word a date may start with: a month, first…fourth, Q, H, FY
)

type numKind uint8

const (
	numUnit     numKind = iota + 1 // zero … nineteen
	numTen                         // twenty … ninety
	numHundred                     // hundred
	numThousand                    // thousand
	numDozen                       // dozen
	numHalf                        // half
	numA                           // a, an: "a dozen", "a million"
)

// scaleRule says where a scale word may stand.
type scaleRule uint8

const (
	scaleAny      scaleRule = iota // "3 billion", "3billion"
	scaleGlued                     // only glued to the digits: "100k"
	scaleCurrency                  // only in an amount with a currency: "€117m", "$3 B", "Rs 500 cr"
)

// wordInfo is what the reader knows of a word.
type wordInfo struct {
	key       string // the word, lowercased
	class     wordClass
	num       int64 // cNumber: the value
	numKind   numKind
	scale     int8 // cScale: the power of ten
	scaleRule scaleRule
	month     int8   // cMonth: 1…12
	ord       int8   // cOrdinal: 1…4
	noun      Noun   // cNoun
	nounPart  uint8  // cNoun: which part of a compound noun the word is (see nounJoint…)
	cur       string // cCurrency, cISO, cCurrencyPrefix, cDollarPrefix, cCurrencyAdj: the code or family
}

func (w *wordInfo) is(c wordClass) bool { return w != nil && w.class&c != 0 }

// Parts of compound count nouns: "joint ventures", "representative
// offices", "letters of intent".
const (
	nounPlain     uint8 = iota // a noun by itself: companies, agreements
	nounJointHead              // joint, representative, letters: the first word of a compound
	nounTail                   // ventures, offices: only after their head
)

var words = buildWords()

func buildWords() *wordTable {
	b := map[string]*wordInfo{}
	add := func(class wordClass, set func(*wordInfo), keys ...string) {
		for _, k := range keys {
			w := b[k]
			if w == nil {
				w = &wordInfo{key: k}
				b[k] = w
			}
			w.class |= class
			if set != nil {
				set(w)
			}
		}
	}
	num := func(kind numKind, v int64) func(*wordInfo) {
		return func(w *wordInfo) { w.numKind, w.num = kind, v }
	}
	for i, k := range strings.Fields("zero one two three four five six seven eight nine ten eleven twelve " +
		"thirteen fourteen fifteen sixteen seventeen eighteen nineteen") {
		add(cNumber, num(numUnit, int64(i)), k)
	}
	for i, k := range strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety") {
		add(cNumber, num(numTen, int64(20+10*i)), k)
	}
	add(cNumber, num(numHundred, 100), "hundred")
	add(cNumber, num(numThousand, 1000), "thousand")
	add(cNumber, num(numDozen, 12), "dozen")
	add(cNumber, num(numHalf, 0), "half")
	add(cNumber, num(numA, 1), "a", "an")

	scale := func(p int8, r scaleRule) func(*wordInfo) {
		return func(w *wordInfo) { w.scale, w.scaleRule = p, r }
	}
	add(cScale, scale(2, scaleAny), "hundred")
	add(cScale, scale(3, scaleAny), "thousand", "тыс")
	add(cScale, scale(3, scaleGlued), "k")
	add(cScale, scale(5, scaleAny), "lakh", "lakhs", "lac", "lacs")
	add(cScale, scale(6, scaleAny), "million", "mn", "mln", "млн")
	add(cScale, scale(6, scaleCurrency), "m")
	add(cScale, scale(7, scaleAny), "crore", "crores")
	add(cScale, scale(7, scaleCurrency), "cr")
	add(cScale, scale(9, scaleAny), "billion", "bn", "bln", "млрд")
	add(cScale, scale(9, scaleCurrency), "b")
	add(cScale, scale(12, scaleAny), "trillion", "tn", "tln", "trn", "trl")

	cur := func(code string) func(*wordInfo) { return func(w *wordInfo) { w.cur = code } }
	for _, c := range strings.Fields(isoCodes) {
		add(cISO, cur(c), strings.ToLower(c))
	}
	for code, ks := range map[string]string{
		AnyDollar: "dollars dollar", "KZT": "tenge", "CNY": "yuan renminbi", "KRW": "won",
		AnyRupee: "rupees rupee", "EUR": "euros euro", "GBP": "pounds pound sterling", "JPY": "yen",
		"RUB": "roubles rubles rouble ruble", "UZS": "soums soum sums", "KGS": "soms", "AZN": "manat manats",
		"GEL": "lari laris", "AMD": "drams dram", "TJS": "somoni", "UAH": "hryvnias hryvnia hryvnas",
		"TRY": "liras lira", "MYR": "ringgit", "THB": "baht", "IDR": "rupiah", "VND": "dong",
		"CHF": "francs franc", "SEK": "kronor krona", "MNT": "tugriks tugrik",
	} {
		add(cCurrency, cur(code), strings.Fields(ks)...)
	}
	add(cCurrencyPrefix, cur(AnyRupee), "rs")
	add(cCurrencyPrefix, cur("CNY"), "rmb")
	add(cCurrencyPrefix, cur("MYR"), "rm")
	add(cCurrencyPrefix, cur("IDR"), "rp")
	add(cCurrencyPrefix, cur("BDT"), "tk")
	for code, ks := range map[string]string{
		"USD": "us usd", "SGD": "s sg", "HKD": "hk", "AUD": "a au", "CAD": "c ca can", "NZD": "nz",
		"TWD": "nt", "BRL": "r", "MXN": "mex", "BND": "b",
	} {
		add(cDollarPrefix, cur(code), strings.Fields(ks)...)
	}
	// Adjectives before a currency word ("Singapore dollars", "Indian
	// rupees"): the code they give each family, keyed by family then word.
	for _, a := range []struct{ word, code string }{
		{"us", "USD"}, {"american", "USD"}, {"singapore", "SGD"}, {"kong", "HKD"}, {"australian", "AUD"},
		{"canadian", "CAD"}, {"zealand", "NZD"}, {"taiwan", "TWD"}, {"brunei", "BND"},
		{"indian", "INR"}, {"pakistani", "PKR"}, {"lankan", "LKR"}, {"nepalese", "NPR"}, {"nepali", "NPR"},
		{"egyptian", "EGP"}, {"swiss", "CHF"}, {"belarusian", "BYN"}, {"turkmen", "TMT"}, {"chinese", "CNY"},
		{"korean", "KRW"}, {"japanese", "JPY"}, {"kazakh", "KZT"}, {"kazakhstani", "KZT"}, {"russian", "RUB"},
		{"uzbek", "UZS"}, {"kyrgyz", "KGS"}, {"swedish", "SEK"}, {"turkish", "TRY"}, {"mongolian", "MNT"},
	} {
		add(cCurrencyAdj, cur(a.code), a.word)
	}

	for i, ks := range []string{"january jan", "february feb", "march mar", "april apr", "may", "june jun",
		"july jul", "august aug", "september sep sept", "october oct", "november nov", "december dec"} {
		add(cMonth, func(w *wordInfo) { w.month = int8(i + 1) }, strings.Fields(ks)...)
	}
	add(cDuration, nil, strings.Fields("year years yr yrs month months week weeks day days decade decades "+
		"hour hours minute minutes quarters")...)
	add(cPercent, nil, "percent", "pc", "pct", "percentage", "bps", "ppt")
	add(cRatio, nil, "times", "fold", "x")

	noun := func(n Noun, part uint8) func(*wordInfo) {
		return func(w *wordInfo) { w.noun, w.nounPart = n, part }
	}
	add(cNoun, noun(Enterprises, nounPlain), strings.Fields("enterprises enterprise companies company firms firm "+
		"businesses business entities entity corporations corporation")...)
	add(cNoun, noun(Documents, nounPlain), strings.Fields("documents document agreements agreement treaties "+
		"treaty accords accord memoranda memorandum memorandums mous mou protocols protocol contracts contract "+
		"deals deal")...)
	add(cNoun, noun(JointVentures, nounPlain), "jvs", "jv")
	add(cNoun, noun(JointVentures, nounJointHead), "joint")
	add(cNoun, noun(JointVentures, nounTail), "ventures", "venture")
	add(cNoun, noun(RepresentativeOffices, nounJointHead), "representative")
	add(cNoun, noun(RepresentativeOffices, nounTail), "offices", "office")
	add(cNoun, noun(Documents, nounJointHead), "letters", "letter")

	add(cStop, nil, strings.Fields("a an the of with and or in on at to from by for which that who whose were are "+
		"is was be been being have has had will would could should can than as per into onto over under about "+
		"some their its his her our them they it this these those there here such each all both more less fewer "+
		"not no also only just including among between within across through during since after before until "+
		"while when where if so but yet nor than via out up down off")...)
	add(cChange, nil, strings.Fields("increased increase increases increasing rose rise rises rising risen grew "+
		"grow grows growing grown growth climbed jumped jump added decreased decrease decreasing fell fall falls "+
		"falling fallen declined decline declining dropped drop shrank expanded gained gain surged surge soared "+
		"plunged slipped reduction reduced cut lowered raised boosted up down")...)
	add(cOrdinalSuffix, nil, "st", "nd", "rd", "th")
	add(cRef, nil, strings.Fields("no nos p pp page pages para paragraph article articles art section chapter "+
		"table figure fig annex appendix resolution decree law item clause vol volume issue part boeing airbus "+
		"model rule")...)
	add(cAbbrev, nil, strings.Fields("no nos p pp rs mr mrs ms dr st co inc ltd corp jan feb mar apr jun jul aug "+
		"sep sept oct nov dec vs approx ca est fig vol art para dept govt e g i")...)
	add(cClause, nil, "while", "whilst", "whereas", "but", "compared", "against", "versus", "vs", "although")
	add(cOpenDate, nil, "since", "after", "before", "until", "till", "through", "from")
	for i, k := range strings.Fields("first second third fourth") {
		add(cOrdinal, func(w *wordInfo) { w.ord = int8(i + 1) }, k)
	}
	// Words of phrases: they must be known to be compared (a token holds the
	// key of a known word only).
	add(0, nil, strings.Fields("around approximately roughly nearly almost close estimated circa ca approaching "+
		"region order or so plus odd excess upwards upward least minimum most maximum greater exceeding exceeded "+
		"exceeds exceed surpassed surpasses surpassing crossed crosses topped tops above below beyond "+
		"well slightly little somewhat far much another further additional extra intent end beginning start beat outpaced cn jp "+
		"early mid late months nine six three h q fy fiscal financial year years u s of understanding number act code rules regulations ordinance went go goes going gone shot moved "+
		"according cent new more quarter point")...)

	for _, p := range qualBefore {
		add(cQualifierEnd, nil, p.words[len(p.words)-1])
	}
	for k, w := range b {
		if w.class&(cMonth|cOrdinal) != 0 || k == "q" || k == "h" || k == "fy" {
			w.class |= cDateStart
		}
	}
	t := &wordTable{}
	t.build(b)
	return t
}

// AnyDollar is the currency of a bare "$" or "dollars": any dollar
// currency (USD, SGD, HKD, AUD, CAD, NZD, …), unless the source declares
// which (Claim.Dollar). It is never EUR.
const AnyDollar = "$"

// AnyRupee is the currency of "Rs" or "rupees": INR, PKR, LKR, NPR, MUR or
// SCR. "₹" and "Indian rupees" are INR.
const AnyRupee = "Rs"

// AnyYen is the currency of a bare "¥": JPY or CNY.
const AnyYen = "¥"

// families lists the codes a family of currencies may stand for.
var families = map[string][]string{
	AnyDollar: {"USD", "SGD", "HKD", "AUD", "CAD", "NZD", "TWD", "BND", "FJD", "JMD", "BSD", "BBD", "BZD",
		"BMD", "KYD", "XCD", "TTD", "GYD", "SRD", "LRD", "NAD", "SBD", "ZWL"},
	AnyRupee: {"INR", "PKR", "LKR", "NPR", "MUR", "SCR"},
	AnyYen:   {"JPY", "CNY"},
}

// symbols are the currency signs written before (or after) a number.
var symbols = map[rune]string{
	'$': AnyDollar, '€': "EUR", '£': "GBP", '¥': AnyYen, '₩': "KRW", '₸': "KZT", '₹': "INR", '₽': "RUB",
	'₺': "TRY", '₴': "UAH", '₦': "NGN", '₱': "PHP", '₫': "VND", '฿': "THB", '₪': "ILS", '₮': "MNT",
	'₼': "AZN", '₾': "GEL", '₨': AnyRupee,
}

// isoCodes are the active ISO 4217 currency codes.
const isoCodes = `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR
ZMW ZWL`

// wordTable finds a word's wordInfo by its lowercased bytes.
type wordTable struct {
	infos []wordInfo // infos[0] is no word
	slots []wordSlot
	mask  uint32
}

type wordSlot struct {
	hash uint32
	wi   uint16 // index in infos, 0 for an empty slot
}

func (t *wordTable) build(b map[string]*wordInfo) {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same indexes on every run
	t.infos = make([]wordInfo, 1, len(keys)+1)
	n := 1
	for n < 4*len(b) {
		n <<= 1
	}
	t.slots, t.mask = make([]wordSlot, n), uint32(n-1)
	for _, k := range keys {
		t.infos = append(t.infos, *b[k])
		h := hashWord([]byte(k))
		i := h & t.mask
		for t.slots[i].wi != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = wordSlot{h, uint16(len(t.infos) - 1)}
	}
}

// lookup returns the index of the word of the lowercased bytes k and hash
// h, or 0.
func (t *wordTable) lookup(k []byte, h uint32) uint16 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.wi == 0 {
			return 0
		}
		if s.hash == h && t.infos[s.wi].key == string(k) {
			return s.wi
		}
	}
}

// hashWord is FNV-1a.
func hashWord(k []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range k {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}
