package moderation

import (
	"fmt"
	"slices"
	"time"
)

// The reply-report rules (docs/product.md, "Reply reports"): the reviewer
// (through the link of the reply email) and anyone on the public page may
// report a business's reply for what the reply guidelines forbid; reports
// on one reply join one ticket of kind TicketKindReply in the compliance
// queue, and an agent removes the reply or keeps it.

// ReplyReason is why a reply is reported: the three things the reply
// guidelines forbid that pattern checks cannot always catch.
type ReplyReason string

// The reply report reasons.
const (
	ReplyReasonPersonalData ReplyReason = "personal_data"
	ReplyReasonThreats      ReplyReason = "threats_or_aggression"
	ReplyReasonEditRequest  ReplyReason = "edit_request"
)

// ReplyReasons returns every reply report reason in the order pages show them.
func ReplyReasons() []ReplyReason {
	return []ReplyReason{ReplyReasonPersonalData, ReplyReasonThreats, ReplyReasonEditRequest}
}

// Valid reports whether r is a known reply report reason.
func (r ReplyReason) Valid() bool { return slices.Contains(ReplyReasons(), r) }

// ReplyReporter is who reported a reply.
type ReplyReporter string

// The reporters of a reply.
const (
	ReplyReporterReviewer ReplyReporter = "reviewer" // through the link of the reply email
	ReplyReporterPublic   ReplyReporter = "public"   // anyone, from the public view
)

// MaxReplyReportDetails is the most visible characters of a reply report's
// optional details.
const MaxReplyReportDetails = 1000

// TicketKind says what a compliance ticket is about.
type TicketKind string

// The ticket kinds. Tickets stored before kinds existed are TicketKindReview.
const (
	TicketKindReview TicketKind = "review" // a business's report on a review
	TicketKindReply  TicketKind = "reply"  // reports on a business's reply
)

// Valid reports whether k is a known ticket kind.
func (k TicketKind) Valid() bool { return k == TicketKindReview || k == TicketKindReply }

// DecideKeep is a reply ticket's decision to leave the reply as it is.
const DecideKeep = "keep"

// GroundReplyGuidelines is the ground of a reply's removal: it broke the
// reply guidelines.
const GroundReplyGuidelines = "reply_guideline_violation"

// ReplyReport is one report on a business's reply.
type ReplyReport struct {
	ReviewID      string
	BusinessID    string
	ReplyRevision int // the reply's revision when it was reported
	Reason        ReplyReason
	Details       string // optional; never shown to the business
	Reporter      ReplyReporter
	At            time.Time
}

// ValidateReplyReport checks a reply report's reason and optional details
// (0..MaxReplyReportDetails characters under the text rule) and returns
// them cleaned. Every problem is a KindInvalid field: "reason", "details".
func ValidateReplyReport(reason, details string) (ReplyReason, string, error) {
	var f problems
	r := ReplyReason(reason)
	if !r.Valid() {
		f.add("reason", "must be one of personal_data, threats_or_aggression, edit_request")
	}
	details = CleanText(details)
	if details != "" {
		f.add("details", checkText(details, 1, MaxReplyReportDetails))
	}
	if err := f.err(); err != nil {
		return "", "", err
	}
	return r, details, nil
}

// CanReportReply checks that rev's reply may be reported now: only a reply
// the public sees (ReplyShown). Anything else is not found: there is no
// public reply to report.
func CanReportReply(rev Review) error {
	if !ReplyShown(rev) {
		return NotFound("reply")
	}
	return nil
}

// ReplyReportSlot is the key that makes a report on a reply revision
// unique: one per reason from the public, one from the reviewer whatever
// its reason. A second report into a taken slot changes nothing, so one
// revision of a reply takes at most len(ReplyReasons())+1 reports, and a
// reply an agent kept cannot be reported again for the same reason until
// the business changes it.
func ReplyReportSlot(r ReplyReport) string {
	if r.Reporter == ReplyReporterReviewer {
		return string(ReplyReporterReviewer)
	}
	return string(ReplyReporterPublic) + "#" + string(r.Reason)
}

// ReplyConsequence is what a decision on a reply ticket changes.
type ReplyConsequence struct {
	TicketStatus TicketStatus // always TicketDecided
	// Remove: the reply is taken down (Reply is it afterwards); otherwise
	// it stays as it is.
	Remove bool
	Reply  Reply
	// UpheldReasons are the reported reasons a removal upholds.
	UpheldReasons []ReplyReason
	// Statement is the statement of reasons the business gets for a
	// removal (nil for a keep).
	Statement *ReplyStatement
	// CountRemoval: the removal counts in the business's reporting
	// signals and its sanction rules.
	CountRemoval bool
	// TellBusiness: the business is emailed the statement of reasons.
	TellBusiness bool
	// TellReviewer: the reviewer, when they reported through their link,
	// is emailed the outcome (either way; anonymous reporters have no address).
	TellReviewer bool
}

// ReplyStatement is the statement of reasons of a reply's removal (DSA
// Art. 17): the upheld reasons, the agent's note as the facts, the ground,
// that a person decided, and when.
type ReplyStatement struct {
	Reasons   []ReplyReason
	Facts     string
	Ground    string
	Automated bool
	DecidedAt time.Time
}

// ValidateReplyDecision checks an agent's decision d on reply ticket t whose
// reports named reported: the ticket in progress and held by the agent;
// outcome remove or keep; a note of MinNote..MaxNote characters; on a
// removal, upheld reasons that are a non-empty subset of reported, none on
// a keep; no kind or message.
func ValidateReplyDecision(t Ticket, d Decision, reported []ReplyReason) error {
	if t.Status != TicketInProgress || t.Assignee != d.Agent {
		return Conflict(CodeTicketNotInProgress, "the ticket must be in progress and held by you; claim it first")
	}
	var f problems
	if d.Outcome != DecideRemove && d.Outcome != DecideKeep {
		f.add("outcome", "must be remove or keep for a reply ticket")
	}
	if d.Kind != "" {
		f.add("kind", "only for request_reviewer_action on a review ticket")
	}
	if d.Message != "" {
		f.add("message", "only for request_reviewer_action on a review ticket")
	}
	f.add("note", checkText(d.Note, MinNote, MaxNote))
	switch {
	case d.Outcome == DecideRemove && len(d.UpheldReasons) == 0:
		f.add("upheldReasons", "name at least one reported reason the removal upholds")
	case d.Outcome == DecideKeep && len(d.UpheldReasons) > 0:
		f.add("upheldReasons", "only for remove")
	}
	seen := map[Reason]bool{}
	for i, r := range d.UpheldReasons {
		switch {
		case !slices.Contains(reported, ReplyReason(r)):
			f.add(fmt.Sprintf("upheldReasons[%d]", i), "must be one of the reasons reported on this reply")
		case seen[r]:
			f.add(fmt.Sprintf("upheldReasons[%d]", i), "named twice")
		}
		seen[r] = true
	}
	return f.err()
}

// DecideReply checks d (ValidateReplyDecision) and returns its consequence
// for the reply cur:
//
//   - remove: the reply taken down as removed by compliance (its versions
//     stay), the removal counted, the business emailed a statement of
//     reasons, the reviewer told if they reported;
//   - keep: the reply stays, nothing is counted, the business is not
//     emailed (nothing changed for it), the reviewer told if they reported.
//
// A reply the business took down meanwhile is still removed: the removal
// records that it broke the guidelines.
func DecideReply(t Ticket, cur Reply, d Decision, reported []ReplyReason, reviewerReported bool, now time.Time) (ReplyConsequence, error) {
	if err := ValidateReplyDecision(t, d, reported); err != nil {
		return ReplyConsequence{}, err
	}
	c := ReplyConsequence{TicketStatus: TicketDecided, Reply: cur, TellReviewer: reviewerReported}
	c.Reply.TicketID = "" // the ticket is decided: a later report opens a new one
	if d.Outcome == DecideKeep {
		return c, nil
	}
	for _, r := range d.UpheldReasons {
		c.UpheldReasons = append(c.UpheldReasons, ReplyReason(r))
	}
	c.Remove, c.CountRemoval, c.TellBusiness = true, true, true
	c.Reply = RemoveReply(c.Reply, now)
	c.Statement = &ReplyStatement{Reasons: c.UpheldReasons, Facts: d.Note, Ground: GroundReplyGuidelines, DecidedAt: now}
	return c, nil
}

// RemoveReply is the reply after compliance removed it: status removed,
// its text no longer on the review, one more removal counted. A reply that
// was published or deleted becomes removed alike.
func RemoveReply(cur Reply, now time.Time) Reply {
	next := cur
	next.Status, next.Text, next.Revision, next.UpdatedAt = ReplyRemoved, "", cur.Revision+1, now
	next.Removals++
	return next
}

// AddReplyReport is the reply ticket t after report r joined it: the
// report counted, its reason added to the ticket's reasons once. A ticket
// in the queue stays where it is in the queue.
func AddReplyReport(t Ticket, r ReplyReport, now time.Time) Ticket {
	next := t
	next.Reports++
	next.ReplyReasons = slices.Clone(t.ReplyReasons)
	if !slices.Contains(next.ReplyReasons, r.Reason) {
		next.ReplyReasons = append(next.ReplyReasons, r.Reason)
	}
	if r.Reporter == ReplyReporterReviewer {
		next.ReviewerReported = true
	}
	next.UpdatedAt = now
	return next
}

// NewReplyTicket is the ticket report r opens on a reply with no open
// ticket: kind reply, open in the queue from now, with r as its first report.
func NewReplyTicket(id string, r ReplyReport, now time.Time) Ticket {
	t := Ticket{ID: id, Kind: TicketKindReply, BusinessID: r.BusinessID, ReviewID: r.ReviewID, Status: TicketOpen,
		QueuedAt: now, CreatedAt: now}
	return AddReplyReport(t, r, now)
}
