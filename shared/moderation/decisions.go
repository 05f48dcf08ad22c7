package moderation

import (
	"fmt"
	"slices"
	"time"
)

// The consequences of a report's decisions (P6, P7, P8, DSA Art. 17 and 20),
// as values: what the report, the ticket and the review become, which
// counters move, what the statement of reasons says, who is told and whose
// appeal window opens. The use cases compute them here; the store writes
// them as given and the workflow tasks send what they name.

// Told is who is emailed about an outcome.
type Told struct {
	// Business: the business is emailed at its notification address.
	Business bool
	// Reviewer: the reviewer is emailed.
	Reviewer bool
	// StatementOfReasons: the reviewer's email is the statement of reasons
	// of a removal (DSA Art. 17) rather than a plain notice.
	StatementOfReasons bool
}

// WhoIsTold is who is emailed about a report's first outcome (P8).
// Reinstated: the business is emailed (and the reviewer told); removed: the
// reviewer gets the statement of reasons, the business is not emailed (its
// API shows the outcome). Any other outcome tells no one.
func WhoIsTold(o Outcome) Told {
	switch o {
	case OutcomeReinstated:
		return Told{Business: true, Reviewer: true}
	case OutcomeRemoved:
		return Told{Reviewer: true, StatementOfReasons: true}
	}
	return Told{}
}

// AnswerMarker is how a ticket returns to the queue when the reviewer
// answers (P6, P7): marked proof_received after proof of the experience
// ("proof"), reviewer_responded after evidence or an edit an agent asked
// for. Silence returns it marked no_response (MarkerNoResponse).
func AnswerMarker(answerKind string) string {
	if answerKind == "proof" {
		return MarkerProofReceived
	}
	return MarkerReviewerResponded
}

// Statement is what a statement of reasons records of a removal (DSA Art.
// 17 and 24(5)): the reported reasons the removal upholds, its ground,
// whether it was automated, whether it was decided on appeal, and when.
type Statement struct {
	Reasons   []Reason
	Ground    string
	Automated bool
	OnAppeal  bool
	DecidedAt time.Time
}

// Consequence is what a decision on a report changes (P6-P8).
type Consequence struct {
	// ReportStatus and TicketStatus are the report's and the ticket's
	// statuses after the decision.
	ReportStatus ReportStatus
	TicketStatus TicketStatus
	// Outcome, Ground and UpheldReasons are the report's after a closing
	// decision ("" and nil while it stays open for the reviewer).
	Outcome       Outcome
	Ground        string
	UpheldReasons []Reason
	// Visibility is the review's visibility after the decision ("" when it
	// does not change: a reviewer-action request).
	Visibility Visibility
	// Round and ReviewerDeadline, for a reviewer-action request: the round
	// it opens and when the reviewer's window ends.
	Round            int
	ReviewerDeadline time.Time
	// Counted is the outcome whose counters go up by one (a removal also
	// counts its upheld reasons); "" counts nothing.
	Counted Outcome
	// Statement is the statement of reasons recorded for a removal (nil
	// otherwise).
	Statement *Statement
	// Told is who is emailed.
	Told Told
	// AppealFor is the party that may appeal once told ("" when none may);
	// its window is AppealWindow long from when it is told.
	AppealFor    Party
	AppealWindow time.Duration
}

// AppealDeadline is when the appeal window of c's appellant ends if it is
// told of the decision at toldAt (zero when no appeal opens).
func (c Consequence) AppealDeadline(toldAt time.Time) time.Time {
	if c.AppealFor == "" {
		return time.Time{}
	}
	return toldAt.Add(c.AppealWindow)
}

// Closing is the consequence of closing a report with outcome on ground at
// now (P8): the report closed and its ticket decided; a reinstatement
// publishes the review, a removal removes it and records a statement of
// reasons naming the upheld reasons (automated when no person decided); the
// outcome is counted; WhoIsTold says who is emailed; and the party the
// outcome went against may appeal for p.AppealWindow from when it is told.
func Closing(outcome Outcome, ground string, upheld []Reason, automated bool, p Policy, now time.Time) Consequence {
	p = p.WithDefaults()
	c := Consequence{ReportStatus: ReportClosed, TicketStatus: TicketDecided, Outcome: outcome, Ground: ground,
		Visibility: Published, Counted: outcome, Told: WhoIsTold(outcome), AppealFor: Appellant(outcome), AppealWindow: p.AppealWindow}
	if outcome == OutcomeRemoved {
		c.Visibility = Removed
		c.UpheldReasons = slices.Clone(upheld)
		c.Statement = &Statement{Reasons: c.UpheldReasons, Ground: ground, Automated: automated, DecidedAt: now}
	}
	return c
}

// Decide checks an agent's decision d on ticket t of report r
// (ValidateDecision, with p's round limit) and returns its consequence:
//
//   - reinstate: the report closed reinstated, the review published, the
//     business and the reviewer told, the business's appeal window opens;
//   - remove: the report closed removed on ground guideline_violation with
//     the upheld reasons, the review removed, a statement of reasons sent to
//     the reviewer (the business is not emailed), the reviewer's appeal
//     window opens;
//   - request_reviewer_action: the next round opens, the report waits for
//     the reviewer for p.ReviewerActionWindow and the ticket with it; the
//     review stays as it is and the reviewer is emailed the request.
func Decide(r Report, t Ticket, d Decision, p Policy, now time.Time) (Consequence, error) {
	p = p.WithDefaults()
	if err := ValidateDecision(t, d, r.Reasons(), p.MaxReviewerRounds); err != nil {
		return Consequence{}, err
	}
	switch d.Outcome {
	case DecideReinstate:
		return Closing(OutcomeReinstated, "", nil, false, p, now), nil
	case DecideRemove:
		return Closing(OutcomeRemoved, GroundGuidelineViolation, d.UpheldReasons, false, p, now), nil
	}
	return Consequence{ReportStatus: ReportAwaitingReviewer, TicketStatus: TicketWaitingForReviewer,
		Round: t.Rounds + 1, ReviewerDeadline: now.Add(p.ReviewerActionWindow), Told: Told{Reviewer: true}}, nil
}

// CloseForNoProof is the automated removal of P6 when no proof came within
// the proof window: the report, still awaiting proof, closes removed on
// ground no_proof_provided upholding no_genuine_experience; the review is
// removed; the reviewer gets a statement of reasons saying no person
// decided, and may appeal. A report no longer awaiting proof (the proof
// won the race, or it closed already) is an error: nothing is removed.
func CloseForNoProof(r Report, p Policy, now time.Time) (Consequence, error) {
	if r.Status != ReportAwaitingProof {
		return Consequence{}, fmt.Errorf("close for no proof: report %s is %s, not awaiting proof", r.ID, r.Status)
	}
	return Closing(OutcomeRemoved, GroundNoProofProvided, []Reason{ReasonNoGenuineExperience}, true, p, now), nil
}

// AppealConsequence is what an appeal's decision changes (DSA Art. 20).
type AppealConsequence struct {
	// Result is the report's outcome after the appeal; Reversed whether it
	// changed.
	Result   Outcome
	Reversed bool
	// Ground and UpheldReasons are the report's after a reversal: a removal
	// on ground guideline_violation with the reasons the appeal upholds, or
	// a reinstatement with neither.
	Ground        string
	UpheldReasons []Reason
	// From and Visibility are the review's visibility before and after a
	// reversal ("" when the first decision stands).
	From, Visibility Visibility
	// Uncounted and Counted: a reversal moves one report from the
	// contested outcome's counters to the result's.
	Uncounted, Counted Outcome
	// Statement is the statement of reasons of a removal decided on appeal.
	Statement *Statement
	// Told is who is emailed: the appellant always, and the other party as
	// WhoIsTold says of the result (so the business is not emailed when a
	// reviewer's appeal of a removal fails). No appeal window opens: the
	// appeal's decision is final within the platform.
	Told Told
}

// DecideAppeal checks an agent's decision d on appeal a of report r
// (ValidateAppealDecision) and returns its consequence: uphold keeps the
// first decision; reverse publishes a removed review or removes a
// reinstated one upholding d.UpheldReasons, with a statement of reasons
// marked as decided on appeal.
func DecideAppeal(a Appeal, r Report, d AppealDecision) (AppealConsequence, error) {
	if err := ValidateAppealDecision(a, d, r.Reasons()); err != nil {
		return AppealConsequence{}, err
	}
	a.Decision = d
	c := AppealConsequence{Result: a.Result(), Reversed: d.Outcome == AppealReverse}
	c.Told = WhoIsToldOfAppeal(a.Appellant, c.Result, c.Reversed)
	if !c.Reversed {
		return c, nil
	}
	c.Uncounted, c.Counted = a.Contested, c.Result
	c.From, c.Visibility = Removed, Published
	if c.Result == OutcomeRemoved {
		c.From, c.Visibility = Published, Removed
		c.Ground, c.UpheldReasons = GroundGuidelineViolation, slices.Clone(d.UpheldReasons)
		c.Statement = &Statement{Reasons: c.UpheldReasons, Ground: c.Ground, OnAppeal: true, DecidedAt: d.At}
	}
	return c, nil
}

// WhoIsToldOfAppeal is who is emailed about an appeal's decision: the
// appellant, and the other party as WhoIsTold says of the result — the
// reviewer gets a statement of reasons only when the appeal removes the
// review (a reversal of a reinstatement).
func WhoIsToldOfAppeal(appellant Party, result Outcome, reversed bool) Told {
	t := WhoIsTold(result)
	t.StatementOfReasons = reversed && result == OutcomeRemoved
	switch appellant {
	case PartyBusiness:
		t.Business = true
	case PartyReviewer:
		t.Reviewer = true
	}
	return t
}
