package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/moderation"
)

// Closure is the end of a report: its outcome applied to the report, its
// ticket and its review.
type Closure struct {
	Report  moderation.Report // as read; its ID, ReviewID, TicketID, BusinessID, Status and CreatedAt are used
	Ticket  moderation.Ticket // as read; its Status and QueuedAt are used
	Outcome moderation.Outcome
	Ground  string // e.g. moderation.GroundAgentDecision, moderation.GroundNoProofProvided
	Actor   string
	At      time.Time
}

// CloseReport closes an open report with its outcome in one transaction:
// the report becomes closed, the ticket decided, and the review published
// (reinstated) or removed, with its open report cleared — so that a later
// version can be reported again (P1). Audit entries for all three are part of
// the same write (P13). It fails with ErrConflict when the report is not open
// any more or the review no longer points at it.
func (s *Store) CloseReport(ctx context.Context, c Closure) error {
	visibility := moderation.Published
	if c.Outcome == moderation.OutcomeRemoved {
		visibility = moderation.Removed
	}
	at := str(fmtTime(c.At))
	items := []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                aws.String(s.table),
			Key:                      s.key(reportPK(c.Report.ID), skReport),
			ConditionExpression:      aws.String("#status = :from"),
			UpdateExpression:         aws.String("SET #status = :closed, outcome = :outcome, ground = :ground, closedAt = :at, updatedAt = :at, GSI2PK = :gsi2, taskToken = :none, reviewerDeadline = :none"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":from": str(string(c.Report.Status)), ":closed": str(string(moderation.ReportClosed)),
				":outcome": str(string(c.Outcome)), ":ground": str(c.Ground), ":at": at,
				":gsi2": str(businessReportsByStatusPK(c.Report.BusinessID, moderation.ReportClosed)), ":none": str(""),
			},
		}},
		{Update: &types.Update{
			TableName:           aws.String(s.table),
			Key:                 s.key(reviewPK(c.Report.ReviewID), skReview),
			ConditionExpression: aws.String("openReportId = :rpt"),
			UpdateExpression:    aws.String("SET openReportId = :empty, visibility = :vis, updatedAt = :at"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":rpt": str(c.Report.ID), ":empty": str(""), ":vis": str(string(visibility)), ":at": at,
			},
		}},
	}
	// An agent's decision made the ticket decided already; a removal for want
	// of proof decides it here.
	if c.Ticket.Status == moderation.TicketDecided {
		items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName:                 aws.String(s.table),
			Key:                       s.key(ticketPK(c.Ticket.ID), skTicket),
			ConditionExpression:       aws.String("#status = :decided"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":decided": str(string(moderation.TicketDecided))},
		}})
	} else {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                aws.String(s.table),
			Key:                      s.key(ticketPK(c.Ticket.ID), skTicket),
			ConditionExpression:      aws.String("#status = :from"),
			UpdateExpression:         aws.String("SET #status = :decided, updatedAt = :at, GSI2PK = :gsi2, GSI2SK = :gsi2sk"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":from": str(string(c.Ticket.Status)), ":decided": str(string(moderation.TicketDecided)), ":at": at,
				":gsi2": str(ticketsByStatusPK(moderation.TicketDecided)), ":gsi2sk": str(sortKey(c.At, c.Ticket.ID)),
			},
		}})
	}
	note := string(c.Outcome) + " (" + c.Ground + ")"
	hiddenAs := moderation.Published
	if c.Report.HidesReview {
		hiddenAs = moderation.UnderInvestigation
	}
	audits := []auditItem{
		newAuditItem(reportPK(c.Report.ID), 0, moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "report.closed", From: string(c.Report.Status), To: string(moderation.ReportClosed), Note: note}),
		newAuditItem(reviewPK(c.Report.ReviewID), 0, moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "review." + string(c.Outcome), From: string(hiddenAs), To: string(visibility), Note: "report " + c.Report.ID}),
	}
	if c.Ticket.Status != moderation.TicketDecided {
		audits = append(audits, newAuditItem(ticketPK(c.Ticket.ID), 0, moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "ticket.decided", From: string(c.Ticket.Status), To: string(moderation.TicketDecided), Note: note}))
	}
	for _, a := range audits {
		m, err := marshal(a)
		if err != nil {
			return fmt.Errorf("close report %s: %w", c.Report.ID, err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: m}})
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		return fmt.Errorf("close report %s: %w", c.Report.ID, classifyTx(err))
	}
	return nil
}
