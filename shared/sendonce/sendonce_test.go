package sendonce_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/sendonce"
)

func TestCheckSendsOnceAndNeverGivesUp(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	mine, theirs := "rpt_1/notify_reported/0", "rpt_1/other/0"
	claimAt := func(owner string, at time.Time) app.Ledger {
		return app.Ledger{"k": sendonce.Claim(app.Ledger{}, "k", owner, at).Value}
	}
	tests := []struct {
		name   string
		ledger app.Ledger
		owner  string
		now    time.Time
		want   sendonce.Verdict
	}{
		{"never claimed", app.Ledger{}, mine, t0, sendonce.Send},
		{"sent", app.Ledger{"k": "sent:msg-1"}, mine, t0, sendonce.Sent},
		{"released", app.Ledger{"k": "claimed:"}, mine, t0, sendonce.Send},
		{"my own earlier attempt's claim", claimAt(mine, t0), mine, t0.Add(5 * time.Second), sendonce.Send},
		{"another attempt's live claim", claimAt(theirs, t0), mine, t0.Add(time.Minute), sendonce.Busy},
		{"another attempt's stale claim", claimAt(theirs, t0), mine, t0.Add(sendonce.Lease), sendonce.Send},
		{"another key", claimAt(theirs, t0), mine, t0, sendonce.Send},
	}
	for _, tt := range tests {
		key := "k"
		if tt.name == "another key" {
			key = "other"
		}
		if got := sendonce.Check(tt.ledger, key, tt.owner, tt.now); got != tt.want {
			t.Errorf("%s: Check = %d, want %d", tt.name, got, tt.want)
		}
	}
	c := sendonce.Claim(app.Ledger{"k": "claimed:"}, "k", mine, t0)
	if c.Prev != "claimed:" || c.Key != "k" {
		t.Errorf("claim = %+v, want it conditional on the entry as read", c)
	}
}

// flakyLedger fails the first confirmations.
type flakyLedger struct {
	failConfirms, confirms, releases int
}

func (f *flakyLedger) ConfirmEmail(context.Context, app.ObjectKey, string, string) error {
	f.confirms++
	if f.confirms <= f.failConfirms {
		return errors.New("throttled")
	}
	return nil
}

func (f *flakyLedger) ReleaseEmail(context.Context, app.ObjectKey, app.Claim) error {
	f.releases++
	return nil
}

func TestDeliverRecordsASentEmailThroughFailures(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	c := sendonce.Claim(app.Ledger{}, "k", "o", time.Now())
	f := &flakyLedger{failConfirms: 3}
	if err := sendonce.Deliver(context.Background(), f, app.ObjectKey{}, c, log, func() (string, error) { return "msg-1", nil }); err != nil || f.confirms != 4 {
		t.Errorf("Deliver = %v after %d confirmations, want nil after 4: a sent email must be recorded", err, f.confirms)
	}
	f = &flakyLedger{failConfirms: 100}
	if err := sendonce.Deliver(context.Background(), f, app.ObjectKey{}, c, log, func() (string, error) { return "msg-1", nil }); err == nil || f.releases != 0 {
		t.Errorf("Deliver = %v, %d releases; want the confirmation's error and no release (the email went out)", err, f.releases)
	}
	f = &flakyLedger{}
	if err := sendonce.Deliver(context.Background(), f, app.ObjectKey{}, c, log, func() (string, error) { return "", errors.New("SES down") }); err == nil || f.releases != 1 || f.confirms != 0 {
		t.Errorf("Deliver of a failed send = %v, %d releases, %d confirmations; want the error, 1 release, 0", err, f.releases, f.confirms)
	}
}

// lostAnswer is a send whose answer was lost: the provider may have sent it.
type lostAnswer struct{}

func (lostAnswer) Error() string   { return "SES: connection reset after the request was written" }
func (lostAnswer) MaybeSent() bool { return true }

// TestDeliverNeverRepeatsASendWhoseAnswerWasLost: when the provider may have
// sent the email (its answer was lost), the claim is recorded as sent — not
// released — so that no retry of the task sends it a second time, and the
// task goes on.
func TestDeliverNeverRepeatsASendWhoseAnswerWasLost(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	c := sendonce.Claim(app.Ledger{}, "k", "o", time.Now())
	f := &recordingLedger{}
	err := sendonce.Deliver(context.Background(), f, app.ObjectKey{}, c, log, func() (string, error) { return "", fmt.Errorf("mail: send: %w", lostAnswer{}) })
	if err != nil {
		t.Errorf("Deliver = %v, want nil: the email may be out, the task goes on", err)
	}
	if f.releases != 0 {
		t.Errorf("the claim was released %d times: a retry would send the email again", f.releases)
	}
	if len(f.confirmed) != 1 || f.confirmed[0] != sendonce.OutcomeUnknown {
		t.Errorf("confirmed %q, want [%q]", f.confirmed, sendonce.OutcomeUnknown)
	}
	if got := sendonce.Check(app.Ledger{"k": "sent:" + f.confirmed[0]}, "k", "o", time.Now()); got != sendonce.Sent {
		t.Errorf("Check after a lost answer = %d, want Sent", got)
	}
}

// recordingLedger records what Deliver did with a claim.
type recordingLedger struct {
	confirmed []string
	releases  int
}

func (r *recordingLedger) ConfirmEmail(_ context.Context, _ app.ObjectKey, _, id string) error {
	r.confirmed = append(r.confirmed, id)
	return nil
}

func (r *recordingLedger) ReleaseEmail(context.Context, app.ObjectKey, app.Claim) error {
	r.releases++
	return nil
}
