package console

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// businessPageView is a business's page: its reporting signals, its sanctions
// (the history, newest first, with their trails) and the standing they give
// it now, and the forms to warn, suspend and lift.
type businessPageView struct {
	ID, Name  string
	Notice    string
	Signals   signalsView
	Proposal  string // the misuse rule's proposal of a warning, "" when none
	Suspended string // until when reporting is suspended, "" when it is not
	Warned    string // until when the warning in force runs, "" when none
	Sanctions []sanctionView
	// Forms: what was typed, and the problems found with it, per form
	// ("warn", "suspend", "lift-<sanction id>").
	Form     sanctionForm
	Problems map[string]string
}

type signalsView struct {
	From, To                     string
	Reports, Reinstated, Removed int
	Flagged                      bool
	Signals                      []signalRow
}

type signalRow struct {
	Name, Value, Threshold, Explanation string
	Flagged                             bool
}

type sanctionView struct {
	ID, Kind, Status, Note, Agent, Created, Until, Ended, LiftedBy string
	Active                                                         bool
	Trail                                                          []trailRow
}

// sanctionForm is what the agent typed into one of the page's forms, kept
// when it is refused. Which says which form it was.
type sanctionForm struct {
	Which, Note, Until, Sanction string
}

// For reports whether f was typed into the form named which.
func (f sanctionForm) For(which string) bool { return f.Which == which }

// NoteFor is the note typed into the form named which ("" for another form).
func (f sanctionForm) NoteFor(which string) string {
	if f.Which != which {
		return ""
	}
	return f.Note
}

// ProblemFor is the problem with field of the form named which.
func (v businessPageView) ProblemFor(which, field string) string {
	if v.Form.Which != which {
		return ""
	}
	return v.Problems[field]
}

func businessPageOf(b moderation.Business, sig moderation.ReportingSignals, recs []app.SanctionRecord, proposal *moderation.MisuseProposal,
	now time.Time, loc *time.Location) businessPageView {
	v := businessPageView{ID: b.ID, Name: b.Name}
	v.Signals = signalsView{From: sig.From, To: sig.To, Reports: sig.Reports, Reinstated: sig.Reinstated, Removed: sig.Removed, Flagged: sig.Flagged}
	for _, s := range []struct {
		name string
		sig  moderation.Signal
	}{
		{"Report volume", sig.ReportVolume}, {"Unfounded share", sig.UnfoundedShare}, {"Negative reviews only", sig.NegativeOnly},
		{"Repeat reports", sig.RepeatReports}, {"Reports per week", sig.PerWeek}, {"Replies removed", sig.ReplyRemovals},
	} {
		v.Signals.Signals = append(v.Signals.Signals, signalRow{Name: s.name, Value: number(s.sig.Value), Threshold: number(s.sig.Threshold),
			Explanation: s.sig.Explanation, Flagged: s.sig.Flagged})
	}
	if proposal != nil {
		v.Proposal = fmt.Sprintf("The misuse rule proposes a warning: %d of %d reports decided from %s to %s were reinstated (%s).",
			proposal.Reinstated, proposal.Decided, proposal.From, proposal.To, percent(proposal.Share))
	}
	for _, r := range slices.Backward(recs) {
		s := r.Sanction
		sv := sanctionView{ID: s.ID, Kind: string(s.Kind), Status: string(s.Status), Note: s.Note, Agent: s.Agent,
			Created: FormatTime(s.CreatedAt, loc), Until: FormatTime(s.Until, loc), Ended: FormatTime(s.EndedAt, loc),
			LiftedBy: s.LiftedBy, Active: s.ActiveAt(now)}
		if !sv.Active {
			sv.Status = string(moderation.SanctionEnded) // ended by the clock, perhaps before its end is recorded
		}
		for _, e := range r.Trail {
			row := trailRow{At: FormatTime(e.At, loc), Actor: e.Actor, Action: e.Action, Note: e.Note}
			if e.From != "" || e.To != "" {
				row.Change = e.From + " → " + e.To
			}
			sv.Trail = append(sv.Trail, row)
		}
		v.Sanctions = append(v.Sanctions, sv)
	}
	if t := latestUntil(recs, moderation.SanctionSuspension, now); !t.IsZero() {
		v.Suspended = FormatTime(t, loc)
	}
	if t := latestUntil(recs, moderation.SanctionWarning, now); !t.IsZero() {
		v.Warned = FormatTime(t, loc)
	}
	return v
}

// latestUntil is the latest until of the business's sanctions of kind in force at now.
func latestUntil(recs []app.SanctionRecord, kind moderation.SanctionKind, now time.Time) time.Time {
	var t time.Time
	for _, r := range recs {
		if s := r.Sanction; s.Kind == kind && s.ActiveAt(now) && s.Until.After(t) {
			t = s.Until
		}
	}
	return t
}

func number(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

func percent(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + " %" }

// untilLayout is how the suspension form's end is typed (an HTML
// datetime-local field), in the agent's time zone.
const untilLayout = "2006-01-02T15:04"

// parseUntil reads the suspension form's end in the agent's zone; bad is
// the problem when it cannot be read ("" when it can, or when it is empty:
// the rule then says it is required).
func parseUntil(s string, loc *time.Location) (until time.Time, bad string) {
	if s == "" {
		return time.Time{}, ""
	}
	t, err := time.ParseInLocation(untilLayout, s, loc)
	if err != nil {
		return time.Time{}, "must be a date and time (YYYY-MM-DDTHH:MM)"
	}
	return t, ""
}
