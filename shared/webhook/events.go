package webhook

import (
	"time"

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
