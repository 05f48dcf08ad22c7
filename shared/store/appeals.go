package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

// Appeals of report decisions (DSA Art. 20): one item per appeal in its own
// partition with its audit trail, listed like tickets — all by filing time
// (GSI1 APPEALS), by status in the order they entered it (GSI2
// APPEALS#<status>). The report item carries the appeal's status, so a
// report's reads and the appeal's rules need no second read.

const (
	skAppeal  = "APPEAL"
	appealsPK = "APPEALS"
)

func appealPK(id string) string                          { return "APL#" + id }
func appealsByStatusPK(s moderation.AppealStatus) string { return "APPEALS#" + string(s) }

type appealItem struct {
	PK, SK         string
	GSI1PK         string `dynamodbav:"GSI1PK"`
	GSI1SK         string `dynamodbav:"GSI1SK"`
	GSI2PK         string `dynamodbav:"GSI2PK"`
	GSI2SK         string `dynamodbav:"GSI2SK"`
	Type           string `dynamodbav:"type"`
	ID             string `dynamodbav:"id"`
	ReportID       string `dynamodbav:"reportId"`
	TicketID       string `dynamodbav:"ticketId"`
	ReviewID       string `dynamodbav:"reviewId"`
	BusinessID     string `dynamodbav:"businessId"`
	Appellant      string `dynamodbav:"appellant"`
	Reason         string `dynamodbav:"reason"`
	Status         string `dynamodbav:"status"`
	Assignee       string `dynamodbav:"assignee"`
	Contested      string `dynamodbav:"contested"`
	FirstAgent     string `dynamodbav:"firstAgent"`
	TaskToken      string `dynamodbav:"taskToken"`
	DecisionResult string `dynamodbav:"decisionOutcome"`
	DecisionNote   string `dynamodbav:"decisionNote"`
	DecisionUpheld string `dynamodbav:"decisionUpheld"`
	DecidedBy      string `dynamodbav:"decidedBy"`
	DecidedAt      string `dynamodbav:"decidedAt"`
	FiledAt        string `dynamodbav:"filedAt"`
	QueuedAt       string `dynamodbav:"queuedAt"`
	UpdatedAt      string `dynamodbav:"updatedAt"`
}

func newAppealItem(a moderation.Appeal) appealItem {
	return appealItem{PK: appealPK(a.ID), SK: skAppeal,
		GSI1PK: appealsPK, GSI1SK: sortKey(a.FiledAt, a.ID),
		GSI2PK: appealsByStatusPK(a.Status), GSI2SK: sortKey(a.QueuedAt, a.ID),
		Type: "appeal", ID: a.ID, ReportID: a.ReportID, TicketID: a.TicketID, ReviewID: a.ReviewID, BusinessID: a.BusinessID,
		Appellant: string(a.Appellant), Reason: a.Reason, Status: string(a.Status), Assignee: a.Assignee,
		Contested: string(a.Contested), FirstAgent: a.FirstAgent,
		FiledAt: fmtTime(a.FiledAt), QueuedAt: fmtTime(a.QueuedAt), UpdatedAt: fmtTime(a.UpdatedAt)}
}

func (it appealItem) domain() moderation.Appeal {
	return moderation.Appeal{ID: it.ID, ReportID: it.ReportID, TicketID: it.TicketID, ReviewID: it.ReviewID, BusinessID: it.BusinessID,
		Appellant: moderation.Party(it.Appellant), Reason: it.Reason, Status: moderation.AppealStatus(it.Status), Assignee: it.Assignee,
		Contested: moderation.Outcome(it.Contested), FirstAgent: it.FirstAgent,
		Decision: moderation.AppealDecision{Outcome: it.DecisionResult, Note: it.DecisionNote, UpheldReasons: reasonsOf(it.DecisionUpheld),
			Agent: it.DecidedBy, At: parseTime(it.DecidedAt)},
		FiledAt: parseTime(it.FiledAt), QueuedAt: parseTime(it.QueuedAt), UpdatedAt: parseTime(it.UpdatedAt)}
}

// appealStatusSet is the SET clause moving an appeal to status at updated,
// placed in its queue index at queued (the queue's order).
func appealStatusSet(status moderation.AppealStatus, queued, updated time.Time, id string, values map[string]types.AttributeValue) string {
	values[":astatus"] = str(string(status))
	values[":agsi2"] = str(appealsByStatusPK(status))
	values[":agsi2sk"] = str(sortKey(queued, id))
	values[":aat"] = str(fmtTime(updated))
	return "#status = :astatus, GSI2PK = :agsi2, GSI2SK = :agsi2sk, updatedAt = :aat"
}

// FileAppeal records an appeal once, in one transaction: the appeal (which
// must not exist: its id is the report's), the report marked appealed on
// the condition that it is closed with the contested outcome, not appealed,
// within its window, the start of the appeal's workflow — and, for the
// reviewer, the appeal link consumed.
func (s *Store) FileAppeal(ctx context.Context, f app.AppealFiling) error {
	a, r := f.Appeal, f.Report
	at := str(fmtTime(a.FiledAt))
	b := s.tx()
	b.idempotency(f.Idempotency, a.FiledAt)
	if f.LinkHash != "" {
		b.update(linkPK(f.LinkHash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
			map[string]types.AttributeValue{":at": at, ":empty": str("")})
	}
	b.put(newAppealItem(a), "attribute_not_exists(PK)", nil)
	b.attachDocuments(f.Documents, document.AnswerRef{Kind: document.AnswerAppeal})
	if f.Start.Name != "" {
		b.put(newStartItem(f.Start), "", nil)
	}
	b.update(reportPK(r.ID), skReport, "SET appealStatus = :open, updatedAt = :at",
		"#status = :closed AND outcome = :contested AND appealStatus = :none AND appealDeadline > :at", statusName,
		map[string]types.AttributeValue{":open": str(string(moderation.AppealOpen)), ":at": at, ":closed": str(string(moderation.ReportClosed)),
			":contested": str(string(a.Contested)), ":none": str("")})
	b.audit(reportPK(r.ID), moderation.AuditEntry{At: a.FiledAt, Actor: f.Actor, Action: "report.appealed", From: string(r.Outcome), To: string(r.Outcome), Note: "appeal " + a.ID})
	b.audit(appealPK(a.ID), moderation.AuditEntry{At: a.FiledAt, Actor: f.Actor, Action: "appeal.filed", To: string(moderation.AppealOpen), Note: string(a.Appellant) + " appeals " + string(a.Contested)})
	b.metrics(moderation.AppealFiledTally(a))
	return s.commitAs(ctx, b, "report "+r.ID+": appeal")
}

// AppealDetail reads an appeal, its audit trail and the token of the task
// waiting for its decision in one Query.
func (s *Store) AppealDetail(ctx context.Context, id string) (moderation.Appeal, []moderation.AuditEntry, string, error) {
	var it appealItem
	trail, err := s.readWithTrail(ctx, appealPK(id), skAppeal, &it)
	if err != nil {
		return moderation.Appeal{}, nil, "", fmt.Errorf("appeal %s: %w", id, err)
	}
	return it.domain(), trail, it.TaskToken, nil
}

// ListAppeals returns the appeal queue oldest first: all appeals by filing,
// or those with a status by the time they entered it.
func (s *Store) ListAppeals(ctx context.Context, status moderation.AppealStatus, p app.Page) ([]moderation.Appeal, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, AttrGSI1PK, AttrGSI1SK, appealsPK
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, AttrGSI2PK, AttrGSI2SK, appealsByStatusPK(status)
	}
	var out []moderation.Appeal
	next, err := s.page(ctx, index, pkAttr, skAttr, pk, true, p, func(raw map[string]types.AttributeValue) error {
		var it appealItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list appeals: %w", err)
	}
	return out, next, nil
}

// ClaimAppeal gives an open appeal to an agent (in_progress); the agent of
// the decision appealed never gets it (the condition repeats the rule).
// moderation.ErrChanged when it is not open any more.
func (s *Store) ClaimAppeal(ctx context.Context, a moderation.Appeal, agent string, at time.Time, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, at)
	v := map[string]types.AttributeValue{":open": str(string(moderation.AppealOpen)), ":agent": str(agent)}
	b.update(appealPK(a.ID), skAppeal, "SET "+appealStatusSet(moderation.AppealInProgress, a.QueuedAt, at, a.ID, v)+", assignee = :agent",
		"#status = :open AND firstAgent <> :agent", statusName, v)
	b.audit(appealPK(a.ID), moderation.AuditEntry{At: at, Actor: "agent:" + agent, Action: "appeal.claimed", From: string(moderation.AppealOpen), To: string(moderation.AppealInProgress)})
	return s.commitAs(ctx, b, "claim appeal "+a.ID)
}

// DecideAppeal records an appeal's decision in one transaction: the appeal
// decided (still in progress and held by the agent), the report's appeal
// outcome and, as w.Consequence says, for a reversal: its outcome, ground
// and upheld reasons, the review's new visibility (with no other report
// open on it), the counters moved, the statement of reasons, and the audit
// entries.
func (s *Store) DecideAppeal(ctx context.Context, w app.AppealDecisionWrite) error {
	a, r, d, c := w.Appeal, w.Report, w.Decision, w.Consequence
	if c.Result == "" {
		return fmt.Errorf("decide appeal %s: no consequence to write", a.ID)
	}
	at := str(fmtTime(d.At))
	actor := "agent:" + d.Agent
	b := s.tx()
	b.idempotency(w.Idempotency, d.At)
	v := map[string]types.AttributeValue{":inprog": str(string(moderation.AppealInProgress)), ":agent": str(d.Agent),
		":outcome": str(d.Outcome), ":note": str(d.Note), ":upheld": str(reasonStrings(d.UpheldReasons)), ":at": at}
	b.update(appealPK(a.ID), skAppeal, "SET "+appealStatusSet(moderation.AppealDecided, d.At, d.At, a.ID, v)+
		", decisionOutcome = :outcome, decisionNote = :note, decisionUpheld = :upheld, decidedBy = :agent, decidedAt = :at",
		"#status = :inprog AND assignee = :agent", statusName, v)
	result := c.Result
	rv := map[string]types.AttributeValue{":decided": str(string(moderation.AppealDecided)), ":aout": str(d.Outcome), ":at": at,
		":closed": str(string(moderation.ReportClosed)), ":contested": str(string(a.Contested)), ":open": str(string(moderation.AppealOpen)),
		":inprog": str(string(moderation.AppealInProgress))}
	set := "SET appealStatus = :decided, appealOutcome = :aout, updatedAt = :at"
	if c.Reversed {
		rv[":result"], rv[":ground"], rv[":rupheld"] = str(string(result)), str(c.Ground), str(reasonStrings(c.UpheldReasons))
		set += ", outcome = :result, ground = :ground, upheldReasons = :rupheld"
	}
	b.update(reportPK(r.ID), skReport, set, "#status = :closed AND outcome = :contested AND (appealStatus = :open OR appealStatus = :inprog)", statusName, rv)
	b.audit(appealPK(a.ID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "appeal." + d.Outcome, From: string(moderation.AppealInProgress), To: string(moderation.AppealDecided), Note: string(a.Contested) + " → " + string(result)})
	b.audit(reportPK(r.ID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "report.appeal_decided", From: string(a.Contested), To: string(result), Note: d.Outcome})
	if c.Reversed {
		from, to := c.From, c.Visibility
		b.update(reviewPK(r.ReviewID), skReview, "SET visibility = :vis, updatedAt = :at", "visibility = :from AND openReportId = :none", nil,
			map[string]types.AttributeValue{":vis": str(string(to)), ":from": str(string(from)), ":at": at, ":none": str("")})
		b.audit(reviewPK(r.ReviewID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "review." + string(result), From: string(from), To: string(to), Note: "appeal " + a.ID})
		b.stats(r.BusinessID, statsDelta{statOutcome + string(c.Uncounted): -1, statOutcome + string(c.Counted): 1})
		b.monthStats(r.BusinessID, r.CreatedAt, outcomeMonth(outcomeMonth(nil, c.Uncounted, r.UpheldReasons, -1), c.Counted, c.UpheldReasons, 1))
		if c.Statement != nil {
			b.statement(r, *c.Statement)
		}
	}
	b.metrics(moderation.AppealDecidedTally(d))
	return s.commitAs(ctx, b, "decide appeal "+a.ID)
}

// SetAppealQueueToken stores the token of the task waiting for an appeal's
// decision, while it is not decided, and clears the recorded start of the
// appeal's workflow (startDone; "" for none) in the same transaction.
// moderation.ErrChanged once the appeal is decided.
func (s *Store) SetAppealQueueToken(ctx context.Context, appealID, token, startDone string) error {
	b := s.tx()
	b.update(appealPK(appealID), skAppeal, "SET taskToken = :tok", "#status = :open OR #status = :inprog", statusName,
		map[string]types.AttributeValue{":tok": str(token), ":open": str(string(moderation.AppealOpen)), ":inprog": str(string(moderation.AppealInProgress))})
	b.clearStart(startDone)
	return s.commitAs(ctx, b, "appeal "+appealID+": store task token")
}
