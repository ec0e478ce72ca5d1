package schema

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
)

// Homoglyph looks for the word of words that s differs from only by
// characters that look alike (a Cyrillic о for a Latin o, a Greek Α for a
// Latin A), as Unicode's confusables table says (UTS #39 skeletons: the
// table of github.com/mtibben/confusables, Unicode 13). It returns that
// word and a phrase that names the look-alikes in s, for a vocabulary's
// message:
//
//	contains Cyrillic о (U+043E) where other has o
//
// ok is false when s is one of words, holds no character that differs
// from every word by more than its look, or looks like none of them.
func Homoglyph(s string, words []string) (word, why string, ok bool) {
	skeleton := confusables.Skeleton(s)
	for _, w := range words {
		if w == s {
			return "", "", false
		}
	}
	for _, w := range words {
		if confusables.Skeleton(w) != skeleton {
			continue
		}
		if names := lookAlikes(s, w); names != "" {
			return w, "contains " + names + " where " + w + " has " + counterparts(s, w), true
		}
	}
	return "", "", false
}

// lookAlikes names the characters of s that w does not hold: "Cyrillic о
// (U+043E) and Greek α (U+03B1)".
func lookAlikes(s, w string) string {
	var names []string
	for _, r := range distinct(s, w) {
		names = append(names, fmt.Sprintf("%s %c (%U)", scriptOf(r), r, r))
	}
	return joinAnd(names)
}

// counterparts names the characters of w that the look-alikes of s stand
// for, in order: "o" or "o and a".
func counterparts(s, w string) string {
	var out []string
	for _, r := range distinct(s, w) {
		sk := confusables.Skeleton(string(r))
		for _, c := range w {
			if confusables.Skeleton(string(c)) == sk {
				out = append(out, string(c))
				break
			}
		}
	}
	return joinAnd(out)
}

// distinct returns the characters of s that w does not hold, each once.
func distinct(s, w string) []rune {
	var out []rune
	for _, r := range s {
		if !strings.ContainsRune(w, r) && !strings.ContainsRune(string(out), r) && r != utf8.RuneError {
			out = append(out, r)
		}
	}
	return out
}

// scriptOf returns the name of the Unicode script of r ("Cyrillic"), or
// "the character" for one of no script of its own (Common, Inherited).
func scriptOf(r rune) string {
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	return "the character"
}

func joinAnd(list []string) string {
	if len(list) <= 1 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// asciiSkeleton returns the capital ASCII letters that s looks like ("KZ"
// for a Cyrillic К and a Latin Z), or "" when s looks like something else:
// the code a look-alike of an ISO code stands for.
func asciiSkeleton(s string) string {
	sk := confusables.Skeleton(s)
	if sk == "" || utf8.RuneCountInString(s) != len(sk) {
		return ""
	}
	for i := 0; i < len(sk); i++ {
		if sk[i] < 'A' || sk[i] > 'Z' {
			return ""
		}
	}
	return sk
}
