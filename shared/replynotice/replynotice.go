// Package replynotice tells a reviewer that the business replied to their
// review (statemachines/reply.asl.json, one execution per reply revision
// that is due an email; docs/product.md, "Replies"). The task emails the
// reply's current text once — whatever the retries, with the review's
// email ledger — with a link to the public page, a single-use link to
// report the reply and a one-click unsubscribe (RFC 8058). It sends nothing
// when the reply was taken down meanwhile, the review is no longer public,
// or the reviewer stopped these emails; then it only clears the recorded
// start.
//
// The same task tells of a compliance decision on a reply ticket (its
// execution names the ticket): a removal's statement of reasons to the
// business, and the outcome to the reviewer when they reported through
// their link — each once, with the same ledger.
package replynotice

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/sendonce"
)

// LinkLifetime is how long the unsubscribe link of a reply email works: the reviewer may read the email late.
const LinkLifetime = 365 * 24 * time.Hour

// ReportLinkLifetime is how long the link to report the reply works.
const ReportLinkLifetime = 90 * 24 * time.Hour

// Store is what the notice needs of the table.
type Store interface {
	sendonce.Ledger
	ReplyNoticeCase(ctx context.Context, reviewID, businessID string) (app.ReplyNoticeCase, error)
	ClaimReplyEmail(ctx context.Context, reviewID string, c *app.Claim, newLinks []app.Link, startDone string) error
	// TicketDecision reads a ticket with its recorded decision.
	TicketDecision(ctx context.Context, id string) (moderation.Ticket, moderation.Decision, error)
}

// Mailer sends one email with one-click unsubscribe headers.
type Mailer interface {
	SendUnsubscribable(ctx context.Context, to mail.Recipient, msg mail.Message, unsubscribeURL string) (string, error)
	Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error)
}

// Notifier runs the reply notice.
type Notifier struct {
	store Store
	mail  Mailer
	links mail.Links
	clock clock.Clock
	log   *slog.Logger
}

// New wires the notice.
func New(s Store, m Mailer, l mail.Links, c clock.Clock, log *slog.Logger) *Notifier {
	return &Notifier{store: s, mail: m, links: l, clock: c, log: log}
}

// Notify tells the reviewer of reviewID the reply at revision, once, or
// when ticketID is not "" tells of the decision on that reply ticket; the
// execution names the task's claim and its recorded start.
func (n *Notifier) Notify(ctx context.Context, reviewID, businessID, ticketID string, revision int, execution string) error {
	log := n.log.With("reviewId", reviewID, "revision", revision, "execution", execution)
	c, err := n.store.ReplyNoticeCase(ctx, reviewID, businessID)
	if err != nil {
		return err
	}
	if ticketID != "" {
		return n.decision(ctx, c, ticketID, execution, log.With("ticketId", ticketID))
	}
	now := n.clock.Now()
	rev := c.Review
	key := "reply:" + strconv.Itoa(revision)
	owner := sendonce.Owner(execution, "reply_notice", revision)
	if !rev.Reply.Exists() || rev.Visibility != moderation.Published || c.Stopped {
		log.InfoContext(ctx, "reply notice: nothing to tell", "reply", string(rev.Reply.Status), "visibility", string(rev.Visibility), "stopped", c.Stopped)
		return n.store.ClaimReplyEmail(ctx, reviewID, nil, nil, execution)
	}
	switch sendonce.Check(c.Ledger, key, owner, now) {
	case sendonce.Sent:
		return n.store.ClaimReplyEmail(ctx, reviewID, nil, nil, execution)
	case sendonce.Busy:
		return sendonce.ErrBusy
	}
	unsubTok, unsubHash, err := links.New()
	if err != nil {
		return err
	}
	reportTok, reportHash, err := links.New()
	if err != nil {
		return err
	}
	until := now.Add(LinkLifetime)
	newLinks := []app.Link{
		{Hash: unsubHash, Purpose: links.PurposeStopReplyEmails, ObjectID: rev.ID, Round: rev.Reply.Revision, Deadline: until, Created: now},
		{Hash: reportHash, Purpose: links.PurposeReportReply, ObjectID: rev.ID, Round: rev.Reply.Revision, Deadline: now.Add(ReportLinkLifetime), Created: now},
	}
	claim := sendonce.Claim(c.Ledger, key, owner, now)
	if err := n.store.ClaimReplyEmail(ctx, reviewID, claim, newLinks, execution); err != nil {
		return fmt.Errorf("reply notice: claim: %w", err)
	}
	unsubscribe := n.links.UnsubscribeLink(unsubTok)
	msg := mail.ReplyPublished{BusinessName: c.Business.Name, ReviewTitle: rev.Title, Reply: rev.Reply.Text,
		Edited: revision > 1 && rev.Reply.CreatedAt.Before(rev.Reply.UpdatedAt), PublicURL: n.links.PublicReviewLink(rev.ID),
		ReportURL: n.links.ReviewerLink(reportTok), UnsubscribeURL: unsubscribe}
	to := mail.Recipient{Address: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale}
	return sendonce.Deliver(ctx, n.store, app.ObjectKey{Kind: app.ObjectReview, ID: rev.ID}, claim, log, func() (string, error) {
		return n.mail.SendUnsubscribable(ctx, to, msg, unsubscribe)
	})
}

// decision tells of the decision on reply ticket ticketID: the business
// gets the statement of reasons of a removal, the reviewer who reported
// through their link the outcome — each once (ledger keys of the review's
// head named after the ticket), as moderation.DecideReply said.
func (n *Notifier) decision(ctx context.Context, c app.ReplyNoticeCase, ticketID, execution string, log *slog.Logger) error {
	t, d, err := n.store.TicketDecision(ctx, ticketID)
	if err != nil {
		return err
	}
	rev := c.Review
	if t.Kind != moderation.TicketKindReply || t.ReviewID != rev.ID || t.Status != moderation.TicketDecided {
		log.WarnContext(ctx, "reply decision: the ticket is not a decided ticket of this reply; nothing to tell", "kind", string(t.Kind), "status", string(t.Status))
		return n.store.ClaimReplyEmail(ctx, rev.ID, nil, nil, execution)
	}
	removed := d.Outcome == moderation.DecideRemove
	now := n.clock.Now()
	type email struct {
		key string
		to  mail.Recipient
		msg mail.Message
	}
	var emails []email
	if removed {
		reasons := make([]moderation.ReplyReason, len(d.UpheldReasons))
		for i, r := range d.UpheldReasons {
			reasons[i] = moderation.ReplyReason(r)
		}
		emails = append(emails, email{key: "reply_decision:" + t.ID + ":business",
			to: mail.Recipient{Address: c.Business.NotificationEmail, Name: c.Business.Name, Locale: c.Business.Locale},
			msg: mail.ReplyRemoved{BusinessName: c.Business.Name, ReviewTitle: rev.Title, Reasons: reasons, Facts: d.Note, DecidedAt: d.At,
				ReviewURL: n.links.BusinessReviewLink(rev.ID)}})
	}
	if t.ReviewerReported {
		emails = append(emails, email{key: "reply_decision:" + t.ID + ":reviewer",
			to:  mail.Recipient{Address: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale},
			msg: mail.ReplyReportDecided{BusinessName: c.Business.Name, ReviewTitle: rev.Title, Removed: removed}})
	}
	ledger := c.Ledger
	for i, e := range emails {
		done := ""
		if i == len(emails)-1 {
			done = execution // the last claim clears the recorded start
		}
		owner := sendonce.Owner(execution, "reply_decision", i)
		switch sendonce.Check(ledger, e.key, owner, now) {
		case sendonce.Sent:
			if err := n.store.ClaimReplyEmail(ctx, rev.ID, nil, nil, done); err != nil {
				return err
			}
			continue
		case sendonce.Busy:
			return sendonce.ErrBusy
		}
		claim := sendonce.Claim(ledger, e.key, owner, now)
		if err := n.store.ClaimReplyEmail(ctx, rev.ID, claim, nil, done); err != nil {
			return fmt.Errorf("reply decision: claim: %w", err)
		}
		if err := sendonce.Deliver(ctx, n.store, app.ObjectKey{Kind: app.ObjectReview, ID: rev.ID}, claim, log, func() (string, error) {
			return n.mail.Send(ctx, e.to, e.msg)
		}); err != nil {
			return err
		}
	}
	if len(emails) == 0 {
		return n.store.ClaimReplyEmail(ctx, rev.ID, nil, nil, execution)
	}
	return nil
}
