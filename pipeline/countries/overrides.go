package countries

// The changes this package makes to the dataset, each with its reason.
// Keep them few: a name belongs in the dataset (mledoze/countries takes
// contributions), and each entry here is checked against it by the tests
// (an addition must add something, a removal must remove something), so
// that an entry the dataset has caught up with is noticed and dropped.

// An addition is a name (or, as an adjective, a name that also matches
// with a plural s) of countries that the dataset lacks.
type addition struct {
	name      string
	codes     []string
	adjective bool
	reason    string
}

var additions = []addition{
	{name: "US", codes: []string{"US"}, reason: "the usual abbreviation; the dataset has it only as the code, and codes are not names here (IN, IT, NO, TO are words)"},
	{name: "U.S.", codes: []string{"US"}, reason: "the abbreviation as many publishers write it"},
	{name: "U.S.A.", codes: []string{"US"}, reason: "as U.S."},
	{name: "America", codes: []string{"US"}, reason: "in prose, the United States (\"America's investment\"); the continents are blocked below"},
	{name: "U.K.", codes: []string{"GB"}, reason: "the abbreviation as many publishers write it"},
	{name: "Britain", codes: []string{"GB"}, reason: "the usual short name; the dataset has only Great Britain"},
	{name: "Northern Ireland", codes: []string{"GB"}, reason: "part of the United Kingdom; without it, its Ireland would name IE"},
	{name: "Korea", codes: []string{"KP", "KR"}, reason: "either Korea: texts about the South often say only Korea, and the Republic of Korea calls itself so; an ambiguous name names both"},
	{name: "Korean", codes: []string{"KP", "KR"}, adjective: true, reason: "as Korea"},
	{name: "ROK", codes: []string{"KR"}, reason: "the abbreviation of Republic of Korea in diplomatic texts"},
	{name: "PRC", codes: []string{"CN"}, reason: "the abbreviation of People's Republic of China"},
	{name: "Kazakh", codes: []string{"KZ"}, adjective: true, reason: "the usual adjective (\"the Kazakh economy\"); the dataset's demonym is Kazakhstani"},
	{name: "Kyrgyz", codes: []string{"KG"}, adjective: true, reason: "the usual adjective; the dataset's demonym is Kirghiz"},
	{name: "Kyrgyzstani", codes: []string{"KG"}, adjective: true, reason: "the adjective of Kyrgyzstan, as Kazakhstani"},
	{name: "Tajik", codes: []string{"TJ"}, adjective: true, reason: "the usual adjective; the dataset's demonym is Tadzhik"},
	{name: "Tajikistani", codes: []string{"TJ"}, adjective: true, reason: "the adjective of Tajikistan, as Kazakhstani"},
	{name: "Uzbek", codes: []string{"UZ"}, adjective: true, reason: "the usual adjective; the dataset's demonym is Uzbekistani"},
	{name: "Azeri", codes: []string{"AZ"}, adjective: true, reason: "the usual short adjective of Azerbaijan"},
	{name: "Philippine", codes: []string{"PH"}, adjective: true, reason: "the adjective of the Philippines (\"the Philippine economy\"); the dataset's demonym is Filipino"},
	{name: "Turkey", codes: []string{"TR"}, reason: "the English name until 2022, still the most common; the dataset has only Türkiye and Republic of Turkey"},
	{name: "Congo", codes: []string{"CD", "CG"}, reason: "either Congo in prose; the dataset gives it to the Republic of the Congo only"},
	{name: "Cabo Verde", codes: []string{"CV"}, reason: "the country's short name in English since 2013; the dataset has it only in Republic of Cabo Verde"},
	{name: "Virgin Islands", codes: []string{"VG", "VI"}, reason: "either group in prose; the dataset gives it to the British Virgin Islands only"},
	{name: "US Virgin Islands", codes: []string{"VI"}, reason: "the usual name, which would otherwise read as US and the Virgin Islands"},
	{name: "U.S. Virgin Islands", codes: []string{"VI"}, reason: "as US Virgin Islands"},
}

// A removal is a name that the dataset gives a country and that this
// package does not match, as it is an English word or a common name of
// something else.
type removal struct {
	name, code string
	reason     string
}

var removals = []removal{
	{name: "Island", code: "IS", reason: "Icelandic for Iceland, and an English word (\"Island nations\")"},
	{name: "Mann", code: "IM", reason: "a surname (Thomas Mann) before it is the Isle of Man"},
	{name: "Dominique", code: "DM", reason: "French for Dominica, and a given name"},
	{name: "Timor", code: "TL", reason: "the island, shared by Timor-Leste and Indonesia"},
	{name: "Guiana", code: "GF", reason: "the region of Guyana, Suriname and French Guiana"},
	{name: "Prathet", code: "TH", reason: "Thai for \"country\", not a name"},
}

// notCountries are names that hold the name of a country but name
// something else. Matched like names, they keep the country inside them
// from being found ("New Guinea" is not Guinea), and are not reported.
var notCountries = []struct{ name, reason string }{
	{"New Guinea", "the island of Papua New Guinea and Indonesia's provinces"},
	{"Gulf of Guinea", "a sea"},
	{"Indian Ocean", "an ocean"},
	{"West Indian", "of the West Indies, not of India"},
	{"South China Sea", "a sea"},
	{"East China Sea", "a sea"},
	{"North America", "a continent"},
	{"South America", "a continent"},
	{"Central America", "a region"},
	{"Latin America", "a region"},
	{"New Mexico", "a US state"},
	{"New Jersey", "a US state"},
	{"British Columbia", "a Canadian province"},
	{"US$", "the dollar sign: \"US$3bn\" states a currency, not a country"},
}
