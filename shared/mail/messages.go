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
// [ComplianceRequest], [ReviewRemoved], [ReviewerReplied], [RequestExpired],
// [ReviewReinstated], [ReviewReinstatedForReviewer], [AppealDecided],
// [ReplyPublished] or [AnswerReceived].
// Pointers to them are Messages too. Other packages cannot add Messages:
// every email needs its texts in every locale here.
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
	TimeZone     string // IANA zone the reader sees dates in; empty: the language's usual zone
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
	TimeZone     string    // IANA zone the reader sees dates in; empty: the language's usual zone
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
	TimeZone     string // IANA zone the reader sees dates in; empty: the language's usual zone
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
	TimeZone     string // IANA zone the reader sees dates in; empty: the language's usual zone
}

// ReviewRemoved goes to the reviewer when a report closes with outcome
// removed (P8), or when an appeal reverses a reinstatement: the statement of
// reasons (DSA Art. 17). It names the reasons the decision upholds (shown by
// their names in the catalogue) as the reasons the review was removed for,
// the ground, the facts relied on, who decided and whether the decision was
// automated, and the redress: the internal appeal with its link and deadline
// (not after a decision on appeal, which is final within Candor), and
// always the out-of-court dispute settlement (DSA Art. 21) and the courts.
// The business is not emailed about a removal.
//
// Automated is the no-proof removal after the proof window: no person
// decided it, and the email says so (and that no automated means detected
// the review: a business reported it). OnAppeal is a removal decided on the
// business's appeal against a reinstatement, by a person not involved in
// the first decision; it has no AppealURL and no AppealDeadline.
type ReviewRemoved struct {
	BusinessName   string
	ReviewTitle    string              // may be ""
	Reasons        []moderation.Reason // the reasons the decision upholds: at least one, each a known reason
	Facts          string              // the facts relied on; required for guideline_violation, optional for no_proof_provided
	Ground         string              // moderation.GroundGuidelineViolation or moderation.GroundNoProofProvided
	Automated      bool                // decided without a person (the no-proof removal); needs Ground no_proof_provided and not OnAppeal
	DecidedAt      time.Time
	OnAppeal       bool      // decided on the business's appeal: final within Candor
	AppealURL      string    // the reviewer's appeal page; required unless OnAppeal, "" then
	AppealDeadline time.Time // the end of the appeal window; required unless OnAppeal, zero then
	TimeZone       string    // IANA zone the reader sees dates in; empty: the language's usual zone
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
// address, when its report closes with outcome reinstated (P8), or when the
// reviewer's appeal reverses the removal (OnAppeal: decided by a person not
// involved in the first decision, final within Candor). It names the
// redress: an appeal through the report until its deadline (not OnAppeal) and the out-of-court
// dispute settlement.
type ReviewReinstated struct {
	BusinessName string // the business the email goes to, named in the subject and the first line
	ReviewTitle  string // may be ""
	ReportURL    string // the report, as the business reads it
	OnAppeal     bool   // reinstated on the reviewer's appeal
	// AppealDeadline is until when the business may appeal the decision
	// (required unless OnAppeal: an appeal's decision is final).
	AppealDeadline time.Time
	TimeZone       string // IANA zone the reader sees dates in; empty: the language's usual zone
}

// ReviewReinstatedForReviewer goes to the reviewer when their review is
// public again: after the investigation of the business's report, or
// (OnAppeal) after their appeal, when a person not involved in the first
// decision reversed the removal.
type ReviewReinstatedForReviewer struct {
	BusinessName string
	ReviewTitle  string // may be ""
	OnAppeal     bool   // reinstated on the reviewer's appeal
}

// The appellants of [AppealDecided].
const (
	AppellantReviewer = "reviewer" // the reviewer appealed a removal
	AppellantBusiness = "business" // the business appealed a reinstatement
)

// The outcomes of [AppealDecided].
const (
	AppealUpheld   = "upheld"   // the first decision stands
	AppealReversed = "reversed" // the first decision is reversed
)

// AppealDecided tells a party the outcome of an appeal, decided by a person
// not involved in the first decision. The combinations it is sent for are:
//
//	Appellant  ToAppellant  Outcome   to            says
//	reviewer   true         upheld    the reviewer  the review stays removed
//	business   true         upheld    the business  the review stays online
//	business   false        upheld    the reviewer  the business's appeal was rejected: the review stays online
//	business   true         reversed  the business  the review is removed
//
// Every other combination is invalid: a reversed removal is told by
// [ReviewReinstatedForReviewer] and [ReviewReinstated] with OnAppeal, a
// reversed reinstatement to the reviewer by [ReviewRemoved] with OnAppeal,
// and the business is not emailed when a removal stands. The appellant's
// email shows the facts (the agent's note), says the decision is final
// within Candor and names the out-of-court dispute settlement.
type AppealDecided struct {
	Appellant    string // AppellantReviewer or AppellantBusiness: who appealed
	ToAppellant  bool   // the email goes to the appellant; false: to the other party
	Outcome      string // AppealUpheld or AppealReversed
	BusinessName string
	ReviewTitle  string // may be ""
	Facts        string // the agent's note; required when ToAppellant, not shown otherwise
	DecidedAt    time.Time
	ReportURL    string // the report, as the business reads it: required when the business receives the email, "" when the reviewer does
	TimeZone     string // IANA zone the reader sees dates in; empty: the language's usual zone
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

// Name returns "review_reinstated_reviewer".
func (ReviewReinstatedForReviewer) Name() string { return "review_reinstated_reviewer" }

// Name returns "appeal_decided".
func (AppealDecided) Name() string { return "appeal_decided" }

// ReplyPublished goes to the reviewer when the business publishes a reply to
// their review (Edited false), or changes it at least a day after the last
// such email (Edited true): the reply's text, a link to the review's public
// page and a link to report it. It is the one
// reviewer email they can stop with one click: [Sender.SendUnsubscribable]
// sends it with List-Unsubscribe headers (RFC 8058) pointing at
// UnsubscribeURL, which the email also shows.
type ReplyPublished struct {
	BusinessName   string
	ReviewTitle    string // may be ""
	Reply          string // the business's reply, shown as text
	Edited         bool
	PublicURL      string // the review's public page, under the base URL
	ReportURL      string // the reviewer's page to report the reply (a single-use link)
	UnsubscribeURL string // stops these emails, under the base URL
}

func (ReplyPublished) Name() string { return "reply_published" }
