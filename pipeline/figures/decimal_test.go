package figures

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

func TestDecimal(t *testing.T) {
	tests := []struct {
		in, plain, grouped string
	}{
		{"3000000000", "3000000000", "3,000,000,000"},
		{"1234.5", "1234.5", "1,234.5"},
		{"1234.50", "1234.5", "1,234.5"},
		{"0.25", "0.25", "0.25"},
		{".5", "0.5", "0.5"},
		{"-2", "-2", "-2"},
		{"0", "0", "0"},
		{"000", "0", "0"},
		{"123456789012345678901234567890", "123456789012345678901234567890", "123,456,789,012,345,678,901,234,567,890"},
		{"12345678901234567890.5", "12345678901234567890.5", "12,345,678,901,234,567,890.5"},
	}
	for _, tc := range tests {
		d, err := ParseDecimal(tc.in)
		if err != nil {
			t.Errorf("ParseDecimal(%q): %v", tc.in, err)
			continue
		}
		if got := d.String(); got != tc.plain {
			t.Errorf("ParseDecimal(%q).String() = %q, want %q", tc.in, got, tc.plain)
		}
		if got := d.Grouped(); got != tc.grouped {
			t.Errorf("ParseDecimal(%q).Grouped() = %q, want %q", tc.in, got, tc.grouped)
		}
		again, _ := ParseDecimal(d.String())
		if !again.Equal(d) || again.Cmp(d) != 0 {
			t.Errorf("%q does not read back equal", d)
		}
	}
	for _, bad := range []string{"", "-", ".", "1.", "1e9", "1,000", "+1", "1.2.3", "--1", "١٢"} {
		if _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded", bad)
		}
	}
}

func TestDecimalEquality(t *testing.T) {
	three := MustDecimal("3000000000")
	if !three.Equal(MustDecimal("3").shift(9)) || !three.Equal(MustDecimal("3000000000.000")) {
		t.Error("3e9 written three ways is not equal")
	}
	for _, other := range []string{"3000000001", "300000000", "4000000000", "2999999999.999"} {
		if three.Equal(MustDecimal(other)) || three.Cmp(MustDecimal(other)) == 0 {
			t.Errorf("3000000000 equals %s", other)
		}
	}
	if MustDecimal("8").Cmp(MustDecimal("10")) >= 0 || MustDecimal("10").Cmp(MustDecimal("8")) <= 0 {
		t.Error("Cmp orders 8 and 10 wrong")
	}
	big := MustDecimal("123456789012345678901234567890")
	if big.Equal(MustDecimal("123456789012345678901234567891")) || !big.Equal(MustDecimal("12345678901234567890123456789").shift(1)) {
		t.Error("big mantissas compare wrong")
	}
	if n, ok := MustDecimal("3000000000").Int64(); !ok || n != 3e9 {
		t.Errorf("Int64 = %d, %v", n, ok)
	}
	if _, ok := MustDecimal("1.5").Int64(); ok {
		t.Error("1.5 is an int64")
	}
	if _, ok := big.Int64(); ok {
		t.Error("a 30-digit number is an int64")
	}
}

func TestDecimalFromFloat(t *testing.T) {
	for f, want := range map[float64]string{3e9: "3000000000", 0.1: "0.1", 1234.5: "1234.5", 1e13: "10000000000000",
		355.7e9: "355700000000", -2.5: "-2.5"} {
		d, err := DecimalFromFloat(f)
		if err != nil || d.String() != want {
			t.Errorf("DecimalFromFloat(%v) = %s, %v; want %s", f, d, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := DecimalFromFloat(f); err == nil {
			t.Errorf("DecimalFromFloat(%v) succeeded", f)
		}
	}
}

// FuzzDecimalArithmetic checks the reader's arithmetic against math/big for
// numbers of any size: parsing, the sums a reader makes ("4 billion 280
// million"), the shifts scale words make, comparison, equality and the
// conversion to int64 never overflow or round.
func FuzzDecimalArithmetic(f *testing.F) {
	f.Add("3", "0.5", 9)
	f.Add("9223372036854775807", "9223372036854775807", 3)
	f.Add("-9223372036854775808", "1", 0)
	f.Add("922337203685477580", "0", 1)
	f.Add("123456789012345678901234567890", "-0.000000000000000000001", -12)
	f.Fuzz(func(t *testing.T, a, b string, k int) {
		k %= 40 // a scale word moves at most a few powers of ten
		d, err1 := ParseDecimal(a)
		e, err2 := ParseDecimal(b)
		if err1 != nil || err2 != nil {
			return
		}
		ra, ok1 := new(big.Rat).SetString(a)
		rb, ok2 := new(big.Rat).SetString(b)
		if !ok1 || !ok2 {
			t.Fatalf("ParseDecimal accepted %q and %q, which math/big does not read", a, b)
		}
		for _, c := range []struct {
			name string
			got  Decimal
			want *big.Rat
		}{
			{a, d, ra},
			{b, e, rb},
			{a + " + " + b, d.add(e), new(big.Rat).Add(ra, rb)},
			{fmt.Sprintf("%s × 10^%d", a, k), d.shift(k), new(big.Rat).Mul(ra, pow10(k))},
			{"-" + a, d.neg(), new(big.Rat).Neg(ra)},
		} {
			if c.got.rat().Cmp(c.want) != 0 {
				t.Fatalf("%s = %s, want %s", c.name, c.got, c.want.RatString())
			}
			if again, err := ParseDecimal(c.got.String()); err != nil || !again.Equal(c.got) {
				t.Fatalf("%s: %s reads back as %v, %v", c.name, c.got, again, err)
			}
			n, ok := c.got.Int64()
			fits := c.want.IsInt() && c.want.Num().IsInt64()
			if ok != fits || ok && n != c.want.Num().Int64() {
				t.Fatalf("%s: Int64() = %d, %v; the number is %s", c.name, n, ok, c.want.RatString())
			}
		}
		if got, want := d.Cmp(e), ra.Cmp(rb); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
		if d.Equal(e) != (ra.Cmp(rb) == 0) {
			t.Fatalf("Equal(%s, %s) = %v", a, b, d.Equal(e))
		}
	})
}

func pow10(k int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(k))), nil)
	if k < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

// DecimalFromMilli gives what ParseDecimal gives for the amount's text,
// exactly (Equal) and in its digits (String).
func TestDecimalFromMilli(t *testing.T) {
	for _, tc := range []struct {
		milli int64
		text  string
	}{
		{0, "0"}, {1, "0.001"}, {-1, "-0.001"}, {1000, "1"}, {3_000_000_000_000, "3000000000"},
		{1234500, "1234.5"}, {-250, "-0.25"}, {10, "0.01"},
		{math.MaxInt64, "9223372036854775.807"}, {math.MinInt64, "-9223372036854775.808"},
	} {
		want := MustDecimal(tc.text)
		got := DecimalFromMilli(tc.milli)
		if !got.Equal(want) || got.String() != want.String() {
			t.Errorf("DecimalFromMilli(%d) = %s, want %s", tc.milli, got, want)
		}
	}
}
