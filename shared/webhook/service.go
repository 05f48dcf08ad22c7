package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// MaxPerBusiness bounds a business's endpoints.
const MaxPerBusiness = 10

// MaxDescription bounds a webhook's description, in visible characters
// under the text rule (moderation.CheckText).
const MaxDescription = 200

// RotationOverlap is how long a rotated secret keeps signing next to the
// new one, for the receiver to switch.
const RotationOverlap = 24 * time.Hour

// IDPrefix is the prefix of endpoint ids.
const IDPrefix = "wh"

// Service is the business's use cases of its webhooks. Every call names
// the business; a webhook of another business is not found.
type Service struct {
	store   Store
	targets Targets
	clock   clock.Clock
}

// NewService returns a Service.
func NewService(st Store, t Targets, c clock.Clock) *Service {
	return &Service{store: st, targets: t, clock: c}
}

// Registration is what a business registers.
type Registration struct {
	URL         string
	Events      []string // empty: all
	Description string
}

// newSecret returns a fresh signing secret: "whsec_" and 32 random bytes.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b), nil
}

func (s *Service) check(r Registration) error {
	problems := map[string]string{}
	if r.URL == "" {
		problems["url"] = "is required"
	} else if err := s.targets.Check(r.URL); err != nil {
		problems["url"] = err.Error()
	}
	seen := map[string]bool{}
	for i, e := range r.Events {
		switch {
		case !slices.Contains(Types, e):
			problems[fmt.Sprintf("events[%d]", i)] = "is not one of " + strings.Join(Types, ", ")
		case seen[e]:
			problems[fmt.Sprintf("events[%d]", i)] = "is listed twice"
		}
		seen[e] = true
	}
	if msg := moderation.CheckText(r.Description, 0, MaxDescription).Message(); msg != "" {
		problems["description"] = msg
	}
	if len(problems) > 0 {
		return moderation.Invalid(problems)
	}
	return nil
}

// Register adds an endpoint and returns it with its secret — the only time
// the secret is shown.
// idem, when not nil, is the request's Idempotency-Key record: it is
// written with the endpoint, and its Resource is the endpoint's id.
func (s *Service) Register(ctx context.Context, businessID string, r Registration, idem *app.Idempotency) (Endpoint, string, error) {
	if err := s.check(r); err != nil {
		return Endpoint{}, "", err
	}
	secret, err := newSecret()
	if err != nil {
		return Endpoint{}, "", err
	}
	now := s.clock.Now()
	ep := Endpoint{ID: ids.New(IDPrefix), BusinessID: businessID, URL: r.URL, Description: moderation.CleanText(r.Description), Events: r.Events,
		Secrets: []Secret{{Value: secret, Created: now}}, CreatedAt: now, UpdatedAt: now}
	// The limit (MaxPerBusiness) is the store's condition on this write.
	if idem != nil {
		idem.Resource = ep.ID
	}
	if err := s.store.PutWebhook(ctx, ep, true, idem); err != nil {
		return Endpoint{}, "", fmt.Errorf("register webhook: %w", err)
	}
	ep.Rev = 1
	return ep, secret, nil
}

// Get returns one of the business's endpoints.
func (s *Service) Get(ctx context.Context, businessID, id string) (Endpoint, error) {
	if !ids.Valid(IDPrefix, id) {
		return Endpoint{}, moderation.NotFound("webhook")
	}
	ep, err := s.store.GetWebhook(ctx, businessID, id)
	if moderation.KindOf(err) == moderation.KindNotFound {
		return Endpoint{}, moderation.NotFound("webhook")
	}
	return ep, err
}

// List returns the business's endpoints, oldest first.
func (s *Service) List(ctx context.Context, businessID string) ([]Endpoint, error) {
	eps, err := s.store.ListWebhooks(ctx, businessID)
	slices.SortFunc(eps, func(a, b Endpoint) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return eps, err
}

// Delete removes an endpoint; its pending deliveries fail at their next attempt.
func (s *Service) Delete(ctx context.Context, businessID, id string) error {
	if _, err := s.Get(ctx, businessID, id); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, businessID, id)
}

// Rotate gives the endpoint a new secret, returned once; the previous one
// keeps signing for RotationOverlap (a secret rotated earlier stops now).
// The new secrets are written over the revision they were made from: of two
// rotations at once one wins and the other is moderation.ErrChanged, so
// there is never more than one current secret.
// idem, when not nil, is the request's Idempotency-Key record, written
// with the new secrets.
func (s *Service) Rotate(ctx context.Context, businessID, id string, idem *app.Idempotency) (Endpoint, string, error) {
	ep, err := s.Get(ctx, businessID, id)
	if err != nil {
		return Endpoint{}, "", err
	}
	secret, err := newSecret()
	if err != nil {
		return Endpoint{}, "", err
	}
	now := s.clock.Now()
	next := []Secret{{Value: secret, Created: now}}
	for _, old := range ep.Secrets {
		if old.Expires.IsZero() {
			old.Expires = now.Add(RotationOverlap)
			next = append(next, old)
		}
	}
	ep.Secrets, ep.UpdatedAt = next, now
	if idem != nil {
		idem.Resource = ep.ID
	}
	if err := s.store.PutWebhook(ctx, ep, false, idem); err != nil {
		return Endpoint{}, "", fmt.Errorf("rotate webhook secret: %w", err)
	}
	ep.Rev++
	return ep, secret, nil
}

// Test queues a webhook.test event to this endpoint only and returns its
// delivery. idem, when not nil, is the request's Idempotency-Key record,
// written with the delivery; its Resource is the delivery's event id.
func (s *Service) Test(ctx context.Context, businessID, id string, idem *app.Idempotency) (Delivery, error) {
	ep, err := s.Get(ctx, businessID, id)
	if err != nil {
		return Delivery{}, err
	}
	now := s.clock.Now()
	e := Event{Type: TypeTest, BusinessID: businessID, Key: "test:" + id + ":" + now.Format(time.RFC3339Nano), At: now,
		Data: map[string]any{"webhookId": id}}
	d := newDelivery(ep, e.Record())
	if idem != nil {
		idem.Resource = d.EventID
	}
	if err := s.store.AddDelivery(ctx, d, idem); err != nil {
		return Delivery{}, fmt.Errorf("test webhook: %w", err)
	}
	return d, nil
}

// Deliveries returns the endpoint's delivery log, newest first, at most limit.
func (s *Service) Deliveries(ctx context.Context, businessID, id string, limit int) ([]Delivery, error) {
	if _, err := s.Get(ctx, businessID, id); err != nil {
		return nil, err
	}
	ds, err := s.store.ListDeliveries(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	slices.SortFunc(ds, func(a, b Delivery) int { // newest first; at the same time, by event id, last first
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.EventID, a.EventID)
	})
	if limit > 0 && len(ds) > limit {
		ds = ds[:limit]
	}
	return ds, nil
}
