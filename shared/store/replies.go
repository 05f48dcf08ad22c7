package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// A review's reply lives on the review's head as the map attribute "reply"
// (so every read of a review, and the business's list, carries it); every
// text it had is a version item REV#<id> / REPLY#<revision>, and its changes
// are audit entries of the review.

const skReplyPfx = "REPLY#"

func replySK(revision int) string { return fmt.Sprintf("%s%08d", skReplyPfx, revision) }

// replyAttr is the reply on the review's head.
type replyAttr struct {
	Status          string `dynamodbav:"status"`
	Text            string `dynamodbav:"text"`
	Revision        int    `dynamodbav:"revision"`
	CreatedAt       string `dynamodbav:"createdAt"`
	UpdatedAt       string `dynamodbav:"updatedAt"`
	EmailedAt       string `dynamodbav:"emailedAt"`
	EmailedRevision int    `dynamodbav:"emailedRevision"`
	Removals        int    `dynamodbav:"removals"`
	TicketID        string `dynamodbav:"ticketId"`
}

func newReplyAttr(r moderation.Reply) *replyAttr {
	if r.Revision == 0 {
		return nil
	}
	return &replyAttr{Status: string(r.Status), Text: r.Text, Revision: r.Revision, CreatedAt: fmtTime(r.CreatedAt),
		UpdatedAt: fmtTime(r.UpdatedAt), EmailedAt: fmtTime(r.EmailedAt), EmailedRevision: r.EmailedRevision, Removals: r.Removals, TicketID: r.TicketID}
}

func (a *replyAttr) domain() moderation.Reply {
	if a == nil {
		return moderation.Reply{}
	}
	return moderation.Reply{Status: moderation.ReplyStatus(a.Status), Text: a.Text, Revision: a.Revision,
		CreatedAt: parseTime(a.CreatedAt), UpdatedAt: parseTime(a.UpdatedAt), EmailedAt: parseTime(a.EmailedAt),
		EmailedRevision: a.EmailedRevision, Removals: a.Removals, TicketID: a.TicketID}
}

type replyVersionItem struct {
	PK, SK   string
	Type     string `dynamodbav:"type"`
	Revision int    `dynamodbav:"revision"`
	Text     string `dynamodbav:"text"`
	At       string `dynamodbav:"at"`
	By       string `dynamodbav:"by"`
}

// WriteReply writes a change of a review's reply: the reply on the head
// (on the condition that its revision is still the one read and, for a
// publication, that the review is not removed), the new text's version,
// the audit entry and the webhook events, in one transaction.
func (s *Store) WriteReply(ctx context.Context, w app.ReplyWrite) error {
	reply, err := attributevalue.Marshal(newReplyAttr(w.Reply))
	if err != nil {
		return fmt.Errorf("write reply %s: %w", w.Review.ID, err)
	}
	values := map[string]types.AttributeValue{":reply": reply}
	cond := "attribute_exists(PK) AND attribute_not_exists(reply)"
	if prev := w.Review.Reply.Revision; prev > 0 {
		// The reply's open ticket is part of the condition: a report that
		// opened one meanwhile must not be lost by writing the reply as read.
		cond = "reply.revision = :prev AND " + replyTicketCond(w.Review.Reply.TicketID, values)
		values[":prev"] = num(prev)
	}
	if w.Reply.Exists() {
		cond += " AND visibility <> :removed"
		values[":removed"] = str(string(moderation.Removed))
	}
	b := s.tx()
	b.update(reviewPK(w.Review.ID), skReview, "SET reply = :reply", cond, nil, values)
	if v := w.Version; v != nil {
		b.put(replyVersionItem{PK: reviewPK(w.Review.ID), SK: replySK(v.Revision), Type: "replyVersion", Revision: v.Revision,
			Text: v.Text, At: fmtTime(v.At), By: v.By}, "attribute_not_exists(PK)", nil)
	}
	b.audit(reviewPK(w.Review.ID), w.Audit)
	b.events(w.Events)
	if w.Start != nil {
		b.put(newStartItem(*w.Start), "", nil)
	}
	return s.commitAs(ctx, b, "write reply "+w.Review.ID)
}

// A reviewer who stopped the reply emails (one click, RFC 8058) has an item
// under the SHA-256 of their address in lower case: OPTOUT#<hash> / REPLYMAIL.

const skReplyMailOptOut = "REPLYMAIL"

func optOutPK(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "OPTOUT#" + hex.EncodeToString(sum[:])
}

type optOutItem struct {
	PK, SK   string
	Type     string `dynamodbav:"type"`
	At       string `dynamodbav:"at"`
	ReviewID string `dynamodbav:"reviewId"` // the review whose email's link was used
}

// StopReplyEmails records that the reviewer at email wants no more reply
// emails; a second time changes nothing.
func (s *Store) StopReplyEmails(ctx context.Context, email, reviewID string, at time.Time) error {
	item, err := marshal(optOutItem{PK: optOutPK(email), SK: skReplyMailOptOut, Type: "replyMailOptOut", At: fmtTime(at), ReviewID: reviewID})
	if err != nil {
		return fmt.Errorf("stop reply emails: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err != nil && !errors.Is(classifyTx(err), moderation.ErrChanged) {
		return fmt.Errorf("stop reply emails: %w", err)
	}
	return nil
}

// ReplyEmailsStopped reports whether the reviewer at email stopped the reply emails.
func (s *Store) ReplyEmailsStopped(ctx context.Context, email string) (bool, error) {
	var it optOutItem
	err := s.getItem(ctx, optOutPK(email), skReplyMailOptOut, &it)
	switch {
	case errors.Is(err, moderation.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reply emails stopped: %w", err)
	}
	return true, nil
}

// ReplyNoticeCase reads what the reply notice needs: the review (with its
// reply and the email ledger of its head), its business, and whether the
// reviewer stopped these emails.
func (s *Store) ReplyNoticeCase(ctx context.Context, reviewID, businessID string) (app.ReplyNoticeCase, error) {
	var c app.ReplyNoticeCase
	raw, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: s.key(reviewPK(reviewID), skReview), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return c, fmt.Errorf("reply notice %s: %w", reviewID, err)
	}
	if raw.Item == nil {
		return c, fmt.Errorf("reply notice %s: %w", reviewID, moderation.ErrNotFound)
	}
	var it reviewItem
	if err := attributevalue.UnmarshalMap(raw.Item, &it); err != nil {
		return c, fmt.Errorf("reply notice %s: %w", reviewID, err)
	}
	c.Review, c.Ledger = it.domain(), ledgerOf(raw.Item)
	if c.Business, err = s.GetBusiness(ctx, businessID); err != nil {
		return c, fmt.Errorf("reply notice %s: %w", reviewID, err)
	}
	if c.Stopped, err = s.ReplyEmailsStopped(ctx, c.Review.Reviewer.Email); err != nil {
		return c, fmt.Errorf("reply notice %s: %w", reviewID, err)
	}
	return c, nil
}

// ClaimReplyEmail writes the reply notice's claim of its email on the
// review's head (on the condition that the entry is as read), the links the
// email carries and the clearing of the recorded start, in one transaction.
func (s *Store) ClaimReplyEmail(ctx context.Context, reviewID string, c *app.Claim, newLinks []app.Link, startDone string) error {
	b := s.tx()
	if c != nil {
		names, values := map[string]string{}, map[string]types.AttributeValue{}
		set, cond := claimExpr(c, names, values)
		b.update(reviewPK(reviewID), skReview, "SET "+set, "attribute_exists(PK) AND "+cond, names, values)
	}
	for _, l := range newLinks {
		b.put(newLinkItem(l), "attribute_not_exists(PK)", nil)
	}
	b.clearStart(startDone)
	if len(b.items) == 0 {
		return nil
	}
	return s.commitAs(ctx, b, "claim reply email "+reviewID)
}

// ReplyVersions returns every text a review's replies had, oldest first.
func (s *Store) ReplyVersions(ctx context.Context, reviewID string) ([]moderation.ReplyVersion, error) {
	out, err := queryPrefix(ctx, s, reviewPK(reviewID), skReplyPfx, func(it replyVersionItem) moderation.ReplyVersion {
		return moderation.ReplyVersion{Revision: it.Revision, Text: it.Text, At: parseTime(it.At), By: it.By}
	})
	if err != nil {
		return nil, fmt.Errorf("reply versions %s: %w", reviewID, err)
	}
	return out, nil
}
