package output

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A Format is one output format, as --formats names it: everything the
// rest of export needs to know of it. Each format defines its descriptor
// beside its writer (csv.go, xlsx.go, …) and registers it there; the
// command line, the data package, the manifest and the pipeline's checks
// range over Formats. A new format is one file and one descriptor.
type Format struct {
	// Name is the format's name in --formats and in File.Format.
	Name string
	// Title names it for people ("JSON Lines"), in the data package.
	Title string
	// Rank orders the formats: --formats writes them in this order.
	Rank int
	// Default formats are written when --formats is not given.
	Default bool
	// MediaType is the media type of its files.
	MediaType string
	// New returns the format's writer, creating its files in dir.
	New func(dir string, opts Options) (Writer, error)
	// Package says how datapackage.json describes the format's files.
	Package PackageRole
	// Objects is set for a format that writes derived and stated as
	// objects (JSON Lines): its files have every column; the others have
	// Kind.TableColumns, with derived as "field: reason" lines.
	Objects bool
	// Binary files have no text encoding (Parquet).
	Binary bool
	// Guarded is set for a format that writes a text that a spreadsheet
	// would run as a formula with a leading apostrophe (CSV): its Table
	// Schemas allow for it.
	Guarded bool
	// Companion, when set, writes a file that goes with the format's
	// files once they are finished (figures.schema.json beside
	// figures.json).
	Companion func(dir string) (File, error)
	// Texts, when set, says what text the format cannot hold exactly, so
	// that the pipeline reports it with the other problems of the data
	// rather than the writer refusing it after the report said "valid".
	Texts *TextLimit
}

// PackageRole says what the data package makes of a format's files.
type PackageRole int

const (
	// NotPackaged files are not described by the data package.
	NotPackaged PackageRole = iota
	// PackagedTables files hold one table each, a resource with its Table
	// Schema.
	PackagedTables
	// PackagedDatabase files hold every table, one resource for the file.
	PackagedDatabase
)

// TextLimit is what text a format cannot hold exactly.
type TextLimit struct {
	// Rule names the problem, such as "xlsx_text".
	Rule string
	// Loses returns the part of a text that the format would store
	// changed, and whether there is one.
	Loses func(text string) (part string, loses bool)
	// Why says, after "holds %q, which", why the format cannot store it.
	Why string
	// Writes names what the format writes, for a message: "figures.xlsx".
	Writes string
}

// formats is the registry, filled by register in the writers' files.
var formats []*Format

// register adds a format to the registry; each writer's file calls it once.
func register(f *Format) *Format {
	if f.Name == "" || f.New == nil || f.Title == "" {
		panic(fmt.Sprintf("output: format %+v lacks a name, a title or a writer", f))
	}
	for _, g := range formats {
		if g.Name == f.Name || g.Rank == f.Rank {
			panic(fmt.Sprintf("output: formats %s and %s share a name or a rank", g.Name, f.Name))
		}
	}
	formats = append(formats, f)
	slices.SortFunc(formats, func(a, b *Format) int { return cmp.Compare(a.Rank, b.Rank) })
	return f
}

// AllFormats returns every format, in rank order.
func AllFormats() []*Format { return slices.Clone(formats) }

// LookupFormat returns the format of that name.
func LookupFormat(name string) (*Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// Formats returns the names of every format, in the order files are listed.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}

// DefaultFormats returns the names of the formats written when --formats
// is not given.
func DefaultFormats() []string {
	var names []string
	for _, f := range formats {
		if f.Default {
			names = append(names, f.Name)
		}
	}
	return names
}

// New returns a writer of format that creates its files in dir.
func New(format, dir string, opts Options) (Writer, error) {
	f, ok := LookupFormat(format)
	if !ok {
		return nil, fmt.Errorf("unknown output format %q; use %s", format, strings.Join(Formats(), ", "))
	}
	return f.New(dir, opts)
}

// Packaged reports whether any of the formats has files that the data
// package describes.
func Packaged(names []string) bool {
	for _, n := range names {
		if f, ok := LookupFormat(n); ok && f.Package != NotPackaged {
			return true
		}
	}
	return false
}

// primaryTables returns the first format (by rank) of table files: the
// data package names its resources without a suffix.
func primaryTables() *Format {
	for _, f := range formats {
		if f.Package == PackagedTables {
			return f
		}
	}
	panic("output: no format of tables is registered")
}

// formatOf returns the registered format of that name, or nil (the
// manifest's and the data package's own files).
func formatOf(name string) *Format {
	f, _ := LookupFormat(name)
	return f
}

// role returns how the data package describes the format's files: not at
// all for a file of no format.
func (f *Format) role() PackageRole {
	if f == nil {
		return NotPackaged
	}
	return f.Package
}
