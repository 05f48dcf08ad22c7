// Package sendonce sends an email at most once per key across retries of a
// Step Functions task: the key is claimed on the object's item before
// sending, confirmed with the message id after, and released when sending
// fails so that the retry sends. A claim older than the lease is presumed
// dead (the attempt crashed mid-send) and may be taken over.
package sendonce

import (
	"context"
	"log/slog"
	"time"
)

// Lease is how long a claim blocks another attempt.
const Lease = 2 * time.Minute

// Ledger is where claims are kept: the store's email ledger on an item.
type Ledger interface {
	ClaimEmail(ctx context.Context, pk, sk, key string, now time.Time, lease time.Duration) (bool, error)
	ConfirmEmail(ctx context.Context, pk, sk, key, messageID string) error
	ReleaseEmail(ctx context.Context, pk, sk, key string) error
}

// Send calls send unless the email named key on item (pk, sk) was sent (or
// is being sent) already. send returns the provider's message id.
func Send(ctx context.Context, l Ledger, pk, sk, key string, now time.Time, log *slog.Logger, send func() (string, error)) error {
	ok, err := l.ClaimEmail(ctx, pk, sk, key, now, Lease)
	if err != nil || !ok {
		return err
	}
	id, err := send()
	if err != nil {
		if rerr := l.ReleaseEmail(ctx, pk, sk, key); rerr != nil {
			log.ErrorContext(ctx, "release email claim", "pk", pk, "key", key, "err", rerr)
		}
		return err
	}
	return l.ConfirmEmail(ctx, pk, sk, key, id)
}
