package stepfunctions

// The Pass state: Parameters or Result, then ResultPath and OutputPath.

import "time"

func (t *thread) runPass(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	if s.parameters != nil {
		v, err := s.parameters.Eval(eff, ctx)
		if err != nil {
			return outcome{err: toFailure(err)}
		}
		eff = v
	}
	result := eff
	if s.hasResult {
		result = s.result
	}
	out, f := t.finish(s, raw, result, ctx)
	if f != nil {
		return outcome{err: f}
	}
	return t.exit(s, out, s.next)
}
