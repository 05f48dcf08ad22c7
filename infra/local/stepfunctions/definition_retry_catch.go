package stepfunctions

// Retry and Catch fields of Task, Parallel and Map states.

import (
	"fmt"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (c *compiler) errorEquals(v any, loc, st, field string) []string {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		c.add(loc, st, field, "ErrorEquals must be a non-empty array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			c.add(loc, st, field, "ErrorEquals must contain only strings")
			return nil
		}
		out = append(out, s)
	}
	for _, s := range out {
		if s == asl.ErrALL && len(out) > 1 {
			c.add(loc, st, field, "%s must appear alone in ErrorEquals", asl.ErrALL)
		}
	}
	return out
}

func (c *compiler) retriers(v any, loc, st string) []*retrier {
	arr, ok := v.([]any)
	if !ok {
		c.add(loc, st, "Retry", "must be an array of retriers")
		return nil
	}
	var out []*retrier
	for i, item := range arr {
		rloc := fmt.Sprintf("%s/%d", loc, i)
		obj, ok := item.(map[string]any)
		if !ok {
			c.add(rloc, st, "Retry", "a retrier must be an object")
			continue
		}
		r := &retrier{interval: 1, maxAttempts: 3, backoff: 2.0}
		for _, k := range sortedKeys(obj) {
			c.retrierField(r, k, obj[k], rloc+"/"+k, st)
		}
		if _, ok := obj["ErrorEquals"]; !ok {
			c.add(rloc, st, "Retry", "a retrier needs ErrorEquals")
		}
		if hasALL(r.errorEquals) && i != len(arr)-1 {
			c.add(rloc, st, "Retry", "the retrier with %s must be the last one", asl.ErrALL)
		}
		out = append(out, r)
	}
	return out
}

// retrierField compiles one field of a retrier.
func (c *compiler) retrierField(r *retrier, k string, fv any, floc, st string) {
	switch k {
	case "ErrorEquals":
		r.errorEquals = c.errorEquals(fv, floc, st, "Retry")
	case "IntervalSeconds":
		r.interval = c.positiveInt(fv, floc, st, "Retry", maxSeconds)
	case "MaxAttempts":
		r.maxAttempts = c.nonNegativeInt(fv, floc, st, "Retry", maxSeconds)
	case "BackoffRate":
		f, ok := floatValue(fv)
		if !ok || f < 1.0 {
			c.add(floc, st, "Retry", "BackoffRate must be a number not less than 1.0")
		}
		r.backoff = f
	case "MaxDelaySeconds":
		r.maxDelay = c.positiveInt(fv, floc, st, "Retry", 31622400)
	case "JitterStrategy":
		switch fv {
		case "FULL":
			r.jitterFull = true
		case "NONE":
		default:
			c.add(floc, st, "Retry", "JitterStrategy must be \"FULL\" or \"NONE\"")
		}
	case "Comment":
	default:
		c.add(floc, st, "Retry", "unknown retrier field %q", k)
	}
}

func (c *compiler) catchers(v any, loc, st string) []*catcher {
	arr, ok := v.([]any)
	if !ok {
		c.add(loc, st, "Catch", "must be an array of catchers")
		return nil
	}
	var out []*catcher
	for i, item := range arr {
		cloc := fmt.Sprintf("%s/%d", loc, i)
		obj, ok := item.(map[string]any)
		if !ok {
			c.add(cloc, st, "Catch", "a catcher must be an object")
			continue
		}
		k := &catcher{}
		for _, key := range sortedKeys(obj) {
			c.catcherField(k, key, obj[key], cloc+"/"+key, st)
		}
		if _, ok := obj["ErrorEquals"]; !ok {
			c.add(cloc, st, "Catch", "a catcher needs ErrorEquals")
		}
		if _, ok := obj["Next"]; !ok {
			c.add(cloc, st, "Catch", "a catcher needs Next")
		}
		if hasALL(k.errorEquals) && i != len(arr)-1 {
			c.add(cloc, st, "Catch", "the catcher with %s must be the last one", asl.ErrALL)
		}
		out = append(out, k)
	}
	return out
}

// catcherField compiles one field of a catcher.
func (c *compiler) catcherField(k *catcher, key string, fv any, floc, st string) {
	switch key {
	case "ErrorEquals":
		k.errorEquals = c.errorEquals(fv, floc, st, "Catch")
	case "Next":
		if s, ok := fv.(string); ok && s != "" {
			k.next = s
		} else {
			c.add(floc, st, "Catch", "Next must be a non-empty string")
		}
	case "ResultPath":
		k.resultPath, k.resultNull = c.path(fv, floc, st, "Catch", true, resultPath)
	case "Comment":
	default:
		if msg := unsupported[key]; msg != "" {
			c.add(floc, st, "Catch", "%s", msg)
		} else {
			c.add(floc, st, "Catch", "unknown catcher field %q", key)
		}
	}
}

func hasALL(list []string) bool {
	for _, s := range list {
		if s == asl.ErrALL {
			return true
		}
	}
	return false
}
