package figures

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number: a mantissa times a power of ten. The
// zero value is 0. Values are kept normalised (no trailing zeros in the
// mantissa), so two Decimals are equal exactly when [Decimal.Equal] says so,
// and == on Decimals without a big mantissa agrees with it.
//
// A scale word only moves the exponent ("3bn" is 3 × 10^9), so a figure of
// any size is exact; a mantissa past int64 (more than 18 significant
// digits) falls back to math/big.
type Decimal struct {
	mant int64
	exp  int32
	big  *big.Int // the mantissa when it does not fit mant; never a multiple of 10
}

// ParseDecimal reads a plain decimal number: an optional "-", digits, and an
// optional "." and digits ("3000000000", "1234.5", "0.25"). It reads what a
// record holds, not what a quote says (see [Read] for that).
func ParseDecimal(s string) (Decimal, error) {
	digits, neg := s, false
	if strings.HasPrefix(digits, "-") {
		digits, neg = digits[1:], true
	}
	intPart, frac, hasPoint := strings.Cut(digits, ".")
	if intPart == "" && frac == "" || hasPoint && frac == "" {
		return Decimal{}, fmt.Errorf("decimal %q: want digits with an optional fraction, like 1234.5", s)
	}
	var b []byte
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return Decimal{}, fmt.Errorf("decimal %q: %q is not a digit", s, part[i])
			}
		}
	}
	b = append(append(b, intPart...), frac...)
	d := decimalFromDigits(b, -len(frac))
	if neg {
		d = d.neg()
	}
	return d, nil
}

// MustDecimal is ParseDecimal for constants known to be valid; it panics
// otherwise.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromMilli returns m thousandths as a Decimal: a record's amount
// (schema.Decimal.Milli) without going through its text.
func DecimalFromMilli(m int64) Decimal { return newDecimal(m, -3) }

// DecimalFromInt returns n as a Decimal.
func DecimalFromInt(n int64) Decimal { return newDecimal(n, 0) }

// DecimalFromFloat returns the shortest decimal that reads back as f (3e9
// is 3000000000, 0.1 is 0.1): the number a person wrote where a float64 holds
// it. NaN and infinities are an error.
func DecimalFromFloat(f float64) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, errors.New("decimal: not a finite number")
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±x
	mant, e, _ := strings.Cut(s, "e")
	exp, err := strconv.Atoi(e)
	if err != nil {
		return Decimal{}, fmt.Errorf("decimal: %v", err)
	}
	d, err := ParseDecimal(mant)
	if err != nil {
		return Decimal{}, err
	}
	return d.shift(exp), nil
}

// newDecimal returns mant × 10^exp, normalised.
func newDecimal(mant int64, exp int) Decimal {
	if mant == 0 {
		return Decimal{}
	}
	for mant%10 == 0 {
		mant /= 10
		exp++
	}
	return Decimal{mant: mant, exp: int32(exp)}
}

// decimalFromDigits returns the ASCII digits times 10^exp.
func decimalFromDigits(digits []byte, exp int) Decimal {
	var m int64
	for i, c := range digits {
		if m > (math.MaxInt64-9)/10 {
			return bigDecimal(digits[i:], m, exp)
		}
		m = m*10 + int64(c-'0')
	}
	return newDecimal(m, exp)
}

// bigDecimal finishes decimalFromDigits past int64: m so far, then rest.
func bigDecimal(rest []byte, m int64, exp int) Decimal {
	b := big.NewInt(m)
	ten := big.NewInt(10)
	for _, c := range rest {
		b.Mul(b, ten)
		b.Add(b, big.NewInt(int64(c-'0')))
	}
	return normBig(b, exp)
}

// normBig normalises b × 10^exp, back to int64 when it fits.
func normBig(b *big.Int, exp int) Decimal {
	if b.Sign() == 0 {
		return Decimal{}
	}
	ten := big.NewInt(10)
	q, r := new(big.Int), new(big.Int)
	for {
		q.QuoRem(b, ten, r)
		if r.Sign() != 0 {
			break
		}
		b.Set(q)
		exp++
	}
	if b.IsInt64() {
		return Decimal{mant: b.Int64(), exp: int32(exp)}
	}
	return Decimal{big: b, exp: int32(exp)}
}

// add returns d + e (for the few sums the reader makes: "4 billion 280
// million"), exactly.
func (d Decimal) add(e Decimal) Decimal {
	if d.IsZero() {
		return e
	}
	if e.IsZero() {
		return d
	}
	exp := min(d.exp, e.exp)
	scale := func(x Decimal) *big.Int {
		m := x.bigMant()
		return m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.exp-exp)), nil))
	}
	return normBig(new(big.Int).Add(scale(d), scale(e)), int(exp))
}

// shift returns d × 10^k: what a scale word does.
func (d Decimal) shift(k int) Decimal {
	if d.IsZero() {
		return d
	}
	d.exp += int32(k)
	return d
}

// neg returns -d, normalised: -(2^63) has an int64 mantissa, and 2^63 not.
func (d Decimal) neg() Decimal {
	if d.big != nil || d.mant == math.MinInt64 {
		return normBig(new(big.Int).Neg(d.bigMant()), int(d.exp))
	}
	d.mant = -d.mant
	return d
}

// IsZero says whether d is 0.
func (d Decimal) IsZero() bool { return d.big == nil && d.mant == 0 }

// Equal says whether d and e are the same number.
func (d Decimal) Equal(e Decimal) bool {
	if d.big == nil || e.big == nil {
		return d.big == nil && e.big == nil && d.mant == e.mant && d.exp == e.exp
	}
	return d.exp == e.exp && d.big.Cmp(e.big) == 0
}

// Cmp compares d and e: -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int { return d.rat().Cmp(e.rat()) }

// rat returns d as a big.Rat (for comparisons, off the hot path).
func (d Decimal) rat() *big.Rat {
	m := d.bigMant()
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(int(d.exp)))), nil)
	if d.exp >= 0 {
		return new(big.Rat).SetInt(m.Mul(m, p))
	}
	return new(big.Rat).SetFrac(m, p)
}

func (d Decimal) bigMant() *big.Int {
	if d.big != nil {
		return new(big.Int).Set(d.big)
	}
	return big.NewInt(d.mant)
}

// Int64 returns d as an int64, and whether it is an integer that fits.
func (d Decimal) Int64() (int64, bool) {
	if d.big != nil || d.exp < 0 {
		return 0, false
	}
	n := d.mant
	for range d.exp {
		if n > math.MaxInt64/10 || n < math.MinInt64/10 {
			return 0, false
		}
		n *= 10
	}
	return n, true
}

// IsInteger says whether d has no fraction.
func (d Decimal) IsInteger() bool { return d.exp >= 0 }

// String returns d as a plain decimal, with no exponent and no grouping:
// "3000000000", "1234.5", "-0.25".
func (d Decimal) String() string { return d.format(false) }

// Grouped returns d with its thousands grouped by commas, as messages show
// it: "3,000,000,000", "1,234.5".
func (d Decimal) Grouped() string { return d.format(true) }

func (d Decimal) format(group bool) string {
	digits := d.bigMant().String()
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var intPart, frac string
	switch e := int(d.exp); {
	case e >= 0:
		intPart = digits + strings.Repeat("0", e)
	case -e < len(digits):
		intPart, frac = digits[:len(digits)+e], digits[len(digits)+e:]
	default:
		intPart, frac = "0", strings.Repeat("0", -e-len(digits))+digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(intPart) {
		if group && i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(intPart[i])
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
