package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxTopLevelKeys bounds the top-level keys remembered to find one given
// twice: beyond it, unknown keys (each reported) are no longer remembered.
const maxTopLevelKeys = 1024

// maxJSONDepth bounds the nesting of arrays and objects in a JSON value;
// dataset values nest at most two deep.
const maxJSONDepth = 64

// offsets turns a decoder's byte offsets into positions.
type offsets interface {
	pos(off int64) Position
	tokenStart(off int64) int64
	// bytesFrom returns the bytes read from off on (off >= the last query).
	bytesFrom(off int64) []byte
}

// jsonWalker reads JSON values with positions from a token stream.
type jsonWalker struct {
	dec  *json.Decoder
	offs offsets
	file string
	// bound, when set, ends the file at a token more than bound.max bytes
	// past bound.from: one source or record may take at most MaxLineBytes,
	// so that a list or object of millions of small values is not held.
	bound *elementBound
	// values, for a JSON file, refuses a value over MaxFieldBytes as the
	// decoder reads it (JSON Lines holds the line, and limitFields checks).
	values *jsonValueLimit
}

func newJSONWalker(r io.Reader, offs offsets, file string) *jsonWalker {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &jsonWalker{dec: dec, offs: offs, file: file}
}

// token returns the next token and the position where it starts.
func (w *jsonWalker) token() (json.Token, Position, error) {
	off := w.dec.InputOffset()
	if b := w.bound; b != nil && off-b.from > b.max {
		return nil, Position{}, b.err()
	}
	tok, err := w.dec.Token()
	// Only now have the bytes up to the token surely been read.
	start := w.offs.tokenStart(off)
	if err != nil {
		return nil, Position{}, w.fail(err, start)
	}
	return tok, w.offs.pos(start), nil
}

// fail turns a decoder error into a positioned *Error, or wraps an I/O error.
func (w *jsonWalker) fail(err error, start int64) error {
	var e *Error
	var se *json.SyntaxError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &se):
		// The decoder's offset counts only some of the bytes before the
		// error; find the bad byte again in the token that holds it.
		off := start
		if i := scalarError(w.offs.bytesFrom(start)); i >= 0 {
			off = start + i
		} else if se.Offset < start { // an unexpected ',' or ':'
			off = se.Offset
		}
		msg := "invalid JSON: " + se.Error()
		if b := w.offs.bytesFrom(off); bytes.HasPrefix(b, []byte("//")) || bytes.HasPrefix(b, []byte("/*")) {
			msg = "invalid JSON: JSON has no comments (this looks like JSON with comments, JSONC); remove the comment"
		}
		return &Error{Pos: w.offs.pos(off), Rule: RuleSyntax, Err: ErrSyntax, Message: msg}
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return &Error{Pos: w.offs.pos(start), Rule: RuleSyntax, Err: errEnd,
			Message: "invalid JSON: the file ends in the middle of a value; close every { and ["}
	}
	return fmt.Errorf("reading %s: %w", w.file, err)
}

// errEnd is the Err of the error of a file that ends before its JSON
// value does.
var errEnd = fmt.Errorf("%w: the file ends in the middle of a value", ErrSyntax)

// scalarError returns the offset in b of the syntax error in the scalar
// value that b starts with, or -1.
func scalarError(b []byte) int64 {
	if len(b) == 0 || b[0] == '{' || b[0] == '[' {
		return -1
	}
	var v json.RawMessage
	var se *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&v); errors.As(err, &se) {
		return max(se.Offset-1, 0)
	}
	return -1
}

// object reads the members of an object whose '{' has been read, through
// its closing '}'. It returns them when keep is set, and checks them all
// the same when it is not.
func (w *jsonWalker) object(keep bool) ([]field, error) {
	var fields []field
	for w.dec.More() {
		tok, keyPos, err := w.token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		val, err := w.value()
		if err != nil {
			// The value (or one inside it) is over MaxFieldBytes, or
			// holds half a surrogate pair: the check, under the
			// decoder, knows no key.
			if e, ok := err.(*Error); ok && w.values != nil && e == w.values.valueErr {
				e.Field = key
			}
			return nil, err
		}
		if keep {
			fields = append(fields, field{key: key, keyPos: keyPos, val: val})
		}
	}
	if _, _, err := w.token(); err != nil { // '}'
		return nil, err
	}
	return fields, nil
}

// value reads one value. A field's object keeps its keys and values
// (derived is one), but objects and lists inside them are read through
// without their content, as are lists inside lists: no dataset field holds
// them.
func (w *jsonWalker) value() (node, error) {
	tok, pos, err := w.token()
	if err != nil {
		return node{}, err
	}
	return w.valueFrom(tok, pos, 0)
}

func (w *jsonWalker) valueFrom(tok json.Token, pos Position, depth int) (node, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxJSONDepth {
			return node{}, &Error{Pos: pos, Rule: RuleLimit, Err: ErrLimit,
				Message: fmt.Sprintf("JSON nests deeper than %d levels; dataset values are at most a list of text", maxJSONDepth)}
		}
		if t == '{' && depth > 0 {
			if err := w.skip(depth + 1); err != nil {
				return node{}, err
			}
			return node{kind: nodeMap, pos: pos}, nil
		}
		if t == '{' {
			m := node{kind: nodeMap, pos: pos}
			for w.dec.More() {
				tok, keyPos, err := w.token()
				if err != nil {
					return node{}, err
				}
				key, _ := tok.(string)
				tok, p, err := w.token()
				if err != nil {
					return node{}, err
				}
				e, err := w.valueFrom(tok, p, depth+1)
				if err != nil {
					return node{}, err
				}
				e.items, e.entries = nil, nil
				m.entries = append(m.entries, field{key: key, keyPos: keyPos, val: e})
			}
			_, _, err := w.token() // '}'
			return m, err
		}
		list := node{kind: nodeList, pos: pos}
		for w.dec.More() {
			tok, p, err := w.token()
			if err != nil {
				return node{}, err
			}
			e, err := w.valueFrom(tok, p, depth+1)
			if err != nil {
				return node{}, err
			}
			e.items, e.entries = nil, nil // lists inside lists carry no values
			list.items = append(list.items, e)
		}
		_, _, err := w.token() // ']'
		return list, err
	case string:
		return node{kind: nodeString, text: t, pos: pos}, nil
	case json.Number:
		return node{kind: nodeNumber, text: string(t), pos: pos}, nil
	case bool:
		return node{kind: nodeBool, text: fmt.Sprint(t), pos: pos}, nil
	}
	return node{kind: nodeNull, pos: pos}, nil
}

// skip reads through the rest of an array or object whose opening
// delimiter has been read.
func (w *jsonWalker) skip(depth int) error {
	for open := 1; open > 0; {
		tok, pos, err := w.token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				open++
				if depth+open > maxJSONDepth {
					return &Error{Pos: pos, Rule: RuleLimit, Err: ErrLimit,
						Message: fmt.Sprintf("JSON nests deeper than %d levels", maxJSONDepth)}
				}
			default:
				open--
			}
		}
	}
	return nil
}

// skipValue reads through one value.
func (w *jsonWalker) skipValue() error {
	tok, _, err := w.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return w.skip(1)
	}
	return nil
}

// skipElements reads through the list of sources or records that a pass
// does not want. Each element is read as the pass that wants it reads it
// (element: the same bound, depth and value checks) and dropped, so that
// an element ends the file in a pass that skips it exactly when it does in
// a pass that reads it.
func (w *jsonWalker) skipElements(isSource bool, lim Limits) error {
	tok, _, err := w.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		if ok && d == '{' {
			return w.skip(1)
		}
		return nil // not a list: the other pass reports it
	}
	for w.dec.More() {
		if _, _, _, err := w.element(isSource, lim, false); err != nil {
			return err
		}
	}
	_, _, err = w.token() // ']'
	return err
}

// element reads one element of the list of sources or records, at pos: the
// fields of an object (isObject; returned when keep is set), or anything
// else, which valueFrom reads through. The element may take at most
// MaxLineBytes after its first token.
func (w *jsonWalker) element(isSource bool, lim Limits, keep bool) (fields []field, pos Position, isObject bool, err error) {
	tok, pos, err := w.token()
	if err != nil {
		return nil, pos, false, err
	}
	w.bound = newElementBound(w.dec.InputOffset(), pos, isSource, lim)
	defer func() { w.bound = nil }()
	if d, ok := tok.(json.Delim); ok && d == '{' {
		fields, err = w.object(keep)
		return fields, pos, true, err
	}
	_, err = w.valueFrom(tok, pos, 0)
	return nil, pos, false, err
}

// jsonReader reads a JSON dataset file, {"sources": [...], "records": [...]},
// streaming one element of each list at a time.
type jsonReader struct {
	w     *jsonWalker
	opts  Options
	state int
	seen  map[string]int
	fatal error
}

const (
	jsonStart = iota
	jsonKeys
	jsonSources
	jsonRecords
	jsonDone
)

func newJSONReader(r io.Reader, file string, opts Options) *jsonReader {
	t := newTracker(r, file, true)
	values := newJSONValueLimit(t, file, opts.Limits)
	w := newJSONWalker(values, t, file)
	w.values = values
	return &jsonReader{w: w, opts: opts, seen: map[string]int{}}
}

func (j *jsonReader) Next() (*Item, error) {
	if j.fatal != nil {
		return nil, io.EOF
	}
	it, err := j.next()
	if err != nil && err != io.EOF {
		j.fatal = err
	}
	return it, err
}

func (j *jsonReader) next() (*Item, error) {
	w := j.w
	for {
		switch j.state {
		case jsonStart:
			tok, pos, err := w.token()
			if err != nil {
				// Nothing but white space (or a byte order mark) before the end.
				if e, ok := err.(*Error); ok && errors.Is(e, errEnd) {
					e.Pos = Position{File: e.Pos.File, Line: 1}
					e.Message = "the file is empty; a JSON dataset file holds {\"sources\": [...], \"records\": [...]} (the lists may be empty)"
				}
				return nil, err
			}
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return nil, &Error{Pos: pos, Rule: RuleSyntax, Err: ErrSyntax,
					Message: `a JSON dataset file must be an object: {"sources": [...], "records": [...]}`}
			}
			j.state = jsonKeys
		case jsonKeys:
			if !w.dec.More() {
				if _, _, err := w.token(); err != nil { // '}'
					return nil, err
				}
				off := w.dec.InputOffset()
				_, err := w.dec.Token()
				start := w.offs.tokenStart(off)
				if err != io.EOF {
					var e *Error
					if errors.As(err, &e) {
						return nil, e
					}
					return nil, &Error{Pos: w.offs.pos(start), Rule: RuleSyntax, Err: ErrSyntax,
						Message: "invalid JSON: more data after the dataset object; a JSON file holds one object (use .jsonl for one record per line)"}
				}
				j.state = jsonDone
				continue
			}
			tok, pos, err := w.token()
			if err != nil {
				return nil, err
			}
			key, _ := tok.(string)
			if first, dup := j.seen[key]; dup {
				return nil, &Error{Pos: pos, Field: key, Rule: RuleDuplicateKey, Err: ErrSyntax,
					Message: fmt.Sprintf("%q is given twice (first at line %d); merge the two lists", key, first)}
			}
			if len(j.seen) < maxTopLevelKeys || key == "sources" || key == "records" {
				j.seen[key] = pos.Line
			}
			switch key {
			case "sources", "records":
				want := (key == "sources" && j.opts.wantSources()) || (key == "records" && j.opts.wantRecords())
				if !want {
					if err := w.skipElements(key == "sources", j.opts.Limits); err != nil {
						return nil, err
					}
					continue
				}
				tok, pos, err := w.token()
				if err != nil {
					return nil, err
				}
				if tok == nil {
					continue // null: an empty list
				}
				if d, ok := tok.(json.Delim); !ok || d != '[' {
					return nil, &Error{Pos: pos, Field: key, Rule: RuleSyntax, Err: ErrSyntax,
						Message: fmt.Sprintf("%q must be a list: [ {...}, {...} ]", key)}
				}
				j.state = jsonRecords
				if key == "sources" {
					j.state = jsonSources
				}
			case "$schema":
				if err := w.skipValue(); err != nil {
					return nil, err
				}
			default:
				if err := w.skipValue(); err != nil {
					return nil, err
				}
				if j.opts.wantSources() {
					return &Item{Pos: pos, Problems: []*Error{errorf(pos, "", RuleUnknownField,
						"unknown top-level key %q; a dataset file holds \"sources\" and \"records\"", key)}}, nil
				}
			}
		case jsonSources, jsonRecords:
			if !w.dec.More() {
				if _, _, err := w.token(); err != nil { // ']'
					return nil, err
				}
				j.state = jsonKeys
				continue
			}
			isSource := j.state == jsonSources
			fields, pos, isObject, err := w.element(isSource, j.opts.Limits, true)
			switch {
			case err != nil:
				return nil, err
			case !isObject:
				return &Item{Pos: pos, Problems: []*Error{errorf(pos, "", RuleType,
					"each element of the list must be an object of fields")}}, nil
			}
			// jsonValueLimit refused any value over MaxFieldBytes already.
			return buildItem(pos, fields, isSource, j.opts.Limits.MaxFieldBytes), nil
		case jsonDone:
			return nil, io.EOF
		}
	}
}
