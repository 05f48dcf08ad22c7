package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/dsa"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// listStatements returns the removals decided at or after ?since (RFC 3339;
// all when absent), oldest first, each as a statement of reasons in the DSA
// Transparency Database API v2 shape (docs/dsa-statements.md): what a
// compliance tool submits to the database. They carry no personal data and
// no free text.
func (a *API) listStatements(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	var since time.Time
	if s := r.URL.Query().Get("since"); s != "" {
		if since, err = time.Parse(time.RFC3339, s); err != nil {
			httpapi.WriteError(w, r, moderation.InvalidField("since", "must be a date and time in RFC 3339, e.g. 2026-11-01T00:00:00Z"))
			return
		}
	}
	list, next, err := a.app.Statements(r.Context(), since, pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	out := make([]dsa.TDBStatement, 0, len(list))
	for _, rm := range list {
		st, err := dsa.Statement(dsa.Removal{ReportID: rm.ReportID, Seq: rm.Seq, Reasons: rm.Reasons, Ground: rm.Ground,
			Automated: rm.Automated, OnAppeal: rm.OnAppeal, ContentDate: rm.ContentDate, DecidedAt: rm.DecidedAt}, a.platform)
		if err != nil { // the store's data, not the caller's: a 500
			httpapi.WriteError(w, r, fmt.Errorf("statement of %s: %w", rm.ReportID, err))
			return
		}
		out = append(out, st)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(out, next))
}
