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
	"github.com/candorhq/candor/shared/sendonce"
)

// A business's sanctions live in its partition BUS#<id>#SANCTIONS, sorted by
// creation (sortKey); each sanction's audit trail under SAN#<id>. A report
// does not read them: its transaction checks the block a suspension raises
// (attrSuspendedUntil), and only a refused report reads the sanctions to say why.

func businessSanctionsPK(id string) string { return "BUS#" + id + "#SANCTIONS" }

// attrSuspendedUntil is the end of the business's reporting block, on its
// report statistics item (businessPK, skReportStats).
const attrSuspendedUntil = "suspendedUntil"

func sanctionPK(id string) string { return "SAN#" + id }

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
	LiftedBy   string `dynamodbav:"liftedBy,omitempty"`
}

func newSanctionItem(s moderation.Sanction) sanctionItem {
	it := sanctionItem{PK: businessSanctionsPK(s.BusinessID), SK: sortKey(s.CreatedAt, s.ID), Type: "sanction", ID: s.ID,
		BusinessID: s.BusinessID, Kind: string(s.Kind), Status: string(s.Status), Note: s.Note, Agent: s.Agent,
		CreatedAt: fmtTime(s.CreatedAt), Until: fmtTime(s.Until), LiftedBy: s.LiftedBy}
	if !s.EndedAt.IsZero() {
		it.EndedAt = fmtTime(s.EndedAt)
	}
	return it
}

func (it sanctionItem) domain() moderation.Sanction {
	s := moderation.Sanction{ID: it.ID, BusinessID: it.BusinessID, Kind: moderation.SanctionKind(it.Kind),
		Status: moderation.SanctionStatus(it.Status), Note: it.Note, Agent: it.Agent, CreatedAt: parseTime(it.CreatedAt),
		Until: parseTime(it.Until), LiftedBy: it.LiftedBy}
	if it.EndedAt != "" {
		s.EndedAt = parseTime(it.EndedAt)
	}
	return s
}

// PutSanction records a new sanction with its first audit entry, its
// workflow start and the request's idempotency key, in one transaction. A
// suspension also raises the business's reporting block (suspendedUntil on
// its report statistics item, which every report's transaction updates and
// checks) to its until; the block is never lowered, and a suspension ending
// before the block in force is refused with moderation.ErrChanged.
func (s *Store) PutSanction(ctx context.Context, sn moderation.Sanction, e moderation.AuditEntry, start app.WorkflowStart, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, sn.CreatedAt)
	b.put(newSanctionItem(sn), "attribute_not_exists(PK)", nil)
	if sn.Kind == moderation.SanctionSuspension {
		b.update(businessPK(sn.BusinessID), skReportStats, "SET "+attrSuspendedUntil+" = :until",
			"attribute_not_exists("+attrSuspendedUntil+") OR "+attrSuspendedUntil+" <= :until", nil,
			map[string]types.AttributeValue{":until": str(fmtTime(sn.Until))})
	}
	b.audit(sanctionPK(sn.ID), e)
	b.put(newStartItem(start), "", nil)
	return s.commitAs(ctx, b, "put sanction "+sn.ID)
}

// LiftSanction records that an agent ended the active sanction sn early
// (sn as lifted: status ended, EndedAt, LiftedBy) with its audit entry, the
// start of the workflow that tells the business, and the request's
// idempotency key, in one transaction. lowerBlock, when not nil, lowers the
// business's reporting block from lowerBlock[0] (sn's until, the block in
// force) to lowerBlock[1], on the condition that the block is still the
// former: a suspension raised meanwhile cancels the lift (moderation.ErrChanged).
func (s *Store) LiftSanction(ctx context.Context, sn moderation.Sanction, e moderation.AuditEntry, start app.WorkflowStart,
	lowerBlock *[2]time.Time, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, e.At)
	b.update(businessSanctionsPK(sn.BusinessID), sortKey(sn.CreatedAt, sn.ID), "SET #status = :ended, endedAt = :at, liftedBy = :by",
		"#status = :active", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":ended": str(string(moderation.SanctionEnded)), ":active": str(string(moderation.SanctionActive)),
			":at": str(fmtTime(sn.EndedAt)), ":by": str(sn.LiftedBy)})
	b.audit(sanctionPK(sn.ID), e)
	b.put(newStartItem(start), "", nil)
	if lowerBlock != nil {
		b.update(businessPK(sn.BusinessID), skReportStats, "SET "+attrSuspendedUntil+" = :to", attrSuspendedUntil+" = :from", nil,
			map[string]types.AttributeValue{":from": str(fmtTime(lowerBlock[0])), ":to": str(fmtTime(lowerBlock[1]))})
	}
	return s.commitAs(ctx, b, "lift sanction "+sn.ID)
}

// SanctionTask reads a sanction for its workflow's task, with the ledger of
// its emails, and its business, in one BatchGetItem: moderation.ErrNotFound
// when either is missing.
func (s *Store) SanctionTask(ctx context.Context, businessID, id string, createdAt time.Time) (moderation.Sanction, app.Ledger, moderation.Business, error) {
	sk, bk := itemKey{businessSanctionsPK(businessID), sortKey(createdAt, id)}, itemKey{businessPK(businessID), skBusiness}
	items, err := s.batchGet(ctx, sk, bk)
	if err != nil {
		return moderation.Sanction{}, nil, moderation.Business{}, fmt.Errorf("read sanction %s: %w", id, err)
	}
	raw, braw := items[sk], items[bk]
	if raw == nil || braw == nil {
		return moderation.Sanction{}, nil, moderation.Business{}, fmt.Errorf("read sanction %s of business %s: %w", id, businessID, moderation.ErrNotFound)
	}
	var it sanctionItem
	var bi businessItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return moderation.Sanction{}, nil, moderation.Business{}, fmt.Errorf("read sanction %s: %w", id, err)
	}
	if err := attributevalue.UnmarshalMap(braw, &bi); err != nil {
		return moderation.Sanction{}, nil, moderation.Business{}, fmt.Errorf("read business %s: %w", businessID, err)
	}
	return it.domain(), ledgerOf(raw), bi.domain(), nil
}

// ClaimSanctionEmail writes an email claim on a sanction (on the condition
// that its entry is still as read) and clears the recorded workflow start
// named startDone, if any, in one transaction.
func (s *Store) ClaimSanctionEmail(ctx context.Context, sn moderation.Sanction, c app.Claim, startDone string) error {
	names, values := map[string]string{}, map[string]types.AttributeValue{}
	set, cond := claimExpr(&c, names, values)
	b := s.tx()
	b.update(businessSanctionsPK(sn.BusinessID), sortKey(sn.CreatedAt, sn.ID), "SET "+set, "attribute_exists(PK) AND "+cond, names, values)
	b.clearStart(startDone)
	return s.commitAs(ctx, b, "claim email "+c.Key+" of sanction "+sn.ID)
}

// ClearStart deletes a recorded workflow start (idempotent).
func (s *Store) ClearStart(ctx context.Context, name string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: s.key(startsPK, startSK(name))})
	if err != nil {
		return fmt.Errorf("clear workflow start %s: %w", name, err)
	}
	return nil
}

// SanctionLedger is the email ledger of one sanction, for sendonce.Deliver.
type SanctionLedger struct {
	Store    *Store
	Sanction moderation.Sanction
}

// ConfirmEmail records a sent email with its message id.
func (l SanctionLedger) ConfirmEmail(ctx context.Context, _ app.ObjectKey, key, messageID string) error {
	return l.Store.confirmEmail(ctx, businessSanctionsPK(l.Sanction.BusinessID), sortKey(l.Sanction.CreatedAt, l.Sanction.ID), key, messageID, "sanction "+l.Sanction.ID)
}

// ReleaseEmail gives up an attempt's claim after a failed send.
func (l SanctionLedger) ReleaseEmail(ctx context.Context, _ app.ObjectKey, c app.Claim) error {
	return l.Store.releaseEmail(ctx, businessSanctionsPK(l.Sanction.BusinessID), sortKey(l.Sanction.CreatedAt, l.Sanction.ID), c, "sanction "+l.Sanction.ID)
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
	err := s.readPartition(ctx, businessSanctionsPK(businessID), func(_ string, raw map[string]types.AttributeValue) error {
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

// Ledger is the email ledger of one sanction (for package sanction's tasks).
func (s *Store) Ledger(sn moderation.Sanction) sendonce.Ledger {
	return SanctionLedger{Store: s, Sanction: sn}
}
