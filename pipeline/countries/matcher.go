package countries

import (
	"cmp"
	"fmt"
	"slices"
)

// The matcher is a trie over the tokens of the names (see cursor.go), walked
// from each word start of the text: the walk stops at the first token no
// name continues with, which in prose is the first or second, so a text
// costs little more than reading it once. A general multi-pattern matcher
// (Aho–Corasick) would find the names without the walks, but not the word
// boundaries, the case rules or the normalization that decide a match
// here, and prose gives its advantage no room: this trie is the part of the
// job that no library does.
//
// Case decides where English does: each word of a name that starts with a
// capital must start with one in the text ("Chad", not "chad"; "Turkey",
// not "turkey"), and an abbreviation in capitals must be in capitals ("US",
// not "us" or "Us"); other letters match in any case ("SOUTH KOREA").

// maxKey is the length, in tokens, of the longest name the matcher takes.
const maxKey = 128

type matcher struct {
	root  [128]int32 // the child of the root for an ASCII rune, 0 if none
	nodes []trieNode // nodes[0] is the root
	edges []trieEdge
	ends  [][]variant
}

type trieNode struct {
	first, n int32 // edges[first:first+n], sorted by rune
	end      int32 // 1 + the index in ends of the names that end here, or 0
	// wordEnd: the names that end here end with a letter or digit, so
	// they match only before a word boundary.
	wordEnd bool
}

type trieEdge struct {
	r  rune
	to int32
}

// A variant is one name that ends at a node: names that read the same may
// differ in case ("US" and "Us" would).
type variant struct {
	upper [maxKey / 64]uint64 // the tokens that must be written in capitals
	codes []string
}

// buildNode is a node of the trie while it is built. Most nodes have one
// child, so a slice beats a map.
type buildNode struct {
	kids     []buildEdge
	variants []variant
	wordEnd  bool
}

type buildEdge struct {
	r    rune
	node *buildNode
}

// kid returns the child of b for r, adding it if there is none.
func (b *buildNode) kid(r rune) *buildNode {
	for _, e := range b.kids {
		if e.r == r {
			return e.node
		}
	}
	k := &buildNode{}
	b.kids = append(b.kids, buildEdge{r, k})
	return k
}

func newMatcher(names []name) (*matcher, error) {
	root := &buildNode{}
	for _, n := range names {
		key, upper := keyOf(n.text)
		if len(key) == 0 || len(key) > maxKey || !isWord(key[0]) {
			return nil, fmt.Errorf("countries: the name %q cannot be matched: it must start with a letter and be at most %d characters long", n.text, maxKey)
		}
		node := root
		for _, r := range key {
			node = node.kid(r)
		}
		node.wordEnd = isWord(key[len(key)-1])
		v := variant{upper: upper, codes: n.codes}
		if !slices.ContainsFunc(node.variants, func(w variant) bool { return w.upper == v.upper && slices.Equal(w.codes, v.codes) }) {
			node.variants = append(node.variants, v)
		}
	}
	m := &matcher{}
	m.flatten(root)
	for _, e := range m.edges[m.nodes[0].first : m.nodes[0].first+m.nodes[0].n] {
		if e.r < rune(len(m.root)) {
			m.root[e.r] = e.to
		}
	}
	return m, nil
}

// flatten lays the trie out in arrays, breadth first.
func (m *matcher) flatten(root *buildNode) {
	queue := []*buildNode{root}
	for i := 0; i < len(queue); i++ {
		b := queue[i]
		n := trieNode{first: int32(len(m.edges)), n: int32(len(b.kids)), wordEnd: b.wordEnd}
		if len(b.variants) > 0 {
			m.ends = append(m.ends, b.variants)
			n.end = int32(len(m.ends))
		}
		slices.SortFunc(b.kids, func(x, y buildEdge) int { return cmp.Compare(x.r, y.r) })
		for _, e := range b.kids {
			m.edges = append(m.edges, trieEdge{r: e.r, to: int32(len(queue))})
			queue = append(queue, e.node)
		}
		m.nodes = append(m.nodes, n)
	}
}

// keyOf returns the tokens a name is matched on, and which of them must be
// written in capitals: the first letter of each word written with one, and
// every letter of an abbreviation in capitals ("US", "U.S.", "UAE").
func keyOf(text string) (key []rune, upper [maxKey / 64]uint64) {
	var toks []token
	c := cursor{s: text}
	for {
		var t token
		if c.next(&t); t.r == eof {
			break
		}
		toks = append(toks, t)
	}
	if len(toks) > maxKey {
		return nil, upper
	}
	for i, t := range toks {
		key = append(key, t.r)
		wordStart := i == 0 || !isWord(toks[i-1].r)
		if t.upper && (wordStart || inAbbreviation(toks, i)) {
			upper[i/64] |= 1 << (i % 64)
		}
	}
	return key, upper
}

// inAbbreviation says whether toks[i] is in a run of letters and dots whose
// letters, two or more, are all capitals.
func inAbbreviation(toks []token, i int) bool {
	part := func(t token) bool { return isWord(t.r) || t.r == '.' }
	lo, hi := i, i
	for lo > 0 && part(toks[lo-1]) {
		lo--
	}
	for hi < len(toks) && part(toks[hi]) {
		hi++
	}
	letters := 0
	for _, t := range toks[lo:hi] {
		if t.r == '.' {
			continue
		}
		if !t.upper {
			return false
		}
		letters++
	}
	return letters >= 2
}

// child returns the node that node continues to with r, or 0.
func (m *matcher) child(node int32, r rune) int32 {
	if node == 0 && 0 <= r && r < rune(len(m.root)) {
		return m.root[r]
	}
	n := m.nodes[node]
	edges := m.edges[n.first : n.first+n.n]
	if len(edges) > 8 {
		if i, ok := slices.BinarySearchFunc(edges, r, func(e trieEdge, r rune) int { return cmp.Compare(e.r, r) }); ok {
			return edges[i].to
		}
		return 0
	}
	for _, e := range edges {
		if e.r == r {
			return e.to
		}
	}
	return 0
}

// found is the longest name found at a word start.
type found struct {
	codes []string
	// The name's place in the text, and where the text goes on after it:
	// as a name ends on a word boundary, never inside a ligature.
	b0, b1, c0, c1 int
}

// longest looks for the longest name that starts with the token first (a
// word start), the cursor c being after it. When it finds one, it moves c
// to the end of the name.
func (m *matcher) longest(first *token, c *cursor) (best found, ok bool) {
	node := m.child(0, first.r)
	if node == 0 {
		return best, false
	}
	var upper [maxKey / 64]uint64
	w := *c // walks ahead
	var next token
	tok := *first
	end := *c
	for depth := 0; ; depth++ {
		if tok.upper {
			upper[depth/64] |= 1 << (depth % 64)
		}
		n := &m.nodes[node]
		i, cp, last := w.i, w.c, w.last
		w.next(&next)
		if n.end != 0 && (!n.wordEnd || !isWord(next.r)) {
			if codes, matched := accept(m.ends[n.end-1], &upper); matched {
				best, ok = found{codes: codes, b0: first.b0, b1: tok.b1, c0: first.c0, c1: tok.c1}, true
				end.i, end.c, end.last = i, cp, last
			}
		}
		if n.n == 0 || depth+1 == maxKey {
			break
		}
		if node = m.child(node, next.r); node == 0 {
			break
		}
		tok = next
	}
	if ok {
		*c = end
	}
	return best, ok
}

// accept returns the codes of the variants whose capitals the text has.
func accept(vs []variant, upper *[maxKey / 64]uint64) (codes []string, ok bool) {
	for _, v := range vs {
		if v.upper[0]&^upper[0] != 0 || v.upper[1]&^upper[1] != 0 {
			continue
		}
		if !ok {
			codes, ok = v.codes, true
			continue
		}
		codes = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(codes), v.codes...))))
	}
	return codes, ok
}
