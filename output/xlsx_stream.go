package output

import (
	"bytes"
	"os"
	"reflect"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

// releaseStreamBuffer frees the memory buffer of a StreamWriter whose rows
// are all in its temporary file, and reports whether it did. The buffer is
// empty right after StreamWriter.AddTable or Flush (both move it to the
// file) when the stream has spilled to a file at all.
//
// excelize v2.11.1 buffers a stream's XML in a bytes.Buffer and moves it to
// a temporary file each time it passes 16 MiB (StreamWriter.rawData, a
// bufferedWriter, in stream.go). By then the buffer has grown to 32 MiB, and
// it stays allocated until File.Close, also after Flush, which only resets
// it. A kind with 5 million records fills 5 sheets: without this, 5 such
// buffers (and the garbage the collector lets pile up next to them) push
// the process far past its memory budget. excelize has no API for it, so
// this reaches into the unexported field, guarded: it acts only when the
// fields are what v2.11.1 has, the temporary file exists and the buffer is
// empty, which is exactly when an empty buffer means the same as a reset
// one (bufferedWriter.Reader and Close, called at save and File.Close,
// accept a zero bytes.Buffer). If excelize changes, it does nothing, and
// TestXLSXReleaseStreamBuffer fails so that the upgrade is noticed.
func releaseStreamBuffer(sw *excelize.StreamWriter) bool {
	b, tmp := streamBuffer(sw)
	if b == nil || tmp.IsNil() || b.Len() != 0 {
		return false
	}
	*b = bytes.Buffer{}
	return true
}

// presizeStreamBuffer gives a new StreamWriter's buffer the capacity it
// needs, and reports whether it did. excelize moves the buffer to its
// temporary file once it holds StreamChunkSize (16 MiB), but a bytes.Buffer
// grows by doubling, so each stream would otherwise hold 32 MiB for the
// whole run: with three kinds streaming at once, 48 MiB more than needed.
// With room for the chunk and the longest row (a row is at most a few
// hundred KiB: cells hold at most 32,767 characters), the buffer never
// grows. Same guards as releaseStreamBuffer.
func presizeStreamBuffer(sw *excelize.StreamWriter) bool {
	b, _ := streamBuffer(sw)
	if b == nil || b.Cap() >= streamBufferSize {
		return false
	}
	old := b.Bytes()
	nb := bytes.NewBuffer(make([]byte, 0, streamBufferSize))
	nb.Write(old)
	*b = *nb
	return true
}

const streamBufferSize = excelize.StreamChunkSize + 4<<20

// streamBuffer returns the StreamWriter's buffer and its temporary file
// field, or nil when excelize's fields are not those of v2.11.1.
func streamBuffer(sw *excelize.StreamWriter) (*bytes.Buffer, reflect.Value) {
	raw := reflect.ValueOf(sw).Elem().FieldByName("rawData")
	if !raw.IsValid() || raw.Kind() != reflect.Struct {
		return nil, reflect.Value{}
	}
	buf, tmp := raw.FieldByName("buf"), raw.FieldByName("tmp")
	if !buf.IsValid() || buf.Type() != reflect.TypeFor[bytes.Buffer]() ||
		!tmp.IsValid() || tmp.Type() != reflect.TypeFor[*os.File]() {
		return nil, reflect.Value{}
	}
	return (*bytes.Buffer)(unsafe.Pointer(buf.UnsafeAddr())), tmp
}
