package asl

import (
	"errors"
	"fmt"
)

// ApplyInputPath selects a state's effective input (spec "Input and Output
// Processing with JSONPath"). A nil path is the default "$" and returns input
// itself; isNull (the field was given as JSON null) discards the input and
// returns a new empty object; otherwise the path's Get result, with its
// *Error when the path selects nothing.
func ApplyInputPath(path *Path, isNull bool, input, ctx any) (any, error) {
	return applySelectPath(path, isNull, input, ctx)
}

// ApplyOutputPath selects a state's effective output from its output after
// ResultPath, with the same rules as ApplyInputPath.
func ApplyOutputPath(path *Path, isNull bool, output, ctx any) (any, error) {
	return applySelectPath(path, isNull, output, ctx)
}

func applySelectPath(path *Path, isNull bool, v, ctx any) (any, error) {
	switch {
	case isNull:
		return map[string]any{}, nil
	case path == nil:
		return v, nil
	}
	return path.Get(v, ctx)
}

// CompileResultPath compiles the value of a "ResultPath" field: a Reference
// Path that does not begin with "$$" (spec "Input and Output Processing with
// JSONPath", rule 4).
func CompileResultPath(s string) (*Path, error) {
	p, err := CompileReferencePath(s)
	if err != nil {
		return nil, fmt.Errorf("compile result path: %w", err)
	}
	if p.context {
		return nil, fmt.Errorf("compile result path %q: %w", s, errResultPathContext)
	}
	return p, nil
}

var errResultPathContext = errors.New(`a ResultPath must not begin with "$$"`)

// ApplyResultPath combines a state's raw input with its result (spec "Input
// and Output Processing with JSONPath"). A nil path is the default "$": the
// result replaces the input. isNull (ResultPath: null) discards the result and
// returns input unchanged. Otherwise path is a Reference Path addressing where
// result goes in a copy of input: an existing node there is replaced, missing
// object members on the way are created. input itself is never modified; the
// copy shares every subtree off the path with it.
//
// When the path runs into something it cannot descend (the input or a member
// on the way is not an object where a member is needed, or not an array with
// that index where an index is needed) the error is an *Error named
// ErrResultPathMatchFailure.
func ApplyResultPath(path *Path, isNull bool, input, result any) (any, error) {
	switch {
	case isNull:
		return input, nil
	case path == nil:
		return result, nil
	case path.context:
		return nil, resultPathFailure(path, errResultPathContext.Error())
	case !path.simple:
		return nil, resultPathFailure(path, "the path is not a reference path")
	}
	return setAt(path, input, 0, "$", result)
}

func resultPathFailure(path *Path, detail string) *Error {
	return &Error{
		Name:  ErrResultPathMatchFailure,
		Cause: fmt.Sprintf("Unable to apply ResultPath configuration with path '%s' on the state input: %s", path.src, detail),
	}
}

// setAt returns a copy of node with result placed at path.steps[i:].
func setAt(path *Path, node any, i int, walked string, result any) (any, error) {
	if i == len(path.steps) {
		return result, nil
	}
	st := path.steps[i]
	frag := stepString(st)
	switch st.kind {
	case selName:
		m, ok := node.(map[string]any)
		if !ok {
			return nil, resultPathFailure(path, fmt.Sprintf("expected an object at %s to hold %s but found '%s'", walked, frag, typeName(node)))
		}
		name := st.names[0]
		child, exists := m[name]
		if !exists && i+1 < len(path.steps) {
			if path.steps[i+1].kind != selName {
				return nil, resultPathFailure(path, fmt.Sprintf("%s%s does not exist and cannot be created as an array", walked, frag))
			}
			child = map[string]any{}
		}
		v, err := setAt(path, child, i+1, walked+frag, result)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m)+1)
		for k, e := range m {
			out[k] = e
		}
		out[name] = v
		return out, nil
	case selIndex:
		a, ok := node.([]any)
		if !ok {
			return nil, resultPathFailure(path, fmt.Sprintf("expected an array at %s to hold %s but found '%s'", walked, frag, typeName(node)))
		}
		idx := st.indices[0]
		if idx < 0 {
			idx += len(a)
		}
		if idx < 0 || idx >= len(a) {
			return nil, resultPathFailure(path, fmt.Sprintf("index %s is out of bounds of the array at %s (length %d)", frag, walked, len(a)))
		}
		v, err := setAt(path, a[idx], i+1, walked+frag, result)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(a))
		copy(out, a)
		out[idx] = v
		return out, nil
	}
	return nil, resultPathFailure(path, "the path is not a reference path")
}
