// Package api is Candor's HTTP API (SPEC.md "HTTP API (v1)") as one
// http.Handler: the platform, business and public endpoints. It orchestrates
// the domain rules (package moderation) and the store; it knows nothing of
// Lambda — functions/api adapts it to API Gateway, the local stack serves it
// through the same adapter.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// Store is what the API needs of the table.
type Store interface {
	PutBusiness(ctx context.Context, b moderation.Business) (moderation.Business, bool, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	ReviewContext(ctx context.Context, id string) (moderation.ReviewContext, error)
	CreateReview(ctx context.Context, r moderation.Review, v moderation.ReviewVersion, actor string) error
	UpdateReview(ctx context.Context, r moderation.Review, prevVersion int, v *moderation.ReviewVersion, actor string) error
	ListReviews(ctx context.Context, businessID string, p store.Page) ([]moderation.Review, string, error)
	SubmitReport(ctx context.Context, sub store.ReportSubmission) error
	GetReport(ctx context.Context, id string) (moderation.Report, []moderation.AuditEntry, error)
	ListReports(ctx context.Context, businessID string, status moderation.ReportStatus, p store.Page) ([]moderation.Report, string, error)
	EachReport(ctx context.Context, businessID string, fn func(moderation.Report)) error
	LookupIdempotency(ctx context.Context, rec store.IdempotencyRecord, now time.Time) error
	CreateRequest(ctx context.Context, c store.RequestCreation) error
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	ListRequests(ctx context.Context, businessID string, p store.Page) ([]moderation.FindRequest, string, error)
	ReopenRequest(ctx context.Context, ro store.RequestReopening) error
	ListTickets(ctx context.Context, status moderation.TicketStatus, p store.Page) ([]moderation.Ticket, string, error)
	GetTicket(ctx context.Context, id string) (moderation.Ticket, error)
	TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, error)
	ReportDetail(ctx context.Context, id string) (store.ReportDetail, error)
	ReviewVersions(ctx context.Context, id string) ([]moderation.ReviewVersion, error)
	ReviewAudit(ctx context.Context, id string) ([]moderation.AuditEntry, error)
	TicketDecision(ctx context.Context, id string) (moderation.Decision, string, error)
	ClaimTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *store.IdempotencyRecord) error
	DecideTicket(ctx context.Context, t moderation.Ticket, r moderation.Report, d moderation.Decision, reviewerDeadline time.Time, idem *store.IdempotencyRecord) error
}

// Windows are the policy windows of SPEC.md (deployment parameters).
type Windows struct {
	Reply            time.Duration // Find Reviewer reply window (P10), default 5 days
	ReminderAfter    time.Duration // Find Reviewer reminder delay (P10), default 3 days
	ReviewerResponse time.Duration // proof (P6) and reviewer-action (P7) window, default 7 days
}

// withDefaults fills every unset window with SPEC.md's default.
func (w Windows) withDefaults() Windows {
	if w.Reply == 0 {
		w.Reply = DefaultWindows.Reply
	}
	if w.ReminderAfter == 0 {
		w.ReminderAfter = DefaultWindows.ReminderAfter
	}
	if w.ReviewerResponse == 0 {
		w.ReviewerResponse = DefaultWindows.ReviewerResponse
	}
	return w
}

// DefaultWindows are SPEC.md's defaults.
var DefaultWindows = Windows{Reply: 5 * 24 * time.Hour, ReminderAfter: 3 * 24 * time.Hour, ReviewerResponse: 7 * 24 * time.Hour}

var _ Store = (*store.Store)(nil)

// Config wires the API.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Policy moderation.Policy
	Logger *slog.Logger
	// Starter starts workflows at once (nil: leave them to the sweeper).
	Starter Starter
	// Answerer wakes the report workflow on an agent's decision (nil: the
	// workflow's next queue task finds it).
	Answerer Answerer
	Windows  Windows
}

// API serves Candor's HTTP API.
type API struct {
	store    Store
	clock    clock.Clock
	policy   moderation.Policy
	log      *slog.Logger
	router   *httpapi.Router
	starter  Starter
	answerer Answerer
	windows  Windows
}

// New builds the API and its routes.
func New(cfg Config) *API {
	a := &API{store: cfg.Store, clock: cfg.Clock, policy: cfg.Policy, log: cfg.Logger, router: httpapi.NewRouter(),
		starter: cfg.Starter, answerer: cfg.Answerer, windows: cfg.Windows}
	a.windows = a.windows.withDefaults()
	if a.clock == nil {
		a.clock = clock.System{}
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	platform := []string{httpapi.RolePlatform}
	compliance := []string{httpapi.RoleCompliance}
	business := []string{httpapi.RoleBusiness}
	rt := a.router
	rt.Handle("GET /healthz", nil, a.healthz)
	rt.Handle("PUT /v1/platform/businesses/{businessId}", platform, a.putBusiness)
	rt.Handle("PUT /v1/platform/reviews/{reviewId}", platform, a.putReview)
	rt.Handle("GET /v1/reviews", business, a.listReviews)
	rt.Handle("GET /v1/reviews/{reviewId}", business, a.getReview)
	rt.Handle("POST /v1/reviews/{reviewId}/reports", business, a.submitReport)
	rt.Handle("GET /v1/reports", business, a.listReports)
	rt.Handle("GET /v1/reports/summary", business, a.reportSummary)
	rt.Handle("GET /v1/reports/{reportId}", business, a.getReport)
	rt.Handle("POST /v1/reviews/{reviewId}/reviewer-requests", business, a.createRequest)
	rt.Handle("GET /v1/reviewer-requests", business, a.listRequests)
	rt.Handle("GET /v1/reviewer-requests/{requestId}", business, a.getRequest)
	rt.Handle("POST /v1/reviewer-requests/{requestId}/reminders", business, a.remind)
	rt.Handle("GET /v1/compliance/tickets", compliance, a.listTickets)
	rt.Handle("GET /v1/compliance/tickets/{ticketId}", compliance, a.getTicket)
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/claim", compliance, a.claim)
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/decision", compliance, a.decide)
	rt.Handle("GET /v1/public/reviews/{reviewId}", nil, a.publicReview)
	return a
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// Routes lists the API's routes with the roles they admit (none = public).
func (a *API) Routes() []httpapi.Route { return a.router.Routes() }

func (a *API) healthz(w http.ResponseWriter, _ *http.Request, _ httpapi.Principal) {
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
