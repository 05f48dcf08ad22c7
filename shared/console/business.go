package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

// BusinessDesk is what a business's page needs of the use cases.
type BusinessDesk interface {
	Business(ctx context.Context, id string) (moderation.Business, error)
	KnownReportingSignals(ctx context.Context, businessID string) (moderation.ReportingSignals, error)
	Sanctions(ctx context.Context, businessID string) ([]app.SanctionRecord, error)
	WarningProposal(ctx context.Context, businessID string, sanctions []moderation.Sanction) (*moderation.MisuseProposal, error)
	Warn(ctx context.Context, actor app.Actor, businessID, note string, idem *app.Idempotency) (moderation.Sanction, error)
	Suspend(ctx context.Context, actor app.Actor, businessID, note string, until time.Time, idem *app.Idempotency) (moderation.Sanction, error)
	Lift(ctx context.Context, actor app.Actor, businessID, sanctionID, note string, idem *app.Idempotency) (moderation.Sanction, error)
}

var businessNotices = map[string]string{
	"warned":    "The warning is recorded; the business is emailed.",
	"suspended": "The suspension is recorded: the business's reports are refused until its end; the business is emailed.",
	"lifted":    "The sanction is lifted; the business is told.",
}

// business is a business's page.
func (h *Handler) business(w http.ResponseWriter, r *http.Request) {
	v, ok := h.businessView(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	v.Notice = businessNotices[r.URL.Query().Get("notice")]
	h.renderBusiness(w, r, http.StatusOK, v)
}

// businessView reads the business's page; it answers the request itself
// (and reports false) when it cannot.
func (h *Handler) businessView(w http.ResponseWriter, r *http.Request, id string) (businessPageView, bool) {
	ctx := r.Context()
	if !moderation.ValidID(id) {
		h.failBusiness(w, r, moderation.ErrNotFound)
		return businessPageView{}, false
	}
	b, err := h.desk.Business(ctx, id)
	if err != nil {
		h.failBusiness(w, r, err)
		return businessPageView{}, false
	}
	sig, err := h.desk.KnownReportingSignals(ctx, id)
	if err != nil {
		h.failBusiness(w, r, err)
		return businessPageView{}, false
	}
	recs, err := h.desk.Sanctions(ctx, id)
	if err != nil {
		h.failBusiness(w, r, err)
		return businessPageView{}, false
	}
	list := make([]moderation.Sanction, len(recs))
	for i, rec := range recs {
		list[i] = rec.Sanction
	}
	proposal, err := h.desk.WarningProposal(ctx, id, list)
	if err != nil {
		h.failBusiness(w, r, err)
		return businessPageView{}, false
	}
	s, _ := consoleauth.FromContext(ctx)
	return businessPageOf(b, sig, recs, proposal, h.opt.Clock.Now(), Location(zoneOf(s))), true
}

func (h *Handler) failBusiness(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := moderation.AsError(err); errors.Is(err, moderation.ErrNotFound) || (ok && e.Kind == moderation.KindNotFound) {
		render(w, r, http.StatusNotFound, messagePage(h.chrome(r, "Not found"), "There is no such business.", false))
		return
	}
	h.fail(w, r, "business", err)
}

// warn, suspend and lift record a sanction through its use case, with the
// agent's sub as the actor the audit trail records. A refused form comes
// back with its problems next to their fields and what was typed kept.
func (h *Handler) warn(w http.ResponseWriter, r *http.Request) {
	f := sanctionForm{Which: "warn", Note: r.PostForm.Get("note")}
	_, err := h.desk.Warn(r.Context(), actor(r), r.PathValue("id"), f.Note, nil)
	h.sanctioned(w, r, f, err, "warned")
}

func (h *Handler) suspend(w http.ResponseWriter, r *http.Request) {
	f := sanctionForm{Which: "suspend", Note: r.PostForm.Get("note"), Until: r.PostForm.Get("until")}
	s, _ := consoleauth.FromContext(r.Context())
	until, bad := parseUntil(f.Until, Location(zoneOf(s)))
	var err error
	if bad != "" {
		// Every problem at once: the note's too, by the same rule the use case applies.
		err = moderation.ValidateSanction(moderation.SanctionSuspension, moderation.CleanText(f.Note), time.Time{}, h.opt.Clock.Now(), bad)
	} else {
		_, err = h.desk.Suspend(r.Context(), actor(r), r.PathValue("id"), f.Note, until, nil)
	}
	h.sanctioned(w, r, f, err, "suspended")
}

func (h *Handler) lift(w http.ResponseWriter, r *http.Request) {
	sid := r.PathValue("sanction")
	f := sanctionForm{Which: "lift-" + sid, Note: r.PostForm.Get("note"), Sanction: sid}
	_, err := h.desk.Lift(r.Context(), actor(r), r.PathValue("id"), sid, f.Note, nil)
	h.sanctioned(w, r, f, err, "lifted")
}

// sanctioned answers a sanction form: the page again with the notice when
// it was recorded, the form's problems when it was refused, what happened
// when the sanction's state forbade it.
func (h *Handler) sanctioned(w http.ResponseWriter, r *http.Request, f sanctionForm, err error, notice string) {
	id := r.PathValue("id")
	page := "/console/businesses/" + url.PathEscape(id)
	e, ok := moderation.AsError(err)
	switch {
	case err == nil:
		http.Redirect(w, r, page+"?notice="+notice, http.StatusSeeOther)
	case ok && e.Kind == moderation.KindInvalid:
		v, found := h.businessView(w, r, id)
		if !found {
			return
		}
		v.Form, v.Problems = f, e.Fields
		if len(v.Problems) == 0 {
			v.Problems = map[string]string{"note": e.Message}
		}
		h.renderBusiness(w, r, http.StatusUnprocessableEntity, v)
	case ok && (e.Kind == moderation.KindConflict || e.Kind == moderation.KindGone):
		render(w, r, http.StatusConflict, conflictPage(h.chrome(r, "Not done"), "Nothing was recorded: "+e.Message+".", page))
	default:
		h.failBusiness(w, r, err)
	}
}

// renderBusiness writes a business's page. One call site for the
// component, so the linker keeps one copy of the page's code.
//
//go:noinline
func (h *Handler) renderBusiness(w http.ResponseWriter, r *http.Request, status int, v businessPageView) {
	render(w, r, status, businessPage(h.chrome(r, "Business "+v.Name), v))
}
