package stepfunctions

// The Choice state: the first matching rule, or Default, picks the next state.

import (
	"fmt"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (t *thread) runChoice(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	next := ""
	for _, r := range s.choices {
		ok, err := r.Match(eff, ctx)
		if err != nil {
			return outcome{err: toFailure(err)}
		}
		if ok {
			next = r.Next()
			break
		}
	}
	if next == "" {
		if s.deflt == "" {
			return outcome{err: &failure{name: asl.ErrNoChoiceMatched, cause: fmt.Sprintf("No Matches! (state %q)", s.name)}}
		}
		next = s.deflt
	}
	out, err := asl.ApplyOutputPath(s.outputPath, s.outputNull, eff, ctx)
	if err != nil {
		return outcome{err: toFailure(err)}
	}
	return t.exit(s, out, next)
}
