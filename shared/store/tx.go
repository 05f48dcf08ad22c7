package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// txBuilder collects the items of one TransactWriteItems.
type txBuilder struct {
	table string
	items []types.TransactWriteItem
	err   error
}

func (s *Store) tx() *txBuilder { return &txBuilder{table: s.table} }

// put adds a Put of v (a struct marshalled as an item) with an optional condition.
func (b *txBuilder) put(v any, cond string, values map[string]types.AttributeValue) int {
	m, err := marshal(v)
	if err != nil && b.err == nil {
		b.err = err
	}
	p := &types.Put{TableName: aws.String(b.table), Item: m}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
		if len(values) > 0 {
			p.ExpressionAttributeValues = values
		}
	}
	b.items = append(b.items, types.TransactWriteItem{Put: p})
	return len(b.items) - 1
}

// update adds an Update of item (pk, sk) with an optional condition.
func (b *txBuilder) update(pk, sk, set, cond string, names map[string]string, values map[string]types.AttributeValue) int {
	u := &types.Update{
		TableName:                 aws.String(b.table),
		Key:                       map[string]types.AttributeValue{AttrPK: str(pk), AttrSK: str(sk)},
		UpdateExpression:          aws.String(set),
		ExpressionAttributeValues: values,
	}
	if cond != "" {
		u.ConditionExpression = aws.String(cond)
	}
	if len(names) > 0 {
		u.ExpressionAttributeNames = names
	}
	b.items = append(b.items, types.TransactWriteItem{Update: u})
	return len(b.items) - 1
}

// clearStart adds the Delete of the recorded workflow start named name, if
// any (the task that did the start's work clears it with its write).
func (b *txBuilder) clearStart(name string) {
	if name != "" {
		b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(b.table),
			Key: map[string]types.AttributeValue{AttrPK: str(startsPK), AttrSK: str(startSK(name))}}})
	}
}

// audit adds an audit entry under the object's partition pk.
func (b *txBuilder) audit(pk string, e moderation.AuditEntry) {
	b.put(newAuditItem(pk, 0, e), "", nil)
}

// idempotency puts the key's record (when there is one) as the
// transaction's first item: a key that was seen before (and has not
// expired) cancels the whole transaction, so a change and the memory of its
// key are one.
func (b *txBuilder) idempotency(rec *app.Idempotency, now time.Time) {
	if rec != nil && len(b.items) == 0 {
		b.put(newIdempotencyItem(*rec), "attribute_not_exists(PK) OR expiresAt < :now", map[string]types.AttributeValue{":now": num(int(now.Unix()))})
	}
}

// stats adds the update of a business's reporting counters by delta
// (attribute → change); a transaction may carry it once.
func (b *txBuilder) stats(businessID string, delta statsDelta) {
	if len(delta) == 0 {
		return
	}
	names, values, set := addExpr(delta)
	b.update(businessPK(businessID), skReportStats, set, "", names, values)
}

// reportingStats adds the update of a business's reporting counters by delta
// on the condition that its reporting is not suspended at now (no reporting
// block, or one that ended by now): a report's transaction carries it, so a
// suspended business's report is refused by the write itself.
func (b *txBuilder) reportingStats(businessID string, delta statsDelta, now time.Time) {
	names, values, set := addExpr(delta) // a report always counts (filed)
	values[":blockedBefore"] = str(fmtTime(now))
	b.update(businessPK(businessID), skReportStats, set,
		"attribute_not_exists("+attrSuspendedUntil+") OR "+attrSuspendedUntil+" <= :blockedBefore", names, values)
}

// addExpr is the ADD expression of delta (attribute → change), in key order.
func addExpr(delta statsDelta) (map[string]string, map[string]types.AttributeValue, string) {
	keys := make([]string, 0, len(delta))
	for k := range delta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	names := make(map[string]string, len(keys))
	values := make(map[string]types.AttributeValue, len(keys))
	set := "ADD "
	for i, k := range keys {
		n, v := "#c"+strconv.Itoa(i), ":c"+strconv.Itoa(i)
		names[n], values[v] = k, num(delta[k])
		if i > 0 {
			set += ", "
		}
		set += n + " " + v
	}
	return names, values, set
}

// commit writes the transaction.
func (s *Store) commit(ctx context.Context, b *txBuilder) error {
	if b.err != nil {
		return b.err
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: b.items})
	return err
}

// commitAs writes the transaction and explains a failure as the operation op:
// a failed condition wraps moderation.ErrChanged, or
// moderation.ErrUnknownBusiness when it was a business item's and the item
// does not exist (a token naming no business).
func (s *Store) commitAs(ctx context.Context, b *txBuilder, op string) error {
	business := b.askBusinessItems()
	if err := s.commit(ctx, b); err != nil {
		if unknownBusiness(err, business) {
			return fmt.Errorf("%s: %w: %w", op, moderation.ErrUnknownBusiness, err)
		}
		return fmt.Errorf("%s: %w", op, classifyTx(err))
	}
	return nil
}

// askBusinessItems asks DynamoDB to return, when its condition fails, the
// item of every conditional write of a business item, and returns their
// indexes: a failure with no item there means the business does not exist.
func (b *txBuilder) askBusinessItems() map[int]bool {
	var idx map[int]bool
	for i, it := range b.items {
		var key map[string]types.AttributeValue
		switch {
		case it.Update != nil && it.Update.ConditionExpression != nil:
			key = it.Update.Key
			it.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		case it.ConditionCheck != nil:
			key = it.ConditionCheck.Key
			it.ConditionCheck.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		default:
			continue
		}
		pk, _ := key[AttrPK].(*types.AttributeValueMemberS)
		sk, _ := key[AttrSK].(*types.AttributeValueMemberS)
		if pk != nil && sk != nil && sk.Value == skBusiness && strings.HasPrefix(pk.Value, "BUS#") {
			if idx == nil {
				idx = map[int]bool{}
			}
			idx[i] = true
		}
	}
	return idx
}

// unknownBusiness reports whether err is a transaction cancelled by the
// failed condition of a business item (an index in business) that does
// not exist.
func unknownBusiness(err error, business map[int]bool) bool {
	tce, ok := errors.AsType[*types.TransactionCanceledException](err)
	if !ok || len(business) == 0 {
		return false
	}
	for i, r := range tce.CancellationReasons {
		if business[i] && aws.ToString(r.Code) == "ConditionalCheckFailed" && len(r.Item) == 0 {
			return true
		}
	}
	return false
}
