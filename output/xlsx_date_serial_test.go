package output

import (
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Every day the contract allows (0000-01-01 to 9999-12-31) becomes a cell
// that every reader takes for that day: the text YYYY-MM-DD before
// 1900-03-01, and from then on the serial that counts the days from
// 1899-12-30, which excelize (and so export's reader, see
// input/xlsx_dates_test.go), openpyxl and LibreOffice all read as that day.
func TestXLSXDateEveryDay(t *testing.T) {
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	days, serials := 0, 0
	for d := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); !d.After(last); d = d.AddDate(0, 0, 1) {
		s := d.Format(time.DateOnly)
		v, err := xlsxDate(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		days++
		if d.Before(xlsxFirstSerialOn) {
			if v != s {
				t.Fatalf("%s: %#v; want the text %q (a serial before 61 is read differently by Excel and LibreOffice)", s, v, s)
			}
			continue
		}
		n, ok := v.(int64)
		if !ok || n < 61 || n > 2958465 {
			t.Fatalf("%s: %#v; want a serial from 61 to 2958465", s, v)
		}
		if got := xlsxDateEpoch.AddDate(0, 0, int(n)); !got.Equal(d) {
			t.Fatalf("%s: serial %d, which is %s", s, n, got.Format(time.DateOnly))
		}
		if got, err := excelize.ExcelDateToTime(float64(n), false); err != nil || got.Format(time.DateOnly) != s {
			t.Fatalf("%s: serial %d, which excelize reads as %v (%v)", s, n, got, err)
		}
		serials++
	}
	if days != 3652425 || serials != 2958405 {
		t.Errorf("%d days, %d of them serials; want 3652425 and 2958405", days, serials)
	}
}
