package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"export/input"
	"export/schema"
)

// prefetchCSV returns a CSV file of n agreement counts, every third one
// invalid (a party given twice).
func prefetchCSV(n int) input.File {
	var b strings.Builder
	b.WriteString("id,kind,parties,documents,qualifier,as_of,source,quote\n")
	for i := range n {
		parties := "KZ;KR"
		if i%3 == 0 {
			parties = "KZ;KZ"
		}
		fmt.Fprintf(&b, "a-%d,agreement_count,%s,%d,over,2008-09-30,s,A quote of some length.\n", i, parties, i+1)
	}
	fsys := fstest.MapFS{"a.csv": {Data: []byte(b.String())}}
	return input.FromFS(fsys, "a.csv", "a.csv")
}

func openFile(t *testing.T, f input.File) input.Reader {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	rd, err := input.Open(f, rc, input.Options{Only: input.OnlyRecords})
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// TestPrefetch checks that a prefetcher returns what the reader returns, in
// order, across batch boundaries, and ends as the reader does.
func TestPrefetch(t *testing.T) {
	for _, n := range []int{0, 1, prefetchBatch - 1, prefetchBatch, prefetchBatch + 1, prefetchBatch*(prefetchDepth+2) + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := prefetchCSV(n)
			pf := prefetch(openFile(t, f))
			defer pf.stop()
			direct := openFile(t, f)
			for i := 0; ; i++ {
				got, gotErr := pf.next()
				want, err := direct.Next()
				if gotErr != err {
					t.Fatalf("item %d: error %v, want %v", i, gotErr, err)
				}
				if err != nil {
					if i != n {
						t.Fatalf("ended after %d items, want %d", i, n)
					}
					return
				}
				if got.Pos != want.Pos || got.ID != want.ID || got.Record == nil {
					t.Fatalf("item %d: %v %s, want %v %s", i, got.Pos, got.ID, want.Pos, want.ID)
				}
				gotErrs, wantErrs := schema.Validate(got.Record), schema.Validate(want.Record)
				if !slices.Equal(gotErrs, wantErrs) || (i%3 == 0) != (len(gotErrs) > 0) {
					t.Fatalf("item %d: errors %v; want %v", i, gotErrs, wantErrs)
				}
			}
		})
	}
}

// TestPrefetchStop stops a prefetcher that is ahead of its reader's
// consumer, blocked on a full channel: stop must end its goroutine (or it
// would hang here).
func TestPrefetchStop(t *testing.T) {
	pf := prefetch(openFile(t, prefetchCSV(prefetchBatch*(prefetchDepth+4))))
	if it, err := pf.next(); err != nil || it.ID != "a-0" {
		t.Fatalf("first item: %+v, %v", it, err)
	}
	pf.stop()
	pf.stop() // a second stop is harmless
}

// gatedReader returns records without end, counting its calls, and holds
// the call numbered gateAt until resume is closed.
type gatedReader struct {
	calls   int
	gateAt  int
	reached chan struct{}
	resume  chan struct{}
}

func (g *gatedReader) Next() (*input.Item, error) {
	g.calls++
	if g.calls == g.gateAt {
		close(g.reached)
		<-g.resume
	}
	return &input.Item{ID: fmt.Sprint("a-", g.calls)}, nil
}

// TestPrefetchStopReadsNoFurther stops a prefetcher in the middle of a
// batch: it must not read on to the batch's end (up to prefetchBatch-1
// items of work for nothing, and reading a file its caller may close).
func TestPrefetchStopReadsNoFurther(t *testing.T) {
	rd := &gatedReader{gateAt: 10, reached: make(chan struct{}), resume: make(chan struct{})}
	pf := prefetch(rd)
	<-rd.reached
	stopped := make(chan struct{})
	go func() { pf.stop(); close(stopped) }()
	<-pf.done // stop has begun
	close(rd.resume)
	<-stopped
	if rd.calls != rd.gateAt {
		t.Errorf("the reader was called %d times; want %d, none after stop", rd.calls, rd.gateAt)
	}
}
