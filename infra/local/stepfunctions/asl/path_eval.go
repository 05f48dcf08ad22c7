package asl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Get evaluates the path against input, or against ctx when the path starts
// with "$$".
//
// A definite path returns the node it addresses; an indefinite path returns a
// new []any of every match, in document order (object members in key order),
// possibly empty. A definite path that selects nothing returns an *Error named
// ErrRuntime whose cause names the path the way AWS does, for example
// "Invalid path '$.x' : No results for path: $['x']".
func (p *Path) Get(input, ctx any) (any, error) {
	root := input
	if p.context {
		root = ctx
	}
	v, msg, ok := p.eval(root, root)
	if !ok {
		return nil, &Error{Name: ErrRuntime, Cause: fmt.Sprintf("Invalid path '%s' : %s", p.src, msg)}
	}
	return v, nil
}

// evalFrom evaluates the path from node (for filter operands); ok is false
// when it selects nothing.
func (p *Path) evalFrom(node, root any) (any, bool) {
	v, _, ok := p.eval(node, root)
	if ok && !p.definite && p.fn == "" {
		list, _ := v.([]any)
		return v, len(list) > 0
	}
	return v, ok
}

// eval returns the selected value, or a Jayway-style message and false.
func (p *Path) eval(node, root any) (any, string, bool) {
	var v any
	if p.definite {
		var msg string
		var ok bool
		if v, msg, ok = p.getDefinite(node); !ok {
			return nil, msg, false
		}
	} else {
		list := selectSteps(p.steps, node, root, nil)
		if list == nil {
			list = []any{}
		}
		v = list
	}
	if p.fn == "" {
		return v, "", true
	}
	out, err := applyPathFunction(p.fn, v)
	if err != nil {
		return nil, err.Error(), false
	}
	return out, "", true
}

// getDefinite walks a definite path. A miss is explained by explainMiss, so
// that the common case builds no strings.
func (p *Path) getDefinite(node any) (any, string, bool) {
	cur := node
	for _, st := range p.steps {
		switch st.kind {
		case selName:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, p.explainMiss(node), false
			}
			if cur, ok = m[st.names[0]]; !ok {
				return nil, p.explainMiss(node), false
			}
		case selNames: // the last step: merge the members that exist
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, p.explainMiss(node), false
			}
			merged := make(map[string]any, len(st.names))
			for _, n := range st.names {
				if v, ok := m[n]; ok {
					merged[n] = v
				}
			}
			return merged, "", true
		case selIndex:
			a, ok := cur.([]any)
			if !ok {
				return nil, p.explainMiss(node), false
			}
			idx := st.indices[0]
			if idx < 0 {
				idx += len(a)
			}
			if idx < 0 || idx >= len(a) {
				return nil, p.explainMiss(node), false
			}
			cur = a[idx]
		}
	}
	return cur, "", true
}

// explainMiss says why a definite path selects nothing, as Jayway does.
func (p *Path) explainMiss(node any) string {
	cur := node
	walked := "$"
	for i, st := range p.steps {
		last := i == len(p.steps)-1
		frag := stepString(st)
		switch st.kind {
		case selName, selNames:
			m, ok := cur.(map[string]any)
			if !ok {
				return fmt.Sprintf("Expected to find an object with property %s in path %s but found '%s'", frag, walked, typeName(cur))
			}
			walked += frag
			v, ok := m[st.names[0]]
			if !ok {
				if last {
					return "No results for path: " + p.normOrWalked()
				}
				return "Missing property in path " + walked
			}
			cur = v
		case selIndex:
			a, ok := cur.([]any)
			if !ok {
				return fmt.Sprintf("Filter: %s can only be applied to arrays, found '%s' in path %s", frag, typeName(cur), walked)
			}
			walked += frag
			idx := st.indices[0]
			if idx < 0 {
				idx += len(a)
			}
			if idx < 0 || idx >= len(a) {
				return "No results for path: " + p.normOrWalked()
			}
			cur = a[idx]
		}
	}
	return "No results for path: " + p.normOrWalked()
}

func (p *Path) normOrWalked() string {
	if p.norm != "" {
		return p.norm
	}
	return normalise(p.steps)
}

// selectSteps appends to out every node that steps select from node.
func selectSteps(steps []step, node, root any, out []any) []any {
	if len(steps) == 0 {
		return append(out, node)
	}
	st, rest := steps[0], steps[1:]
	if !st.deep {
		return selectOne(st, node, rest, root, out)
	}
	if st.kind == selFilter {
		// A filter after "..": test every element and member value once.
		var visit func(n any)
		visit = func(n any) {
			for _, c := range children(n) {
				if st.filter.test(root, c) {
					out = selectSteps(rest, c, root, out)
				}
				visit(c)
			}
		}
		visit(node)
		return out
	}
	var visit func(n any)
	visit = func(n any) {
		out = selectOne(st, n, rest, root, out)
		for _, c := range children(n) {
			visit(c)
		}
	}
	visit(node)
	return out
}

// children lists the elements of an array or the member values of an object
// (in key order); other values have none.
func children(n any) []any {
	switch x := n.(type) {
	case []any:
		return x
	case map[string]any:
		out := make([]any, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, x[k])
		}
		return out
	}
	return nil
}

func selectOne(st step, node any, rest []step, root any, out []any) []any {
	switch st.kind {
	case selName, selNames:
		m, ok := node.(map[string]any)
		if !ok {
			return out
		}
		if st.kind == selNames && len(rest) == 0 && !st.deep {
			merged := make(map[string]any, len(st.names))
			for _, n := range st.names {
				if v, ok := m[n]; ok {
					merged[n] = v
				}
			}
			return append(out, merged)
		}
		for _, n := range st.names {
			if v, ok := m[n]; ok {
				out = selectSteps(rest, v, root, out)
			}
		}
	case selIndex, selIndices:
		a, ok := node.([]any)
		if !ok {
			return out
		}
		for _, idx := range st.indices {
			if idx < 0 {
				idx += len(a)
			}
			if idx >= 0 && idx < len(a) {
				out = selectSteps(rest, a[idx], root, out)
			}
		}
	case selWildcard:
		for _, c := range children(node) {
			out = selectSteps(rest, c, root, out)
		}
	case selSlice:
		a, ok := node.([]any)
		if !ok {
			return out
		}
		from, to := sliceBounds(st, len(a))
		for i := from; i < to; i++ {
			out = selectSteps(rest, a[i], root, out)
		}
	case selFilter:
		switch x := node.(type) {
		case []any:
			for _, e := range x {
				if st.filter.test(root, e) {
					out = selectSteps(rest, e, root, out)
				}
			}
		case map[string]any:
			// Jayway applies a filter on an object to the object itself.
			if st.filter.test(root, x) {
				out = selectSteps(rest, x, root, out)
			}
		}
	}
	return out
}

// sliceBounds resolves [start:end] against an array of length n.
func sliceBounds(st step, n int) (int, int) {
	from, to := 0, n
	if st.hasStart {
		from = st.start
		if from < 0 {
			from += n
		}
	}
	if st.hasEnd {
		to = st.end
		if to < 0 {
			to += n
		}
	}
	from = max(0, min(from, n))
	to = max(0, min(to, n))
	if to < from {
		to = from
	}
	return from, to
}

var errAggregateEmpty = errors.New("aggregation function attempted to calculate value using empty array")

// applyPathFunction applies a trailing Jayway function to the selected value.
func applyPathFunction(fn string, v any) (any, error) {
	switch fn {
	case "length":
		switch x := v.(type) {
		case []any:
			return numberValue(int64(len(x))), nil
		case map[string]any:
			return numberValue(int64(len(x))), nil
		case string:
			return numberValue(int64(utf16Len(x))), nil
		}
		return nil, fmt.Errorf("length() cannot be applied to a %s", typeName(v))
	case "keys":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("keys() cannot be applied to a %s", typeName(v))
		}
		keys := sortedKeys(m)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, nil
	case "first", "last":
		a, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s() cannot be applied to a %s", fn, typeName(v))
		}
		if len(a) == 0 {
			return nil, errAggregateEmpty
		}
		if fn == "first" {
			return a[0], nil
		}
		return a[len(a)-1], nil
	}
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s() cannot be applied to a %s", fn, typeName(v))
	}
	var nums []float64
	for _, e := range a {
		if f, ok := toFloat(e); ok {
			nums = append(nums, f)
		}
	}
	if len(nums) == 0 {
		return nil, errAggregateEmpty
	}
	var r float64
	switch fn {
	case "min":
		r = nums[0]
		for _, f := range nums[1:] {
			r = math.Min(r, f)
		}
	case "max":
		r = nums[0]
		for _, f := range nums[1:] {
			r = math.Max(r, f)
		}
	case "sum", "avg", "stddev":
		for _, f := range nums {
			r += f
		}
		if fn == "sum" {
			break
		}
		mean := r / float64(len(nums))
		if fn == "avg" {
			r = mean
			break
		}
		var sq float64
		for _, f := range nums {
			sq += (f - mean) * (f - mean)
		}
		r = math.Sqrt(sq / float64(len(nums)))
	}
	return floatNumber(r), nil
}

// floatNumber renders a float64 as a json.Number without a needless exponent.
func floatNumber(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return numberValue(int64(f))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}
