package schema

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func dec(s string) *Decimal { d := MustDecimal(s); return &d }

func validInvestment() *InvestmentTotal {
	return &InvestmentTotal{
		Base: Base{ID: "kr-kz-investment-2008-09"}, Investor: "KR", Recipient: "KZ",
		Amount: dec("3000000000"), Currency: "USD", Qualifier: "about", AsOf: "2008-09-30",
		Sectors:    []string{"construction", "trade"},
		Provenance: Provenance{Source: "kazakhstan-today", Page: ptr[int64](191), Quote: "Its total investment in Kazakhstan has reached about $3bn"},
	}
}

func validEnterprises() *EnterpriseCount {
	return &EnterpriseCount{
		Base: Base{ID: "kr-kz-enterprises"}, Partner: "KR", Host: "KZ", Enterprises: ptr[int64](300),
		Qualifier: "over", JointVentures: ptr[int64](48), RepresentativeOffices: ptr[int64](62), AsOf: "2008-09-30",
		Provenance: Provenance{Source: "kazakhstan-today", Quote: "Over 300 enterprises with the involvement"},
	}
}

func validAgreements() *AgreementCount {
	return &AgreementCount{
		Base: Base{ID: "kz-kr-agreements"}, Parties: []string{"KZ", "KR"}, Documents: ptr[int64](60),
		Qualifier: "over", Areas: []string{"culture", "energy"}, AsOf: "2008-09-30",
		Provenance: Provenance{Source: "kazakhstan-today", Quote: "consists of over 60 documents"},
	}
}

func validSource() *Source {
	return &Source{ID: "kazakhstan-today", Title: "Kazakhstan today", Year: 2010, URL: "https://example.org/book",
		SHA256: strings.Repeat("ab", 32)}
}

func TestValidRecordsPass(t *testing.T) {
	for _, v := range []any{validInvestment(), validEnterprises(), validAgreements(), validSource()} {
		if errs := Validate(v); errs != nil {
			t.Errorf("%T: unexpected problems: %v", v, errs)
		}
	}
}

// TestZeroValues validates the zero value of every kind: a typo in a tag
// would panic here rather than in production.
func TestZeroValues(t *testing.T) {
	for _, k := range Kinds() {
		errs := Validate(k.New())
		if len(errs) == 0 {
			t.Errorf("%s: the empty record passed validation", k.Name)
		}
		for _, e := range errs {
			if e.Message == "" || e.Rule == "" || e.Field == "" {
				t.Errorf("%s: incomplete problem %+v", k.Name, e)
			}
			if _, ok := k.Column(e.Field); !ok {
				t.Errorf("%s: problem names %q, which is not a column", k.Name, e.Field)
			}
		}
	}
	if errs := Validate(NewSource()); len(errs) == 0 {
		t.Error("the empty source passed validation")
	}
}

type ruleCase struct {
	name   string
	mutate func(any)
	field  string // with index, as FieldError.Path()
	rule   string
	msg    string // a part of the message
}

func TestRules(t *testing.T) {
	inv := func(f func(r *InvestmentTotal)) func(any) { return func(v any) { f(v.(*InvestmentTotal)) } }
	ent := func(f func(r *EnterpriseCount)) func(any) { return func(v any) { f(v.(*EnterpriseCount)) } }
	agr := func(f func(r *AgreementCount)) func(any) { return func(v any) { f(v.(*AgreementCount)) } }
	src := func(f func(r *Source)) func(any) { return func(v any) { f(v.(*Source)) } }

	kinds := []struct {
		name  string
		valid func() any
		cases []ruleCase
	}{
		{"investment_total", func() any { return validInvestment() }, []ruleCase{
			{"id required", inv(func(r *InvestmentTotal) { r.ID = "" }), "id", "required", "add id"},
			{"id slug case", inv(func(r *InvestmentTotal) { r.ID = "KR-kz" }), "id", "slug", `"KR-kz"`},
			{"id slug leading hyphen", inv(func(r *InvestmentTotal) { r.ID = "-kr" }), "id", "slug", "slug"},
			{"id slug too long", inv(func(r *InvestmentTotal) { r.ID = strings.Repeat("a", 65) }), "id", "slug", "64"},
			{"investor required", inv(func(r *InvestmentTotal) { r.Investor = "" }), "investor", "required", "add investor"},
			{"investor lowercase", inv(func(r *InvestmentTotal) { r.Investor = "kr" }), "investor", "iso3166_1_alpha2", `"kr"`},
			{"investor not a country", inv(func(r *InvestmentTotal) { r.Investor = "EU" }), "investor", "iso3166_1_alpha2", "ISO 3166-1"},
			{"recipient equals investor", inv(func(r *InvestmentTotal) { r.Recipient = "KR" }), "recipient", "nefield", "must differ from investor"},
			{"amount required", inv(func(r *InvestmentTotal) { r.Amount = nil }), "amount", "required", "add amount"},
			{"amount zero", inv(func(r *InvestmentTotal) { r.Amount = dec("0") }), "amount", "gt", "greater than 0"},
			{"amount negative", inv(func(r *InvestmentTotal) { r.Amount = dec("-5") }), "amount", "gt", "got -5"},
			{"amount too large", inv(func(r *InvestmentTotal) { r.Amount = dec("2e13") }), "amount", "lte", "at most 10000000000000"},
			{"amount a thousandth over", inv(func(r *InvestmentTotal) { r.Amount = dec("10000000000000.1") }), "amount", "lte", "got 10000000000000.1"},
			{"derived unknown field", inv(func(r *InvestmentTotal) { r.Derived = Derived{"sectors": "the sectors come from another page"} }), "derived", "derivable", `not "sectors"`},
			{"derived no reason", inv(func(r *InvestmentTotal) { r.Derived = Derived{"as_of": "article"} }), "derived.as_of", "min", "at least 10"},
			{"derived control", inv(func(r *InvestmentTotal) { r.Derived = Derived{"as_of": "the article's\ndate"} }), "derived.as_of", "nocontrol", "U+000A"},
			{"currency lowercase", inv(func(r *InvestmentTotal) { r.Currency = "usd" }), "currency", "iso4217", "ISO 4217"},
			{"qualifier unknown", inv(func(r *InvestmentTotal) { r.Qualifier = "approximately" }), "qualifier", "qualifier", "exact, about, over, under"},
			{"qualifier empty", inv(func(r *InvestmentTotal) { r.Qualifier = "" }), "qualifier", "required", ""},
			{"as_of required", inv(func(r *InvestmentTotal) { r.AsOf = "" }), "as_of", "required", ""},
			{"as_of not a date", inv(func(r *InvestmentTotal) { r.AsOf = "2008-02-30" }), "as_of", "datetime", "YYYY-MM-DD"},
			{"as_of with time", inv(func(r *InvestmentTotal) { r.AsOf = "2008-09-30T00:00:00Z" }), "as_of", "datetime", ""},
			{"sector unknown", inv(func(r *InvestmentTotal) { r.Sectors = []string{"trade", "banking"} }), "sectors[1]", "sector", `"banking"`},
			{"sectors repeated", inv(func(r *InvestmentTotal) { r.Sectors = []string{"trade", "trade"} }), "sectors", "unique", `"trade" appears more than once`},
			{"note too long", inv(func(r *InvestmentTotal) { r.Note = strings.Repeat("é", 1001) }), "note", "max", "1001"},
			{"note control character", inv(func(r *InvestmentTotal) { r.Note = "a\x07b" }), "note", "nocontrol", "U+0007"},
			{"source required", inv(func(r *InvestmentTotal) { r.Source = "" }), "source", "required", ""},
			{"source slug", inv(func(r *InvestmentTotal) { r.Source = "Kazakhstan Today" }), "source", "slug", ""},
			{"page zero", inv(func(r *InvestmentTotal) { r.Page = ptr[int64](0) }), "page", "gte", "at least 1"},
			{"page too large", inv(func(r *InvestmentTotal) { r.Page = ptr[int64](100001) }), "page", "lte", "at most 100000"},
			{"citation control", inv(func(r *InvestmentTotal) { r.Citation = "[44]\n" }), "citation", "nocontrol", ""},
			{"authority invalid utf8", inv(func(r *InvestmentTotal) { r.Authority = "Bank \xff" }), "authority", "nocontrol", "UTF-8"},
			{"quote noncharacter", inv(func(r *InvestmentTotal) { r.Quote = "about $3bn \ufffe" }), "quote", "nocontrol", "U+FFFE"},
			{"note noncharacter", inv(func(r *InvestmentTotal) { r.Note = "\uffff" }), "note", "nocontrol", "U+FFFF"},
			{"quote required", inv(func(r *InvestmentTotal) { r.Quote = "" }), "quote", "required", "words of the source"},
			{"quote too short", inv(func(r *InvestmentTotal) { r.Quote = "about $3bn"[:9] }), "quote", "min", "at least 10"},
			{"quote too long", inv(func(r *InvestmentTotal) { r.Quote = strings.Repeat("a", 2001) }), "quote", "max", "2000"},
			{"quote of spaces", inv(func(r *InvestmentTotal) { r.Quote = strings.Repeat(" ", 12) }), "quote", "visible", "it has 0"},
			{"quote of invisible characters", inv(func(r *InvestmentTotal) {
				r.Quote = "\u200b\u00ad\u200e\u2066\ufeff\u200b\u00ad\u200e\u2066\ufeff ab"
			}), "quote", "visible", "it has 2"},
		}},
		{"enterprise_count", func() any { return validEnterprises() }, []ruleCase{
			{"partner required", ent(func(r *EnterpriseCount) { r.Partner = "" }), "partner", "required", ""},
			{"host equals partner", ent(func(r *EnterpriseCount) { r.Host = "KR" }), "host", "nefield", "must differ from partner"},
			{"enterprises required", ent(func(r *EnterpriseCount) { r.Enterprises = nil }), "enterprises", "required", ""},
			{"enterprises negative", ent(func(r *EnterpriseCount) { r.Enterprises = ptr[int64](-1) }), "enterprises", "gte", "at least 0"},
			{"joint ventures negative", ent(func(r *EnterpriseCount) { r.JointVentures = ptr[int64](-2) }), "joint_ventures", "gte", ""},
			{"offices negative", ent(func(r *EnterpriseCount) { r.RepresentativeOffices = ptr[int64](-2) }), "representative_offices", "gte", ""},
			{"enterprises beyond 2^53", ent(func(r *EnterpriseCount) { r.Enterprises = ptr[int64](9007199254740992) }), "enterprises", "lte", "at most 9007199254740991"},
			{"parts exceed total", ent(func(r *EnterpriseCount) { r.Enterprises = ptr[int64](100); r.JointVentures = ptr[int64](60) }), "joint_ventures", "sum_lte",
				"joint_ventures + representative_offices (122) exceeds enterprises (100)"},
			{"one part exceeds total", ent(func(r *EnterpriseCount) { r.Enterprises = ptr[int64](10); r.RepresentativeOffices = nil }), "joint_ventures", "sum_lte", "(48) exceeds enterprises (10)"},
			{"as_of not a date", ent(func(r *EnterpriseCount) { r.AsOf = "30.09.2008" }), "as_of", "datetime", ""},
			{"qualifier unknown", ent(func(r *EnterpriseCount) { r.Qualifier = "Over" }), "qualifier", "qualifier", ""},
		}},
		{"agreement_count", func() any { return validAgreements() }, []ruleCase{
			{"parties required", agr(func(r *AgreementCount) { r.Parties = nil }), "parties", "required", ""},
			{"one party", agr(func(r *AgreementCount) { r.Parties = []string{"KZ"} }), "parties", "min", "at least 2 values"},
			{"parties repeated", agr(func(r *AgreementCount) { r.Parties = []string{"KZ", "KR", "KZ"} }), "parties", "unique", `"KZ"`},
			{"party not a country", agr(func(r *AgreementCount) { r.Parties = []string{"KZ", "Korea"} }), "parties[1]", "iso3166_1_alpha2", `"Korea"`},
			{"documents required", agr(func(r *AgreementCount) { r.Documents = nil }), "documents", "required", ""},
			{"documents zero", agr(func(r *AgreementCount) { r.Documents = ptr[int64](0) }), "documents", "gte", "at least 1"},
			{"area unknown", agr(func(r *AgreementCount) { r.Areas = []string{"culture", "space"} }), "areas[1]", "area", ""},
			{"areas repeated", agr(func(r *AgreementCount) { r.Areas = []string{"energy", "energy"} }), "areas", "unique", ""},
		}},
		{"source", func() any { return validSource() }, []ruleCase{
			{"id required", src(func(r *Source) { r.ID = "" }), "id", "required", ""},
			{"title required", src(func(r *Source) { r.Title = "" }), "title", "required", ""},
			{"title control", src(func(r *Source) { r.Title = "Kazakhstan\ttoday" }), "title", "nocontrol", "U+0009"},
			{"year too early", src(func(r *Source) { r.Year = 1799 }), "year", "gte", "1800"},
			{"year too late", src(func(r *Source) { r.Year = 2101 }), "year", "lte", "2100"},
			{"url scheme", src(func(r *Source) { r.URL = "javascript:alert(1)" }), "url", "http_url", ""},
			{"url not a url", src(func(r *Source) { r.URL = "example.org/x" }), "url", "http_url", ""},
			{"sha256 short", src(func(r *Source) { r.SHA256 = "abc" }), "sha256", "sha256", ""},
			{"sha256 uppercase", src(func(r *Source) { r.SHA256 = strings.Repeat("AB", 32) }), "sha256", "sha256", ""},
		}},
	}
	for _, k := range kinds {
		for _, tc := range k.cases {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				v := k.valid()
				tc.mutate(v)
				errs := Validate(v)
				if len(errs) != 1 {
					t.Fatalf("want exactly one problem (%s [%s]), got %d: %v", tc.field, tc.rule, len(errs), errs)
				}
				e := errs[0]
				if e.Path() != tc.field || e.Rule != tc.rule {
					t.Errorf("got %s [%s], want %s [%s]", e.Path(), e.Rule, tc.field, tc.rule)
				}
				if !strings.Contains(e.Message, tc.msg) {
					t.Errorf("message %q does not say %q", e.Message, tc.msg)
				}
				if e.Severity != Error {
					t.Errorf("severity %v, want error", e.Severity)
				}
			})
		}
	}
}

func TestEveryErrorAtOnce(t *testing.T) {
	r := validEnterprises()
	r.ID = "Bad Id"
	r.Host = "KR"
	r.Enterprises = ptr[int64](10)
	r.Quote = ""
	var got []string
	for _, e := range Validate(r) {
		got = append(got, e.Path()+"["+e.Rule+"]")
	}
	want := "id[slug] host[nefield] quote[required] joint_ventures[sum_lte]"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s (every field, column order, cross-field rules last)", got, want)
	}
}

// TestPartsNeverOverflow checks the sum rule where int64 addition would
// wrap around: the largest parts still exceed a small total, and the
// message says their true sum.
func TestPartsNeverOverflow(t *testing.T) {
	r := validEnterprises()
	r.Enterprises = ptr[int64](10)
	r.JointVentures = ptr[int64](math.MaxInt64)
	r.RepresentativeOffices = ptr[int64](math.MaxInt64)
	var got []string
	for _, e := range Validate(r) {
		got = append(got, e.Path()+"["+e.Rule+"] "+e.Message)
	}
	want := []string{
		"joint_ventures[lte] must be at most 9007199254740991; got 9223372036854775807",
		"representative_offices[lte] must be at most 9007199254740991; got 9223372036854775807",
		"joint_ventures[sum_lte] joint_ventures + representative_offices (18446744073709551614) exceeds enterprises (10)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWarnings(t *testing.T) {
	r := validEnterprises()
	if w := Warnings(r); w != nil {
		t.Errorf("dated count: unexpected warnings %v", w)
	}
	r.AsOf = ""
	w := Warnings(r)
	if len(w) != 1 || w[0].Field != "as_of" || w[0].Rule != "recommended" || w[0].Severity != Warning {
		t.Errorf("undated count: got %+v, want one as_of warning", w)
	}
	a := validAgreements()
	a.AsOf = ""
	if w := Warnings(a); len(w) != 1 {
		t.Errorf("undated agreement count: got %+v", w)
	}
	if w := Warnings(validInvestment()); w != nil {
		t.Errorf("investment: unexpected warnings %v", w)
	}
}

func TestColumns(t *testing.T) {
	want := map[string]string{
		"investment_total": "id kind investor recipient amount currency qualifier as_of sectors note derived",
		"enterprise_count": "id kind partner host enterprises qualifier joint_ventures representative_offices as_of note derived",
		"agreement_count":  "id kind parties documents qualifier areas as_of note derived",
	}
	prov := " source source_title page citation authority quote quote_verified stated input_file input_line"
	for _, k := range Kinds() {
		var names []string
		for _, c := range k.Columns() {
			names = append(names, c.Name)
		}
		if got := strings.Join(names, " "); got != want[k.Name]+prov {
			t.Errorf("%s columns:\n got %s\nwant %s", k.Name, got, want[k.Name]+prov)
		}
	}
}

func TestColumnAccessors(t *testing.T) {
	k, _ := LookupKind("enterprise_count")
	r := k.New()
	col := func(name string) *Column { c, _ := k.Column(name); return c }
	if got := col("qualifier").Text(r); got != "exact" {
		t.Errorf("default qualifier %q, want exact", got)
	}
	if col("joint_ventures").Present(r) {
		t.Error("unset joint_ventures is present")
	}
	col("joint_ventures").SetInt(r, 0)
	if n, ok := col("joint_ventures").Int(r); !ok || n != 0 {
		t.Errorf("joint_ventures set to 0: got %d, %v (0 is a real count)", n, ok)
	}
	if got := col("kind").Text(r); got != "enterprise_count" {
		t.Errorf("kind column %q", got)
	}
	if !col("quote_verified").Present(r) {
		t.Error("a boolean is always present")
	}
}

func TestDescribe(t *testing.T) {
	k, _ := LookupKind("investment_total")
	for name, want := range map[string]string{
		"recipient": "required; ISO 3166-1 alpha-2 country code (such as KZ); different from investor",
		"qualifier": "required; default exact; one of exact, about, over, under",
		"page":      "optional; at least 1; at most 100000",
	} {
		c, _ := k.Column(name)
		if got := c.Describe(); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

// TestLookAlikeMessages: a value that differs from a word of its rule only
// by a look-alike says which character it is.
func TestLookAlikeMessages(t *testing.T) {
	r := validInvestment()
	r.Qualifier = "оver" // Cyrillic о
	r.Investor = "КZ"    // Cyrillic К
	r.Currency = "UЅD"   // Cyrillic Ѕ
	want := map[string]string{
		"qualifier": "contains Cyrillic о (U+043E) where over has o; write over",
		"investor":  "contains Cyrillic К (U+041A) where KZ has K; write KZ",
		"currency":  "contains Cyrillic Ѕ (U+0405) where USD has S; write USD",
	}
	errs := Validate(r)
	if len(errs) != len(want) {
		t.Fatalf("got %v, want problems of %v", errs, want)
	}
	for _, e := range errs {
		if !strings.Contains(e.Message, want[e.Field]) {
			t.Errorf("%s: %q does not say %q", e.Field, e.Message, want[e.Field])
		}
	}
}

// FuzzEnterpriseParts checks the sum rule against math/big for any counts,
// negative and past the contract's limit included: it fires exactly when
// the positive parts, summed without wrapping, exceed a non-negative total,
// and its message says that sum.
func FuzzEnterpriseParts(f *testing.F) {
	f.Add(int64(300), int64(48), int64(62), true, true)
	f.Add(int64(10), int64(math.MaxInt64), int64(math.MaxInt64), true, true)
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(1), true, true)
	f.Add(int64(0), int64(math.MinInt64), int64(1), true, false)
	f.Fuzz(func(t *testing.T, total, jv, ro int64, hasJV, hasRO bool) {
		r := validEnterprises()
		r.Enterprises, r.JointVentures, r.RepresentativeOffices = &total, nil, nil
		parts := new(big.Int)
		if hasJV {
			r.JointVentures = &jv
			if jv > 0 {
				parts.Add(parts, big.NewInt(jv))
			}
		}
		if hasRO {
			r.RepresentativeOffices = &ro
			if ro > 0 {
				parts.Add(parts, big.NewInt(ro))
			}
		}
		var message string
		fired := 0
		for _, e := range Validate(r) {
			if e.Rule == "sum_lte" {
				fired++
				message = e.Message
			}
		}
		want := total >= 0 && parts.Cmp(big.NewInt(total)) > 0
		if want != (fired == 1) || fired > 1 {
			t.Fatalf("enterprises %d, joint_ventures %d (%v), representative_offices %d (%v): sum_lte fired %d times, want %v",
				total, jv, hasJV, ro, hasRO, fired, want)
		}
		if want && !strings.Contains(message, "("+parts.String()+")") {
			t.Fatalf("message %q does not give the sum %s", message, parts)
		}
	})
}
