package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yamlReader reads a YAML dataset file: a mapping with "sources" and
// "records", each a list of mappings. YAML is read whole: it is meant for
// hand-curated files; large datasets belong in CSV or JSON Lines.
type yamlReader struct {
	file    string
	opts    Options
	queue   []*yaml.Node // the mappings still to turn into items
	kinds   []bool       // for each queued node: is it a source?
	pending []*Item      // problems with the file's structure, returned first
	fatal   error
	done    bool
	lines   []yamlLineStart // when yaml.v3's lines are not the file's (see yamlLines)
}

func newYAMLReader(r io.Reader, file string, opts Options) (*yamlReader, error) {
	y := &yamlReader{file: file, opts: opts}
	t := newTracker(r, file, false)
	data, err := io.ReadAll(io.LimitReader(t, opts.Limits.MaxYAMLBytes+1))
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			y.fatal = e
			return y, nil
		}
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if max := opts.Limits.MaxYAMLBytes; int64(len(data)) > max {
		// Point at the line that crosses the limit.
		pos := Position{File: file, Line: 1 + bytes.Count(data[:max], []byte{'\n'})}
		y.fatal = &Error{Pos: pos, Rule: RuleLimit, Err: ErrLimit,
			Message: fmt.Sprintf("YAML file is larger than %d bytes; split it, or use CSV or JSON Lines for large datasets", opts.Limits.MaxYAMLBytes)}
		return y, nil
	}
	if i := yamlValueMarks(data, opts.Limits.MaxYAMLMarks); i >= 0 {
		pos := Position{File: file, Line: 1 + bytes.Count(data[:i], []byte{'\n'})}
		y.fatal = &Error{Pos: pos, Rule: RuleLimit, Err: ErrLimit,
			Message: fmt.Sprintf("the YAML file holds more than %d of the marks that start a value (, : - ? [ { and line ends), more than is safe to parse whole; split it, or use CSV or JSON Lines for large datasets", opts.Limits.MaxYAMLMarks)}
		return y, nil
	}
	if i := bytes.Index(data, bom); i >= 0 {
		y.fatal = &Error{Pos: offsetPos(file, data, i), Rule: RuleEncoding, Err: ErrEncoding,
			Message: "a byte order mark (U+FEFF) in the middle of the file, where YAML allows none (were two files joined?); remove it"}
		return y, nil
	}
	y.fatal = y.parse(data)
	return y, nil
}

// offsetPos returns the position of the byte at offset i of data, with
// the column counted in characters, as yaml.v3 counts it.
func offsetPos(file string, data []byte, i int) Position {
	lineStart := bytes.LastIndexByte(data[:i], '\n') + 1
	return Position{File: file, Line: 1 + bytes.Count(data[:i], []byte{'\n'}), Column: utf8.RuneCount(data[lineStart:i]) + 1}
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlParserProblems are the problems that yaml.v3's parser (rather than
// its scanner) finds. For them, yaml.v3 gives the line counting from 0.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
}

// syntaxError turns an error of yaml.v3 about data into a positioned error.
// yaml.v3 gives a line at best (that of the problem, or of the start of the
// block that holds it) and none when it is line 1.
func (y *yamlReader) syntaxError(err error, data []byte) *Error {
	pos := Position{File: y.file, Line: 1}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = m[2]
		if m[1] != "" {
			pos.Line, _ = strconv.Atoi(m[1])
			if slices.Contains(yamlParserProblems, msg) {
				pos.Line++
			}
			pos.Line = y.at(pos.Line, 0).Line
		}
	}
	switch {
	case msg == "control characters are not allowed":
		// A reader error, which yaml.v3 gives no position for.
		if p, r, ok := yamlControl(y.file, data); ok {
			pos = p
			msg = fmt.Sprintf("control character %U is not allowed; remove it", r)
		}
	case msg == "found invalid Unicode character escape code":
		if e := yamlBadEscape(y.file, data, pos.Line); e != nil {
			return e
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		return &Error{Pos: y.aliasPos(data, name), Rule: RuleUnsupported, Err: ErrSyntax,
			Message: fmt.Sprintf("YAML aliases (*%s) are not allowed in dataset files; write the value out", name)}
	}
	return &Error{Pos: pos, Rule: RuleSyntax, Err: ErrSyntax, Message: "invalid YAML: " + msg}
}

// yamlControl returns the position of the first character in data that
// YAML does not allow (its printable set), with columns counted in
// characters as yaml.v3 counts them.
func yamlControl(file string, data []byte) (Position, rune, bool) {
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '\n':
			line, lineStart = line+1, i+1
		case r == '\t', r == '\r', r >= 0x20 && r <= 0x7E, r == 0x85,
			r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			col := utf8.RuneCount(data[lineStart:i]) + 1
			return Position{File: file, Line: line, Column: col}, r, true
		}
		i += size
	}
	return Position{}, 0, false
}

// yamlBadEscape returns the error of the first escape on line (of data)
// that yaml.v3 refuses as no Unicode character: half a UTF-16 surrogate
// pair, or a \U past U+10FFFF. YAML escapes stand for one character each,
// so even a whole pair (\ud83d\ude00, as JSON writes U+1F600) is refused:
// the message gives the \U escape of the pair.
func yamlBadEscape(file string, data []byte, line int) *Error {
	start := 0
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return nil
		}
		start += i + 1
	}
	text := data[start:]
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '\\' {
			continue
		}
		width := 0
		switch text[i+1] {
		case 'u':
			width = 4
		case 'U':
			width = 8
		}
		if width == 0 || i+2+width > len(text) {
			i++ // an escaped character, such as \\
			continue
		}
		cp, err := strconv.ParseUint(string(text[i+2:i+2+width]), 16, 32)
		if err != nil || (cp < 0xD800 || cp > 0xDFFF) && cp <= 0x10FFFF {
			i += 1 + width
			continue
		}
		pos := Position{File: file, Line: line, Column: utf8.RuneCount(text[:i]) + 1}
		msg := fmt.Sprintf(`the escape %s stands for no Unicode character; write the character itself`, text[i:i+2+width])
		if cp >= 0xD800 && cp <= 0xDFFF {
			msg = fmt.Sprintf(`the escape %s is half of a UTF-16 surrogate pair, which YAML does not allow (an escape stands for one whole character); write the character itself, or a \U escape of 8 digits`, text[i:i+2+width])
			if low, ok := lowSurrogate(text[i+2+width:]); ok && cp < 0xDC00 {
				r := utf16.DecodeRune(rune(cp), low)
				msg = fmt.Sprintf(`the escapes %s are a UTF-16 surrogate pair, which YAML does not allow (an escape stands for one whole character); write the character itself, or \U%08X`, text[i:i+12], r)
			}
		}
		return &Error{Pos: pos, Rule: RuleEncoding, Err: ErrEncoding, Message: msg}
	}
	return nil
}

// lowSurrogate reads a \u escape of a low surrogate at the start of b.
func lowSurrogate(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	cp, err := strconv.ParseUint(string(b[2:6]), 16, 32)
	return rune(cp), err == nil && cp >= 0xDC00 && cp <= 0xDFFF
}

// aliasPos returns the position of the first alias *name in data, or line 1.
func (y *yamlReader) aliasPos(data []byte, name string) Position {
	alias := []byte("*" + name)
	for off := 0; ; {
		i := bytes.Index(data[off:], alias)
		if i < 0 {
			return Position{File: y.file, Line: 1}
		}
		i += off
		off = i + len(alias)
		if off == len(data) || bytes.IndexByte([]byte(" \t\r\n,[]{}"), data[off]) >= 0 {
			lineStart := bytes.LastIndexByte(data[:i], '\n') + 1
			return Position{File: y.file, Line: 1 + bytes.Count(data[:i], []byte{'\n'}),
				Column: utf8.RuneCount(data[lineStart:i]) + 1}
		}
	}
}

// parse reads the document and queues its sources and records.
func (y *yamlReader) parse(data []byte) error {
	y.lines = yamlLines(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return &Error{Pos: Position{File: y.file, Line: 1}, Rule: RuleSyntax, Err: ErrSyntax,
				Message: "the file is empty (or holds only comments); a YAML dataset file holds sources: and records: (the lists may be empty: records: [])"}
		}
		return y.syntaxError(err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return y.syntaxError(err, data)
		}
		return &Error{Pos: y.pos(&extra), Rule: RuleSyntax, Err: ErrSyntax,
			Message: "a dataset file holds one YAML document; remove the second '---' or split the file"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return &Error{Pos: y.pos(root), Rule: RuleSyntax, Err: ErrSyntax,
			Message: "a dataset file must be a mapping with sources: and records:"}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			return &Error{Pos: y.pos(k), Field: k.Value, Rule: RuleDuplicateKey, Err: ErrSyntax,
				Message: fmt.Sprintf("%s: is given twice (first at line %d); merge the two lists", k.Value, first)}
		}
		seen[k.Value] = y.pos(k).Line
		var isSource bool
		switch k.Value {
		case "sources":
			isSource = true
		case "records":
		default:
			if y.opts.wantSources() {
				y.pending = append(y.pending, &Item{Pos: y.pos(k), Problems: []*Error{errorf(y.pos(k), "", RuleUnknownField,
					"unknown top-level key %q; a dataset file holds sources: and records:", k.Value)}})
			}
			continue
		}
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
			continue
		}
		if v.Kind == yaml.AliasNode {
			return &Error{Pos: y.pos(v), Field: k.Value, Rule: RuleUnsupported, Err: ErrSyntax,
				Message: fmt.Sprintf("YAML aliases (*%s) are not allowed in dataset files; write the list out", v.Value)}
		}
		if v.Kind != yaml.SequenceNode {
			return &Error{Pos: y.pos(v), Field: k.Value, Rule: RuleSyntax, Err: ErrSyntax,
				Message: fmt.Sprintf("%s: must be a list (each item starting with '- ')", k.Value)}
		}
		if (isSource && !y.opts.wantSources()) || (!isSource && !y.opts.wantRecords()) {
			continue
		}
		for _, n := range v.Content {
			y.queue = append(y.queue, n)
			y.kinds = append(y.kinds, isSource)
		}
	}
	return nil
}

func (y *yamlReader) pos(n *yaml.Node) Position {
	return y.at(n.Line, n.Column)
}

// at returns the position of yaml.v3's line and column.
func (y *yamlReader) at(line, col int) Position {
	if line >= 1 && line <= len(y.lines) {
		l := y.lines[line-1]
		return Position{File: y.file, Line: l.line, Column: l.col + col}
	}
	return Position{File: y.file, Line: line, Column: col}
}

// yamlLineStart is where a line of yaml.v3 starts in the file: on which line,
// after how many characters.
type yamlLineStart struct{ line, col int }

// yamlLines returns where yaml.v3's lines start, or nil when they are the
// file's. yaml.v3 (following YAML 1.1) also ends lines at U+0085, U+2028,
// U+2029 and a lone CR, which editors and the other readers do not.
func yamlLines(data []byte) []yamlLineStart {
	if !bytes.Contains(data, []byte("\u0085")) && !bytes.Contains(data, []byte("\u2028")) &&
		!bytes.Contains(data, []byte("\u2029")) && bytes.Count(data, []byte("\r")) == bytes.Count(data, []byte("\r\n")) {
		return nil
	}
	lines := []yamlLineStart{{1, 0}}
	line, col := 1, 0 // the file's line, and characters before i on it
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		i += size
		switch {
		case r == '\n':
			line, col = line+1, 0
			lines = append(lines, yamlLineStart{line, 0})
		case r == '\r' && (i == len(data) || data[i] != '\n'), r == 0x85, r == 0x2028, r == 0x2029:
			col++
			lines = append(lines, yamlLineStart{line, col})
		default:
			col++
		}
	}
	return lines
}

func (y *yamlReader) Next() (*Item, error) {
	if len(y.pending) > 0 {
		it := y.pending[0]
		y.pending = y.pending[1:]
		return it, nil
	}
	if len(y.queue) == 0 {
		if y.fatal != nil && !y.done {
			y.done = true
			return nil, y.fatal
		}
		return nil, io.EOF
	}
	n, isSource := y.queue[0], y.kinds[0]
	y.queue[0] = nil
	y.queue, y.kinds = y.queue[1:], y.kinds[1:]
	pos := y.pos(n)
	what := "record"
	if isSource {
		what = "source"
	}
	if n.Kind == yaml.AliasNode {
		return &Item{Pos: pos, Problems: []*Error{errorf(pos, "", RuleUnsupported,
			"YAML aliases (*%s) are not allowed in dataset files; write the %s out", n.Value, what)}}, nil
	}
	if n.Kind != yaml.MappingNode {
		return &Item{Pos: pos, Problems: []*Error{errorf(pos, "", RuleType,
			"each %s must be a mapping of fields (key: value)", what)}}, nil
	}
	fields := make([]field, 0, len(n.Content)/2)
	var problems []*Error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			problems = append(problems, errorf(y.pos(k), "", RuleSyntax, "a field name must be plain text"))
			continue
		}
		if k.ShortTag() == "!!merge" && v.Kind != yaml.AliasNode { // <<: {kind: ...}, which yaml.v3 leaves unmerged in a node tree
			problems = append(problems, errorf(y.pos(k), "", RuleUnsupported,
				"YAML merge keys (<<) are not allowed in dataset files; write the merged fields into the %s itself", what))
			continue
		}
		val, err := y.value(v, k.Value)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		fields = append(fields, field{key: k.Value, keyPos: y.pos(k), val: val})
	}
	it := buildItem(pos, fields, isSource, y.opts.Limits.MaxFieldBytes)
	it.Problems = append(problems, it.Problems...)
	return it, nil
}

// value converts a YAML value node to a field value.
func (y *yamlReader) value(n *yaml.Node, key string) (node, *Error) {
	pos := y.pos(n)
	switch n.Kind {
	case yaml.AliasNode:
		return node{}, errorf(pos, key, RuleUnsupported,
			"YAML aliases (*%s) are not allowed in dataset files; write the value out", n.Value)
	case yaml.MappingNode:
		m := node{kind: nodeMap, pos: pos, entries: make([]field, 0, len(n.Content)/2)}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return node{}, errorf(y.pos(k), key, RuleSyntax, "a key of %s must be plain text", key)
			}
			val, err := y.value(v, key)
			if err != nil {
				return node{}, err
			}
			val.items, val.entries = nil, nil // a mapping's values are text
			m.entries = append(m.entries, field{key: k.Value, keyPos: y.pos(k), val: val})
		}
		return m, nil
	case yaml.SequenceNode:
		list := node{kind: nodeList, pos: pos, items: make([]node, 0, len(n.Content))}
		for _, e := range n.Content {
			item, err := y.value(e, key)
			if err != nil {
				return node{}, err
			}
			list.items = append(list.items, item)
		}
		return list, nil
	}
	v := node{text: n.Value, pos: pos, plain: n.Style == 0}
	switch n.ShortTag() {
	case "!!str":
		v.kind = nodeString
	case "!!int", "!!float":
		v.kind = nodeNumber
	case "!!bool":
		v.kind = nodeBool
	case "!!null":
		v.kind = nodeNull
	case "!!timestamp":
		v.kind = nodeDate
	default:
		v.kind, v.plain = nodeOther, false
	}
	return v, nil
}
