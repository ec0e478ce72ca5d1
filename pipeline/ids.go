package pipeline

import (
	"hash/maphash"

	"export/input"
)

// idSet remembers which record ids a run has seen, in about 11 bytes per
// id whatever the id's length, so that millions of records fit in bounded
// memory: it keeps a 64-bit hash of each id, not the id.
//
// A hash seen before means the id is probably a duplicate. Probably: two
// different ids can share a hash (about once in 10^13 runs of 5 million
// records), so add returns a suspect, and the run confirms suspects at the
// end by reading the records again (see checker.confirmDuplicates), which
// also finds where each id was first used. Runs without duplicates, the
// normal case, never read anything twice.
//
// The set is split into 256 open-addressing tables chosen by the hash's top
// byte, each grown on its own, so that growing never holds two copies of
// the whole set at once.
//
// Small runs keep the ids themselves (exact, up to exactIDs of them) so
// that a duplicate is reported at once, with the first position; past that
// the set switches to hashes.
type idSet struct {
	exact  map[string]input.Position
	seed   maphash.Seed
	shards [256]idShard
}

// exactIDs is how many ids are kept exactly before switching to hashes.
var exactIDs = 1 << 12

type idShard struct {
	slots []uint64 // 0 marks an empty slot
	n     int
}

func newIDSet() *idSet {
	return &idSet{exact: map[string]input.Position{}, seed: maphash.MakeSeed()}
}

// check records id, used at pos. It returns the position of an earlier use
// when it knows one (dup), or says that the id may have been used before
// (maybe), which only the hashed set says.
func (s *idSet) check(id string, pos input.Position) (first input.Position, dup, maybe bool) {
	if s.exact != nil {
		if first, ok := s.exact[id]; ok {
			return first, true, false
		}
		s.exact[id] = pos
		if len(s.exact) <= exactIDs {
			return input.Position{}, false, false
		}
		for id := range s.exact { // switch to hashes
			s.add(s.hash(id))
		}
		s.exact = nil
		return input.Position{}, false, false
	}
	return input.Position{}, false, !s.add(s.hash(id))
}

func (s *idSet) hash(id string) uint64 {
	h := maphash.String(s.seed, id)
	if h == 0 {
		h = 1
	}
	return h
}

// add records h and reports whether it was new.
func (s *idSet) add(h uint64) bool {
	sh := &s.shards[h>>56]
	if len(sh.slots) == 0 {
		sh.slots = make([]uint64, 64)
	}
	if !sh.insert(h) {
		return false
	}
	if sh.n*4 > len(sh.slots)*3 { // grow past 3/4 full
		old := sh.slots
		sh.slots, sh.n = make([]uint64, 2*len(old)), 0
		for _, v := range old {
			if v != 0 {
				sh.insert(v)
			}
		}
	}
	return true
}

func (sh *idShard) insert(h uint64) bool {
	mask := uint64(len(sh.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch sh.slots[i] {
		case 0:
			sh.slots[i] = h
			sh.n++
			return true
		case h:
			return false
		}
	}
}

// suspect is a record whose id hash was seen before.
type suspect struct {
	id    string
	kind  string
	pos   input.Position // the record
	idPos input.Position // its id
	valid bool           // it passed every other check
}
