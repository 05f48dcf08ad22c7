package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// The count rides in the request's own transaction: at the limit the
// transaction is refused with app.ErrRateLimited and writes nothing (the
// counter stays at the limit); another window counts afresh.
func TestRateCountInTheSubmissionsTransaction(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	window, _ := moderation.RateWindow(t0)
	rate := func() *app.RateCount {
		return &app.RateCount{BusinessID: "biz-1", Kind: app.RateRequests, Window: window, Limit: 2}
	}
	var reviews []moderation.Review
	for i := range 4 {
		reviews = append(reviews, seedReview(t, s, fmt.Sprintf("rev-%d", i), moderation.SourceOrganic))
	}
	for _, r := range reviews[:2] {
		c := newRequest(r, t0)
		c.Rate = rate()
		if err := s.CreateRequest(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	c := newRequest(reviews[2], t0)
	c.Rate = rate()
	if err := s.CreateRequest(ctx, c); !errors.Is(err, app.ErrRateLimited) {
		t.Fatalf("third request in a window of 2: got %v, want ErrRateLimited", err)
	}
	if rc, _ := s.ReviewContext(ctx, reviews[2].ID); rc.Review.OpenRequestID != "" {
		t.Errorf("the refused request marked the review: %+v", rc.Review)
	}
	if n, err := s.RateCount(ctx, "biz-1", app.RateRequests, window); n != 2 || err != nil {
		t.Errorf("count = %d, %v; want 2", n, err)
	}
	// A refusal for another reason is not a rate limit.
	dup := newRequest(reviews[0], t0)
	dup.Rate = &app.RateCount{BusinessID: "biz-1", Kind: app.RateRequests, Window: window.Add(time.Hour), Limit: 2}
	if err := s.CreateRequest(ctx, dup); !errors.Is(err, moderation.ErrChanged) || errors.Is(err, app.ErrRateLimited) {
		t.Errorf("open request in a fresh window: got %v, want ErrChanged", err)
	}
	next := newRequest(reviews[2], t0.Add(time.Hour))
	next.Rate = &app.RateCount{BusinessID: "biz-1", Kind: app.RateRequests, Window: window.Add(time.Hour), Limit: 2}
	if err := s.CreateRequest(ctx, next); err != nil {
		t.Fatalf("first request of the next window: %v", err)
	}
}
