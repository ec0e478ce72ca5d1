package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

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
	if int64(len(data)) > opts.Limits.MaxYAMLBytes {
		y.fatal = &Error{Pos: Position{File: file}, Rule: RuleLimit, Err: ErrLimit,
			Message: fmt.Sprintf("YAML file is larger than %d bytes; split it, or use CSV or JSON Lines for large datasets", opts.Limits.MaxYAMLBytes)}
		return y, nil
	}
	y.fatal = y.parse(data)
	return y, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (y *yamlReader) syntaxError(err error) *Error {
	pos := Position{File: y.file}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return &Error{Pos: pos, Rule: RuleSyntax, Err: ErrSyntax, Message: "invalid YAML: " + msg}
}

// parse reads the document and queues its sources and records.
func (y *yamlReader) parse(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil // an empty file holds nothing
		}
		return y.syntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return y.syntaxError(err)
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
		seen[k.Value] = k.Line
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
	return Position{File: y.file, Line: n.Line, Column: n.Column}
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
	if n.Kind != yaml.MappingNode {
		what := "record"
		if isSource {
			what = "source"
		}
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
		val, err := y.value(v, k.Value)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		fields = append(fields, field{key: k.Value, keyPos: y.pos(k), val: val})
	}
	it := buildItem(pos, fields, isSource)
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
		return node{kind: nodeMap, pos: pos}, nil
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
