package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// AppealDesk is what the appeal pages need of the use cases.
type AppealDesk interface {
	Appeal(ctx context.Context, id string) (app.AppealCase, error)
	ClaimAppeal(ctx context.Context, actor app.Actor, id string, idem *app.Idempotency) (moderation.Appeal, error)
	DecideAppeal(ctx context.Context, actor app.Actor, id string, d moderation.AppealDecision, idem *app.Idempotency) (moderation.Appeal, error)
}

var appealNotices = map[string]string{
	"empty":   "No open appeal is waiting that you may take: the queue is empty, or every open appeal contests a decision of yours.",
	"decided": "The appeal is decided. Its workflow tells the parties.",
	"done":    "The appeal is decided. No other open appeal is waiting that you may take.",
}

// appeals is the appeal queue: the open appeals, oldest first, with their
// count and the oldest's age, and the agent's own appeals in progress.
func (h *Handler) appeals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, _ := consoleauth.FromContext(ctx)
	now, loc := h.opt.Clock.Now(), Location(zoneOf(s))
	open, more, err := collect(ctx, func(ctx context.Context, p app.Page) ([]moderation.Appeal, string, error) {
		return h.desk.ListAppeals(ctx, moderation.AppealOpen, p)
	})
	if err != nil {
		h.fail(w, r, "appeals", err)
		return
	}
	held, _, err := collect(ctx, func(ctx context.Context, p app.Page) ([]moderation.Appeal, string, error) {
		return h.desk.ListAppeals(ctx, moderation.AppealInProgress, p)
	})
	if err != nil {
		h.fail(w, r, "appeals", err)
		return
	}
	v := appealsOverview{Notice: appealNotices[r.URL.Query().Get("notice")], Count: countLabel(len(open), more)}
	for _, a := range open {
		row := appealRowOf(a, now, loc, s.Subject)
		v.Open = append(v.Open, row)
		v.MayTakeAnyOpen = v.MayTakeAnyOpen || !row.Conflict
	}
	if len(open) > 0 { // the list is oldest first
		v.Oldest, v.OldAt = Age(now, open[0].QueuedAt), FormatTime(open[0].QueuedAt, loc)
	}
	for _, a := range held {
		if a.Assignee == s.Subject {
			v.Mine = append(v.Mine, appealRowOf(a, now, loc, s.Subject))
		}
	}
	render(w, r, http.StatusOK, appealsPage(h.chrome(r, "Appeals"), v))
}

// startAppeals claims the oldest open appeal the agent may take and opens
// its case.
func (h *Handler) startAppeals(w http.ResponseWriter, r *http.Request) {
	id, err := h.claimNextAppeal(r.Context(), actor(r))
	if err != nil {
		h.fail(w, r, "start reviewing appeals", err)
		return
	}
	if id == "" {
		http.Redirect(w, r, "/console/appeals?notice=empty", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console/appeals/"+url.PathEscape(id), http.StatusSeeOther)
}

// claimNextAppeal claims, through the claim use case, the oldest open
// appeal that does not contest the agent's own decision; one another agent
// claimed meanwhile is skipped for the next, so two agents never get the
// same. It returns "" when there is none.
func (h *Handler) claimNextAppeal(ctx context.Context, a app.Actor) (string, error) {
	p := app.Page{Limit: 25}
	for {
		list, next, err := h.desk.ListAppeals(ctx, moderation.AppealOpen, p)
		if err != nil {
			return "", err
		}
		for _, ap := range list {
			if conflictOfInterest(ap, a.Subject) {
				continue
			}
			got, err := h.desk.ClaimAppeal(ctx, a, ap.ID, nil)
			if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindConflict {
				continue // another agent was quicker: take the next
			}
			if err != nil {
				return "", err
			}
			return got.ID, nil
		}
		if next == "" {
			return "", nil
		}
		p.Cursor = next
	}
}

// appeal is an appeal's case page.
func (h *Handler) appeal(w http.ResponseWriter, r *http.Request) {
	v, ok := h.appealView(w, r)
	if !ok {
		return
	}
	v.Notice = appealNotices[r.URL.Query().Get("notice")]
	h.renderAppeal(w, r, http.StatusOK, v)
}

// appealView reads the case of the appeal the path names; it answers the
// request itself (and reports false) when it cannot.
func (h *Handler) appealView(w http.ResponseWriter, r *http.Request) (appealView, bool) {
	id := r.PathValue("id")
	if !ids.Valid("apl", id) {
		h.failAppeal(w, r, "appeal", moderation.ErrNotFound)
		return appealView{}, false
	}
	c, err := h.desk.Appeal(r.Context(), id)
	if err != nil {
		h.failAppeal(w, r, "appeal", err)
		return appealView{}, false
	}
	s, _ := consoleauth.FromContext(r.Context())
	return appealOf(c, h.opt.Clock.Now(), Location(zoneOf(s)), s.Subject), true
}

// failAppeal is fail with a not-found page that names an appeal.
func (h *Handler) failAppeal(w http.ResponseWriter, r *http.Request, op string, err error) {
	if e, ok := moderation.AsError(err); errors.Is(err, moderation.ErrNotFound) || (ok && e.Kind == moderation.KindNotFound) {
		render(w, r, http.StatusNotFound, messagePage(h.chrome(r, "Not found"), "There is no such appeal.", false))
		return
	}
	h.fail(w, r, op, err)
}

// claimAppeal claims one appeal from its case page.
func (h *Handler) claimAppeal(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := h.desk.ClaimAppeal(r.Context(), actor(r), id, nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindConflict {
		render(w, r, http.StatusConflict, conflictPage(h.chrome(r, "Not claimed"), "The appeal was not claimed: "+e.Message+".", "/console/appeals/"+id))
		return
	}
	if err != nil {
		h.failAppeal(w, r, "claim appeal", err)
		return
	}
	http.Redirect(w, r, "/console/appeals/"+url.PathEscape(id), http.StatusSeeOther)
}

// decideAppeal records the agent's decision on the appeal they hold. A
// refused form comes back with each problem next to its field and what
// was typed kept; a conflict says what happened and links to the fresh
// case; a decision recorded opens the next appeal the agent may take.
func (h *Handler) decideAppeal(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f := appealForm{Outcome: r.PostForm.Get("outcome"), Note: r.PostForm.Get("note"), Upheld: r.PostForm["upheldReasons"]}
	c, err := h.desk.Appeal(r.Context(), id)
	if err != nil {
		h.failAppeal(w, r, "decide appeal", err)
		return
	}
	removes := c.Appeal.Contested == moderation.OutcomeReinstated
	_, err = h.desk.DecideAppeal(r.Context(), actor(r), id, appealDecisionOf(f, removes), nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindInvalid {
		s, _ := consoleauth.FromContext(r.Context())
		v := appealOf(c, h.opt.Clock.Now(), Location(zoneOf(s)), s.Subject)
		v.Form, v.Problems = f, e.Fields
		if len(v.Problems) == 0 {
			v.Problems = map[string]string{"outcome": e.Message}
		}
		h.renderAppeal(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if e, ok := moderation.AsError(err); ok && (e.Kind == moderation.KindConflict || e.Kind == moderation.KindGone) {
		render(w, r, http.StatusConflict, conflictPage(h.chrome(r, "Not decided"), "Your decision was not recorded: "+e.Message+".", "/console/appeals/"+id))
		return
	}
	if err != nil {
		h.failAppeal(w, r, "decide appeal", err)
		return
	}
	next, err := h.claimNextAppeal(r.Context(), actor(r))
	if err != nil {
		h.fail(w, r, "next appeal", err)
		return
	}
	if next == "" {
		http.Redirect(w, r, "/console/appeals?notice=done", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console/appeals/"+url.PathEscape(next)+"?notice=decided", http.StatusSeeOther)
}

// renderAppeal writes an appeal's page. One call site for the component,
// so the linker keeps one copy of the page's code.
//
//go:noinline
func (h *Handler) renderAppeal(w http.ResponseWriter, r *http.Request, status int, v appealView) {
	render(w, r, status, appealPage(h.chrome(r, "Appeal "+v.ID), v))
}

// problem is the problem with field, "" when none.
func problem(p map[string]string, field string) string { return p[field] }
