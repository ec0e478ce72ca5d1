package pipeline

import (
	"runtime"
	"sync"

	"export/input"
)

// The records pass checks records on every core. One goroutine reads the
// file and hands batches of its entries to a pool of workers, as many as
// GOMAXPROCS. Where the reader is an input.Splitter (CSV, JSON Lines), the
// reading goroutine only finds where each entry ends and where its fields
// are, and the file's digest; the workers decode the entries, so that one
// big file is checked as fast as many small ones. The workers run the checks that
// need only the record and the declared sources (checker.inspect: the
// field rules, the figures and countries against the quote, the quote in
// its source's text, the page). The checking goroutine takes the batches
// back in the order they were read and settles each record in input order
// (checker.settle: the id against the ids before it, the counts, the
// sink, the report), so that every report and every output is the same,
// byte for byte, whatever the number of workers.
//
// The batches travel through a queue of bounded length, in reading order:
// the reader cannot get more than poolDepth batches ahead of the checking
// goroutine, so memory stays bounded (at most poolDepth+1 batches of
// poolBatchSize entries held), and a worker that takes longer over its batch holds back
// only the records after it.

// poolDepth returns how many batches may be read ahead of the checking
// goroutine: enough for every worker to have one and the next waiting.
func poolDepth(workers int) int { return 2*workers + 2 }

// poolBatchSize returns how many entries the reader hands over at a time:
// 256, fewer when many workers would otherwise hold more than
// poolEntries in all, so that memory does not grow with the cores.
func poolBatchSize(depth int) int { return max(16, min(256, poolEntries/depth)) }

// poolEntries bounds the entries in flight, about 2 KB each.
const poolEntries = 2048

// checkBatch is a batch of entries read, and what the workers made of them.
type checkBatch struct {
	items []poolItem
	out   []*inspected  // out[i] is items[i] inspected; nil for an item that is no record
	ready chan struct{} // closed when out is filled
}

// poolItem is an entry read: an item, or one to decode (raw, when split),
// or the error that ends the file.
type poolItem struct {
	it    *input.Item
	raw   input.Raw
	split bool
	err   error
}

// checkPool reads a Reader ahead and inspects its records on workers.
type checkPool struct {
	sp    input.Splitter   // rd, when it splits
	batch int              // entries a batch
	order chan *checkBatch // every batch, in reading order
	work  chan *checkBatch // the same batches, for the workers
	done  chan struct{}
	wg    sync.WaitGroup
	cur   *checkBatch
	i     int
}

// startPool starts reading rd and inspecting its records with c. The
// caller takes items with next, and must call stop before it closes rd or
// reads further from what rd reads. inspect must only read c.
func startPool(rd input.Reader, inspect func(*input.Item) *inspected) *checkPool {
	workers := runtime.GOMAXPROCS(0)
	depth := poolDepth(workers)
	p := &checkPool{order: make(chan *checkBatch, depth), work: make(chan *checkBatch, depth), done: make(chan struct{}),
		batch: poolBatchSize(depth)}
	p.sp, _ = rd.(input.Splitter)
	p.wg.Add(1 + workers)
	go p.read(rd)
	for range workers {
		go p.inspect(inspect)
	}
	return p
}

func (p *checkPool) read(rd input.Reader) {
	defer p.wg.Done()
	defer close(p.work)
	defer close(p.order)
	for {
		b := &checkBatch{items: make([]poolItem, 0, p.batch), ready: make(chan struct{})}
		var err error
		for len(b.items) < p.batch && err == nil {
			select { // stopped: read no further
			case <-p.done:
				return
			default:
			}
			pi := poolItem{split: p.sp != nil}
			if pi.split {
				pi.raw, pi.err = p.sp.Split()
			} else {
				pi.it, pi.err = rd.Next()
			}
			err = pi.err
			b.items = append(b.items, pi)
		}
		select {
		case p.order <- b:
		case <-p.done:
			return
		}
		select {
		case p.work <- b:
		case <-p.done:
			return
		}
		if err != nil { // io.EOF or the error that ends the file
			return
		}
	}
}

func (p *checkPool) inspect(inspect func(*input.Item) *inspected) {
	defer p.wg.Done()
	for b := range p.work {
		b.out = make([]*inspected, len(b.items))
		for i := range b.items {
			pi := &b.items[i]
			if pi.err != nil {
				continue
			}
			if pi.split {
				pi.it = pi.raw.Decode()
				pi.raw = input.Raw{}
			}
			if pi.it != nil && isRecordItem(pi.it) {
				b.out[i] = inspect(pi.it)
			}
		}
		close(b.ready)
	}
}

// isRecordItem reports whether an item of the records pass is a record (it
// may have no kind, or be nothing but an id), rather than a problem with
// the file's structure.
func isRecordItem(it *input.Item) bool {
	return it.Source == nil && (it.Record != nil || it.Kind != nil || it.ID != "")
}

// next returns the next item in reading order, as Reader.Next would, with
// the record inspected (nil when the item is no record).
func (p *checkPool) next() (*input.Item, *inspected, error) {
	for {
		if p.cur == nil || p.i == len(p.cur.items) {
			b, ok := <-p.order
			if !ok {
				// Only after stop: the reader always ends with an error
				// (io.EOF at the end), which next returned.
				panic("pipeline: pool read after its last item")
			}
			<-b.ready
			p.cur, p.i = b, 0
		}
		pi, in := p.cur.items[p.i], p.cur.out[p.i]
		p.cur.items[p.i], p.cur.out[p.i] = poolItem{}, nil
		p.i++
		switch {
		case pi.err != nil:
			return nil, nil, pi.err
		case pi.it == nil:
			continue // an entry of the other pass
		case pi.split:
			if err := p.sp.Limit(pi.it); err != nil {
				return nil, nil, err
			}
		}
		return pi.it, in, nil
	}
}

// stop ends the reader and the workers, and waits for them. It may be
// called more than once.
func (p *checkPool) stop() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}
