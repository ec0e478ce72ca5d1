package pipeline

import (
	"strings"
	"sync"

	"export/pipeline/figures"
)

// Many records cite the same sentence (or miss it the same way), so where
// a quote is in its source's text, what it states and the countries it
// names are worked out once per quote and shared by the records that cite
// it (quoteFacts), in one look-up. Each cache is bounded: a run of millions of records must not keep
// every quote. The checking workers share them, through a mutex (the work
// done outside it, reading a quote, takes hundreds of times longer than a
// look-up); the values are never changed once made, so sharing changes no
// result.

// maxCached bounds a cache unless it says otherwise: past it, the cache
// starts again empty.
const maxCached = 1 << 12

// sharedCache maps a key to a value made from it once, for many
// goroutines. The zero value is an empty cache of at most maxCached
// entries.
type sharedCache[K comparable, V any] struct {
	limit int // entries kept at most; 0 is maxCached
	// clone, when set, copies a key before the cache keeps it, so that
	// neither the cache nor the value holds on to what the key was cut
	// from (a quote is a slice of a whole CSV row).
	clone func(K) K
	mu    sync.Mutex
	m     map[K]V
}

// get returns the value of k, making it with build when it is not cached.
// Two goroutines asking for the same new key may both build it: build must
// give the same value for the same key. build is given the key cloned.
func (sc *sharedCache[K, V]) get(k K, build func(K) V) V {
	sc.mu.Lock()
	v, ok := sc.m[k]
	sc.mu.Unlock()
	if ok {
		return v
	}
	if sc.clone != nil {
		k = sc.clone(k)
	}
	v = build(k)
	limit := sc.limit
	if limit == 0 {
		limit = maxCached
	}
	sc.mu.Lock()
	if sc.m == nil || len(sc.m) >= limit {
		sc.m = make(map[K]V)
	}
	sc.m[k] = v
	sc.mu.Unlock()
	return v
}

// quoteFacts are what a quote says and where it is in its source's text.
type quoteFacts struct {
	match   quoteMatch      // where the quote is in the text; zero without a text
	reading figures.Reading // the figures the quote states
	named   map[string]bool // the codes of the countries the quote names
}

// factsKey is a quote, and the text of the source it cites (nil when the
// source has no text, or is not declared).
type factsKey struct {
	text  *quoteText
	quote string
}

// maxFacts bounds the facts kept, about a kilobyte each.
const maxFacts = 1 << 13

func newFactsCache() *sharedCache[factsKey, *quoteFacts] {
	return &sharedCache[factsKey, *quoteFacts]{limit: maxFacts,
		clone: func(k factsKey) factsKey { return factsKey{k.text, strings.Clone(k.quote)} }}
}

// factsOf returns the facts of a quote, worked out once (the figures and
// countries only in a build with the checks against the quote: see
// evidenceChecks).
func (c *checker) factsOf(text *quoteText, quote string) *quoteFacts {
	return c.facts.get(factsKey{text, quote}, func(k factsKey) *quoteFacts {
		f := &quoteFacts{}
		if k.text != nil {
			f.match = k.text.find(k.quote)
		}
		if evidenceChecks {
			f.reading = figures.Read(k.quote)
			f.named = namedCodes(k.quote)
		}
		return f
	})
}
