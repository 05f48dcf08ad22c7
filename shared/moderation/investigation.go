package moderation

import (
	"time"
)

// Decision outcomes an agent may choose (P7).
const (
	DecideReinstate      = "reinstate"
	DecideRemove         = "remove"
	DecideReviewerAction = "request_reviewer_action"
)

// Kinds of reviewer action an agent may request (P7).
const (
	ActionEvidence = "evidence"
	ActionEdit     = "edit"
)

// Ticket markers: why a ticket is back in the queue.
const (
	MarkerProofReceived     = "proof_received"
	MarkerReviewerResponded = "reviewer_responded"
	MarkerNoResponse        = "no_response"
)

// Decision is an agent's decision on a ticket.
type Decision struct {
	Outcome string // DecideReinstate, DecideRemove or DecideReviewerAction
	Note    string // the facts relied on (shown to the reviewer in a removal's statement of reasons)
	Kind    string // for DecideReviewerAction: ActionEvidence or ActionEdit
	Message string // for DecideReviewerAction: what the reviewer is asked, shown to them
	Agent   string // the JWT subject of the deciding agent
	At      time.Time
	Round   int // for DecideReviewerAction: the round this request opens (1..Policy.MaxReviewerRounds)
	// UpheldReasons, for DecideRemove: the reported reasons the removal
	// upholds, a non-empty subset of the report's (the statement of reasons names them).
	UpheldReasons []Reason
}

// Limits of a decision's texts.
const (
	MinNote         = 10
	MaxNote         = 2000
	MinAgentMessage = 20
	MaxAgentMessage = 2000
	MinAnswer       = 1
	MaxAnswer       = 2000
)

// ValidateDecision checks an agent's decision on a ticket (P7): the ticket
// must be in progress and held by the agent (409 ticket_not_in_progress),
// the outcome known, the note 10–2000 characters, and a reviewer-action
// request must name its kind, carry a message of 20–2000 characters, and
// stay within maxRounds (409 reviewer_rounds_exhausted; 0 means
// DefaultPolicy.MaxReviewerRounds).
//
// A removal names the reported reasons it upholds (upheldReasons, a
// non-empty subset of reported); other outcomes name none.
func ValidateDecision(t Ticket, d Decision, reported []Reason, maxRounds int) error {
	if maxRounds <= 0 {
		maxRounds = DefaultPolicy.MaxReviewerRounds
	}
	if t.Status != TicketInProgress || t.Assignee != d.Agent {
		return Conflict(CodeTicketNotInProgress, "the ticket must be in progress and held by you; claim it first")
	}
	var f problems
	switch d.Outcome {
	case DecideReinstate, DecideRemove:
		if d.Kind != "" {
			f.add("kind", "only for request_reviewer_action")
		}
		if d.Message != "" {
			f.add("message", "only for request_reviewer_action")
		}
	case DecideReviewerAction:
		if d.Kind != ActionEvidence && d.Kind != ActionEdit {
			f.add("kind", "must be evidence or edit")
		}
		f.add("message", checkText(d.Message, MinAgentMessage, MaxAgentMessage))
	default:
		f.add("outcome", "must be reinstate, remove or request_reviewer_action")
	}
	f.add("note", checkText(d.Note, MinNote, MaxNote))
	if d.Outcome != "" {
		f.add("upheldReasons", checkUpheld(d.UpheldReasons, reported, d.Outcome == DecideRemove))
	}
	if err := f.err(); err != nil {
		return err
	}
	if d.Outcome == DecideReviewerAction && t.Rounds >= maxRounds {
		return Conflict(CodeRoundsExhausted, "the reviewer was already contacted the maximum number of times for this report")
	}
	return nil
}

// CanClaim checks that a ticket can be taken: it must be open (in the queue).
func CanClaim(t Ticket) error {
	if t.Status != TicketOpen {
		return Conflict(CodeTicketNotOpen, "only a ticket in the queue can be claimed; this one is "+string(t.Status))
	}
	return nil
}

// EditInput is a reviewer's edit through a compliance edit link.
type EditInput struct {
	Title string
	Text  string
	Stars int // 0 keeps the current stars
}

// ApplyReviewerEdit makes the new version a reviewer's edit produces (P7).
// An edit that changes nothing is refused: the agent asked for a change.
func ApplyReviewerEdit(r Review, in EditInput, now time.Time) (Review, ReviewVersion, error) {
	var f problems
	f.add("title", checkText(in.Title, 0, 200))
	f.add("text", checkText(in.Text, 1, 10000))
	if in.Stars < 0 || in.Stars > 5 {
		f.add("stars", "must be 1 to 5")
	}
	if err := f.err(); err != nil {
		return r, ReviewVersion{}, err
	}
	next := r
	next.Title, next.Text = CleanText(in.Title), CleanText(in.Text)
	if in.Stars != 0 {
		next.Stars = in.Stars
	}
	if next.Title == r.Title && next.Text == r.Text && next.Stars == r.Stars {
		return r, ReviewVersion{}, Invalid(map[string]string{"text": "the edit changes nothing"})
	}
	next.Version = r.Version + 1
	next.UpdatedAt = now
	return next, ReviewVersion{Version: next.Version, Stars: next.Stars, Title: next.Title, Text: next.Text,
		ExperienceDate: next.ExperienceDate, At: now, By: VersionByReviewer}, nil
}

// ValidateAnswer checks a reviewer's proof or evidence text.
func ValidateAnswer(text string) error {
	var f problems
	f.add("reply", checkText(text, MinAnswer, MaxAnswer))
	return f.err()
}
