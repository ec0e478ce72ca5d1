package pipeline

import (
	"path/filepath"
	"slices"

	"export/input"
)

// textsRead are the source texts a run read, by path: the walk of input
// directories lists them as skipped (they are no dataset files), but the
// dataset read them, so the report must not say they were left out.
type textsRead struct{ paths map[string]bool }

// add records the text name (as a source's text gives it) of a source of
// file f.
func (t *textsRead) add(f input.File, name string) {
	if t.paths == nil {
		t.paths = map[string]bool{}
	}
	t.paths[filepath.Join(filepath.Dir(f.Path), filepath.FromSlash(name))] = true
}

// notRead returns skipped without the texts read, leaving skipped as it is.
func (t *textsRead) notRead(skipped []input.Skipped) []input.Skipped {
	return slices.DeleteFunc(slices.Clone(skipped), func(s input.Skipped) bool { return t.paths[filepath.Clean(s.Path)] })
}
