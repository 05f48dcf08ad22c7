package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/links"
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
	// StopReplyEmails records that the reviewer at email wants no more
	// reply emails (a second time changes nothing).
	StopReplyEmails(ctx context.Context, email, reviewID string, at time.Time) error
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
	// Start is the reply notice's workflow, when the reviewer is to be told
	// (Reply.EmailedAt is then the write's time).
	Start *WorkflowStart
}

// MachineReply is the reply notice's state machine
// (statemachines/reply.asl.json): one task that emails the reviewer the
// reply, once, unless they stopped these emails.
const MachineReply = "reply"

// ReplyNoticeInput is a reply notice's execution input: ids and the reply's
// revision only.
type ReplyNoticeInput struct {
	ReviewID   string `json:"reviewId"`
	BusinessID string `json:"businessId"`
	Revision   int    `json:"revision"`
	// TicketID names the decided reply ticket when the execution tells of
	// a decision; "" for a reply notice (always present: the machine reads it).
	TicketID string `json:"ticketId"`
}

// replyNoticeStart is the reply notice of rev's reply at revision, named
// after both (a repeated start is harmless).
func replyNoticeStart(rev moderation.Review, revision int, at time.Time) WorkflowStart {
	sum := sha256.Sum256([]byte(rev.ID))
	return WorkflowStart{Machine: MachineReply, Name: fmt.Sprintf("reply-%s-%d", hex.EncodeToString(sum[:12]), revision),
		Input: workflowInput(ReplyNoticeInput{ReviewID: rev.ID, BusinessID: rev.BusinessID, Revision: revision}), At: at}
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
	// Whether the reviewer stopped these emails is the notice's to check: it
	// reads the reviewer's choice when it sends.
	if moderation.ReplyEmailDue(next, false, now) {
		next.EmailedAt, next.EmailedRevision = now, next.Revision
		w.Reply = next
		ws := replyNoticeStart(rev, next.Revision, now)
		w.Start = &ws
	}
	after := rev
	if a.replyEvents != nil && biz.Webhooks > 0 {
		after.Reply = next
		if created {
			w.Events = append(w.Events, a.replyEvents.ReplyPublished(after, now))
		} else {
			w.Events = append(w.Events, a.replyEvents.ReplyUpdated(after, now))
		}
	}
	after.Reply = w.Reply
	if err := a.writeReply(ctx, w); err != nil {
		return moderation.Review{}, false, err
	}
	if w.Start != nil {
		a.start(ctx, *w.Start)
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

// ReplyNoticeCase is everything the reply notice reads.
type ReplyNoticeCase struct {
	Review   moderation.Review
	Ledger   Ledger // the review's
	Business moderation.Business
	Stopped  bool // the reviewer stopped the reply emails
}

// ReplyEmailsLink is what the unsubscribe page shows: the language of the
// reviewer whose link it is.
type ReplyEmailsLink struct {
	Locale string
}

// replyEmailsLink reads the unsubscribe link of token and its review: an
// unknown token, or one of another purpose, is not found; one past its
// deadline is gone.
func (a *App) replyEmailsLink(ctx context.Context, token string) (Link, moderation.Review, error) {
	hash, ok := links.Hash(token)
	if !ok {
		return Link{}, moderation.Review{}, notFound("link")
	}
	l, err := a.store.GetLink(ctx, hash)
	if errors.Is(err, moderation.ErrNotFound) || (err == nil && l.Purpose != links.PurposeStopReplyEmails) {
		return Link{}, moderation.Review{}, notFound("link")
	}
	if err != nil {
		return Link{}, moderation.Review{}, fmt.Errorf("reply emails link: %w", err)
	}
	if !a.clock.Now().Before(l.Deadline) {
		return Link{}, moderation.Review{}, moderation.Gone(moderation.CodeGone, "this link has expired")
	}
	rev, err := a.store.GetReview(ctx, l.ObjectID)
	if err != nil {
		return Link{}, moderation.Review{}, fmt.Errorf("reply emails link: %w", err)
	}
	return l, rev, nil
}

// ReplyEmailsPage reads what the unsubscribe page of token shows (GET: it
// changes nothing, as mail scanners open links).
func (a *App) ReplyEmailsPage(ctx context.Context, token string) (ReplyEmailsLink, error) {
	_, rev, err := a.replyEmailsLink(ctx, token)
	if err != nil {
		return ReplyEmailsLink{}, err
	}
	return ReplyEmailsLink{Locale: moderation.NormalizeLocale(rev.Reviewer.Locale)}, nil
}

// StopReplyEmails stops the reply emails to the reviewer whose link token
// is (the one click of RFC 8058, or the page's button). It stops nothing
// else: the emails a process requires (requests, proof, decisions) still go.
func (a *App) StopReplyEmails(ctx context.Context, token string) (ReplyEmailsLink, error) {
	_, rev, err := a.replyEmailsLink(ctx, token)
	if err != nil {
		return ReplyEmailsLink{}, err
	}
	if err := a.store.StopReplyEmails(ctx, rev.Reviewer.Email, rev.ID, a.clock.Now()); err != nil {
		return ReplyEmailsLink{}, fmt.Errorf("stop reply emails: %w", err)
	}
	return ReplyEmailsLink{Locale: moderation.NormalizeLocale(rev.Reviewer.Locale)}, nil
}
