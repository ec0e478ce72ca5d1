// Package countries finds the countries a text names, for the contract's
// rule that each country of a record (investor, recipient, partner, host,
// parties) is named in its quote or in the sentence before it.
//
// [Find] returns every country name of a text: a name, short name,
// abbreviation or adjective ("South Korea", "Republic of Korea", "South
// Korean", "Kazakh", "Kazakhstan's", "the U.S.", "UK", "Emirati"), with
// the ISO 3166-1 alpha-2 codes it names and its place in the text.
// [SentenceBefore] finds the sentence before a quote in a source text.
// [Names] lists the names known for a code, for messages that say how to
// name a country.
//
// # Matching
//
// The longest name wins, and names do not overlap: "North Korea" names KP
// and never KR, "South Korean" is KR, "Papua New Guinea" is not Guinea,
// "Nigeria" is not Niger, "Dominican Republic" is not Dominica. Names
// match on word boundaries, with a possessive ("Korea’s") or, for an
// adjective, in the plural ("Koreans", "Kazakhs"); a hyphen is a boundary,
// so "Kazakh-South Korean relations" names KZ and KR.
//
// Case decides where English does. Each word of a name that the dataset
// writes with a capital must start with one in the text: "Chad", "Turkey",
// "China", "Jordan" and "Georgia" are countries, "chad", "turkey",
// "china", "jordan" and "georgia" are not. An abbreviation in capitals
// must be in capitals: "US" and "U.S." are the United States, "us" and
// "Us" are not. Other letters match in any case ("SOUTH KOREA").
//
// What extracting a text from a PDF changes does not matter (the same
// forgiveness as the quote matcher's, so a text may be passed as it is or
// normalized): any run of white space and line breaks inside a name
// ("South\nKorea"), a line-end hyphen ("Kazakh-\nstan", or the soft hyphen
// the quote matcher writes for one), ligature characters, curly or straight apostrophes ("Côte d’Ivoire"),
// any dash, and diacritics ("Cote d'Ivoire", "Turkiye").
//
// Ambiguous names name every country they may mean, and a record's
// country is named when it is one of them: "Korea" and "Korean" name KP
// and KR (texts about the South often say only "Korea"), "Congo" and
// "Congolese" CD and CG, "Dominican" DM and DO, "Virgin Islands" VG and
// VI. "Georgia" is the country GE, also where a text means the US state:
// the package cannot tell them apart, and a false match only hides a
// warning. Nor does it tell a country from a person of the same name
// ("Chad", "Jordan").
//
// Some names hold the name of a country and name something else: "New
// Guinea", "Indian Ocean", "South China Sea", "Latin America", "New
// Mexico", and "US$" (a currency). They are matched, so that the country
// inside them is not found, and not returned. overrides.go lists them,
// with the few names the package adds to the dataset or removes from it,
// each with its reason.
//
// # Speed
//
// Find reads a text once, walking a trie of the names' tokens from each
// word start (see matcher.go); it allocates only the matches it returns.
// A 300-character quote takes about 3 µs (BenchmarkFind). The names are
// indexed on first use, in about 10 milliseconds (BenchmarkIndex).
//
// # The dataset, and why this one
//
// The names come from the npm package world-countries 5.1.0, the data of
// mledoze/countries: for each of 250 countries and territories, the
// common and official English names, alternative spellings, English
// demonyms ("South Korean", "Kazakhstani", "Emirati") and whether it is a
// sovereign state. dataset_gen.go transcribes it (go generate, with the
// generator in internal/gencountries, pinned by its package-lock.json; a
// test checks that the file is current), and names.go says which of its
// names are used.
//
// The candidates, and why not them: github.com/pariz/gountries (v0.1.6,
// August 2022) embeds data from a fork of the same dataset, but without
// alternative spellings and with an empty nationality for every country,
// and brings a YAML parser and 2 MB of generated code;
// github.com/biter777/countries (v1.7.5) has names and codes only, in
// switch statements rather than data; Unicode CLDR (cldr-localenames-full)
// has well-kept names and short and variant forms, but no adjectives,
// which are half of what quotes use; Debian's iso-codes has the ISO names
// and nothing else. mledoze/countries is maintained (5.1.0 is of June
// 2025), is the one dataset here with English demonyms, and is served by
// a registry the project already uses (npm, as for DuckDB).
//
// # Licence
//
// world-countries is made available under the Open Database License
// (ODbL) 1.0. dataset_gen.go is a derivative database of it, and so is
// under the ODbL too; so are the changes to it in overrides.go. The
// licence asks whoever publicly uses the data, or distributes a program
// that holds it, (1) to keep the notice in NOTICE beside this file with
// the program or its documentation, saying that it contains information
// from world-countries under the ODbL, and (2) to offer the derivative
// database under the ODbL: this package's source (dataset_gen.go and
// overrides.go) does that. The rest of the package is the project's code.
package countries
