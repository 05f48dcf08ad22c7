package api

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// signalView is one judged reporting signal.
type signalView struct {
	Value       float64 `json:"value"`
	Threshold   float64 `json:"threshold"`
	Flagged     bool    `json:"flagged"`
	Explanation string  `json:"explanation"`
}

func newSignalView(s moderation.Signal) signalView {
	return signalView{Value: s.Value, Threshold: s.Threshold, Flagged: s.Flagged, Explanation: s.Explanation}
}

type starShareView struct {
	Stars   int     `json:"stars"`
	Reports int     `json:"reports"`
	Share   float64 `json:"share"`
}

type starCompareView struct {
	Stars       int     `json:"stars"`
	Reports     int     `json:"reports"`
	ReportShare float64 `json:"reportShare"`
	Reviews     int     `json:"reviews"`
	ReviewShare float64 `json:"reviewShare"`
}

type weekView struct {
	Week    string `json:"week"`
	Reports int    `json:"reports"`
}

type windowView struct {
	FromMonth   string `json:"fromMonth"`
	ToMonth     string `json:"toMonth"`
	Granularity string `json:"granularity"`
}

// reportingView is a business's reporting signals (compliance only).
type reportingView struct {
	BusinessID string     `json:"businessId"`
	Window     windowView `json:"window"`
	Flagged    bool       `json:"flagged"`
	Reports    int        `json:"reports"`
	Reinstated int        `json:"reinstated"`
	Removed    int        `json:"removed"`
	// RepliesRemoved is how many of the business's replies compliance removed.
	RepliesRemoved int               `json:"repliesRemoved"`
	ByStars        []starCompareView `json:"byStars"`
	Weeks          []weekView        `json:"weeks"`
	Signals        struct {
		Reports        signalView `json:"reports"`
		UnfoundedShare signalView `json:"unfoundedShare"`
		NegativeOnly   signalView `json:"negativeOnly"`
		RepeatReports  signalView `json:"repeatReports"`
		ReportsPerWeek signalView `json:"reportsPerWeek"`
		ReplyRemovals  signalView `json:"replyRemovals"`
	} `json:"signals"`
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)/float64(of)*1000+0.5)) / 1000
}

func sum(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func newWindowView(s moderation.ReportingSignals) windowView {
	return windowView{FromMonth: s.From, ToMonth: s.To, Granularity: "calendar month (UTC) of filing"}
}

func newReportingView(s moderation.ReportingSignals) reportingView {
	v := reportingView{BusinessID: s.BusinessID, Window: newWindowView(s), Flagged: s.Flagged,
		Reports: s.Reports, Reinstated: s.Reinstated, Removed: s.Removed, RepliesRemoved: s.RepliesRemoved, ByStars: []starCompareView{}, Weeks: []weekView{}}
	nRep, nRev := sum(s.ByStars), sum(s.ReviewsBy)
	for st := 1; st <= 5; st++ {
		v.ByStars = append(v.ByStars, starCompareView{Stars: st, Reports: s.ByStars[st], ReportShare: share(s.ByStars[st], nRep),
			Reviews: s.ReviewsBy[st], ReviewShare: share(s.ReviewsBy[st], nRev)})
	}
	for _, w := range s.Weeks {
		v.Weeks = append(v.Weeks, weekView{Week: w.Week, Reports: w.Count})
	}
	v.Signals.Reports = newSignalView(s.ReportVolume)
	v.Signals.UnfoundedShare = newSignalView(s.UnfoundedShare)
	v.Signals.NegativeOnly = newSignalView(s.NegativeOnly)
	v.Signals.RepeatReports = newSignalView(s.RepeatReports)
	v.Signals.ReportsPerWeek = newSignalView(s.PerWeek)
	v.Signals.ReplyRemovals = newSignalView(s.ReplyRemovals)
	return v
}

type reasonCountView struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// flaggingView is a business's public flagging record: counts only, no
// personal data, no review text.
type flaggingView struct {
	BusinessID   string            `json:"businessId"`
	BusinessName string            `json:"businessName"`
	Window       windowView        `json:"window"`
	Reported     int               `json:"reported"`
	Reinstated   int               `json:"reinstated"`
	Removed      int               `json:"removed"`
	Pending      int               `json:"pending"`
	RemovedBy    []reasonCountView `json:"removedByReason"`
	ByStars      []starShareView   `json:"byStars"`
}

// businessReporting shows a business's reporting signals to compliance.
func (a *API) businessReporting(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	s, err := a.app.KnownReportingSignals(r.Context(), r.PathValue("businessId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newReportingView(s))
}

// publicFlagging shows a business's flagging record over the last 12 months (no auth).
func (a *API) publicFlagging(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	id := r.PathValue("businessId")
	b, err := a.app.Business(r.Context(), id)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	s, err := a.app.ReportingSignals(r.Context(), id)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	v := flaggingView{BusinessID: b.ID, BusinessName: b.Name, Window: newWindowView(s), Reported: s.Reports, Reinstated: s.Reinstated,
		Removed: s.Removed, Pending: max(0, s.Reports-s.Reinstated-s.Removed), RemovedBy: []reasonCountView{}, ByStars: []starShareView{}}
	reasons := make([]string, 0, len(s.RemovedBy))
	for k := range s.RemovedBy {
		reasons = append(reasons, string(k))
	}
	sort.Strings(reasons)
	for _, k := range reasons {
		v.RemovedBy = append(v.RemovedBy, reasonCountView{Reason: k, Count: s.RemovedBy[moderation.Reason(k)]})
	}
	n := sum(s.ByStars)
	for st := 1; st <= 5; st++ {
		v.ByStars = append(v.ByStars, starShareView{Stars: st, Reports: s.ByStars[st], Share: share(s.ByStars[st], n)})
	}
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(300))
	httpapi.WriteJSON(w, http.StatusOK, v)
}
