package moderation

import (
	"reflect"
	"testing"
	"time"
)

func TestWhoIsTold(t *testing.T) {
	tests := []struct {
		outcome Outcome
		want    Told
	}{
		{OutcomeReinstated, Told{Business: true, Reviewer: true}},
		{OutcomeRemoved, Told{Reviewer: true, StatementOfReasons: true}}, // the business is not emailed
		{OutcomeNone, Told{}},
	}
	for _, tt := range tests {
		if got := WhoIsTold(tt.outcome); got != tt.want {
			t.Errorf("WhoIsTold(%q) = %+v, want %+v", tt.outcome, got, tt.want)
		}
	}
}

func TestAnswerMarker(t *testing.T) {
	for kind, want := range map[string]string{"proof": MarkerProofReceived, "evidence": MarkerReviewerResponded, "edit": MarkerReviewerResponded} {
		if got := AnswerMarker(kind); got != want {
			t.Errorf("AnswerMarker(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestDecide(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	p := DefaultPolicy
	rep := Report{ID: "rpt_1", Status: ReportInQueue, Items: []ReportItem{
		{Scope: ScopeReview, Reason: ReasonSpam}, {Scope: ScopeContent, Reason: ReasonOffensiveOrHarmful}}}
	held := Ticket{ID: "tkt_1", Status: TicketInProgress, Assignee: "ada", Rounds: 1}
	note := "the facts relied on, at length"
	dec := func(outcome string, f func(*Decision)) Decision {
		d := Decision{Outcome: outcome, Note: note, Agent: "ada", At: now}
		if f != nil {
			f(&d)
		}
		return d
	}
	tests := []struct {
		name string
		t    Ticket
		d    Decision
		want Consequence
		err  want
	}{
		{"reinstate", held, dec(DecideReinstate, nil), Consequence{ReportStatus: ReportClosed, TicketStatus: TicketDecided,
			Outcome: OutcomeReinstated, Visibility: Published, Counted: OutcomeReinstated,
			Told: Told{Business: true, Reviewer: true}, AppealFor: PartyBusiness, AppealWindow: p.AppealWindow}, accepted},
		{"remove", held, dec(DecideRemove, func(d *Decision) { d.UpheldReasons = []Reason{ReasonSpam} }), Consequence{
			ReportStatus: ReportClosed, TicketStatus: TicketDecided, Outcome: OutcomeRemoved, Ground: GroundGuidelineViolation,
			UpheldReasons: []Reason{ReasonSpam}, Visibility: Removed, Counted: OutcomeRemoved,
			Statement: &Statement{Reasons: []Reason{ReasonSpam}, Ground: GroundGuidelineViolation, DecidedAt: now},
			Told:      Told{Reviewer: true, StatementOfReasons: true}, AppealFor: PartyReviewer, AppealWindow: p.AppealWindow}, accepted},
		{"ask for evidence", held, dec(DecideReviewerAction, func(d *Decision) {
			d.Kind, d.Message = ActionEvidence, "please send the order confirmation"
		}), Consequence{ReportStatus: ReportAwaitingReviewer, TicketStatus: TicketWaitingForReviewer, Round: 2,
			ReviewerDeadline: now.Add(p.ReviewerActionWindow), Told: Told{Reviewer: true}}, accepted},
		{"rounds exhausted", Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: p.MaxReviewerRounds},
			dec(DecideReviewerAction, func(d *Decision) { d.Kind, d.Message = ActionEdit, "please remove the phone number" }),
			Consequence{}, conflict(CodeRoundsExhausted, nil)},
		{"not held", Ticket{Status: TicketInProgress, Assignee: "bob"}, dec(DecideReinstate, nil), Consequence{}, conflict(CodeTicketNotInProgress, nil)},
		{"removal upholding nothing", held, dec(DecideRemove, nil), Consequence{}, invalid(map[string]string{"upheldReasons": "at least one"})},
		{"removal upholding an unreported reason", held, dec(DecideRemove, func(d *Decision) { d.UpheldReasons = []Reason{ReasonNoGenuineExperience} }),
			Consequence{}, invalid(map[string]string{"upheldReasons": "must be reasons of the report"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decide(rep, tt.t, tt.d, p, now)
			check(t, err, tt.err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decide = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestDecideReadsThePolicy: the round limit and the reviewer's window are
// the deployment's, not constants.
func TestDecideReadsThePolicy(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{MaxReviewerRounds: 1, ReviewerActionWindow: 2 * time.Hour}
	d := Decision{Outcome: DecideReviewerAction, Kind: ActionEvidence, Message: "please send the order confirmation",
		Note: "the facts relied on", Agent: "ada", At: now}
	c, err := Decide(Report{}, Ticket{Status: TicketInProgress, Assignee: "ada"}, d, p, now)
	if err != nil || c.ReviewerDeadline != now.Add(2*time.Hour) {
		t.Fatalf("Decide = %+v, %v; want the reviewer's deadline 2 h from now", c, err)
	}
	_, err = Decide(Report{}, Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: 1}, d, p, now)
	check(t, err, conflict(CodeRoundsExhausted, nil))
}

func TestCloseForNoProof(t *testing.T) {
	now := time.Date(2026, 6, 8, 12, 0, 0, 0, time.UTC)
	want := Consequence{ReportStatus: ReportClosed, TicketStatus: TicketDecided, Outcome: OutcomeRemoved, Ground: GroundNoProofProvided,
		UpheldReasons: []Reason{ReasonNoGenuineExperience}, Visibility: Removed, Counted: OutcomeRemoved,
		Statement: &Statement{Reasons: []Reason{ReasonNoGenuineExperience}, Ground: GroundNoProofProvided, Automated: true, DecidedAt: now},
		Told:      Told{Reviewer: true, StatementOfReasons: true}, AppealFor: PartyReviewer, AppealWindow: DefaultPolicy.AppealWindow}
	tests := []struct {
		status ReportStatus
		ok     bool
	}{
		{ReportAwaitingProof, true},
		{ReportInQueue, false},          // the proof came in time
		{ReportAwaitingReviewer, false}, // and an agent asked for more
		{ReportClosed, false},           // closed already
	}
	for _, tt := range tests {
		got, err := CloseForNoProof(Report{ID: "rpt_1", Status: tt.status}, Policy{}, now)
		if tt.ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: CloseForNoProof = %+v, %v; want %+v", tt.status, got, err, want)
		}
		if !tt.ok && err == nil {
			t.Errorf("%s: CloseForNoProof removed the review: %+v", tt.status, got)
		}
	}
}

func TestAppealDeadline(t *testing.T) {
	told := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	c := Closing(OutcomeReinstated, "", nil, false, Policy{AppealWindow: time.Hour}, told)
	if got := c.AppealDeadline(told); got != told.Add(time.Hour) {
		t.Errorf("deadline %s, want an hour after being told", got)
	}
	if got := (Consequence{}).AppealDeadline(told); !got.IsZero() {
		t.Errorf("a consequence no one may appeal has deadline %s", got)
	}
}

func TestDecideAppeal(t *testing.T) {
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	rep := Report{ID: "rpt_1", Status: ReportClosed, Items: []ReportItem{{Scope: ScopeReview, Reason: ReasonSpam}}}
	appeal := func(by Party, contested Outcome) Appeal {
		return Appeal{ID: "apl_1", Appellant: by, Contested: contested, Status: AppealInProgress, Assignee: "bob", FirstAgent: "ada"}
	}
	dec := func(outcome string, upheld ...Reason) AppealDecision {
		return AppealDecision{Outcome: outcome, Note: "looked at it again", UpheldReasons: upheld, Agent: "bob", At: now}
	}
	tests := []struct {
		name string
		a    Appeal
		d    AppealDecision
		want AppealConsequence
		err  want
	}{
		{"reviewer's appeal upheld: the business is not emailed", appeal(PartyReviewer, OutcomeRemoved), dec(AppealUphold),
			AppealConsequence{Result: OutcomeRemoved, Told: Told{Reviewer: true}}, accepted},
		{"business's appeal upheld: both told", appeal(PartyBusiness, OutcomeReinstated), dec(AppealUphold),
			AppealConsequence{Result: OutcomeReinstated, Told: Told{Business: true, Reviewer: true}}, accepted},
		{"reviewer's appeal reverses a removal", appeal(PartyReviewer, OutcomeRemoved), dec(AppealReverse),
			AppealConsequence{Result: OutcomeReinstated, Reversed: true, From: Removed, Visibility: Published,
				Uncounted: OutcomeRemoved, Counted: OutcomeReinstated, Told: Told{Business: true, Reviewer: true}}, accepted},
		{"business's appeal reverses a reinstatement", appeal(PartyBusiness, OutcomeReinstated), dec(AppealReverse, ReasonSpam),
			AppealConsequence{Result: OutcomeRemoved, Reversed: true, Ground: GroundGuidelineViolation, UpheldReasons: []Reason{ReasonSpam},
				From: Published, Visibility: Removed, Uncounted: OutcomeReinstated, Counted: OutcomeRemoved,
				Statement: &Statement{Reasons: []Reason{ReasonSpam}, Ground: GroundGuidelineViolation, OnAppeal: true, DecidedAt: now},
				Told:      Told{Business: true, Reviewer: true, StatementOfReasons: true}}, accepted},
		{"the first decision's agent", Appeal{Appellant: PartyReviewer, Contested: OutcomeRemoved, Status: AppealInProgress, Assignee: "ada", FirstAgent: "ada"},
			AppealDecision{Outcome: AppealUphold, Note: "looked at it again", Agent: "ada"}, AppealConsequence{}, conflict(CodeAppealConflict, nil)},
		{"a removal on appeal upholding nothing", appeal(PartyBusiness, OutcomeReinstated), dec(AppealReverse),
			AppealConsequence{}, invalid(map[string]string{"upheldReasons": "at least one"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecideAppeal(tt.a, rep, tt.d)
			check(t, err, tt.err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecideAppeal = %+v, want %+v", got, tt.want)
			}
		})
	}
}
