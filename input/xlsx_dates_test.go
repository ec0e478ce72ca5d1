package input

import (
	"strconv"
	"testing"
	"time"

	"export/schema"
)

// Every day the contract allows (0000-01-01 to 9999-12-31), in the form
// export's XLSX writer gives it (output/xlsx_date_serial_test.go), reads as
// that day: the text YYYY-MM-DD as it is, and from 1900-03-01 on the serial
// that counts the days from 1899-12-30. The serials 1 to 60, which Excel and
// LibreOffice read as different days, are refused.
func TestXLSXDateEveryDay(t *testing.T) {
	var asOf *schema.Column
	for _, c := range schema.Kinds()[0].TableColumns() {
		if c.Type == schema.Date {
			asOf = c
		}
	}
	x := &xlsxReader{}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	firstSerial := time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for d := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); !d.After(last); d = d.AddDate(0, 0, 1) {
		want := d.Format(time.DateOnly)
		cell := want
		if !d.Before(firstSerial) {
			cell = strconv.FormatInt((d.Unix()-epoch.Unix())/(24*60*60), 10)
		}
		got, err := x.cellText(asOf, cell, Position{})
		if err != nil || got != want {
			t.Fatalf("%s as the cell %s: read %q, %v", want, cell, got, err)
		}
	}
	for n := 1; n <= 60; n++ {
		if got, err := x.cellText(asOf, strconv.Itoa(n), Position{}); err == nil {
			t.Errorf("serial %d: read as %s; want it refused", n, got)
		}
	}
}
