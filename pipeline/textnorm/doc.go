// Package textnorm normalises text so that a quote copied from a PDF matches
// the source's extracted text, forgiving exactly the artifacts of extraction
// and nothing else:
//
//   - white space and line breaks: any run of them becomes one space, and
//     white space at either end is dropped;
//   - split ligatures: a space after fi, fl or ff and before a lowercase
//     letter is dropped ("offi cial" reads "official"), and the ligature
//     characters ﬁ ﬂ ﬀ ﬃ ﬄ become their letters;
//   - line-end hyphens: a hyphen between letters followed by a line break
//     (in a quote, by any white space) becomes [Shy], which a matcher may
//     take as "-" or as nothing;
//   - curly and straight quotes (‘ ’ “ ” ' ") and dashes (‐ ‑ ‒ – — ― − and
//     -) become the straight ones;
//   - soft hyphens (U+00AD) in the input are dropped.
//
// A letter, digit, case or punctuation mark is never changed.
//
// The quote matcher (package pipeline) and the reader of figures (package
// figures) both read text normalised here, so that what one finds the other
// reads the same way. [Append] is the matcher's hot path, run for every
// record; [AppendOffsets] also says, for each normalised rune, which rune of
// the input it came from, so that a reader can point at the input's own
// words.
package textnorm
