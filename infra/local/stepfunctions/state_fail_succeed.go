package stepfunctions

// The terminal states: Succeed (InputPath, OutputPath) and Fail (Error and
// Cause, static or from a path or an intrinsic function).

import (
	"fmt"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (t *thread) runSucceed(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	out, err := asl.ApplyOutputPath(s.outputPath, s.outputNull, eff, ctx)
	if err != nil {
		return outcome{err: toFailure(err)}
	}
	o := t.exit(s, out, "")
	o.next = ""
	return o
}

func (t *thread) runFail(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	f := &failure{name: s.fail.errName, cause: s.fail.cause}
	dynamic := func(p *asl.Path, fn *asl.Intrinsic, field string, dst *string) *failure {
		var v any
		var err error
		switch {
		case p != nil:
			if v, err = p.Get(raw, ctx); err != nil {
				err = asl.MissingPath(p, field, raw, ctx)
			}
		case fn != nil:
			v, err = fn.EvalField(raw, ctx, field)
		default:
			return nil
		}
		if err != nil {
			return toFailure(err)
		}
		str, ok := v.(string)
		if !ok {
			return &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value of %s in state %q is not a string", field, s.name)}
		}
		*dst = str
		return nil
	}
	if rf := dynamic(s.fail.errPath, s.fail.errFn, "ErrorPath", &f.name); rf != nil {
		return outcome{err: rf}
	}
	if rf := dynamic(s.fail.causePath, s.fail.causeFn, "CausePath", &f.cause); rf != nil {
		return outcome{err: rf}
	}
	return outcome{err: f}
}
