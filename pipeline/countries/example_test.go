package countries_test

import (
	"fmt"
	"slices"

	"export/pipeline/countries"
)

func ExampleFind() {
	for _, m := range countries.Find("Kazakh-South Korean relations, and North Korea’s.") {
		fmt.Println(m.Codes, m.Start, m.End, m.Text)
	}
	// Output:
	// [KZ] 0 6 Kazakh
	// [KR] 7 19 South Korean
	// [KP] 35 46 North Korea
}

// A record's country is named when one of the matches names it, in the
// quote or in the sentence before it.
func ExampleSentenceBefore() {
	text := []rune("South Korea is one of the leading investors in the Kazakh economy. " +
		"Its total investment in Kazakhstan has reached about $3bn.")
	start := 68 // where the quote starts
	from, to := countries.SentenceBefore(text, start)
	fmt.Println(string(text[from:to]))

	named := func(code string) bool {
		for _, span := range [][2]int{{start, len(text)}, {from, start}} {
			for _, m := range countries.Find(string(text[span[0]:span[1]])) {
				if slices.Contains(m.Codes, code) {
					return true
				}
			}
		}
		return false
	}
	fmt.Println("investor KR:", named("KR"), "recipient KZ:", named("KZ"), "partner JP:", named("JP"))
	// Output:
	// South Korea is one of the leading investors in the Kazakh economy.
	// investor KR: true recipient KZ: true partner JP: false
}

func ExampleNames() {
	fmt.Println(countries.Names("KR"))
	// Output:
	// [South Korea Republic of Korea Korea ROK South Korean Korean]
}
