package sqltables

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is what a Check tests.
type Op int

// The checks.
const (
	enum      Op = iota // columns[0] IN values
	length              // min <= characters of columns[0] <= max
	count               // min <= values of the list columns[0] <= max
	pattern             // columns[0] matches the regular expression pattern
	gte                 // columns[0] >= bound
	gt                  // columns[0] > bound
	lte                 // columns[0] <= bound
	lt                  // columns[0] < bound
	notEqual            // columns[0] <> columns[1]
	atMost              // columns[0] <= columns[1]
	sumAtMost           // the sum of columns[:n-1] (absent ones 0) <= columns[n-1]
)

// Check is one condition on a row, which each Dialect writes as SQL.
type Check struct {
	op       Op
	columns  []string
	values   []string
	min, max any // int64 or nil
	bound    any // int64 or float64
	pattern  string
}

// SQL writes the check as a boolean SQL expression of dialect d.
func (c Check) SQL(d Dialect) string {
	col := func(i int) string { return d.Quote(c.columns[i]) }
	switch c.op {
	case enum:
		quoted := make([]string, len(c.values))
		for i, v := range c.values {
			quoted[i] = literal(v)
		}
		return col(0) + " IN (" + strings.Join(quoted, ", ") + ")"
	case length:
		return between("length("+col(0)+")", c.min, c.max)
	case count:
		n := "cardinality(" + col(0) + ")"
		if d == SQLite {
			n = "json_array_length(" + col(0) + ")"
		}
		return between(n, c.min, c.max)
	case pattern:
		if d == SQLite {
			return globExpr(col(0), c.pattern)
		}
		return col(0) + " ~ " + literal(c.pattern)
	case gte, gt, lte, lt:
		return col(0) + " " + [...]string{gte: ">=", gt: ">", lte: "<=", lt: "<"}[c.op] + " " + number(c.bound)
	case notEqual:
		return col(0) + " <> " + col(1)
	case atMost:
		return col(0) + " <= " + col(1)
	case sumAtMost:
		n := len(c.columns) - 1
		parts := make([]string, n)
		for i := range n {
			parts[i] = "coalesce(" + col(i) + ", 0)"
		}
		return strings.Join(parts, " + ") + " <= " + col(n)
	}
	panic(fmt.Sprintf("sqltables: unknown check %d", c.op))
}

func between(x string, min, max any) string {
	switch {
	case min != nil && max != nil:
		if min == max {
			return x + " = " + number(min)
		}
		return x + " BETWEEN " + number(min) + " AND " + number(max)
	case min != nil:
		return x + " >= " + number(min)
	}
	return x + " <= " + number(max)
}

// number writes a bound without an exponent: 1e13 as 10000000000000.
func number(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	panic(fmt.Sprintf("sqltables: bound %v (%T) is not a number", v, v))
}

// literal writes s as an SQL string literal.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// globExpr translates a regular expression of schema.Constraints into an
// SQLite expression on x that holds exactly when x matches it: SQLite has
// no regular expressions without an extension (which a reader such as
// Python's sqlite3 would not have when it writes to the file), but it has
// GLOB, length and substr. The patterns the contract uses are sequences of
// single characters (literals, classes), each repeated a counted number of
// times, anchored at the start and often at the end; so
//
//	^[a-z0-9][a-z0-9-]{0,63}$  →  x GLOB '[a-z0-9]*' AND length(x) <= 64 AND substr(x, 2) NOT GLOB '*[^-0-9a-z]*'
//	^[Hh][Tt][Tt][Pp][Ss]?://  →  x GLOB '[Hh][Tt][Tt][Pp]://*' OR x GLOB '[Hh][Tt][Tt][Pp][Ss]://*'
//
// An optional character expands into two alternatives; a repeat of more
// than one count is allowed only last. Another shape panics: the package's
// tests translate every pattern of the schema, so a new one that cannot be
// said in GLOB is found there. Written by hand: no library translates
// regular expressions into GLOB.
func globExpr(x, pattern string) string {
	alts, err := globAlternatives(pattern)
	if err != nil {
		panic(fmt.Sprintf("sqltables: pattern %q: %v", pattern, err))
	}
	var ors []string
	for _, a := range alts {
		ors = append(ors, a.sql(x))
	}
	if len(ors) == 1 {
		return ors[0]
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// item is one character class repeated min to max times (max -1: any).
type item struct {
	class    []rune // ranges, as syntax.Regexp.Rune
	min, max int
}

// globAlt is one alternative: fixed characters, then rest repeated.
type globAlt struct {
	fixed []item // each exactly once
	rest  *item  // nil when the alternative is fixed
	open  bool   // anything may follow (the pattern is not anchored at the end)
}

func globAlternatives(pattern string) ([]globAlt, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, err
	}
	var subs []*syntax.Regexp
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	} else {
		subs = []*syntax.Regexp{re}
	}
	if len(subs) == 0 || subs[0].Op != syntax.OpBeginText {
		return nil, fmt.Errorf("not anchored at the start")
	}
	subs = subs[1:]
	open := true
	if n := len(subs); n > 0 && subs[n-1].Op == syntax.OpEndText {
		open, subs = false, subs[:n-1]
	}
	var items []item
	for _, s := range subs {
		its, err := items1(s)
		if err != nil {
			return nil, err
		}
		items = append(items, its...)
	}
	alts := []globAlt{{open: open}}
	for i, it := range items {
		switch {
		case it.min == it.max:
			for range it.min {
				for j := range alts {
					alts[j].fixed = append(alts[j].fixed, item{class: it.class, min: 1, max: 1})
				}
			}
		case it.min == 0 && it.max == 1 && i < len(items)-1:
			var more []globAlt
			for _, a := range alts {
				b := a
				b.fixed = append(append([]item(nil), a.fixed...), item{class: it.class, min: 1, max: 1})
				more = append(more, b)
			}
			alts = append(alts, more...)
		case i == len(items)-1:
			for j := range alts {
				r := it
				alts[j].rest = &r
			}
		default:
			return nil, fmt.Errorf("a repeat other than the last one")
		}
	}
	return alts, nil
}

// items1 turns one part of a concatenation into items.
func items1(re *syntax.Regexp) ([]item, error) {
	switch re.Op {
	case syntax.OpLiteral:
		var out []item
		for _, r := range re.Rune {
			class := []rune{r, r}
			if re.Flags&syntax.FoldCase != 0 { // [Hh] is a literal H in any case
				class = foldClass(r)
			}
			out = append(out, item{class: class, min: 1, max: 1})
		}
		return out, nil
	case syntax.OpCharClass:
		return []item{{class: re.Rune, min: 1, max: 1}}, nil
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return []item{{class: []rune{0, utf8.MaxRune}, min: 1, max: 1}}, nil
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		inner, err := items1(re.Sub[0])
		if err != nil || len(inner) != 1 {
			return nil, fmt.Errorf("a repeat of more than one character")
		}
		it := inner[0]
		switch re.Op {
		case syntax.OpStar:
			it.min, it.max = 0, -1
		case syntax.OpPlus:
			it.min, it.max = 1, -1
		case syntax.OpQuest:
			it.min, it.max = 0, 1
		default:
			it.min, it.max = re.Min, re.Max
		}
		return []item{it}, nil
	}
	return nil, fmt.Errorf("%v is not a character or a repeat of one", re.Op)
}

// foldClass returns the ranges of r in every case.
func foldClass(r rune) []rune {
	runes := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		runes = append(runes, f)
	}
	slices.Sort(runes)
	var class []rune
	for _, c := range runes {
		class = append(class, c, c)
	}
	return class
}

func (a globAlt) sql(x string) string {
	var glob []string // pieces of the GLOB pattern, as SQL expressions
	for _, it := range a.fixed {
		glob = append(glob, globClass(it.class))
	}
	var conds []string
	n := len(a.fixed)
	tail := a.open
	if r := a.rest; r != nil {
		for range r.min {
			glob = append(glob, globClass(r.class))
		}
		if r.max != r.min {
			tail = true
		}
		if !a.open {
			if r.max >= 0 {
				conds = append(conds, fmt.Sprintf("length(%s) <= %d", x, n+r.max))
			}
			if !anyChar(r.class) && r.max != r.min {
				rest := x
				if n > 0 {
					rest = fmt.Sprintf("substr(%s, %d)", x, n+1)
				}
				conds = append(conds, rest+" NOT GLOB "+concat([]string{literal("*"), globClass(complement(r.class)), literal("*")}))
			}
		}
	}
	if tail {
		glob = append(glob, literal("*"))
	}
	if g := concat(glob); g != literal("*") {
		conds = append([]string{x + " GLOB " + g}, conds...)
	}
	if len(conds) == 0 {
		return "1"
	}
	return strings.Join(conds, " AND ")
}

func anyChar(class []rune) bool {
	return len(class) == 2 && class[0] <= 1 && class[1] == utf8.MaxRune
}

// globClass writes a GLOB pattern piece that matches one character of
// class: a single character, [a-z0-9-], [^...] when the class is most
// characters (so that the text without control characters is not
// written as ranges up to U+10FFFF), or ? for any character.
func globClass(class []rune) string {
	if anyChar(class) {
		return literal("?")
	}
	if len(class) == 2 && class[0] == class[1] && !strings.ContainsRune("*?[]", class[0]) {
		return globChars(class)
	}
	if class[len(class)-1] == utf8.MaxRune {
		return concat([]string{literal("[^"), globChars(complement(class)), literal("]")})
	}
	return concat([]string{literal("["), globChars(class), literal("]")})
}

// globChars writes the ranges of a class for inside [...] (or a single
// character): '-' last, where GLOB reads it as itself (no pattern of the
// contract has a ']', which would have to come first). Characters that are
// not graphic go in as char(n), so that the DDL stays readable; NUL, which
// ends a pattern, becomes U+0001 (SQLite text does not hold one anyway).
func globChars(class []rune) string {
	var pieces []string
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			pieces = append(pieces, literal(lit.String()))
			lit.Reset()
		}
	}
	put := func(r rune) {
		switch {
		case r == ']':
			panic("sqltables: a character class with ] cannot be written in GLOB here")
		case r == 0:
			r = 1
			fallthrough
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r > 0xFFFD && r <= 0xFFFF):
			flush()
			pieces = append(pieces, fmt.Sprintf("char(%d)", r))
			return
		}
		lit.WriteRune(r)
	}
	dash := false
	for i := 0; i+1 < len(class); i += 2 {
		lo, hi := class[i], class[i+1]
		if lo == '-' {
			dash, lo = true, lo+1
		}
		if hi == '-' {
			dash, hi = true, hi-1
		}
		if lo > hi {
			continue
		}
		put(lo)
		if hi > lo {
			if hi > lo+1 {
				lit.WriteByte('-')
			}
			put(hi)
		}
	}
	if dash {
		lit.WriteByte('-')
	}
	flush()
	return concat(pieces)
}

// complement returns the ranges of the characters not in class.
func complement(class []rune) []rune {
	var out []rune
	next := rune(0)
	for i := 0; i+1 < len(class); i += 2 {
		if class[i] > next {
			out = append(out, next, class[i]-1)
		}
		next = class[i+1] + 1
	}
	if next <= utf8.MaxRune {
		out = append(out, next, utf8.MaxRune)
	}
	return out
}

// concat joins SQL string expressions with ||, merging adjacent literals,
// in parentheses when more than one piece is left. The pieces are
// literals, char(n) and what concat returned (whose literals hold no
// " || " and no parentheses: they are characters of a class).
func concat(pieces []string) string {
	var out []string
	for _, p := range pieces {
		if strings.HasPrefix(p, "(") {
			p = p[1 : len(p)-1]
		}
		for _, q := range strings.Split(p, " || ") {
			if n := len(out); n > 0 && isLiteral(out[n-1]) && isLiteral(q) {
				out[n-1] = out[n-1][:len(out[n-1])-1] + q[1:]
				continue
			}
			out = append(out, q)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return "(" + strings.Join(out, " || ") + ")"
}

func isLiteral(p string) bool { return len(p) >= 2 && p[0] == '\'' && p[len(p)-1] == '\'' }
