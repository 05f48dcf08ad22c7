// Package sendonce sends an email at most once per key across retries of a
// Step Functions task. The key's entry in the object's email ledger is read
// with the object; the claim rides in the write the task makes anyway (an
// app.Step), on the condition that the entry is still as read; the send is
// confirmed with the provider's message id after, or released when it fails
// so that the retry sends. A claim older than the lease is presumed dead
// (the attempt crashed mid-send) and may be taken over.
package sendonce

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
)

// Lease is how long a claim blocks another attempt.
const Lease = 2 * time.Minute

const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Due reports whether email key of the ledger should be sent now: it was
// never sent and no attempt holds a live claim on it.
func Due(l app.Ledger, key string, now time.Time) bool {
	v, ok := l[key]
	switch {
	case !ok:
		return true
	case strings.HasPrefix(v, "sent:"):
		return false
	}
	t, err := time.Parse(timeLayout, strings.TrimPrefix(v, "claimed:"))
	return err != nil || now.Sub(t) >= Lease
}

// Claim returns the claim of key made at now, conditional on the entry
// being what was read.
func Claim(l app.Ledger, key string, now time.Time) *app.Claim {
	return &app.Claim{Key: key, Prev: l[key], Value: "claimed:" + now.UTC().Format(timeLayout)}
}

// Ledger records what became of a claimed email.
type Ledger interface {
	ConfirmEmail(ctx context.Context, o app.ObjectKey, key, messageID string) error
	ReleaseEmail(ctx context.Context, o app.ObjectKey, c app.Claim) error
}

// Deliver sends the claimed email and records it: confirmed with the
// message id, or released when the send failed (its error is returned).
func Deliver(ctx context.Context, l Ledger, o app.ObjectKey, c *app.Claim, log *slog.Logger, send func() (string, error)) error {
	id, err := send()
	if err != nil {
		if rerr := l.ReleaseEmail(ctx, o, *c); rerr != nil {
			log.ErrorContext(ctx, "release email claim", "object", o.ID, "key", c.Key, "err", rerr)
		}
		return err
	}
	return l.ConfirmEmail(ctx, o, c.Key, id)
}
