package api

// The API's response views, for the end-to-end tests to decode a response
// into the very shape the handler wrote, and assert on its fields.
type (
	ReportView         = reportView
	ReportItemView     = reportItemView
	SummaryView        = summaryView
	ReviewView         = reviewView
	ReviewDetailView   = reviewDetailView
	PlatformReviewView = platformReviewView
	BusinessView       = businessView
	RequestView        = requestView
	TicketView         = ticketView
	TicketDetailView   = ticketDetailView
	AppealView         = appealView
	AppealDetailView   = appealDetailView
	BusinessAppealView = businessAppealView
	SanctionView       = sanctionView
	SanctionListView   = sanctionListView
	StandingView       = standingView
	SignalView         = signalView
	WebhookView        = webhookView
	DeliveryView       = deliveryView
	StallView          = stallView
	AuditView          = auditView
	ReportingView      = reportingView
	FlaggingView       = flaggingView
	ReasonCountView    = reasonCountView
	StarShareView      = starShareView
	InForceView        = inForceView
	ProposalView       = proposalView
	ReplyView          = replyView
	PublicReplyView    = publicReplyView
)

// TicketCaseView is a ticket's detail as GET /v1/compliance/tickets/{id}
// writes it: the ticket, its business's reporting signals and sanctions.
type TicketCaseView struct {
	ticketDetailView
	Reporting reportingView        `json:"reporting"`
	Sanctions sanctionsInForceView `json:"sanctions"`
	Notes     []NoteView           `json:"notes"`
}

// NoteView is an internal note as the compliance routes write it.
type NoteView = noteView

// ListView is a page of a list endpoint.
type ListView[T any] = listView[T]

// PublicStatementView is the business's statement shown in a review's place.
type PublicStatementView = publicStatementView

// PublicReviewView is publicReviewView with its inlined statement under an
// exported name, which encoding/json needs to decode into it.
type PublicReviewView struct {
	Visibility string            `json:"visibility"`
	Review     *publicReviewBody `json:"review,omitempty"`
	*PublicStatementView
	Report *publicStatementView `json:"report,omitempty"`
	Reply  *publicReplyView     `json:"reply,omitempty"`
}

// ReplyTicketCaseView is a reply ticket's detail as GET
// /v1/compliance/tickets/{id} writes it.
type ReplyTicketCaseView struct {
	replyTicketDetailView
	Reporting reportingView        `json:"reporting"`
	Sanctions sanctionsInForceView `json:"sanctions"`
	Notes     []NoteView           `json:"notes"`
}
