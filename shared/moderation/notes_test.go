package moderation

import (
	"strings"
	"testing"
	"time"
)

func TestNewInternalNote(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tk := Ticket{ID: "tkt_1", Status: TicketDecided}
	tests := []struct {
		name, text string
		want       string // the stored text
		problem    string // a part of the problem under "text", "" for accepted
	}{
		{"a note", "Asked the hotel for the booking list.", "Asked the hotel for the booking list.", ""},
		{"cleaned", "  line one\r\nline two  ", "line one\nline two", ""},
		{"one character", "x", "x", ""},
		{"at the limit", strings.Repeat("a", MaxInternalNote), strings.Repeat("a", MaxInternalNote), ""},
		{"empty", "", "", "required"},
		{"only white space", " \n\t ", "", "required"},
		{"too long", strings.Repeat("a", MaxInternalNote+1), "", "at most"},
		{"a bidi override", "see \u202Egnp.exe", "", "invisible formatting"},
		{"no letter or digit", "!!!", "", "letter or digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := NewInternalNote("note_1", tk, "ada", tt.text, now)
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("NewInternalNote(%q) = %v, want accepted", tt.text, err)
				}
				want := InternalNote{ID: "note_1", TicketID: "tkt_1", Author: "ada", Text: tt.want, At: now}
				if n != want {
					t.Fatalf("NewInternalNote(%q) = %+v, want %+v", tt.text, n, want)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Kind != KindInvalid || !strings.Contains(e.Fields["text"], tt.problem) {
				t.Fatalf("NewInternalNote(%q) = %v, want a problem under text saying %q", tt.text, err, tt.problem)
			}
		})
	}
}
