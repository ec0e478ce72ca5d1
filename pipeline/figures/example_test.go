package figures_test

import (
	"fmt"

	"export/pipeline/figures"
)

func ExampleRead() {
	r := figures.Read("Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008, " +
		"according to the National Bank of Kazakhstan).")
	for _, m := range r.Mentions {
		d := r.Dates[m.Date]
		fmt.Printf("%s %q: %s %s %s, dated %s..%s (%s)\n", m.Kind, m.Text, m.Qualifier, m.Value, m.Currency,
			d.From, d.To, d.Precision)
	}
	// Output:
	// money "about $3bn": about 3000000000 $, dated 2008-09-30..2008-09-30 (day)
}

func ExampleCheck() {
	quote := "Over 300 enterprises with the involvement of South Korean capital are operating in Kazakhstan, " +
		"including 48 joint ventures and 62 representative offices."
	res := figures.Check(quote, figures.Claim{
		Counts:    []figures.Count{{Field: "enterprises", Value: 300}, {Field: "joint_ventures", Value: 62}},
		Qualifier: "over",
	})
	for _, s := range res.Stated {
		fmt.Printf("stated %s: %q at %d-%d\n", s.Field, s.Text, s.Start, s.End)
	}
	for _, p := range res.Problems {
		fmt.Printf("%s: %s: %s [%s]\n", p.Severity, p.Field, p.Message, p.Rule)
	}
	// Output:
	// stated enterprises: "Over 300 enterprises" at 0-20
	// stated qualifier: "Over" at 0-4
	// error: joint_ventures: 62 joint ventures is not stated by the quote; it states 48 joint ventures ("48 joint ventures"); 62 is its number of representative offices ("62 representative offices"); fix the figure, or declare it in derived with the reason [figure_stated]
}

func ExampleParseDecimal() {
	d, _ := figures.ParseDecimal("3000000000")
	r := figures.Read("KZT355.7bn and about $3bn")
	fmt.Println(d.Grouped(), d.Equal(r.Mentions[1].Value), r.Mentions[0].Value)
	// Output:
	// 3,000,000,000 true 355700000000
}
