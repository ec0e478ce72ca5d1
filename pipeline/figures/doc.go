// Package figures reads the figures a quote states, and checks a record's
// figures against them: "about $3bn (as of 30 September 2008, …)" states
// 3000000000 in a dollar currency, qualified about, dated 2008-09-30.
//
// [Read] returns a [Reading]: every money amount, every number bound to a
// count noun, every other number that could be a figure, and every date,
// each with its [Span] in code points of the quote as given. [Check] (or
// [Reading.Check]) binds a [Claim] — a record's amount, currency, counts,
// qualifier and date — to those mentions, and says which words state each
// field or, for a field that no words state, what the quote does state.
//
// # What is read
//
//   - Numbers: digits with "," thousands separators, with white space
//     (plain, thin U+2009 and U+202F, no-break U+00A0) where groups of three
//     follow a first group of 1-3 digits, in the Indian grouping
//     ("1,23,456"), with a decimal point, or with a decimal comma where it
//     cannot be a thousands separator (1 or 2 digits after: "6,5 billion");
//     number words ("sixty", "three hundred and fifty", "twenty-five", "a
//     dozen", "one and a half", "half a").
//   - Scale words: thousand, k (glued), lakh, lac, million, mn, mln, crore,
//     billion, bn, bln, trillion, tn, tln, млн, млрд, and m, M, b, B, cr only
//     in an amount with a currency ("€117m", "$3B"); English short scale. A
//     scale word after a range applies to both ends ("$8 to $10 billion").
//   - Currencies, before or after, glued or spaced: ISO 4217 codes in
//     capitals ("USD 4 billion", "KZT355.7bn", "420,925,400 USD"), signs
//     ($ € £ ¥ ₩ ₸ ₹ ₽ …), dollar prefixes (US$, U.S.$, S$, HK$, A$, C$, NZ$,
//     R$), Rs, RMB, and words ("US dollars", "Singapore dollars", tenge, yuan,
//     won, rupees, euros, pounds, yen, roubles, …). A bare "$" or "dollars" is
//     [AnyDollar]: any dollar currency unless the source declares one
//     (Claim.Dollar), never EUR; "Rs" and "rupees" are [AnyRupee], "¥"
//     [AnyYen].
//     A smaller scaled number adds to a larger one ("4 billion 280 million
//     yuan"); a minus sign after a currency makes an amount negative ("USD
//     -34 billion").
//   - Count nouns, with up to four describing words between the number and
//     the noun ("300 South Korean companies", "60 bilateral documents"), or
//     after "are" ("of which 3,087 are joint ventures"); a number with no
//     noun of its own counts the noun of "the number of NOUN" earlier in its
//     clause ("the number of such companies went up to 619"): see [Noun].
//   - Qualifiers that touch the figure, before or after (see [Qualifier]);
//     a range "between 8 and 10", "8-10", "8 to 10" states 8 over and 10
//     under; "from 8 to 10" is a change of level, both exact.
//   - Changes: "increased by 25", "an increase of $3bn", "exceeded the target
//     by KRW2.3 trillion", and of counts "25 more", "another 25", "a further
//     25". A change is no level: Check never takes it for a record's figure.
//   - Dates and periods (see [Date] and dates.go), attached to the figure of
//     their clause (see attach.go). A year that is part of a name ("Vibrant
//     Gujarat Summit 2024", "the Companies Act, 1956") is no date.
//
// # What is not
//
// Long scales are not read: "billion" is 10^9, as in English sources.
//
// Percentages (%, percent, per cent, pc), ratios ("2.3 times",
// "two-fold"), ordinals ("12th"), years and dates, fiscal years ("2021-22",
// "2015/16", "FY2021"), quarters, durations ("over the past 18 years", "8
// months", "5-year"), citations in square brackets, page and article
// numbers ("p. 45", "Law No. 412"), codes ("COVID-19", "A320") are no
// figures. Words that look like a figure but cannot be read ("$10bnn",
// "3,00 million", "1.234,5") are a [Mention] with Unreadable set: a figure
// never passes unread, and nothing is guessed.
//
// # Exact
//
// Values are [Decimal]: an int64 mantissa and a power of ten (math/big past
// 18 digits), so that "$3bn" is exactly 3 × 10^9 and equality never
// depends on floating point.
//
// # Why it is written here
//
// No Go library reads these forms: Microsoft Recognizers-Text has no Go
// port, Duckling is a Haskell service, quantulum3 and grobid-quantities are
// Python and Java, and the Go date and money parsers read one formatted
// value, not free text (the team's survey: NOTES-figures.md, section 1).
// The reader is a hand-written scanner over the quote normalised as the
// quote matcher normalises it (package textnorm: white space, ligatures,
// line-end hyphens, curly quotes and dashes), so that extraction artifacts
// never matter. It uses no regular expressions, looks every word up once in
// a small hash table (words.go), and reuses one pooled set of buffers: it
// runs for every record of runs of millions (see BenchmarkRead).
//
// # How it is tested
//
// Table tests for every form (read_test.go, check_test.go); a corpus of
// real sentences from public documents annotated with the figures they
// state, with the mutants of every figure (corpus_test.go,
// testdata/corpus.yaml); a round-trip property test (roundtrip_test.go);
// the default dataset and its mutants (default_test.go); FuzzRead and
// FuzzCheck.
package figures
