package moderation

import (
	"slices"
	"testing"
)

func TestScopesAndReasonsFollowTheCatalogue(t *testing.T) {
	if got, want := Scopes(), []Scope{ScopeContent, ScopeReview, ScopeReviewer}; !slices.Equal(got, want) {
		t.Fatalf("Scopes() = %v, want %v", got, want)
	}
	tests := []struct {
		scope Scope
		want  []Reason
	}{
		{ScopeContent, []Reason{ReasonOffensiveOrHarmful, ReasonPersonalInformation, ReasonPromotional, ReasonRightsViolation}},
		{ScopeReview, []Reason{ReasonSpam, ReasonWrongCompany, ReasonExperienceTooOld, ReasonEthicalOrPolitical}},
		{ScopeReviewer, []Reason{ReasonCompetitor, ReasonMultipleProfiles, ReasonNoGenuineExperience}},
		{"media", nil},
		{"", nil},
		{"Content", nil},
	}
	var all []Reason
	for _, tt := range tests {
		t.Run(string(tt.scope), func(t *testing.T) {
			got := ReasonsFor(tt.scope)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ReasonsFor(%q) = %v, want %v", tt.scope, got, tt.want)
			}
			if tt.want == nil && got != nil {
				t.Errorf("ReasonsFor(%q) = %#v, want nil", tt.scope, got)
			}
			for _, r := range tt.want {
				if s, ok := ScopeOf(r); !ok || s != tt.scope {
					t.Errorf("ScopeOf(%q) = %q, %v, want %q, true", r, s, ok, tt.scope)
				}
			}
		})
		all = append(all, tt.want...)
	}
	if got := AllReasons(); !slices.Equal(got, all) || len(got) != 11 {
		t.Errorf("AllReasons() = %v, want the 11 reasons %v", got, all)
	}
	for _, r := range []Reason{"", "rude", "Spam", "spam "} {
		if s, ok := ScopeOf(r); ok || s != "" {
			t.Errorf("ScopeOf(%q) = %q, %v, want \"\", false", r, s, ok)
		}
	}
}

func TestCatalogueCannotBeChangedThroughReturnedSlices(t *testing.T) {
	Scopes()[0] = "hacked"
	AllReasons()[0] = "hacked"
	ReasonsFor(ScopeContent)[0] = "hacked"
	if got := Scopes()[0]; got != ScopeContent {
		t.Errorf("Scopes()[0] = %q after a caller changed its copy, want %q", got, ScopeContent)
	}
	if got := AllReasons()[0]; got != ReasonOffensiveOrHarmful {
		t.Errorf("AllReasons()[0] = %q after a caller changed its copy, want %q", got, ReasonOffensiveOrHarmful)
	}
	if got := ReasonsFor(ScopeContent)[0]; got != ReasonOffensiveOrHarmful {
		t.Errorf("ReasonsFor(content)[0] = %q after a caller changed its copy, want %q", got, ReasonOffensiveOrHarmful)
	}
}
