package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// attrReasonSet is a review ticket's reported reasons as a string set,
// written when the report opens it, so that a queue can be filtered by
// reason (contains on a set matches whole elements only).
const attrReasonSet = "reasonSet"

// QueueTickets reads one page of the review tickets with status, oldest
// first, that match f: a Query of the status index (GSI2
// TICKETS#<status>) with a FilterExpression on the business and the
// reason. DynamoDB applies the filter after reading, so a page evaluates up
// to p.Limit queue entries and returns the matching ones among them (maybe
// none, with a cursor to go on); it never reads outside the queue.
func (s *Store) QueueTickets(ctx context.Context, status moderation.TicketStatus, f app.QueueFilter, p app.Page) ([]moderation.Ticket, string, error) {
	pk := ticketsByStatusPK(status)
	start, err := decodeCursor(p.Cursor, AttrGSI2PK, pk, AttrGSI2SK)
	if err != nil {
		return nil, "", fmt.Errorf("queue tickets: %w", err)
	}
	limit := p.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	names := map[string]string{"#pk": AttrGSI2PK, "#kind": "kind"}
	values := map[string]types.AttributeValue{":pk": str(pk), ":review": str(string(moderation.TicketKindReview))}
	filter := "(attribute_not_exists(#kind) OR #kind = :review)"
	if f.BusinessID != "" {
		names["#biz"], values[":biz"] = "businessId", str(f.BusinessID)
		filter += " AND #biz = :biz"
	}
	if f.Reason != "" {
		names["#reasons"], values[":reason"] = attrReasonSet, str(string(f.Reason))
		filter += " AND contains(#reasons, :reason)"
	}
	res, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression: aws.String("#pk = :pk"), FilterExpression: aws.String(filter),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		ScanIndexForward: aws.Bool(true), ExclusiveStartKey: start, Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, "", fmt.Errorf("queue tickets: %w", err)
	}
	out := make([]moderation.Ticket, 0, len(res.Items))
	for _, raw := range res.Items {
		var it ticketItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, "", fmt.Errorf("queue tickets: %w", err)
		}
		out = append(out, it.domain())
	}
	return out, encodeCursor(res.LastEvaluatedKey), nil
}

// reasonSetOf is the string set of a report's reasons.
func reasonSetOf(r moderation.Report) types.AttributeValue {
	seen := map[string]bool{}
	var ss []string
	for _, reason := range r.Reasons() {
		if !seen[string(reason)] {
			seen[string(reason)] = true
			ss = append(ss, string(reason))
		}
	}
	return &types.AttributeValueMemberSS{Value: ss}
}

// withReasons adds report r's reasons as a set to the ticket item put at i.
func (b *txBuilder) withReasons(i int, r moderation.Report) {
	if p := b.items[i].Put; p != nil && p.Item != nil && len(r.Items) > 0 {
		p.Item[attrReasonSet] = reasonSetOf(r)
	}
}
