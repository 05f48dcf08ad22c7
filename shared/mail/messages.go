package mail

import (
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// Recipient is who an email goes to. For a reviewer it is personal data
// (P12): [Sender.Send] puts it in the SES destination only, never in an
// error, and the rendered email does not contain it.
type Recipient struct {
	Address string // the email address, 7-bit ASCII as SES requires
	Name    string // display name; may be ""
	Locale  string // any language tag; see [NormalizeLocale]
}

// Message is one of the emails of this package: [FindReviewerRequest],
// [FindReviewerReminder], [ReviewReported], [ProofRequest],
// [ComplianceRequest], [ReviewRemoved], [ReviewerReplied], [RequestExpired]
// or [ReviewReinstated]. Pointers to them are Messages too. Other packages
// cannot add Messages: every email needs its texts in every locale here.
type Message interface {
	// Name is the email's name in snake case, e.g. "proof_request": the same
	// for every locale and free of personal data, for logs and metrics.
	Name() string
	build(b *builder)
}

// The kinds of [ComplianceRequest].
const (
	KindEvidence = "evidence" // the reviewer is asked for more information or proof
	KindEdit     = "edit"     // the reviewer is asked to change the review
)

// FindReviewerRequest goes to the reviewer when a business uses Find Reviewer
// on their review (P9): the business's message, the reply link and the
// deadline of the reply window (P10). The review stays online.
type FindReviewerRequest struct {
	BusinessName string
	ReviewTitle  string // may be "": reviews need no title
	Message      string // the business's message, shown as text
	ReplyURL     string // the reviewer's reply page, under the base URL
	Deadline     time.Time
}

// FindReviewerReminder goes to the reviewer when a Find Reviewer request has
// had no reply after the reminder delay (Manual false, P10), or when the
// business sends its one manual reminder after the request expired, which
// reopens it (Manual true, P11). It repeats the business's message.
type FindReviewerReminder struct {
	BusinessName string
	ReviewTitle  string // may be ""
	Message      string // the business's original message
	ReplyURL     string
	Deadline     time.Time // the end of the (possibly reopened) window
	Manual       bool      // sent by the business (P11) rather than by the schedule
}

// ReviewReported goes to the reviewer when a business reports their review:
// the review is hidden while it is investigated (P4) and the business's
// public statement (P3) is shown in its place. With HidePolicy=harmful_only
// a report may leave the review online: Hidden says which.
type ReviewReported struct {
	BusinessName    string
	ReviewTitle     string // may be ""
	PublicStatement string
	Hidden          bool // the review is hidden while it is investigated
}

// ProofRequest goes to the reviewer when their review is reported with
// reason no_genuine_experience (P6): they are asked to show their
// experience through the link before the deadline, or the review is removed.
type ProofRequest struct {
	BusinessName string
	ReviewTitle  string // may be ""
	ReplyURL     string
	Deadline     time.Time
}

// ComplianceRequest goes to the reviewer when a compliance agent decides
// request_reviewer_action (P7): Kind [KindEvidence] asks for information or
// proof, [KindEdit] asks for an edit of the review; Message is the agent's
// explanation.
type ComplianceRequest struct {
	Kind         string // KindEvidence or KindEdit
	BusinessName string
	ReviewTitle  string // may be ""
	Message      string // the agent's message, shown as text
	ReplyURL     string
	Deadline     time.Time
}

// ReviewRemoved goes to the reviewer when a report closes with outcome
// removed (P8): the statement of reasons. It names the reasons (the report's
// reason codes, shown by their names in the catalogue), the facts relied on,
// who decided (a person, for [moderation.GroundAgentDecision]; the absence of
// proof within the window, for [moderation.GroundNoProofProvided]) and how to
// appeal. The business is not emailed about a removal.
type ReviewRemoved struct {
	BusinessName string
	ReviewTitle  string              // may be ""
	Reasons      []moderation.Reason // at least one, each a known reason
	Facts        string              // the facts relied on; required for agent_decision, optional for no_proof_provided
	Ground       string              // moderation.GroundAgentDecision or moderation.GroundNoProofProvided
	DecidedAt    time.Time
	AppealURL    string
}

// ReviewerReplied goes to the business when the reviewer answers its Find
// Reviewer request (P10). The reply is not in the email: the business reads
// it through RequestURL (P12 keeps the reviewer's data out of emails).
type ReviewerReplied struct {
	BusinessName string // the business the email goes to, named in the subject and the first line
	ReviewTitle  string // may be ""
	RequestURL   string // the request, as the business reads it
}

// RequestExpired goes to the business when the reply window of its Find
// Reviewer request closes without a reply (P10). CanRemind says whether the
// one manual reminder (P11) is still available.
type RequestExpired struct {
	BusinessName string // the business the email goes to, named in the subject and the first line
	ReviewTitle  string // may be ""
	RequestURL   string
	CanRemind    bool
}

// ReviewReinstated goes to the business, at its account's notification
// address, when its report closes with outcome reinstated (P8).
type ReviewReinstated struct {
	BusinessName string // the business the email goes to, named in the subject and the first line
	ReviewTitle  string // may be ""
	ReportURL    string // the report, as the business reads it
}

// Name returns "find_reviewer_request".
func (FindReviewerRequest) Name() string { return "find_reviewer_request" }

// Name returns "find_reviewer_reminder".
func (FindReviewerReminder) Name() string { return "find_reviewer_reminder" }

// Name returns "review_reported".
func (ReviewReported) Name() string { return "review_reported" }

// Name returns "proof_request".
func (ProofRequest) Name() string { return "proof_request" }

// Name returns "compliance_request".
func (ComplianceRequest) Name() string { return "compliance_request" }

// Name returns "review_removed".
func (ReviewRemoved) Name() string { return "review_removed" }

// Name returns "reviewer_replied".
func (ReviewerReplied) Name() string { return "reviewer_replied" }

// Name returns "request_expired".
func (RequestExpired) Name() string { return "request_expired" }

// Name returns "review_reinstated".
func (ReviewReinstated) Name() string { return "review_reinstated" }
