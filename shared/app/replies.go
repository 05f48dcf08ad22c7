package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// ReplyStore is what a business's public replies need of the table.
type ReplyStore interface {
	// WriteReply writes a change of a review's reply in one transaction, on
	// the condition that the reply is still as w.Review holds it (and, for a
	// publication, that the review is not removed); moderation.ErrChanged
	// otherwise.
	WriteReply(ctx context.Context, w ReplyWrite) error
	// ReplyVersions returns every text a review's replies had, oldest first.
	ReplyVersions(ctx context.Context, reviewID string) ([]moderation.ReplyVersion, error)
}

// ReplyWrite is one change of a review's reply, as one transaction.
type ReplyWrite struct {
	Review moderation.Review // as read: Review.Reply.Revision is the condition
	Reply  moderation.Reply  // the reply as it is to be
	// Version is the new text kept for compliance (nil when the reply is
	// taken down).
	Version *moderation.ReplyVersion
	Audit   moderation.AuditEntry
	Events  []Event
}

// ReplyEvents builds the webhook events of reply changes (package webhook
// implements it): ids, revisions and who removed a reply, never its text.
type ReplyEvents interface {
	ReplyPublished(rev moderation.Review, at time.Time) Event
	ReplyUpdated(rev moderation.Review, at time.Time) Event
	// ReplyRemoved: by is "business" (it deleted its reply) or "compliance".
	ReplyRemoved(rev moderation.Review, by string, at time.Time) Event
}

// Who took a reply down, as reply.removed says.
const (
	RemovedByBusiness   = "business"
	RemovedByCompliance = "compliance"
)

// PutReply publishes text as the business's reply to one of its reviews,
// or replaces the reply it has (docs/product.md, "Replies"). ifMatch is the
// caller's If-Match ("" for none). It returns the review with its reply and
// whether the reply was created. Another business's review is not found; a
// removed review takes no reply (409 reply_not_allowed); a text the
// guidelines refuse changes nothing (422 on "text").
func (a *App) PutReply(ctx context.Context, actor Actor, reviewID, text, ifMatch string) (moderation.Review, bool, error) {
	rc, err := a.OwnReview(ctx, actor, reviewID)
	if err != nil {
		return moderation.Review{}, false, err
	}
	rev := rc.Review
	if !moderation.CanReply(rev) {
		return moderation.Review{}, false, moderation.Conflict(moderation.CodeReplyNotAllowed, "the review was removed; it takes no reply")
	}
	if err := moderation.CheckReplyPrecondition(rev.Reply, ifMatch); err != nil {
		return moderation.Review{}, false, err
	}
	biz, err := a.store.GetBusiness(ctx, rev.BusinessID)
	if err != nil {
		return moderation.Review{}, false, fmt.Errorf("put reply %s: %w", reviewID, err)
	}
	clean, err := moderation.CheckReply(moderation.ReplyInput{Text: text, ReviewerName: rev.Reviewer.Name,
		BusinessLocale: biz.Locale, OwnDomains: biz.Domains})
	if err != nil {
		return moderation.Review{}, false, err
	}
	if rev.Reply.Exists() && rev.Reply.Text == clean {
		return rev, false, nil // the same text again: nothing changes
	}
	now := a.clock.Now()
	created := !rev.Reply.Exists()
	next := moderation.PublishReply(rev.Reply, clean, now)
	w := ReplyWrite{Review: rev, Reply: next,
		Version: &moderation.ReplyVersion{Revision: next.Revision, Text: clean, At: now, By: actor.audit()},
		Audit:   replyAudit(actor.audit(), rev.Reply, next, now)}
	after := rev
	after.Reply = next
	if a.replyEvents != nil && biz.Webhooks > 0 {
		if created {
			w.Events = append(w.Events, a.replyEvents.ReplyPublished(after, now))
		} else {
			w.Events = append(w.Events, a.replyEvents.ReplyUpdated(after, now))
		}
	}
	if err := a.writeReply(ctx, w); err != nil {
		return moderation.Review{}, false, err
	}
	return after, created, nil
}

// DeleteReply takes the business's reply to one of its reviews down. There
// must be a published reply (404 otherwise); ifMatch as for PutReply.
func (a *App) DeleteReply(ctx context.Context, actor Actor, reviewID, ifMatch string) error {
	rc, err := a.OwnReview(ctx, actor, reviewID)
	if err != nil {
		return err
	}
	rev := rc.Review
	if !rev.Reply.Exists() {
		return notFound("reply")
	}
	if err := moderation.CheckReplyPrecondition(rev.Reply, ifMatch); err != nil {
		return err
	}
	return a.withdrawReply(ctx, rev, actor.audit(), moderation.ReplyDeleted, RemovedByBusiness, "")
}

// withdrawReply writes the reply of rev taken down with status by actor.
func (a *App) withdrawReply(ctx context.Context, rev moderation.Review, actor string, status moderation.ReplyStatus, by, note string) error {
	now := a.clock.Now()
	next := moderation.WithdrawReply(rev.Reply, status, now)
	audit := replyAudit(actor, rev.Reply, next, now)
	audit.Note = note
	w := ReplyWrite{Review: rev, Reply: next, Audit: audit}
	if a.replyEvents != nil {
		biz, err := a.store.GetBusiness(ctx, rev.BusinessID)
		if err != nil {
			return fmt.Errorf("withdraw reply %s: %w", rev.ID, err)
		}
		if biz.Webhooks > 0 {
			after := rev
			after.Reply = next
			w.Events = append(w.Events, a.replyEvents.ReplyRemoved(after, by, now))
		}
	}
	return a.writeReply(ctx, w)
}

// writeReply writes w; a reply changed meanwhile is the caller's lost update.
func (a *App) writeReply(ctx context.Context, w ReplyWrite) error {
	err := a.store.WriteReply(ctx, w)
	if errors.Is(err, moderation.ErrChanged) {
		return moderation.Conflict(moderation.CodeStateChanged, "the reply or its review changed meanwhile; read the review and try again")
	}
	if err != nil {
		return fmt.Errorf("write reply %s: %w", w.Review.ID, err)
	}
	return nil
}

// replyAudit is the review's audit entry for the reply moving from cur to next.
func replyAudit(actor string, cur, next moderation.Reply, at time.Time) moderation.AuditEntry {
	action := "reply.updated"
	switch {
	case next.Status == moderation.ReplyDeleted:
		action = "reply.deleted"
	case next.Status == moderation.ReplyRemoved:
		action = "reply.removed"
	case !cur.Exists():
		action = "reply.published"
	}
	e := moderation.AuditEntry{At: at, Actor: actor, Action: action, To: fmt.Sprintf("revision %d", next.Revision)}
	if cur.Revision > 0 {
		e.From = fmt.Sprintf("revision %d", cur.Revision)
	}
	return e
}
