package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// rateKeep is how long a rate window's counter outlives its window before
// the table's TTL (expiresAt) deletes it.
const rateKeep = 24 * time.Hour

// rateSK is the sort key of a business's counter of kind in the window
// starting at w, e.g. "RATE#reports#2026-11-02T09".
func rateSK(kind string, w time.Time) string {
	return "RATE#" + kind + "#" + w.UTC().Format("2006-01-02T15")
}

// rate adds the count of rc (when not nil) to the transaction: ADD n 1 on the
// business's counter item of the window, on condition n < limit.
func (b *txBuilder) rate(rc *app.RateCount) {
	if rc == nil {
		return
	}
	b.update(businessPK(rc.BusinessID), rateSK(rc.Kind, rc.Window), "ADD #n :one SET #type = :type, expiresAt = :exp",
		"attribute_not_exists(#n) OR #n < :limit", map[string]string{"#n": "n", "#type": "type"},
		map[string]types.AttributeValue{":one": num(1), ":limit": num(rc.Limit), ":type": str("rate"),
			":exp": num(int(rc.Window.Add(moderation.RateWindowLength + rateKeep).Unix()))})
}

// commitCounted commits a transaction carrying the count rc, like commitAs;
// when the transaction was refused and the window's counter stands at its
// limit, the error wraps app.ErrRateLimited instead of moderation.ErrChanged.
func (s *Store) commitCounted(ctx context.Context, b *txBuilder, op string, rc *app.RateCount) error {
	err := s.commitAs(ctx, b, op)
	if rc == nil || !errors.Is(err, moderation.ErrChanged) {
		return err
	}
	n, rerr := s.RateCount(ctx, rc.BusinessID, rc.Kind, rc.Window)
	if rerr == nil && n >= rc.Limit {
		return fmt.Errorf("%s: %w", op, app.ErrRateLimited)
	}
	return err
}

// RateCount returns how many things of kind the business made in the rate
// window starting at w.
func (s *Store) RateCount(ctx context.Context, businessID, kind string, w time.Time) (int, error) {
	var it struct {
		N int `dynamodbav:"n"`
	}
	err := s.getItem(ctx, businessPK(businessID), rateSK(kind, w), &it)
	if errors.Is(err, moderation.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("rate count of %s: %w", businessID, err)
	}
	return it.N, nil
}
