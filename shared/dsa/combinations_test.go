package dsa

import (
	"slices"

	"github.com/candorhq/candor/shared/moderation"
)

// combination is one input of the exhaustive walk.
type combination struct {
	reasons   []moderation.Reason
	ground    string
	automated bool
	onAppeal  bool
}

func (c combination) removal() Removal {
	r := agentRemoval(c.reasons...)
	r.Ground, r.Automated, r.OnAppeal = c.ground, c.automated, c.onAppeal
	if c.onAppeal {
		r.Seq = 1
	}
	return r
}

// legal reports whether Statement must accept c: an agent's guideline
// removal on any reasons, first or on appeal, or the automated no-proof
// removal of a first decision on no_genuine_experience alone.
func (c combination) legal() bool {
	if c.ground == moderation.GroundGuidelineViolation {
		return !c.automated
	}
	return c.automated && !c.onAppeal && slices.Equal(c.reasons, []moderation.Reason{moderation.ReasonNoGenuineExperience})
}

// combinations returns every non-empty set of reasons × ground × automated ×
// on appeal: 2047 × 2 × 2 × 2.
func combinations() []combination {
	all := moderation.AllReasons()
	var out []combination
	for mask := 1; mask < 1<<len(all); mask++ {
		var reasons []moderation.Reason
		for i, r := range all {
			if mask&(1<<i) != 0 {
				reasons = append(reasons, r)
			}
		}
		for _, ground := range []string{moderation.GroundGuidelineViolation, moderation.GroundNoProofProvided} {
			for _, automated := range []bool{false, true} {
				for _, onAppeal := range []bool{false, true} {
					out = append(out, combination{reasons, ground, automated, onAppeal})
				}
			}
		}
	}
	return out
}
