package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/agnivade/levenshtein"
)

// nearest returns the candidate closest to what the user typed, for a
// "did you mean" hint, or "" when none is close enough to be the likely
// intent: at most two edits, and no more than half the typed word (so
// that -q does not suggest -o). The edit distance comes from
// agnivade/levenshtein: a small, widely used module without dependencies,
// counting runes, not bytes.
func nearest(typed string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(typed, c); d < bestDist && 2*d <= len([]rune(typed)) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean returns " (did you mean X?)" for the candidate nearest to
// typed, spelt by spell, or "".
func didYouMean(typed string, candidates []string, spell func(string) string) string {
	if n := nearest(typed, candidates); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", spell(n))
	}
	return ""
}

func verbatim(s string) string { return s }

// undefinedFlag is the start of the flag package's error for a flag that
// is not defined; the name follows with one dash.
const undefinedFlag = "flag provided but not defined: -"

// explainFlagError adds to a flag parsing error of cmd the flag meant: the
// nearest flag cmd takes, or the command that takes a flag cmd does not.
func explainFlagError(err error, cmd *command) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, undefinedFlag)
	if !ok {
		return err
	}
	var names []string
	cmd.flags(&options{}).VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if hint := didYouMean(name, names, dashed); hint != "" {
		return errors.New(msg + hint)
	}
	for _, other := range commands {
		if other != cmd && other.flags(&options{}).Lookup(name) != nil {
			return fmt.Errorf("%s (%s is a flag of %s %s, not of %s)", msg, dashed(name), prog, other.name, cmd.name)
		}
	}
	return err
}

// unknownCommand returns a usage error when arg, taken as a path of the
// default command, looks like a misspelt command instead: it names no
// file, and it is near a command's name. Otherwise nil, and arg is a path.
func unknownCommand(arg string) error {
	if strings.HasPrefix(arg, "-") || strings.ContainsAny(arg, `/\.`) {
		return nil
	}
	if _, err := os.Lstat(arg); err == nil {
		return nil
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	if n := nearest(arg, names); n != "" {
		return usagef("unknown command %q (and no file of that name); did you mean %s %s?", arg, prog, n)
	}
	return nil
}
