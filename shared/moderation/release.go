package moderation

// CanRelease says whether agent may put ticket t back in the queue: only
// a ticket in progress, and only by the agent who holds it (409
// ticket_not_in_progress otherwise). A released ticket keeps its place in
// the queue: it was waiting since it was queued, not since the release.
func CanRelease(t Ticket, agent string) error {
	if t.Status != TicketInProgress {
		return Conflict(CodeTicketNotInProgress, "only a ticket in progress can be released; this one is "+string(t.Status))
	}
	if t.Assignee != agent {
		return Conflict(CodeTicketNotInProgress, "another agent holds this ticket; only they can release it")
	}
	return nil
}
