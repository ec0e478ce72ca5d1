package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// SourceTextsDir is the folder of the output directory that holds a copy of
// each source's text, so that the outputs can be fed back (a workbook's
// sources name their text relative to it) and their quotes verified
// anywhere.
const SourceTextsDir = "sources"

// FormatSourceText is the Format of the File of a source text's copy.
const FormatSourceText = "source_text"

// SourceText is a source's text to copy into the outputs.
type SourceText struct {
	// Name is the copy's path in the output directory, under
	// SourceTextsDir, with forward slashes.
	Name string
	// SHA256 is the digest the text had when the run read it.
	SHA256 string
	// Read reads the text.
	Read func() ([]byte, error)
}

// WriteSourceTexts copies each text into dir. A text whose digest is no
// longer the one the run read (it changed during the run) is an error:
// the copy must be the text the quotes were verified against.
func WriteSourceTexts(dir string, texts []SourceText) ([]File, error) {
	var files []File
	for _, t := range texts {
		if !strings.HasPrefix(t.Name, SourceTextsDir+"/") || path.Clean(t.Name) != t.Name || strings.Count(t.Name, "/") != 1 {
			return nil, fmt.Errorf("copying a source text: %q is not a file name under %s/", t.Name, SourceTextsDir)
		}
		b, err := t.Read()
		if err != nil {
			return nil, fmt.Errorf("copying the source text %s: %w", t.Name, err)
		}
		sum := sha256.Sum256(b)
		if digest := hex.EncodeToString(sum[:]); digest != t.SHA256 {
			return nil, fmt.Errorf("copying the source text %s: it changed during the run (SHA-256 %s, read as %s); run again", t.Name, digest, t.SHA256)
		}
		if err := os.MkdirAll(filepath.Join(dir, SourceTextsDir), 0o755); err != nil {
			return nil, fmt.Errorf("copying the source texts: %w", err)
		}
		if err := writeFileSynced(filepath.Join(dir, filepath.FromSlash(t.Name)), b); err != nil {
			return nil, fmt.Errorf("copying the source text %s: %w", t.Name, err)
		}
		files = append(files, File{Name: t.Name, Format: FormatSourceText, Rows: map[string]int{}, SHA256: t.SHA256, Bytes: int64(len(b))})
	}
	return files, nil
}

// writeFileSynced writes b to a new file at name and flushes it to disk:
// the stage's publish syncs the files at its top level only.
func writeFileSynced(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := bytes.NewReader(b).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
