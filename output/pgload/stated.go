package pgload

// The stated spans are the one table the CSV files do not have: they are
// in figures.json (the default formats) or in each kind's JSON Lines file.
// Decoding that JSON costs more than the rest of the client's work, so it
// is done on a goroutine of its own from the start of the load, while the
// server takes the records and fills the child tables, rather than after
// them: figures.json is read once, for every kind, and the spans are
// handed on in batches, in the order the file has them, to the COPYs that
// fill the stated tables. At most statedAhead batches wait for those
// COPYs, which bounds the memory they take.
//
// The JSON is read with github.com/go-json-experiment/json's jsontext,
// the module of encoding/json/v2 (standard from Go 1.27), whose decoder
// skips the values the loader has no use for (every field of a record but
// id and stated) without decoding them: a quarter of encoding/json's time.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/go-json-experiment/json/jsontext"

	"export/schema"
)

const (
	statedBatchSize = 1024
	// statedAhead batches of spans may wait for the stated COPYs: some
	// 130,000 spans, about 16 MiB.
	statedAhead = 128
)

// statedSource is a file that holds stated spans: one kind's JSON Lines
// file, or figures.json with the arrays of kinds.
type statedSource struct {
	path  string
	kinds []*schema.Kind
	lines bool // JSON Lines rather than figures.json
}

// statedSpan is one row of a stated table.
type statedSpan struct {
	id, field, text string
	start, end      int32
}

// statedBatch is up to statedBatchSize spans of one kind, or the error
// that ended the reading.
type statedBatch struct {
	kind  *schema.Kind
	spans []statedSpan
	err   error
}

// statedFeed hands on the spans that a goroutine reads from the sources,
// in their order.
type statedFeed struct {
	batches <-chan statedBatch
	stop    context.CancelFunc
	done    chan struct{}
	unread  *statedBatch // read by one kind's COPY, the next kind's first
}

// startStated starts reading the sources.
func startStated(ctx context.Context, sources []statedSource) *statedFeed {
	ctx, stop := context.WithCancel(ctx)
	batches := make(chan statedBatch, statedAhead)
	f := &statedFeed{batches: batches, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer close(batches)
		for _, s := range sources {
			if err := readStated(ctx, s, batches); err != nil {
				select {
				case batches <- statedBatch{err: err}:
				case <-ctx.Done():
				}
				return
			}
		}
	}()
	return f
}

// next returns the next batch; false when there is none.
func (f *statedFeed) next() (statedBatch, bool) {
	if b := f.unread; b != nil {
		f.unread = nil
		return *b, true
	}
	b, ok := <-f.batches
	return b, ok
}

// Close stops the reading and waits for it to end.
func (f *statedFeed) Close() {
	f.stop()
	for range f.batches {
	}
	<-f.done
}

// statedRows is the CopyFromSource of one kind's spans: the feed's
// batches until one of another kind, which it leaves for the next COPY.
type statedRows struct {
	feed *statedFeed
	kind *schema.Kind
	cur  []statedSpan
	vals []any
	err  error
}

func (s *statedRows) Next() bool {
	for len(s.cur) == 0 {
		b, ok := s.feed.next()
		switch {
		case !ok:
			return false
		case b.err != nil:
			s.err = b.err
			return false
		case b.kind != s.kind:
			s.feed.unread = &b
			return false
		}
		s.cur = b.spans
	}
	sp := s.cur[0]
	s.cur = s.cur[1:]
	s.vals[0], s.vals[1], s.vals[2], s.vals[3], s.vals[4] = sp.id, sp.field, sp.text, sp.start, sp.end
	return true
}

func (s *statedRows) Values() ([]any, error) { return s.vals, nil }
func (s *statedRows) Err() error             { return s.err }

// statedReader reads one source's spans into batches.
type statedReader struct {
	ctx    context.Context
	out    chan<- statedBatch
	src    statedSource
	dec    *jsontext.Decoder
	batch  statedBatch
	keys   []string     // the fields of keysOf, in order
	keysOf *schema.Kind // the kind being read
	rec    []statedSpan // the record being read: its span of each key
	has    []bool       // which keys it has
}

func readStated(ctx context.Context, src statedSource, out chan<- statedBatch) error {
	f, err := os.Open(src.path)
	if err != nil {
		return err
	}
	defer f.Close()
	// Names are not checked for repeats: a record's are export's, and
	// checking them is a tenth of the decoding.
	dec := jsontext.NewDecoder(bufio.NewReaderSize(f, 256<<10), jsontext.AllowDuplicateNames(true))
	r := &statedReader{ctx: ctx, out: out, src: src, dec: dec}
	if src.lines {
		err = r.readLines(src.kinds[0])
	} else {
		err = r.readFigures()
	}
	if err == nil {
		err = r.flush()
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("%s, at byte %d: %w", src.path, r.dec.InputOffset(), err)
	}
	return err
}

// readLines reads a JSON Lines file: one record object after another.
func (r *statedReader) readLines(k *schema.Kind) error {
	for r.dec.PeekKind() != 0 {
		if err := r.readRecord(k); err != nil {
			return err
		}
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		return err
	}
	return nil
}

// readFigures reads figures.json: an object whose kinds' arrays hold the
// records; every other member is skipped.
func (r *statedReader) readFigures() error {
	if err := r.expect('{', "figures.json's object"); err != nil {
		return err
	}
	for {
		more, err := r.more('}')
		if !more {
			return err
		}
		name, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(r.src.kinds, func(k *schema.Kind) bool { return k.Plural == name.String() })
		if i < 0 {
			if err := r.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if err := r.expect('[', name.String()+"'s array of records"); err != nil {
			return err
		}
		for {
			more, err := r.more(']')
			if !more {
				if err != nil {
					return err
				}
				break
			}
			if err := r.readRecord(r.src.kinds[i]); err != nil {
				return err
			}
		}
	}
}

// readRecord reads a record object, keeping its id and stated.
func (r *statedReader) readRecord(k *schema.Kind) error {
	if err := r.expect('{', "a record object"); err != nil {
		return err
	}
	if r.keysOf != k {
		col, _ := k.Column("stated")
		r.keys, r.keysOf = col.Keys(), k
		r.rec, r.has = make([]statedSpan, len(r.keys)), make([]bool, len(r.keys))
	}
	var id string
	clear(r.has)
	for {
		more, err := r.more('}')
		if err != nil {
			return err
		}
		if !more {
			break
		}
		key, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		switch key.String() {
		case "id":
			tok, err := r.dec.ReadToken()
			if err != nil {
				return err
			}
			if tok.Kind() != '"' {
				return fmt.Errorf("a record's id is %s, not a string", tok)
			}
			id = tok.String()
		case "stated":
			if err := r.readSpans(k); err != nil {
				return fmt.Errorf("stated: %w", err)
			}
		default:
			if err := r.dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	return r.addRecord(k, id)
}

// readSpans reads a record's stated: null, or an object of the kind's
// fields, each a span object {"text": ..., "start": ..., "end": ...}.
func (r *statedReader) readSpans(k *schema.Kind) error {
	if r.dec.PeekKind() == 'n' {
		_, err := r.dec.ReadToken()
		return err
	}
	if err := r.expect('{', "an object of spans"); err != nil {
		return err
	}
	for {
		more, err := r.more('}')
		if !more {
			return err
		}
		name, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		i := slices.Index(r.keys, name.String())
		if i < 0 {
			return fmt.Errorf("%q is not a field of kind %s", name.String(), k.Name)
		}
		if err := r.readSpan(&r.rec[i]); err != nil {
			return fmt.Errorf("%s: %w", r.keys[i], err)
		}
		r.rec[i].field, r.has[i] = r.keys[i], true
	}
}

// readSpan reads one span object.
func (r *statedReader) readSpan(sp *statedSpan) error {
	if err := r.expect('{', "a span object"); err != nil {
		return err
	}
	*sp = statedSpan{}
	for {
		more, err := r.more('}')
		if !more {
			return err
		}
		name, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		key := name.String() // before the next token, which reuses it
		tok, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		switch key {
		case "text":
			if tok.Kind() != '"' {
				return fmt.Errorf("text is %s, not a string", tok.Kind())
			}
			sp.text = tok.String()
		case "start", "end":
			n, err := spanOffset(tok)
			if err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			if key == "start" {
				sp.start = n
			} else {
				sp.end = n
			}
		default:
			if k := tok.Kind(); k == '{' || k == '[' {
				return fmt.Errorf("%s is not a value a span has", key)
			}
		}
	}
}

// spanOffset reads a place in the quote: a whole number that fits the
// table's integer column.
func spanOffset(tok jsontext.Token) (int32, error) {
	if tok.Kind() != '0' {
		return 0, fmt.Errorf("%s, not a number", tok.Kind())
	}
	n, err := tok.Int()
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, fmt.Errorf("%s is not a whole number of code points", tok.String())
	}
	return int32(n), nil
}

// addRecord adds the record's spans, in the order of the kind's fields.
func (r *statedReader) addRecord(k *schema.Kind, id string) error {
	if !slices.Contains(r.has, true) {
		return nil
	}
	if id == "" {
		return errors.New("a record with stated spans has no id")
	}
	for i, ok := range r.has {
		if ok {
			sp := r.rec[i]
			sp.id = id
			if err := r.add(k, sp); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *statedReader) add(k *schema.Kind, sp statedSpan) error {
	if r.batch.kind != k {
		if err := r.flush(); err != nil {
			return err
		}
		r.batch.kind = k
	}
	r.batch.spans = append(r.batch.spans, sp)
	if len(r.batch.spans) == statedBatchSize {
		return r.flush()
	}
	return nil
}

// flush hands on the batch, waiting while statedAhead batches wait.
func (r *statedReader) flush() error {
	if len(r.batch.spans) == 0 {
		return nil
	}
	select {
	case r.out <- r.batch:
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	r.batch = statedBatch{kind: r.batch.kind, spans: make([]statedSpan, 0, statedBatchSize)}
	return nil
}

// expect reads the start of an object or array.
func (r *statedReader) expect(kind jsontext.Kind, what string) error {
	tok, err := r.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != kind {
		return fmt.Errorf("want %s, not %s", what, tok.Kind())
	}
	return nil
}

// more reports whether the object or array being read has another
// member, reading its end when not.
func (r *statedReader) more(end jsontext.Kind) (bool, error) {
	switch r.dec.PeekKind() {
	case end:
		_, err := r.dec.ReadToken()
		return false, err
	case 0:
		_, err := r.dec.ReadToken()
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return false, err
	}
	return true, nil
}
