package pipeline

import (
	"sync"

	"export/input"
)

// Reading and checking records overlap: a second goroutine reads the
// items of a file (parsing, building the record, keeping positions) while
// the checking goroutine validates and checks the ones before. The two
// halves weigh about the same (in a CPU profile of `export validate` on CSV
// input, reading is 45% of the work, the field rules 45%, the checks that
// need the run's state, ids, sources and quotes, 10%), so on two cores the
// check takes little more than half as long.

// prefetchBatch is how many items the reading goroutine hands over at a
// time, and prefetchDepth how many batches it may be ahead: enough to ride
// out a slow record on either side, little enough to bound memory (at most
// (prefetchDepth+2)×prefetchBatch items held).
const (
	prefetchBatch = 256
	prefetchDepth = 4
)

// readItem is one result of Reader.Next.
type readItem struct {
	it  *input.Item
	err error
}

// prefetcher reads a Reader ahead on its own goroutine.
type prefetcher struct {
	batches chan []readItem
	done    chan struct{}
	wg      sync.WaitGroup
	cur     []readItem
}

// prefetch starts reading rd. The caller takes items with next, and must
// call stop before it closes rd or reads further from what rd reads.
func prefetch(rd input.Reader) *prefetcher {
	p := &prefetcher{batches: make(chan []readItem, prefetchDepth), done: make(chan struct{})}
	p.wg.Add(1)
	go p.read(rd)
	return p
}

func (p *prefetcher) read(rd input.Reader) {
	defer p.wg.Done()
	defer close(p.batches)
	batch := make([]readItem, 0, prefetchBatch)
	for {
		select { // stopped: read no further
		case <-p.done:
			return
		default:
		}
		it, err := rd.Next()
		batch = append(batch, readItem{it: it, err: err})
		if err != nil || len(batch) == prefetchBatch {
			select {
			case p.batches <- batch:
			case <-p.done:
				return
			}
			if err != nil { // io.EOF or the error that ends the file
				return
			}
			batch = make([]readItem, 0, prefetchBatch)
		}
	}
}

// next returns the next item, as Reader.Next would.
func (p *prefetcher) next() (*input.Item, error) {
	if len(p.cur) == 0 {
		b, ok := <-p.batches
		if !ok {
			// Only after stop: the reading goroutine always ends with an
			// error (io.EOF at the end), which next returned.
			panic("pipeline: prefetcher read after its last item")
		}
		p.cur = b
	}
	ri := p.cur[0]
	p.cur[0] = readItem{}
	p.cur = p.cur[1:]
	return ri.it, ri.err
}

// stop ends the reading goroutine and waits for it. It may be called more
// than once.
func (p *prefetcher) stop() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}
