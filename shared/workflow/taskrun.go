package workflow

import (
	"context"
	"log/slog"

	"github.com/candorhq/candor/shared/workflow/taskrun"
)

// The task helpers live in package taskrun, which links no Step Functions
// client; the task packages that also start or answer executions use them
// by these names, with one import.
type (
	// Result is taskrun.Result.
	Result = taskrun.Result
	// Task is taskrun.Task.
	Task[K any] = taskrun.Task[K]
	// Dispatcher is taskrun.Dispatcher.
	Dispatcher[K any] = taskrun.Dispatcher[K]
	// TransientError is taskrun.TransientError.
	TransientError = taskrun.TransientError
	// PermanentError is taskrun.PermanentError.
	PermanentError = taskrun.PermanentError
)

// Reads is taskrun.Reads.
func Reads[K any](f func(K, context.Context) error) Task[K] { return taskrun.Reads(f) }

// ReadsFor is taskrun.ReadsFor.
func ReadsFor[K any](f func(K, context.Context) (Result, error)) Task[K] { return taskrun.ReadsFor(f) }

// EventOnly is taskrun.EventOnly.
func EventOnly[K any](f func(K, context.Context) error) Task[K] { return taskrun.EventOnly(f) }

// Transient is taskrun.Transient.
func Transient(err error) error { return taskrun.Transient(err) }

// Permanent is taskrun.Permanent.
func Permanent(err error) error { return taskrun.Permanent(err) }

// Finish is taskrun.Finish.
func Finish(ctx context.Context, log *slog.Logger, kind, status string, err error) error {
	return taskrun.Finish(ctx, log, kind, status, err)
}

// TaskError is taskrun.TaskError.
func TaskError(err error) error { return taskrun.TaskError(err) }
