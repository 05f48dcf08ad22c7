package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

type reportItemRequest struct {
	Scope   string `json:"scope"`
	Reason  string `json:"reason"`
	Details string `json:"details"`
	Excerpt string `json:"excerpt"`
}

type reportRequest struct {
	Items           []reportItemRequest `json:"items"`
	PublicStatement string              `json:"publicStatement"`
}

// readBody buffers the (size-limited) body so that it can be both hashed for
// idempotency and decoded; DecodeJSON still enforces the limit and the type.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, httpapi.MaxBodyBytes+1))
	if err != nil {
		return nil, httpapi.Malformed("the body could not be read", nil)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// replayed answers a request whose Idempotency-Key was seen before, and
// reports whether it did.
func (a *API) replayed(w http.ResponseWriter, r *http.Request, err error) bool {
	var rep *store.Replay
	if errors.As(err, &rep) {
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(rep.Status)
		w.Write(rep.Body)
		return true
	}
	return false
}

// submitReport files a report (P1–P5): the review is hidden (P4), the report
// and its ticket are stored in one transaction, and 202 returns the report.
// Happy path: two DynamoDB calls (the review's context, the transaction).
func (a *API) submitReport(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	idem, err := a.keyed(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var req reportRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := a.clock.Now()
	refuse := func(err error) { a.refuse(w, r, idem, err) }
	rc, err := a.ownReviewContext(r, p)
	if err != nil {
		refuse(err)
		return
	}
	draft := moderation.ReportDraft{PublicStatement: moderation.CleanText(req.PublicStatement)}
	for _, it := range req.Items {
		draft.Items = append(draft.Items, moderation.ReportItem{Scope: moderation.Scope(it.Scope),
			Reason: moderation.Reason(it.Reason), Details: moderation.CleanText(it.Details), Excerpt: moderation.CleanText(it.Excerpt)})
	}
	if err := moderation.ValidateReport(rc, draft); err != nil {
		refuse(err)
		return
	}
	rep := moderation.Report{
		ID: ids.New("rpt"), BusinessID: p.BusinessID, ReviewID: rc.Review.ID, ReviewVersion: rc.Review.Version,
		ReviewStars: rc.Review.Stars, Status: moderation.ReportInQueue, Items: draft.Items,
		PublicStatement: draft.PublicStatement, HidesReview: a.policy.HidesReview(draft.Items),
		CreatedAt: now, UpdatedAt: now,
	}
	tk := moderation.Ticket{ID: ids.New("tkt"), ReportID: rep.ID, BusinessID: rep.BusinessID, ReviewID: rep.ReviewID,
		Status: moderation.TicketOpen, QueuedAt: now, CreatedAt: now, UpdatedAt: now}
	rep.TicketID = tk.ID
	var proofDeadline time.Time
	if moderation.NeedsProof(rep.Items) {
		// P6: the reviewer is asked for proof at once; the ticket joins the
		// queue when the proof arrives.
		rep.Status, tk.Status, proofDeadline = moderation.ReportAwaitingProof, moderation.TicketWaitingForReviewer, now.Add(a.windows.ReviewerResponse)
	}
	start := reportStart(rep)
	actor := "business:" + p.BusinessID + ":" + p.Subject
	view := newReportView(rep, []moderation.AuditEntry{{At: now, Actor: actor, Action: "report.submitted", To: string(rep.Status)}})
	resp, err := json.Marshal(view)
	if err != nil {
		a.fail(w, r, fmt.Errorf("submit report: %w", err))
		return
	}
	if idem != nil {
		idem.Status, idem.Body = http.StatusAccepted, resp
	}
	err = a.store.SubmitReport(ctx, store.ReportSubmission{Report: rep, Ticket: tk, Actor: actor, Idempotency: idem,
		ProofDeadline: proofDeadline, Start: &start})
	if a.replayed(w, r, err) {
		return
	}
	if errors.Is(err, store.ErrConflict) {
		// Lost a race: say what the review's state is now.
		if now, lerr := a.store.ReviewContext(ctx, rc.Review.ID); lerr == nil {
			if cerr := moderation.CanReport(now); cerr != nil {
				err = cerr
			} else {
				err = moderation.Conflict(moderation.CodeVersionConflict, "the review changed while it was being reported; load it and report again")
			}
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.startWorkflow(ctx, start)
	accepted(w, "/v1/reports/"+rep.ID, resp)
}

// listReports returns the caller's reports, newest first, optionally by status.
func (a *API) listReports(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := moderation.ReportStatus(r.URL.Query().Get("status"))
	if status != "" && !status.Valid() {
		a.fail(w, r, httpapi.Invalid(map[string]string{"status": "must be one of submitted, awaiting_proof, in_queue, awaiting_reviewer, closed"}))
		return
	}
	reps, next, err := a.store.ListReports(r.Context(), p.BusinessID, status, pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	views := make([]reportView, len(reps))
	for i, rep := range reps {
		views[i] = newReportView(rep, nil)
		views[i].Timeline = nil
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// getReport returns one of the caller's reports with its timeline.
func (a *API) getReport(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	id := r.PathValue("reportId")
	if !ids.Valid("rpt", id) {
		a.fail(w, r, httpapi.NotFound())
		return
	}
	rep, trail, err := a.store.GetReport(r.Context(), id)
	if err == nil && rep.BusinessID != p.BusinessID {
		err = httpapi.NotFound()
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newReportView(rep, trail))
}

type summaryView struct {
	Total     int            `json:"total"`
	ByStatus  map[string]int `json:"byStatus"`
	ByOutcome map[string]int `json:"byOutcome"`
	ByReason  map[string]int `json:"byReason"`
	ByStars   map[string]int `json:"byStars"`
}

// reportSummary counts the caller's reports by status, outcome, reason (a
// report counts once for each of its reasons) and the reported review's stars.
// Every known key is present, with 0 where nothing matches.
func (a *API) reportSummary(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	s := summaryView{ByStatus: map[string]int{}, ByOutcome: map[string]int{}, ByReason: map[string]int{}, ByStars: map[string]int{}}
	for _, st := range moderation.ReportStatuses() {
		s.ByStatus[string(st)] = 0
	}
	for _, o := range []moderation.Outcome{moderation.OutcomeReinstated, moderation.OutcomeRemoved} {
		s.ByOutcome[string(o)] = 0
	}
	for _, rs := range moderation.AllReasons() {
		s.ByReason[string(rs)] = 0
	}
	for i := 1; i <= 5; i++ {
		s.ByStars[strconv.Itoa(i)] = 0
	}
	err := a.store.EachReport(r.Context(), p.BusinessID, func(rep moderation.Report) {
		s.Total++
		s.ByStatus[string(rep.Status)]++
		if rep.Outcome != moderation.OutcomeNone {
			s.ByOutcome[string(rep.Outcome)]++
		}
		for _, it := range rep.Items {
			s.ByReason[string(it.Reason)]++
		}
		s.ByStars[strconv.Itoa(rep.ReviewStars)]++
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, s)
}
