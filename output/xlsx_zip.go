package output

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
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
	off, csize int64 // compressed bytes in the spool
	size       int64 // uncompressed
	crc        uint32

	head    []byte // a worksheet's start, held until "<sheetData>" is seen
	inHead  bool
	held    []byte                       // a worksheet's last bytes (see tail), or a deferred part
	tail    func([]byte) ([]byte, error) // rewrites a worksheet's end
	whole   bool                         // a deferred part: held whole until Close
	fast    bool                         // compressed at level 1 (zipExtra.fast)
	chunk   []byte                       // uncompressed data not yet handed to a compressor
	pending []<-chan deflated
}

type deflated struct {
	b   []byte
	err error
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

var sheetDataTag = []byte("<sheetData>")

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
	e := &zipEntry{name: name, off: z.off,
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
		}
		z.data(head)
		z.hold(rest)
		e.head = nil
		return len(p), z.err
	}
	z.hold(p)
	return len(p), z.err
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
	e := z.cur
	e.crc = crc32.Update(e.crc, crc32.IEEETable, p)
	e.size += int64(len(p))
	for len(p) > 0 && z.err == nil {
		if e.chunk == nil {
			e.chunk = chunkPool.Get().([]byte)[:0]
		}
		n := min(len(p), zipChunk-len(e.chunk))
		e.chunk = append(e.chunk, p[:n]...)
		p = p[n:]
		if len(e.chunk) == zipChunk {
			z.deflate(false)
		}
	}
}

// deflate hands the current chunk to a compressor goroutine, and writes the
// oldest results out while too many are in flight.
func (z *xlsxZip) deflate(final bool) {
	e := z.cur
	chunk := e.chunk
	ch := make(chan deflated, 1)
	pool := &flatePool
	if e.fast {
		pool = &flatePoolFast
	}
	go func() { ch <- deflateChunk(pool, chunk, final) }()
	e.pending = append(e.pending, ch)
	e.chunk = nil
	for len(e.pending) > 2*runtime.GOMAXPROCS(0) || (final && len(e.pending) > 0) {
		z.writeOldest()
	}
}

func (z *xlsxZip) writeOldest() {
	e := z.cur
	d := <-e.pending[0]
	e.pending = e.pending[1:]
	if z.err != nil {
		return
	}
	if d.err != nil {
		z.err = d.err
		return
	}
	n, err := z.spoolW.Write(d.b)
	z.off += int64(n)
	e.csize += int64(n)
	if err != nil {
		z.err = fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
	}
}

// deflateChunk compresses one chunk. A chunk that is not the last ends
// with a sync flush, which byte-aligns the output without ending the
// stream, so that the next chunk's blocks can follow it.
func deflateChunk(pool *sync.Pool, chunk []byte, final bool) deflated {
	var buf bytes.Buffer
	buf.Grow(len(chunk)/8 + 64)
	fw := pool.Get().(*flate.Writer)
	defer pool.Put(fw)
	fw.Reset(&buf)
	_, err := fw.Write(chunk)
	if chunk != nil {
		chunkPool.Put(chunk[:0])
	}
	if err == nil && final {
		err = fw.Close()
	} else if err == nil {
		err = fw.Flush()
	}
	return deflated{b: buf.Bytes(), err: err}
}

// The pools keep the garbage of compressing a big workbook small: a
// compressor holds about 1 MB.
var (
	flatePool = sync.Pool{New: func() any {
		fw, _ := flate.NewWriter(nil, zipLevel) // fails only for a bad level
		return fw
	}}
	flatePoolFast = sync.Pool{New: func() any {
		fw, _ := flate.NewWriter(nil, 1)
		return fw
	}}
	chunkPool = sync.Pool{New: func() any { return make([]byte, 0, zipChunk) }}
)

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
		z.deflate(true)
	}
	for len(e.pending) > 0 { // after an error: let the goroutines finish
		z.writeOldest()
	}
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
		e := &zipEntry{name: p.name, off: z.off, fast: p.fast}
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
		CRC32:              e.crc,
		CompressedSize64:   uint64(e.csize),
		UncompressedSize64: uint64(e.size),
		CreatorVersion:     20,
		ReaderVersion:      20,
	}
	// CreateRaw writes the MS-DOS fields as they are (only CreateHeader
	// fills them from Modified, and adds an extended timestamp that holds
	// nothing more).
	fh.ModifiedDate, fh.ModifiedTime = msDOSTime(z.modified)
	if e.size >= math.MaxUint32 || e.csize >= math.MaxUint32 {
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
