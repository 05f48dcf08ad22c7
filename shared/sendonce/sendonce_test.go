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

// stepRecorder records a task's writes: its steps and the emails recorded.
type stepRecorder struct {
	steps    []app.Step
	sent     map[string]string
	released []string
	records  int
}

func (r *stepRecorder) Step(_ context.Context, st app.Step) error {
	r.steps = append(r.steps, st)
	return nil
}

func (r *stepRecorder) ConfirmEmail(context.Context, app.ObjectKey, string, string) error {
	return errors.New("StepAll records its emails together")
}

func (r *stepRecorder) ReleaseEmail(context.Context, app.ObjectKey, app.Claim) error {
	return errors.New("StepAll records its emails together")
}

func (r *stepRecorder) RecordEmails(_ context.Context, _ app.ObjectKey, sent map[string]string, released []app.Claim) error {
	r.records++
	r.sent = sent
	for _, c := range released {
		r.released = append(r.released, c.Key)
	}
	return nil
}

func TestStepAllClaimsTogetherSendsEachOnce(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	owner := "rpt_1/notify_reinstated/0"
	step := app.Step{Object: app.ObjectKey{Kind: app.ObjectReport, ID: "rpt_1"}, At: t0, AppealDeadline: t0.Add(time.Hour),
		Events: []app.Event{{ID: "evt_1"}}}
	failed := errors.New("SES: throttled")
	tests := []struct {
		name       string
		ledger     app.Ledger
		fail       string // the key whose send fails
		wantSends  []string
		wantClaims []string // claimed in the one write, in order
		wantEvents bool     // the step's own changes written (they belong to the first email)
		wantSent   []string
		wantFree   []string
		wantErr    error
	}{
		{"both due", app.Ledger{}, "", []string{"business", "reviewer"}, []string{"business", "reviewer"}, true, []string{"business", "reviewer"}, nil, nil},
		{"the first went out already", app.Ledger{"business": "sent:msg-1"}, "", []string{"reviewer"}, []string{"reviewer"}, false, []string{"reviewer"}, nil, nil},
		{"both went out already", app.Ledger{"business": "sent:msg-1", "reviewer": "sent:msg-2"}, "", nil, nil, false, nil, nil, nil},
		{"the second send fails", app.Ledger{}, "reviewer", []string{"business", "reviewer"}, []string{"business", "reviewer"}, true, []string{"business"}, []string{"reviewer"}, failed},
		{"the first send fails", app.Ledger{}, "business", []string{"business"}, []string{"business", "reviewer"}, true, nil, []string{"business", "reviewer"}, failed},
		{"another attempt sends the second", app.Ledger{"reviewer": sendonce.Claim(app.Ledger{}, "reviewer", "rpt_1/other/0", t0).Value}, "", nil, nil, false, nil, nil, sendonce.ErrBusy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &stepRecorder{}
			var sends []string
			send := func(key string) func() (string, error) {
				return func() (string, error) {
					sends = append(sends, key)
					if key == tt.fail {
						return "", failed
					}
					return "msg-" + key, nil
				}
			}
			err := sendonce.StepAll(context.Background(), r, tt.ledger, step,
				[]sendonce.Email{{Key: "business", Send: send("business")}, {Key: "reviewer", Send: send("reviewer")}}, owner, slog.New(slog.DiscardHandler))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("StepAll = %v, want %v", err, tt.wantErr)
			}
			if fmt.Sprint(sends) != fmt.Sprint(tt.wantSends) {
				t.Errorf("sent %v, want %v", sends, tt.wantSends)
			}
			if len(tt.wantClaims) == 0 {
				if len(r.steps) != 0 || r.records != 0 {
					t.Errorf("%d writes and %d records, want none", len(r.steps), r.records)
				}
				return
			}
			if len(r.steps) != 1 {
				t.Fatalf("%d writes, want the claims in one", len(r.steps))
			}
			st := r.steps[0]
			var claimed []string
			for _, c := range append([]*app.Claim{st.Claim}, st.MoreClaims...) {
				claimed = append(claimed, c.Key)
			}
			if fmt.Sprint(claimed) != fmt.Sprint(tt.wantClaims) {
				t.Errorf("claimed %v, want %v", claimed, tt.wantClaims)
			}
			if got := len(st.Events) > 0 && !st.AppealDeadline.IsZero(); got != tt.wantEvents {
				t.Errorf("the step's events and appeal deadline written: %v, want %v", got, tt.wantEvents)
			}
			if r.records != 1 {
				t.Fatalf("%d records, want the sent and the released emails recorded in one write", r.records)
			}
			var sent []string
			for _, k := range tt.wantSent {
				if r.sent[k] != "msg-"+k {
					t.Errorf("recorded %v, want %s confirmed with its message id", r.sent, k)
				}
				sent = append(sent, k)
			}
			if len(r.sent) != len(sent) {
				t.Errorf("recorded sent %v, want %v", r.sent, sent)
			}
			if fmt.Sprint(r.released) != fmt.Sprint(tt.wantFree) {
				t.Errorf("released %v, want %v", r.released, tt.wantFree)
			}
		})
	}
}
