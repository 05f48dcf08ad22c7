package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// Reports on a reply live in the review's partition, one item per slot of
// a reply revision: REV#<id> / REPLYREPORT#<revision>#<slot> (the slot is
// moderation.ReplyReportSlot). Putting the item on attribute_not_exists is
// the limit of one report per slot, in the report's own write. The open
// reply ticket is named on the reply (reply.ticketId), so reports join it.

const skReplyReportPfx = "REPLYREPORT#"

func replyReportSK(revision int, slot string) string {
	return fmt.Sprintf("%s%08d#%s", skReplyReportPfx, revision, slot)
}

// mReplyRemoved counts the business's replies compliance removed, in the
// month of the removal (BUS#<id> / REPSTATS#<YYYY-MM>).
const mReplyRemoved = "n_reply_removed"

type replyReportItem struct {
	PK, SK   string
	Type     string `dynamodbav:"type"`
	TicketID string `dynamodbav:"ticketId"`
	Business string `dynamodbav:"businessId"`
	Revision int    `dynamodbav:"revision"`
	Reason   string `dynamodbav:"reason"`
	Details  string `dynamodbav:"details"`
	Reporter string `dynamodbav:"reporter"`
	At       string `dynamodbav:"at"`
}

func replyReasonStrings(rs []moderation.ReplyReason) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

func replyReasonsOf(s string) []moderation.ReplyReason {
	if s == "" {
		return nil
	}
	var out []moderation.ReplyReason
	for _, p := range strings.Split(s, ",") {
		out = append(out, moderation.ReplyReason(p))
	}
	return out
}

// replyTicketCond is the condition that the reply names ticket id as its
// open ticket ("" for none), with its values added.
func replyTicketCond(id string, values map[string]types.AttributeValue) string {
	if id == "" {
		values[":noTicket"] = str("")
		return "(attribute_not_exists(reply.ticketId) OR reply.ticketId = :noTicket)"
	}
	values[":ticket"] = str(id)
	return "reply.ticketId = :ticket"
}

// FileReplyReport writes one report on a reply in one transaction: the
// report in its slot (once), the ticket opened (with the reply naming it)
// or joined (on the condition of the count read), the reviewer's link
// consumed when it came through one, and the audit entries — on the
// condition that the reply is still the public one read.
func (s *Store) FileReplyReport(ctx context.Context, w app.ReplyReportWrite) error {
	r, t := w.Report, w.Ticket
	at := str(fmtTime(w.At))
	b := s.tx()
	b.put(replyReportItem{PK: reviewPK(r.ReviewID), SK: replyReportSK(r.ReplyRevision, w.Slot), Type: "replyReport", TicketID: t.ID,
		Business: r.BusinessID, Revision: r.ReplyRevision, Reason: string(r.Reason), Details: r.Details, Reporter: string(r.Reporter),
		At: fmtTime(r.At)}, "attribute_not_exists(PK)", nil)
	values := map[string]types.AttributeValue{":rev": num(r.ReplyRevision), ":pub": str(string(moderation.ReplyPublished)),
		":visible": str(string(moderation.Published)), ":tid": str(t.ID)}
	cond := "reply.revision = :rev AND reply.#st = :pub AND visibility = :visible AND " + replyTicketCond(w.Review.Reply.TicketID, values)
	b.update(reviewPK(r.ReviewID), skReview, "SET reply.ticketId = :tid", cond, map[string]string{"#st": "status"}, values)
	if w.Opened {
		b.put(newTicketItem(t), "attribute_not_exists(PK)", nil)
		b.audit(ticketPK(t.ID), moderation.AuditEntry{At: w.At, Actor: string(r.Reporter), Action: "ticket.opened", To: string(t.Status),
			Note: "reply report: " + string(r.Reason)})
	} else {
		tv := map[string]types.AttributeValue{":prev": num(w.PrevReports), ":n": num(t.Reports), ":reasons": str(replyReasonStrings(t.ReplyReasons)),
			":rr": &types.AttributeValueMemberBOOL{Value: t.ReviewerReported}, ":at": at, ":decided": str(string(moderation.TicketDecided))}
		b.update(ticketPK(t.ID), skTicket, "SET reports = :n, replyReasons = :reasons, reviewerReported = :rr, updatedAt = :at",
			"reports = :prev AND #status <> :decided", statusName, tv)
		b.audit(ticketPK(t.ID), moderation.AuditEntry{At: w.At, Actor: string(r.Reporter), Action: "ticket.report_joined",
			Note: "reply report: " + string(r.Reason)})
	}
	if w.LinkHash != "" {
		b.update(linkPK(w.LinkHash), skLink, "SET usedAt = :at", "usedAt = :empty AND deadline > :at", nil,
			map[string]types.AttributeValue{":at": at, ":empty": str("")})
	}
	b.audit(reviewPK(r.ReviewID), moderation.AuditEntry{At: w.At, Actor: string(r.Reporter), Action: "reply.reported",
		To: fmt.Sprintf("revision %d", r.ReplyRevision), Note: string(r.Reason) + ", ticket " + t.ID})
	return s.commitAs(ctx, b, "file reply report on review "+r.ReviewID)
}

// ReplyReportFiled reports whether the slot of a reply revision is taken.
func (s *Store) ReplyReportFiled(ctx context.Context, reviewID string, revision int, slot string) (bool, error) {
	var it replyReportItem
	err := s.getItem(ctx, reviewPK(reviewID), replyReportSK(revision, slot), &it)
	switch {
	case errors.Is(err, moderation.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reply report filed %s: %w", reviewID, err)
	}
	return true, nil
}

// ReplyTicketReports returns the reports a reply ticket collected, oldest first.
func (s *Store) ReplyTicketReports(ctx context.Context, reviewID, ticketID string) ([]moderation.ReplyReport, error) {
	all, err := queryPrefix(ctx, s, reviewPK(reviewID), skReplyReportPfx, func(it replyReportItem) replyReportItem { return it })
	if err != nil {
		return nil, fmt.Errorf("reply ticket reports %s: %w", ticketID, err)
	}
	var out []moderation.ReplyReport
	for _, it := range all {
		if it.TicketID != ticketID {
			continue
		}
		out = append(out, moderation.ReplyReport{ReviewID: reviewID, BusinessID: it.Business, ReplyRevision: it.Revision,
			Reason: moderation.ReplyReason(it.Reason), Details: it.Details, Reporter: moderation.ReplyReporter(it.Reporter), At: parseTime(it.At)})
	}
	return out, nil
}

// DecideReplyTicket records an agent's decision on a reply ticket in one
// transaction, on the condition that the ticket is still in progress and
// held by the agent and that the reply is still as read and names the
// ticket: the ticket decided, the reply as the consequence makes it (for a
// removal: removed, its versions kept), a removal counted in the month's
// reporting signals, the audit entries, the webhook events and the start
// of the execution that tells the business and the reviewer.
func (s *Store) DecideReplyTicket(ctx context.Context, w app.ReplyDecisionWrite) error {
	t, d, c := w.Ticket, w.Decision, w.Consequence
	if c.TicketStatus != moderation.TicketDecided {
		return fmt.Errorf("decide reply ticket %s: no consequence to write", t.ID)
	}
	b := s.tx()
	b.idempotency(w.Idempotency, d.At)
	actor := "agent:" + d.Agent
	upheld := make([]moderation.Reason, len(c.UpheldReasons))
	for i, r := range c.UpheldReasons {
		upheld[i] = moderation.Reason(r)
	}
	v := map[string]types.AttributeValue{
		":inprog": str(string(moderation.TicketInProgress)), ":agent": str(d.Agent), ":outcome": str(d.Outcome), ":note": str(d.Note),
		":none": str(""), ":at": str(fmtTime(d.At)), ":upheld": str(reasonStrings(upheld)),
	}
	set := "SET " + ticketStatusSet(c.TicketStatus, d.At, d.At, t.ID, v) + ", decisionOutcome = :outcome, decisionNote = :note, decisionKind = :none, " +
		"decisionMessage = :none, decidedBy = :agent, decidedAt = :at, marker = :none, decisionUpheld = :upheld"
	b.update(ticketPK(t.ID), skTicket, set, "#status = :inprog AND assignee = :agent", statusName, v)
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: d.At, Actor: actor, Action: "ticket." + d.Outcome, From: string(moderation.TicketInProgress), To: string(c.TicketStatus)})

	reply, err := attributevalue.Marshal(newReplyAttr(c.Reply))
	if err != nil {
		return fmt.Errorf("decide reply ticket %s: %w", t.ID, err)
	}
	rv := map[string]types.AttributeValue{":reply": reply, ":rev": num(w.Review.Reply.Revision)}
	b.update(reviewPK(t.ReviewID), skReview, "SET reply = :reply", "reply.revision = :rev AND "+replyTicketCond(t.ID, rv), nil, rv)
	entry := moderation.AuditEntry{At: d.At, Actor: actor, Action: "reply.kept", From: fmt.Sprintf("revision %d", w.Review.Reply.Revision),
		To: fmt.Sprintf("revision %d", c.Reply.Revision), Note: "ticket " + t.ID}
	if c.Remove {
		entry.Action = "reply.removed"
		entry.Note += ": " + replyReasonStrings(c.UpheldReasons)
	}
	b.audit(reviewPK(t.ReviewID), entry)
	if c.CountRemoval {
		b.monthStats(t.BusinessID, d.At, statsDelta{mReplyRemoved: 1})
	}
	b.events(w.Events)
	if w.Start != nil {
		b.put(newStartItem(*w.Start), "", nil)
	}
	b.metrics(moderation.ReplyDecidedTally(d))
	return s.commitAs(ctx, b, "decide reply ticket "+t.ID)
}
