package schema

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	for _, tt := range []struct {
		in     string
		want   string // String() of the result, or "" for an error
		reason DecimalReason
	}{
		{"3000000000", "3000000000", 0},
		{"3e9", "3000000000", 0},
		{"3E+09", "3000000000", 0},
		{"2.50", "2.5", 0},
		{"-5", "-5", 0},
		{"+7", "7", 0},
		{".5", "0.5", 0},
		{"1.", "1", 0},
		{"0", "0", 0},
		{"-0.000", "0", 0},
		{"0.001", "0.001", 0},
		{"1e-3", "0.001", 0},
		{"1234.5e-2", "12.345", 0},
		{"9999999999999.99", "9999999999999.99", 0},
		{"123456789012.345", "123456789012.345", 0},
		{"999999999999999", "999999999999999", 0}, // 15 digits, out of the contract's range but held
		{"2e13", "20000000000000", 0},
		{"000123.4500", "123.45", 0},
		{"1000000000000000", "", OutOfRange},
		{"1e400", "", OutOfRange},
		{"1e999999999999", "", OutOfRange},
		{"-1e16", "", OutOfRange},
		{"1234567890123456", "", OutOfRange},
		{"1234567890123.456", "", TooManyDigits},
		{"9007199254740993", "", OutOfRange},
		{"0.1234567890123456", "", TooManyDigits},
		{"0.1234", "", TooManyPlaces},
		{"1e-4", "", TooManyPlaces},
		{"1e-999999999", "", TooManyPlaces},
		{"1.0001", "", TooManyPlaces},
		{".nan", "", NotFinite},
		{".inf", "", NotFinite},
		{"-.Inf", "", NotFinite},
		{"NaN", "", NotFinite},
		{"", "", NotANumber},
		{"-", "", NotANumber},
		{".", "", NotANumber},
		{"1e", "", NotANumber},
		{"1e+", "", NotANumber},
		{"0x10", "", NotANumber},
		{"1_000", "", NotANumber},
		{"1,000", "", NotANumber},
		{"3bn", "", NotANumber},
		{" 3", "", NotANumber},
		{"1..2", "", NotANumber},
		{"--1", "", NotANumber},
	} {
		d, err := ParseDecimal(tt.in)
		if tt.want != "" {
			if err != nil || d.String() != tt.want {
				t.Errorf("ParseDecimal(%q) = %v, %v; want %s", tt.in, d, err, tt.want)
			}
			continue
		}
		var de *DecimalError
		if !errors.As(err, &de) || de.Reason != tt.reason || !errors.Is(err, ErrDecimal) {
			t.Errorf("ParseDecimal(%q) = %v, %v; want reason %d", tt.in, d, err, tt.reason)
		}
	}
}

// TestDecimalExact checks, for random decimals of up to 15 significant
// digits and 3 places, that the text, the float64 and the fraction all
// say the same number, and that the float64s keep the decimals' order.
func TestDecimalExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	prev := Decimal{}
	for range 200000 {
		digits := 1 + rng.IntN(MaxDigits)
		coef := rng.Int64N(pow10i(digits))
		places := rng.IntN(MaxPlaces + 1)
		s := strconv.FormatInt(coef, 10)
		if places > 0 {
			for len(s) <= places {
				s = "0" + s
			}
			s = s[:len(s)-places] + "." + s[len(s)-places:]
		}
		d, err := ParseDecimal(s)
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", s, err)
		}
		r, _ := new(big.Rat).SetString(s)
		if d.Rat().Cmp(r) != 0 {
			t.Fatalf("%q: Rat %v, want %v", s, d.Rat(), r)
		}
		f := d.Float64()
		if want, _ := strconv.ParseFloat(s, 64); f != want {
			t.Fatalf("%q: Float64 %v, want the correctly rounded %v", s, f, want)
		}
		back, err := DecimalFromFloat(f)
		if err != nil || back != d {
			t.Fatalf("%q: DecimalFromFloat(%v) = %v, %v", s, f, back, err)
		}
		if c := d.Cmp(prev); c != cmpFloat(f, prev.Float64()) {
			t.Fatalf("%q vs %v: Cmp %d, floats compare %d", s, prev, c, cmpFloat(f, prev.Float64()))
		}
		again, err := ParseDecimal(d.String())
		if err != nil || again != d {
			t.Fatalf("%q: String %q parses to %v, %v", s, d.String(), again, err)
		}
		prev = d
	}
}

func pow10i(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestDecimalFromMilli(t *testing.T) {
	for _, tt := range []struct {
		milli int64
		want  string
		ok    bool
	}{
		{3000000000000, "3000000000", true},
		{1, "0.001", true},
		{-2500, "-2.5", true},
		{9999999999999990, "9999999999999.99", true},
		{1234567890123456, "", false}, // 16 digits
		{1e18, "", false},
	} {
		d, err := DecimalFromMilli(tt.milli)
		if tt.ok != (err == nil) || tt.ok && d.String() != tt.want {
			t.Errorf("DecimalFromMilli(%d) = %v, %v; want %s (ok %v)", tt.milli, d, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"3000000000", "2.5", "1e-3", "1e400", "0.1234", ".nan", "-0", "9999999999999.99", "1e999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if !errors.Is(err, ErrDecimal) {
				t.Fatalf("ParseDecimal(%q): error %v does not wrap ErrDecimal", s, err)
			}
			return
		}
		// Whatever was accepted is a number of the contract's precision,
		// and says the same as the text.
		if d.digits() > MaxDigits {
			t.Fatalf("ParseDecimal(%q) = %v: %d digits", s, d, d.digits())
		}
		// A zero may carry any exponent ("0e999999999"), which big.Rat
		// would compute; other accepted texts have a small one.
		if want, ok := new(big.Rat).SetString(s); d.Sign() != 0 && ok && want.Cmp(d.Rat()) != 0 {
			t.Fatalf("ParseDecimal(%q) = %v, but the text is %v", s, d, want.FloatString(6))
		}
		again, err := ParseDecimal(d.String())
		if err != nil || again != d {
			t.Fatalf("%q: String %q parses to %v, %v", s, d.String(), again, err)
		}
	})
}
