// Package console is the compliance console: server-rendered pages (templ)
// at /console where agents signed in through the platform's identity
// provider see their queues, start reviewing (the oldest open ticket is
// claimed for them) and open a ticket's case. Every page works without
// JavaScript and carries a strict Content-Security-Policy with a nonce.
// Sign-in, the session and CSRF are package consoleauth's; the work is the
// use cases' (package app), called with the agent's `sub` as the actor.
package console

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// Desk is what the console needs of the use cases (*app.App has it).
type Desk interface {
	ListTickets(ctx context.Context, status moderation.TicketStatus, kind moderation.TicketKind, p app.Page) ([]moderation.Ticket, string, error)
	ListAppeals(ctx context.Context, status moderation.AppealStatus, p app.Page) ([]moderation.Appeal, string, error)
	StalledWorkflows(ctx context.Context) ([]app.StalledWorkflow, error)
	Claim(ctx context.Context, actor app.Actor, id string, idem *app.Idempotency) (moderation.Ticket, error)
	Release(ctx context.Context, actor app.Actor, id string, idem *app.Idempotency) (moderation.Ticket, error)
	Ticket(ctx context.Context, id string) (app.TicketCase, error)
	CaseDesk
	Decide(ctx context.Context, actor app.Actor, id string, d moderation.Decision, idem *app.Idempotency) (moderation.Ticket, moderation.Decision, error)
	Business(ctx context.Context, id string) (moderation.Business, error)
	AppealDesk
	BusinessDesk
	// OpenDocument is a URL that reads a clean document for a minute, once
	// the agent's view is audited (app.Documents.OpenDocument).
	OpenDocument(ctx context.Context, actor app.Actor, id string) (string, error)
	Metrics(ctx context.Context, days int) (app.Metrics, error)
	QueueTickets(ctx context.Context, status moderation.TicketStatus, f app.QueueFilter, p app.Page) ([]moderation.Ticket, string, error)
}

// Options of a console.
type Options struct {
	// Clock is the domain's clock (ages and deadlines are measured on it,
	// as the use cases measure windows).
	Clock  clock.Clock
	Brand  brand.Brand
	Logger *slog.Logger
}

// Handler serves /console and everything below it.
type Handler struct {
	desk Desk
	auth *consoleauth.Auth
	opt  Options
	mux  *http.ServeMux
}

// Routes are the routes the console serves, as template.yaml routes them to
// its function (without the JWT authorizer: the console signs in itself).
var Routes = []httpapi.Route{{Method: "ANY", Path: "/console"}, {Method: "ANY", Path: "/console/{proxy+}"}}

// New returns the console for desk, signing in with auth.
func New(desk Desk, auth *consoleauth.Auth, opt Options) *Handler {
	if opt.Clock == nil {
		opt.Clock = clock.System{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Brand.Name == "" {
		opt.Brand = brand.Default()
	}
	h := &Handler{desk: desk, auth: auth, opt: opt, mux: http.NewServeMux()}
	req := func(f http.HandlerFunc) http.Handler { return auth.Require(f) }
	h.mux.HandleFunc("GET /console/login", auth.Login)
	h.mux.HandleFunc("GET /console/callback", auth.Callback)
	h.mux.HandleFunc("GET /console/signed-out", h.signedOut)
	h.mux.Handle("POST /console/logout", auth.Require(auth.Logout("/console/signed-out")))
	h.mux.Handle("GET /console", req(h.queues))
	h.mux.Handle("POST /console/start", req(h.start))
	h.mux.Handle("POST /console/zone", req(h.setZone))
	h.mux.Handle("GET /console/tickets/{id}", req(h.ticket))
	h.mux.Handle("POST /console/tickets/{id}/release", req(h.release))
	h.mux.Handle("POST /console/tickets/{id}/notes", req(h.addNote))
	h.mux.Handle("POST /console/tickets/{id}/decision", req(h.decide))
	h.mux.Handle("GET /console/appeals", req(h.appeals))
	h.mux.Handle("POST /console/appeals/start", req(h.startAppeals))
	h.mux.Handle("GET /console/appeals/{id}", req(h.appeal))
	h.mux.Handle("POST /console/appeals/{id}/claim", req(h.claimAppeal))
	h.mux.Handle("POST /console/appeals/{id}/decide", req(h.decideAppeal))
	h.mux.Handle("GET /console/businesses/{id}", req(h.business))
	h.mux.Handle("POST /console/businesses/{id}/warn", req(h.warn))
	h.mux.Handle("POST /console/businesses/{id}/suspend", req(h.suspend))
	h.mux.Handle("POST /console/businesses/{id}/sanctions/{sanction}/lift", req(h.lift))
	h.mux.Handle("GET /console/documents/{id}", req(h.document))
	h.mux.Handle("GET /console/dashboard", req(h.dashboard))
	return h
}

// DenyPage renders consoleauth's refusals (a user who is not an agent, a
// broken sign-in, a stale form) as console pages: use it as
// consoleauth.Config.Deny.
func DenyPage(b brand.Brand) func(w http.ResponseWriter, r *http.Request, status int, reason string) {
	if b.Name == "" {
		b = brand.Default()
	}
	return func(w http.ResponseWriter, r *http.Request, status int, reason string) {
		title := "Not signed in"
		switch status {
		case http.StatusForbidden:
			title = "Access refused"
		case http.StatusUnauthorized:
			title = "Your session has ended"
		case http.StatusBadGateway:
			title = "Sign-in unavailable"
		}
		render(w, r, status, messagePage(chrome{Brand: b, Title: title}, reason, true))
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.URL.Path == "/console/" {
		http.Redirect(w, r, "/console", http.StatusSeeOther)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// render writes a page with a fresh style nonce in its CSP.
func render(w http.ResponseWriter, r *http.Request, status int, p templComponent) {
	nonce := rand.Text()
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+nonce+"'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	p.Render(context.WithValue(r.Context(), nonceKey{}, nonce), w)
}

type nonceKey struct{}

func nonceFrom(ctx context.Context) string { s, _ := ctx.Value(nonceKey{}).(string); return s }

func (h *Handler) chrome(r *http.Request, title string) chrome {
	s, _ := consoleauth.FromContext(r.Context())
	return chrome{Brand: h.opt.Brand, Title: title, Agent: s.Subject, CSRF: s.CSRF, Zone: zoneOf(s), SignedIn: true}
}

func zoneOf(s consoleauth.Session) string {
	if KnownZone(s.Zone) {
		return s.Zone
	}
	return "UTC"
}

func actor(r *http.Request) app.Actor {
	s, _ := consoleauth.FromContext(r.Context())
	return app.Actor{Subject: s.Subject, Role: app.RoleCompliance}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, op string, err error) {
	if e, ok := moderation.AsError(err); errors.Is(err, moderation.ErrNotFound) || (ok && e.Kind == moderation.KindNotFound) {
		render(w, r, http.StatusNotFound, messagePage(h.chrome(r, "Not found"), "There is no such ticket.", false))
		return
	}
	h.opt.Logger.ErrorContext(r.Context(), "console: "+op, "err", err)
	render(w, r, http.StatusInternalServerError, messagePage(h.chrome(r, "Something went wrong"), "The console could not do this just now. Nothing was changed; try again in a minute.", false))
}

// queues is the overview: each queue with its count and oldest age.
func (h *Handler) queues(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := h.overview(ctx, r)
	if err != nil {
		h.fail(w, r, "queues", err)
		return
	}
	render(w, r, http.StatusOK, queuesPage(h.chrome(r, "Queues"), v))
}

func (h *Handler) overview(ctx context.Context, r *http.Request) (overview, error) {
	now := h.opt.Clock.Now()
	s, _ := consoleauth.FromContext(ctx)
	loc := Location(zoneOf(s))
	f, ferr := filterOf(r)
	v := overview{Notice: notices[r.URL.Query().Get("notice")], Zones: Zones, Filter: f, Reasons: moderation.AllReasons()}
	if ferr != "" {
		v.Notice, f = ferr, app.QueueFilter{}
		v.Filter = f
	}
	filtered := f != (app.QueueFilter{})
	add := func(key, label, hint string, times []time.Time, more bool) {
		q := queueView{Key: key, Label: label, Hint: hint, Count: countLabel(len(times), more)}
		if len(times) > 0 {
			oldest := slices.MinFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			q.Oldest, q.OldestAt = Age(now, oldest), FormatTime(oldest, loc)
		}
		v.Queues = append(v.Queues, q)
	}
	for _, st := range []struct {
		status      moderation.TicketStatus
		label, hint string
	}{
		{moderation.TicketOpen, "Open tickets", "Reports on reviews and on businesses' replies waiting for an agent, oldest first."},
		{moderation.TicketWaitingForReviewer, "Waiting for the reviewer", "Proof or an edit was asked of the reviewer; the ticket comes back when they answer or the window closes."},
		{moderation.TicketInProgress, "In progress", "Claimed by an agent."},
	} {
		ts, more, err := collect(ctx, func(ctx context.Context, p app.Page) ([]moderation.Ticket, string, error) {
			if filtered {
				return h.desk.QueueTickets(ctx, st.status, f, p)
			}
			return h.desk.ListTickets(ctx, st.status, "", p) // review and reply tickets
		})
		if err != nil {
			return v, err
		}
		times := make([]time.Time, len(ts))
		for i, t := range ts {
			times[i] = t.QueuedAt
			if st.status == moderation.TicketWaitingForReviewer {
				v.Waiting = append(v.Waiting, waitingRowOf(t, now, loc))
			}
			if st.status == moderation.TicketInProgress && t.Assignee == s.Subject {
				v.Mine = append(v.Mine, ticketRow{ID: t.ID, Queued: FormatTime(t.QueuedAt, loc), Age: Age(now, t.QueuedAt)})
			}
		}
		add(string(st.status), st.label, st.hint, times, more)
	}
	v.Waiting = soonestFirst(v.Waiting, waitingShown)
	as, more, err := collect(ctx, func(ctx context.Context, p app.Page) ([]moderation.Appeal, string, error) {
		return h.desk.ListAppeals(ctx, moderation.AppealOpen, p)
	})
	if err != nil {
		return v, err
	}
	times := make([]time.Time, 0, len(as))
	for _, a := range as {
		if f.BusinessID == "" || a.BusinessID == f.BusinessID {
			times = append(times, a.QueuedAt)
		}
	}
	add("appeals", "Appeals", "Appeals against a decision, waiting for an agent who did not take the first decision.", times, more)
	stalled, err := h.desk.StalledWorkflows(ctx)
	if err != nil {
		return v, err
	}
	times = make([]time.Time, len(stalled))
	for i, sw := range stalled {
		times[i] = sw.Stall.At
	}
	add("stalled", "Stalled workflows", "Workflows stopped at a failed step; operations redrive them.", times, false)
	return v, nil
}

// countCap bounds how many items of one queue the overview reads: past it
// the count shows as "500+". Each queue is read by its status index, oldest
// first, never by a table scan.
const countCap = 500

// collect reads a list page by page up to countCap items; more says there
// are further ones.
func collect[T any](ctx context.Context, list func(context.Context, app.Page) ([]T, string, error)) ([]T, bool, error) {
	return collectUpTo(ctx, countCap, list)
}

// collectUpTo is collect stopping at n items: the pages it reads are
// only as many as n takes (a filtered page may hold fewer than it asked).
func collectUpTo[T any](ctx context.Context, n int, list func(context.Context, app.Page) ([]T, string, error)) ([]T, bool, error) {
	var out []T
	p := app.Page{Limit: min(n, 100)}
	for {
		items, next, err := list(ctx, p)
		if err != nil {
			return nil, false, err
		}
		out = append(out, items...)
		if len(out) >= n {
			return out[:n], len(out) > n || next != "", nil
		}
		if next == "" {
			return out, false, nil
		}
		p.Cursor = next
	}
}

var notices = map[string]string{
	"empty":    "No open ticket is waiting: the queue is empty.",
	"zone":     "Times are now shown in the time zone you chose.",
	"released": "The ticket is back in the queue, at its place.",
	"decided":  "Your decision is recorded. No open ticket is waiting: the queue is empty.",
}

// filterOf reads the queues' filter from the request's business and
// reason fields; a reason that is none of the reasons is explained.
func filterOf(r *http.Request) (app.QueueFilter, string) {
	f := app.QueueFilter{BusinessID: strings.TrimSpace(r.FormValue("business")), Reason: moderation.Reason(r.FormValue("reason"))}
	if f.Reason != "" && !slices.Contains(moderation.AllReasons(), f.Reason) {
		return app.QueueFilter{}, "There is no such reason: the queues are shown unfiltered."
	}
	if len(f.BusinessID) > 200 {
		return app.QueueFilter{}, "That is no business id: the queues are shown unfiltered."
	}
	return f, ""
}

// start claims the oldest open ticket (on a review or on a reply; of the
// filter's business and reason, when the form carries them) for the agent
// and opens its case. A ticket another agent claimed meanwhile is
// skipped for the next one.
func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
	h.next(w, r, nil, "empty")
}

// setZone keeps the agent's choice of time zone in the session.
func (h *Handler) setZone(w http.ResponseWriter, r *http.Request) {
	s, _ := consoleauth.FromContext(r.Context())
	zone := r.PostForm.Get("zone")
	if !KnownZone(zone) {
		render(w, r, http.StatusUnprocessableEntity, messagePage(h.chrome(r, "Unknown time zone"), "Choose a time zone from the list.", false))
		return
	}
	s.Zone = zone
	if err := h.auth.Save(w, s); err != nil {
		h.fail(w, r, "set the time zone", err)
		return
	}
	http.Redirect(w, r, "/console?notice=zone", http.StatusSeeOther)
}

// ticket is a ticket's case page.
func (h *Handler) ticket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !ids.Valid("tkt", id) {
		h.fail(w, r, "ticket", moderation.ErrNotFound)
		return
	}
	c, err := h.desk.Ticket(r.Context(), id)
	if err != nil {
		h.fail(w, r, "ticket", err)
		return
	}
	notice := afterDecision(r.URL.Query())
	h.showCase(w, r, c, http.StatusOK, decideForm{}, nil, func(d *decideView) { d.Notice = notice }, noteForm{})
}

// release puts the agent's ticket back in the queue and shows the queues.
func (h *Handler) release(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := h.desk.Release(r.Context(), actor(r), id, nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindConflict {
		render(w, r, http.StatusConflict, messagePage(h.chrome(r, "Not released"),
			"This ticket is not yours to release any more: "+e.Message+".", false))
		return
	}
	if err != nil {
		h.fail(w, r, "release", err)
		return
	}
	http.Redirect(w, r, "/console?notice=released", http.StatusSeeOther)
}

func (h *Handler) signedOut(w http.ResponseWriter, r *http.Request) {
	render(w, r, http.StatusOK, messagePage(chrome{Brand: h.opt.Brand, Title: "Signed out"}, "You are signed out of the console.", true))
}
