package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// skNotePfx starts the sort keys of a ticket's internal notes, which live
// in the ticket's partition (TKT#<id>, NOTE#<at>#<id>) so that the ticket,
// its trail and its notes come back in one Query.
const skNotePfx = "NOTE#"

type noteItem struct {
	PK, SK   string
	Type     string `dynamodbav:"type"`
	ID       string `dynamodbav:"id"`
	TicketID string `dynamodbav:"ticketId"`
	Author   string `dynamodbav:"author"`
	Text     string `dynamodbav:"text"`
	At       string `dynamodbav:"at"`
}

func newNoteItem(n moderation.InternalNote) noteItem {
	return noteItem{PK: ticketPK(n.TicketID), SK: skNotePfx + fmtTime(n.At) + "#" + n.ID, Type: "note",
		ID: n.ID, TicketID: n.TicketID, Author: n.Author, Text: n.Text, At: fmtTime(n.At)}
}

func (it noteItem) domain() moderation.InternalNote {
	return moderation.InternalNote{ID: it.ID, TicketID: it.TicketID, Author: it.Author, Text: it.Text, At: parseTime(it.At)}
}

// AddNote writes note n and the ticket's audit entry e in one transaction,
// on the condition that the ticket exists (moderation.ErrChanged otherwise),
// counting the note on the ticket item (noteCount).
func (s *Store) AddNote(ctx context.Context, n moderation.InternalNote, e moderation.AuditEntry, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, n.At)
	b.update(ticketPK(n.TicketID), skTicket, "SET noteCount = if_not_exists(noteCount, :zero) + :one", "attribute_exists(PK)", nil,
		map[string]types.AttributeValue{":zero": num(0), ":one": num(1)})
	b.put(newNoteItem(n), "attribute_not_exists(PK)", nil)
	b.audit(ticketPK(n.TicketID), e)
	return s.commitAs(ctx, b, "add note to ticket "+n.TicketID)
}

// TicketRecord reads a ticket, its audit trail, its latest decision and its
// notes (oldest first) in one Query of the ticket's partition.
func (s *Store) TicketRecord(ctx context.Context, id string) (app.TicketRecord, error) {
	var rec app.TicketRecord
	var it ticketItem
	found := false
	err := s.readPartition(ctx, ticketPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == skTicket:
			found = true
			return attributevalue.UnmarshalMap(raw, &it)
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&rec.Trail, raw)
		case strings.HasPrefix(sk, skNotePfx):
			var n noteItem
			if err := attributevalue.UnmarshalMap(raw, &n); err != nil {
				return err
			}
			rec.Notes = append(rec.Notes, n.domain())
		}
		return nil
	})
	if err == nil && !found {
		err = moderation.ErrNotFound
	}
	if err != nil {
		return app.TicketRecord{}, fmt.Errorf("ticket record %s: %w", id, err)
	}
	rec.Ticket, rec.Decision = it.domain(), it.decision()
	return rec, nil
}

// ReviewRecord reads, in one Query of the review's partition, the review
// with its Find Reviewer request refs, every version (oldest first) and
// its audit trail: a case's review in one read instead of three.
func (s *Store) ReviewRecord(ctx context.Context, id string) (app.ReviewRecord, error) {
	var rec app.ReviewRecord
	found := false
	err := s.readPartition(ctx, reviewPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == skReview:
			var it reviewItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			rec.Context.Review, found = it.domain(), true
		case strings.HasPrefix(sk, skRequestPfx):
			var it requestRefItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			rec.Context.Requests = append(rec.Context.Requests, moderation.RequestSummary{ID: it.ID, Status: moderation.RequestStatus(it.Status)})
		case strings.HasPrefix(sk, skVersionPfx):
			var it versionItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			rec.Versions = append(rec.Versions, it.domain())
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&rec.Trail, raw)
		}
		return nil
	})
	if err == nil && !found {
		err = moderation.ErrNotFound
	}
	if err != nil {
		return app.ReviewRecord{}, fmt.Errorf("review record %s: %w", id, err)
	}
	return rec, nil
}
