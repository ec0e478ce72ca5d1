package input

import (
	"io"

	"export/schema"
)

// Item is one source or record read from a file.
type Item struct {
	// Pos is where the item starts.
	Pos Position
	// ID is the item's id as written (even when the record could not be
	// built), for reports.
	ID string
	// Kind is the record's kind; nil for a source, or when the kind is
	// missing or unknown (then Record is nil and Problems says why).
	Kind *schema.Kind
	// Record is the record read, possibly with fields left unset because
	// their values could not be read (see Problems).
	Record schema.Record
	// Source is set when the item declares a source.
	Source *schema.Source
	// Problems are the item's reading problems. Reading goes on after them.
	Problems []*Error

	fields []fieldPos
}

type fieldPos struct {
	name  string
	index int    // element of a list, or -1
	key   string // entry of a mapping (derived), or ""
	pos   Position
}

// IsSource reports whether the item declares a source.
func (it *Item) IsSource() bool { return it.Source != nil }

// FieldPos returns the position of a field's value, or of one element of a
// list field (index >= 0). It falls back to the field, then to the item.
func (it *Item) FieldPos(field string, index int) Position {
	best := it.Pos
	for _, f := range it.fields {
		if f.name != field || f.key != "" {
			continue
		}
		if f.index == index {
			return f.pos
		}
		if f.index < 0 {
			best = f.pos
		}
	}
	return best
}

// EntryPos returns the position of one entry of a mapping field (the key
// of derived's as_of), falling back to the field, then to the item.
func (it *Item) EntryPos(field, key string) Position {
	for _, f := range it.fields {
		if f.name == field && f.key == key {
			return f.pos
		}
	}
	return it.FieldPos(field, -1)
}

// HasProblem reports whether reading already found a problem with field, so
// that validation need not report the same field again.
func (it *Item) HasProblem(field string) bool {
	for _, p := range it.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// Reader reads the items of one file.
type Reader interface {
	// Next returns the next item in file order. At the end of the file it
	// returns nil, io.EOF. An *Error (wrapping ErrSyntax, ErrEncoding or
	// ErrLimit) means the rest of the file cannot be read; any other error
	// is an I/O error. Items are independent of each other: the caller may
	// keep them.
	Next() (*Item, error)
}

// Splitter is a Reader whose entries can be decoded apart from reading
// them, so that decoding, most of the work of reading, can run on several
// goroutines: Split, called in file order on one goroutine, finds the next
// entry and its positions; Raw.Decode, on any goroutine, at the same time as
// Split and other Decodes, builds its item; then Limit, called with each
// item in file order, counts it against the file's limits. Splitting,
// decoding and limiting every entry in order gives what Next gives, item for
// item, error for error: Limit's error ends the file as Next's would. The
// CSV and JSON Lines readers are Splitters.
type Splitter interface {
	Reader
	// Split returns the next entry, or the error Next would return.
	Split() (Raw, error)
	// Limit counts an item decoded, in file order. Its error (wrapping
	// ErrLimit) ends the file: the item is not to be used.
	Limit(*Item) error
}

// Raw is an entry of a file found but not yet decoded (see Splitter).
type Raw struct {
	item *Item // an entry read whole: a problem with the file's structure
	d    interface{ decode() *Item }
}

// Decode builds the entry's item. It returns nil when the entry holds no
// item that the reader's Options ask for (a source in a JSON Lines file
// whose records are read).
func (r Raw) Decode() *Item {
	if r.d == nil {
		return r.item
	}
	return r.d.decode()
}

// Options select what a reader returns.
type Options struct {
	// Only, when set, limits the items returned to sources ("sources") or
	// records ("records"). Readers skip the other items as cheaply as the
	// format allows.
	Only string
	// Limits bound what one file may hold; zero fields take the defaults.
	Limits Limits
}

// What Options.Only may hold.
const (
	OnlySources = "sources"
	OnlyRecords = "records"
)

func (o Options) wantSources() bool { return o.Only != OnlyRecords }
func (o Options) wantRecords() bool { return o.Only != OnlySources }

// Limits bound the resources one input file may take, so that a hostile or
// broken file gets a clear, positioned error (wrapping ErrLimit, with the
// rule RuleLimit) instead of exhausting the machine. Zero fields take the
// values of DefaultLimits. docs/LIMITS.md lists them all, with the command
// line flags that set them.
type Limits struct {
	// MaxFileBytes bounds an input file of any format. A regular file on
	// disk is refused from its size, before anything is read; other content
	// (the embedded dataset, a pipe) is refused once more than that has been
	// read. YAML files and workbooks have lower limits besides
	// (MaxYAMLBytes, MaxXLSXBytes): the smaller one applies.
	MaxFileBytes int64
	// MaxRecords bounds the records one file may hold, and separately the
	// sources it may declare, and the entries that are neither (a list
	// element that is not an object, a line that is not JSON). The entry
	// past the limit gets the error and ends the file.
	MaxRecords int
	// MaxFieldBytes bounds one value, and one field name, in bytes of
	// UTF-8 as read (after JSON escapes and CSV quotes are undone): a cap
	// applied by the readers, besides the contract's own max= rules, so
	// that no value of any size reaches validation. A value over it is a
	// problem of its record, and the value is left out; in a JSON file,
	// which is read as a stream, a string or number over it ends the file
	// as soon as the limit is crossed, so that it is never held whole.
	MaxFieldBytes int
	// MaxLineBytes bounds one line of a JSON Lines file and one CSV row
	// (which may span lines), counting line endings; one source or record
	// of a JSON file (so that a list of millions of small values is not
	// held), and a run of white space between two JSON values; and the XML
	// of one worksheet row of an XLSX workbook (and of any other XML
	// element or text in it, though never to less than 64 KiB).
	MaxLineBytes int
	// MaxYAMLBytes bounds a YAML file, which is read whole.
	MaxYAMLBytes int64
	// MaxYAMLMarks bounds the values of a YAML file, which is parsed whole
	// into a tree of about 170 bytes per value (a key, a scalar, a list or
	// a mapping): counted, before parsing, from above, as the bytes that
	// can start one (",", ":", "-", "?", "[", "{" and line ends; a file
	// holds fewer than twice as many values as marks). A record of the
	// contract takes about 35 marks.
	MaxYAMLMarks int
	// MaxXLSXBytes bounds an XLSX workbook file. A file on disk is read
	// with random access; one that is not (the embedded dataset, a stream)
	// is read into memory, so this also bounds that memory.
	MaxXLSXBytes int64
	// MaxXLSXUnzipBytes bounds the total unpacked size of a workbook's
	// parts, as its zip directory declares them (a part that inflates to
	// more than it declares is an error too). Besides it, fixed limits
	// guard against zip bombs: the zip directory may take at most 4 MiB,
	// a part over 1 MiB may not be compressed more than 100 to 1, and the
	// parts that are held in memory while reading (all but large
	// worksheets and shared strings, which go to temporary files) at most
	// 128 MiB together. A workbook may list at most 1,000 sheets.
	MaxXLSXUnzipBytes int64
}

// DefaultLimits are used for zero Limits fields.
//
// A YAML file of MaxYAMLMarks holds about 28,000 records (13 MB), and
// takes a few hundred MB at most to parse.
// MaxFileBytes and MaxRecords leave room for the streamed formats (CSV,
// JSON Lines, JSON) at ten million records (about 4 GB of CSV); a record
// id takes about 11 bytes of memory for the whole run, so ten million
// records take about 110 MB. MaxFieldBytes is far above the longest value
// the contract allows (a quote of 2000 characters, at most 8000 bytes).
// The XLSX limits hold what the XLSX output writes for a few million
// records (about 1.2 KB of sheet XML per record, compressed about 20 to
// 1): 256 MiB of workbook, 4 GiB unpacked.
var DefaultLimits = Limits{
	MaxFileBytes:      8 << 30,
	MaxRecords:        10_000_000,
	MaxFieldBytes:     64 << 10,
	MaxLineBytes:      1 << 20,
	MaxYAMLBytes:      64 << 20,
	MaxYAMLMarks:      1_000_000,
	MaxXLSXBytes:      256 << 20,
	MaxXLSXUnzipBytes: 4 << 30,
}

func (l Limits) withDefaults() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxRecords <= 0 {
		l.MaxRecords = DefaultLimits.MaxRecords
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = DefaultLimits.MaxFieldBytes
	}
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = DefaultLimits.MaxLineBytes
	}
	if l.MaxYAMLBytes <= 0 {
		l.MaxYAMLBytes = DefaultLimits.MaxYAMLBytes
	}
	if l.MaxYAMLMarks <= 0 {
		l.MaxYAMLMarks = DefaultLimits.MaxYAMLMarks
	}
	if l.MaxXLSXBytes <= 0 {
		l.MaxXLSXBytes = DefaultLimits.MaxXLSXBytes
	}
	if l.MaxXLSXUnzipBytes <= 0 {
		l.MaxXLSXUnzipBytes = DefaultLimits.MaxXLSXUnzipBytes
	}
	// The file limit applies to every format: YAML and XLSX check theirs.
	l.MaxYAMLBytes = min(l.MaxYAMLBytes, l.MaxFileBytes)
	l.MaxXLSXBytes = min(l.MaxXLSXBytes, l.MaxFileBytes)
	return l
}

// Open returns a reader for r, the content of file, in the file's format.
// It enforces opts.Limits (see Limits): a file over the size limit gives a
// reader whose first Next returns the error.
func Open(file File, r io.Reader, opts Options) (Reader, error) {
	opts.Limits = opts.Limits.withDefaults()
	if err := checkFileSize(file, opts.Limits); err != nil {
		return &failedReader{err: err}, nil
	}
	rd, err := openFormat(file, limitStream(file, r, opts.Limits), opts)
	if err != nil {
		return nil, err
	}
	limit := &recordLimit{rd: rd, max: opts.Limits.MaxRecords}
	if sp, ok := rd.(splitter); ok {
		return &splitLimit{recordLimit: limit, sp: sp}, nil
	}
	return limit, nil
}

// splitter is a format's reader that is a Splitter but for the limits.
type splitter interface{ Split() (Raw, error) }

func openFormat(file File, r io.Reader, opts Options) (Reader, error) {
	switch file.Format {
	case FormatYAML:
		return newYAMLReader(r, file.Path, opts)
	case FormatJSON:
		return newJSONReader(r, file.Path, opts), nil
	case FormatJSONL:
		return newJSONLReader(r, file.Path, opts), nil
	case FormatCSV:
		return newCSVReader(r, file.Path, opts), nil
	case FormatXLSX:
		return newXLSXReader(file, r, opts), nil
	}
	return nil, &UnsupportedError{Path: file.Path}
}
