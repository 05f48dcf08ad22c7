package stepfunctions

// The inline Map state: one iteration per item, at most MaxConcurrency at once.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (t *thread) runMap(s *state, raw any, entered time.Time) outcome {
	ms := s.mapSpec
	counts := newRetryCounts(len(s.retry))
	for retries := 0; ; retries++ {
		ctx := t.contextObject(s, entered, retries, "")
		eff, f := t.effectiveInput(s, raw, ctx)
		if f != nil {
			return outcome{err: f}
		}
		items, inputs, limit, f := t.mapItems(s, ms, eff, ctx)
		if f == nil {
			t.emit(evMapStarted, keyMapStateStarted, mapStateStartedDetails{Length: len(items)})
			results, bf, aborted := t.runGroup(len(items), limit,
				func(i int, child *thread) {
					child.emitLocked(evMapIterationStarted, keyMapIterationStarted, mapIterationDetails{Name: s.name, Index: i})
					t.last = child.last
				},
				func(i int, child *thread) outcome {
					o := child.runMachine(ms.processor, inputs[i])
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
				return outcome{aborted: true}
			case bf != nil:
				t.emit(evMapFailed, "", nil)
				f = bf
			default:
				t.emit(evMapSucceeded, "", nil)
				out, rf := t.finish(s, raw, results, ctx)
				if rf == nil {
					return t.exit(s, out, s.next)
				}
				f = rf
			}
		}
		o, retry := t.handleError(s, raw, f, counts)
		if !retry {
			return o
		}
	}
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
		if !ok || n < 0 || n > maxSeconds {
			return nil, nil, 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value at MaxConcurrencyPath %s in state %q is not a non-negative integer", ms.maxConcurrencyPath, s.name)}
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
