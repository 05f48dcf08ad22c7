package taskrun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/moderation"
)

// TransientError is a task failure worth retrying (SES or DynamoDB trouble,
// or a state that changed under the task, which a retry reads again). Its Go
// type name is the error name Step Functions reports for a Go Lambda, which
// the state machines' Retry blocks name.
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// PermanentError is a task failure no retry can mend: an unknown object, a
// bad event, input that can never render, an address SES rejects. Its name
// is not in any Retry block; the state machines catch it, record the
// failure and stop the execution where a redrive can resume it.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Transient marks err as a failure a later retry mends.
func Transient(err error) error { return &TransientError{Err: err} }

// Permanent marks err as a failure no retry can mend.
func Permanent(err error) error { return &PermanentError{Err: err} }

// Finish ends a task handler: it logs the task's outcome (its status, or its
// error at level error) and returns err classified by TaskError.
func Finish(ctx context.Context, log *slog.Logger, task, status string, err error) error {
	if err != nil {
		err = TaskError(err)
		log.ErrorContext(ctx, task+" failed", "err", err, "errorType", fmt.Sprintf("%T", err))
		return err
	}
	log.InfoContext(ctx, task+" done", "status", status)
	return nil
}

// permanentSES are the SES error codes that the same email can never get past.
var permanentSES = map[string]bool{
	"MessageRejected": true, "MailFromDomainNotVerifiedException": true, "ConfigurationSetDoesNotExistException": true,
	"ConfigurationSetSendingPausedException": false, "AccountSendingPausedException": false,
}

// TaskError is the one table from a task's error to its Step Functions
// error name: *PermanentError for what no retry can mend — an explicit
// PermanentError, a domain error other than a changed state (not found,
// invalid, forbidden, gone), an error that says it is permanent
// (Permanent() bool, e.g. a render that can never succeed), or an SES
// rejection of the message — and *TransientError for everything else.
func TaskError(err error) error {
	if err == nil {
		return nil
	}
	var perm *PermanentError
	if errors.As(err, &perm) {
		return err
	}
	switch moderation.KindOf(err) {
	case moderation.KindNotFound, moderation.KindInvalid, moderation.KindForbidden, moderation.KindGone:
		return &PermanentError{err}
	}
	var p interface{ Permanent() bool }
	if errors.As(err, &p) && p.Permanent() {
		return &PermanentError{err}
	}
	var api smithy.APIError
	if errors.As(err, &api) && permanentSES[api.ErrorCode()] {
		return &PermanentError{err}
	}
	return &TransientError{err}
}
