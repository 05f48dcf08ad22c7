package moderation

import "time"

// FindRequest is a business's Find Reviewer request to the author of a
// review (P9–P11). The reviewer's answer is text only.
type FindRequest struct {
	ID         string
	BusinessID string
	ReviewID   string
	Message    string
	Status     RequestStatus
	// Round is 0 for the first window and 1 once the business's manual
	// reminder reopened the request (P11).
	Round              int
	Deadline           time.Time // end of the current window
	ReminderDueAt      time.Time // when the automatic reminder falls due (round 0)
	RemindersSent      []time.Time
	ManualReminderUsed bool
	Reply              string // the reviewer's answer ("" until replied)
	RepliedAt          time.Time
	ExpiredAt          time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// CanRemind checks P11: a business may send one manual reminder, and only
// after the request expired without a reply.
func CanRemind(r FindRequest) error {
	switch {
	case r.Status != RequestExpired:
		return Conflict(CodeReminderNotAllowed, "a reminder can only be sent after the request expired without a reply")
	case r.ManualReminderUsed:
		return Conflict(CodeReminderNotAllowed, "the one manual reminder for this request was already sent")
	}
	return nil
}

// Valid reports whether s is a known request status.
func (s RequestStatus) Valid() bool {
	switch s {
	case RequestAwaitingReply, RequestReplied, RequestExpired:
		return true
	}
	return false
}
