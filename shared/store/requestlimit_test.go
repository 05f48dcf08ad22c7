package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// One Find Reviewer request per review version (P9): after a request on
// version 1 expired, a second request on version 1 is refused and writes
// nothing; once the reviewer edits the review (version 2) one more works.
func TestCreateRequestOncePerReviewVersion(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	first := newRequest(r, t0)
	if err := s.CreateRequest(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpireRequest(ctx, first.Request, t0.Add(120*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	rc, _ := s.ReviewContext(ctx, r.ID)
	if rc.Review.LastRequestedVersion != 1 {
		t.Fatalf("last requested version = %d, want 1", rc.Review.LastRequestedVersion)
	}

	again := newRequest(r, t0.Add(121*time.Hour))
	if err := s.CreateRequest(ctx, again); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("second request on version 1: got %v, want ErrChanged", err)
	}
	if _, _, err := s.GetRequest(ctx, again.Request.ID); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("refused request was stored: %v", err)
	}
	if rc, _ := s.ReviewContext(ctx, r.ID); rc.Review.OpenRequestID != "" || len(rc.Requests) != 1 {
		t.Errorf("refused request changed the review: %+v", rc)
	}
	stale := newRequest(r, t0.Add(121*time.Hour))
	stale.ReviewVersion = 0
	if err := s.CreateRequest(ctx, stale); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("request on a version that is not the current one: got %v, want ErrChanged", err)
	}

	edited := r
	edited.Version, edited.Text, edited.UpdatedAt = 2, r.Text+" Edited.", t0.Add(122*time.Hour)
	v := moderation.ReviewVersion{Version: 2, Stars: edited.Stars, Title: edited.Title, Text: edited.Text, ExperienceDate: edited.ExperienceDate, At: edited.UpdatedAt, By: "platform"}
	if err := s.UpdateReview(ctx, edited, 1, r.Stars, &v, "platform"); err != nil {
		t.Fatal(err)
	}
	next := newRequest(edited, t0.Add(123*time.Hour))
	if err := s.CreateRequest(ctx, next); err != nil {
		t.Fatalf("request on the edited version: %v", err)
	}
	rc, _ = s.ReviewContext(ctx, r.ID)
	if rc.Review.LastRequestedVersion != 2 || rc.Review.OpenRequestID != next.Request.ID {
		t.Errorf("after the request on version 2: %+v", rc.Review)
	}
}
