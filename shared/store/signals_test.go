package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// TestReportingCountersAreBucketedByFilingMonth: reports count in the month
// and ISO week they were filed, their outcome and upheld reasons in that same
// month when they close later, a report on a review reported before counts
// as a repeat, and the review star distribution follows creates and edits.
func TestReportingCountersAreBucketedByFilingMonth(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r1 := seedReview(t, s, "rev-1", moderation.SourceOrganic) // 1 star, 2026-11
	r2 := seedReview(t, s, "rev-2", moderation.SourceOrganic)
	// rev-2 is edited to 4 stars: the distribution moves.
	r2b := r2
	r2b.Version, r2b.Stars, r2b.UpdatedAt = 2, 4, t0.Add(time.Hour)
	if err := s.UpdateReview(ctx, r2b, 1, 1, &moderation.ReviewVersion{Version: 2, Stars: 4, Text: r2.Text, At: r2b.UpdatedAt, By: "reviewer"}, "platform"); err != nil {
		t.Fatal(err)
	}
	a := submission(r1, true) // filed 2026-11-02
	if err := s.SubmitReport(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := submission(r2b, true)
	b.Report.CreatedAt, b.Report.UpdatedAt = time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC)
	b.Repeat = true
	if err := s.SubmitReport(ctx, b); err != nil {
		t.Fatal(err)
	}
	// a closes in December, removed for two reasons: counted in November, its filing month.
	upheld := []moderation.Reason{moderation.ReasonOffensiveOrHarmful, moderation.ReasonSpam}
	at := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	if err := s.CloseReport(ctx, app.Closure{Report: a.Report, Ticket: a.Ticket,
		Consequence: moderation.Closing(moderation.OutcomeRemoved, moderation.GroundGuidelineViolation, upheld, false, moderation.DefaultPolicy, at),
		Actor:       "agent:ada", At: at}); err != nil {
		t.Fatal(err)
	}
	months, reviews, err := s.ReportingCounts(ctx, "biz-1", time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range months {
		got[m.Month] = fmt.Sprintf("total=%d stars=%v outcome=%v removed=%v repeat=%d weeks=%v", m.Total, m.ByStars, m.ByOutcome, m.Removed, m.Repeat, m.ByWeek)
	}
	want := map[string]string{
		"2026-11": "total=1 stars=map[1:1] outcome=map[removed:1] removed=map[offensive_or_harmful:1 spam:1] repeat=0 weeks=map[2026-W45:1]",
		"2026-12": "total=1 stars=map[4:1] outcome=map[] removed=map[] repeat=1 weeks=map[2026-W49:1]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("months =\n%v\nwant\n%v", got, want)
	}
	if fmt.Sprint(reviews) != "map[1:1 4:1]" {
		t.Errorf("review stars = %v, want one 1-star and one 4-star review", reviews)
	}
	// A year on, November 2026 has left the window: only December is read.
	months, _, err = s.ReportingCounts(ctx, "biz-1", time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(months) != 1 || months[0].Month != "2026-12" {
		t.Errorf("months read in 2027-11 = %+v, %v; want only 2026-12", months, err)
	}
	// An edit that raced another (stale stars) changes nothing, the distribution included.
	if err := s.UpdateReview(ctx, r2b, 2, 1, nil, "platform"); err == nil {
		t.Errorf("an update with stale stars succeeded")
	}
	if _, reviews, _ := s.ReportingCounts(ctx, "biz-1", t0); fmt.Sprint(reviews) != "map[1:1 4:1]" {
		t.Errorf("review stars after a refused update = %v", reviews)
	}
}
