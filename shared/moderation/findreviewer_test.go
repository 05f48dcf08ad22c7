package moderation

import (
	"slices"
	"testing"
)

func TestCanRemind(t *testing.T) {
	cases := []struct {
		name string
		req  FindRequest
		ok   bool
	}{
		{"expired, no reminder yet", FindRequest{Status: RequestExpired}, true},
		{"expired, reminder used", FindRequest{Status: RequestExpired, ManualReminderUsed: true}, false},
		{"awaiting reply", FindRequest{Status: RequestAwaitingReply}, false},
		{"replied", FindRequest{Status: RequestReplied}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CanRemind(tc.req)
			if (err == nil) != tc.ok {
				t.Fatalf("CanRemind = %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				if e, _ := AsError(err); e == nil || e.Kind != KindConflict || e.Code != CodeReminderNotAllowed {
					t.Errorf("error = %#v, want conflict reminder_not_allowed", err)
				}
			}
		})
	}
}

func TestCanFindReviewerP9(t *testing.T) {
	tests := []struct {
		name     string
		source   Source
		vis      Visibility
		openID   string
		requests []RequestSummary
		want     want
	}{
		{"organic, never asked", SourceOrganic, Published, "", nil, accepted},
		{"invited elsewhere, never asked", SourceInvitedOther, Published, "", nil, accepted},
		{"invited through the platform", SourceInvitedPlatform, Published, "", nil, conflict(CodeFindReviewerUnavailable, nil)},
		{"removed", SourceOrganic, Removed, "", nil, conflict(CodeFindReviewerUnavailable, nil)},
		{"under investigation", SourceOrganic, UnderInvestigation, "", nil, accepted},
		{"open request id", SourceOrganic, Published, "req-1", nil, conflict(CodeRequestOpen, nil)},
		{"a request awaiting reply", SourceOrganic, Published, "", []RequestSummary{{ID: "req-1", Status: RequestAwaitingReply}}, conflict(CodeRequestOpen, nil)},
		{"earlier requests answered", SourceInvitedOther, Published, "", []RequestSummary{{ID: "req-1", Status: RequestReplied}, {ID: "req-2", Status: RequestExpired}}, accepted},
		{"platform-invited with an open request", SourceInvitedPlatform, Published, "req-1", nil, conflict(CodeFindReviewerUnavailable, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := reviewCtx()
			rc.Review.Source, rc.Review.Visibility, rc.Review.OpenRequestID, rc.Requests = tt.source, tt.vis, tt.openID, tt.requests
			check(t, CanFindReviewer(rc), tt.want)
		})
	}
}

// One Find Reviewer request per review version: the loophole of asking again
// after the request expired (and its one reminder was used) is closed until
// the reviewer edits the review; P5 still counts the earlier request.
func TestCanFindReviewerOncePerVersion(t *testing.T) {
	expired := []RequestSummary{{ID: "req-1", Status: RequestExpired}}
	tests := []struct {
		name          string
		version, last int
		openID        string
		requests      []RequestSummary
		want          want
	}{
		{"never asked", 1, 0, "", nil, accepted},
		{"asked on this version, expired", 1, 1, "", expired, conflict(CodeFindReviewerUsed, nil)},
		{"asked on this version, replied", 3, 3, "", []RequestSummary{{ID: "req-1", Status: RequestReplied}}, conflict(CodeFindReviewerUsed, nil)},
		{"asked on an earlier version", 2, 1, "", expired, accepted},
		{"awaiting reply wins over used", 1, 1, "req-1", nil, conflict(CodeRequestOpen, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := reviewCtx()
			rc.Review.Version, rc.Review.LastRequestedVersion, rc.Review.OpenRequestID, rc.Requests = tt.version, tt.last, tt.openID, tt.requests
			check(t, CanFindReviewer(rc), tt.want)
			if !slices.Contains(AllowedReasons(rc), ReasonNoGenuineExperience) && tt.openID == "" && len(tt.requests) > 0 {
				t.Errorf("P5: no_genuine_experience not allowed after a completed request: %v", AllowedReasons(rc))
			}
		})
	}
}
