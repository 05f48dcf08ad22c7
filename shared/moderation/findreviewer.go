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

// CanFindReviewer applies the checks of P9. It returns nil when the business
// may send a Find Reviewer request on the review now, or a KindConflict
// *Error: find_reviewer_not_available when the review was invited through the
// platform or is removed, request_open when a request on it is still awaiting
// a reply, find_reviewer_used when a request was already made on the review's
// current version (one request per version; a reviewer's edit makes a new
// version and allows one more).
func CanFindReviewer(rc ReviewContext) error {
	r := rc.Review
	switch {
	case r.Source == SourceInvitedPlatform:
		return Conflict(CodeFindReviewerUnavailable, "Find Reviewer is not available for reviews invited through the platform")
	case r.Visibility == Removed:
		return Conflict(CodeFindReviewerUnavailable, "Find Reviewer is not available for a removed review")
	}
	if _, awaiting := rc.requestState(); awaiting {
		return Conflict(CodeRequestOpen, "a Find Reviewer request on this review is still awaiting a reply")
	}
	if r.LastRequestedVersion >= r.Version {
		return Conflict(CodeFindReviewerUsed, "a Find Reviewer request was already made on this version of the review; it can be asked again after the reviewer edits it")
	}
	return nil
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
