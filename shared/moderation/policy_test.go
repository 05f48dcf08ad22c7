package moderation

import (
	"strings"
	"testing"
	"time"
)

// TestWithDefaultsFillsOnlyWhatIsUnset: a deployment that sets one window
// keeps it and gets the defaults of docs/product.md for the rest.
func TestWithDefaultsFillsOnlyWhatIsUnset(t *testing.T) {
	if got := (Policy{}).WithDefaults(); got != DefaultPolicy {
		t.Errorf("the zero policy with defaults = %+v, want DefaultPolicy %+v", got, DefaultPolicy)
	}
	set := Policy{HideHarmfulOnly: true, ProofWindow: time.Hour, ReviewerActionWindow: 2 * time.Hour, MaxReviewerRounds: 5,
		DecisionReminder: 3 * time.Hour, AppealWindow: 4 * time.Hour, FindReviewerReplyWindow: 5 * time.Hour,
		FindReviewerReminderAfter: time.Minute, ReportsPerHour: 1, RequestsPerHour: 2,
		Misuse: MisuseRule{MinReports: 1, UnfoundedShare: 0.5, WindowMonths: 3}, DocumentRetention: 6 * time.Hour}
	if got := set.WithDefaults(); got != set {
		t.Errorf("a fully set policy with defaults = %+v, want it unchanged %+v", got, set)
	}
	bad := Policy{Misuse: MisuseRule{MinReports: 0, UnfoundedShare: 2}}
	if got := bad.WithDefaults().Misuse; got != DefaultPolicy.Misuse {
		t.Errorf("an unusable misuse rule became %+v, want the default %+v", got, DefaultPolicy.Misuse)
	}
	// The proof window and the reviewer-action window are separate.
	p := Policy{ProofWindow: time.Hour}.WithDefaults()
	if p.ProofWindow != time.Hour || p.ReviewerActionWindow != DefaultPolicy.ReviewerActionWindow {
		t.Errorf("proof window %s, action window %s: setting one must not set the other", p.ProofWindow, p.ReviewerActionWindow)
	}
}

func TestPolicyCheck(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string // "" = no problem; else a fragment of the error
	}{
		{"the default", DefaultPolicy, ""},
		{"the zero policy", Policy{}, ""},
		{"reminder before the end", Policy{FindReviewerReplyWindow: 2 * time.Hour, FindReviewerReminderAfter: time.Hour}, ""},
		{"reminder at the end", Policy{FindReviewerReplyWindow: time.Hour, FindReviewerReminderAfter: time.Hour}, "reminder"},
		{"reminder after the default end", Policy{FindReviewerReminderAfter: DefaultPolicy.FindReviewerReplyWindow + time.Second}, "reminder"},
		{"misuse share over 100 %", Policy{Misuse: MisuseRule{MinReports: 1, UnfoundedShare: 1.5, WindowMonths: 1}}, "misuse"},
		{"misuse window too long", Policy{Misuse: MisuseRule{MinReports: 1, UnfoundedShare: 0.5, WindowMonths: WindowMonths + 1}}, "misuse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want a problem naming %q", err, tt.want)
			}
		})
	}
}
