package consoleauth

import (
	"strings"
	"testing"
)

func TestAgentRuleAdmit(t *testing.T) {
	rule := AgentRule{Claim: "groups", Value: "compliance"}
	cognito := AgentRule{Claim: "cognito:groups", Value: "compliance"}
	tests := []struct {
		name       string
		rule       AgentRule
		claims     map[string]any
		want       bool
		reasonHint string
	}{
		{"a list holding the value", rule, map[string]any{"groups": []any{"staff", "compliance"}}, true, ""},
		{"a Go string list holding the value", rule, map[string]any{"groups": []string{"compliance"}}, true, ""},
		{"one string equal to the value", rule, map[string]any{"groups": "compliance"}, true, ""},
		{"a space-separated string", rule, map[string]any{"groups": "staff compliance"}, true, ""},
		{"Cognito's claim", cognito, map[string]any{"cognito:groups": []any{"compliance"}}, true, ""},
		{"a list without the value", rule, map[string]any{"groups": []any{"staff"}}, false, "not a member"},
		{"a value that only starts alike", rule, map[string]any{"groups": []any{"compliance-readonly"}}, false, "not a member"},
		{"a different case", rule, map[string]any{"groups": []any{"Compliance"}}, false, "not a member"},
		{"no claim at all", rule, map[string]any{"sub": "u1"}, false, "no \"groups\" claim"},
		{"the claim under another name", cognito, map[string]any{"groups": []any{"compliance"}}, false, "no \"cognito:groups\" claim"},
		{"a claim of another type", rule, map[string]any{"groups": 42}, false, "not a member"},
		{"a list of non-strings", rule, map[string]any{"groups": []any{1, true}}, false, "not a member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := tt.rule.Admit(tt.claims)
			if got != tt.want {
				t.Fatalf("Admit(%v) = %v, want %v", tt.claims, got, tt.want)
			}
			if !strings.Contains(reason, tt.reasonHint) {
				t.Errorf("reason = %q, want it to contain %q", reason, tt.reasonHint)
			}
			if !got && !strings.Contains(reason, "compliance") {
				t.Errorf("reason = %q does not name the group the user lacks", reason)
			}
		})
	}
}
