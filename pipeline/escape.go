package pipeline

import (
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"export/input"
)

// What a report prints from the outside world (file names, ids, field
// names, messages, which quote values and name files) may hold what would
// break a report line or disguise it: a line break that starts a line of
// its own (a forged problem, or a GitHub workflow command), an escape
// sequence that a terminal or a CI log obeys, a bidirectional control
// that shows a text reversed, invalid UTF-8. Every format escapes it, each
// in its own way:
//
//   - text: an id, a field or a file name that holds any is quoted with Go
//     escapes (labelText); in a message or a reason each such character is
//     escaped in place (safeText);
//   - github: the same, then the workflow commands' own escapes;
//   - junit: the same (XML 1.0 cannot hold most control characters, even
//     as character references), then XML's;
//   - json: every string exact (encoding/json escapes control characters),
//     with the other unprintable characters written as \u escapes so that
//     the raw document shows them too; a file name that is not valid UTF-8
//     cannot be a JSON string, and its invalid bytes read U+FFFD.
//
// What needs escaping is what strconv.IsPrint calls unprintable, but the
// space: the rule strconv.Quote follows.

// labelText returns an id or a field name as the input wrote it, quoted
// with Go escapes when it holds what would break or disguise a report line:
// a line break or other control character, invalid UTF-8, an invisible or
// bidirectional formatting character (an unknown column or key, an invalid
// id, come straight from the data).
func labelText(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
}

// safeText returns s with each character that strconv.Quote would escape,
// other than '"' and '\\', escaped the same way in place (\n, \x1b,
// \u202e), and each byte of invalid UTF-8 as \xff: a message or a reason
// stays readable, on one line, and shows what it holds.
func safeText(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			const hex = "0123456789abcdef"
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&0xf])
		case r == ' ' || strconv.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRune(r) // '\n', '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// printable reports whether s needs no escaping at all.
func printable(s string) bool {
	for _, r := range s {
		if r != ' ' && !strconv.IsPrint(r) { // invalid UTF-8 decodes as U+FFFD, which is printable
			return false
		}
	}
	return utf8.ValidString(s)
}

// posText writes a position as Position.String does, with the file name
// quoted (labelText) when it needs escaping: file:line:col, or
// file:sheet!cell.
func posText(p input.Position) string {
	s := p.String()
	return labelText(p.File) + safeText(s[len(p.File):])
}

// jsonSafe writes each character of a JSON document that encoding/json
// leaves raw but that strconv.IsPrint calls unprintable (DEL, C1 controls,
// bidirectional and other format characters, U+2028 excepted, already
// escaped) as a \u escape: the document decodes to the same strings, and
// a person reading it raw sees the characters rather than obeys them.
func jsonSafe(b []byte) []byte {
	clean := true
	for _, r := range string(b) {
		if r >= 0x7f && !strconv.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for _, r := range string(b) {
		if r < 0x7f || strconv.IsPrint(r) {
			out = utf8.AppendRune(out, r)
			continue
		}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			out = appendU(appendU(out, r1), r2)
		} else {
			out = appendU(out, r)
		}
	}
	return out
}

func appendU(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// ghData escapes the message of a GitHub workflow command (after the
// second "::"), as the Actions runner unescapes it.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value of a GitHub workflow command
// (file=…,title=…), as the Actions runner unescapes it.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// xmlText escapes s for character data as encoding/xml does (a character
// XML cannot hold becomes U+FFFD), but keeps its line breaks.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// xmlAttr escapes s for an attribute value in double quotes.
func xmlAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // escapes quotes, and tabs and line breaks as character references
	return b.String()
}
