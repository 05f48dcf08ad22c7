package moderation

// entry is one line of the reason catalogue of docs/product.md.
type entry struct {
	scope  Scope
	reason Reason
}

// catalogue is the reason table of docs/product.md, in its order: scopes in the order
// content, review, reviewer, and each scope's reasons in the order listed.
// It is never handed out; the exported functions return copies.
var catalogue = [...]entry{
	{ScopeContent, ReasonOffensiveOrHarmful},
	{ScopeContent, ReasonPersonalInformation},
	{ScopeContent, ReasonPromotional},
	{ScopeContent, ReasonRightsViolation},
	{ScopeReview, ReasonSpam},
	{ScopeReview, ReasonWrongCompany},
	{ScopeReview, ReasonExperienceTooOld},
	{ScopeReview, ReasonEthicalOrPolitical},
	{ScopeReviewer, ReasonCompetitor},
	{ScopeReviewer, ReasonMultipleProfiles},
	{ScopeReviewer, ReasonNoGenuineExperience},
}

// Scopes returns the three scopes in catalogue order: content, review, reviewer.
// The caller owns the returned slice.
func Scopes() []Scope {
	return []Scope{ScopeContent, ScopeReview, ScopeReviewer}
}

// ReasonsFor returns the reasons valid for scope s, in catalogue order, or nil
// when s is not a known scope. The caller owns the returned slice.
func ReasonsFor(s Scope) []Reason {
	var out []Reason
	for _, e := range catalogue {
		if e.scope == s {
			out = append(out, e.reason)
		}
	}
	return out
}

// ScopeOf returns the scope reason r belongs to; ok is false when r is not a
// known reason.
func ScopeOf(r Reason) (s Scope, ok bool) {
	i := reasonIndex(r)
	if i < 0 {
		return "", false
	}
	return catalogue[i].scope, true
}

// AllReasons returns the eleven reasons in catalogue order. The caller owns
// the returned slice.
func AllReasons() []Reason {
	out := make([]Reason, len(catalogue))
	for i, e := range catalogue {
		out[i] = e.reason
	}
	return out
}

// knownScope reports whether s is one of the three scopes.
func knownScope(s Scope) bool {
	switch s {
	case ScopeContent, ScopeReview, ScopeReviewer:
		return true
	}
	return false
}

// reasonIndex returns r's position in the catalogue, or -1 if r is unknown.
func reasonIndex(r Reason) int {
	for i, e := range catalogue {
		if e.reason == r {
			return i
		}
	}
	return -1
}
