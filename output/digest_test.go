package output

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// checkDigests checks that the digest of each File (SHA256, Bytes) is that
// of its file in dir, and returns the files without digests, for comparing
// the rest.
func checkDigests(t testing.TB, dir string, files []File) []File {
	t.Helper()
	out := make([]File, len(files))
	for i, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(b)) {
			t.Errorf("%s: digest %s, %d bytes; the file has %x, %d bytes", f.Name, f.SHA256, f.Bytes, sum, len(b))
		}
		f.SHA256, f.Bytes = "", 0
		out[i] = f
	}
	return out
}
