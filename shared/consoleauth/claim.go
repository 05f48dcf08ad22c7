package consoleauth

import (
	"fmt"
	"slices"
	"strings"
)

// AgentRule is who may enter the console: a user whose ID token (or
// userinfo) claim Claim holds Value, e.g. "groups" holding "compliance", or
// Cognito's "cognito:groups".
type AgentRule struct {
	Claim string
	Value string
}

// Admit says whether the claims make their holder a compliance agent. The
// claim may be a list of strings (groups) or one string, which is split on
// spaces and commas (scope-like claims); anything else does not admit. When
// it refuses, the reason is a sentence the 403 page shows the user.
func (r AgentRule) Admit(claims map[string]any) (bool, string) {
	v, ok := claims[r.Claim]
	if !ok {
		return false, fmt.Sprintf("Your sign-in does not say which groups you are in (the identity provider sent no %q claim). Only members of %q may use the console.", r.Claim, r.Value)
	}
	var values []string
	switch v := v.(type) {
	case string:
		values = strings.FieldsFunc(v, func(c rune) bool { return c == ' ' || c == ',' })
	case []string:
		values = v
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				values = append(values, s)
			}
		}
	}
	if slices.Contains(values, r.Value) {
		return true, ""
	}
	return false, fmt.Sprintf("You are signed in, but you are not a member of %q, so the compliance console is not open to you. Ask your administrator if you should be.", r.Value)
}
