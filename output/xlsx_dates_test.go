package output_test

import (
	"fmt"
	"testing"
	"time"

	"export/schema"
)

// The dates of the contract (as_of is any YYYY-MM-DD: 0000-01-01 to
// 9999-12-31) as the workbook holds them. Every day of the range is checked
// serial by serial in xlsx_date_serial_test.go (the writer) and
// input/xlsx_dates_test.go (the reader); these are the days that go through
// both, in a real workbook.

// xlsxBoundaryDates are the days where a workbook's dates change: the
// range's ends, around Excel's false 1900-02-29 (the serials 1 to 60, which
// Excel and LibreOffice read as different days, so that the workbook holds
// the days before 1900-03-01 as text), leap days, the 1904 date system's
// first day and the Unix epoch.
var xlsxBoundaryDates = []string{
	"0000-01-01", "0000-02-29", "0001-01-01", "1582-10-15", "1600-02-29", "1899-12-30", "1899-12-31",
	"1900-01-01", "1900-01-02", "1900-02-27", "1900-02-28", "1900-03-01", "1900-03-02", "1900-12-31",
	"1904-01-01", "1970-01-01", "2000-02-29", "9999-12-30", "9999-12-31",
}

// xlsxSampleDates returns the boundary days, every day from 1899-12-01 to
// 1901-01-31, and one day in every 997 of the whole range (a step prime to
// the week, the month and the leap cycle, so that the sample falls on every
// day of the month and every month).
func xlsxSampleDates() []string {
	dates := append([]string(nil), xlsxBoundaryDates...)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	for t := time.Date(1899, 12, 1, 0, 0, 0, 0, time.UTC); t.Year() < 1901 || t.Month() == time.January; t = t.AddDate(0, 0, 1) {
		dates = append(dates, day(t))
	}
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for t := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); !t.After(last); t = t.AddDate(0, 0, 997) {
		dates = append(dates, day(t))
	}
	return dates
}

// Every date a record may have is written to the workbook so that
// export's own reader reads back the same day.
func TestXLSXDatesReadBack(t *testing.T) {
	var recs []schema.Record
	want := map[string]string{} // id -> as_of
	for i, d := range xlsxSampleDates() {
		id := fmt.Sprintf("date-%d", i)
		r := xlsxInvestment(id, "1")
		r.AsOf = d
		recs = append(recs, r)
		want[id] = d
	}
	run := xlsxWrite(t, nil, recs...)
	got := readWorkbookRecords(t, run.path)
	for id, d := range want {
		r, ok := got[id].(*schema.InvestmentTotal)
		switch {
		case !ok:
			t.Errorf("as_of %s (%s): not read back", d, id)
		case r.AsOf != d:
			t.Errorf("as_of %s (%s): read back as %s", d, id, r.AsOf)
		}
	}
}
