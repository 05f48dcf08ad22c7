package moderation

import (
	"strings"
	"testing"
	"time"
)

func TestValidateDecision(t *testing.T) {
	held := Ticket{Status: TicketInProgress, Assignee: "ada"}
	note := "The text names a private person."
	msg := "Please send us your order confirmation for this purchase."
	reported := []Reason{ReasonSpam, ReasonPromotional}
	up := []Reason{ReasonPromotional}
	cases := []struct {
		name  string
		t     Ticket
		d     Decision
		code  string
		field string
	}{
		{"reinstate", held, Decision{Outcome: DecideReinstate, Note: note, Agent: "ada"}, "", ""},
		{"remove", held, Decision{Outcome: DecideRemove, Note: note, Agent: "ada", UpheldReasons: up}, "", ""},
		{"remove upholding every reason", held, Decision{Outcome: DecideRemove, Note: note, Agent: "ada", UpheldReasons: reported}, "", ""},
		{"remove without upheld reasons", held, Decision{Outcome: DecideRemove, Note: note, Agent: "ada"}, CodeValidationFailed, "upheldReasons"},
		{"remove upholding a reason not reported", held, Decision{Outcome: DecideRemove, Note: note, Agent: "ada", UpheldReasons: []Reason{ReasonCompetitor}}, CodeValidationFailed, "upheldReasons"},
		{"remove upholding a reason twice", held, Decision{Outcome: DecideRemove, Note: note, Agent: "ada", UpheldReasons: []Reason{ReasonSpam, ReasonSpam}}, CodeValidationFailed, "upheldReasons"},
		{"reinstate with upheld reasons", held, Decision{Outcome: DecideReinstate, Note: note, Agent: "ada", UpheldReasons: up}, CodeValidationFailed, "upheldReasons"},
		{"evidence", held, Decision{Outcome: DecideReviewerAction, Kind: ActionEvidence, Message: msg, Note: note, Agent: "ada"}, "", ""},
		{"edit in round 3", Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: 2}, Decision{Outcome: DecideReviewerAction, Kind: ActionEdit, Message: msg, Note: note, Agent: "ada"}, "", ""},
		{"fourth round", Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: 3}, Decision{Outcome: DecideReviewerAction, Kind: ActionEdit, Message: msg, Note: note, Agent: "ada"}, CodeRoundsExhausted, ""},
		{"removal after three rounds", Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: 3}, Decision{Outcome: DecideRemove, Note: note, Agent: "ada", UpheldReasons: up}, "", ""},
		{"not claimed", Ticket{Status: TicketOpen}, Decision{Outcome: DecideRemove, Note: note, Agent: "ada"}, CodeTicketNotInProgress, ""},
		{"held by another", Ticket{Status: TicketInProgress, Assignee: "bob"}, Decision{Outcome: DecideRemove, Note: note, Agent: "ada"}, CodeTicketNotInProgress, ""},
		{"decided", Ticket{Status: TicketDecided, Assignee: "ada"}, Decision{Outcome: DecideRemove, Note: note, Agent: "ada"}, CodeTicketNotInProgress, ""},
		{"unknown outcome", held, Decision{Outcome: "delete", Note: note, Agent: "ada"}, CodeValidationFailed, "outcome"},
		{"short note", held, Decision{Outcome: DecideRemove, Note: "bad", Agent: "ada"}, CodeValidationFailed, "note"},
		{"long note", held, Decision{Outcome: DecideRemove, Note: strings.Repeat("ä", 2001), Agent: "ada"}, CodeValidationFailed, "note"},
		{"kind on reinstate", held, Decision{Outcome: DecideReinstate, Kind: ActionEdit, Note: note, Agent: "ada"}, CodeValidationFailed, "kind"},
		{"request without kind", held, Decision{Outcome: DecideReviewerAction, Message: msg, Note: note, Agent: "ada"}, CodeValidationFailed, "kind"},
		{"request with short message", held, Decision{Outcome: DecideReviewerAction, Kind: ActionEvidence, Message: "Proof?", Note: note, Agent: "ada"}, CodeValidationFailed, "message"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateDecision(tc.t, tc.d, reported, 0)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != tc.code {
				t.Fatalf("got %v, want code %s", err, tc.code)
			}
			if _, has := e.Fields[tc.field]; tc.field != "" && !has {
				t.Errorf("fields %v lack %q", e.Fields, tc.field)
			}
		})
	}
}

func TestValidateDecisionHonoursTheDeploymentsRoundLimit(t *testing.T) {
	held := Ticket{Status: TicketInProgress, Assignee: "ada", Rounds: 1}
	d := Decision{Outcome: DecideReviewerAction, Kind: ActionEvidence, Message: "Please send us your order confirmation.", Note: "Need proof.", Agent: "ada"}
	if err := ValidateDecision(held, d, nil, 1); err == nil {
		t.Error("a second round was allowed with a limit of 1")
	}
	if err := ValidateDecision(held, d, nil, 2); err != nil {
		t.Errorf("a second round with a limit of 2: %v", err)
	}
}

func TestCanClaim(t *testing.T) {
	for _, s := range TicketStatuses() {
		err := CanClaim(Ticket{Status: s})
		if (err == nil) != (s == TicketOpen) {
			t.Errorf("CanClaim(%s) = %v", s, err)
		}
	}
}

func TestApplyReviewerEdit(t *testing.T) {
	now := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	r := Review{Version: 2, Title: "Bad", Text: "The owner is a crook.", Stars: 1, ExperienceDate: "2026-10-01"}
	next, v, err := ApplyReviewerEdit(r, EditInput{Title: "Bad", Text: "  The service was slow.  ", Stars: 2}, now)
	if err != nil || next.Version != 3 || next.Text != "The service was slow." || next.Stars != 2 || v.Version != 3 || v.By != VersionByReviewer || !v.At.Equal(now) {
		t.Fatalf("edit = %+v %+v %v", next, v, err)
	}
	if _, _, err := ApplyReviewerEdit(r, EditInput{Title: "Bad", Text: "The owner is a crook."}, now); err == nil {
		t.Error("an edit that changes nothing was accepted")
	}
	if _, _, err := ApplyReviewerEdit(r, EditInput{Title: "Bad", Text: " "}, now); err == nil {
		t.Error("an empty text was accepted")
	}
	if _, _, err := ApplyReviewerEdit(r, EditInput{Text: "x", Stars: 6}, now); err == nil {
		t.Error("6 stars were accepted")
	}
}
