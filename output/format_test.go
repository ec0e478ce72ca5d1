package output_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"export/output"
)

// TestFormatTable checks the descriptors: each names its media type and a
// title, its writer's files carry its name, and the README's usage line
// lists every format, in order.
func TestFormatTable(t *testing.T) {
	recs, meta := defaultRecords(t)
	for _, f := range output.AllFormats() {
		if f.MediaType == "" || f.Title == "" {
			t.Errorf("%s: media type %q, title %q", f.Name, f.MediaType, f.Title)
		}
		dir := t.TempDir()
		files := writeFormats(t, dir, []string{f.Name}, recs, withGeneratedSource(meta))
		if len(files) == 0 {
			t.Errorf("%s wrote no file", f.Name)
		}
		for _, file := range files {
			if file.Format != f.Name {
				t.Errorf("%s wrote %s as format %q", f.Name, file.Name, file.Format)
			}
		}
		if f.Companion != nil {
			c, err := f.Companion(dir)
			if err != nil || c.Name == "" {
				t.Errorf("%s: companion %+v, %v", f.Name, c, err)
			}
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "--formats " + strings.Join(output.Formats(), ","); !strings.Contains(string(readme), want) {
		t.Errorf("the README does not list the formats as %q", want)
	}
	var defaults []string
	for _, f := range output.AllFormats() {
		if f.Default {
			defaults = append(defaults, f.Name)
		}
	}
	if strings.Join(defaults, ",") != strings.Join(output.DefaultFormats(), ",") || len(defaults) == 0 {
		t.Errorf("default formats %v, %v", defaults, output.DefaultFormats())
	}
}
