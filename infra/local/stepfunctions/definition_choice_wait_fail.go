package stepfunctions

// Choice, Wait and Fail state fields.

import (
	"fmt"
	"strings"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (c *compiler) choiceSpec(s *state, obj map[string]any, loc string) {
	raw, ok := obj["Choices"].([]any)
	if !ok || len(raw) == 0 {
		c.add(loc+"/Choices", s.name, "Choices", "required non-empty array is missing")
	}
	for i, item := range raw {
		rloc := fmt.Sprintf("%s/Choices/%d", loc, i)
		robj, ok := item.(map[string]any)
		if !ok {
			c.add(rloc, s.name, "Choices", "a choice rule must be an object")
			continue
		}
		rule, err := asl.CompileChoiceRule(robj, true)
		if err != nil {
			c.add(rloc, s.name, "Choices", "invalid choice rule %d: %v", i, err)
			continue
		}
		if _, has := rule.Assign(); has {
			c.add(rloc+"/Assign", s.name, "Choices", "%s", unsupported["Assign"])
		}
		s.choices = append(s.choices, rule)
	}
	if v, ok := obj["Default"]; ok {
		if str, isStr := v.(string); isStr && str != "" {
			s.deflt = str
		} else {
			c.add(loc+"/Default", s.name, "Default", "must be a non-empty string")
		}
	}
}

func (c *compiler) waitSpec(obj map[string]any, loc, st string) *waitSpec {
	w := &waitSpec{}
	n := 0
	if v, ok := obj["Seconds"]; ok {
		n++
		w.seconds = c.nonNegativeInt(v, loc+"/Seconds", st, "Seconds", maxSeconds)
		w.hasSeconds = true
	}
	if v, ok := obj["SecondsPath"]; ok {
		n++
		w.secondsPath, _ = c.path(v, loc+"/SecondsPath", st, "SecondsPath", false, referencePath)
	}
	if v, ok := obj["Timestamp"]; ok {
		n++
		str, isStr := v.(string)
		ts, err := asl.ParseTimestamp(str)
		if !isStr || err != nil {
			c.add(loc+"/Timestamp", st, "Timestamp", "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z")
		}
		w.timestamp, w.hasTimestamp = ts, true
	}
	if v, ok := obj["TimestampPath"]; ok {
		n++
		w.timestampPath, _ = c.path(v, loc+"/TimestampPath", st, "TimestampPath", false, referencePath)
	}
	if n != 1 {
		c.add(loc, st, "Seconds", "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
	}
	return w
}

func (c *compiler) failSpec(obj map[string]any, loc, st string) *failSpec {
	f := &failSpec{}
	strOrPath := func(field, pathField string, dst *string, dstPath **asl.Path, dstFn **asl.Intrinsic) {
		v, has := obj[field]
		pv, hasPath := obj[pathField]
		if has && hasPath {
			c.add(loc+"/"+pathField, st, pathField, "%s and %s are mutually exclusive", field, pathField)
		}
		if has {
			if s, ok := v.(string); ok {
				*dst = s
			} else {
				c.add(loc+"/"+field, st, field, "must be a string")
			}
		}
		if hasPath {
			s, ok := pv.(string)
			switch {
			case !ok:
				c.add(loc+"/"+pathField, st, pathField, "must be a reference path or an intrinsic function")
			case strings.HasPrefix(s, "States."):
				fn, err := asl.CompileIntrinsic(s)
				if err != nil {
					c.add(loc+"/"+pathField, st, pathField, "invalid intrinsic function: %v", err)
				}
				*dstFn = fn
			default:
				*dstPath, _ = c.path(pv, loc+"/"+pathField, st, pathField, false, referencePath)
			}
		}
	}
	strOrPath("Error", "ErrorPath", &f.errName, &f.errPath, &f.errFn)
	strOrPath("Cause", "CausePath", &f.cause, &f.causePath, &f.causeFn)
	return f
}
