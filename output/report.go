package output

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReportName is the HTML report every run writes into the output directory
// (package pipeline renders it).
const ReportName = "report.html"

// FormatReport is the Format of the report's File.
const FormatReport = "report"

// ReportFile is report.html being written into a stage, hashed as it is
// written for the manifest.
type ReportFile struct {
	f *os.File
	d *digestWriter
}

// CreateReport creates report.html in dir (a stage's directory).
func CreateReport(dir string) (*ReportFile, error) {
	f, err := os.OpenFile(filepath.Join(dir, ReportName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", ReportName, err)
	}
	return &ReportFile{f: f, d: newDigestWriter(f)}, nil
}

func (r *ReportFile) Write(p []byte) (int, error) {
	n, err := r.d.Write(p)
	if err != nil {
		err = fmt.Errorf("writing %s: %w", ReportName, err)
	}
	return n, err
}

// Close closes the file and describes it for the manifest. It may be
// called more than once.
func (r *ReportFile) Close() (File, error) {
	f := r.d.describe(File{Name: ReportName, Format: FormatReport, Rows: map[string]int{}})
	if r.f == nil {
		return f, nil
	}
	err := r.f.Close()
	r.f = nil
	if err != nil {
		return File{}, fmt.Errorf("writing %s: %w", ReportName, err)
	}
	return f, nil
}
