package schema

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// The precision of an amount, as the contract fixes it: what a spreadsheet
// (15 significant digits) and every output format hold exactly.
const (
	// MaxDigits bounds the significant digits of a Decimal.
	MaxDigits = 15
	// MaxPlaces bounds its decimal places.
	MaxPlaces = 3
)

// maxMilli bounds a Decimal's magnitude: below 1e15, far above the
// contract's largest amount (1e13), so that a value over that bound is
// still held and refused by validation (rule lte) with its own value.
const maxMilli = 1e18

// Decimal is an exact decimal number of at most MaxDigits significant
// digits and MaxPlaces decimal places, smaller than 1e15 in magnitude: an
// amount of money. Every Decimal is held exactly by a float64, a
// spreadsheet cell, JSON and DECIMAL(18,3); ParseDecimal refuses what is
// not. The zero value is 0.
type Decimal struct {
	milli int64 // the value in thousandths
}

// DecimalError says why a text is not a Decimal.
type DecimalError struct {
	// Text is the text parsed.
	Text string
	// Reason is one of the Decimal reasons below.
	Reason DecimalReason
	// Digits and Places count what the text holds, for ErrDigits and
	// ErrPlaces.
	Digits, Places int
}

// DecimalReason is why a text is not a Decimal.
type DecimalReason int

// The reasons a text is not a Decimal.
const (
	// NotANumber: the text is not a decimal number (nor NaN or infinity).
	NotANumber DecimalReason = iota
	// NotFinite: the text is NaN or an infinity.
	NotFinite
	// TooManyDigits: more than MaxDigits significant digits.
	TooManyDigits
	// TooManyPlaces: more than MaxPlaces decimal places.
	TooManyPlaces
	// OutOfRange: 1e15 or more in magnitude.
	OutOfRange
)

func (e *DecimalError) Error() string {
	switch e.Reason {
	case NotFinite:
		return fmt.Sprintf("%s is not a finite number", e.Text)
	case TooManyDigits:
		return fmt.Sprintf("%s has %d significant digits, more than the %d that every output holds exactly", e.Text, e.Digits, MaxDigits)
	case TooManyPlaces:
		if e.Places <= MaxPlaces || e.Places > 1000 { // not counted exactly
			return fmt.Sprintf("%s has more than %d decimal places", e.Text, MaxPlaces)
		}
		return fmt.Sprintf("%s has %d decimal places, more than %d", e.Text, e.Places, MaxPlaces)
	case OutOfRange:
		return fmt.Sprintf("%s is out of range", e.Text)
	}
	return fmt.Sprintf("%s is not a decimal number", e.Text)
}

// ErrDecimal is wrapped by every *DecimalError, for errors.Is.
var ErrDecimal = errors.New("not an exact decimal")

// Unwrap returns ErrDecimal.
func (e *DecimalError) Unwrap() error { return ErrDecimal }

// ParseDecimal reads a decimal number written in digits, with an optional
// sign, fraction and exponent ("3000000000", "-2.5", "3e9", "1.5E+3"), or
// YAML's .nan and .inf (refused as not finite). It refuses, with a
// *DecimalError, a number that needs more than MaxDigits significant digits
// or MaxPlaces places, or is 1e15 or more: it never rounds.
//
// Written by hand rather than with math/big or a decimal library: the
// exponent is bounded before anything is computed (a hostile "1e999999999"
// costs nothing), and what is counted (significant digits, places) is what
// the contract's rule is about.
func ParseDecimal(s string) (Decimal, error) {
	fail := func(r DecimalReason) (Decimal, error) { return Decimal{}, &DecimalError{Text: s, Reason: r} }
	switch s {
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "NaN", "Inf", "+Inf", "-Inf", "Infinity", "-Infinity":
		return fail(NotFinite)
	}
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	// The digits, as one run without the point: digits[k] is the kth digit.
	var digits []byte
	point := -1 // digits before the point, -1 when there is none
scan:
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits = append(digits, c)
		case c == '.' && point < 0:
			point = len(digits)
		default:
			break scan
		}
	}
	if len(digits) == 0 {
		return fail(NotANumber)
	}
	if point < 0 {
		point = len(digits)
	}
	exp := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return fail(NotANumber)
		}
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return fail(NotANumber)
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return fail(NotANumber)
			}
			if exp < 1e6 { // past that, the number is out of range or has too many places
				exp = exp*10 + int(c-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	// The value is 0.digits × 10^(point+exp). Leading and trailing zeros
	// are not significant.
	lead := 0
	for lead < len(digits) && digits[lead] == '0' {
		lead++
	}
	trail := len(digits)
	for trail > lead && digits[trail-1] == '0' {
		trail--
	}
	if lead == trail {
		return Decimal{}, nil // zero, however written
	}
	sig := digits[lead:trail]
	// intDigits is the number of digits before the point once the exponent
	// is applied, counted from the first significant digit.
	intDigits := point + exp - lead
	places := max(len(sig)-intDigits, 0)
	switch {
	case intDigits > 15:
		return fail(OutOfRange)
	case len(sig) > MaxDigits:
		return Decimal{}, &DecimalError{Text: s, Reason: TooManyDigits, Digits: len(sig)}
	case places > MaxPlaces:
		return Decimal{}, &DecimalError{Text: s, Reason: TooManyPlaces, Places: places}
	}
	var milli int64
	for _, c := range sig {
		milli = milli*10 + int64(c-'0')
	}
	for range intDigits + MaxPlaces - len(sig) {
		milli *= 10
	}
	if milli >= maxMilli {
		return fail(OutOfRange)
	}
	if neg {
		milli = -milli
	}
	return Decimal{milli: milli}, nil
}

// MustDecimal is ParseDecimal for constants; it panics on an error.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalOf returns the whole number n as a Decimal; it fails like
// ParseDecimal for a number of more than MaxDigits digits.
func DecimalOf(n int64) (Decimal, error) { return ParseDecimal(strconv.FormatInt(n, 10)) }

// DecimalFromMilli returns the Decimal of m thousandths; it fails like
// ParseDecimal for more than MaxDigits significant digits or a magnitude
// of 1e15 or more.
func DecimalFromMilli(m int64) (Decimal, error) {
	d := Decimal{milli: m}
	if m <= -maxMilli || m >= maxMilli {
		return Decimal{}, &DecimalError{Text: d.String(), Reason: OutOfRange}
	}
	if n := d.digits(); n > MaxDigits {
		return Decimal{}, &DecimalError{Text: d.String(), Reason: TooManyDigits, Digits: n}
	}
	return d, nil
}

// digits counts d's significant digits.
func (d Decimal) digits() int {
	m := d.milli
	if m < 0 {
		m = -m
	}
	for m != 0 && m%10 == 0 {
		m /= 10
	}
	n := 0
	for ; m != 0; m /= 10 {
		n++
	}
	return n
}

// Milli returns the value in thousandths: the unscaled value of a
// DECIMAL(18,3).
func (d Decimal) Milli() int64 { return d.milli }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	switch {
	case d.milli < 0:
		return -1
	case d.milli > 0:
		return 1
	}
	return 0
}

// Cmp compares d and e: -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	switch {
	case d.milli < e.milli:
		return -1
	case d.milli > e.milli:
		return 1
	}
	return 0
}

// String writes the number in plain decimal, without exponent or trailing
// zeros: "3000000000", "2.5", "-0.001".
func (d Decimal) String() string { return string(d.AppendText(nil)) }

// AppendText appends String's text to b.
func (d Decimal) AppendText(b []byte) []byte {
	m := d.milli
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/1000, 10)
	if frac := m % 1000; frac != 0 {
		var f [4]byte
		f[0] = '.'
		f[1], f[2], f[3] = byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10)
		n := 4
		for f[n-1] == '0' {
			n--
		}
		b = append(b, f[:n]...)
	}
	return b
}

// MarshalText writes String's text, so that encoding/json and the like
// write a Decimal as its digits.
func (d Decimal) MarshalText() ([]byte, error) { return d.AppendText(nil), nil }

// Float64 returns the float64 nearest d. Every Decimal is held exactly in
// the sense that matters: the float64 formats back to d's digits with 15
// significant digits, and distinct Decimals give distinct float64s in the
// same order.
func (d Decimal) Float64() float64 {
	const exact = 1 << 53
	if -exact < d.milli && d.milli < exact {
		// Both operands are exact, and an IEEE division is correctly
		// rounded: one rounding, as strconv.ParseFloat would make.
		return float64(d.milli) / 1000
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Rat returns d as an exact fraction.
func (d Decimal) Rat() *big.Rat { return big.NewRat(d.milli, 1000) }

// DecimalFromFloat returns the Decimal a float64 stands for when it was
// read from 15 significant digits (a spreadsheet cell): the float rounded
// to 15 digits, then parsed. It fails like ParseDecimal.
func DecimalFromFloat(f float64) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, &DecimalError{Text: strconv.FormatFloat(f, 'g', -1, 64), Reason: NotFinite}
	}
	return ParseDecimal(strconv.FormatFloat(f, 'g', MaxDigits, 64))
}
