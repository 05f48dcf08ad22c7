// Package sendonce sends an email at most once per key across retries of a
// Step Functions task. The key's entry in the object's email ledger is read
// with the object; the claim rides in the write the task makes anyway (an
// app.Step), on the condition that the entry is still as read; the send is
// confirmed with the provider's message id after, or released when it fails
// so that the retry sends.
//
// A claim names its owner — the execution and the task — so that a retry
// (or a redrive) of the same task takes its own earlier claim over at once:
// the earlier attempt is over when the state machine retries. Another
// owner's claim blocks until its lease runs out (that attempt may still be
// sending); the task then fails as transient and its retry looks again, so
// an email is never given up on.
package sendonce

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
)

// Lease is how long another owner's claim blocks an attempt.
const Lease = 2 * time.Minute

const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Verdict is what an attempt does about an email.
type Verdict int

// The verdicts.
const (
	Send Verdict = iota // claim it and send it
	Sent                // it went out: nothing to do
	Busy                // another attempt holds a live claim: look again later
)

// ErrBusy: another attempt is sending the email; a retry looks again (a
// task returns it as it is: workflow.TaskError makes it transient).
var ErrBusy = errors.New("sendonce: another attempt is sending this email")

// Owner names a task for its claims: the execution, the action and the
// round, which every retry and redrive of the task shares.
func Owner(execution, action string, round int) string {
	return execution + "/" + action + "/" + strconv.Itoa(round)
}

// Check says what an attempt of owner does about email key at now.
func Check(l app.Ledger, key, owner string, now time.Time) Verdict {
	v, ok := l[key]
	if !ok {
		return Send
	}
	if strings.HasPrefix(v, "sent:") {
		return Sent
	}
	at, who, _ := strings.Cut(strings.TrimPrefix(v, "claimed:"), "#")
	t, err := time.Parse(timeLayout, at)
	if err != nil || who == owner || now.Sub(t) >= Lease {
		return Send
	}
	return Busy
}

// Claim returns owner's claim of key made at now, conditional on the entry
// being what was read.
func Claim(l app.Ledger, key, owner string, now time.Time) *app.Claim {
	return &app.Claim{Key: key, Prev: l[key], Value: "claimed:" + now.UTC().Format(timeLayout) + "#" + owner}
}

// Ledger records what became of a claimed email.
type Ledger interface {
	ConfirmEmail(ctx context.Context, o app.ObjectKey, key, messageID string) error
	ReleaseEmail(ctx context.Context, o app.ObjectKey, c app.Claim) error
}

// Stepper makes a task's write and records its emails.
type Stepper interface {
	Ledger
	Step(ctx context.Context, st app.Step) error
}

// Step makes a task's write st — its change, token, link, cleared start —
// with the claim of email key when the email is due for owner, then sends
// it with send and records it. When the email went out already, st is
// written without its link, deadline and reminder (they belong to the
// email), or not at all if nothing else is in it. When another attempt
// holds a live claim it fails with ErrBusy, which the caller returns as a
// transient error.
func Step(ctx context.Context, s Stepper, l app.Ledger, st app.Step, key, owner string, log *slog.Logger, send func() (string, error)) error {
	switch Check(l, key, owner, st.At) {
	case Send:
		st.Claim = Claim(l, key, owner, st.At)
	case Busy:
		return ErrBusy
	default:
		if st.Token == "" && st.StartDone == "" {
			return nil
		}
		st.Link, st.Deadline, st.Reminder = nil, time.Time{}, ""
	}
	if err := s.Step(ctx, st); err != nil {
		return err
	}
	if st.Claim == nil {
		return nil
	}
	return Deliver(ctx, s, st.Object, st.Claim, log, send)
}

// confirmAttempts is how often Deliver tries to record a sent email (each
// attempt with the SDK's own retries) before it gives up.
const confirmAttempts = 5

// OutcomeUnknown is the message id recorded for an email whose send failed
// after the provider may have sent it: counted as sent, never sent again.
const OutcomeUnknown = "outcome-unknown"

// maybeSent reports whether err says the provider may have sent the email
// although the call failed (mail.ErrOutcomeUnknown: its answer was lost).
func maybeSent(err error) bool {
	var m interface{ MaybeSent() bool }
	return errors.As(err, &m) && m.MaybeSent()
}

// Deliver sends the claimed email and records it: confirmed with the
// message id, or released when the send failed (its error is returned) and
// certainly sent nothing. A send whose answer was lost (the error has a
// MaybeSent method that reports true) is confirmed as [OutcomeUnknown] and
// Deliver goes on as if it was sent: the email goes out at most once, and a
// lost answer never sends it twice.
// Once SES accepted the email, the confirmation is tried again and again
// (it is idempotent): a claim left unconfirmed would make a later attempt
// send the email a second time.
func Deliver(ctx context.Context, l Ledger, o app.ObjectKey, c *app.Claim, log *slog.Logger, send func() (string, error)) error {
	id, err := send()
	if err != nil && maybeSent(err) {
		log.ErrorContext(ctx, "email may have been sent (the answer was lost); counted as sent, not sent again", "object", o.ID, "key", c.Key, "err", err)
		id, err = OutcomeUnknown, nil
	}
	if err != nil {
		if rerr := l.ReleaseEmail(ctx, o, *c); rerr != nil {
			log.ErrorContext(ctx, "release email claim", "object", o.ID, "key", c.Key, "err", rerr)
		}
		return err
	}
	for attempt := 1; ; attempt++ {
		err = l.ConfirmEmail(ctx, o, c.Key, id)
		if err == nil || attempt == confirmAttempts || ctx.Err() != nil {
			break
		}
		log.WarnContext(ctx, "email sent but not recorded yet; trying again", "object", o.ID, "key", c.Key, "attempt", attempt, "err", err)
	}
	if err != nil {
		log.ErrorContext(ctx, "email sent but not recorded: a retry may send it again", "object", o.ID, "key", c.Key, "err", err)
	}
	return err
}

// Email is one of the emails a task sends together (StepAll): its ledger
// key and how to send it (returning the provider's message id).
type Email struct {
	Key  string
	Send func() (string, error)
}

// Recorder is a Stepper that also records several emails in one write.
type Recorder interface {
	Stepper
	// RecordEmails confirms the sent emails (key → message id) and gives up
	// the released claims in one write; a released claim that is not the
	// attempt's any more is left alone.
	RecordEmails(ctx context.Context, o app.ObjectKey, sent map[string]string, released []app.Claim) error
}

// StepAll is Step for a task that sends several emails: the claims of all
// that are due ride in the one write st, each on its own condition; they
// are sent in order and recorded together in one more write. st belongs to
// the first email: when that one went out already, st is written without
// its link, deadlines, reminder and events (written with its claim) — or
// not at all if nothing else is in it. A send that fails releases its claim
// and those of the emails after it in the same write that confirms the
// emails before it, and its error is returned: a retry sends what is left.
// Each email keeps its own at-most-once guarantee; what widens is only the
// time between a send and its confirmation, which spans the later sends.
func StepAll(ctx context.Context, s Recorder, l app.Ledger, st app.Step, emails []Email, owner string, log *slog.Logger) error {
	var due []Email
	var claims []*app.Claim
	for i, e := range emails {
		switch Check(l, e.Key, owner, st.At) {
		case Busy:
			return ErrBusy
		case Sent:
			if i == 0 {
				st.Link, st.Deadline, st.Reminder, st.AppealDeadline, st.Events = nil, time.Time{}, "", time.Time{}, nil
			}
		case Send:
			due = append(due, e)
			claims = append(claims, Claim(l, e.Key, owner, st.At))
		}
	}
	if len(claims) == 0 {
		if st.Token == "" && st.StartDone == "" {
			return nil
		}
		return s.Step(ctx, st)
	}
	st.Claim, st.MoreClaims = claims[0], claims[1:]
	if err := s.Step(ctx, st); err != nil {
		return err
	}
	sent := map[string]string{}
	var released []app.Claim
	var sendErr error
	for i, e := range due {
		id, err := e.Send()
		if err != nil && maybeSent(err) {
			log.ErrorContext(ctx, "email may have been sent (the answer was lost); counted as sent, not sent again", "object", st.Object.ID, "key", e.Key, "err", err)
			id, err = OutcomeUnknown, nil
		}
		if err != nil {
			for _, c := range claims[i:] {
				released = append(released, *c)
			}
			sendErr = err
			break
		}
		sent[e.Key] = id
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = s.RecordEmails(ctx, st.Object, sent, released)
		if err == nil || len(sent) == 0 || attempt == confirmAttempts || ctx.Err() != nil {
			break
		}
		log.WarnContext(ctx, "emails sent but not recorded yet; trying again", "object", st.Object.ID, "attempt", attempt, "err", err)
	}
	switch {
	case err != nil && len(sent) > 0:
		log.ErrorContext(ctx, "emails sent but not recorded: a retry may send them again", "object", st.Object.ID, "err", err)
	case err != nil:
		log.ErrorContext(ctx, "release email claims", "object", st.Object.ID, "err", err)
		err = nil // the send's error is the one to return
	}
	if sendErr != nil {
		return sendErr
	}
	return err
}
