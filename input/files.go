package input

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// The input formats, named after their usual file extension.
const (
	FormatYAML  = "yaml"
	FormatJSON  = "json"
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
)

// formats maps file extensions to formats.
var formats = map[string]string{
	".yaml":  FormatYAML,
	".yml":   FormatYAML,
	".json":  FormatJSON,
	".jsonl": FormatJSONL,
	".csv":   FormatCSV,
	".xlsx":  FormatXLSX,
}

// Extensions returns the file extensions that are read, sorted.
func Extensions() []string {
	exts := make([]string, 0, len(formats))
	for e := range formats {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return exts
}

// FormatOf returns the format of a file name from its extension, or "".
func FormatOf(name string) string {
	return formats[strings.ToLower(filepath.Ext(name))]
}

// HasSources reports whether files of a format can declare sources.
func HasSources(format string) bool { return format != FormatCSV }

// File is an input file.
type File struct {
	// Path names the file in positions and outputs: the path as the user
	// gave it, or "embedded:NAME" for the embedded default dataset.
	Path string
	// Format is one of the Format constants.
	Format string

	open func() (io.ReadCloser, error)
	dir  fs.FS
	// disk is the file's path on disk, when it is a regular file: the XLSX
	// reader opens it itself, for random access, rather than read it into
	// memory.
	disk string
	// stream reads a file that is no regular file (a named pipe, a
	// device) once, for every Open.
	stream *spool
}

// Open opens the file for reading. Each call reads it from the start. It
// is OpenContext without a context, and with the default limits.
func (f File) Open() (io.ReadCloser, error) {
	return f.OpenContext(context.Background(), Limits{})
}

// ReadSourceText reads a source's text file, named relative to this file's
// directory. The name is cleaned first (path.Clean: ./k.txt, sub//k.txt and
// a/../k.txt name k.txt, sub/k.txt and k.txt), then it must stay inside
// that directory: absolute paths, a ".." that leads out and symbolic links
// that lead outside are refused with an error wrapping ErrOutsideDir. It must be a regular file (not a named pipe or a device)
// of at most 64 MiB; a larger one is refused, before it is read, with an
// error wrapping ErrLimit.
func (f File) ReadSourceText(name string) ([]byte, error) {
	clean := path.Clean(name)
	if name == "" || !fs.ValidPath(clean) || strings.Contains(name, `\`) {
		return nil, fmt.Errorf("%q: %w", name, ErrOutsideDir)
	}
	escaped := func(err error) error {
		if err != nil && strings.Contains(err.Error(), "escapes from parent") {
			return fmt.Errorf("%q leads outside through a symbolic link: %w", name, ErrOutsideDir)
		}
		return err
	}
	info, err := fs.Stat(f.dir, clean)
	if err != nil {
		return nil, escaped(err)
	}
	switch {
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", name)
	case info.Size() > maxTextBytes:
		return nil, fmt.Errorf("%s is %d bytes, over the limit of %s for a source's text: %w", name, info.Size(), FormatSize(maxTextBytes), ErrLimit)
	}
	file, err := f.dir.Open(clean)
	if err != nil {
		return nil, escaped(err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxTextBytes+1))
	if err == nil && len(b) > maxTextBytes {
		err = fmt.Errorf("%s grew past %s while it was read: %w", name, FormatSize(maxTextBytes), ErrLimit)
	}
	return b, err
}

// ErrOutsideDir is wrapped by errors about a source text outside its
// dataset file's directory.
var ErrOutsideDir = errors.New("the path must be relative and stay inside the dataset file's directory")

// UnsupportedError is returned for a file given by name whose extension is
// not an input format.
type UnsupportedError struct {
	Path string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: not a dataset file; give files ending in %s", e.Path, strings.Join(Extensions(), ", "))
}

// FromFS returns the file name in fsys; display is its Path.
func FromFS(fsys fs.FS, name, display string) File {
	dir := path.Dir(name)
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		sub = fsys
	}
	return File{
		Path:   display,
		Format: FormatOf(name),
		open:   func() (io.ReadCloser, error) { return fsys.Open(name) },
		dir:    sub,
	}
}

// fromDisk returns the file at path p on disk, of which info is os.Stat's.
func fromDisk(p string, info fs.FileInfo) File {
	f := File{
		Path:   p,
		Format: FormatOf(p),
		dir:    rootFS(filepath.Dir(p)),
	}
	if !info.Mode().IsRegular() {
		f.stream = newSpool(p, info)
		return f
	}
	f.open = func() (io.ReadCloser, error) { return os.Open(p) }
	f.disk = p
	return f
}

// rootFS is a directory that nothing read through it can leave, not even
// through symbolic links (os.Root).
type rootFS string

func (r rootFS) Open(name string) (fs.File, error) {
	root, err := os.OpenRoot(string(r))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Open(name)
}

// Skipped is a file or directory that Collect did not read, and why.
type Skipped struct {
	Path   string
	Reason string
}

// CollectOptions say what a walk of input directories leaves out besides
// what Collect always does: export's own outputs, so that a run whose
// output directory sits inside its input directory (cd data && export .)
// does not read, the second time, what the first one wrote.
type CollectOptions struct {
	// OutDir is the run's own output directory, skipped where a walk meets
	// it (found by file identity, whatever path names it). It need not
	// exist; "" skips nothing.
	OutDir string
	// IsExportDir, when set, reports whether a directory holds a set of
	// export's outputs (its manifest.json); a walk skips such a directory.
	IsExportDir func(dir string) bool
}

// Reasons for skipping a directory of export's outputs.
const (
	SkipOutDir    = "export's output directory"
	SkipExportDir = "holds export's manifest.json"
)

// Collect is CollectOptions{}.Collect: it skips no output directory.
func Collect(paths []string) (files []File, skipped []Skipped, err error) {
	return CollectOptions{}.Collect(paths)
}

// Collect expands paths into the files to read: a file is read when its
// extension is an input format; a directory is walked recursively in
// lexical order, reading the files with an input format and listing every
// other entry in skipped. Hidden entries (starting with ".") and Excel's
// lock files (~$name.xlsx, which Excel writes next to a workbook it has
// open) are skipped too; so are symbolic links to directories, so that a
// walk cannot loop, and symbolic links that lead out of the directory
// named or to something other than a regular file (a named pipe, a
// device), so that a dataset directory (which anyone who opens a pull
// request may change) cannot make export read, and print in its report, a
// file elsewhere on the machine. A walk also skips the directories that o
// names (the output directory, directories of export's outputs); a
// directory named in paths is walked all the same.
//
// A file is read once, however many paths lead to it (the same path given
// twice, a directory and a file in it, a link or a hard link to a file
// read already): the first one reads it, the others are skipped, saying
// which path reads it.
//
// A file named explicitly with another extension is an *UnsupportedError;
// a path that does not exist is an I/O error.
func (o CollectOptions) Collect(paths []string) (files []File, skipped []Skipped, err error) {
	c := &collector{opts: o, seen: map[fileKey][]seenFile{}}
	if o.OutDir != "" {
		if info, err := os.Stat(o.OutDir); err == nil && info.IsDir() {
			c.outDir = info
		}
	}
	for _, p := range paths {
		if err := c.path(p); err != nil {
			return nil, nil, err
		}
	}
	return c.files, c.skipped, nil
}

// collector gathers the files of Collect.
type collector struct {
	opts    CollectOptions
	outDir  fs.FileInfo // the output directory, when it exists
	files   []File
	skipped []Skipped
	seen    map[fileKey][]seenFile
}

// fileKey narrows down the files that may be the same as another:
// os.SameFile, which compares device and inode, tells them apart.
type fileKey struct {
	size    int64
	modTime int64
}

type seenFile struct {
	info fs.FileInfo
	path string
}

// add reads the file at p, with info from os.Stat, unless a path read
// already leads to it.
func (c *collector) add(p string, info fs.FileInfo) {
	key := fileKey{info.Size(), info.ModTime().UnixNano()}
	for _, s := range c.seen[key] {
		if os.SameFile(s.info, info) {
			c.skip(p, "the same file as "+s.path+", which is read once")
			return
		}
	}
	c.seen[key] = append(c.seen[key], seenFile{info, p})
	c.files = append(c.files, fromDisk(p, info))
}

func (c *collector) skip(p, reason string) { c.skipped = append(c.skipped, Skipped{p, reason}) }

// path collects one path of Collect's.
func (c *collector) path(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if FormatOf(p) == "" {
			return &UnsupportedError{Path: p}
		}
		c.add(p, info)
		return nil
	}
	// A directory named through a symbolic link is walked (WalkDir
	// alone would not enter it): the trailing separator resolves it.
	root := p
	if li, err := os.Lstat(p); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		root = p + string(filepath.Separator)
	}
	realRoot, err := filepath.EvalSymlinks(p)
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if q == root {
			return nil
		}
		if reason := c.entry(q, d, p, realRoot); reason != "" {
			c.skip(q, reason)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := os.Stat(q)
		if err != nil {
			return err
		}
		c.add(q, info)
		return nil
	})
}

// entry returns why the walk of p (whose real path is realRoot) skips its
// entry q, or "" to read it (or walk it, if it is a directory).
func (c *collector) entry(q string, d fs.DirEntry, p, realRoot string) string {
	name := d.Name()
	switch {
	case strings.HasPrefix(name, "."):
		return "hidden"
	case d.IsDir():
		return c.outputDir(q, d)
	case strings.HasPrefix(name, "~$"):
		// Excel writes ~$figures.xlsx next to figures.xlsx while it is
		// open: a few bytes that are no workbook.
		return "an Excel lock file (the workbook is open in Excel)"
	case d.Type()&fs.ModeSymlink != 0:
		target, err := os.Stat(q)
		switch {
		case err != nil:
			return "broken symbolic link"
		case target.IsDir():
			return "symbolic link to a directory (not followed)"
		case !target.Mode().IsRegular():
			return "symbolic link to something other than a regular file (not followed)"
		case !inside(realRoot, q):
			return "symbolic link leading out of " + p + " (not followed)"
		}
	case !d.Type().IsRegular():
		return "not a regular file"
	}
	if FormatOf(name) == "" {
		return "not a dataset file (" + strings.Join(Extensions(), ", ") + ")"
	}
	return ""
}

// outputDir returns why a walk skips the directory q, holding export's
// outputs, or "".
func (c *collector) outputDir(q string, d fs.DirEntry) string {
	if c.outDir != nil {
		if info, err := d.Info(); err == nil && os.SameFile(info, c.outDir) {
			return SkipOutDir
		}
	}
	if c.opts.IsExportDir != nil && c.opts.IsExportDir(q) {
		return SkipExportDir
	}
	return ""
}

// inside reports whether the file at path p, symbolic links resolved, is
// in the directory dir (whose links are resolved).
func inside(dir, p string) bool {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

//go:embed defaultdata
var defaultData embed.FS

// EmbeddedName is the Path prefix of the embedded default dataset's files.
const EmbeddedName = "embedded:"

// Embedded returns the files of the embedded default dataset: figures about
// South Korea and Kazakhstan from "Kazakhstan today", with the source text.
func Embedded() []File {
	var files []File
	entries, _ := fs.ReadDir(defaultData, "defaultdata")
	for _, e := range entries {
		if FormatOf(e.Name()) != "" {
			files = append(files, FromFS(defaultData, "defaultdata/"+e.Name(), EmbeddedName+e.Name()))
		}
	}
	return files
}
