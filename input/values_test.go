package input

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"export/schema"
)

// readOne reads the first record of data and returns it with its reading
// problems as "line:col field [rule] message" lines.
func readOne(t *testing.T, format, data string) (*Item, []string) {
	t.Helper()
	r, err := Open(File{Path: "f", Format: format}, strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		it, err := r.Next()
		if err == io.EOF {
			t.Fatalf("no record in %q", data)
		}
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if it.Source != nil {
			continue
		}
		var problems []string
		for _, p := range it.Problems {
			problems = append(problems, lineCol(p.Pos)+" "+p.Field+" ["+p.Rule+"] "+p.Message)
		}
		return it, problems
	}
}

// TestAmounts reads amounts in every text format: exact, or refused with
// the contract's limits, never rounded.
func TestAmounts(t *testing.T) {
	record := func(format, amount string) string {
		switch format {
		case FormatYAML:
			return "records:\n  - kind: investment_total\n    amount: " + amount + "\n"
		case FormatJSON:
			return `{"records": [{"kind": "investment_total", "amount": ` + amount + `}]}`
		case FormatJSONL:
			return `{"kind": "investment_total", "amount": ` + amount + `}` + "\n"
		}
		return "kind,amount\ninvestment_total," + amount + "\n"
	}
	for _, tt := range []struct {
		amount string
		want   string // the amount read, or the problem's rule and a part of its message
	}{
		{"3000000000", "3000000000"},
		{"3e9", "3000000000"},
		{"9999999999999.99", "9999999999999.99"},
		{"0.001", "0.001"},
		{"2e13", "20000000000000"}, // read, then refused by validation (lte)
		{"1e400", "[lte] must be at most 10000000000000; got 1e400, which is out of range"},
		{"1234567890123.456", "[digits] has 16 significant digits"},
		{"2.0005", "[digits] 2.0005 has 4 decimal places, more than 3"},
	} {
		for _, format := range []string{FormatYAML, FormatJSON, FormatJSONL, FormatCSV} {
			it, problems := readOne(t, format, record(format, tt.amount))
			got := strings.Join(problems, "; ")
			if rec, ok := it.Record.(*schema.InvestmentTotal); ok && rec.Amount != nil {
				got = rec.Amount.String()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%s amount %s: got %q, want %q", format, tt.amount, got, tt.want)
			}
		}
	}
}

// TestCountOutOfRange: a count beyond int64 says it is out of range, under
// the count's own bound.
func TestCountOutOfRange(t *testing.T) {
	_, problems := readOne(t, FormatJSONL, `{"kind": "enterprise_count", "enterprises": 99999999999999999999}`+"\n")
	want := "1:1 enterprises [lte] must be at most 9007199254740991; got 99999999999999999999, which is out of range"
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "1:") || !strings.Contains(problems[0], "enterprises [lte] must be at most 9007199254740991; got 99999999999999999999, which is out of range") {
		t.Errorf("got %q, want %q", problems, want)
	}
}

// TestCountsExact reads counts past 2^53 in every text format as written,
// never through a float (9007199254740993 is not read as ...992), so that
// validation refuses the value the file holds (issue 10, item 13).
func TestCountsExact(t *testing.T) {
	for _, count := range []string{"9007199254740991", "9007199254740993", "9223372036854775807"} {
		for format, data := range map[string]string{
			FormatYAML:  "records:\n  - kind: enterprise_count\n    enterprises: " + count + "\n",
			FormatJSON:  `{"records": [{"kind": "enterprise_count", "enterprises": ` + count + `}]}`,
			FormatJSONL: `{"kind": "enterprise_count", "enterprises": ` + count + `}` + "\n",
			FormatCSV:   "kind,enterprises\nenterprise_count," + count + "\n",
		} {
			it, problems := readOne(t, format, data)
			rec, ok := it.Record.(*schema.EnterpriseCount)
			if !ok || rec.Enterprises == nil || len(problems) > 0 {
				t.Errorf("%s %s: record %+v, problems %q", format, count, it.Record, problems)
				continue
			}
			if got := strconv.FormatInt(*rec.Enterprises, 10); got != count {
				t.Errorf("%s: enterprises %s read as %s", format, count, got)
			}
		}
	}
}

// TestDerived reads derived in every format, with each entry's position.
func TestDerived(t *testing.T) {
	for _, tt := range []struct {
		format, data string
		pos          string // of the as_of entry
	}{
		{FormatYAML, "records:\n  - kind: investment_total\n    derived:\n      as_of: \"the article's date\"\n      amount: sum of the two figures\n", "4:7"},
		{FormatJSON, `{"records": [{"kind": "investment_total",` + "\n" + `"derived": {"as_of": "the article's date", "amount": "sum of the two figures"}}]}`, "2:13"},
		{FormatJSONL, `{"kind": "investment_total", "derived": {"as_of": "the article's date", "amount": "sum of the two figures"}}` + "\n", "1:42"},
		{FormatCSV, "kind,derived\ninvestment_total,\"as_of: the article's date\nAmount : x\namount: sum of the two figures\"\n", "2:18"},
	} {
		it, problems := readOne(t, tt.format, tt.data)
		rec := it.Record.(*schema.InvestmentTotal)
		want := schema.Derived{"as_of": "the article's date", "amount": "sum of the two figures"}
		if tt.format == FormatCSV {
			want["Amount"] = "x" // an unknown key is read, and refused by validation
		}
		if len(problems) > 0 || len(rec.Derived) != len(want) {
			t.Errorf("%s: derived %v, problems %q; want %v", tt.format, rec.Derived, problems, want)
			continue
		}
		for k, v := range want {
			if rec.Derived[k] != v {
				t.Errorf("%s: derived[%s] = %q, want %q", tt.format, k, rec.Derived[k], v)
			}
		}
		if got := lineCol(it.EntryPos("derived", "as_of")); got != tt.pos {
			t.Errorf("%s: derived.as_of at %s, want %s", tt.format, got, tt.pos)
		}
	}
}

func TestDerivedProblems(t *testing.T) {
	for _, tt := range []struct {
		format, data, want string
	}{
		{FormatYAML, "records:\n  - kind: investment_total\n    derived: the date\n", "derived [type] must be a mapping of fields to reasons"},
		{FormatYAML, "records:\n  - kind: investment_total\n    derived: {as_of: [a, b]}\n", "derived [type] derived.as_of must be text"},
		{FormatJSON, `{"records": [{"kind": "investment_total", "derived": {"as_of": "x", "as_of": "y"}}]}`, "derived [duplicate_key] derived.as_of is given twice"},
		{FormatCSV, "kind,derived\ninvestment_total,just a reason\n", `derived [type] line 1 of the cell must read "field: reason"`},
	} {
		_, problems := readOne(t, tt.format, tt.data)
		if got := strings.Join(problems, "; "); !strings.Contains(got, tt.want) {
			t.Errorf("%s %q: got %q, want %q", tt.format, tt.data, got, tt.want)
		}
	}
}
