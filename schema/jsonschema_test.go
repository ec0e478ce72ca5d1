package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the committed schemas")

// TestSchemasUpToDate fails when a committed schema no longer matches the
// struct tags. Regenerate with: go test ./schema -run TestSchemasUpToDate -update
func TestSchemasUpToDate(t *testing.T) {
	for name, got := range map[string][]byte{
		"dataset.schema.json": DatasetJSONSchema(),
		"figures.schema.json": FiguresJSONSchema(),
	} {
		if !json.Valid(got) {
			t.Fatalf("%s is not JSON", name)
		}
		if *update {
			if err := os.WriteFile(name, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schema/%s is stale: the struct tags changed; run go test ./schema -run TestSchemasUpToDate -update and commit it", name)
		}
	}
}
