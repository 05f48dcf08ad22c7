package moderation

import (
	"errors"
	"fmt"
	"sort"
	"strings"
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
)

// Stable error codes, part of the public API.
const (
	CodeValidationFailed        = "validation_failed"
	CodeNotFound                = "not_found"
	CodeForbidden               = "forbidden"
	CodeAlreadyReported         = "already_reported"
	CodeReportOpen              = "report_open"
	CodeReviewRemoved           = "review_removed"
	CodeFindReviewerRequired    = "find_reviewer_required"
	CodeFindReviewerUnavailable = "find_reviewer_not_available"
	CodeRequestOpen             = "request_open"
	CodeReminderNotAllowed      = "reminder_not_allowed"
	CodeTicketNotInProgress     = "ticket_not_in_progress"
	CodeTicketNotOpen           = "ticket_not_open"
	CodeVersionConflict         = "version_conflict"
	CodeRoundsExhausted         = "reviewer_rounds_exhausted"
)

// Error is a domain rule violation. Fields maps a field path (JSON names,
// e.g. "items[2].details") to what is wrong with it.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string
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
