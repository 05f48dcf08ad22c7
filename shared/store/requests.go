package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

const skRequest = "REQUEST"

func requestPK(id string) string          { return "REQ#" + id }
func businessRequestsPK(id string) string { return "BUS#" + id + "#REQUESTS" }

// requestItem is a Find Reviewer request. TaskToken is the Step Functions
// token of the task waiting for the reply: it never leaves the server.
type requestItem struct {
	PK, SK             string
	GSI1PK             string `dynamodbav:"GSI1PK"`
	GSI1SK             string `dynamodbav:"GSI1SK"`
	Type               string `dynamodbav:"type"`
	ID                 string `dynamodbav:"id"`
	BusinessID         string `dynamodbav:"businessId"`
	ReviewID           string `dynamodbav:"reviewId"`
	Message            string `dynamodbav:"message"`
	Status             string `dynamodbav:"status"`
	Round              int    `dynamodbav:"round"`
	Deadline           string `dynamodbav:"deadline"`
	ReminderDueAt      string `dynamodbav:"reminderDueAt"`
	AutoReminderAt     string `dynamodbav:"autoReminderAt"`
	ManualReminderAt   string `dynamodbav:"manualReminderAt"`
	ManualReminderUsed bool   `dynamodbav:"manualReminderUsed"`
	Reply              string `dynamodbav:"reply"`
	RepliedAt          string `dynamodbav:"repliedAt"`
	ExpiredAt          string `dynamodbav:"expiredAt"`
	TaskToken          string `dynamodbav:"taskToken"`
	CreatedAt          string `dynamodbav:"createdAt"`
	UpdatedAt          string `dynamodbav:"updatedAt"`
}

func newRequestItem(r moderation.FindRequest) requestItem {
	return requestItem{
		PK: requestPK(r.ID), SK: skRequest, GSI1PK: businessRequestsPK(r.BusinessID), GSI1SK: sortKey(r.CreatedAt, r.ID),
		Type: "request", ID: r.ID, BusinessID: r.BusinessID, ReviewID: r.ReviewID, Message: r.Message,
		Status: string(r.Status), Round: r.Round, Deadline: fmtTime(r.Deadline), ReminderDueAt: fmtTime(r.ReminderDueAt),
		ManualReminderUsed: r.ManualReminderUsed, Reply: r.Reply, RepliedAt: fmtTime(r.RepliedAt),
		ExpiredAt: fmtTime(r.ExpiredAt),
		CreatedAt: fmtTime(r.CreatedAt), UpdatedAt: fmtTime(r.UpdatedAt),
	}
}

func (it requestItem) domain() moderation.FindRequest {
	var sent []time.Time
	for _, at := range []string{it.AutoReminderAt, it.ManualReminderAt} {
		if at != "" {
			sent = append(sent, parseTime(at))
		}
	}
	return moderation.FindRequest{
		ID: it.ID, BusinessID: it.BusinessID, ReviewID: it.ReviewID, Message: it.Message,
		Status: moderation.RequestStatus(it.Status), Round: it.Round, Deadline: parseTime(it.Deadline),
		ReminderDueAt: parseTime(it.ReminderDueAt), RemindersSent: sent, ManualReminderUsed: it.ManualReminderUsed,
		Reply: it.Reply, RepliedAt: parseTime(it.RepliedAt), ExpiredAt: parseTime(it.ExpiredAt),
		CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt),
	}
}

// CreateRequest stores a new request, marks it open on its review (one open
// request per review, P9), records the workflow start still to be made, and
// appends the audit entry — one transaction. moderation.ErrChanged when the
// review already has an open request (or is not the caller's, or is
// removed), its version is not c.ReviewVersion or a request was already made
// on that version (P9), or the idempotency key was seen before.
func (s *Store) CreateRequest(ctx context.Context, c app.RequestCreation) error {
	r := c.Request
	b := s.tx()
	b.idempotency(c.Idempotency, r.CreatedAt)
	b.update(reviewPK(r.ReviewID), skReview, "SET openRequestId = :id, lastRequestedVersion = :v, updatedAt = :now",
		"openRequestId = :empty AND businessId = :bid AND visibility <> :removed AND #source <> :invited"+
			" AND #version = :v AND (attribute_not_exists(lastRequestedVersion) OR lastRequestedVersion < :v)",
		map[string]string{"#source": "source", "#version": "version"},
		map[string]types.AttributeValue{":id": str(r.ID), ":now": str(fmtTime(r.CreatedAt)), ":empty": str(""), ":bid": str(r.BusinessID),
			":removed": str(string(moderation.Removed)), ":invited": str(string(moderation.SourceInvitedPlatform)), ":v": num(c.ReviewVersion)})
	b.put(newRequestItem(r), "attribute_not_exists(PK)", nil)
	b.put(requestRefItem{PK: reviewPK(r.ReviewID), SK: skRequestPfx + r.ID, Type: "requestRef", ID: r.ID, Status: string(r.Status)}, "", nil)
	b.put(newStartItem(c.Start), "", nil)
	b.audit(requestPK(r.ID), moderation.AuditEntry{At: r.CreatedAt, Actor: c.Actor, Action: "request.created", To: string(r.Status)})
	b.rate(c.Rate)
	return s.commitCounted(ctx, b, "create request on review "+r.ReviewID, c.Rate)
}

// GetRequest returns a request with its audit trail.
func (s *Store) GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error) {
	var (
		req   moderation.FindRequest
		trail []moderation.AuditEntry
		found bool
	)
	err := s.readPartition(ctx, requestPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		if sk == skRequest {
			var it requestItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			req, found = it.domain(), true
			return nil
		}
		return appendAudit(&trail, raw)
	})
	if err != nil {
		return req, nil, fmt.Errorf("get request %s: %w", id, err)
	}
	if !found {
		return req, nil, fmt.Errorf("get request %s: %w", id, moderation.ErrNotFound)
	}
	return req, trail, nil
}

// ListRequests returns a business's requests, newest first.
func (s *Store) ListRequests(ctx context.Context, businessID string, p app.Page) ([]moderation.FindRequest, string, error) {
	var out []moderation.FindRequest
	next, err := s.page(ctx, IndexGSI1, AttrGSI1PK, AttrGSI1SK, businessRequestsPK(businessID), false, p, func(raw map[string]types.AttributeValue) error {
		var it requestItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list requests of %s: %w", businessID, err)
	}
	return out, next, nil
}

// RequestTaskToken returns the task token the request's workflow waits on ("" if none).
func (s *Store) RequestTaskToken(ctx context.Context, id string) (string, error) {
	var it requestItem
	if err := s.getItem(ctx, requestPK(id), skRequest, &it); err != nil {
		return "", fmt.Errorf("request %s task token: %w", id, err)
	}
	return it.TaskToken, nil
}

func withNone(v map[string]types.AttributeValue) map[string]types.AttributeValue {
	v[":none"] = str("")
	return v
}

// ExpireRequest closes an awaiting request whose window ended (P10), in one
// transaction with its audit entry and, when claim is not nil, the claim of
// the business's email. moderation.ErrChanged when it is no longer awaiting
// (a reply won the race). The events (webhooks) are written with it.
func (s *Store) ExpireRequest(ctx context.Context, r moderation.FindRequest, at time.Time, claim *app.Claim, events ...app.Event) error {
	b := s.tx()
	names := map[string]string{"#status": "status"}
	values := withNone(map[string]types.AttributeValue{":awaiting": str(string(moderation.RequestAwaitingReply)),
		":to": str(string(moderation.RequestExpired)), ":at": str(fmtTime(at))})
	set, cond := "SET #status = :to, taskToken = :none, updatedAt = :at, expiredAt = :at", "#status = :awaiting"
	if claim != nil {
		cs, cc := claimExpr(claim, names, values)
		set, cond = set+", "+cs, cond+" AND "+cc
	}
	b.update(requestPK(r.ID), skRequest, set, cond, names, values)
	b.update(reviewPK(r.ReviewID), skRequestPfx+r.ID, "SET #status = :to", "", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":to": str(string(moderation.RequestExpired))})
	b.update(reviewPK(r.ReviewID), skReview, "SET openRequestId = :empty", "openRequestId = :id", nil,
		map[string]types.AttributeValue{":empty": str(""), ":id": str(r.ID)})
	b.audit(requestPK(r.ID), moderation.AuditEntry{At: at, Actor: "system", Action: "request.expired", From: string(moderation.RequestAwaitingReply), To: string(moderation.RequestExpired)})
	b.events(events)
	return s.commitAs(ctx, b, "request "+r.ID+": expire")
}

// SubmitReply records the reviewer's reply once: the link is consumed and
// the request replied in one transaction, conditional on the link being
// unused and both the link's and the request's window still open. Of two
// concurrent submissions exactly one succeeds; the other gets moderation.ErrChanged.
func (s *Store) SubmitReply(ctx context.Context, sub app.ReplySubmission) error {
	at := str(fmtTime(sub.At))
	b := s.tx()
	b.update(linkPK(sub.TokenHash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
		map[string]types.AttributeValue{":at": at, ":empty": str("")})
	r := sub.Request
	b.update(requestPK(r.ID), skRequest, "SET #status = :to, reply = :reply, repliedAt = :at, updatedAt = :at",
		"#status = :awaiting AND deadline > :at", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":to": str(string(moderation.RequestReplied)), ":reply": str(sub.Reply), ":at": at,
			":awaiting": str(string(moderation.RequestAwaitingReply))})
	b.update(reviewPK(r.ReviewID), skRequestPfx+r.ID, "SET #status = :to", "", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":to": str(string(moderation.RequestReplied))})
	b.update(reviewPK(r.ReviewID), skReview, "SET openRequestId = :empty", "openRequestId = :id", nil,
		map[string]types.AttributeValue{":empty": str(""), ":id": str(r.ID)})
	b.audit(requestPK(r.ID), moderation.AuditEntry{At: sub.At, Actor: "reviewer", Action: "request.replied", From: string(moderation.RequestAwaitingReply), To: string(moderation.RequestReplied)})
	return s.commitAs(ctx, b, "request "+r.ID+": reply")
}

// ReopenRequest reopens an expired request for another window, once, and
// records the workflow start — one transaction. moderation.ErrChanged when the request
// is not expired, was reopened before, or the review has another open request.
func (s *Store) ReopenRequest(ctx context.Context, ro app.RequestReopening) error {
	r := ro.Request
	at := str(fmtTime(ro.At))
	b := s.tx()
	b.idempotency(ro.Idempotency, ro.At)
	b.update(requestPK(r.ID), skRequest, "SET #status = :to, round = :round, deadline = :deadline, manualReminderUsed = :true, updatedAt = :at",
		"#status = :expired AND manualReminderUsed = :false", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":to": str(string(moderation.RequestAwaitingReply)), ":round": num(1), ":deadline": str(fmtTime(ro.Deadline)),
			":true": &types.AttributeValueMemberBOOL{Value: true}, ":false": &types.AttributeValueMemberBOOL{Value: false}, ":at": at,
			":expired": str(string(moderation.RequestExpired))})
	b.update(reviewPK(r.ReviewID), skRequestPfx+r.ID, "SET #status = :to", "", map[string]string{"#status": "status"},
		map[string]types.AttributeValue{":to": str(string(moderation.RequestAwaitingReply))})
	b.update(reviewPK(r.ReviewID), skReview, "SET openRequestId = :id", "openRequestId = :empty", nil,
		map[string]types.AttributeValue{":empty": str(""), ":id": str(r.ID)})
	b.put(newStartItem(ro.Start), "", nil)
	b.audit(requestPK(r.ID), moderation.AuditEntry{At: ro.At, Actor: ro.Actor, Action: "request.reopened", From: string(moderation.RequestExpired), To: string(moderation.RequestAwaitingReply), Note: "manual reminder"})
	return s.commitAs(ctx, b, "reopen request "+r.ID)
}
