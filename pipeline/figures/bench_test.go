package figures

import "testing"

// Benchmarks on realistic quotes (the default dataset's and the corpus's):
//
//	go test ./pipeline/figures -run '^$' -bench . -benchmem

var benchQuotes = []string{
	"Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008, according to the National " +
		"Bank of Kazakhstan). The main spheres of investment are construction, trade, finance, information technologies, " +
		"the production of buses, equipment for the oil and gas and chemical sectors and white goods.",
	"Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan, including 48 joint " +
		"ventures and 62 representative offices.",
	"The contractual and legislative basis for cooperation between Kazakhstan and South Korea consists of over 60 " +
		"documents, including agreements on cultural and scientific and technical cooperation, cooperation in the spheres " +
		"of education, information technologies and telecommunications, energy and mineral resources and other spheres.",
	"Minister of National Economy Alibek Kuantyrov said the total volume of investment in fixed assets reached 3.8 " +
		"trillion tenge ($8.5 billion) in January-April this year, 18% more than in the same period in 2022.",
	"As of Jan. 1, 2018, Uzbekistan registered 5,517 operating companies with the participation of foreign capital, of " +
		"which 3,087 are joint ventures and 2,430 are foreign companies.",
}

func BenchmarkRead(b *testing.B) {
	n := 0
	for _, q := range benchQuotes {
		n += len(q)
	}
	b.SetBytes(int64(n / len(benchQuotes)))
	for i := 0; b.Loop(); i++ {
		Read(benchQuotes[i%len(benchQuotes)])
	}
}

func BenchmarkCheck(b *testing.B) {
	amount := MustDecimal("3000000000")
	claims := []Claim{
		{Amount: &amount, Currency: "USD", Qualifier: "about", AsOf: "2008-09-30"},
		{Counts: []Count{{"enterprises", 300}, {"joint_ventures", 48}, {"representative_offices", 62}}, Qualifier: "over"},
		{Counts: []Count{{"documents", 60}}, Qualifier: "over"},
	}
	for i := 0; b.Loop(); i++ {
		k := i % len(claims)
		if res := Check(benchQuotes[k], claims[k]); len(res.Problems) > 0 {
			b.Fatal(res.Problems)
		}
	}
}
