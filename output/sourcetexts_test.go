package output

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteSourceTexts(t *testing.T) {
	text := []byte("Its total investment in Kazakhstan has reached about $3bn.\n")
	sum := sha256.Sum256(text)
	digest := hex.EncodeToString(sum[:])
	read := func() ([]byte, error) { return text, nil }
	dir := t.TempDir()
	files, err := WriteSourceTexts(dir, []SourceText{{Name: "sources/book.txt", SHA256: digest, Read: read}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "sources/book.txt" || files[0].SHA256 != digest || files[0].Bytes != int64(len(text)) ||
		files[0].Format != FormatSourceText {
		t.Errorf("files %+v", files)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sources", "book.txt")); err != nil || string(b) != string(text) {
		t.Errorf("copy %q, %v", b, err)
	}

	for _, tc := range []struct {
		name string
		text SourceText
		want string
	}{
		{"changed", SourceText{Name: "sources/b.txt", SHA256: strings.Repeat("0", 64), Read: read}, "changed during the run"},
		{"unreadable", SourceText{Name: "sources/c.txt", SHA256: digest, Read: func() ([]byte, error) { return nil, errors.New("gone") }}, "gone"},
		{"outside", SourceText{Name: "sources/../d.txt", SHA256: digest, Read: read}, "not a file name under sources/"},
		{"nested", SourceText{Name: "sources/a/d.txt", SHA256: digest, Read: read}, "not a file name under sources/"},
		{"elsewhere", SourceText{Name: "d.txt", SHA256: digest, Read: read}, "not a file name under sources/"},
		{"twice", SourceText{Name: "sources/book.txt", SHA256: digest, Read: read}, "exists"},
	} {
		if _, err := WriteSourceTexts(dir, []SourceText{tc.text}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}
