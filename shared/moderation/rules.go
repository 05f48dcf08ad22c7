package moderation

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits of docs/product.md P2, P3, P9, P10. Lengths are counted in characters
// (runes) after trimming leading and trailing white space, except MaxExcerpt,
// which counts the excerpt as given because it is matched verbatim.
const (
	MaxItems          = 11   // P2: reasons per report
	MinDetails        = 20   // P2: a report item's details
	MaxDetails        = 1000 // P2
	MaxExcerpt        = 1000 // P2: the quoted passage of a content item
	MinStatement      = 10   // P3: the public statement
	MaxStatement      = 500  // P3
	MinRequestMessage = 20   // P9: a Find Reviewer message
	MaxRequestMessage = 2000 // P9
	MinReply          = 1    // P10: the reviewer's reply
	MaxReply          = 2000 // P10
)

// HidesReview reports whether a report with these items hides the review on
// submission (P4): always, unless the policy is HideHarmfulOnly, in which case
// only when an item has reason offensive_or_harmful.
func (p Policy) HidesReview(items []ReportItem) bool {
	if !p.HideHarmfulOnly {
		return true
	}
	return hasReason(items, ReasonOffensiveOrHarmful)
}

// NeedsProof reports whether a report with these items contacts the reviewer
// for proof of the experience at once (P6): when an item has reason
// no_genuine_experience.
func NeedsProof(items []ReportItem) bool {
	return hasReason(items, ReasonNoGenuineExperience)
}

func hasReason(items []ReportItem, r Reason) bool {
	for _, it := range items {
		if it.Reason == r {
			return true
		}
	}
	return false
}

// ReviewContext is everything the rules need to know about a review at one moment.
type ReviewContext struct {
	Review Review
	// Requests are the Find Reviewer requests ever made on this review, in any order.
	Requests []RequestSummary
}

// requestState summarises the review's Find Reviewer history: completed when
// a request was replied to or expired, awaiting when one is still awaiting a
// reply (a non-empty OpenRequestID counts as awaiting, whatever Requests says).
func (rc ReviewContext) requestState() (completed, awaiting bool) {
	awaiting = rc.Review.OpenRequestID != ""
	for _, q := range rc.Requests {
		switch q.Status {
		case RequestReplied, RequestExpired:
			completed = true
		case RequestAwaitingReply:
			awaiting = true
		}
	}
	return completed, awaiting
}

// CanReport applies the state checks of P1. It returns nil when the review
// may be reported now, or a KindConflict *Error whose code is, checked in this
// order, review_removed (the review is removed), report_open (a report on it
// is still open) or already_reported (its current version was reported).
func CanReport(rc ReviewContext) error {
	r := rc.Review
	switch {
	case r.Visibility == Removed:
		return Conflict(CodeReviewRemoved, "the review has been removed and can no longer be reported")
	case r.OpenReportID != "":
		return Conflict(CodeReportOpen, "a report on this review is still open")
	case r.LastReportedVersion >= r.Version:
		return Conflict(CodeAlreadyReported, "this version of the review has already been reported")
	}
	return nil
}

// AllowedReasons returns the reasons the business may use on the review right
// now, in catalogue order, or nil when CanReport refuses. no_genuine_experience
// is included only when the review was not invited through the platform, at
// least one Find Reviewer request on it was replied to or expired, and none is
// awaiting a reply (P5). The caller owns the returned slice.
func AllowedReasons(rc ReviewContext) []Reason {
	if CanReport(rc) != nil {
		return nil
	}
	completed, awaiting := rc.requestState()
	ngx := rc.Review.Source != SourceInvitedPlatform && completed && !awaiting
	out := make([]Reason, 0, len(catalogue))
	for _, e := range catalogue {
		if e.reason == ReasonNoGenuineExperience && !ngx {
			continue
		}
		out = append(out, e.reason)
	}
	return out
}

// ReportDraft is what a business submits.
type ReportDraft struct {
	Items           []ReportItem
	PublicStatement string
}

// ValidateReport checks a draft report on the review against P1, P2, P3 and
// P5, in this order:
//
//  1. CanReport: a KindConflict *Error when the review's state forbids a report.
//  2. The draft's own content: every problem at once, as one Invalid error
//     with field paths "items", "items[i].scope", "items[i].reason",
//     "items[i].details", "items[i].excerpt" and "publicStatement". A
//     content item's excerpt must occur verbatim (case-sensitive) in the
//     current version's title or text; other items carry no excerpt.
//     no_genuine_experience on a review invited through the platform is a
//     field error: the invitation proves the experience.
//  3. P5: no_genuine_experience on any other review without a replied or
//     expired Find Reviewer request, or while one is awaiting a reply, is a
//     KindConflict find_reviewer_required naming the item's reason field.
//
// It returns nil when the report may be submitted.
func ValidateReport(rc ReviewContext, d ReportDraft) error {
	if err := CanReport(rc); err != nil {
		return err
	}
	var p problems
	if n := len(d.Items); n < 1 || n > MaxItems {
		p.add("items", fmt.Sprintf("must have between 1 and %d items", MaxItems))
	}
	// first[k] is 1 + the index of the first item with catalogue reason k.
	var first [len(catalogue)]int
	for i, it := range d.Items {
		validateItem(&p, &rc.Review, i, it, &first)
	}
	p.add("publicStatement", checkText(d.PublicStatement, MinStatement, MaxStatement))
	if err := p.err(); err != nil {
		return err
	}

	ngx := first[reasonIndex(ReasonNoGenuineExperience)] - 1
	if ngx < 0 {
		return nil
	}
	completed, awaiting := rc.requestState()
	var why string
	switch {
	case awaiting:
		why = "a Find Reviewer request on this review is still awaiting a reply"
	case !completed:
		why = "needs a Find Reviewer request on this review that was replied to or has expired"
	default:
		return nil
	}
	e := Conflict(CodeFindReviewerRequired, "reason no_genuine_experience needs a completed Find Reviewer request on this review")
	e.Fields = map[string]string{itemField(ngx, "reason"): why}
	return e
}

// validateItem records the problems of item i; first tracks the first item of
// each known reason, to find duplicates.
func validateItem(p *problems, r *Review, i int, it ReportItem, first *[len(catalogue)]int) {
	scopeOK := knownScope(it.Scope)
	if !scopeOK {
		addItem(p, i, "scope", "must be one of content, review, reviewer")
	}

	k := reasonIndex(it.Reason)
	switch {
	case k < 0:
		addItem(p, i, "reason", "is not a known reason")
	case scopeOK && catalogue[k].scope != it.Scope:
		addItem(p, i, "reason", fmt.Sprintf("belongs to scope %s, not %s", catalogue[k].scope, it.Scope))
	case first[k] > 0:
		addItem(p, i, "reason", fmt.Sprintf("duplicate of items[%d]", first[k]-1))
	case it.Reason == ReasonNoGenuineExperience && r.Source == SourceInvitedPlatform:
		addItem(p, i, "reason", "is not available for reviews invited through the platform: the invitation proves the experience")
	}
	if k >= 0 && first[k] == 0 {
		first[k] = i + 1
	}

	addItem(p, i, "details", checkText(it.Details, MinDetails, MaxDetails))

	switch it.Scope {
	case ScopeContent:
		addItem(p, i, "excerpt", checkExcerpt(r, it.Excerpt))
	case ScopeReview, ScopeReviewer:
		if it.Excerpt != "" {
			addItem(p, i, "excerpt", "must be empty: only items of scope content quote an excerpt")
		}
	}
}

// checkExcerpt returns what is wrong with a content item's excerpt, or "".
// The excerpt follows the text rule and, once cleaned, must occur verbatim
// (case and all) in the cleaned title or text of the reported version.
func checkExcerpt(r *Review, x string) string {
	switch c := CheckText(x, 1, MaxExcerpt); {
	case c.Fault == TextRequired:
		return "is required for scope content: quote the passage of the review"
	case !c.OK():
		return c.Message()
	}
	x = CleanText(x)
	if !strings.Contains(CleanText(r.Title), x) && !strings.Contains(CleanText(r.Text), x) {
		return "must occur verbatim in the title or text of the review's current version"
	}
	return ""
}

// addItem records msg (if any) for field name of item i.
func addItem(p *problems, i int, name, msg string) {
	if msg != "" {
		p.add(itemField(i, name), msg)
	}
}

// itemField returns the path of field name of item i, e.g. "items[2].details".
func itemField(i int, name string) string {
	return "items[" + strconv.Itoa(i) + "]." + name
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

// ValidateRequestMessage checks a Find Reviewer message (P9): MinRequestMessage
// to MaxRequestMessage characters after trimming, text only. It returns nil
// or an Invalid error on field "message".
func ValidateRequestMessage(msg string) error {
	var p problems
	p.add("message", checkText(msg, MinRequestMessage, MaxRequestMessage))
	return p.err()
}

// ValidateReply checks a reviewer's reply (P10): MinReply to MaxReply
// characters after trimming, text only. It returns nil or an Invalid error on
// field "reply".
func ValidateReply(text string) error {
	var p problems
	p.add("reply", checkText(text, MinReply, MaxReply))
	return p.err()
}
