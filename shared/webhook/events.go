package webhook

import (
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// The events of the domain's changes, built from the domain's objects so
// that emitting one is one line: events.Emit(ctx, webhook.ReportOutcome(r, key, now)).
// key identifies the change across retries (e.g. the execution, the task
// and the round); the data is ids, statuses and outcomes only.

func rfc(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// ReportStatusChanged is report.status_changed: r is now in status.
func ReportStatusChanged(r moderation.Report, status moderation.ReportStatus, key string, at time.Time) Event {
	return Event{Type: TypeReportStatusChanged, BusinessID: r.BusinessID, Key: key, At: at,
		Data: map[string]any{"reportId": r.ID, "reviewId": r.ReviewID, "status": string(status)}}
}

// ReportOutcome is report.outcome: r closed with outcome on ground.
func ReportOutcome(r moderation.Report, outcome moderation.Outcome, ground, key string, at time.Time) Event {
	return Event{Type: TypeReportOutcome, BusinessID: r.BusinessID, Key: key, At: at,
		Data: map[string]any{"reportId": r.ID, "reviewId": r.ReviewID, "outcome": string(outcome), "ground": ground, "closedAt": rfc(at)}}
}

// RequestReplied is request.replied: the reviewer answered fr. The reply
// itself is not in the event: the business reads it with
// GET /v1/reviewer-requests/{requestId} (docs/webhooks.md says why).
func RequestReplied(fr moderation.FindRequest, key string, at time.Time) Event {
	return Event{Type: TypeRequestReplied, BusinessID: fr.BusinessID, Key: key, At: at,
		Data: map[string]any{"requestId": fr.ID, "reviewId": fr.ReviewID, "status": string(moderation.RequestReplied), "repliedAt": rfc(fr.RepliedAt)}}
}

// RequestExpired is request.expired: fr's window closed without a reply.
func RequestExpired(fr moderation.FindRequest, canRemind bool, key string, at time.Time) Event {
	return Event{Type: TypeRequestExpired, BusinessID: fr.BusinessID, Key: key, At: at,
		Data: map[string]any{"requestId": fr.ID, "reviewId": fr.ReviewID, "status": string(moderation.RequestExpired), "canRemind": canRemind}}
}

// Sanctioned is reporting.warned or reporting.suspended: compliance gave s.
// The facts (the note) are in the email to the business, not here.
func Sanctioned(s moderation.Sanction, key string, at time.Time) Event {
	typ := TypeReportingWarned
	if s.Kind == moderation.SanctionSuspension {
		typ = TypeReportingSuspended
	}
	return Event{Type: typ, BusinessID: s.BusinessID, Key: key, At: at,
		Data: map[string]any{"sanctionId": s.ID, "kind": string(s.Kind), "until": rfc(s.Until)}}
}

// ReportingReopened is reporting.reopened: the suspension s ended at since
// (its until, or when an agent lifted it) and no other holds, so the
// business can report again.
func ReportingReopened(s moderation.Sanction, since time.Time, key string) Event {
	return Event{Type: TypeReportingReopened, BusinessID: s.BusinessID, Key: key, At: since,
		Data: map[string]any{"sanctionId": s.ID, "reopenedAt": rfc(since), "lifted": s.Lifted()}}
}

// replyData is what every reply event says: the review, the reply's
// revision and its times — never its text, which the business wrote and
// reads on the review.
func replyData(rev moderation.Review) map[string]any {
	return map[string]any{"reviewId": rev.ID, "revision": rev.Reply.Revision,
		"createdAt": rfc(rev.Reply.CreatedAt), "updatedAt": rfc(rev.Reply.UpdatedAt)}
}

// replyKey identifies a reply change: the review and the reply's revision.
func replyKey(rev moderation.Review) string {
	return "reply/" + rev.ID + "/" + strconv.Itoa(rev.Reply.Revision)
}

// ReplyPublished is reply.published: the business published a reply to rev
// (rev holds the reply as published).
func ReplyPublished(rev moderation.Review, at time.Time) Event {
	return Event{Type: TypeReplyPublished, BusinessID: rev.BusinessID, Key: replyKey(rev), At: at, Data: replyData(rev)}
}

// ReplyUpdated is reply.updated: the business changed its reply to rev.
func ReplyUpdated(rev moderation.Review, at time.Time) Event {
	return Event{Type: TypeReplyUpdated, BusinessID: rev.BusinessID, Key: replyKey(rev), At: at, Data: replyData(rev)}
}

// ReplyRemoved is reply.removed: the reply to rev was taken down by
// removedBy ("business" or "compliance").
func ReplyRemoved(rev moderation.Review, removedBy string, at time.Time) Event {
	d := replyData(rev)
	d["removedBy"] = removedBy
	return Event{Type: TypeReplyRemoved, BusinessID: rev.BusinessID, Key: replyKey(rev), At: at, Data: d}
}

// ReplyEvents records the reply events for the use cases (app.ReplyEvents).
type ReplyEvents struct{}

var _ app.ReplyEvents = ReplyEvents{}

// ReplyPublished records reply.published.
func (ReplyEvents) ReplyPublished(rev moderation.Review, at time.Time) app.Event {
	return ReplyPublished(rev, at).Record()
}

// ReplyUpdated records reply.updated.
func (ReplyEvents) ReplyUpdated(rev moderation.Review, at time.Time) app.Event {
	return ReplyUpdated(rev, at).Record()
}

// ReplyRemoved records reply.removed.
func (ReplyEvents) ReplyRemoved(rev moderation.Review, by string, at time.Time) app.Event {
	return ReplyRemoved(rev, by, at).Record()
}
