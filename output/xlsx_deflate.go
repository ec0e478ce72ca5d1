package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// zipMaxInFlight bounds the chunks of one stream being compressed at once,
// whatever the number of CPUs: a sheet's rows and its notes stream at the
// same time as the records are checked, and each chunk in flight holds
// 1 MiB, and a compressor of about 1 MB while it runs. With 2 chunks per
// CPU and no bound, export run on GOMAXPROCS=16 peaked at 163 MiB.
const zipMaxInFlight = 8

// chunkDeflater deflates a stream in chunks of zipChunk bytes on as many
// goroutines as there are CPUs (see xlsxZip), and hands the compressed
// chunks, in order, to the emit function it is given. It counts the
// uncompressed bytes and their CRC-32.
type chunkDeflater struct {
	pool    *sync.Pool // of compressors: flatePool, or flatePoolFast
	crc     uint32
	size    int64
	chunk   []byte // uncompressed data not yet handed to a compressor
	pending []<-chan deflated
}

type deflated struct {
	b   []byte
	err error
}

// write adds p to the stream.
func (d *chunkDeflater) write(p []byte, emit func([]byte) error) error {
	d.crc = crc32.Update(d.crc, crc32.IEEETable, p)
	d.size += int64(len(p))
	for len(p) > 0 {
		if d.chunk == nil {
			d.chunk = chunkPool.Get().([]byte)[:0]
		}
		n := min(len(p), zipChunk-len(d.chunk))
		d.chunk = append(d.chunk, p[:n]...)
		p = p[n:]
		if len(d.chunk) == zipChunk {
			if err := d.deflate(false, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// deflate hands the current chunk, full or not, to a compressor goroutine,
// and emits the oldest results while too many are in flight.
func (d *chunkDeflater) deflate(final bool, emit func([]byte) error) error {
	chunk, ch := d.chunk, make(chan deflated, 1)
	d.chunk = nil
	go func() { ch <- deflateChunk(d.pool, chunk, final) }()
	d.pending = append(d.pending, ch)
	for len(d.pending) > min(2*runtime.GOMAXPROCS(0), zipMaxInFlight) {
		if err := d.emitOldest(emit); err != nil {
			return err
		}
	}
	return nil
}

// end deflates what is left and emits every result: final ends the
// deflate stream; otherwise it ends in a sync flush, and more blocks may
// follow it. The deflater may be written again after it.
func (d *chunkDeflater) end(final bool, emit func([]byte) error) error {
	err := d.deflate(final, emit)
	for err == nil && len(d.pending) > 0 {
		err = d.emitOldest(emit)
	}
	return err
}

func (d *chunkDeflater) emitOldest(emit func([]byte) error) error {
	r := <-d.pending[0]
	d.pending = d.pending[1:]
	if r.err != nil {
		return r.err
	}
	return emit(r.b)
}

// discard waits for the compressors still running, and drops their
// results and what was not handed to one: after an error.
func (d *chunkDeflater) discard() {
	for _, ch := range d.pending {
		<-ch
	}
	d.pending = nil
	if d.chunk != nil {
		chunkPool.Put(d.chunk[:0])
		d.chunk = nil
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

// deflatedBody is the middle of a part, deflated as it is written, long
// before the workbook is saved: a sheet's rows, a sheet's notes. Its
// compressed bytes go to a temporary file, and xlsxZip.splice copies them
// into the part when excelize saves it, between what comes before and
// after (which are deflated then). So the rows are compressed while the
// records stream, on the cores the checks leave, and the save neither
// writes the rows' XML (1.2 GB for a million records, and 0.5 GB of notes)
// to a temporary file nor reads it back: it copies 0.2 GB of compressed
// bytes.
type deflatedBody struct {
	d     chunkDeflater
	file  *os.File
	w     *bufio.Writer
	csize int64 // compressed bytes in file
	err   error // sticky
	ended bool
}

func newDeflatedBody(tmpDir string) (*deflatedBody, error) {
	f, err := os.CreateTemp(tmpDir, "figures-xlsx-part-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for %s: %w", XLSXName, err)
	}
	return &deflatedBody{d: chunkDeflater{pool: &flatePool}, file: f, w: bufio.NewWriterSize(f, fileBufferSize)}, nil
}

func (b *deflatedBody) Write(p []byte) (int, error) {
	if b.err == nil && b.ended {
		b.err = errors.New("xlsx: a part's body written after its end")
	}
	if b.err == nil {
		b.err = b.d.write(p, b.emit)
	}
	if b.err != nil {
		return 0, b.err
	}
	return len(p), nil
}

func (b *deflatedBody) emit(c []byte) error {
	n, err := b.w.Write(c)
	b.csize += int64(n)
	if err != nil {
		return fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
	}
	return nil
}

// end deflates what is left, ending in a sync flush (the part goes on after
// it), and flushes the file. It may be called more than once.
func (b *deflatedBody) end() error {
	if b.ended {
		return b.err
	}
	b.ended = true
	if b.err == nil {
		b.err = b.d.end(false, b.emit)
	}
	b.d.discard()
	if b.err == nil {
		if err := b.w.Flush(); err != nil {
			b.err = fmt.Errorf("writing a temporary file for %s: %w", XLSXName, err)
		}
	}
	return b.err
}

// remove deletes the temporary file. It may be called more than once, and
// on a nil body.
func (b *deflatedBody) remove() error {
	if b == nil || b.file == nil {
		return nil
	}
	b.d.discard()
	err := errors.Join(b.file.Close(), os.Remove(b.file.Name()))
	b.file = nil
	return err
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from the CRC-32
// of A, that of B and the length of B, as zlib's crc32_combine does: the
// CRC of A is carried through len2 zero bytes by repeated squaring of the
// operator that appends one zero bit, in GF(2). hash/crc32 has no combine,
// and the rows of a sheet are summed before the sheet's head, which
// changes at the save, is known. TestCRC32Combine checks it against
// crc32 of the concatenation.
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1 ^ crc2
	}
	var even, odd [32]uint32 // operators for 2^k zero bits: even for even k
	odd[0] = crc32.IEEE      // the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd) // the first pass: one zero byte
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}
