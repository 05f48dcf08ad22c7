package stepfunctions

// The inline Map state: one iteration per item, at most MaxConcurrency at once.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// runMap runs an inline Map state. gr, for a redrive, is what the
// iterations achieved in the previous attempt: the first run of the state
// keeps the results of the iterations that succeeded and runs the others
// from where they stopped; a retry runs every iteration again.
func (t *thread) runMap(s *state, raw any, entered time.Time, gr *groupResume) outcome {
	counts := newRetryCounts(len(s.retry))
	var last *groupResume // what the iterations of the latest attempt achieved
	for retries := 0; ; retries++ {
		ctx := t.contextObject(s, entered, retries, "")
		eff, f := t.effectiveInput(s, raw, ctx)
		if f != nil {
			return withGroup(outcome{err: f}, last)
		}
		items, inputs, limit, f := t.mapItems(s, s.mapSpec, eff, ctx)
		if f == nil {
			var o outcome
			var done bool
			o, f, done, last = t.runIterations(s, raw, ctx, items, inputs, limit, gr)
			gr = nil
			if done {
				return withGroup(o, last)
			}
		}
		o, retry := t.handleError(s, raw, f, counts)
		if !retry {
			return withGroup(o, last)
		}
	}
}

// runIterations runs one attempt of a Map state's iterations. done is true
// when the state ended (it exited or was aborted) and o is its outcome;
// otherwise f is the failure for Retry and Catch.
func (t *thread) runIterations(s *state, raw any, ctx map[string]any, items, inputs []any, limit int, gr *groupResume) (o outcome, f *failure, done bool, state *groupResume) {
	ms := s.mapSpec
	t.emit(evMapStarted, keyMapStateStarted, mapStateStartedDetails{Length: len(items)})
	results, f, aborted, state := t.runGroup(len(items), limit, gr,
		func(i int, child *thread) {
			child.emitLocked(evMapIterationStarted, keyMapIterationStarted, mapIterationDetails{Name: s.name, Index: i})
			t.last = child.last
		},
		func(i int, child *thread, rp *resumePoint) outcome {
			var o outcome
			if rp != nil {
				o = child.runFrom(ms.processor, rp.state, rp.input, rp.group)
			} else {
				o = child.runMachine(ms.processor, inputs[i])
			}
			d := mapIterationDetails{Name: s.name, Index: i}
			switch {
			case o.err != nil:
				child.emit(evMapIterationFailed, keyMapIterationFailed, d)
			case o.aborted:
				child.emit(evMapIterationAborted, keyMapIterationAborted, d)
			default:
				child.emit(evMapIterationSucceeded, keyMapIterationSucceeded, d)
			}
			return o
		})
	switch {
	case aborted:
		t.emit(evMapAborted, "", nil)
		return outcome{aborted: true}, nil, true, state
	case f != nil:
		t.emit(evMapFailed, "", nil)
		return outcome{}, f, false, state
	}
	t.emit(evMapSucceeded, "", nil)
	out, f := t.finish(s, raw, results, ctx)
	if f != nil {
		return outcome{}, f, false, state
	}
	return t.exit(s, out, s.next), nil, true, state
}

// mapItems selects the items of a Map state, evaluates ItemSelector for
// each, and resolves MaxConcurrency.
func (t *thread) mapItems(s *state, ms *mapSpec, eff any, ctx map[string]any) ([]any, []any, int, *failure) {
	itemsVal := eff
	if ms.itemsPath != nil {
		v, err := ms.itemsPath.Get(eff, ctx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		itemsVal = v
	}
	items, ok := itemsVal.([]any)
	if !ok {
		return nil, nil, 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the items of Map state %q (ItemsPath %s) are not a JSON array", s.name, pathString(ms.itemsPath))}
	}
	limit := int(ms.maxConcurrency)
	if ms.maxConcurrencyPath != nil {
		v, err := ms.maxConcurrencyPath.Get(eff, ctx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		n, ok := intValue(v)
		if !ok {
			return nil, nil, 0, stateRuntime(fmt.Sprintf("The MaxConcurrencyPath field refers to value \"%s\" which is not a valid integer: %s", valueText(v), ms.maxConcurrencyPath))
		}
		if n < 0 || n > maxSeconds {
			return nil, nil, 0, stateRuntime(fmt.Sprintf("the value at MaxConcurrencyPath %s in state %q is not a non-negative integer", ms.maxConcurrencyPath, s.name))
		}
		limit = int(n)
	}
	inputs := make([]any, len(items))
	for i, item := range items {
		if ms.itemSelector == nil {
			inputs[i] = item
			continue
		}
		ictx := make(map[string]any, len(ctx)+1)
		for k, v := range ctx {
			ictx[k] = v
		}
		ictx["Map"] = map[string]any{"Item": map[string]any{"Index": json.Number(strconv.Itoa(i)), "Value": item}}
		v, err := ms.itemSelector.Eval(eff, ictx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		inputs[i] = v
	}
	return items, inputs, limit, nil
}

func pathString(p *asl.Path) string {
	if p == nil {
		return "$"
	}
	return p.String()
}
