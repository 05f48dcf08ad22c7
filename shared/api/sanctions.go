package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// sanctionView is a warning or suspension as compliance reads it, with its audit trail.
type sanctionView struct {
	ID         string      `json:"id"`
	BusinessID string      `json:"businessId"`
	Kind       string      `json:"kind"`
	Status     string      `json:"status"`
	Note       string      `json:"note"`
	Agent      string      `json:"agent"`
	CreatedAt  string      `json:"createdAt"`
	Until      string      `json:"until"`
	EndedAt    string      `json:"endedAt,omitempty"`
	LiftedBy   string      `json:"liftedBy,omitempty"`
	Audit      []auditView `json:"audit"`
}

func newSanctionView(s moderation.Sanction, trail []moderation.AuditEntry) sanctionView {
	v := sanctionView{ID: s.ID, BusinessID: s.BusinessID, Kind: string(s.Kind), Status: string(s.Status), Note: s.Note,
		Agent: s.Agent, CreatedAt: rfc3339(s.CreatedAt), Until: rfc3339(s.Until), LiftedBy: s.LiftedBy, Audit: newAuditViews(trail)}
	if !s.EndedAt.IsZero() {
		v.EndedAt = rfc3339(s.EndedAt)
	}
	return v
}

type warningRequest struct {
	Note string `json:"note"`
}

type suspensionRequest struct {
	Until string `json:"until"`
	Note  string `json:"note"`
}

// warn records a warning of a business: 201 with the sanction.
func (a *API) warn(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req warningRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	s, err := a.app.Warn(r.Context(), actor(p), r.PathValue("businessId"), req.Note, idempotencyOf(r))
	writeSanction(w, r, s, err)
}

// suspend records a suspension of a business's reporting: 201 with the sanction.
func (a *API) suspend(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req suspensionRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	var until time.Time
	if req.Until != "" {
		t, err := time.Parse(time.RFC3339, req.Until)
		if err != nil { // with the note's problem too, if it has one
			httpapi.WriteError(w, r, moderation.ValidateSanction(moderation.SanctionSuspension, moderation.CleanText(req.Note),
				time.Time{}, a.clock.Now(), "must be an RFC 3339 date-time"))
			return
		}
		until = t
	}
	s, err := a.app.Suspend(r.Context(), actor(p), r.PathValue("businessId"), req.Note, until, idempotencyOf(r))
	writeSanction(w, r, s, err)
}

type liftRequest struct {
	Note string `json:"note"`
}

// lift ends an active warning or suspension early: 200 with the sanction
// and its audit trail.
func (a *API) lift(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req liftRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	if _, err := a.app.Lift(r.Context(), actor(p), r.PathValue("businessId"), r.PathValue("sanctionId"), req.Note, idempotencyOf(r)); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	v, err := a.sanctionAgain(r, p, r.PathValue("sanctionId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
}

// writeSanction answers the sanction just recorded (201, with its first
// audit entry, as the sanctions list shows it), or err.
func writeSanction(w http.ResponseWriter, r *http.Request, s moderation.Sanction, err error) {
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusCreated, newSanctionView(s, []moderation.AuditEntry{{At: s.CreatedAt, Actor: s.Agent,
		Action: "sanction." + string(s.Kind), To: string(s.Status), Note: s.Note}}))
}

// listSanctions lists a business's warnings and suspensions with their audit trails.
func (a *API) listSanctions(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	list, err := a.app.Sanctions(r.Context(), r.PathValue("businessId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]sanctionView, len(list))
	active := make([]moderation.Sanction, len(list))
	for i, rec := range list {
		views[i], active[i] = newSanctionView(rec.Sanction, rec.Trail), rec.Sanction
	}
	prop, err := a.app.WarningProposal(r.Context(), r.PathValue("businessId"), active)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	out := sanctionListView{Items: views}
	if prop != nil {
		out.Proposal = newProposalView(*prop)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// sanctionListView is a business's sanctions with the automatic rule's
// proposal, when it proposes a warning.
type sanctionListView struct {
	Items      []sanctionView `json:"items"`
	NextCursor *string        `json:"nextCursor"`
	Proposal   *proposalView  `json:"proposal,omitempty"`
}

// proposalView is the rule's proposal of a warning with the figures it
// rests on and the rule in words.
type proposalView struct {
	Kind           string     `json:"kind"`
	Status         string     `json:"status"`
	Window         windowView `json:"window"`
	DecidedReports int        `json:"decidedReports"`
	Reinstated     int        `json:"reinstated"`
	Share          float64    `json:"share"`
	MinReports     int        `json:"minReports"`
	MinShare       float64    `json:"minShare"`
	// Basis is the rule that proposes: unfounded_reports or reply_removals.
	Basis          string `json:"basis"`
	RepliesRemoved int    `json:"repliesRemoved"`
	Explanation    string `json:"explanation"`
}

func newProposalView(p moderation.MisuseProposal) *proposalView {
	if p.Basis == moderation.MisuseBasisReplies {
		return &proposalView{Kind: "warning", Status: "proposed",
			Window:         windowView{FromMonth: p.From, ToMonth: p.To, Granularity: "calendar month (UTC) of filing"},
			DecidedReports: p.Decided, Reinstated: p.Reinstated, Share: p.Share, MinReports: p.Rule.MinReports, MinShare: p.Rule.UnfoundedShare,
			Basis: p.Basis, RepliesRemoved: p.RepliesRemoved,
			Explanation: fmt.Sprintf("compliance removed %d of the business's replies from %s to %s for breaking the reply guidelines; "+
				"the rule proposes a warning from %d removals. A person decides: give the warning, or not.",
				p.RepliesRemoved, p.From, p.To, moderation.WarnAfterReplyRemovals)}
	}
	return &proposalView{Kind: "warning", Status: "proposed", Basis: p.Basis, RepliesRemoved: p.RepliesRemoved,
		Window:         windowView{FromMonth: p.From, ToMonth: p.To, Granularity: "calendar month (UTC) of filing"},
		DecidedReports: p.Decided, Reinstated: p.Reinstated, Share: p.Share, MinReports: p.Rule.MinReports, MinShare: p.Rule.UnfoundedShare,
		Explanation: fmt.Sprintf("%d of the %d decided reports filed from %s to %s ended with the review back online (%.0f %%); "+
			"the rule proposes a warning from %d decided reports and %.0f %% reinstated. A person decides: give the warning, or not.",
			p.Reinstated, p.Decided, p.From, p.To, p.Share*100, p.Rule.MinReports, p.Rule.UnfoundedShare*100)}
}

// withSuspension turns a review's canReport off while the business's
// reporting is suspended, with the suspension as the reason.
func withSuspension(v reviewDetailView, s *moderation.Sanction) reviewDetailView {
	if s != nil {
		v.CanReport, v.ReportRefusal = false, refusal(moderation.ReportingSuspended(*s))
	}
	return v
}

// standingView is a business's own reporting standing.
type standingView struct {
	CanReport  bool               `json:"canReport"`
	Suspension *ownSanctionView   `json:"suspension"`
	Warning    *ownSanctionView   `json:"warning"`
	Limits     standingLimitsView `json:"limits"`
}

// ownSanctionView is a sanction as the business it concerns reads it: the
// facts it was emailed, not the agent.
type ownSanctionView struct {
	ID        string `json:"id"`
	Note      string `json:"note"`
	CreatedAt string `json:"createdAt"`
	Until     string `json:"until"`
}

type standingLimitsView struct {
	ReportsPerHour  int `json:"reportsPerHour"`
	RequestsPerHour int `json:"requestsPerHour"`
}

func newOwnSanctionView(s *moderation.Sanction) *ownSanctionView {
	if s == nil {
		return nil
	}
	return &ownSanctionView{ID: s.ID, Note: s.Note, CreatedAt: rfc3339(s.CreatedAt), Until: rfc3339(s.Until)}
}

// reportingStanding shows the calling business its own standing as a
// reporter: whether it may report, the suspension or warning in force, its
// hourly limits.
func (a *API) reportingStanding(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	st, err := a.app.ReportingStanding(r.Context(), actor(p))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, standingView{CanReport: st.Suspension == nil, Suspension: newOwnSanctionView(st.Suspension),
		Warning: newOwnSanctionView(st.Warning), Limits: standingLimitsView{ReportsPerHour: st.ReportsPerHour, RequestsPerHour: st.RequestsPerHour}})
}

// sanctionsInForceView is, on a ticket, the business's warning and
// suspension in force (null when none) and the misuse rule's proposal.
type sanctionsInForceView struct {
	Warning    *inForceView  `json:"warning"`
	Suspension *inForceView  `json:"suspension"`
	Proposal   *proposalView `json:"proposal"`
}

type inForceView struct {
	ID        string `json:"id"`
	Agent     string `json:"agent"`
	CreatedAt string `json:"createdAt"`
	Until     string `json:"until"`
}

func newInForceView(s *moderation.Sanction) *inForceView {
	if s == nil {
		return nil
	}
	return &inForceView{ID: s.ID, Agent: s.Agent, CreatedAt: rfc3339(s.CreatedAt), Until: rfc3339(s.Until)}
}

func newSanctionsInForceView(br app.BusinessReporting) sanctionsInForceView {
	v := sanctionsInForceView{Warning: newInForceView(br.Standing.Warning), Suspension: newInForceView(br.Standing.Suspension)}
	if br.Proposal != nil {
		v.Proposal = newProposalView(*br.Proposal)
	}
	return v
}
