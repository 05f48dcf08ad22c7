// Package replynotice tells a reviewer that the business replied to their
// review (statemachines/reply.asl.json, one execution per reply revision
// that is due an email; docs/product.md, "Replies"). The task emails the
// reply's current text once — whatever the retries, with the review's
// email ledger — with a link to the public page and a one-click
// unsubscribe (RFC 8058). (Reporting a reply is not built yet: the email
// has no report link.) It sends nothing when the
// reply was taken down meanwhile, the review is no longer public, or the
// reviewer stopped these emails; then it only clears the recorded start.
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

// Store is what the notice needs of the table.
type Store interface {
	sendonce.Ledger
	ReplyNoticeCase(ctx context.Context, reviewID, businessID string) (app.ReplyNoticeCase, error)
	ClaimReplyEmail(ctx context.Context, reviewID string, c *app.Claim, newLinks []app.Link, startDone string) error
}

// Mailer sends one email with one-click unsubscribe headers.
type Mailer interface {
	SendUnsubscribable(ctx context.Context, to mail.Recipient, msg mail.Message, unsubscribeURL string) (string, error)
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

// Notify tells the reviewer of reviewID the reply at revision, once; the
// execution names the task's claim and its recorded start.
func (n *Notifier) Notify(ctx context.Context, reviewID, businessID string, revision int, execution string) error {
	log := n.log.With("reviewId", reviewID, "revision", revision, "execution", execution)
	c, err := n.store.ReplyNoticeCase(ctx, reviewID, businessID)
	if err != nil {
		return err
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
	until := now.Add(LinkLifetime)
	newLinks := []app.Link{
		{Hash: unsubHash, Purpose: links.PurposeStopReplyEmails, ObjectID: rev.ID, Round: rev.Reply.Revision, Deadline: until, Created: now},
	}
	claim := sendonce.Claim(c.Ledger, key, owner, now)
	if err := n.store.ClaimReplyEmail(ctx, reviewID, claim, newLinks, execution); err != nil {
		return fmt.Errorf("reply notice: claim: %w", err)
	}
	unsubscribe := n.links.UnsubscribeLink(unsubTok)
	msg := mail.ReplyPublished{BusinessName: c.Business.Name, ReviewTitle: rev.Title, Reply: rev.Reply.Text,
		Edited: revision > 1 && rev.Reply.CreatedAt.Before(rev.Reply.UpdatedAt), PublicURL: n.links.PublicReviewLink(rev.ID),
		UnsubscribeURL: unsubscribe}
	to := mail.Recipient{Address: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale}
	return sendonce.Deliver(ctx, n.store, app.ObjectKey{Kind: app.ObjectReview, ID: rev.ID}, claim, log, func() (string, error) {
		return n.mail.SendUnsubscribable(ctx, to, msg, unsubscribe)
	})
}
