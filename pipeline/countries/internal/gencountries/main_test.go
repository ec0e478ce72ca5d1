package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFileIsCurrent regenerates dataset_gen.go from the pinned
// world-countries package and compares it with the committed file. The
// package comes from npm; outside CI the test skips without it.
func TestGeneratedFileIsCurrent(t *testing.T) {
	src := filepath.Join("node_modules", "world-countries")
	if _, err := os.Stat(filepath.Join(src, "countries.json")); err != nil {
		msg := "world-countries is not installed: npm ci --prefix pipeline/countries/internal/gencountries"
		if os.Getenv("EXPORT_REQUIRE_INTEROP") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	got, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "dataset_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("pipeline/countries/dataset_gen.go is not what world-countries generates: run go generate ./pipeline/countries and read the diff")
	}
}

// TestGenerateRefusesOtherData checks that the generator reads only the
// package it knows, under the licence the notices describe.
func TestGenerateRefusesOtherData(t *testing.T) {
	tests := []struct {
		name, pkg, countries string
	}{
		{"another package", `{"name": "country-list", "version": "1.0.0", "licenses": [{"type": "ODbL-1.0"}]}`, `[]`},
		{"another licence", `{"name": "world-countries", "version": "9.0.0", "licenses": [{"type": "MIT"}]}`, `[]`},
		{"too few countries", `{"name": "world-countries", "version": "9.0.0", "licenses": [{"type": "ODbL-1.0"}]}`, `[{"cca2": "KR", "name": {"common": "South Korea"}}]`},
		{"not JSON", `{"name": "world-countries", "version": "9.0.0", "licenses": [{"type": "ODbL-1.0"}]}`, `[{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(tt.pkg), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "countries.json"), []byte(tt.countries), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := generate(dir); err == nil {
				t.Error("generate accepted it")
			}
		})
	}
	if _, err := generate(t.TempDir()); err == nil {
		t.Error("generate accepted an empty folder")
	}
}
