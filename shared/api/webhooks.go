package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// The webhook endpoints of a business (docs/webhooks.md). A business sees
// and changes only its own webhooks; another's id is a 404.
func (a *API) webhookRoutes(business []string) {
	rt := a.router
	rt.Handle("POST /v1/webhooks", business, a.idempotent(http.StatusCreated, a.registerWebhook, a.webhookAgain))
	rt.Handle("GET /v1/webhooks", business, a.listWebhooks)
	rt.Handle("GET /v1/webhooks/{webhookId}", business, a.getWebhook)
	rt.Handle("DELETE /v1/webhooks/{webhookId}", business, a.deleteWebhook)
	rt.Handle("POST /v1/webhooks/{webhookId}/rotate-secret", business, a.idempotent(http.StatusOK, a.rotateWebhookSecret, a.webhookAgain))
	rt.Handle("POST /v1/webhooks/{webhookId}/test", business, a.idempotent(http.StatusAccepted, a.testWebhook, a.testDeliveryAgain))
	rt.Handle("GET /v1/webhooks/{webhookId}/deliveries", business, a.webhookDeliveries)
}

type webhookView struct {
	ID                      string   `json:"id"`
	URL                     string   `json:"url"`
	Description             string   `json:"description,omitempty"`
	Events                  []string `json:"events"`
	CreatedAt               string   `json:"createdAt"`
	UpdatedAt               string   `json:"updatedAt"`
	PreviousSecretExpiresAt *string  `json:"previousSecretExpiresAt"`
	// Secret is set only in the answer that created it (registration, rotation).
	Secret string `json:"secret,omitempty"`
}

func newWebhookView(e webhook.Endpoint, secret string) webhookView {
	v := webhookView{ID: e.ID, URL: e.URL, Description: e.Description, Events: e.Events, CreatedAt: rfc3339(e.CreatedAt),
		UpdatedAt: rfc3339(e.UpdatedAt), Secret: secret}
	if len(v.Events) == 0 {
		v.Events = webhook.Types
	}
	for _, s := range e.Secrets {
		if !s.Expires.IsZero() {
			v.PreviousSecretExpiresAt = optTime(s.Expires)
		}
	}
	return v
}

type attemptView struct {
	At         string `json:"at"`
	StatusCode *int   `json:"statusCode"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"durationMs"`
}

type deliveryView struct {
	EventID     string          `json:"eventId"`
	EventType   string          `json:"eventType"`
	Status      string          `json:"status"`
	Attempts    int             `json:"attempts"`
	NextAttempt *string         `json:"nextAttemptAt"`
	CreatedAt   string          `json:"createdAt"`
	UpdatedAt   string          `json:"updatedAt"`
	Payload     json.RawMessage `json:"payload"`
	Log         []attemptView   `json:"log"`
}

func newDeliveryView(d webhook.Delivery) deliveryView {
	v := deliveryView{EventID: d.EventID, EventType: d.EventType, Status: d.Status, Attempts: d.Attempts, CreatedAt: rfc3339(d.CreatedAt),
		UpdatedAt: rfc3339(d.UpdatedAt), Payload: json.RawMessage(d.Payload), Log: []attemptView{}}
	if d.Status == webhook.StatusPending {
		v.NextAttempt = optTime(d.NextAttempt)
	}
	for _, a := range d.Log {
		av := attemptView{At: rfc3339(a.At), Error: webhook.Category(a.Error), DurationMS: a.Duration.Milliseconds()}
		if a.StatusCode != 0 {
			code := a.StatusCode
			av.StatusCode = &code
		}
		v.Log = append(v.Log, av)
	}
	return v
}

// ownBusiness is the caller's business, or a 403 for a token without one
// (and a 404 from an API built without webhooks).
func (a *API) ownBusiness(w http.ResponseWriter, r *http.Request, p httpapi.Principal) (string, bool) {
	if a.webhooks == nil {
		httpapi.WriteError(w, r, moderation.NotFound("webhooks"))
		return "", false
	}
	if p.BusinessID == "" {
		httpapi.WriteError(w, r, &moderation.Error{Kind: moderation.KindForbidden, Code: moderation.CodeForbidden, Message: "the token names no business"})
		return "", false
	}
	return p.BusinessID, true
}

type webhookRequest struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
}

// registerWebhook is POST /v1/webhooks: 201 with the secret, shown only here.
func (a *API) registerWebhook(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	var req webhookRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ep, secret, err := a.webhooks.Register(r.Context(), biz, webhook.Registration{URL: req.URL, Events: req.Events, Description: req.Description}, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/webhooks/"+ep.ID)
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusCreated, newWebhookView(ep, secret))
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	eps, err := a.webhooks.List(r.Context(), biz)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	items := make([]webhookView, 0, len(eps))
	for _, e := range eps {
		items = append(items, newWebhookView(e, ""))
	}
	// A business has at most webhook.MaxPerBusiness webhooks: one page.
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextCursor": nil})
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	ep, err := a.webhooks.Get(r.Context(), biz, r.PathValue("webhookId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newWebhookView(ep, ""))
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	if err := a.webhooks.Delete(r.Context(), biz, r.PathValue("webhookId")); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// rotateWebhookSecret is POST /v1/webhooks/{id}/rotate-secret: the new
// secret, shown only here; the previous one signs too until
// previousSecretExpiresAt.
func (a *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ep, secret, err := a.webhooks.Rotate(r.Context(), biz, r.PathValue("webhookId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, newWebhookView(ep, secret))
}

// testWebhook is POST /v1/webhooks/{id}/test: 202 with the queued delivery
// of a webhook.test event.
func (a *API) testWebhook(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	d, err := a.webhooks.Test(r.Context(), biz, r.PathValue("webhookId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	accepted(w, "/v1/webhooks/"+d.WebhookID+"/deliveries", newDeliveryView(d))
}

// webhookDeliveries is the delivery log, newest first (?limit, default 20, at most 100).
func (a *API) webhookDeliveries(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	biz, ok := a.ownBusiness(w, r, p)
	if !ok {
		return
	}
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ds, err := a.webhooks.Deliveries(r.Context(), biz, r.PathValue("webhookId"), 0)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ds, next, err := deliveriesPage(ds, pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	items := make([]deliveryView, 0, len(ds))
	for _, d := range ds {
		items = append(items, newDeliveryView(d))
	}
	var cursor any
	if next != "" {
		cursor = next
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "nextCursor": cursor})
}

// deliveriesPage cuts a delivery log, newest first, into the page p asks
// for. The cursor names the last delivery of the page before (its time and
// event id), so a page never repeats or skips one as new deliveries arrive.
func deliveriesPage(ds []webhook.Delivery, p app.Page) ([]webhook.Delivery, string, error) {
	if p.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.Cursor)
		at, id, ok := strings.Cut(string(raw), "|")
		t, terr := time.Parse(time.RFC3339Nano, at)
		if err != nil || !ok || terr != nil {
			return nil, "", moderation.InvalidField("cursor", "is not a cursor from this list")
		}
		i := 0
		for i < len(ds) && (ds[i].CreatedAt.After(t) || ds[i].CreatedAt.Equal(t) && ds[i].EventID >= id) {
			i++
		}
		ds = ds[i:]
	}
	if len(ds) <= p.Limit {
		return ds, "", nil
	}
	last := ds[p.Limit-1]
	return ds[:p.Limit], base64.RawURLEncoding.EncodeToString([]byte(last.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + last.EventID)), nil
}

// webhookAgain renders a webhook a registration or rotation made, for a
// replay whose first answer was never stored: without its secret, which
// only the first answer shows.
func (a *API) webhookAgain(r *http.Request, p httpapi.Principal, id string) (any, error) {
	ep, err := a.webhooks.Get(r.Context(), p.BusinessID, id)
	if err != nil {
		return nil, err
	}
	return newWebhookView(ep, ""), nil
}

// testDeliveryAgain renders the delivery a test queued (its event id), for
// a replay whose first answer was never stored.
func (a *API) testDeliveryAgain(r *http.Request, p httpapi.Principal, eventID string) (any, error) {
	ds, err := a.webhooks.Deliveries(r.Context(), p.BusinessID, r.PathValue("webhookId"), 0)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.EventID == eventID {
			return newDeliveryView(d), nil
		}
	}
	return nil, fmt.Errorf("test delivery %s: not found", eventID)
}
