package moderation

import "testing"

func TestCanRelease(t *testing.T) {
	tests := []struct {
		name   string
		ticket Ticket
		agent  string
		want   string // the error code, "" for allowed
	}{
		{"held by the agent", Ticket{Status: TicketInProgress, Assignee: "ada"}, "ada", ""},
		{"held by another agent", Ticket{Status: TicketInProgress, Assignee: "bob"}, "ada", CodeTicketNotInProgress},
		{"in the queue", Ticket{Status: TicketOpen}, "ada", CodeTicketNotInProgress},
		{"waiting for the reviewer", Ticket{Status: TicketWaitingForReviewer, Assignee: "ada"}, "ada", CodeTicketNotInProgress},
		{"decided", Ticket{Status: TicketDecided, Assignee: "ada"}, "ada", CodeTicketNotInProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanRelease(tt.ticket, tt.agent)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CanRelease = %v, want allowed", err)
				}
				return
			}
			if e, ok := AsError(err); !ok || e.Code != tt.want || e.Kind != KindConflict {
				t.Fatalf("CanRelease = %v, want a %s conflict", err, tt.want)
			}
		})
	}
}
