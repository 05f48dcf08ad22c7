package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// A business's sanctions live in its partition BUS#<id>#SANCTIONS, sorted by
// creation (sortKey); each sanction's audit trail under SAN#<id>. A report's
// suspension check is one Query of that small partition.

func businessSanctionsPK(id string) string { return "BUS#" + id + "#SANCTIONS" }
func sanctionPK(id string) string          { return "SAN#" + id }

type sanctionItem struct {
	PK, SK     string
	Type       string `dynamodbav:"type"`
	ID         string `dynamodbav:"id"`
	BusinessID string `dynamodbav:"businessId"`
	Kind       string `dynamodbav:"kind"`
	Status     string `dynamodbav:"status"`
	Note       string `dynamodbav:"note"`
	Agent      string `dynamodbav:"agent"`
	CreatedAt  string `dynamodbav:"createdAt"`
	Until      string `dynamodbav:"until"`
	EndedAt    string `dynamodbav:"endedAt,omitempty"`
}

func newSanctionItem(s moderation.Sanction) sanctionItem {
	it := sanctionItem{PK: businessSanctionsPK(s.BusinessID), SK: sortKey(s.CreatedAt, s.ID), Type: "sanction", ID: s.ID,
		BusinessID: s.BusinessID, Kind: string(s.Kind), Status: string(s.Status), Note: s.Note, Agent: s.Agent,
		CreatedAt: fmtTime(s.CreatedAt), Until: fmtTime(s.Until)}
	if !s.EndedAt.IsZero() {
		it.EndedAt = fmtTime(s.EndedAt)
	}
	return it
}

func (it sanctionItem) domain() moderation.Sanction {
	s := moderation.Sanction{ID: it.ID, BusinessID: it.BusinessID, Kind: moderation.SanctionKind(it.Kind),
		Status: moderation.SanctionStatus(it.Status), Note: it.Note, Agent: it.Agent, CreatedAt: parseTime(it.CreatedAt),
		Until: parseTime(it.Until)}
	if it.EndedAt != "" {
		s.EndedAt = parseTime(it.EndedAt)
	}
	return s
}

// PutSanction records a new sanction with its first audit entry and the
// request's idempotency key, in one transaction.
func (s *Store) PutSanction(ctx context.Context, sn moderation.Sanction, e moderation.AuditEntry, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, sn.CreatedAt)
	b.put(newSanctionItem(sn), "attribute_not_exists(PK)", nil)
	b.audit(sanctionPK(sn.ID), e)
	return s.commitAs(ctx, b, "put sanction "+sn.ID)
}

// EndSanction records that an active sanction ended at `at`, with its audit
// entry; moderation.ErrChanged when it is no longer active.
func (s *Store) EndSanction(ctx context.Context, sn moderation.Sanction, at time.Time, e moderation.AuditEntry) error {
	b := s.tx()
	b.update(businessSanctionsPK(sn.BusinessID), sortKey(sn.CreatedAt, sn.ID), "SET #status = :ended, endedAt = :at",
		"#status = :active", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":ended": str(string(moderation.SanctionEnded)), ":active": str(string(moderation.SanctionActive)),
			":at": str(fmtTime(at))})
	b.audit(sanctionPK(sn.ID), e)
	return s.commitAs(ctx, b, "end sanction "+sn.ID)
}

// ListSanctions returns a business's sanctions, oldest first.
func (s *Store) ListSanctions(ctx context.Context, businessID string) ([]moderation.Sanction, error) {
	var out []moderation.Sanction
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(businessSanctionsPK(businessID))},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it sanctionItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list sanctions of %s: %w", businessID, err)
	}
	return out, nil
}

// SanctionTrail reads a sanction's audit trail, oldest first.
func (s *Store) SanctionTrail(ctx context.Context, id string) ([]moderation.AuditEntry, error) {
	var trail []moderation.AuditEntry
	err := s.readPartition(ctx, sanctionPK(id), func(_ string, raw map[string]types.AttributeValue) error {
		return appendAudit(&trail, raw)
	})
	if err != nil {
		return nil, fmt.Errorf("sanction trail %s: %w", id, err)
	}
	return trail, nil
}
