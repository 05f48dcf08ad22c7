package app

import (
	"context"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// SanctionStore is what warnings and suspensions (DSA Art. 23) need of the table.
type SanctionStore interface {
	PutSanction(ctx context.Context, s moderation.Sanction, e moderation.AuditEntry, start WorkflowStart, idem *Idempotency) error
	LiftSanction(ctx context.Context, s moderation.Sanction, e moderation.AuditEntry, start WorkflowStart, lowerBlock *[2]time.Time, idem *Idempotency) error
	ListSanctions(ctx context.Context, businessID string) ([]moderation.Sanction, error)
	SanctionTrail(ctx context.Context, id string) ([]moderation.AuditEntry, error)
}

// MachineSanction is the state machine of a sanction
// (statemachines/sanction.asl.json): it emails the business, waits until the
// sanction's until and records its end.
const MachineSanction = "sanction"

// SanctionInput is a sanction workflow's input: ids, the kind, and the
// instants the tasks read the sanction by and the Wait waits until.
type SanctionInput struct {
	BusinessID string `json:"businessId"`
	SanctionID string `json:"sanctionId"`
	Kind       string `json:"kind"`
	CreatedAt  string `json:"createdAt"`
	Until      string `json:"until"`
}

func sanctionStart(s moderation.Sanction) WorkflowStart {
	return sanctionExecution(s, s.ID, s.Until, s.CreatedAt)
}

// sanctionExecution is an execution of the sanction machine for s, named
// name, whose end task runs at end (a whole second: the Wait's timestamp).
func sanctionExecution(s moderation.Sanction, name string, end, at time.Time) WorkflowStart {
	in := SanctionInput{BusinessID: s.BusinessID, SanctionID: s.ID, Kind: string(s.Kind),
		CreatedAt: s.CreatedAt.UTC().Format(time.RFC3339Nano), Until: end.UTC().Format(time.RFC3339)}
	return WorkflowStart{Machine: MachineSanction, Name: name, Input: workflowInput(in), At: at}
}

// LiftExecution is the name of the execution a lift of sanction id starts:
// its end, at once, is the one that tells the business of the lift.
func LiftExecution(id string) string { return id + "-lifted" }

// SanctionRecord is a sanction with its audit trail.
type SanctionRecord struct {
	Sanction moderation.Sanction
	Trail    []moderation.AuditEntry
}

// Warn records a compliance agent's warning of a business; it lapses
// moderation.WarningLifetime later.
func (a *App) Warn(ctx context.Context, actor Actor, businessID, note string, idem *Idempotency) (moderation.Sanction, error) {
	return a.sanction(ctx, actor, businessID, moderation.SanctionWarning, note, time.Time{}, idem)
}

// Suspend records a compliance agent's suspension of a business's reporting until until.
func (a *App) Suspend(ctx context.Context, actor Actor, businessID, note string, until time.Time, idem *Idempotency) (moderation.Sanction, error) {
	return a.sanction(ctx, actor, businessID, moderation.SanctionSuspension, note, until, idem)
}

func (a *App) sanction(ctx context.Context, actor Actor, businessID string, kind moderation.SanctionKind, note string, until time.Time, idem *Idempotency) (moderation.Sanction, error) {
	if err := a.knownBusiness(ctx, businessID); err != nil {
		return moderation.Sanction{}, err
	}
	note = moderation.CleanText(note)
	now := a.clock.Now()
	if err := moderation.ValidateSanction(kind, note, until, now, ""); err != nil {
		return moderation.Sanction{}, err
	}
	until = until.UTC().Truncate(time.Second) // the state machine's Wait reads whole seconds
	if kind == moderation.SanctionWarning {
		until = now.Add(moderation.WarningLifetime).UTC().Truncate(time.Second)
	} else if in, err := a.ReportingSuspension(ctx, businessID); err != nil {
		return moderation.Sanction{}, fmt.Errorf("sanction %s: %w", businessID, err)
	} else if in != nil && until.Before(in.Until) {
		// The block is never lowered: a shorter suspension would promise an
		// end that the one in force does not keep.
		return moderation.Sanction{}, moderation.InvalidField("until", "must not be before "+
			in.Until.UTC().Format(time.RFC3339)+", when the suspension in force ends")
	}
	s := moderation.Sanction{ID: ids.New("snc"), BusinessID: businessID, Kind: kind, Status: moderation.SanctionActive,
		Note: note, Agent: actor.audit(), CreatedAt: now, Until: until.UTC()}
	if idem != nil {
		idem.Resource = s.ID
	}
	e := moderation.AuditEntry{At: now, Actor: s.Agent, Action: "sanction." + string(kind), To: string(s.Status), Note: note}
	ws := sanctionStart(s)
	if err := a.store.PutSanction(ctx, s, e, ws, idem); err != nil {
		return moderation.Sanction{}, fmt.Errorf("sanction %s: %w", businessID, err)
	}
	a.start(ctx, ws)
	return s, nil
}

func (a *App) knownBusiness(ctx context.Context, businessID string) error {
	if !moderation.ValidID(businessID) {
		return notFound("business")
	}
	_, err := a.Business(ctx, businessID)
	return err
}

// Sanctions lists a business's warnings and suspensions, oldest first, each
// with its audit trail. A sanction whose end has passed shows as ended even
// before its end is recorded.
func (a *App) Sanctions(ctx context.Context, businessID string) ([]SanctionRecord, error) {
	if err := a.knownBusiness(ctx, businessID); err != nil {
		return nil, err
	}
	list, err := a.store.ListSanctions(ctx, businessID)
	if err != nil {
		return nil, err
	}
	now := a.clock.Now()
	out := make([]SanctionRecord, len(list))
	for i, s := range list {
		if out[i], err = a.sanctionRecord(ctx, s, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Sanction reads one sanction of a business with its audit trail (two
// Queries), shown as Sanctions shows it.
func (a *App) Sanction(ctx context.Context, businessID, id string) (SanctionRecord, error) {
	list, err := a.store.ListSanctions(ctx, businessID)
	if err != nil {
		return SanctionRecord{}, err
	}
	for _, s := range list {
		if s.ID == id {
			return a.sanctionRecord(ctx, s, a.clock.Now())
		}
	}
	return SanctionRecord{}, notFound("sanction")
}

// sanctionRecord is s with its trail; one whose until has passed shows as
// ended even before its end is recorded.
func (a *App) sanctionRecord(ctx context.Context, s moderation.Sanction, now time.Time) (SanctionRecord, error) {
	trail, err := a.store.SanctionTrail(ctx, s.ID)
	if err != nil {
		return SanctionRecord{}, err
	}
	if s.Status == moderation.SanctionActive && !s.ActiveAt(now) {
		s.Status = moderation.SanctionEnded
	}
	return SanctionRecord{Sanction: s, Trail: trail}, nil
}

// ReportingSuspension returns the suspension in force on a business's
// reporting now, if any. It reads the clock and the suspension's until, so
// reporting reopens when until passes whether or not the end was recorded yet.
func (a *App) ReportingSuspension(ctx context.Context, businessID string) (*moderation.Sanction, error) {
	list, err := a.store.ListSanctions(ctx, businessID)
	if err != nil {
		return nil, err
	}
	return a.standing(list, a.clock.Now()).Suspension, nil
}

// checkReporting refuses a report while the business's reporting is suspended.
func (a *App) checkReporting(ctx context.Context, businessID string) error {
	s, err := a.ReportingSuspension(ctx, businessID)
	if err != nil {
		return fmt.Errorf("check reporting suspension: %w", err)
	}
	if s != nil {
		return moderation.ReportingSuspended(*s)
	}
	return nil
}

// Lift ends an active warning or suspension of a business before its until:
// a mistake corrected, or the business's objection upheld (it objects by
// replying to the sanction's email). The agent's note is the reason, kept
// in the sanction's audit trail (sanction.lifted). A suspension's lift
// lowers the reporting block to the end of the longest other suspension in
// force, or opens reporting at once. The sanction's workflow then tells the
// business: reporting reopened, or the warning withdrawn.
func (a *App) Lift(ctx context.Context, actor Actor, businessID, sanctionID, note string, idem *Idempotency) (moderation.Sanction, error) {
	if err := a.knownBusiness(ctx, businessID); err != nil {
		return moderation.Sanction{}, err
	}
	note = moderation.CleanText(note)
	if err := moderation.ValidateSanctionNote(note); err != nil {
		return moderation.Sanction{}, err
	}
	list, err := a.store.ListSanctions(ctx, businessID)
	if err != nil {
		return moderation.Sanction{}, err
	}
	now := a.clock.Now()
	var s *moderation.Sanction
	var others time.Time // the latest until of the business's other suspensions in force
	for i := range list {
		switch o := list[i]; {
		case o.ID == sanctionID:
			s = &list[i]
		case o.Kind == moderation.SanctionSuspension && o.ActiveAt(now) && o.Until.After(others):
			others = o.Until
		}
	}
	if s == nil {
		return moderation.Sanction{}, notFound("sanction")
	}
	if !s.ActiveAt(now) {
		return moderation.Sanction{}, moderation.SanctionNotActive(*s)
	}
	var lower *[2]time.Time
	if s.Kind == moderation.SanctionSuspension && s.Until.After(others) {
		to := others
		if to.IsZero() {
			to = now
		}
		lower = &[2]time.Time{s.Until, to}
	}
	lifted := *s
	lifted.Status, lifted.EndedAt, lifted.LiftedBy = moderation.SanctionEnded, now, actor.audit()
	if idem != nil {
		idem.Resource = s.ID
	}
	e := moderation.AuditEntry{At: now, Actor: lifted.LiftedBy, Action: "sanction.lifted", From: string(s.Status), To: string(lifted.Status), Note: note}
	ws := sanctionExecution(lifted, LiftExecution(s.ID), now, now) // tells the business at once
	if err := a.store.LiftSanction(ctx, lifted, e, ws, lower, idem); err != nil {
		return moderation.Sanction{}, fmt.Errorf("lift sanction %s: %w", sanctionID, err)
	}
	a.start(ctx, ws)
	return lifted, nil
}

// Standing is what a business may know of its own reporting: the
// suspension and the warning in force (nil when none) and its hourly limits.
type Standing struct {
	Suspension, Warning             *moderation.Sanction
	ReportsPerHour, RequestsPerHour int
}

// ReportingStanding returns the actor's business's standing now (one read
// of its sanctions).
func (a *App) ReportingStanding(ctx context.Context, actor Actor) (Standing, error) {
	list, err := a.store.ListSanctions(ctx, actor.BusinessID)
	if err != nil {
		return Standing{}, err
	}
	return a.standing(list, a.clock.Now()), nil
}

// standing is the standing a business's sanctions (list) give it at now.
func (a *App) standing(list []moderation.Sanction, now time.Time) Standing {
	st := Standing{ReportsPerHour: a.policy.ReportsPerHour, RequestsPerHour: a.policy.RequestsPerHour}
	for i := range list {
		s := list[i]
		if !s.ActiveAt(now) {
			continue
		}
		in := &st.Warning
		if s.Kind == moderation.SanctionSuspension {
			in = &st.Suspension
		}
		if *in == nil || s.Until.After((*in).Until) {
			*in = &s
		}
	}
	return st
}

// BusinessReporting is what compliance sees of a business's reporting on
// each of its tickets: the signals, the sanctions in force and the misuse
// rule's proposal (nil while a sanction is in force or the rule does not fire).
type BusinessReporting struct {
	Signals  moderation.ReportingSignals
	Standing Standing
	Proposal *moderation.MisuseProposal
}

// BusinessReporting reads a business's reporting for compliance: the
// counters once (one BatchGetItem) and the sanctions once (one Query).
func (a *App) BusinessReporting(ctx context.Context, businessID string) (BusinessReporting, error) {
	now := a.clock.Now()
	months, reviews, err := a.store.ReportingCounts(ctx, businessID, now)
	if err != nil {
		return BusinessReporting{}, err
	}
	list, err := a.store.ListSanctions(ctx, businessID)
	if err != nil {
		return BusinessReporting{}, err
	}
	br := BusinessReporting{Signals: moderation.JudgeSignals(businessID, now, months, reviews), Standing: a.standing(list, now)}
	br.Proposal = a.proposal(br.Standing, months, now)
	return br, nil
}

// proposal is the misuse rule's proposal on months at now, none while a
// warning or suspension is in force (st).
func (a *App) proposal(st Standing, months []moderation.MonthCounts, now time.Time) *moderation.MisuseProposal {
	if st.Warning != nil || st.Suspension != nil {
		return nil
	}
	return a.policy.Misuse.Evaluate(months, now)
}
