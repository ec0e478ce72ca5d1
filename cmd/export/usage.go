package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"export/input"
)

// flagAliases are the short flags that spell a long one: printed together.
var flagAliases = map[string]string{"o": "out"}

// printUsage writes the usage: of every command with its flags (only ==
// nil), or of one command.
func printUsage(w io.Writer, only *command) {
	if only != nil {
		fmt.Fprintf(w, "Usage: %s %s\n\n%s.\n", prog, only.usage, capitalize(only.short))
		if fs := only.flags(&options{}); hasFlags(fs) {
			fmt.Fprintln(w, "\nFlags:")
			printFlags(w, fs, nil)
		}
		return
	}
	fmt.Fprintf(w, "%s turns hand-curated economic figures into validated, traceable data.\n\nUsage:\n", prog)
	for _, c := range commands {
		fmt.Fprintf(w, "  %s %-30s %s\n", prog, c.usage, c.short)
	}
	for _, g := range flagGroups() {
		fmt.Fprintf(w, "\nFlags of %s:\n", joinAnd(g.commands))
		printFlags(w, g.fs, g.names)
	}
	fmt.Fprintf(w, `
Flags may come before or after the paths; -- ends them.
With no PATH, %[1]s reads its embedded default dataset. A PATH is a file
(%[2]s) or a directory, read recursively.

Exit codes: 0 valid; 1 the data has errors (all reported; nothing written);
2 usage, I/O or internal error.

Run '%[1]s COMMAND -h' for one command's flags.
`, prog, strings.Join(input.Extensions(), ", "))
}

// flagGroup is the flags that the same commands take.
type flagGroup struct {
	commands []string
	fs       *flag.FlagSet // one of the commands' flag sets, to print from
	names    []string
}

// flagGroups groups every command's flags by the commands that take them,
// so that a flag several commands share is listed once, in the order of
// the commands and of the first command's flags.
func flagGroups() []flagGroup {
	var groups []flagGroup
	takers := map[string][]string{} // flag name -> commands
	sets := map[string]*flag.FlagSet{}
	for _, c := range commands {
		fs := c.flags(&options{})
		sets[c.name] = fs
		fs.VisitAll(func(f *flag.Flag) { takers[f.Name] = append(takers[f.Name], c.name) })
	}
	index := map[string]int{} // joined command names -> group
	for _, c := range commands {
		sets[c.name].VisitAll(func(f *flag.Flag) {
			who := takers[f.Name]
			if who[0] != c.name {
				return // listed with the first command that takes it
			}
			key := strings.Join(who, ",")
			i, ok := index[key]
			if !ok {
				i = len(groups)
				index[key] = i
				groups = append(groups, flagGroup{commands: who, fs: sets[c.name]})
			}
			groups[i].names = append(groups[i].names, f.Name)
		})
	}
	// Flags that several commands share come after those of one command.
	slices.SortStableFunc(groups, func(a, b flagGroup) int { return len(a.commands) - len(b.commands) })
	return groups
}

// printFlags lists the flags of fs named in names (every flag if nil), in
// the order of fs, each as the user types it (--report FORMAT) with its
// description and default on the next line.
func printFlags(w io.Writer, fs *flag.FlagSet, names []string) {
	isAlias := map[string]bool{}
	for short, long := range flagAliases {
		if fs.Lookup(short) != nil && fs.Lookup(long) != nil {
			isAlias[long] = true
		}
	}
	fs.VisitAll(func(f *flag.Flag) {
		if isAlias[f.Name] || (names != nil && !slices.Contains(names, f.Name)) {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		spelling := dashed(f.Name)
		if long, ok := flagAliases[f.Name]; ok && isAlias[long] {
			spelling += ", " + dashed(long)
		}
		if arg != "" {
			spelling += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %s\n      %s\n", spelling, usage)
	})
}

// dashed spells a flag name as users type it: -o, --report.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
