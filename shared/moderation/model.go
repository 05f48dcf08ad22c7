package moderation

import "time"

// Source says how a review came to be written; it decides whether Find
// Reviewer (P9) and the reason no_genuine_experience (P5) are available.
type Source string

// The review sources.
const (
	SourceOrganic         Source = "organic"
	SourceInvitedPlatform Source = "invited_platform"
	SourceInvitedOther    Source = "invited_other"
)

// Valid reports whether s is one of the known sources.
func (s Source) Valid() bool {
	switch s {
	case SourceOrganic, SourceInvitedPlatform, SourceInvitedOther:
		return true
	}
	return false
}

// Visibility is what the public sees of a review.
type Visibility string

// The review visibilities.
const (
	Published          Visibility = "published"
	UnderInvestigation Visibility = "under_investigation"
	Removed            Visibility = "removed"
)

// Locales the emails and pages are written in; anything else falls back to LocaleEN.
const (
	LocaleEN = "en"
	LocaleSV = "sv"
	LocaleDE = "de"
)

// Business is a company with an account on the platform.
type Business struct {
	ID                string
	Name              string
	NotificationEmail string // the account address; personal data of the business only
	Locale            string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	// Webhooks is how many webhooks the business has registered: the
	// workflow tasks record webhook events only when it is not zero.
	Webhooks int
	// Domains are the business's own web domains: links to them (and their
	// subdomains) in its replies stay links; others are defanged.
	Domains []string
}

// Reviewer is the author of a review. It is personal data (P12): it never
// reaches a business, a log line or a state machine payload.
type Reviewer struct {
	Email  string
	Name   string
	Locale string
	// TimeZone is the IANA time zone the reviewer reads dates in
	// ("Europe/Stockholm"), or "" when the platform did not say: pages and
	// emails then use the locale's usual zone.
	TimeZone string
}

// Review is the current version of a review together with its moderation state.
type Review struct {
	ID             string
	BusinessID     string
	Version        int // starts at 1, +1 for every edit by the reviewer
	Reviewer       Reviewer
	Stars          int
	Title          string
	Text           string
	Source         Source
	ExperienceDate string // YYYY-MM-DD
	Visibility     Visibility

	// OpenReportID is the report currently open on this review ("" if none).
	OpenReportID string
	// LastReportedVersion is the highest version a report was made on (0 if never).
	LastReportedVersion int
	// OpenRequestID is the Find Reviewer request awaiting a reply ("" if none).
	OpenRequestID string
	// LastRequestedVersion is the highest version a Find Reviewer request was
	// made on (0 if never): one request per version (P9).
	LastRequestedVersion int
	// PublicStatement is the statement of the latest report, shown in the review's
	// place while it is under investigation; ReportedAt is when that report was made.
	PublicStatement string
	ReportedAt      time.Time

	// Reply is the business's public reply (Status ReplyNone when it never replied).
	Reply Reply

	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReviewVersion is one version of a review's content, kept so compliance can
// see every version and what changed.
type ReviewVersion struct {
	Version        int
	Stars          int
	Title          string
	Text           string
	ExperienceDate string
	At             time.Time
	By             string // VersionByPlatform or VersionByReviewer
}

// Who made a review version: the platform registering the review (version 1),
// or the reviewer editing it (every later version).
const (
	VersionByPlatform = "platform"
	VersionByReviewer = "reviewer"
)

// Scope says what part of a review a report item is about.
type Scope string

// The report scopes.
const (
	ScopeContent  Scope = "content"
	ScopeReview   Scope = "review"
	ScopeReviewer Scope = "reviewer"
)

// Reason is why a business believes a review breaks the guidelines.
type Reason string

// The reasons of docs/product.md, by scope.
const (
	ReasonOffensiveOrHarmful  Reason = "offensive_or_harmful"
	ReasonPersonalInformation Reason = "personal_information"
	ReasonPromotional         Reason = "promotional"
	ReasonRightsViolation     Reason = "rights_violation"

	ReasonSpam               Reason = "spam"
	ReasonWrongCompany       Reason = "wrong_company"
	ReasonExperienceTooOld   Reason = "experience_too_old"
	ReasonEthicalOrPolitical Reason = "ethical_or_political"

	ReasonCompetitor          Reason = "competitor"
	ReasonMultipleProfiles    Reason = "multiple_profiles"
	ReasonNoGenuineExperience Reason = "no_genuine_experience"
)

// ReportItem is one reason of a report.
type ReportItem struct {
	Scope   Scope
	Reason  Reason
	Details string
	Excerpt string // only for ScopeContent: a verbatim passage of the reported version
}

// ReportStatus is where a report stands in its workflow.
type ReportStatus string

// The report statuses.
const (
	ReportSubmitted        ReportStatus = "submitted"
	ReportAwaitingProof    ReportStatus = "awaiting_proof"
	ReportInQueue          ReportStatus = "in_queue"
	ReportAwaitingReviewer ReportStatus = "awaiting_reviewer"
	ReportClosed           ReportStatus = "closed"
)

// Outcome is how a closed report ended.
type Outcome string

// The report outcomes.
const (
	OutcomeNone       Outcome = ""
	OutcomeReinstated Outcome = "reinstated"
	OutcomeRemoved    Outcome = "removed"
)

// Grounds for an outcome.
const (
	GroundNoProofProvided    = "no_proof_provided"
	GroundGuidelineViolation = "guideline_violation"
)

// Report is a business's report on one version of a review.
type Report struct {
	ID            string
	BusinessID    string
	ReviewID      string
	ReviewVersion int
	ReviewStars   int // the stars of the reported version, for the reporting summary
	// ReviewDate is when the reported version was published (a statement of
	// reasons' content date).
	ReviewDate time.Time
	Status     ReportStatus
	Outcome    Outcome
	Ground     string
	// UpheldReasons are the reported reasons a removal upholds (an agent's
	// removal names them; the no-proof removal upholds no_genuine_experience).
	UpheldReasons   []Reason
	Items           []ReportItem
	PublicStatement string
	TicketID        string
	HidesReview     bool // whether the submission hid the review (HidePolicy, P4)
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClosedAt        time.Time
	// AppealDeadline ends the window in which the party the outcome went
	// against may appeal; zero until that party is told of the decision.
	AppealDeadline time.Time
	AppealStatus   AppealStatus // "" until appealed
	AppealOutcome  string       // the appeal's decision, once decided
}

// TicketStatus is where a ticket stands in the compliance queue.
type TicketStatus string

// The ticket statuses.
const (
	TicketOpen               TicketStatus = "open"
	TicketInProgress         TicketStatus = "in_progress"
	TicketWaitingForReviewer TicketStatus = "waiting_for_reviewer"
	TicketDecided            TicketStatus = "decided"
)

// Ticket is a report's entry in the compliance queue.
type Ticket struct {
	ID         string
	ReportID   string
	BusinessID string
	ReviewID   string
	Status     TicketStatus
	Assignee   string // the agent holding the ticket ("" if none)
	Rounds     int    // reviewer-action rounds used so far (P7: at most Policy.MaxReviewerRounds)
	Marker     string // why it is back in the queue, e.g. "reviewer_responded", "no_response"
	QueuedAt   time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// FirstClaimedAt is when an agent first claimed it (zero until then).
	FirstClaimedAt time.Time
	// ReviewerDeadline, while it waits for the reviewer, is when their
	// window ends (zero otherwise).
	ReviewerDeadline time.Time

	// Kind is what the ticket is about; a reply ticket has no ReportID and
	// collects the reports on the review's reply (Reports of them, naming
	// ReplyReasons, one of them the reviewer's when ReviewerReported).
	Kind             TicketKind
	Reports          int
	ReplyReasons     []ReplyReason
	ReviewerReported bool
}

// KindOrReview is t's kind, TicketKindReview for a ticket stored before
// kinds existed.
func (t Ticket) KindOrReview() TicketKind {
	if t.Kind == "" {
		return TicketKindReview
	}
	return t.Kind
}

// RequestStatus is where a Find Reviewer request stands.
type RequestStatus string

// The Find Reviewer request statuses.
const (
	RequestAwaitingReply RequestStatus = "awaiting_reply"
	RequestReplied       RequestStatus = "replied"
	RequestExpired       RequestStatus = "expired"
)

// RequestSummary is what the report rules need to know of a Find Reviewer request.
type RequestSummary struct {
	ID     string
	Status RequestStatus
}

// AuditEntry is one state change in an audit trail (P13): who did what, when,
// from which state to which.
type AuditEntry struct {
	At     time.Time
	Actor  string // "business:<id>", "agent:<sub>", "reviewer", "platform", "system"
	Action string // e.g. "report.submitted", "review.hidden", "ticket.opened"
	From   string
	To     string
	Note   string
}

// ReportStatuses returns every report status in workflow order.
func ReportStatuses() []ReportStatus {
	return []ReportStatus{ReportSubmitted, ReportAwaitingProof, ReportInQueue, ReportAwaitingReviewer, ReportClosed}
}

// Valid reports whether s is a known report status.
func (s ReportStatus) Valid() bool {
	for _, k := range ReportStatuses() {
		if s == k {
			return true
		}
	}
	return false
}

// TicketStatuses returns every ticket status in workflow order.
func TicketStatuses() []TicketStatus {
	return []TicketStatus{TicketOpen, TicketInProgress, TicketWaitingForReviewer, TicketDecided}
}

// Valid reports whether s is a known ticket status.
func (s TicketStatus) Valid() bool {
	for _, k := range TicketStatuses() {
		if s == k {
			return true
		}
	}
	return false
}
