package output

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Stage is a temporary directory next to the output directory, where a run
// writes its files before they are published. Publish replaces the output
// directory with the stage in one step; Discard removes the stage, leaving
// the output directory exactly as it was.
type Stage struct {
	dir    string  // the stage
	out    string  // the output directory, symbolic links resolved
	check  *outDir // what the output directory held when it was checked
	done   bool
	unlock func()
}

// StageOptions configures NewStage.
type StageOptions struct {
	// Force lets the stage replace files of the output directory that
	// changed since export wrote them (an analyst's edits in the
	// workbook). Files that the directory's manifest does not list are
	// never replaced, Force or not.
	Force bool
	// Waiting, when set, is called if the stage has to wait for another
	// run writing next to the same output directory.
	Waiting func()
}

// stagePrefix starts the names of stages, so that a later run can recognise
// and remove the stage of a run that was killed; stageMarker is the empty
// file in a stage that says it is one until it is published.
const (
	stagePrefix = ".export-stage-"
	stageMarker = ".export-stage"
)

// ErrNotOurs is wrapped by the error for an output directory that holds
// files export did not write: export refuses to replace it.
var ErrNotOurs = errors.New("the output directory holds files that export did not write")

// ErrChanged is wrapped by the error for an output directory that holds
// files export wrote which changed since: without StageOptions.Force,
// export refuses to replace them. Manifest.Verify's error wraps it too.
var ErrChanged = errors.New("files in the output directory changed since export wrote them")

// NewStage checks that out can be replaced by export's outputs and creates
// a stage next to it. out may be absent (it is created at Publish), empty,
// or hold a previous run's outputs: a manifest.json that export wrote
// (generated_by.tool ManifestTool) and files it lists, each with the size
// and SHA-256 listed (or changed since, with opts.Force). Anything else is
// refused, so that export never deletes a file it did not write. A
// symbolic link to a directory is followed: the outputs replace the
// directory it points to, and the link stays.
//
// The stage holds a lock on the output directory's parent until Publish or
// Discard: a second run writing there waits for it, calling opts.Waiting
// when it has to, until ctx is done.
func NewStage(ctx context.Context, out string, opts StageOptions) (*Stage, error) {
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
	check := &outDir{dir: out, force: opts.Force}
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !info.IsDir():
		return nil, fmt.Errorf("output path %s is a file, not a directory; give a directory with -o", out)
	default:
		if err := replaceable(out, info); err != nil {
			return nil, err
		}
		if err := check.check(); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(out)
	if _, err := os.Stat(parent); err != nil {
		return nil, fmt.Errorf("cannot create the output directory %s: %w", out, err)
	}
	unlock, err := lockDir(ctx, parent, opts.Waiting)
	if err != nil {
		return nil, err
	}
	// Checked again under the lock: another run may have just written it.
	if err := check.checkIfThere(); err != nil {
		unlock()
		return nil, err
	}
	if dirLocks {
		removeStale(parent, filepath.Base(out))
	}
	dir, err := os.MkdirTemp(parent, stagePrefix+filepath.Base(out)+"-")
	if err != nil {
		unlock()
		return nil, fmt.Errorf("cannot write next to the output directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, stageMarker), nil, 0o600); err != nil {
		os.RemoveAll(dir)
		unlock()
		return nil, fmt.Errorf("cannot write next to the output directory: %w", err)
	}
	return &Stage{dir: dir, out: out, check: check, unlock: unlock}, nil
}

// replaceable returns an error for an output directory that no rename can
// replace, so that the run says so before it does any work rather than
// after: the current directory (which cannot be renamed as ".", and
// renamed by its path would leave the shell in a removed directory), a
// file system's root, and a mount point.
func replaceable(out string, info fs.FileInfo) error {
	if wd, err := os.Stat("."); err == nil && os.SameFile(wd, info) {
		return fmt.Errorf("the output directory %s is the current directory, which export cannot replace as a whole; give a directory inside it, e.g. -o out", out)
	}
	if filepath.Dir(out) == out {
		return fmt.Errorf("the output directory %s is the root of the file system, which export cannot replace; give a directory inside it with -o", out)
	}
	if mnt, err := mountPoint(out); err == nil && mnt {
		return fmt.Errorf("the output directory %s is a mount point, which export cannot replace as a whole; give a directory inside it, e.g. -o %s",
			out, filepath.Join(out, "out"))
	}
	return nil
}

// Dir returns the stage's directory, where writers create their files.
func (s *Stage) Dir() string { return s.dir }

// Out returns the output directory the stage will replace.
func (s *Stage) Out() string { return s.out }

// outDir checks that an output directory may be replaced, and remembers
// the files it found as export wrote them, so that checking again (under
// the lock, and before publishing) hashes only the files that changed
// since.
type outDir struct {
	dir       string
	force     bool                   // changed files may be replaced: none is hashed
	unchanged map[string]fs.FileInfo // listed files found with their listed digest
}

// checkIfThere checks the directory if it exists.
func (c *outDir) checkIfThere() error {
	if info, err := os.Stat(c.dir); err != nil || !info.IsDir() {
		return nil // published as new; Publish finds what is there by then
	}
	return c.check()
}

// check returns nil when the directory is empty, or holds only a
// manifest.json that export wrote and regular files it lists (at the top,
// or in the folder of source texts), each with the listed size and SHA-256
// unless c.force. A listed file may be missing: replacing nothing deletes
// nothing.
func (c *outDir) check() error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	m, err := readManifest(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w (no %s); give a new or empty directory with -o", c.dir, ErrNotOurs, ManifestName)
	}
	if err != nil {
		return fmt.Errorf("%s: %w (its %s is not one export wrote: %v); give a new or empty directory with -o", c.dir, ErrNotOurs, ManifestName, err)
	}
	listed := map[string]ManifestFile{}
	for _, f := range m.Files {
		listed[f.Name] = f
	}
	names, err := c.entryNames(entries)
	if err != nil {
		return err
	}
	var changed []string
	for _, name := range names {
		if name == ManifestName {
			continue
		}
		f, ok := listed[name]
		if !ok {
			return fmt.Errorf("%s: %w (%s is not in its %s); move it away or give another directory with -o", c.dir, ErrNotOurs, name, ManifestName)
		}
		info, err := os.Lstat(filepath.Join(c.dir, filepath.FromSlash(name)))
		if err != nil {
			return fmt.Errorf("%s: %w", c.dir, err)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s: %w (%s is not a file, and export writes only files); move it away or give another directory with -o", c.dir, ErrNotOurs, name)
		}
		if c.force {
			continue
		}
		same, err := c.asWritten(f, info)
		if err != nil {
			return fmt.Errorf("%s: %w", c.dir, err)
		}
		if !same {
			changed = append(changed, name)
		}
	}
	if len(changed) > 0 {
		return changedError(c.dir, changed)
	}
	return nil
}

// entryNames returns the names of the directory's entries as its manifest
// lists them: the files in the folder of source texts (SourceTextsDir) as
// "sources/NAME", the folder itself not at all.
func (c *outDir) entryNames(entries []fs.DirEntry) ([]string, error) {
	var names []string
	for _, e := range entries {
		if e.Name() != SourceTextsDir || !e.IsDir() {
			names = append(names, e.Name())
			continue
		}
		inner, err := os.ReadDir(filepath.Join(c.dir, SourceTextsDir))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.dir, err)
		}
		for _, t := range inner {
			names = append(names, SourceTextsDir+"/"+t.Name())
		}
	}
	return names, nil
}

// asWritten reports whether the file has the size and SHA-256 its manifest
// entry lists; a file found so before, and not touched since, is not
// hashed again.
func (c *outDir) asWritten(f ManifestFile, info fs.FileInfo) (bool, error) {
	if prev, ok := c.unchanged[f.Name]; ok && os.SameFile(prev, info) &&
		prev.Size() == info.Size() && prev.ModTime().Equal(info.ModTime()) {
		return true, nil
	}
	same, err := f.asWritten(c.dir, info)
	if !same || err != nil {
		return false, err
	}
	if c.unchanged == nil {
		c.unchanged = map[string]fs.FileInfo{}
	}
	c.unchanged[f.Name] = info
	return true, nil
}

// changedError says which files changed since export wrote them, and how
// to go on.
func changedError(dir string, names []string) error {
	if len(names) == 1 {
		return fmt.Errorf("%s: %s changed since export wrote it (it is not the file its %s lists), so it may hold edits: %w; "+
			"move it away to keep it, or run again with --force to replace it", dir, names[0], ManifestName, ErrChanged)
	}
	return fmt.Errorf("%s: %s changed since export wrote them (they are not the files its %s lists), so they may hold edits: %w; "+
		"move them away to keep them, or run again with --force to replace them", dir, strings.Join(names, ", "), ManifestName, ErrChanged)
}

// removeStale removes stages for the output directory base left by runs
// that were killed before they could clean up (SIGKILL, power loss). The
// caller holds the lock on parent, so no stage there belongs to a run
// still going. Only a directory named as NewStage names stages (or as
// swapByRenames names the previous outputs) is removed, and only when it
// is one: it holds the stage marker (it was being written), or nothing but
// outputs that export wrote (it was published, or held the previous
// outputs), or nothing at all. A directory of the user's that happens to
// have such a name is left alone.
func removeStale(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !isStageName(e.Name(), base) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if isStage(dir) {
			os.RemoveAll(dir)
		}
	}
}

// isStageName reports whether name is what NewStage names a stage of the
// output directory base: stagePrefix, base, "-" and os.MkdirTemp's random
// digits, with ".old" after them for swapByRenames's previous outputs.
func isStageName(name, base string) bool {
	rest, ok := strings.CutPrefix(name, stagePrefix+base+"-")
	rest = strings.TrimSuffix(rest, ".old")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isStage reports whether dir, named as a stage, holds what a stage holds.
func isStage(dir string) bool {
	if info, err := os.Lstat(filepath.Join(dir, stageMarker)); err == nil && info.Mode().IsRegular() {
		return true
	}
	return (&outDir{dir: dir, force: true}).check() == nil
}

// Publish makes the stage the output directory. The files are synced to
// disk first; then the stage takes the output directory's place in one
// rename (an atomic exchange where the system has one), so that a reader,
// or a crash, sees either the old outputs or the new, never a mix.
func (s *Stage) Publish() error {
	if s.done {
		return errors.New("stage already published or discarded")
	}
	// The directory is checked once more: an analyst may have saved the
	// workbook there, or put a file in it, while the run went on.
	if err := s.check.checkIfThere(); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(s.dir, stageMarker)); err != nil {
		return fmt.Errorf("publishing the outputs: %w", err)
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
		if errors.Is(err, syscall.EBUSY) {
			return fmt.Errorf("publishing the outputs: %w (is %s a mount point? give a directory inside it with -o)", err, s.out)
		}
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
