package input

import (
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
	// disk is the file's path on disk, when it is one: the XLSX reader
	// opens it itself, for random access, rather than read it into memory.
	disk string
}

// Open opens the file for reading. Each call reads it from the start.
func (f File) Open() (io.ReadCloser, error) { return f.open() }

// Rereadable reports whether each Open reads the same bytes again: a
// regular file on disk or a file of an fs.FS (the embedded dataset) does;
// a named pipe or a device (say, a shell's <(...)) gives its bytes once.
func (f File) Rereadable() bool {
	if f.disk == "" {
		return true
	}
	info, err := os.Stat(f.disk)
	return err == nil && info.Mode().IsRegular()
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

// fromDisk returns the file at path p on disk.
func fromDisk(p string) File {
	return File{
		Path:   p,
		Format: FormatOf(p),
		open:   func() (io.ReadCloser, error) { return os.Open(p) },
		dir:    rootFS(filepath.Dir(p)),
		disk:   p,
	}
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
// file elsewhere on the machine.
//
// A file named explicitly with another extension is an *UnsupportedError;
// a path that does not exist is an I/O error.
func Collect(paths []string) (files []File, skipped []Skipped, err error) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			if FormatOf(p) == "" {
				return nil, nil, &UnsupportedError{Path: p}
			}
			files = append(files, fromDisk(p))
			continue
		}
		// A directory named through a symbolic link is walked (WalkDir
		// alone would not enter it): the trailing separator resolves it.
		root := p
		if li, err := os.Lstat(p); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			root = p + string(filepath.Separator)
		}
		realRoot, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, nil, err
		}
		err = filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if q == root {
				return nil
			}
			name := d.Name()
			switch {
			case strings.HasPrefix(name, "."):
				skipped = append(skipped, Skipped{q, "hidden"})
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			case d.IsDir():
				return nil
			case strings.HasPrefix(name, "~$"):
				// Excel writes ~$figures.xlsx next to figures.xlsx while
				// it is open: a few bytes that are no workbook.
				skipped = append(skipped, Skipped{q, "an Excel lock file (the workbook is open in Excel)"})
				return nil
			case d.Type()&fs.ModeSymlink != 0:
				target, err := os.Stat(q)
				if err != nil {
					skipped = append(skipped, Skipped{q, "broken symbolic link"})
					return nil
				}
				if target.IsDir() {
					skipped = append(skipped, Skipped{q, "symbolic link to a directory (not followed)"})
					return nil
				}
				if !target.Mode().IsRegular() {
					skipped = append(skipped, Skipped{q, "symbolic link to something other than a regular file (not followed)"})
					return nil
				}
				if !inside(realRoot, q) {
					skipped = append(skipped, Skipped{q, "symbolic link leading out of " + p + " (not followed)"})
					return nil
				}
			case !d.Type().IsRegular():
				skipped = append(skipped, Skipped{q, "not a regular file"})
				return nil
			}
			if FormatOf(name) == "" {
				skipped = append(skipped, Skipped{q, "not a dataset file (" + strings.Join(Extensions(), ", ") + ")"})
				return nil
			}
			files = append(files, fromDisk(q))
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return files, skipped, nil
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
