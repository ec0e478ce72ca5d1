package figures

import (
	"math"
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
