package asl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Template is a compiled Payload Template (spec "Payload Template"): the value
// of Parameters, ResultSelector, ItemSelector or a Task's Parameters. It is
// immutable and safe for concurrent use.
type Template struct {
	root *tnode
	srcs Sources
}

type tkind uint8

const (
	tLiteral   tkind = iota // a subtree without any ".$" field
	tObject                 // an object with at least one ".$" field below it
	tArray                  // an array with at least one ".$" field below it
	tPath                   // the value of a ".$" field that is a Path
	tIntrinsic              // the value of a ".$" field that is an intrinsic call
)

type tnode struct {
	kind   tkind
	lit    any
	fields []tfield
	elems  []*tnode
	path   *Path
	fn     *call
	field  string // the ".$" field's name as written, for error causes
}

type tfield struct {
	key  string // the output key (".$" stripped)
	node *tnode
}

// CompileTemplate compiles a Payload Template, which must be a JSON object. It
// walks nested objects and arrays; a field whose name ends with ".$" must have
// a string value that is a Path (starting with "$", or "$$" for the Context
// Object) or an intrinsic function call, and is renamed without the ".$".
// Errors name the field, e.g. `field "parts.first.$"`: a ".$" value that is
// not a string, an invalid path or intrinsic call, and two fields that collide
// once ".$" is stripped.
func CompileTemplate(raw any) (*Template, error) {
	if _, ok := raw.(map[string]any); !ok {
		return nil, fmt.Errorf("compile template: a payload template must be a JSON object, got %s", typeName(raw))
	}
	root, err := compileNode(raw, "")
	if err != nil {
		return nil, fmt.Errorf("compile template: %w", err)
	}
	return &Template{root: root}, nil
}

// WithSources returns a copy of t whose intrinsic functions draw randomness
// from s.
func (t *Template) WithSources(s Sources) *Template {
	u := *t
	u.srcs = s
	return &u
}

func joinField(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func compileNode(v any, at string) (*tnode, error) {
	switch x := v.(type) {
	case map[string]any:
		n := &tnode{kind: tObject}
		seen := make(map[string]string, len(x))
		dynamic := false
		for _, k := range sortedKeys(x) {
			name := joinField(at, k)
			out := k
			var child *tnode
			if strings.HasSuffix(k, ".$") {
				out = strings.TrimSuffix(k, ".$")
				s, ok := x[k].(string)
				if !ok {
					return nil, fmt.Errorf("field %q: the value of a field ending in \".$\" must be a string, got %s", name, typeName(x[k]))
				}
				var err error
				if child, err = compileDynamic(s, k); err != nil {
					return nil, fmt.Errorf("field %q: %w", name, err)
				}
			} else {
				var err error
				if child, err = compileNode(x[k], name); err != nil {
					return nil, err
				}
			}
			if other, dup := seen[out]; dup {
				return nil, fmt.Errorf("field %q: it collides with field %q once \".$\" is stripped", name, joinField(at, other))
			}
			seen[out] = k
			if child.kind != tLiteral {
				dynamic = true
			}
			n.fields = append(n.fields, tfield{key: out, node: child})
		}
		if !dynamic {
			return &tnode{kind: tLiteral, lit: deepCopy(x)}, nil
		}
		return n, nil
	case []any:
		n := &tnode{kind: tArray}
		dynamic := false
		for i, e := range x {
			child, err := compileNode(e, at+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			if child.kind != tLiteral {
				dynamic = true
			}
			n.elems = append(n.elems, child)
		}
		if !dynamic {
			return &tnode{kind: tLiteral, lit: deepCopy(x)}, nil
		}
		return n, nil
	}
	if !isScalar(v) {
		return nil, fmt.Errorf("field %q: unsupported value of Go type %T", at, v)
	}
	return &tnode{kind: tLiteral, lit: v}, nil
}

func isScalar(v any) bool {
	switch v.(type) {
	case nil, bool, string:
		return true
	}
	return isNumber(v)
}

func compileDynamic(s, field string) (*tnode, error) {
	if strings.HasPrefix(s, "$") {
		p, err := CompilePath(s)
		if err != nil {
			return nil, err
		}
		return &tnode{kind: tPath, path: p, field: field}, nil
	}
	f, err := CompileIntrinsic(s)
	if err != nil {
		return nil, fmt.Errorf("not a path (paths begin with '$') nor a valid intrinsic function: %w", err)
	}
	return &tnode{kind: tIntrinsic, fn: f.call, field: field}, nil
}

// Eval builds the payload from input (for "$" paths) and ctx (for "$$"
// paths). The result is a new object; values selected from input or ctx are
// shared, not copied. A path that selects nothing, also as an intrinsic
// function's argument, is an *Error named ErrRuntime (AWS fails the
// execution with States.Runtime, which no Catch handles) with AWS's cause
// "The JSONPath '$.x' specified for the field 'x.$' could not be found in
// the input '{...}'", the input being the document the path was evaluated
// on; another failing intrinsic function is an *Error named
// ErrIntrinsicFailure. Causes name the field.
func (t *Template) Eval(input, ctx any) (any, error) {
	return t.root.eval(&evalEnv{input: input, ctx: ctx, srcs: t.srcs})
}

func (n *tnode) eval(env *evalEnv) (any, error) {
	switch n.kind {
	case tLiteral:
		return deepCopy(n.lit), nil
	case tObject:
		out := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			v, err := f.node.eval(env)
			if err != nil {
				return nil, err
			}
			out[f.key] = v
		}
		return out, nil
	case tArray:
		out := make([]any, len(n.elems))
		for i, e := range n.elems {
			v, err := e.eval(env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case tPath:
		v, err := n.path.Get(env.input, env.ctx)
		if err != nil {
			return nil, missingPath(n.path, n.field, env)
		}
		return v, nil
	}
	v, err := n.fn.eval(env)
	if err != nil {
		var mp *missingArgError
		if errors.As(err, &mp) {
			return nil, missingPath(mp.path, n.field, env)
		}
		return nil, &Error{Name: ErrIntrinsicFailure, Cause: fmt.Sprintf(
			"The intrinsic function for the field '%s' failed: %s", n.field, causeOf(err))}
	}
	return v, nil
}

// missingPath is AWS's States.Runtime for a ".$" field whose path selects
// nothing: the cause quotes the path, the field and the document the path
// read (the effective input, or the context object for "$$" paths).
func missingPath(p *Path, field string, env *evalEnv) *Error {
	doc := env.input
	if p.context {
		doc = env.ctx
	}
	text, err := encodeJSON(doc)
	if err != nil {
		text = typeName(doc)
	}
	return &Error{Name: ErrRuntime, Cause: fmt.Sprintf(
		"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", p.src, field, text)}
}

// causeOf returns an *Error's cause, or the error's text.
func causeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Cause
	}
	return err.Error()
}
