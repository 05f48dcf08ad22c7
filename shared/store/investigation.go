package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/moderation"
)

const skAnswerPfx = "ANSWER#"

// Answer is what a reviewer sent for a report: proof (no_genuine_experience),
// evidence or an edit at an agent's request, or an appeal of a removal.
type Answer struct {
	Kind       string // "proof", "evidence", "edit", "appeal"
	Round      int    // the reviewer-action round it answers (0 for proof and appeals)
	Text       string // proof, evidence or appeal text ("" for an edit)
	NewVersion int    // for an edit: the review version it made
	At         time.Time
}

type answerItem struct {
	PK, SK     string
	Type       string `dynamodbav:"type"`
	Kind       string `dynamodbav:"kind"`
	Round      int    `dynamodbav:"round"`
	Text       string `dynamodbav:"text"`
	NewVersion int    `dynamodbav:"newVersion"`
	At         string `dynamodbav:"at"`
}

// ReportDetail is a report with everything recorded under it.
type ReportDetail struct {
	Report  moderation.Report
	Trail   []moderation.AuditEntry
	Answers []Answer
	// ReviewerDeadline is when the current proof or reviewer-action window
	// ends (zero when the reviewer is not being waited for).
	ReviewerDeadline time.Time
	Round            int
}

// ReportDetail reads a report, its audit trail and the reviewer's answers in one Query.
func (s *Store) ReportDetail(ctx context.Context, id string) (ReportDetail, error) {
	var d ReportDetail
	found := false
	err := s.readPartition(ctx, reportPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == skReport:
			var it reportItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			d.Report, found = it.domain(), true
			d.ReviewerDeadline, d.Round = parseTime(it.ReviewerDeadline), it.Round
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&d.Trail, raw)
		case strings.HasPrefix(sk, skAnswerPfx):
			var it answerItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			d.Answers = append(d.Answers, Answer{Kind: it.Kind, Round: it.Round, Text: it.Text, NewVersion: it.NewVersion, At: parseTime(it.At)})
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("report detail %s: %w", id, err)
	}
	if !found {
		return d, fmt.Errorf("report detail %s: %w", id, ErrNotFound)
	}
	return d, nil
}

// TicketDetail reads a ticket with its audit trail in one Query.
func (s *Store) TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, error) {
	var (
		t     moderation.Ticket
		trail []moderation.AuditEntry
		found bool
	)
	err := s.readPartition(ctx, ticketPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == skTicket:
			var it ticketItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			t, found = it.domain(), true
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&trail, raw)
		}
		return nil
	})
	if err != nil {
		return t, nil, fmt.Errorf("ticket detail %s: %w", id, err)
	}
	if !found {
		return t, nil, fmt.Errorf("ticket detail %s: %w", id, ErrNotFound)
	}
	return t, trail, nil
}

// ReviewAudit returns a review's audit trail, oldest first.
func (s *Store) ReviewAudit(ctx context.Context, id string) ([]moderation.AuditEntry, error) {
	var out []moderation.AuditEntry
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(reviewPK(id)), ":a": str(skAuditPfx)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it auditItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review audit %s: %w", id, err)
	}
	return out, nil
}

// ticketStatusSet is the SET clause moving a ticket to status (and its queue index).
func ticketStatusSet(status moderation.TicketStatus, at time.Time, id string, values map[string]types.AttributeValue) string {
	values[":tstatus"] = str(string(status))
	values[":tgsi2"] = str(ticketsByStatusPK(status))
	values[":tgsi2sk"] = str(sortKey(at, id))
	values[":tat"] = str(fmtTime(at))
	return "#status = :tstatus, GSI2PK = :tgsi2, GSI2SK = :tgsi2sk, updatedAt = :tat"
}

// reportStatusSet is the SET clause moving a report to status (and its status index).
func reportStatusSet(r moderation.Report, status moderation.ReportStatus, at time.Time, values map[string]types.AttributeValue) string {
	values[":rstatus"] = str(string(status))
	values[":rgsi2"] = str(businessReportsByStatusPK(r.BusinessID, status))
	values[":rat"] = str(fmtTime(at))
	return "#status = :rstatus, GSI2PK = :rgsi2, updatedAt = :rat"
}

var statusName = map[string]string{"#status": "status"}

// ClaimTicket gives an open ticket to an agent (in_progress). ErrConflict
// when it is not open any more (another agent was faster).
func (s *Store) ClaimTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *IdempotencyRecord) error {
	b := s.tx()
	b.idempotency(idem, at)
	v := map[string]types.AttributeValue{":open": str(string(moderation.TicketOpen)), ":agent": str(agent)}
	b.update(ticketPK(t.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketInProgress, t.QueuedAt, t.ID, v)+", assignee = :agent",
		"#status = :open", statusName, v)
	b.audit(ticketPK(t.ID), 0, moderation.AuditEntry{At: at, Actor: "agent:" + agent, Action: "ticket.claimed", From: string(moderation.TicketOpen), To: string(moderation.TicketInProgress)})
	if err := s.commit(ctx, b); err != nil {
		return s.txError(ctx, err, idem, "claim ticket "+t.ID)
	}
	return nil
}

// DecideTicket records an agent's decision in one transaction, on the
// condition that the ticket is still in progress, held by the agent, at the
// round it was read at — so of two concurrent decisions exactly one is
// stored. Reinstate and remove make the ticket decided (the workflow then
// closes the report); a reviewer-action request opens the next round: the
// ticket waits for the reviewer and the report is awaiting_reviewer until
// reviewerDeadline.
func (s *Store) DecideTicket(ctx context.Context, t moderation.Ticket, r moderation.Report, d moderation.Decision, reviewerDeadline time.Time, idem *IdempotencyRecord) error {
	b := s.tx()
	b.idempotency(idem, d.At)
	actor := "agent:" + d.Agent
	v := map[string]types.AttributeValue{
		":inprog": str(string(moderation.TicketInProgress)), ":agent": str(d.Agent), ":rounds": num(t.Rounds),
		":outcome": str(d.Outcome), ":note": str(d.Note), ":kind": str(d.Kind), ":msg": str(d.Message), ":at": str(fmtTime(d.At)),
	}
	to := moderation.TicketDecided
	if d.Outcome == moderation.DecideReviewerAction {
		to = moderation.TicketWaitingForReviewer
	}
	set := "SET " + ticketStatusSet(to, d.At, t.ID, v) + ", decisionOutcome = :outcome, decisionNote = :note, decisionKind = :kind, " +
		"decisionMessage = :msg, decidedBy = :agent, decidedAt = :at, rounds = :newRounds, marker = :marker"
	v[":newRounds"] = num(t.Rounds)
	v[":marker"] = str("")
	if d.Outcome == moderation.DecideReviewerAction {
		v[":newRounds"] = num(t.Rounds + 1)
	}
	b.update(ticketPK(t.ID), skTicket, set, "#status = :inprog AND assignee = :agent AND rounds = :rounds", statusName, v)
	b.audit(ticketPK(t.ID), 0, moderation.AuditEntry{At: d.At, Actor: actor, Action: "ticket." + d.Outcome, From: string(moderation.TicketInProgress), To: string(to), Note: d.Kind})
	if d.Outcome == moderation.DecideReviewerAction {
		rv := map[string]types.AttributeValue{":inq": str(string(moderation.ReportInQueue)), ":deadline": str(fmtTime(reviewerDeadline)), ":round": num(t.Rounds + 1)}
		b.update(reportPK(r.ID), skReport, "SET "+reportStatusSet(r, moderation.ReportAwaitingReviewer, d.At, rv)+", reviewerDeadline = :deadline, round = :round, taskToken = :none",
			"#status = :inq", statusName, withNone(rv))
		b.audit(reportPK(r.ID), 0, moderation.AuditEntry{At: d.At, Actor: actor, Action: "report.reviewer_contacted", From: string(moderation.ReportInQueue), To: string(moderation.ReportAwaitingReviewer), Note: d.Kind})
	}
	if err := s.commit(ctx, b); err != nil {
		return s.txError(ctx, err, idem, "decide ticket "+t.ID)
	}
	return nil
}

// TicketDecision returns the decision recorded on a ticket ("" outcome if none).
func (s *Store) TicketDecision(ctx context.Context, id string) (moderation.Decision, string, error) {
	var it ticketItem
	if err := s.getItem(ctx, ticketPK(id), skTicket, &it); err != nil {
		return moderation.Decision{}, "", fmt.Errorf("ticket %s decision: %w", id, err)
	}
	return moderation.Decision{Outcome: it.DecisionOutcome, Note: it.DecisionNote, Kind: it.DecisionKind, Message: it.DecisionMessage,
		Agent: it.DecidedBy, At: parseTime(it.DecidedAt), Round: it.Rounds}, it.TaskToken, nil
}

// SetTicketTaskToken stores the token of the task waiting for an agent's
// decision, while the ticket is in the queue or being worked on.
func (s *Store) SetTicketTaskToken(ctx context.Context, id, token string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      s.key(ticketPK(id), skTicket),
		UpdateExpression:         aws.String("SET taskToken = :tok"),
		ConditionExpression:      aws.String("#status = :open OR #status = :inprog"),
		ExpressionAttributeNames: statusName,
		ExpressionAttributeValues: map[string]types.AttributeValue{":tok": str(token),
			":open": str(string(moderation.TicketOpen)), ":inprog": str(string(moderation.TicketInProgress))},
	})
	if err != nil {
		return fmt.Errorf("ticket %s: store task token: %w", id, classifyTx(err))
	}
	return nil
}

// SetReportTaskToken stores the token of the task waiting for the reviewer
// (proof or a requested action), while the report still waits in that round.
func (s *Store) SetReportTaskToken(ctx context.Context, id string, status moderation.ReportStatus, round int, token string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(reportPK(id), skReport),
		UpdateExpression:          aws.String("SET taskToken = :tok"),
		ConditionExpression:       aws.String("#status = :status AND round = :round"),
		ExpressionAttributeNames:  statusName,
		ExpressionAttributeValues: map[string]types.AttributeValue{":tok": str(token), ":status": str(string(status)), ":round": num(round)},
	})
	if err != nil {
		return fmt.Errorf("report %s: store task token: %w", id, classifyTx(err))
	}
	return nil
}

// ReportTaskToken returns the token of the task waiting for the reviewer ("" if none).
func (s *Store) ReportTaskToken(ctx context.Context, id string) (string, error) {
	var it reportItem
	if err := s.getItem(ctx, reportPK(id), skReport, &it); err != nil {
		return "", fmt.Errorf("report %s task token: %w", id, err)
	}
	return it.TaskToken, nil
}

// AnswerSubmission is a reviewer's answer through a link of a report.
type AnswerSubmission struct {
	TokenHash string
	Report    moderation.Report // as read: awaiting_proof or awaiting_reviewer
	Ticket    moderation.Ticket // as read: waiting_for_reviewer
	Round     int               // the round the link belongs to
	Answer    Answer
	// Edit, for an edit request: the review's new version and the version it replaces.
	Edit        *moderation.Review
	EditVersion *moderation.ReviewVersion
	PrevVersion int
}

// SubmitAnswer records a reviewer's answer exactly once and puts the ticket
// back in the queue, in one transaction: the link is consumed (unused, within
// its window), the report leaves its waiting status (same round), the ticket
// is open again marked "proof_received" or "reviewer_responded", the answer
// and (for an edit) the new review version are stored, with audit entries.
func (s *Store) SubmitAnswer(ctx context.Context, sub AnswerSubmission) error {
	a := sub.Answer
	at := str(fmtTime(a.At))
	b := s.tx()
	b.update(linkPK(sub.TokenHash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
		map[string]types.AttributeValue{":at": at, ":empty": str("")})
	rv := map[string]types.AttributeValue{":from": str(string(sub.Report.Status)), ":round": num(sub.Round), ":at2": at}
	// The task token stays: the caller answers it after this write.
	b.update(reportPK(sub.Report.ID), skReport, "SET "+reportStatusSet(sub.Report, moderation.ReportInQueue, a.At, rv)+", reviewerDeadline = :none",
		"#status = :from AND round = :round AND reviewerDeadline > :at2", statusName, withNone(rv))
	marker := moderation.MarkerReviewerResponded
	if a.Kind == "proof" {
		marker = moderation.MarkerProofReceived
	}
	tv := map[string]types.AttributeValue{":waiting": str(string(moderation.TicketWaitingForReviewer)), ":marker": str(marker), ":queued": at}
	b.update(ticketPK(sub.Ticket.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketOpen, a.At, sub.Ticket.ID, tv)+", marker = :marker, queuedAt = :queued, assignee = :none",
		"#status = :waiting", statusName, withNone(tv))
	b.put(answerItem{PK: reportPK(sub.Report.ID), SK: fmt.Sprintf("%s%s#%s", skAnswerPfx, fmtTime(a.At), a.Kind), Type: "answer",
		Kind: a.Kind, Round: a.Round, Text: a.Text, NewVersion: a.NewVersion, At: fmtTime(a.At)}, "", nil)
	b.audit(reportPK(sub.Report.ID), 0, moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "report.reviewer_answered", From: string(sub.Report.Status), To: string(moderation.ReportInQueue), Note: a.Kind})
	b.audit(ticketPK(sub.Ticket.ID), 0, moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "ticket.requeued", From: string(moderation.TicketWaitingForReviewer), To: string(moderation.TicketOpen), Note: marker})
	if sub.Edit != nil && sub.EditVersion != nil {
		r := *sub.Edit
		b.update(reviewPK(r.ID), skReview, "SET #version = :version, stars = :stars, title = :title, #text = :text, updatedAt = :now",
			"#version = :prev", map[string]string{"#version": "version", "#text": "text"},
			map[string]types.AttributeValue{":prev": num(sub.PrevVersion), ":version": num(r.Version), ":stars": num(r.Stars),
				":title": str(r.Title), ":text": str(r.Text), ":now": at})
		b.put(newVersionItem(r.ID, *sub.EditVersion), "attribute_not_exists(PK)", nil)
		b.audit(reviewPK(r.ID), 0, moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "review.edited",
			From: fmt.Sprintf("version %d", sub.PrevVersion), To: fmt.Sprintf("version %d", r.Version), Note: "report " + sub.Report.ID})
	}
	if err := s.commit(ctx, b); err != nil {
		return fmt.Errorf("report %s: answer: %w", sub.Report.ID, classifyTx(err))
	}
	return nil
}

// ReviewerNoResponse puts a ticket back in the queue marked "no_response"
// when the reviewer let the window pass (P7). ErrConflict when the reviewer
// answered meanwhile.
func (s *Store) ReviewerNoResponse(ctx context.Context, r moderation.Report, t moderation.Ticket, round int, at time.Time) error {
	b := s.tx()
	rv := map[string]types.AttributeValue{":from": str(string(moderation.ReportAwaitingReviewer)), ":round": num(round)}
	b.update(reportPK(r.ID), skReport, "SET "+reportStatusSet(r, moderation.ReportInQueue, at, rv)+", taskToken = :none, reviewerDeadline = :none",
		"#status = :from AND round = :round", statusName, withNone(rv))
	tv := map[string]types.AttributeValue{":waiting": str(string(moderation.TicketWaitingForReviewer)), ":marker": str(moderation.MarkerNoResponse), ":queued": str(fmtTime(at))}
	b.update(ticketPK(t.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketOpen, at, t.ID, tv)+", marker = :marker, queuedAt = :queued, assignee = :none",
		"#status = :waiting", statusName, withNone(tv))
	b.audit(reportPK(r.ID), 0, moderation.AuditEntry{At: at, Actor: "system", Action: "report.no_response", From: string(moderation.ReportAwaitingReviewer), To: string(moderation.ReportInQueue)})
	b.audit(ticketPK(t.ID), 0, moderation.AuditEntry{At: at, Actor: "system", Action: "ticket.requeued", From: string(moderation.TicketWaitingForReviewer), To: string(moderation.TicketOpen), Note: moderation.MarkerNoResponse})
	if err := s.commit(ctx, b); err != nil {
		return fmt.Errorf("report %s: no response: %w", r.ID, classifyTx(err))
	}
	return nil
}

// ReportKey returns the key of a report item, for the email ledger.
func ReportKey(id string) (pk, sk string) { return reportPK(id), skReport }

// SubmitAppeal records a reviewer's appeal of a removal once: the appeal
// link is consumed (unused, within its window) and the appeal stored with
// the report, with an audit entry that compliance reads.
func (s *Store) SubmitAppeal(ctx context.Context, hash string, r moderation.Report, text string, at time.Time) error {
	b := s.tx()
	b.update(linkPK(hash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
		map[string]types.AttributeValue{":at": str(fmtTime(at)), ":empty": str("")})
	b.put(answerItem{PK: reportPK(r.ID), SK: fmt.Sprintf("%s%s#appeal", skAnswerPfx, fmtTime(at)), Type: "answer", Kind: "appeal", Text: text, At: fmtTime(at)}, "", nil)
	b.audit(reportPK(r.ID), 0, moderation.AuditEntry{At: at, Actor: "reviewer", Action: "report.appealed", From: string(r.Status), To: string(r.Status)})
	if err := s.commit(ctx, b); err != nil {
		return fmt.Errorf("report %s: appeal: %w", r.ID, classifyTx(err))
	}
	return nil
}
