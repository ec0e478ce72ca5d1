package pipeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"export/pipeline/textnorm"
	"export/schema"
)

// Quote matching.
//
// A quote must be found in its source's text, forgiving exactly the
// artifacts of extracting text from a PDF and nothing else (package
// textnorm normalises both sides):
//
//   - white space and line breaks: any run of them matches any other run;
//   - split ligatures: "offi cial" matches "official" (a space after fi, fl
//     or ff, before a lowercase letter, is dropped on both sides), and the
//     ligature characters ﬁ ﬂ ﬀ ﬃ ﬄ match their letters;
//   - line-end hyphens: "sec-" at the end of a line followed by "ond" matches
//     "second" and "sec-ond";
//   - curly and straight quotes (‘ ’ “ ” ' "), and dashes (‐ ‑ ‒ – — ― −
//     and -), match each other.
//
// A changed letter, digit, case or punctuation mark does not match.

// shy marks a line-end hyphen in normalized text: it matches "-" or nothing.
const shy = textnorm.Shy

// quoteText is a source text prepared for matching quotes against it.
type quoteText struct {
	runes []rune
	// The text with every line-end hyphen dropped (joined) and kept
	// (hyphened): most quotes are found in one of them with a plain
	// substring search, and only the rest go through the rune matcher.
	joined, hyphened string
	// joinedAt and hyphenedAt hold the byte offset, in joined and in
	// hyphened, of every posStride-th rune of runes: where a substring
	// search finds a quote tells where it is in runes.
	joinedAt, hyphenedAt []int32
	// pages and paras hold where each page (after a form feed) and each
	// paragraph (after a blank line) after the first starts in runes.
	pages, paras []int
	// The checking workers share the text: everything but this cache
	// (cache.go) is read only once it is built.
	namedBefore sharedCache[int, map[string]bool] // countries named before a quote's start
}

// quoteScratch holds the buffers a search normalises the quote into,
// reused between searches (one per search at a time: quoteScratches).
type quoteScratch struct {
	runes []rune
	buf   []byte
}

var quoteScratches = sync.Pool{New: func() any { return new(quoteScratch) }}

// posStride is the stride of quoteText's byte offsets: locating a match
// reads at most that many runes.
const posStride = 1024

// unsafeString views b as a string for a search that does not keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func newQuoteText(text string) *quoteText {
	// In a source, only a hyphen before a line break is a line-end hyphen;
	// in a quote (find), one before any white space is, since a quote
	// copied from a PDF may have lost the line break.
	qt := &quoteText{}
	qt.runes, qt.pages, qt.paras = normalizeMarked(text)
	s := string(qt.runes)
	qt.joined = strings.ReplaceAll(s, string(shy), "")
	qt.hyphened = strings.ReplaceAll(s, string(shy), "-")
	jb, hb := 0, 0
	for i, r := range qt.runes {
		if i%posStride == 0 {
			qt.joinedAt = append(qt.joinedAt, int32(jb))
			qt.hyphenedAt = append(qt.hyphenedAt, int32(hb))
		}
		jb += markedLen(r, true)
		hb += markedLen(r, false)
	}
	return qt
}

// markChunk is how much of a source's text normalizeMarked normalises at
// a time: the offsets it needs take memory for one chunk, not the text.
const markChunk = 1 << 16

// normalizeMarked normalises a source's text as textnorm does, and finds
// where, in the normalised runes, each page after the first starts (after
// a form feed, which pdftotext writes after every page) and each paragraph
// after the first (after a blank line or a form feed). It normalises a chunk at a time,
// each ending inside a word (between two runes that are neither white
// space nor a hyphen), where normalising in two parts gives the same runes
// as normalising the whole.
func normalizeMarked(text string) (runes []rune, pages, paras []int) {
	runes = make([]rune, 0, len(text))
	var offs []int
	var breaks []int  // in code points of text: form feeds and blank lines
	var isPage []bool // whether each break is a form feed
	cp, lastNL := 0, -1
	blank := true // only white space since the last line break
	for _, r := range text {
		switch {
		case r == '\f': // a new page starts a new paragraph too
			breaks, isPage = append(breaks, cp, cp), append(isPage, true, false)
		case r == '\n':
			if blank && lastNL >= 0 {
				breaks, isPage = append(breaks, cp), append(isPage, false)
			}
			lastNL, blank = cp, true
		case r != ' ' && r != '\t' && r != '\r':
			blank = false
		}
		cp++
	}
	start, startCP := 0, 0 // the chunk's start, in bytes and in code points
	next := 0              // the next break to place
	for start < len(text) {
		end := chunkEnd(text, start)
		runesBefore := len(runes)
		runes, offs = textnorm.AppendOffsets(runes, offs[:0], text[start:end], textnorm.Source)
		n := utf8.RuneCountInString(text[start:end])
		// A break of this chunk starts its page or paragraph at the first
		// rune that comes from after it.
		for next < len(breaks) && breaks[next] < startCP+n {
			k := runesBefore + sortSearch(len(offs), func(i int) bool { return startCP+offs[i] > breaks[next] })
			if isPage[next] {
				pages = append(pages, k)
			} else {
				paras = append(paras, k)
			}
			next++
		}
		start, startCP = end, startCP+n
	}
	return runes, pages, paras
}

// chunkEnd returns where the chunk of text from start ends: about
// markChunk bytes on, between two letters or digits, or the end.
func chunkEnd(text string, start int) int {
	if len(text)-start <= 2*markChunk {
		return len(text)
	}
	for i := start + markChunk; i+1 < len(text) && i < start+2*markChunk; i++ {
		if isWordByte(text[i-1]) && isWordByte(text[i]) && isWordByte(text[i+1]) {
			return i
		}
	}
	return len(text) // no place to cut: one chunk
}

var sortSearch = sort.Search

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// quoteMatch is the result of looking for a quote.
type quoteMatch struct {
	found bool
	// When found: where, in the text's normalised runes.
	start, end int
	// When not found: how much of the quote matched at best, and what
	// follows in the quote and in the text there.
	matched      string
	quoteNext    string
	textNext     string
	matchedRunes int
	// gaveUp says the search stopped at its budget (see searchBudget)
	// before it could tell.
	gaveUp bool
}

// searchBudget bounds the rune comparisons of one search through a text of
// n runes. In prose, a quote's first letter starts a short partial match
// at a few percent of the text's positions, so a real search takes about n
// comparisons; a hostile pair (a text of a million "a" and a quote of two
// thousand "a" then "b") would take two billion, one record stalling a run
// for seconds. Past the budget the search gives up and says so.
func searchBudget(n int) int { return 16*n + 1<<20 }

// find looks for quote in the text.
func (qt *quoteText) find(quote string) quoteMatch {
	// Quotes are checked for every record: normalize into buffers reused
	// between calls.
	sc := quoteScratches.Get().(*quoteScratch)
	defer quoteScratches.Put(sc)
	sc.runes = textnorm.Append(sc.runes[:0], quote, textnorm.Quote)
	q := sc.runes
	if len(q) == 0 {
		return quoteMatch{}
	}
	if !slices.Contains(q, shy) {
		sc.buf = sc.buf[:0]
		for _, r := range q {
			sc.buf = utf8.AppendRune(sc.buf, r)
		}
		s := unsafeString(sc.buf)
		if at := strings.Index(qt.joined, s); at >= 0 {
			return qt.matchFrom(qt.runeAt(at, qt.joined, qt.joinedAt, true), q)
		}
		if at := strings.Index(qt.hyphened, s); at >= 0 {
			return qt.matchFrom(qt.runeAt(at, qt.hyphened, qt.hyphenedAt, false), q)
		}
	}
	t := qt.runes
	bestJ, bestI, bestStart := -1, 0, 0
	budget, gaveUp := searchBudget(len(t)), false
	for start := range t {
		if t[start] != q[0] && !(t[start] == shy && q[0] == '-') {
			continue
		}
		i, j := matchAt(t, start, q)
		if j == len(q) {
			return quoteMatch{found: true, start: start, end: i}
		}
		if j > bestJ {
			bestJ, bestI, bestStart = j, i, start
		}
		if budget -= i - start + 1; budget < 0 {
			gaveUp = true
			break
		}
	}
	m := quoteMatch{matchedRunes: max(bestJ, 0), gaveUp: gaveUp}
	if bestJ > 0 {
		m.matched = show(t[bestStart:bestI])
		m.quoteNext = show(q[bestJ:min(len(q), bestJ+24)])
		m.textNext = show(t[bestI:min(len(t), bestI+24)])
	}
	return m
}

// matchFrom is the match of q found at rune start of the text.
func (qt *quoteText) matchFrom(start int, q []rune) quoteMatch {
	i, j := matchAt(qt.runes, start, q)
	if j != len(q) { // cannot happen: the substring search found it there
		panic(fmt.Sprintf("quote: a match found at rune %d does not match", start))
	}
	return quoteMatch{found: true, start: start, end: i}
}

// runeAt returns the index in qt.runes of the rune at byte offset off of s
// (joined, without the line-end hyphens' marks, when joined is set, or
// hyphened), reading on from the nearest offset of at.
func (qt *quoteText) runeAt(off int, s string, at []int32, joined bool) int {
	k := sortSearch(len(at), func(i int) bool { return int(at[i]) > off }) - 1
	i, b := k*posStride, int(at[k])
	for b < off {
		b += markedLen(qt.runes[i], joined)
		i++
	}
	for joined && i < len(qt.runes) && qt.runes[i] == shy {
		i++ // a mark at the match's start is no part of it
	}
	return i
}

// markedLen is the length in bytes of rune r of the text in joined (which
// drops a line-end hyphen's mark) or in hyphened (which writes it "-").
func markedLen(r rune, joined bool) int {
	switch {
	case r != shy:
		return utf8.RuneLen(r)
	case joined:
		return 0
	}
	return 1
}

// page returns the page of the text on which rune i stands, counted from
// 0, as the form feeds mark them.
func (qt *quoteText) page(i int) int {
	return sortSearch(len(qt.pages), func(k int) bool { return qt.pages[k] > i })
}

// paragraph returns where the paragraph holding rune i starts and ends.
func (qt *quoteText) paragraph(i int) (start, end int) {
	k := sortSearch(len(qt.paras), func(k int) bool { return qt.paras[k] > i })
	start, end = 0, len(qt.runes)
	if k > 0 {
		start = qt.paras[k-1]
	}
	if k < len(qt.paras) {
		end = qt.paras[k]
	}
	return start, end
}

// matchAt matches q against the text from start, and returns how far it got
// in the text (i) and in the quote (j).
func matchAt(t []rune, start int, q []rune) (i, j int) {
	i = start
	for j < len(q) && i < len(t) {
		tc, qc := t[i], q[j]
		switch {
		case qc == shy && tc == '-':
			i, j = i+1, j+1
			// A hyphen and a space in the quote ("pre- and") match them
			// in the text too, where no line break follows the hyphen.
			if i < len(t) && t[i] == ' ' {
				i++
			}
		case tc == qc, tc == shy && qc == '-':
			i, j = i+1, j+1
		case tc == shy:
			i++
		case qc == shy:
			j++
		default:
			return i, j
		}
	}
	return i, j
}

// show turns normalized runes back into readable text.
func show(rs []rune) string {
	return strings.ReplaceAll(string(rs), string(shy), "-")
}

// explain says how a quote that was not found differs from the text.
func (m quoteMatch) explain(textName string) string {
	base := fmt.Sprintf("quote not found in the source's text %s; copy the words exactly as the source has them "+
		"(white space, line breaks, line-end hyphens, split ligatures, curly quotes and dashes may differ)", textName)
	if m.gaveUp {
		return fmt.Sprintf("quote not found in the source's text %s: the text repeats the quote's start so often that "+
			"the search gave up; quote a shorter, more distinctive passage", textName)
	}
	if m.matchedRunes < 10 {
		return base + "; not even its first words were found"
	}
	tail := m.matched
	if r := []rune(tail); len(r) > 40 {
		tail = "…" + string(r[len(r)-40:])
	}
	return fmt.Sprintf("%s; it matches up to %q, then the quote has %q where the source has %q",
		base, tail, m.quoteNext, m.textNext)
}

// align walks a quote's normalised runes q against the text from start, as
// matchAt does, and returns for each rune of q the index of the text's rune
// it matched (-1 for a line-end hyphen's mark the text has not).
func align(t []rune, start int, q []rune) []int {
	at := make([]int, len(q))
	i, j := start, 0
	for j < len(q) && i < len(t) {
		tc, qc := t[i], q[j]
		switch {
		case qc == shy && tc == '-':
			at[j] = i
			i, j = i+1, j+1
			if i < len(t) && t[i] == ' ' {
				i++
			}
		case tc == qc, tc == shy && qc == '-':
			at[j] = i
			i, j = i+1, j+1
		case tc == shy:
			i++
		case qc == shy:
			at[j] = -1
			j++
		default:
			return at[:j]
		}
	}
	return at[:j]
}

// evidence places a quote found at m, and the words of it that stated
// gives (in the quote's code points), in the paragraph of the text that
// holds the quote's start.
func (qt *quoteText) evidence(quote string, m quoteMatch, stated schema.Stated) *Evidence {
	ps, pe := qt.paragraph(m.start)
	ev := &Evidence{Paragraph: show(qt.runes[ps:pe]), QuoteStart: m.start - ps, QuoteEnd: min(m.end, pe) - ps}
	q, offs := textnorm.AppendOffsets(nil, nil, quote, textnorm.Quote)
	at := align(qt.runes, m.start, q)
	for _, s := range stated {
		first, last := -1, -1
		for j, o := range offs[:len(at)] {
			if o >= s.Start && o < s.End && at[j] >= 0 {
				if first < 0 {
					first = at[j]
				}
				last = at[j]
			}
		}
		if first < 0 || last >= pe {
			continue // the words are past the paragraph: the quote shows them
		}
		ev.Stated = append(ev.Stated, schema.Span{Field: s.Field, Text: show(qt.runes[first : last+1]),
			Start: first - ps, End: last + 1 - ps})
	}
	return ev
}
