package store_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// metricsOf reads one day's counters.
func metricsOf(t *testing.T, s interface {
	MetricsDays(context.Context, []string) ([]app.MetricsDay, error)
}, day string) app.MetricsDay {
	t.Helper()
	got, err := s.MetricsDays(context.Background(), []string{day})
	if err != nil || len(got) != 1 {
		t.Fatalf("metrics of %s: %v, %v", day, got, err)
	}
	return got[0]
}

func TestMetricsCountEachEventOnceWhateverIsReplayed(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	sub := submission(r, true)
	rec := app.Idempotency{Scope: "business:biz-1:u1", Key: "k-1", RequestHash: "h1", Resource: sub.Report.ID, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	sub.Idempotency = &rec
	if err := s.SubmitReport(ctx, sub); err != nil {
		t.Fatal(err)
	}
	// The same request again (a client's retry with its key): refused, counted once.
	if err := s.SubmitReport(ctx, sub); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("replayed report: %v, want ErrChanged", err)
	}
	claimAt := sub.Report.CreatedAt.Add(50 * time.Minute)
	tk := sub.Ticket
	if err := s.ClaimTicket(ctx, tk, "ana", claimAt, nil); err != nil {
		t.Fatal(err)
	}
	// A retried claim of the ticket as first read: the ticket is not open any more.
	if err := s.ClaimTicket(ctx, tk, "ana", claimAt, nil); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("replayed claim: %v, want ErrChanged", err)
	}
	// Released and claimed again by another agent, from a stale read that
	// still looks unclaimed: refused, so no second first claim is counted.
	if err := s.ReleaseTicket(ctx, moderation.Ticket{ID: tk.ID, QueuedAt: tk.QueuedAt, Status: moderation.TicketInProgress, Assignee: "ana"}, "ana", claimAt.Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimTicket(ctx, tk, "ben", claimAt.Add(2*time.Minute), nil); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("claim from a stale read that misses the first claim: %v, want ErrChanged", err)
	}
	cur, err := s.GetTicket(ctx, tk.ID)
	if err != nil || !cur.FirstClaimedAt.Equal(claimAt) {
		t.Fatalf("ticket after the first claim: first claimed %v, %v; want %v", cur.FirstClaimedAt, err, claimAt)
	}
	if err := s.ClaimTicket(ctx, cur, "ben", claimAt.Add(3*time.Minute), nil); err != nil {
		t.Fatalf("claim again after the release: %v", err)
	}
	cur.Status, cur.Assignee = moderation.TicketInProgress, "ben"
	decideAt := sub.Report.CreatedAt.Add(5 * time.Hour)
	d := moderation.Decision{Outcome: moderation.DecideRemove, Agent: "ben", At: decideAt, UpheldReasons: sub.Report.Reasons(), Note: "Insults without facts."}
	c := moderation.Closing(moderation.OutcomeRemoved, moderation.GroundGuidelineViolation, d.UpheldReasons, false, moderation.DefaultPolicy, decideAt)
	c.TicketStatus = moderation.TicketDecided
	td := app.TicketDecision{Ticket: cur, Report: sub.Report, Decision: d, Consequence: c}
	if err := s.DecideTicket(ctx, td); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideTicket(ctx, td); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("replayed decision: %v, want ErrChanged", err)
	}

	got := metricsOf(t, s, "2026-11-02")
	want := map[string]int{
		moderation.CountReports: 1, moderation.CountClaims: 2, moderation.CountFirstClaims: 1,
		moderation.HistToFirstClaim + "_3600": 1, moderation.CountDecisions: 1, "decision_remove": 1,
		moderation.CountClosed: 1, "outcome_removed": 1, moderation.HistToDecision + "_21600": 1,
	}
	if !maps.Equal(got.Counts, want) {
		t.Errorf("day counters = %v\nwant             %v", got.Counts, want)
	}
	if a := got.Agents["ana"]; !maps.Equal(a, map[string]int{moderation.CountClaims: 1, moderation.CountFirstClaims: 1}) {
		t.Errorf("ana's counters = %v, want one claim, the first", a)
	}
	if b := got.Agents["ben"]; !maps.Equal(b, map[string]int{moderation.CountClaims: 1, moderation.CountDecisions: 1, "decision_remove": 1}) {
		t.Errorf("ben's counters = %v, want one claim and one removal", b)
	}
	if other := metricsOf(t, s, "2026-11-03"); len(other.Counts) != 0 || len(other.Agents) != 0 {
		t.Errorf("a day nothing happened on = %+v, want empty", other)
	}
}
