package moderation

import "time"

// InternalNote is an agent's note on a ticket, for compliance only: it is
// never shown to a business or a reviewer, and never changed once written.
type InternalNote struct {
	ID       string
	TicketID string
	Author   string // the agent's sub
	Text     string
	At       time.Time
}

// The length of an internal note, in visible characters (the text rule).
const (
	MinInternalNote = 1
	MaxInternalNote = 2000
)

// NewInternalNote (the note rule) is agent's note text on ticket t at now:
// the text cleaned by the text rule and of MinInternalNote..MaxInternalNote
// visible characters (422 with the problem under "text" otherwise). Any
// agent may note on any ticket, decided ones included: a note written after
// the decision is there for whoever handles the appeal.
func NewInternalNote(id string, t Ticket, agent, text string, now time.Time) (InternalNote, error) {
	var f problems
	f.add("text", checkText(text, MinInternalNote, MaxInternalNote))
	if err := f.err(); err != nil {
		return InternalNote{}, err
	}
	return InternalNote{ID: id, TicketID: t.ID, Author: agent, Text: CleanText(text), At: now}, nil
}
