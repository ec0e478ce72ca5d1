package output

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// xlsxZip is the zip writer that excelize saves the workbook through
// (File.SetZipWriter). It fixes two things about excelize v2.11.1's save
// (File.WriteToBuffer and writeToZip in file.go):
//
//   - Order. writeToZip writes the stream-written sheets first, ranging over
//     a map, so with several of them the entry order, and so the file's
//     bytes, change from run to run. xlsxZip spools each entry, compressed,
//     to a temporary file and, on Close, writes the workbook with its
//     entries sorted by name ([Content_Types].xml first), copying the
//     compressed bytes.
//   - Memory. WriteToBuffer builds the whole zip in a bytes.Buffer (about
//     300 MB for a million rows). xlsxZip ignores the writer excelize
//     hands it and writes to the output file itself, so memory stays
//     bounded by the chunks being compressed.
//   - Time. A streamed sheet's rows would be written to excelize's
//     temporary file and read back to be compressed at the save, on one
//     goroutine after the last record. xlsxWriter deflates them as they
//     stream instead, and the entry of each such worksheet splices them in
//     (body, splice) before its </sheetData>.
//
// Why ignoring excelize's buffer is sound, read in v2.11.1's file.go:
// WriteToBuffer calls f.ZipWriter(buf) once, then writeToZip(zw), then
// zw.Close(), and after that only touches buf: writeZip64LFH patches the
// local headers of entries over 4 GiB inside buf (xlsxZip sets that version
// itself, see add), and Encrypt runs only with a password, which we never
// set. So buf stays empty, and File.Write(io.Discard) copies nothing.
// writeToZip writes each entry completely (io.Copy for a stream, one Write
// for the other parts) before it calls Create for the next one. It also
// overwrites a Write error with the next Create's result, so errors here are
// sticky and Close reports the first one. Pin the excelize version: this
// relies on how it saves, which its API does not promise.
//
// Entries are deflated in chunks on every CPU, as pigz does: each chunk is
// compressed on its own and ends with a sync flush (an empty stored block:
// byte-aligned, not final), the last chunk with a final block, so the
// concatenation is one valid deflate stream. Starting each 1 MiB chunk
// without the previous one as a dictionary costs under 1% of the size on
// sheet XML, and lets compressors be reused. The chunk size and the level
// are fixed, so the bytes do not depend on the number of CPUs, only on the
// version of the compressor.
//
// The compressor is klauspost/compress's flate rather than the standard
// library's: at the same level on sheet XML it takes 0.37 times as long,
// for files 7% larger (deflate was a quarter of the CPU time of export run
// with the standard one). go test ./output -run '^$' -bench XLSXDeflate
// compares the two.
type xlsxZip struct {
	out     io.Writer // the workbook; set before excelize saves through it
	spool   *os.File  // compressed entries, in the order excelize wrote them
	spoolW  *bufio.Writer
	off     int64 // bytes written to spool
	entries []*zipEntry
	cur     *zipEntry
	err     error // the first error; sticky
	closed  bool
	// modified is every entry's time (the workbook's; see
	// xlsxWriter.time), in the entries' MS-DOS date and time.
	modified time.Time

	// rewriteHead, when set, is given the start of every worksheet entry, up
	// to and including "<sheetData>", and returns what to write instead,
	// and, when the entry's end is to be rewritten too, a function that is
	// given its last bytes (zipTailMax of them, or all that follow the head)
	// and returns what to write instead.
	rewriteHead func(name string, head []byte) ([]byte, func(tail []byte) ([]byte, error), error)

	// deferPart, when set, says which entries are held in memory, whole,
	// until Close, which hands each to patchPart and writes what it
	// returns: small parts that can be completed only once every other
	// part was seen (the content types, a worksheet's relationships).
	deferPart func(name string) bool
	patchPart func(name string, data []byte) ([]byte, error)
	// extra, when set, is called by Close before the deferred parts are
	// patched, and returns parts to add that excelize did not write.
	extra func() ([]zipExtra, error)
	// body, when set, returns the rows of a worksheet entry that were
	// deflated as they streamed (nil for none), once rewriteHead has seen
	// its head.
	body func(name string) *deflatedBody
}

// zipExtra is a part that xlsxZip adds to the workbook: write writes its
// content, uncompressed.
type zipExtra struct {
	name  string
	write func(io.Writer) error
	// fast compresses it at level 1 rather than zipLevel: for a part of
	// many identical elements (a VML drawing's shapes), which level 1
	// compresses 1.7 times as fast, to 0.8 times the ratio (48 to 1
	// rather than 62 to 1, measured on note shapes).
	fast bool
}

// zipEntry is one spooled entry.
type zipEntry struct {
	name       string
	off, csize int64         // compressed bytes in the spool
	d          chunkDeflater // its uncompressed size and CRC-32, and the chunks being compressed

	head   []byte // a worksheet's start, held until "<sheetData>" is seen
	inHead bool
	held   []byte                       // a worksheet's last bytes (see tail), or a deferred part
	tail   func([]byte) ([]byte, error) // rewrites a worksheet's end
	whole  bool                         // a deferred part: held whole until Close
	// body is a worksheet's rows, deflated as they were streamed, to be
	// spliced in before its </sheetData>; data holds what comes before
	// that until it is seen.
	body *deflatedBody
	data []byte
}

const (
	// zipChunk is the size of the chunks deflated in parallel: big enough
	// that starting afresh costs little, small enough to bound memory.
	zipChunk = 1 << 20
	// zipLevel is the level archive/zip uses (with the standard library's
	// compressor), and so excelize by default.
	zipLevel = 5
	// zipHeadMax bounds how much of a worksheet is held while looking for
	// <sheetData>: excelize writes only a few elements before it.
	zipHeadMax = 1 << 20
	// zipTailMax is how much of a worksheet's end is held for its tail
	// rewrite: what follows </sheetData> (data validations, page setup,
	// the table's part) is a few tens of KiB.
	zipTailMax = 1 << 20
)

var sheetDataTag, sheetDataEnd = []byte("<sheetData>"), []byte("</sheetData>")

// newXLSXZip returns a zip writer that spools to a temporary file in tmpDir
// ("" for os.TempDir) and writes the workbook to its out on Close.
func newXLSXZip(tmpDir string) (*xlsxZip, error) {
	spool, err := os.CreateTemp(tmpDir, "figures-xlsx-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for %s: %w", XLSXName, err)
	}
	return &xlsxZip{spool: spool, spoolW: bufio.NewWriterSize(spool, 1<<20)}, nil
}

// Create starts a new entry; it implements excelize.ZipWriter.
func (z *xlsxZip) Create(name string) (io.Writer, error) {
	if z.closed {
		return nil, errors.New("zip: Create after Close")
	}
	z.finishEntry()
	if z.err != nil {
		return nil, z.err
	}
	e := &zipEntry{name: name, off: z.off, d: chunkDeflater{pool: &flatePool},
		inHead: z.rewriteHead != nil && strings.HasPrefix(name, "xl/worksheets/sheet"),
		whole:  z.deferPart != nil && z.deferPart(name)}
	z.entries = append(z.entries, e)
	z.cur = e
	return entryWriter{z}, nil
}

// AddFS implements excelize.ZipWriter; excelize does not call it when saving.
func (z *xlsxZip) AddFS(fs.FS) error {
	return errors.New("zip: AddFS is not supported")
}

type entryWriter struct{ z *xlsxZip }

func (w entryWriter) Write(p []byte) (int, error) {
	z := w.z
	if z.err != nil {
		return 0, z.err
	}
	e := z.cur
	if e.whole {
		e.held = append(e.held, p...)
		return len(p), nil
	}
	if e.inHead {
		e.head = append(e.head, p...)
		i := bytes.Index(e.head, sheetDataTag)
		if i < 0 && len(e.head) < zipHeadMax {
			return len(p), nil
		}
		e.inHead = false
		head, rest := e.head, []byte(nil)
		if i >= 0 {
			head, rest = e.head[:i+len(sheetDataTag)], e.head[i+len(sheetDataTag):]
			if head, e.tail, z.err = z.rewriteHead(e.name, head); z.err != nil {
				return 0, z.err
			}
			if z.body != nil {
				e.body = z.body(e.name)
			}
		}
		z.data(head)
		z.rest(rest)
		e.head = nil
		return len(p), z.err
	}
	z.rest(p)
	return len(p), z.err
}

// rest adds what follows a worksheet's head. The rows that were deflated as
// they streamed (e.body) go in before </sheetData>: what excelize wrote of
// the sheet's data (its header row) is held until that tag is seen.
func (z *xlsxZip) rest(p []byte) {
	e := z.cur
	if e.body == nil {
		z.hold(p)
		return
	}
	e.data = append(e.data, p...)
	i := bytes.Index(e.data, sheetDataEnd)
	if i < 0 {
		if len(e.data) > zipHeadMax {
			z.err = fmt.Errorf("%s: the end of the sheet's data was not found, for its rows (has excelize changed how it writes streamed sheets?)", e.name)
		}
		return
	}
	data := e.data
	z.data(data[:i])
	z.splice(e.body)
	e.body, e.data = nil, nil
	z.hold(data[i:])
}

// splice adds body's deflated bytes to the current entry. What the entry
// holds so far is deflated first, ending in a sync flush, so that body's
// blocks can follow; its CRC-32 is the two combined.
func (z *xlsxZip) splice(b *deflatedBody) {
	if z.err != nil {
		return
	}
	if err := b.end(); err != nil {
		z.err = err
		return
	}
	e := z.cur
	if err := e.d.end(false, z.emit); err != nil {
		z.err = err
		return
	}
	if err := z.spoolW.Flush(); err != nil {
		z.err = fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
		return
	}
	// The spool's file is written at its end, as the bufio.Writer above it
	// does; with nothing buffered, ReadFrom lets the kernel copy.
	n, err := z.spool.ReadFrom(io.NewSectionReader(b.file, 0, b.csize))
	z.off += n
	e.csize += n
	if err == nil && n != b.csize {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		z.err = fmt.Errorf("copying the rows of %s: %w", e.name, err)
		return
	}
	e.d.crc = crc32Combine(e.d.crc, b.d.crc, b.d.size)
	e.d.size += b.d.size
}

// splice adds b's deflated bytes to the entry being written (xlsxZip.splice).
func (w entryWriter) splice(b *deflatedBody) error {
	w.z.splice(b)
	return w.z.err
}

// hold adds p to the current entry, keeping its last zipTailMax bytes back
// when its tail is to be rewritten.
func (z *xlsxZip) hold(p []byte) {
	e := z.cur
	if e.tail == nil {
		z.data(p)
		return
	}
	e.held = append(e.held, p...)
	if len(e.held) > 2*zipTailMax { // pass the rest on: each byte is copied about once
		n := len(e.held) - zipTailMax
		z.data(e.held[:n])
		e.held = append(e.held[:0], e.held[n:]...)
	}
}

// data adds uncompressed bytes to the current entry.
func (z *xlsxZip) data(p []byte) {
	if z.err != nil {
		return
	}
	if err := z.cur.d.write(p, z.emit); err != nil && z.err == nil {
		z.err = err
	}
}

// emit writes the current entry's next compressed chunk to the spool.
func (z *xlsxZip) emit(b []byte) error {
	if z.err != nil {
		return z.err
	}
	n, err := z.spoolW.Write(b)
	z.off += int64(n)
	z.cur.csize += int64(n)
	if err != nil {
		z.err = fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
	}
	return z.err
}

// finishEntry compresses what is left of the current entry.
func (z *xlsxZip) finishEntry() {
	e := z.cur
	if e == nil {
		return
	}
	if e.whole { // deferred: compressed by Close
		z.cur = nil
		return
	}
	if e.inHead { // a worksheet without <sheetData>: leave it as it is
		e.inHead = false
		z.data(e.head)
		e.head = nil
	}
	if e.body != nil && z.err == nil {
		z.err = fmt.Errorf("%s: the end of the sheet's data was not found, for its rows (has excelize changed how it writes streamed sheets?)", e.name)
	}
	if e.tail != nil && z.err == nil {
		tail, err := e.tail(e.held)
		if err != nil {
			z.err = fmt.Errorf("%s: %w", e.name, err)
		} else {
			z.data(tail)
		}
		e.held, e.tail = nil, nil
	}
	if z.err == nil {
		if err := e.d.end(true, z.emit); err != nil && z.err == nil {
			z.err = err
		}
	}
	e.d.discard() // after an error: let the compressors finish
	z.cur = nil
}

// Close writes the workbook: every entry, sorted by name, then the central
// directory. It implements excelize.ZipWriter.
func (z *xlsxZip) Close() error {
	if z.closed {
		return z.err
	}
	z.closed = true
	z.finishEntry()
	if z.err == nil && z.extra != nil {
		z.addExtra()
	}
	// The deferred parts, patched now that every other part was seen.
	for _, e := range z.entries {
		if !e.whole || z.err != nil {
			continue
		}
		data, err := z.patchPart(e.name, e.held)
		if err != nil {
			z.err = fmt.Errorf("%s: %w", e.name, err)
			break
		}
		e.whole, e.held, e.off = false, nil, z.off
		z.cur = e
		z.data(data)
		z.finishEntry()
	}
	if z.err != nil {
		return z.err
	}
	if err := z.spoolW.Flush(); err != nil {
		return fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
	}
	entries := slices.Clone(z.entries)
	slices.SortFunc(entries, func(a, b *zipEntry) int { return strings.Compare(a.name, b.name) })
	bw := bufio.NewWriterSize(z.out, 1<<20)
	zw := zip.NewWriter(bw)
	for i, e := range entries {
		if i > 0 && e.name == entries[i-1].name {
			return fmt.Errorf("zip: duplicate entry %s", e.name)
		}
		if err := z.add(zw, e); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// addExtra adds the parts that z.extra returns, compressed as the others.
func (z *xlsxZip) addExtra() {
	parts, err := z.extra()
	if err != nil {
		z.err = err
		return
	}
	for _, p := range parts {
		e := &zipEntry{name: p.name, off: z.off, d: chunkDeflater{pool: &flatePool}}
		if p.fast {
			e.d.pool = &flatePoolFast
		}
		z.entries = append(z.entries, e)
		z.cur = e
		if err := p.write(entryWriter{z}); err != nil && z.err == nil {
			z.err = fmt.Errorf("%s: %w", p.name, err)
		}
		z.finishEntry()
		if z.err != nil {
			return
		}
	}
}

// add copies one compressed entry into the workbook. The header is the one
// archive/zip's Create writes (deflate, no time, a data descriptor), with
// the version needed set to 4.5 for an entry over 4 GiB as excelize's
// writeZip64LFH does, because Excel checks it.
func (z *xlsxZip) add(zw *zip.Writer, e *zipEntry) error {
	fh := &zip.FileHeader{
		Name:               e.name,
		Method:             zip.Deflate,
		Flags:              0x8, // data descriptor
		CRC32:              e.d.crc,
		CompressedSize64:   uint64(e.csize),
		UncompressedSize64: uint64(e.d.size),
		CreatorVersion:     20,
		ReaderVersion:      20,
	}
	// CreateRaw writes the MS-DOS fields as they are (only CreateHeader
	// fills them from Modified, and adds an extended timestamp that holds
	// nothing more).
	fh.ModifiedDate, fh.ModifiedTime = msDOSTime(z.modified)
	if e.d.size >= math.MaxUint32 || e.csize >= math.MaxUint32 {
		fh.ReaderVersion = 45
	}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.NewSectionReader(z.spool, e.off, e.csize)); err != nil {
		return fmt.Errorf("copying %s: %w", e.name, err)
	}
	return nil
}

// msDOSTime returns t (UTC) as an MS-DOS date and time, which count from
// 1980 to 2107 in steps of two seconds: earlier times are 1980-01-01, later
// ones the end of 2107. The zero time is date 0 (excelize's "no time").
func msDOSTime(t time.Time) (date, tm uint16) {
	if t.IsZero() {
		return 0, 0
	}
	t = t.UTC()
	switch {
	case t.Year() < 1980:
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	case t.Year() > 2107:
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	date = uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day())
	tm = uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
	return date, tm
}

// remove deletes the spool file. It may be called more than once.
func (z *xlsxZip) remove() error {
	if z == nil || z.spool == nil {
		return nil
	}
	err := errors.Join(z.spool.Close(), os.Remove(z.spool.Name()))
	z.spool = nil
	return err
}
