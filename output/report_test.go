package output

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// TestCreateReport: report.html is hashed as it is written, described for
// the manifest, and never written over.
func TestCreateReport(t *testing.T) {
	dir := t.TempDir()
	r, err := CreateReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	const page = "<!DOCTYPE html>\n<title>x</title>\n"
	if _, err := r.Write([]byte(page)); err != nil {
		t.Fatal(err)
	}
	f, err := r.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(page))
	if f.Name != ReportName || f.Format != FormatReport || f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(page)) || f.Rows == nil {
		t.Errorf("described as %+v", f)
	}
	if again, err := r.Close(); err != nil || again.SHA256 != f.SHA256 {
		t.Errorf("a second Close: %+v, %v", again, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, ReportName)); err != nil || string(b) != page {
		t.Errorf("the file holds %q (%v)", b, err)
	}
	if _, err := CreateReport(dir); err == nil {
		t.Errorf("a second report.html was created over the first")
	}
	m, err := WriteManifest(dir, []File{f}, &Meta{Tool: ManifestTool, Version: "0"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(dir)
	if err != nil || len(got.Files) != 1 || got.Files[0].Name != ReportName || m.Name != ManifestName {
		t.Fatalf("manifest %+v, %v", got, err)
	}
	if err := got.Verify(dir); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
