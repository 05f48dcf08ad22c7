package api

// The API's response views, for the end-to-end tests to decode a response
// into the very shape the handler wrote, and assert on its fields.
type (
	ReportView         = reportView
	ReportItemView     = reportItemView
	SummaryView        = summaryView
	ReviewView         = reviewView
	ReviewDetailView   = reviewDetailView
	PublicReviewView   = publicReviewView
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
)

// ListView is a page of a list endpoint.
type ListView[T any] = listView[T]
