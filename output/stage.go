package output

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Stage is a temporary directory next to the output directory, where a run
// writes its files before they are published. Publish replaces the output
// directory with the stage in one step; Discard removes the stage, leaving
// the output directory exactly as it was.
type Stage struct {
	dir    string // the stage
	out    string // the output directory, symbolic links resolved
	done   bool
	unlock func()
}

// stagePrefix starts the names of stages, so that a later run can recognise
// and remove the stage of a run that was killed.
const stagePrefix = ".export-stage-"

// ErrNotOurs is wrapped by the error for an output directory that holds
// files export did not write: export refuses to replace it.
var ErrNotOurs = errors.New("the output directory holds files that export did not write")

// NewStage checks that out can be replaced by export's outputs and creates
// a stage next to it. out may be absent (it is created at Publish), empty,
// or hold a previous run's outputs (every file listed in its
// manifest.json); anything else is refused, so that export never deletes a
// user's files. A symbolic link to a directory is followed: the outputs
// replace the directory it points to, and the link stays.
//
// The stage holds a lock on the output directory's parent until Publish or
// Discard: a second run writing there waits for it, calling waiting (which
// may be nil) when it has to, until ctx is done.
func NewStage(ctx context.Context, out string, waiting func()) (*Stage, error) {
	if out == "" {
		return nil, errors.New("no output directory given")
	}
	if target, err := filepath.EvalSymlinks(out); err == nil {
		out = target
	} else if li, lerr := os.Lstat(out); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
		// A link to nothing: publishing would replace the link itself.
		dest, _ := os.Readlink(out)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("output path %s is a symbolic link to %s, which does not exist; create that directory, or give another with -o", out, dest)
		}
		return nil, fmt.Errorf("output path %s is a symbolic link that cannot be followed: %w", out, err)
	}
	out = filepath.Clean(out)
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !info.IsDir():
		return nil, fmt.Errorf("output path %s is a file, not a directory; give a directory with -o", out)
	default:
		if err := checkOurs(out); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(out)
	if _, err := os.Stat(parent); err != nil {
		return nil, fmt.Errorf("cannot create the output directory %s: %w", out, err)
	}
	unlock, err := lockDir(ctx, parent, waiting)
	if err != nil {
		return nil, err
	}
	// Checked again under the lock: another run may have just written it.
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		if err := checkOurs(out); err != nil {
			unlock()
			return nil, err
		}
	}
	if dirLocks {
		removeStale(parent)
	}
	dir, err := os.MkdirTemp(parent, stagePrefix+filepath.Base(out)+"-")
	if err != nil {
		unlock()
		return nil, fmt.Errorf("cannot write next to the output directory: %w", err)
	}
	return &Stage{dir: dir, out: out, unlock: unlock}, nil
}

// Dir returns the stage's directory, where writers create their files.
func (s *Stage) Dir() string { return s.dir }

// Out returns the output directory the stage will replace.
func (s *Stage) Out() string { return s.out }

// checkOurs returns nil when dir is empty or holds only files listed in
// its manifest.json (and the manifest itself).
func checkOurs(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	listed := map[string]bool{ManifestName: true}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err == nil {
		var m struct {
			Files []struct {
				Name string `json:"name"`
			} `json:"files"`
		}
		if json.Unmarshal(b, &m) == nil {
			for _, f := range m.Files {
				listed[f.Name] = true
			}
		}
	}
	if err != nil || len(listed) == 1 {
		return fmt.Errorf("%s: %w (no %s); give a new or empty directory with -o", dir, ErrNotOurs, ManifestName)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() == SourceTextsDir {
			// The copies of the source texts: each must be listed.
			inner, err := os.ReadDir(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			for _, t := range inner {
				if name := SourceTextsDir + "/" + t.Name(); !listed[name] {
					return fmt.Errorf("%s: %w (%s is not in its %s); move it away or give another directory with -o", dir, ErrNotOurs, name, ManifestName)
				}
			}
			continue
		}
		if !listed[e.Name()] {
			return fmt.Errorf("%s: %w (%s is not in its %s); move it away or give another directory with -o", dir, ErrNotOurs, e.Name(), ManifestName)
		}
	}
	return nil
}

// removeStale removes stages left by runs that were killed before they
// could clean up (SIGKILL, power loss). The caller holds the lock on
// parent, so no stage there belongs to a run still going.
func removeStale(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stagePrefix) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// Publish makes the stage the output directory. The files are synced to
// disk first; then the stage takes the output directory's place in one
// rename (an atomic exchange where the system has one), so that a reader,
// or a crash, sees either the old outputs or the new, never a mix.
func (s *Stage) Publish() error {
	if s.done {
		return errors.New("stage already published or discarded")
	}
	if err := syncDir(s.dir); err != nil {
		return fmt.Errorf("syncing the outputs: %w", err)
	}
	if err := os.Chmod(s.dir, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(s.out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(s.dir, s.out); err != nil {
			return fmt.Errorf("publishing the outputs: %w", err)
		}
	} else if err := exchange(s.dir, s.out); err != nil {
		return fmt.Errorf("publishing the outputs: %w", err)
	}
	s.done = true
	// The stage now holds the previous outputs (or nothing).
	os.RemoveAll(s.dir)
	syncPath(filepath.Dir(s.out))
	s.unlock()
	return nil
}

// Discard removes the stage. It is safe to call after Publish.
func (s *Stage) Discard() error {
	if s.done {
		return nil
	}
	s.done = true
	defer s.unlock()
	return os.RemoveAll(s.dir)
}

// syncDir flushes every file of dir, and dir itself, to disk.
func syncDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := syncPath(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return syncPath(dir)
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// swapByRenames swaps directories a and b through a third name.
func swapByRenames(a, b string) error {
	old := a + ".old"
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(old, b) // put the previous outputs back
		return err
	}
	return os.Rename(old, a)
}
