package pgload

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"export/output"
)

// manifest is what the loader reads of manifest.json.
type manifest struct {
	GeneratedBy struct {
		Tool    string `json:"tool"`
		Version string `json:"version"`
		Created string `json:"created"`
	} `json:"generated_by"`
	Records map[string]int  `json:"records"`
	Inputs  json.RawMessage `json:"inputs"`
	Files   []manifestFile  `json:"files"`
	sha256  string
}

type manifestFile struct {
	Name   string         `json:"name"`
	Format string         `json:"format"`
	SHA256 string         `json:"sha256"`
	Bytes  int64          `json:"bytes"`
	Rows   map[string]int `json:"rows"`
}

// ErrChanged is wrapped by the error for a file that is not as
// manifest.json lists it.
var ErrChanged = errors.New("changed since export wrote it")

// readManifest reads dir's manifest.json and checks every file it lists:
// present, of its size and its SHA-256. Nothing is loaded unless every
// file is exactly what export wrote.
func readManifest(dir string) (*manifest, error) {
	path := filepath.Join(dir, output.ManifestName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: give a directory that export run wrote", dir, output.ManifestName)
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Files == nil || m.Records == nil {
		return nil, fmt.Errorf("%s is not a manifest that export wrote (%v)", path, err)
	}
	sum := sha256.Sum256(b)
	m.sha256 = hex.EncodeToString(sum[:])
	for _, f := range m.Files {
		if err := checkFile(dir, f); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

func checkFile(dir string, f manifestFile) error {
	if !output.IsOutputName(f.Name) {
		return fmt.Errorf("%s lists %q, which is not a file of the directory", output.ManifestName, f.Name)
	}
	path := filepath.Join(dir, filepath.FromSlash(f.Name))
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is missing: %w (%s lists it); run export again", path, ErrChanged, output.ManifestName)
	}
	if err != nil {
		return err
	}
	defer file.Close()
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 || n != f.Bytes {
		return fmt.Errorf("%s %w: it has %d bytes and SHA-256 %s, %s lists %d bytes and %s; run export again rather than editing its outputs",
			path, ErrChanged, n, got, output.ManifestName, f.Bytes, f.SHA256)
	}
	return nil
}

// file returns the listed file of the format that holds table, if any.
func (m *manifest) file(format, table string) (manifestFile, bool) {
	for _, f := range m.Files {
		if f.Format != format {
			continue
		}
		if _, ok := f.Rows[table]; ok {
			return f, true
		}
	}
	return manifestFile{}, false
}
