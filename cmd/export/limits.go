package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"export/input"
)

// limitFlags registers the flags that bound what one input file may hold
// (input.Limits; docs/LIMITS.md), with the defaults as their values.
func limitFlags(fs *flag.FlagSet, o *options) {
	o.limits = input.DefaultLimits
	fs.Var((*sizeValue)(&o.limits.MaxFileBytes), "max-file-size",
		"refuse an input file larger than `SIZE`, such as 500MiB or 2GiB (YAML files are read whole and also limited to "+
			input.FormatSize(input.DefaultLimits.MaxYAMLBytes)+", workbooks to "+input.FormatSize(input.DefaultLimits.MaxXLSXBytes)+")")
	fs.Var((*countValue)(&o.limits.MaxRecords), "max-records",
		"refuse an input file with more than `N` records (or N sources)")
	fs.Var((*intSizeValue)(&o.limits.MaxFieldBytes), "max-field-size",
		"refuse a value or field name longer than `SIZE` in an input file, such as 4KiB")
}

// sizeValue is a flag holding a number of bytes: a whole number, with an
// optional unit: B; KiB, MiB, GiB, TiB (or K, M, G, T) for powers of 1024;
// KB, MB, GB, TB for powers of 1000. Units ignore case.
type sizeValue int64

func (v *sizeValue) String() string { return input.FormatSize(int64(*v)) }

func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v = sizeValue(n)
	return nil
}

// intSizeValue is a sizeValue held in an int.
type intSizeValue int

func (v *intSizeValue) String() string { return input.FormatSize(int64(*v)) }

func (v *intSizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if int64(int(n)) != n {
		return fmt.Errorf("%s is too large", s)
	}
	*v = intSizeValue(n)
	return nil
}

// countValue is a flag holding a positive count.
type countValue int

func (v *countValue) String() string { return strconv.Itoa(int(*v)) }

func (v *countValue) Set(s string) error {
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), 10, 0)
	if err != nil || n < 1 {
		return errors.New("want a whole number of 1 or more")
	}
	*v = countValue(n)
	return nil
}

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
}

// parseSize reads a size such as 64MiB, 64M, 500KB or 1048576 (bytes).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	n, err := strconv.ParseInt(t[:i], 10, 64)
	switch {
	case i == 0 || !ok:
		return 0, errors.New("want a size such as 64MiB, 500KB or 1048576 (bytes); units: B, KiB, MiB, GiB, TiB (or K, M, G, T), KB, MB, GB, TB")
	case err != nil || n > math.MaxInt64/unit:
		return 0, errors.New("the size is too large")
	case n == 0:
		return 0, errors.New("want a size of 1 byte or more")
	}
	return n * unit, nil
}
