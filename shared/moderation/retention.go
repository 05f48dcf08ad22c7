package moderation

import "time"

// DocumentsExpireAt (retention rule; Policy.DocumentRetention) is when the
// documents attached to the answers of report r are no longer needed and
// are to be deleted: DocumentRetention after the report's decision became
// final. The decision is final at the end of the appeal window when nobody
// appealed (r.AppealDeadline), at the appeal's decision when somebody did
// (appealDecidedAt), and when the report closed if its outcome cannot be
// appealed. ok is false while that moment is not known: the report is open,
// the party is not yet told (no deadline), or an appeal is open.
//
// The time is recomputed whenever the report changes: an appeal filed
// before the window ends replaces the window's end with its decision.
func (p Policy) DocumentsExpireAt(r Report, appealDecidedAt time.Time) (time.Time, bool) {
	if r.Status != ReportClosed {
		return time.Time{}, false
	}
	retention := p.WithDefaults().DocumentRetention
	switch {
	case Appellant(r.Outcome) == "":
		if r.ClosedAt.IsZero() {
			return time.Time{}, false
		}
		return r.ClosedAt.Add(retention), true
	case r.AppealStatus == AppealDecided:
		if appealDecidedAt.IsZero() {
			return time.Time{}, false
		}
		return appealDecidedAt.Add(retention), true
	case r.AppealStatus != "": // open or in progress: the decision may still change
		return time.Time{}, false
	case r.AppealDeadline.IsZero():
		return time.Time{}, false
	}
	return r.AppealDeadline.Add(retention), true
}
