package pipeline

import (
	"strings"
	"sync"
)

// Many records cite the same sentence (or miss it the same way), so where
// a quote is in its source's text, what it states and the countries it
// names are worked out once per quote and shared by the records that cite
// it. Each cache is bounded: a run of millions of records must not keep
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
	mu    sync.Mutex
	m     map[K]V
}

// get returns the value of k, making it with build when it is not cached.
// Two goroutines asking for the same new key may both build it: build must
// give the same value for the same key. A string key is cloned before
// build sees it, so that neither the cache nor the value holds on to what
// the key was cut from (a whole CSV row).
func (sc *sharedCache[K, V]) get(k K, build func(K) V) V {
	sc.mu.Lock()
	v, ok := sc.m[k]
	sc.mu.Unlock()
	if ok {
		return v
	}
	if s, ok := any(k).(string); ok {
		k = any(strings.Clone(s)).(K)
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
