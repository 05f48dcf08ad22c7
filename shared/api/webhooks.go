package api

import (
	"encoding/json"
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// The webhook endpoints of a business (docs/webhooks.md). A business sees
// and changes only its own webhooks; another's id is a 404.
func (a *API) webhookRoutes(business []string) {
	rt := a.router
	rt.Handle("POST /v1/webhooks", business, a.registerWebhook)
	rt.Handle("GET /v1/webhooks", business, a.listWebhooks)
	rt.Handle("GET /v1/webhooks/{webhookId}", business, a.getWebhook)
	rt.Handle("DELETE /v1/webhooks/{webhookId}", business, a.deleteWebhook)
	rt.Handle("POST /v1/webhooks/{webhookId}/rotate-secret", business, a.rotateWebhookSecret)
	rt.Handle("POST /v1/webhooks/{webhookId}/test", business, a.testWebhook)
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
	ep, secret, err := a.webhooks.Register(r.Context(), biz, webhook.Registration{URL: req.URL, Events: req.Events, Description: req.Description})
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
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
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
	ep, secret, err := a.webhooks.Rotate(r.Context(), biz, r.PathValue("webhookId"))
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
	d, err := a.webhooks.Test(r.Context(), biz, r.PathValue("webhookId"))
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
	limit, err := httpapi.ParseLimit(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ds, err := a.webhooks.Deliveries(r.Context(), biz, r.PathValue("webhookId"), limit)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	items := make([]deliveryView, 0, len(ds))
	for _, d := range ds {
		items = append(items, newDeliveryView(d))
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}
