package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/moderation"
)

// ReportSubmission is everything one report submission writes.
type ReportSubmission struct {
	Report      moderation.Report // Report.HidesReview decides whether the review is hidden (P4)
	Ticket      moderation.Ticket
	Actor       string             // for the audit trail, e.g. "business:b1"
	Idempotency *IdempotencyRecord // optional: stored in the same transaction
	// ProofDeadline ends the reviewer's proof window of a no_genuine_experience report (P6).
	ProofDeadline time.Time
	// Start records the report's workflow start in the same transaction (nil: none).
	Start *WorkflowStart
}

// SubmitReport writes a report, hides (or marks) the review, opens the ticket
// and appends their audit entries in ONE transaction (P4, P13). The review
// must still be at the reported version with no open report, not reported at
// that version, and not removed — otherwise nothing is written and the error
// wraps ErrConflict, so of two concurrent reports on one version exactly one
// is stored. A repeated idempotency key returns *Replay or ErrIdempotencyKeyReused.
func (s *Store) SubmitReport(ctx context.Context, sub ReportSubmission) error {
	r, t := sub.Report, sub.Ticket
	now := r.CreatedAt
	var items []types.TransactWriteItem
	put := func(v any, cond string, values map[string]types.AttributeValue) error {
		m, err := marshal(v)
		if err != nil {
			return err
		}
		p := &types.Put{TableName: aws.String(s.table), Item: m}
		if cond != "" {
			p.ConditionExpression = aws.String(cond)
			p.ExpressionAttributeValues = values
		}
		items = append(items, types.TransactWriteItem{Put: p})
		return nil
	}
	// The idempotency record goes first: cancellation reasons then tell a
	// replay apart from a state conflict even where only the first failure is reported.
	if sub.Idempotency != nil {
		if err := put(sub.Idempotency.item(), "attribute_not_exists(PK) OR expiresAt < :now",
			map[string]types.AttributeValue{":now": num(int(now.Unix()))}); err != nil {
			return fmt.Errorf("submit report: %w", err)
		}
	}
	reviewIdx := len(items)
	set := "SET openReportId = :rpt, lastReportedVersion = :v, publicStatement = :ps, reportedAt = :now, updatedAt = :now"
	values := map[string]types.AttributeValue{
		":rpt": str(r.ID), ":v": num(r.ReviewVersion), ":ps": str(r.PublicStatement), ":now": str(fmtTime(now)),
		":empty": str(""), ":removed": str(string(moderation.Removed)), ":bid": str(r.BusinessID),
	}
	reviewAudit := moderation.AuditEntry{At: now, Actor: sub.Actor, Action: "review.reported", From: string(moderation.Published), To: string(moderation.Published), Note: "report " + r.ID}
	if r.HidesReview {
		set += ", visibility = :hidden"
		values[":hidden"] = str(string(moderation.UnderInvestigation))
		reviewAudit.Action, reviewAudit.To = "review.hidden", string(moderation.UnderInvestigation)
	}
	items = append(items, types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(s.table),
		Key:                       s.key(reviewPK(r.ReviewID), skReview),
		UpdateExpression:          aws.String(set),
		ConditionExpression:       aws.String("#version = :v AND openReportId = :empty AND lastReportedVersion < :v AND visibility <> :removed AND businessId = :bid"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: values,
	}})
	ri := newReportItem(r)
	ri.ReviewerDeadline = fmtTime(sub.ProofDeadline)
	steps := []struct {
		v any
	}{
		{ri},
		{newTicketItem(t)},
		{newAuditItem(reportPK(r.ID), 0, moderation.AuditEntry{At: now, Actor: sub.Actor, Action: "report.submitted", To: string(r.Status)})},
		{newAuditItem(reviewPK(r.ReviewID), 0, reviewAudit)},
		{newAuditItem(ticketPK(t.ID), 0, moderation.AuditEntry{At: now, Actor: sub.Actor, Action: "ticket.opened", To: string(t.Status), Note: "report " + r.ID})},
	}
	for i, st := range steps {
		cond := ""
		if i < 2 {
			cond = "attribute_not_exists(PK)"
		}
		if err := put(st.v, cond, nil); err != nil {
			return fmt.Errorf("submit report: %w", err)
		}
	}
	if sub.Start != nil {
		if err := put(sub.Start.item(), "", nil); err != nil {
			return fmt.Errorf("submit report: %w", err)
		}
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	if sub.Idempotency != nil && cancelledAt(err, 0) {
		return s.replayOf(ctx, *sub.Idempotency)
	}
	if cancelledAt(err, reviewIdx) {
		return fmt.Errorf("submit report on review %s: %w", r.ReviewID, ErrConflict)
	}
	return fmt.Errorf("submit report on review %s: %w", r.ReviewID, classifyTx(err))
}

// GetReport returns a report with its audit trail (oldest first), or ErrNotFound.
func (s *Store) GetReport(ctx context.Context, id string) (moderation.Report, []moderation.AuditEntry, error) {
	d, err := s.ReportDetail(ctx, id)
	return d.Report, d.Trail, err
}

// ListReports returns a business's reports, newest first, optionally only
// those with the given status, one page at a time.
func (s *Store) ListReports(ctx context.Context, businessID string, status moderation.ReportStatus, p Page) ([]moderation.Report, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, AttrGSI1PK, AttrGSI1SK, businessReportsPK(businessID)
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, AttrGSI2PK, AttrGSI2SK, businessReportsByStatusPK(businessID, status)
	}
	var out []moderation.Report
	next, err := s.page(ctx, index, pkAttr, skAttr, pk, false, p, func(raw map[string]types.AttributeValue) error {
		var it reportItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list reports of %s: %w", businessID, err)
	}
	return out, next, nil
}

// EachReport calls fn for every report of a business (newest first), reading
// only the attributes a summary needs.
func (s *Store) EachReport(ctx context.Context, businessID string, fn func(moderation.Report)) error {
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(businessReportsPK(businessID))},
		ProjectionExpression:      aws.String("id, #status, outcome, #items, reviewStars"),
		ExpressionAttributeNames:  map[string]string{"#status": "status", "#items": "items"},
		ScanIndexForward:          aws.Bool(false),
	}, func(raw map[string]types.AttributeValue) error {
		var it reportItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		fn(it.domain())
		return nil
	})
	if err != nil {
		return fmt.Errorf("reports of %s: %w", businessID, err)
	}
	return nil
}

// ListReviews returns a business's reviews, newest first, one page at a time.
func (s *Store) ListReviews(ctx context.Context, businessID string, p Page) ([]moderation.Review, string, error) {
	var out []moderation.Review
	next, err := s.page(ctx, IndexGSI1, AttrGSI1PK, AttrGSI1SK, businessReviewsPK(businessID), false, p, func(raw map[string]types.AttributeValue) error {
		var it reviewItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list reviews of %s: %w", businessID, err)
	}
	return out, next, nil
}

// GetTicket returns a ticket or ErrNotFound.
func (s *Store) GetTicket(ctx context.Context, id string) (moderation.Ticket, error) {
	var it ticketItem
	if err := s.getItem(ctx, ticketPK(id), skTicket, &it); err != nil {
		return moderation.Ticket{}, fmt.Errorf("get ticket %s: %w", id, err)
	}
	return it.domain(), nil
}

// ListTickets returns the compliance queue oldest first: all tickets by
// creation, or those with a status by the time they entered it.
func (s *Store) ListTickets(ctx context.Context, status moderation.TicketStatus, p Page) ([]moderation.Ticket, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, AttrGSI1PK, AttrGSI1SK, ticketsPK
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, AttrGSI2PK, AttrGSI2SK, ticketsByStatusPK(status)
	}
	var out []moderation.Ticket
	next, err := s.page(ctx, index, pkAttr, skAttr, pk, true, p, func(raw map[string]types.AttributeValue) error {
		var it ticketItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list tickets: %w", err)
	}
	return out, next, nil
}

// page runs one page of a Query on an index partition. The Limit may be
// filled across several calls only when DynamoDB stops early (1 MB).
func (s *Store) page(ctx context.Context, index, pkAttr, skAttr, pk string, forward bool, p Page, each func(map[string]types.AttributeValue) error) (string, error) {
	start, err := decodeCursor(p.Cursor, pkAttr, pk, skAttr)
	if err != nil {
		return "", err
	}
	limit := p.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ScanIndexForward:          aws.Bool(forward),
		ExclusiveStartKey:         start,
	}
	got := 0
	for {
		in.Limit = aws.Int32(int32(limit - got))
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return "", err
		}
		for _, raw := range res.Items {
			if err := each(raw); err != nil {
				return "", err
			}
		}
		got += len(res.Items)
		if res.LastEvaluatedKey == nil {
			return "", nil
		}
		if got >= limit {
			return encodeCursor(res.LastEvaluatedKey), nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// IsNotFound reports whether err says an item does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
