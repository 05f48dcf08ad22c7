package app

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// The values the ports carry: what the use cases write and read in one call.

// Page asks for one page of a list.
type Page struct {
	Limit  int    // 1..100
	Cursor string // "" for the first page; otherwise a NextCursor of the same list
}

// Idempotency is an accepted request's Idempotency-Key, written in the same
// transaction as the change the request makes, so that a change and the
// memory of its key are one. The HTTP layer completes it with the response
// (status and body) once it is written.
type Idempotency struct {
	Scope       string // who used the key, e.g. "business:b1:user-7"
	Key         string
	RequestHash string // hash of method, path and body
	// Resource is the id of the object the request created or changed, so a
	// replay can show it even if the response was never stored.
	Resource  string
	Status    int    // the first response's status (0 until completed)
	Body      []byte // the first response's body (nil until completed)
	CreatedAt time.Time
	ExpiresAt time.Time // when the key is forgotten (TTL)
}

// Logical names of the state machines (template.yaml's, without prefix).
const (
	MachineFindReviewer  = "find-reviewer"
	MachineInvestigation = "investigation"
)

// WorkflowStart is a state machine execution that must be started. It is
// written in the same transaction as the object it serves, deleted by the
// execution's first task, and re-driven by the sweeper when starting failed,
// so nothing accepted waits forever for its workflow.
type WorkflowStart struct {
	Machine string // MachineFindReviewer, MachineInvestigation, MachineSanction or MachineAppeal
	Name    string // execution name, derived from the object id (idempotent start)
	Input   string // JSON: ids, enums and window lengths only (P12)
	At      time.Time
}

// workflowInput renders an execution's input. Inputs are plain structs of
// ids and numbers, which always marshal.
func workflowInput(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("workflow input %T: %v", v, err))
	}
	return string(b)
}

// DecisionOutput is what an agent's decision answers the investigation's
// queue task with: enums and numbers only, never the note or message.
type DecisionOutput struct {
	Outcome string `json:"outcome"`
	Kind    string `json:"kind,omitempty"`
	Round   int    `json:"round"`
}

// Link is a reviewer link as stored: only its token's hash.
type Link struct {
	Hash     string
	Purpose  links.Purpose
	ObjectID string // the request (Find Reviewer) or report (proof, evidence, edit, appeal)
	Round    int
	Deadline time.Time // the link works until then
	UsedAt   time.Time // zero until its one submission
	Created  time.Time
	// Draft is the text the reviewer saved before attaching a file ("" if
	// none); DocCount how many documents are recorded through the link.
	Draft    string
	DocCount int
}

// Answer is what a reviewer sent for a report: proof (no_genuine_experience),
// evidence or an edit at an agent's request, or an appeal of a removal.
type Answer struct {
	Kind       string // "proof", "evidence", "edit", "appeal"
	Round      int    // the reviewer-action round it answers (0 for proof and appeals)
	Text       string // proof, evidence or appeal text ("" for an edit)
	NewVersion int    // for an edit: the review version it made
	At         time.Time
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
	TaskToken        string // the task waiting for the reviewer ("" if none)
	Stall            Stall  // the report's workflow, if it stalled ("" State otherwise)
	// Documents is every document a reviewer attached on the report, sent
	// or still being composed, oldest first.
	Documents []ReportDocument
}

// ReportDocument is a reviewer's document as stored: its record and the
// hash of the reviewer link it was attached through (a page lists and
// removes only its own link's documents).
type ReportDocument struct {
	document.Document
	LinkHash string
}

// Answered reports whether the reviewer already sent this kind of answer in round.
func (d ReportDetail) Answered(kind string, round int) bool {
	for _, a := range d.Answers {
		if a.Kind == kind && a.Round == round {
			return true
		}
	}
	return false
}

// ReportFiling is everything one report submission writes, in one transaction.
type ReportFiling struct {
	Report moderation.Report // Report.HidesReview decides whether the review is hidden (P4)
	Ticket moderation.Ticket
	Actor  string
	// ProofDeadline ends the reviewer's proof window of a no_genuine_experience report (P6).
	ProofDeadline time.Time
	Start         WorkflowStart
	Idempotency   *Idempotency
	// Repeat: the review had been reported before (on an earlier version),
	// counted by the reporting signals (the repeatReports signal, docs/misuse.md).
	Repeat bool

	// Rate counts the report in its business's rate window (nil: not counted).
	Rate *RateCount
}

// RequestCreation is everything creating a Find Reviewer request writes.
type RequestCreation struct {
	Request     moderation.FindRequest
	Start       WorkflowStart
	Actor       string
	Idempotency *Idempotency

	// ReviewVersion is the review's version the request is made on: the
	// store records it as the review's last requested version, on condition
	// that no request was made on that version before (P9).
	ReviewVersion int
	// Rate counts the request in its business's rate window (nil: not counted).
	Rate *RateCount
}

// RequestReopening is the business's manual reminder (P11).
type RequestReopening struct {
	Request     moderation.FindRequest // as read (expired)
	Deadline    time.Time
	Start       WorkflowStart
	Actor       string
	At          time.Time
	Idempotency *Idempotency
}

// Closure is the end of a report: its outcome applied to the report, its
// ticket and its review, in one transaction.
type Closure struct {
	Report moderation.Report // as read; its status is the condition
	Ticket moderation.Ticket // as read
	// Consequence is what the closure writes (moderation.Closing,
	// moderation.CloseForNoProof): outcome, ground, upheld reasons, the
	// review's visibility, the counters and the statement of reasons.
	Consequence moderation.Consequence
	Actor       string
	At          time.Time
	// Claim and Link, for a closure a task writes: the statement of
	// reasons' email claimed and its appeal link created in the same write.
	Claim *Claim
	Link  *Link
	// AppealDeadline, for a closure that tells the party it went against in
	// the same write: the end of their appeal window.
	AppealDeadline time.Time
	// Events are the webhook events of the closure, written with it.
	Events []Event
}

// TicketDecision is an agent's decision as one transaction: the decision on
// the ticket and, for reinstate or remove, the report closed and the review
// published or removed — so the outcome never waits for a workflow; for a
// reviewer-action request, the report waits for the reviewer until
// Consequence.ReviewerDeadline. The store writes Consequence
// (moderation.Decide) as given.
type TicketDecision struct {
	Ticket      moderation.Ticket // as read: in progress, held by the agent
	Report      moderation.Report // as read
	Decision    moderation.Decision
	Consequence moderation.Consequence
	Idempotency *Idempotency
}

// ReplySubmission is a reviewer's reply to a Find Reviewer request through a link.
type ReplySubmission struct {
	TokenHash string
	Request   moderation.FindRequest
	Reply     string
	At        time.Time
}

// AnswerSubmission is a reviewer's answer through a link of a report.
type AnswerSubmission struct {
	TokenHash string
	Report    moderation.Report // as read: awaiting_proof or awaiting_reviewer
	Ticket    moderation.Ticket // as read: waiting_for_reviewer
	Round     int               // the round the link belongs to
	Answer    Answer
	// Marker is how the ticket returns to the queue (moderation.AnswerMarker).
	Marker string
	// Edit, for an edit request: the review's new version and the version it replaces.
	Edit        *moderation.Review
	EditVersion *moderation.ReviewVersion
	PrevVersion int
	// Documents are the link's arrived, unsent documents the answer
	// carries: the same transaction marks them sent with it.
	Documents []ReportDocument
}

// ReportStats are a business's reporting counters, kept by the same
// transactions that change its reports, so reading them is one item.
type ReportStats struct {
	Total     int
	ByStatus  map[moderation.ReportStatus]int
	ByOutcome map[moderation.Outcome]int
	ByReason  map[moderation.Reason]int
	ByStars   map[int]int
}

// Ledger is an object's email ledger as read: email key (e.g. "request:0",
// "removed") → entry ("sent:<message id>", or "claimed:<time>" while an
// attempt sends it; "claimed:" once an attempt gave it up). It lives on the
// object's own item, so the read that loads the object loads it too.
type Ledger map[string]string

// Claim claims an email key in the write a task makes anyway: the write
// sets the entry to Value on the condition that it still is Prev (as read;
// "" when absent), so of two attempts only one sends.
type Claim struct {
	Key   string
	Prev  string
	Value string
}

// Stall is a workflow stopped at a failed step, recorded on its object so
// ops and compliance see it; a redrive of the execution clears it.
type Stall struct {
	State     string    // the state whose task failed
	Error     string    // the error name (never a message: no personal data)
	Redrive   int       // the execution's redrive count when it stalled
	Execution string    // the execution's name
	At        time.Time // when it stalled
}

// CaseIDs name the objects of an investigation; its execution carries them,
// so a task reads them all in one call.
type CaseIDs struct {
	ReportID   string `json:"reportId"`
	TicketID   string `json:"ticketId"`
	ReviewID   string `json:"reviewId"`
	BusinessID string `json:"businessId"`
}

// InvestigationCase is everything an investigation task reads, in one call.
type InvestigationCase struct {
	ReportDetail // the report item's fields (without trail and answers)
	Ticket       moderation.Ticket
	Decision     moderation.Decision
	TicketToken  string
	Review       moderation.Review
	Business     moderation.Business
	Ledger       Ledger // the report's
	Stall        Stall  // the report's ("" State when not stalled)
	// Appeal is the appeal of the report's decision ("" ID when none was
	// filed), and AppealTaskToken the task waiting for its decision.
	Appeal          moderation.Appeal
	AppealTaskToken string
}

// RequestIDs name the objects of a Find Reviewer request; its execution
// carries them, so a task reads them all in one call.
type RequestIDs struct {
	RequestID  string `json:"requestId"`
	ReviewID   string `json:"reviewId"`
	BusinessID string `json:"businessId"`
	// TicketID is set by the reply machine for the execution that tells of
	// a decision on a reply ticket ("" for a reply notice).
	TicketID string `json:"ticketId,omitempty"`
}

// RequestCase is everything a Find Reviewer task reads, in one call.
type RequestCase struct {
	Request   moderation.FindRequest
	TaskToken string
	Review    moderation.Review
	Business  moderation.Business
	Ledger    Ledger // the request's
	Stall     Stall  // the request's
}

// ObjectKind names the objects that keep an email ledger and can stall.
type ObjectKind string

// The objects with a ledger: a Find Reviewer request, a report, and a
// review (the emails about its reply).
const (
	ObjectRequest ObjectKind = "request"
	ObjectReport  ObjectKind = "report"
	ObjectReview  ObjectKind = "review"
)

// ObjectKey names one such object.
type ObjectKey struct {
	Kind ObjectKind
	ID   string
}

// Step is one workflow task's write on its object, as one transaction: a
// condition on the object's state, the task token to keep, the deadline to
// move, the email to claim, the link to create and the recorded workflow
// start to clear — whichever the task needs. It fails with
// moderation.ErrChanged when the object is not as the task read it.
type Step struct {
	Object ObjectKey
	// Status and Round: the object must still be in this status and round
	// ("" Status: no condition but that it exists).
	Status string
	Round  int
	Token  string // the task token to keep ("" keeps what is there)
	// Deadline moves the object's deadline (a request's, or a report's
	// reviewer deadline) when not zero.
	Deadline time.Time
	Claim    *Claim
	// MoreClaims are the claims of further emails the task sends after the
	// first (sendonce.StepAll): claimed in the same write, each on its own
	// condition.
	MoreClaims []*Claim
	// Reminder records that the request's automatic ("auto") or manual
	// ("manual") reminder goes out now.
	Reminder  string
	Link      *Link
	StartDone string // the execution whose recorded start to clear
	// AppealDeadline opens the appeal window of a report's decision when not
	// zero: the party it went against is told now.
	AppealDeadline time.Time
	At             time.Time
	// Events are the webhook events of the step, written with it.
	Events []Event
}

// StalledWorkflow is a workflow stopped at a failed step, as ops list them.
type StalledWorkflow struct {
	Object ObjectKey
	Stall  Stall
}
