package moderation

import "time"

// WindowName names a window a report can be in.
type WindowName string

// The windows an agent sees on a case.
const (
	WindowProof          WindowName = "proof"           // P6: the reviewer's proof of the experience
	WindowReviewerAction WindowName = "reviewer_action" // P7: the evidence or edit an agent asked for
	WindowAppeal         WindowName = "appeal"          // DSA Art. 20: the appeal against the decision
)

// Window is a window of a report: its policy length, when it ends and
// whether it still runs.
type Window struct {
	Name    WindowName
	Length  time.Duration
	Ends    time.Time
	Running bool
}

// ReportWindows (the windows rule) is the windows report r is in at now,
// from its state: the proof window while it awaits proof and the
// reviewer-action window while it awaits the reviewer (both ending at
// reviewerDeadline, which the report records), and the appeal window once
// the party the decision went against was told of it, while no appeal was
// filed (running until AppealDeadline, then shown as ended). Lengths are
// p's. A report in the queue is in no window: its ticket waits for an agent
// without limit.
func ReportWindows(r Report, reviewerDeadline time.Time, p Policy, now time.Time) []Window {
	var out []Window
	switch {
	case r.Status == ReportAwaitingProof && !reviewerDeadline.IsZero():
		out = append(out, Window{Name: WindowProof, Length: p.ProofWindow, Ends: reviewerDeadline, Running: now.Before(reviewerDeadline)})
	case r.Status == ReportAwaitingReviewer && !reviewerDeadline.IsZero():
		out = append(out, Window{Name: WindowReviewerAction, Length: p.ReviewerActionWindow, Ends: reviewerDeadline, Running: now.Before(reviewerDeadline)})
	case r.Status == ReportClosed && r.AppealStatus == "" && !r.AppealDeadline.IsZero():
		out = append(out, Window{Name: WindowAppeal, Length: p.AppealWindow, Ends: r.AppealDeadline, Running: now.Before(r.AppealDeadline)})
	}
	return out
}
