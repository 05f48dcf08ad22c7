// Package api is Candor's HTTP API (docs/api.md) as one
// http.Handler: the platform, business, compliance and public endpoints.
// Every handler decodes, calls one use case of package app and encodes;
// Idempotency-Key is one piece of middleware. It knows nothing of Lambda —
// functions/api adapts it to API Gateway, the local stack serves it through
// the same adapter.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/dsa"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/webhook"
)

// Keys is what the idempotency middleware needs of the table: the record
// of a key (written by the use case's own transaction) and its completion
// with the first response.
type Keys interface {
	LookupIdempotency(ctx context.Context, scope, key string, now time.Time) (app.Idempotency, bool, error)
	CompleteIdempotency(ctx context.Context, rec app.Idempotency, status int, body []byte) error
}

// Config wires the API.
type Config struct {
	App    *app.App
	Keys   Keys
	Clock  clock.Clock
	Logger *slog.Logger
	// Platform describes the platform in its DSA statements of reasons
	// (zero: dsa.DefaultPlatform, every EEA country).
	Platform dsa.Platform
	// Webhooks, when set, serves /v1/webhooks (docs/webhooks.md).
	Webhooks *webhook.Service
	// Documents, when set, opens reviewers' documents for compliance
	// (GET /v1/compliance/documents/{documentId}); unset, every document
	// is not found.
	Documents *app.Documents
}

// API serves Candor's HTTP API.
type API struct {
	app      *app.App
	keys     Keys
	clock    clock.Clock
	log      *slog.Logger
	router   *httpapi.Router
	platform dsa.Platform
	webhooks *webhook.Service

	documents *app.Documents
}

// New builds the API and its routes.
func New(cfg Config) *API {
	a := &API{app: cfg.App, keys: cfg.Keys, clock: cfg.Clock, log: cfg.Logger, router: httpapi.NewRouter(), platform: cfg.Platform, webhooks: cfg.Webhooks,
		documents: cfg.Documents}
	if len(a.platform.TerritorialScope) == 0 {
		a.platform = dsa.DefaultPlatform()
	}
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
	rt.Handle("PUT /v1/reviews/{reviewId}/reply", business, a.putReply)
	rt.Handle("DELETE /v1/reviews/{reviewId}/reply", business, a.deleteReply)
	rt.Handle("POST /v1/reviews/{reviewId}/reports", business, a.idempotent(http.StatusAccepted, a.submitReport, a.reportAgain))
	rt.Handle("GET /v1/reports", business, a.listReports)
	rt.Handle("GET /v1/reports/summary", business, a.reportSummary)
	rt.Handle("GET /v1/reporting", business, a.reportingStanding)
	rt.Handle("GET /v1/reports/{reportId}", business, a.getReport)
	rt.Handle("POST /v1/reports/{reportId}/appeals", business, a.idempotent(http.StatusCreated, a.fileAppeal, a.businessAppealAgain))
	rt.Handle("POST /v1/reviews/{reviewId}/reviewer-requests", business, a.idempotent(http.StatusAccepted, a.createRequest, a.requestAgain))
	rt.Handle("GET /v1/reviewer-requests", business, a.listRequests)
	rt.Handle("GET /v1/reviewer-requests/{requestId}", business, a.getRequest)
	rt.Handle("POST /v1/reviewer-requests/{requestId}/reminders", business, a.idempotent(http.StatusAccepted, a.remind, a.requestAgain))
	rt.Handle("GET /v1/compliance/tickets", compliance, a.listTickets)
	rt.Handle("GET /v1/compliance/tickets/{ticketId}", compliance, a.getTicket)
	rt.Handle("GET /v1/compliance/workflows/stalled", compliance, a.stalledWorkflows)
	rt.Handle("GET /v1/compliance/metrics", compliance, a.metrics)
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/claim", compliance, a.idempotentRepeatable(http.StatusOK, a.claim, a.claimAgain))
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/release", compliance, a.idempotent(http.StatusOK, a.release, a.claimAgain))
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/notes", compliance, a.idempotent(http.StatusCreated, a.addNote, a.noteAgain))
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/decision", compliance, a.idempotent(http.StatusAccepted, a.decide, a.decisionAgain))
	rt.Handle("GET /v1/compliance/statements", compliance, a.listStatements)
	rt.Handle("GET /v1/compliance/appeals", compliance, a.listAppeals)
	rt.Handle("GET /v1/compliance/appeals/{appealId}", compliance, a.getAppeal)
	rt.Handle("POST /v1/compliance/appeals/{appealId}/claim", compliance, a.idempotentRepeatable(http.StatusOK, a.claimAppeal, a.appealAgain))
	rt.Handle("POST /v1/compliance/appeals/{appealId}/decision", compliance, a.idempotent(http.StatusAccepted, a.decideAppeal, a.appealAgain))
	rt.Handle("POST /v1/compliance/businesses/{businessId}/warnings", compliance, a.idempotent(http.StatusCreated, a.warn, a.sanctionAgain))
	rt.Handle("POST /v1/compliance/businesses/{businessId}/suspensions", compliance, a.idempotent(http.StatusCreated, a.suspend, a.sanctionAgain))
	rt.Handle("GET /v1/compliance/businesses/{businessId}/sanctions", compliance, a.listSanctions)
	rt.Handle("POST /v1/compliance/businesses/{businessId}/sanctions/{sanctionId}/lift", compliance, a.idempotent(http.StatusOK, a.lift, a.sanctionAgain))
	rt.Handle("GET /v1/public/reviews/{reviewId}", nil, a.publicReview)
	rt.Handle("POST /v1/public/reviews/{reviewId}/reply/reports", nil, a.reportReplyPublic)
	rt.Handle("GET /v1/public/unsubscribe/{token}", nil, a.unsubscribeGet)
	rt.Handle("POST /v1/public/unsubscribe/{token}", nil, a.unsubscribePost)
	a.webhookRoutes(business)
	rt.Handle("GET /v1/public/businesses/{businessId}/flagging", nil, a.publicFlagging)
	rt.Handle("GET /v1/compliance/businesses/{businessId}/reporting", compliance, a.businessReporting)
	rt.Handle("GET /v1/compliance/documents/{documentId}", compliance, a.openDocument)
	return a
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// Routes lists the API's routes with the roles they admit (none = public).
func (a *API) Routes() []httpapi.Route { return a.router.Routes() }

func (a *API) healthz(w http.ResponseWriter, _ *http.Request, _ httpapi.Principal) {
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// actor is the use cases' view of the caller.
func actor(p httpapi.Principal) app.Actor {
	return app.Actor{Subject: p.Subject, Role: p.Role, BusinessID: p.BusinessID}
}

// page reads ?limit and ?cursor.
func page(r *http.Request) (app.Page, error) {
	limit, err := httpapi.ParseLimit(r)
	if err != nil {
		return app.Page{}, err
	}
	return app.Page{Limit: limit, Cursor: r.URL.Query().Get("cursor")}, nil
}

// accepted writes a 202 with the object's location.
func accepted(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	httpapi.WriteJSON(w, http.StatusAccepted, v)
}

// emptyBody accepts no body, an empty one, JSON null or an empty JSON
// object: the routes whose contract marks the body optional.
func emptyBody(r *http.Request) error {
	var empty struct{}
	return httpapi.DecodeOptionalJSON(r, &empty)
}
