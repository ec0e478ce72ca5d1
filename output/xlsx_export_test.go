package output

// SetXLSXRowLimit sets the number of data rows per sheet, so that a test
// can overflow a sheet without writing a million rows. It returns a
// function that restores the limit.
func SetXLSXRowLimit(n int) (restore func()) {
	old := xlsxRowLimit
	xlsxRowLimit = n
	return func() { xlsxRowLimit = old }
}
