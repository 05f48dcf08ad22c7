package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/api"
)

// The Find Reviewer loophole (P9: one request per review version): after a request expired and its one
// manual reminder was used, a new request on the same version of the review
// would re-contact the reviewer without end. It is 409 find_reviewer_used and
// changes nothing, P5 still counts the expired request, and once the reviewer
// edits the review one new request works.
func TestFindReviewerOncePerReviewVersion(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	e.s.Advance(120 * time.Hour)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviewer-requests/"+id+"/reminders", e.biz1, nil)
	e.s.Advance(120 * time.Hour)
	if rq, _ := e.requestView(id); rq.Status != "expired" {
		t.Fatalf("request after the reopened window = %q, want expired", rq.Status)
	}

	review := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil))
	if review.CanFindReviewer {
		t.Errorf("canFindReviewer = true after the version's request was used, want false")
	}
	if ref := review.FindReviewerRefusal; ref == nil || ref.Code != "find_reviewer_used" {
		t.Errorf("findReviewerRefusal = %+v, want find_reviewer_used", ref)
	}
	reasons := review.AllowedReasons
	if !slices.Contains(reasons, "no_genuine_experience") {
		t.Errorf("P5: no_genuine_experience not offered after the expired request: %v", reasons)
	}

	before := e.snapshot()
	mails := len(e.s.Outbox.Messages())
	r := e.call("POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
	if r.status != http.StatusConflict || r.errorCode() != "find_reviewer_used" {
		t.Fatalf("new request on the same version: %d %s, want 409 find_reviewer_used", r.status, r.raw)
	}
	if e.snapshot() != before || len(e.s.Outbox.Messages()) != mails {
		t.Error("the refused request changed the table or sent mail")
	}

	// The reviewer edits the review: version 2 may be asked about once.
	e.putReview("rev-organic", "biz-1", "organic", 2)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
}
