package figures

import (
	"fmt"
	"strings"
	"unicode"
)

// Claim is what a record says of its figures, independent of the record's
// schema.
type Claim struct {
	// Amount is the record's amount, or nil when its kind has none; Currency
	// its ISO 4217 code, or "" when it is not known (the record's currency
	// is broken): the amount is then checked without its currency.
	Amount   *Decimal
	Currency string
	// Counts are the record's counts ({"enterprises", 300}, …). The main
	// figure is Amount when set, else Counts[0].
	Counts []Count
	// Qualifier (exact, about, over, under) is that of the main figure, or
	// "" for none to check.
	Qualifier string
	// AsOf is the record's date, YYYY-MM-DD, or "".
	AsOf string
	// Derived holds the fields the record declares derived: they are not
	// checked against the quote. Deriving amount covers currency and
	// qualifier; deriving the main count covers qualifier.
	Derived map[string]bool
	// Dollar is what a bare "$" or "dollars" means in the source (an ISO
	// 4217 code), or "" for any dollar currency.
	Dollar string
}

// Count is one count of a record: its field (enterprises, joint_ventures,
// representative_offices, documents) and value.
type Count struct {
	Field string
	Value int64
}

// Result is what Check found: the words that state each field, and the
// problems.
type Result struct {
	Stated   []Stated
	Problems []Problem
}

// Stated names the words of the quote that state a field of the record.
type Stated struct {
	Field string
	Span
}

// Severity says how bad a problem is.
type Severity uint8

const (
	Error Severity = iota + 1
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding of Check, about one field of the record. Message
// is one line, without the field's name (the caller adds it).
type Problem struct {
	Field    string
	Rule     string
	Severity Severity
	Message  string
}

// The rules of Check's problems.
const (
	RuleStated        = "figure_stated"     // the quote does not state the figure
	RuleUnreadable    = "figure_unreadable" // the quote has a candidate for the field that cannot be read
	RuleDerivedStated = "derived_stated"    // a field declared derived is stated by the quote (a warning)
)

// Check reads the quote and checks the claim against it: see
// [Reading.Check].
func Check(quote string, c Claim) Result { return Read(quote).Check(c) }

// Check says whether the reading states the claim's figures:
//
//   - amount and currency: a money mention equal to the amount, in that
//     currency (a bare "$" is any dollar currency, or Claim.Dollar);
//   - each count: a count mention equal to it, bound to its field's noun
//     ("48 joint ventures and 62 representative offices" does not state 62
//     joint ventures); a change ("25 more") is no count;
//   - qualifier: the qualifier of the main figure's mention ("nearly" and
//     "almost" state about or under);
//   - as_of: the date the quote attaches to the main figure's mention
//     contains it, at the precision the quote gives.
//
// A field not stated is an error (RuleStated) that says what the quote does
// state, or RuleUnreadable when the quote has a candidate for the field it
// cannot read. A derived field is not checked, and is a warning
// (RuleDerivedStated) when the quote states it after all.
func (r Reading) Check(c Claim) Result {
	k := checker{r: r, c: c}
	k.res.Stated = make([]Stated, 0, 4+len(c.Counts)) // amount, currency, qualifier, as_of, counts
	main, mainSettled := k.amount()
	for i, cnt := range c.Counts {
		m, settled := k.count(cnt, c.Amount == nil && i == 0)
		if c.Amount == nil && i == 0 {
			main, mainSettled = m, settled
		}
	}
	if mainSettled {
		k.qualifier(main)
	}
	k.asOf(main, mainSettled)
	return k.res
}

type checker struct {
	r   Reading
	c   Claim
	res Result
}

func (k *checker) stated(field string, sp Span) {
	k.res.Stated = append(k.res.Stated, Stated{Field: field, Span: sp})
}

func (k *checker) problem(field, rule string, sev Severity, format string, args ...any) {
	k.res.Problems = append(k.res.Problems, Problem{Field: field, Rule: rule, Severity: sev,
		Message: fmt.Sprintf(format, args...)})
}

func (k *checker) derivedStated(field string, m *Mention) {
	k.problem(field, RuleDerivedStated, Warning, "derived: %s is stated by the quote (%s); remove it from derived",
		field, quoted(m.Span))
}

// currencyMatches says whether a mention's currency states the record's.
func (k *checker) currencyMatches(mentioned string) bool {
	switch {
	case k.c.Currency == "", mentioned == k.c.Currency:
		return true
	case mentioned == AnyDollar && k.c.Dollar != "":
		return k.c.Currency == k.c.Dollar
	}
	return inFamily(k.c.Currency, mentioned)
}

func (k *checker) qualifierMatches(m *Mention) bool {
	return k.c.Qualifier == "" || string(m.Qualifier) == k.c.Qualifier || m.Nearly && k.c.Qualifier == string(Under)
}

// amount checks amount and currency, and returns the mention of the amount
// when it is the main figure (nil when it is derived or not stated), and
// whether the main figure is settled here.
func (k *checker) amount() (*Mention, bool) {
	if k.c.Amount == nil {
		return nil, false
	}
	want := *k.c.Amount
	var best *Mention
	bestScore := -1
	for i := range k.r.Mentions {
		m := &k.r.Mentions[i]
		if m.Kind != KindMoney || !m.Readable() || m.Change || !m.Value.Equal(want) {
			continue
		}
		score := 0
		if k.currencyMatches(m.Currency) || k.c.Derived["currency"] {
			score += 2
		}
		if k.qualifierMatches(m) {
			score++
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	if k.c.Derived["amount"] {
		if best != nil && bestScore >= 2 {
			k.derivedStated("amount", best)
		}
		return nil, true
	}
	if best == nil {
		return k.amountNotStated(want), true
	}
	k.stated("amount", best.Span)
	switch {
	case k.c.Derived["currency"]:
		if k.currencyMatches(best.Currency) {
			k.derivedStated("currency", best)
		}
	case k.currencyMatches(best.Currency):
		k.stated("currency", best.Span)
	default:
		k.problem("currency", RuleStated, Error,
			"%s %s is not stated by the quote; it states %s (%s), the currency differs; fix the currency, "+
				"or declare it in derived with the reason", want, codeText(k.c.Currency), k.describe(best), quoted(best.Span))
	}
	return best, true
}

// amountNotStated reports an amount no money mention states; it returns
// the number that states the amount without a currency, if one does.
func (k *checker) amountNotStated(want Decimal) *Mention {
	record := strings.TrimSpace(want.String() + " " + codeText(k.c.Currency))
	for i := range k.r.Mentions {
		if m := &k.r.Mentions[i]; m.Kind == KindMoney && !m.Readable() {
			k.problem("amount", RuleUnreadable, Error,
				"%s is not among the amounts the quote states, and it has a money amount that cannot be read: %s (%s); "+
					"rewrite the quote as the source has it, or declare amount in derived with the reason",
				record, quoted(m.Span), m.Unreadable)
			return nil
		}
	}
	for i := range k.r.Mentions {
		if m := &k.r.Mentions[i]; m.Kind == KindNumber && m.Value.Equal(want) {
			k.stated("amount", m.Span)
			if k.c.Derived["currency"] {
				return m
			}
			k.problem("currency", RuleStated, Error,
				"%s is not stated by the quote; it states %s with no currency (%s); declare currency in derived with the reason",
				record, m.Value.Grouped(), quoted(m.Span))
			return m
		}
	}
	m := k.closest(KindMoney, NoNoun, want)
	if m == nil {
		k.problem("amount", RuleStated, Error,
			"%s is not stated by the quote, which states no money amount; fix the quote, or declare amount in derived with the reason", record)
		return nil
	}
	k.problem("amount", RuleStated, Error, "%s is not stated by the quote; it states %s (%s)%s; fix the figure, "+
		"or declare it in derived with the reason", record, k.describe(m), quoted(m.Span), k.slip(m, want))
	return nil
}

// count checks one count, and returns its mention (see amount).
func (k *checker) count(cnt Count, main bool) (*Mention, bool) {
	noun := NounOfField(cnt.Field)
	want := DecimalFromInt(cnt.Value)
	var best *Mention
	for i := range k.r.Mentions {
		m := &k.r.Mentions[i]
		if m.Kind != KindCount || !m.Readable() || m.Change || m.Noun != noun || !m.Value.Equal(want) {
			continue
		}
		if best == nil || main && !k.qualifierMatches(best) && k.qualifierMatches(m) {
			best = m
		}
	}
	if k.c.Derived[cnt.Field] {
		if best != nil {
			k.derivedStated(cnt.Field, best)
		}
		return nil, true
	}
	if best != nil {
		k.stated(cnt.Field, best.Span)
		return best, true
	}
	record := fmt.Sprintf("%d %s", cnt.Value, noun.words())
	for i := range k.r.Mentions {
		if m := &k.r.Mentions[i]; m.Kind == KindCount && m.Noun == noun && !m.Readable() {
			k.problem(cnt.Field, RuleUnreadable, Error,
				"%s is not among the counts the quote states, and it has a count of %s that cannot be read: %s (%s); "+
					"rewrite the quote as the source has it, or declare %s in derived with the reason",
				record, noun.words(), quoted(m.Span), m.Unreadable, cnt.Field)
			return nil, true
		}
	}
	m := k.closest(KindCount, noun, want)
	if m == nil {
		k.problem(cnt.Field, RuleStated, Error, "%s is not stated by the quote, which states no number of %s%s; "+
			"fix the figure, or declare %s in derived with the reason", record, noun.words(), k.otherNoun(noun, want), cnt.Field)
		return nil, true
	}
	k.problem(cnt.Field, RuleStated, Error, "%s is not stated by the quote; it states %s (%s)%s; fix the figure, "+
		"or declare it in derived with the reason", record, k.describe(m), quoted(m.Span), k.slip(m, want))
	return nil, true
}

// otherNoun says that the value is the quote's number of another noun, or
// a change, when it is.
func (k *checker) otherNoun(noun Noun, want Decimal) string {
	for i := range k.r.Mentions {
		m := &k.r.Mentions[i]
		if m.Readable() && m.Value.Equal(want) && m.Kind == KindCount && (m.Noun != noun || m.Change) {
			if m.Change {
				return fmt.Sprintf(", and %s is a change (%s), not a count", want, quoted(m.Span))
			}
			return fmt.Sprintf(", and %s is its number of %s (%s)", want, m.Noun.words(), quoted(m.Span))
		}
	}
	return ""
}

// closest returns the mention of the kind (and noun) that the record's
// value most likely slipped from: a change of the same value, one digit, a
// factor of 1000; else the first.
func (k *checker) closest(kind Kind, noun Noun, want Decimal) *Mention {
	var best *Mention
	bestScore := 0
	for i := range k.r.Mentions {
		m := &k.r.Mentions[i]
		if m.Kind != kind || !m.Readable() || kind == KindCount && m.Noun != noun {
			continue
		}
		score := 1
		if slipKind(m.Value, want) != "" || m.Value.Equal(want) {
			score = 3
		}
		if kind == KindMoney && k.currencyMatches(m.Currency) {
			score++
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	return best
}

// slip names the kind of slip between what the quote states and the
// record's value, as ", one digit differs", or "".
func (k *checker) slip(m *Mention, want Decimal) string {
	var notes []string
	if m.Value.Equal(want) && m.Change {
		notes = append(notes, "which is a change, not a total")
	}
	if s := slipKind(m.Value, want); s != "" {
		notes = append(notes, s)
	}
	if m.Kind == KindMoney && !k.currencyMatches(m.Currency) {
		notes = append(notes, "the currency differs")
	}
	if m.Kind == KindCount {
		if s := k.otherNoun(m.Noun, want); s != "" {
			notes = append(notes, strings.TrimPrefix(s, ", and "))
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return "; " + strings.Join(notes, "; ")
}

// slipKind says how stated and want differ when the difference looks like
// a slip: one digit, or a factor of 1000 or more.
func slipKind(stated, want Decimal) string {
	for _, p := range []int{3, 6, 9} {
		switch {
		case stated.shift(p).Equal(want):
			return fmt.Sprintf("the record's figure is %s times it", DecimalFromInt(1).shift(p).Grouped())
		case stated.shift(-p).Equal(want):
			return fmt.Sprintf("the record's figure is 1/%s of it", DecimalFromInt(1).shift(p).Grouped())
		}
	}
	a, b := stated.String(), want.String()
	if len(a) == len(b) && a != b {
		diff := 0
		for i := range len(a) {
			if a[i] != b[i] {
				diff++
			}
		}
		if diff == 1 {
			return "one digit differs"
		}
		if diff == 2 && transposed(a, b) {
			return "two digits are swapped"
		}
	}
	return ""
}

func transposed(a, b string) bool {
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// qualifier checks the main figure's qualifier.
func (k *checker) qualifier(main *Mention) {
	if main == nil || k.c.Qualifier == "" {
		return
	}
	if k.c.Derived["qualifier"] {
		if k.qualifierMatches(main) {
			k.derivedStated("qualifier", main)
		}
		return
	}
	if k.qualifierMatches(main) {
		sp := main.QualifierSpan
		if sp.Text == "" {
			sp = main.Span
		}
		k.stated("qualifier", sp)
		return
	}
	k.problem("qualifier", RuleStated, Error, "%s is not stated by the quote; it says %s (%s); fix the qualifier, "+
		"or declare it in derived with the reason", codeText(k.c.Qualifier), k.describe(main), quoted(main.Span))
}

// asOf checks the date of the main figure (or, when the main figure is
// derived or not stated, any date of the quote).
func (k *checker) asOf(main *Mention, settled bool) {
	if k.c.AsOf == "" {
		return
	}
	day, err := ParseDay(k.c.AsOf)
	if err != nil {
		return // the record's own validation reports it
	}
	var d *Date
	if main != nil && main.Date >= 0 {
		d = &k.r.Dates[main.Date]
	}
	if main == nil {
		for i := range k.r.Dates {
			if k.r.Dates[i].Contains(day) {
				d = &k.r.Dates[i]
				break
			}
		}
	}
	stated := d != nil && d.Contains(day)
	if k.c.Derived["as_of"] {
		if stated {
			k.problem("as_of", RuleDerivedStated, Warning, "derived: as_of is stated by the quote (%s); remove it from derived",
				quoted(d.Span))
		}
		return
	}
	switch {
	case stated:
		k.stated("as_of", d.Span)
	case d != nil && !d.Readable():
		k.problem("as_of", RuleUnreadable, Error, "%s is not stated by the quote: it dates the figure %s, which gives no "+
			"range of days (%s); declare as_of in derived with the reason", day, quoted(d.Span), d.Unreadable)
	case d != nil:
		k.problem("as_of", RuleStated, Error, "%s is not stated by the quote; it dates the figure %s (%s)%s; fix as_of, "+
			"or declare it in derived with the reason", day, d.describe(), quoted(d.Span), dateSlip(d, day))
	case len(k.r.Dates) == 0:
		k.problem("as_of", RuleStated, Error, "%s is not stated by the quote, which gives no date; declare as_of in "+
			"derived with the reason (for example, the date of the publication)", day)
	case main != nil:
		k.problem("as_of", RuleStated, Error, "%s is not stated by the quote: no date is in the clause of the figure "+
			"(%s), and %s belongs to none or to another; declare as_of in derived with the reason",
			day, quoted(main.Span), quoted(k.r.Dates[0].Span))
	default:
		first := &k.r.Dates[0]
		k.problem("as_of", RuleStated, Error, "%s is not stated by the quote; it gives %s (%s)%s; fix as_of, "+
			"or declare it in derived with the reason", day, first.describe(), quoted(first.Span), dateSlip(first, day))
	}
}

func (d *Date) describe() string {
	if !d.Readable() {
		return "no range of days"
	}
	if d.From == d.To {
		return d.From.String()
	}
	return fmt.Sprintf("%s to %s (a %s)", d.From, d.To, d.Precision)
}

// dateSlip names the part of the date that differs, when only one does.
func dateSlip(d *Date, day Day) string {
	if !d.Readable() {
		return ""
	}
	for _, alt := range []struct {
		name string
		day  Day
	}{
		{"the year differs", NewDay(d.From.Year(), day.Month(), day.DayOfMonth())},
		{"the month differs", NewDay(day.Year(), d.From.Month(), day.DayOfMonth())},
		{"the day differs", NewDay(day.Year(), day.Month(), d.From.DayOfMonth())},
	} {
		if alt.day != day && d.Contains(alt.day) {
			return "; " + alt.name
		}
	}
	return ""
}

// describe says what a mention states, as a message shows it: "about
// 3,000,000,000 USD", "over 300 enterprises".
func (k *checker) describe(m *Mention) string {
	var b strings.Builder
	if m.Qualifier != Exact && m.Qualifier != "" {
		b.WriteString(string(m.Qualifier))
		b.WriteByte(' ')
	}
	if m.Change {
		b.WriteString("a change of ")
	}
	b.WriteString(m.Value.Grouped())
	switch m.Kind {
	case KindMoney:
		b.WriteByte(' ')
		b.WriteString(k.currencyName(m.Currency))
	case KindCount:
		b.WriteByte(' ')
		b.WriteString(m.Noun.words())
	}
	return b.String()
}

// currencyName shows a mention's currency: its code, or for a family the
// record's code when it is one of the family (or the source's dollar),
// else the family's name.
func (k *checker) currencyName(cur string) string {
	if _, ok := families[cur]; !ok {
		return cur
	}
	if k.c.Currency != "" && k.currencyMatches(cur) {
		return codeText(k.c.Currency)
	}
	if cur == AnyDollar && k.c.Dollar != "" {
		return codeText(k.c.Dollar)
	}
	switch cur {
	case AnyDollar:
		return "dollars"
	case AnyRupee:
		return "rupees"
	}
	return "yen or yuan"
}

// quoted returns the span's text in quotes, its white space collapsed so
// that a message stays on one line.
func quoted(sp Span) string {
	return fmt.Sprintf("%q", strings.Join(strings.Fields(sp.Text), " "))
}

// codeText returns a code of the record (a currency, a qualifier) as a message
// shows it: as it is, or quoted when it holds anything but letters and
// digits, so that a message stays one line whatever the record holds.
func codeText(s string) string {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return fmt.Sprintf("%q", s)
		}
	}
	return s
}
