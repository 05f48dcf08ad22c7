package moderation

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind classifies a domain error once, so that each edge (HTTP, Step
// Functions) can map it to its own vocabulary without inspecting messages.
type Kind int

// The kinds of domain error.
const (
	// KindInvalid: the input breaks a rule about its own content (HTTP 422).
	KindInvalid Kind = iota + 1
	// KindConflict: the input is well formed but the object's state forbids it (HTTP 409).
	KindConflict
	// KindNotFound: the object does not exist for this caller (HTTP 404).
	KindNotFound
	// KindForbidden: the caller may not do this at all (HTTP 403).
	KindForbidden
	// KindGone: what the input answers is over: a window closed, a link was
	// used (HTTP 410).
	KindGone
	// KindRateLimited: the caller sent too much too fast (HTTP 429).
	KindRateLimited
	// KindPrecondition: the caller's precondition (If-Match) does not hold:
	// the object changed since the caller read it (HTTP 412).
	KindPrecondition
	// KindUnauthenticated: the caller is no one Candor knows: its token
	// names a business that does not exist (HTTP 401).
	KindUnauthenticated
)

// Stable error codes, part of the public API.
const (
	CodeValidationFailed        = "validation_failed"
	CodeNotFound                = "not_found"
	CodeForbidden               = "forbidden"
	CodeUnauthorized            = "unauthorized"
	CodeAlreadyReported         = "already_reported"
	CodeReportOpen              = "report_open"
	CodeReviewRemoved           = "review_removed"
	CodeFindReviewerRequired    = "find_reviewer_required"
	CodeFindReviewerUnavailable = "find_reviewer_not_available"
	CodeRequestOpen             = "request_open"
	CodeFindReviewerUsed        = "find_reviewer_used"
	CodeReminderNotAllowed      = "reminder_not_allowed"
	CodeTicketNotInProgress     = "ticket_not_in_progress"
	CodeTicketNotOpen           = "ticket_not_open"
	CodeVersionConflict         = "version_conflict"
	CodeRoundsExhausted         = "reviewer_rounds_exhausted"
	CodeStateChanged            = "state_changed"
	CodeGone                    = "gone"
	CodeAlreadyAnswered         = "already_answered"
	// Appeals (docs/appeals.md).
	CodeAppealNotAllowed    = "appeal_not_allowed"
	CodeAppealNotYetOpen    = "appeal_not_yet_open"
	CodeAppealExists        = "appeal_exists"
	CodeAppealWindowClosed  = "appeal_window_closed"
	CodeAppealNotOpen       = "appeal_not_open"
	CodeAppealNotInProgress = "appeal_not_in_progress"
	CodeAppealConflict      = "appeal_conflict_of_interest"
	CodeReviewHasOpenReport = "review_has_open_report"
	// Webhooks (docs/webhooks.md).
	CodeWebhookLimit = "webhook_limit"
	// Misuse of reporting (docs/misuse.md).
	CodeReportingSuspended = "reporting_suspended" // DSA Art. 23: compliance suspended the business's reporting
	CodeSanctionNotActive  = "sanction_not_active" // a lift of a warning or suspension that has ended
	// Replies (docs/product.md, "Replies").
	CodePreconditionFailed = "precondition_failed" // If-Match names another version of the reply
	CodeReplyNotAllowed    = "reply_not_allowed"   // the review was removed: it takes no reply
	CodeReplyPersonalData  = "reply_personal_data" // 422 on "text": the reply guidelines forbid personal data
	CodeReplyEditRequest   = "reply_edit_request"  // 422 on "text": a reply must not ask for the review to change

	CodeReplyAlreadyReported = "reply_already_reported" // this text of the reply was already reported for this reason (or by the reviewer)

	// Documents (document.CanOpen): not opened while the malware scan has
	// not answered (409), never after a threat or a failed scan (410).
	CodeDocumentNotScanned = "document_not_scanned"
	CodeDocumentWithheld   = "document_withheld"
)

// Error is a domain rule violation. Fields maps a field path (JSON names,
// e.g. "items[2].details") to what is wrong with it.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string

	// RetryAfter is, on a KindRateLimited error, how long until the caller
	// may try again (HTTP Retry-After).
	RetryAfter time.Duration
	// Until is, on a refusal that lasts until a known time (reporting
	// suspended), that time; zero otherwise.
	Until time.Time
}

// Error renders the code, message and fields in a stable order.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
		}
	}
	return b.String()
}

// Is makes errors.Is match domain errors by kind and code, so that a
// constructed NotFound("report") is ErrNotFound and a store's wrapped
// ErrChanged is found through its context.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Code == e.Code
}

// Sentinels the adapters wrap, so that every layer speaks one vocabulary.
var (
	// ErrNotFound: the object does not exist (for this caller).
	ErrNotFound = &Error{Kind: KindNotFound, Code: CodeNotFound, Message: "not found"}
	// ErrChanged: the object changed since it was read (a condition failed);
	// read it again and decide anew.
	ErrChanged = &Error{Kind: KindConflict, Code: CodeStateChanged, Message: "it changed meanwhile; load it and try again"}
	// ErrUnknownBusiness: the caller's token names a business that does
	// not exist (a write found no business item to change).
	ErrUnknownBusiness = &Error{Kind: KindUnauthenticated, Code: CodeUnauthorized, Message: "the token's business is not known; use a token of a registered business"}
)

// KindOf returns the kind of a domain error anywhere in err's chain, or 0.
func KindOf(err error) Kind {
	if e, ok := AsError(err); ok {
		return e.Kind
	}
	return 0
}

// Gone returns a KindGone error: what the input answers is over.
func Gone(code, message string) *Error {
	return &Error{Kind: KindGone, Code: code, Message: message}
}

// InvalidField returns a KindInvalid error for one field.
func InvalidField(field, problem string) *Error {
	return Invalid(map[string]string{field: problem})
}

// Invalid returns a KindInvalid error for the given field problems.
func Invalid(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Code: CodeValidationFailed, Message: "the request is not valid", Fields: fields}
}

// Conflict returns a KindConflict error with the given code and message.
func Conflict(code, message string) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: message}
}

// NotFound returns a KindNotFound error naming what was not found.
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Code: CodeNotFound, Message: what + " not found"}
}

// AsError unwraps err to a domain *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsCode reports whether err is a domain error with the given code.
func IsCode(err error, code string) bool {
	e, ok := AsError(err)
	return ok && e.Code == code
}
