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

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

// Reports under investigation and their tickets: the compliance queue, the
// decisions, the reviewer's answers and the closures.

const skAnswerPfx = "ANSWER#"

type answerItem struct {
	PK, SK     string
	Type       string `dynamodbav:"type"`
	Kind       string `dynamodbav:"kind"`
	Round      int    `dynamodbav:"round"`
	Text       string `dynamodbav:"text"`
	NewVersion int    `dynamodbav:"newVersion"`
	At         string `dynamodbav:"at"`
}

func newAnswerItem(reportID string, a app.Answer) answerItem {
	return answerItem{PK: reportPK(reportID), SK: fmt.Sprintf("%s%s#%s", skAnswerPfx, fmtTime(a.At), a.Kind), Type: "answer",
		Kind: a.Kind, Round: a.Round, Text: a.Text, NewVersion: a.NewVersion, At: fmtTime(a.At)}
}

// ReportDetail reads a report, its audit trail, the reviewer's answers and
// documents in one Query.
func (s *Store) ReportDetail(ctx context.Context, id string) (app.ReportDetail, error) {
	var d app.ReportDetail
	found := false
	err := s.readPartition(ctx, reportPK(id), func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == skReport:
			var it reportItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			d.Report, found = it.domain(), true
			d.ReviewerDeadline, d.Round, d.TaskToken, d.Stall = parseTime(it.ReviewerDeadline), it.Round, it.TaskToken, stallOf(raw)
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&d.Trail, raw)
		case strings.HasPrefix(sk, skDocumentPfx):
			return appendDocument(&d.Documents, raw)
		case strings.HasPrefix(sk, skAnswerPfx):
			var it answerItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return err
			}
			d.Answers = append(d.Answers, app.Answer{Kind: it.Kind, Round: it.Round, Text: it.Text, NewVersion: it.NewVersion, At: parseTime(it.At)})
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("report detail %s: %w", id, err)
	}
	if !found {
		return d, fmt.Errorf("report detail %s: %w", id, moderation.ErrNotFound)
	}
	return d, nil
}

// GetTicket returns a ticket.
func (s *Store) GetTicket(ctx context.Context, id string) (moderation.Ticket, error) {
	var it ticketItem
	if err := s.getItem(ctx, ticketPK(id), skTicket, &it); err != nil {
		return moderation.Ticket{}, fmt.Errorf("get ticket %s: %w", id, err)
	}
	return it.domain(), nil
}

func (it ticketItem) decision() moderation.Decision {
	return moderation.Decision{Outcome: it.DecisionOutcome, Note: it.DecisionNote, Kind: it.DecisionKind, Message: it.DecisionMessage,
		Agent: it.DecidedBy, At: parseTime(it.DecidedAt), Round: it.Rounds, UpheldReasons: reasonsOf(it.DecisionUpheld)}
}

// TicketDecision reads a ticket with its recorded decision (one GetItem).
func (s *Store) TicketDecision(ctx context.Context, id string) (moderation.Ticket, moderation.Decision, error) {
	var it ticketItem
	if err := s.getItem(ctx, ticketPK(id), skTicket, &it); err != nil {
		return moderation.Ticket{}, moderation.Decision{}, fmt.Errorf("ticket decision %s: %w", id, err)
	}
	return it.domain(), it.decision(), nil
}

// TicketDetail reads a ticket with its audit trail and its latest decision in one Query.
func (s *Store) TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, moderation.Decision, error) {
	var it ticketItem
	trail, err := s.readWithTrail(ctx, ticketPK(id), skTicket, &it)
	if err != nil {
		return moderation.Ticket{}, nil, moderation.Decision{}, fmt.Errorf("ticket detail %s: %w", id, err)
	}
	return it.domain(), trail, it.decision(), nil
}

// TicketToken returns the token of the task waiting for the ticket's decision ("" if none).
func (s *Store) TicketToken(ctx context.Context, id string) (string, error) {
	var it ticketItem
	if err := s.getItem(ctx, ticketPK(id), skTicket, &it); err != nil {
		return "", fmt.Errorf("ticket %s task token: %w", id, err)
	}
	return it.TaskToken, nil
}

// ListTickets returns the compliance queue oldest first: all tickets by
// creation, or those with a status by the time they entered it; with a
// kind, only the tickets of that kind (filtered after the read, as a
// FilterExpression would: a page may hold fewer than its limit).
func (s *Store) ListTickets(ctx context.Context, status moderation.TicketStatus, kind moderation.TicketKind, p app.Page) ([]moderation.Ticket, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, AttrGSI1PK, AttrGSI1SK, ticketsPK
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, AttrGSI2PK, AttrGSI2SK, ticketsByStatusPK(status)
	}
	var out []moderation.Ticket
	next, err := s.page(ctx, index, pkAttr, skAttr, pk, true, p, func(raw map[string]types.AttributeValue) error {
		var it ticketItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		if t := it.domain(); kind == "" || t.Kind == kind {
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list tickets: %w", err)
	}
	return out, next, nil
}

// ticketStatusSet is the SET clause moving a ticket to status at updated,
// placed in its queue index at queued (the queue's order).
func ticketStatusSet(status moderation.TicketStatus, queued, updated time.Time, id string, values map[string]types.AttributeValue) string {
	values[":tstatus"] = str(string(status))
	values[":tgsi2"] = str(ticketsByStatusPK(status))
	values[":tgsi2sk"] = str(sortKey(queued, id))
	values[":tat"] = str(fmtTime(updated))
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

// ClaimTicket gives an open ticket to an agent (in_progress).
// moderation.ErrChanged when it is not open any more (another agent was faster).
func (s *Store) ClaimTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, at)
	v := map[string]types.AttributeValue{":open": str(string(moderation.TicketOpen)), ":agent": str(agent)}
	set, cond := "SET "+ticketStatusSet(moderation.TicketInProgress, t.QueuedAt, at, t.ID, v)+", assignee = :agent", "#status = :open"
	if t.FirstClaimedAt.IsZero() { // counted as the first claim: it must be
		v[":first"] = str(fmtTime(at))
		set, cond = set+", firstClaimedAt = :first", cond+" AND attribute_not_exists(firstClaimedAt)"
	}
	b.update(ticketPK(t.ID), skTicket, set, cond, statusName, v)
	b.metrics(moderation.ClaimTally(t, agent, at))
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: at, Actor: "agent:" + agent, Action: "ticket.claimed", From: string(moderation.TicketOpen), To: string(moderation.TicketInProgress)})
	return s.commitAs(ctx, b, "claim ticket "+t.ID)
}

// DecideTicket records an agent's decision in one transaction, on the
// condition that the ticket is still in progress, held by the agent, at the
// round it was read at — so of two concurrent decisions exactly one is
// stored. It writes td.Consequence as given: a closing decision decides the
// ticket and closes the report in the same write (closeReport); a
// reviewer-action request opens the round it names, the ticket waiting for
// the reviewer and the report awaiting_reviewer until its deadline.
func (s *Store) DecideTicket(ctx context.Context, td app.TicketDecision) error {
	t, r, d, c := td.Ticket, td.Report, td.Decision, td.Consequence
	if c.TicketStatus == "" {
		return fmt.Errorf("decide ticket %s: no consequence to write", t.ID)
	}
	b := s.tx()
	b.idempotency(td.Idempotency, d.At)
	actor := "agent:" + d.Agent
	v := map[string]types.AttributeValue{
		":inprog": str(string(moderation.TicketInProgress)), ":agent": str(d.Agent), ":rounds": num(t.Rounds),
		":outcome": str(d.Outcome), ":note": str(d.Note), ":kind": str(d.Kind), ":msg": str(d.Message), ":at": str(fmtTime(d.At)),
		":marker": str(""), ":newRounds": num(t.Rounds), ":upheld": str(reasonStrings(d.UpheldReasons)),
	}
	to := c.TicketStatus
	if c.Round > 0 {
		v[":newRounds"] = num(c.Round)
	}
	set := "SET " + ticketStatusSet(to, d.At, d.At, t.ID, v) + ", decisionOutcome = :outcome, decisionNote = :note, decisionKind = :kind, " +
		"decisionMessage = :msg, decidedBy = :agent, decidedAt = :at, rounds = :newRounds, marker = :marker, decisionUpheld = :upheld, reviewerDeadline = :rdl"
	v[":rdl"] = str(fmtTime(c.ReviewerDeadline)) // "" for a closing decision
	b.update(ticketPK(t.ID), skTicket, set, "#status = :inprog AND assignee = :agent AND rounds = :rounds", statusName, v)
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "ticket." + d.Outcome, From: string(moderation.TicketInProgress), To: string(to), Note: d.Kind})
	if c.ReportStatus == moderation.ReportClosed {
		b.closeReport(app.Closure{Report: r, Ticket: t, Consequence: c, Actor: actor, At: d.At})
	} else {
		rv := map[string]types.AttributeValue{":inq": str(string(moderation.ReportInQueue)), ":deadline": str(fmtTime(c.ReviewerDeadline)), ":round": num(c.Round)}
		b.update(reportPK(r.ID), skReport, "SET "+reportStatusSet(r, c.ReportStatus, d.At, rv)+", reviewerDeadline = :deadline, round = :round, taskToken = :none",
			"#status = :inq", statusName, withNone(rv))
		b.audit(reportPK(r.ID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "report.reviewer_contacted", From: string(moderation.ReportInQueue), To: string(c.ReportStatus), Note: d.Kind})
		b.stats(r.BusinessID, moved(r.Status, c.ReportStatus))
	}
	b.metrics(moderation.TicketDecidedTally(r, d, c))
	return s.commitAs(ctx, b, "decide ticket "+t.ID)
}

// closeReport adds the closure of a report to b as its consequence says
// (P8): the report closed with its outcome, ground and upheld reasons, the
// review at the consequence's visibility with its open report cleared — so
// that a later version can be reported again (P1) — the counted outcome,
// the statement of reasons if there is one, and the audit entries. The
// ticket's own change is the caller's.
func (b *txBuilder) closeReport(c app.Closure) {
	k := c.Consequence
	visibility := k.Visibility
	c.Report.UpheldReasons = k.UpheldReasons
	at := str(fmtTime(c.At))
	names := map[string]string{"#status": "status"}
	values := map[string]types.AttributeValue{
		":from": str(string(c.Report.Status)), ":closed": str(string(moderation.ReportClosed)),
		":outcome": str(string(k.Outcome)), ":ground": str(k.Ground), ":at": at,
		":gsi2": str(businessReportsByStatusPK(c.Report.BusinessID, moderation.ReportClosed)), ":none": str(""),
		":upheld": str(reasonStrings(c.Report.UpheldReasons)), ":appealBy": str(fmtTime(c.AppealDeadline)),
	}
	set := "SET #status = :closed, outcome = :outcome, ground = :ground, closedAt = :at, updatedAt = :at, GSI2PK = :gsi2, taskToken = :none, reviewerDeadline = :none, " +
		"upheldReasons = :upheld, appealDeadline = :appealBy"
	cond := "#status = :from"
	if c.Claim != nil {
		cs, cc := claimExpr(c.Claim, names, values)
		set, cond = set+", "+cs, cond+" AND "+cc
	}
	b.update(reportPK(c.Report.ID), skReport, set, cond, names, values)
	if c.Link != nil {
		b.put(newLinkItem(*c.Link), "attribute_not_exists(PK)", nil)
	}
	b.update(reviewPK(c.Report.ReviewID), skReview, "SET openReportId = :empty, visibility = :vis, updatedAt = :at", "openReportId = :rpt", nil,
		map[string]types.AttributeValue{":rpt": str(c.Report.ID), ":empty": str(""), ":vis": str(string(visibility)), ":at": at})
	b.stats(c.Report.BusinessID, closed(c.Report.Status, k.Counted))
	b.monthStats(c.Report.BusinessID, c.Report.CreatedAt, outcomeMonth(nil, k.Counted, k.UpheldReasons, 1))
	if k.Statement != nil {
		b.statement(c.Report, *k.Statement)
	}
	note := string(k.Outcome)
	if k.Ground != "" {
		note += " (" + k.Ground + ")"
	}
	hiddenAs := moderation.Published
	if c.Report.HidesReview {
		hiddenAs = moderation.UnderInvestigation
	}
	b.audit(reportPK(c.Report.ID), moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "report.closed", From: string(c.Report.Status), To: string(moderation.ReportClosed), Note: note})
	b.audit(reviewPK(c.Report.ReviewID), moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "review." + string(k.Outcome), From: string(hiddenAs), To: string(visibility), Note: "report " + c.Report.ID})
}

// CloseReport closes a report that no agent decided — the removal for want
// of proof (P6) — in one transaction: the ticket decided, the report closed,
// the review removed or published. moderation.ErrChanged when the report or
// ticket is not as read any more (the proof arrived meanwhile).
func (s *Store) CloseReport(ctx context.Context, c app.Closure) error {
	k := c.Consequence
	if k.ReportStatus != moderation.ReportClosed || k.Visibility == "" {
		return fmt.Errorf("close report %s: the consequence closes nothing", c.Report.ID)
	}
	b := s.tx()
	v := map[string]types.AttributeValue{":from": str(string(c.Ticket.Status))}
	b.update(ticketPK(c.Ticket.ID), skTicket, "SET "+ticketStatusSet(k.TicketStatus, c.At, c.At, c.Ticket.ID, v), "#status = :from", statusName, v)
	b.closeReport(c)
	note := string(k.Outcome) + " (" + k.Ground + ")"
	b.audit(ticketPK(c.Ticket.ID), moderation.AuditEntry{At: c.At, Actor: c.Actor, Action: "ticket.decided", From: string(c.Ticket.Status), To: string(k.TicketStatus), Note: note})
	b.events(c.Events)
	b.metrics(moderation.ReportClosedTally(c.Report, k, c.At))
	return s.commitAs(ctx, b, "close report "+c.Report.ID)
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

// ReportTaskToken returns the token of the task waiting for the reviewer ("" if none).
func (s *Store) ReportTaskToken(ctx context.Context, id string) (string, error) {
	var it reportItem
	if err := s.getItem(ctx, reportPK(id), skReport, &it); err != nil {
		return "", fmt.Errorf("report %s task token: %w", id, err)
	}
	return it.TaskToken, nil
}

// SubmitAnswer records a reviewer's answer exactly once and puts the ticket
// back in the queue, in one transaction: the link is consumed (unused, within
// its window), the report leaves its waiting status (same round), the ticket
// is open again with the submission's marker, the answer
// and (for an edit) the new review version are stored, with audit entries.
func (s *Store) SubmitAnswer(ctx context.Context, sub app.AnswerSubmission) error {
	a := sub.Answer
	at := str(fmtTime(a.At))
	b := s.tx()
	b.update(linkPK(sub.TokenHash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
		map[string]types.AttributeValue{":at": at, ":empty": str("")})
	rv := map[string]types.AttributeValue{":from": str(string(sub.Report.Status)), ":round": num(sub.Round), ":at2": at}
	// The task token stays: the caller answers it after this write.
	b.update(reportPK(sub.Report.ID), skReport, "SET "+reportStatusSet(sub.Report, moderation.ReportInQueue, a.At, rv)+", reviewerDeadline = :none",
		"#status = :from AND round = :round AND reviewerDeadline > :at2", statusName, withNone(rv))
	marker := sub.Marker
	tv := map[string]types.AttributeValue{":waiting": str(string(moderation.TicketWaitingForReviewer)), ":marker": str(marker), ":queued": at}
	b.update(ticketPK(sub.Ticket.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketOpen, a.At, a.At, sub.Ticket.ID, tv)+", marker = :marker, queuedAt = :queued, assignee = :none",
		"#status = :waiting", statusName, withNone(tv))
	b.put(newAnswerItem(sub.Report.ID, a), "", nil)
	b.attachDocuments(sub.Documents, document.AnswerRef{Kind: a.Kind, Round: a.Round})
	b.audit(reportPK(sub.Report.ID), moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "report.reviewer_answered", From: string(sub.Report.Status), To: string(moderation.ReportInQueue), Note: a.Kind})
	b.audit(ticketPK(sub.Ticket.ID), moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "ticket.requeued", From: string(moderation.TicketWaitingForReviewer), To: string(moderation.TicketOpen), Note: marker})
	b.stats(sub.Report.BusinessID, moved(sub.Report.Status, moderation.ReportInQueue))
	if sub.Edit != nil && sub.EditVersion != nil {
		r := *sub.Edit
		b.update(reviewPK(r.ID), skReview, "SET #version = :version, stars = :stars, title = :title, #text = :text, updatedAt = :now",
			"#version = :prev", map[string]string{"#version": "version", "#text": "text"},
			map[string]types.AttributeValue{":prev": num(sub.PrevVersion), ":version": num(r.Version), ":stars": num(r.Stars),
				":title": str(r.Title), ":text": str(r.Text), ":now": at})
		b.put(newVersionItem(r.ID, *sub.EditVersion), "attribute_not_exists(PK)", nil)
		b.audit(reviewPK(r.ID), moderation.AuditEntry{At: a.At, Actor: "reviewer", Action: "review.edited",
			From: fmt.Sprintf("version %d", sub.PrevVersion), To: fmt.Sprintf("version %d", r.Version), Note: "report " + sub.Report.ID})
	}
	return s.commitAs(ctx, b, "report "+sub.Report.ID+": answer")
}

// ReviewerNoResponse puts a ticket back in the queue marked "no_response"
// when the reviewer let the window pass (P7). moderation.ErrChanged when
// the reviewer answered meanwhile.
func (s *Store) ReviewerNoResponse(ctx context.Context, r moderation.Report, t moderation.Ticket, round int, at time.Time) error {
	b := s.tx()
	rv := map[string]types.AttributeValue{":from": str(string(moderation.ReportAwaitingReviewer)), ":round": num(round)}
	b.update(reportPK(r.ID), skReport, "SET "+reportStatusSet(r, moderation.ReportInQueue, at, rv)+", taskToken = :none, reviewerDeadline = :none",
		"#status = :from AND round = :round", statusName, withNone(rv))
	tv := map[string]types.AttributeValue{":waiting": str(string(moderation.TicketWaitingForReviewer)), ":marker": str(moderation.MarkerNoResponse), ":queued": str(fmtTime(at))}
	b.update(ticketPK(t.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketOpen, at, at, t.ID, tv)+", marker = :marker, queuedAt = :queued, assignee = :none",
		"#status = :waiting", statusName, withNone(tv))
	b.audit(reportPK(r.ID), moderation.AuditEntry{At: at, Actor: "system", Action: "report.no_response", From: string(moderation.ReportAwaitingReviewer), To: string(moderation.ReportInQueue)})
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: at, Actor: "system", Action: "ticket.requeued", From: string(moderation.TicketWaitingForReviewer), To: string(moderation.TicketOpen), Note: moderation.MarkerNoResponse})
	b.stats(r.BusinessID, moved(moderation.ReportAwaitingReviewer, moderation.ReportInQueue))
	return s.commitAs(ctx, b, "report "+r.ID+": no response")
}
