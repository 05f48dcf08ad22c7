// Package taskrun runs the tasks of Candor's state machines: a Dispatcher
// calls a task by its action name, and every task ends in Finish, which
// logs its outcome and names its error for the state machine's Retry and
// Catch blocks (TransientError, PermanentError). It holds no Step
// Functions client, so a function whose tasks start and answer no
// execution (sanction-tasks) does not link one; package workflow, which
// starts and answers executions, gives its callers the same names.
package taskrun

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
)

// Result is a task's output: the status the state machine's Choice states
// read ("removed", "answered", "expired", ...), empty when there is none.
type Result struct {
	Status string `json:"status,omitempty"`
}

// Task is one named task of a state machine, run on K: one run of a task —
// its event, what it read and when. Make one with Reads, ReadsFor or
// EventOnly.
type Task[K any] struct {
	run   func(K, context.Context) (Result, error)
	reads bool
}

// Reads is the task run by f on the objects it reads first; it answers no status.
func Reads[K any](f func(K, context.Context) error) Task[K] {
	return Task[K]{run: func(k K, ctx context.Context) (Result, error) { return Result{}, f(k, ctx) }, reads: true}
}

// ReadsFor is the task run by f on the objects it reads first; it answers
// f's Result (the state machine chooses its next state by its status).
func ReadsFor[K any](f func(K, context.Context) (Result, error)) Task[K] {
	return Task[K]{run: f, reads: true}
}

// EventOnly is the task run by f on its event alone: nothing is read for it.
func EventOnly[K any](f func(K, context.Context) error) Task[K] {
	return Task[K]{run: func(k K, ctx context.Context) (Result, error) { return Result{}, f(k, ctx) }}
}

// Dispatcher runs the tasks of one state machine by their action names.
// The names are the state machine's contract: each "action" its
// definition sends must be a key of Tasks.
type Dispatcher[K any] struct {
	// Kind names the tasks in logs and errors ("investigation task").
	Kind  string
	Tasks map[string]Task[K]
}

// Actions returns the action names the dispatcher knows, sorted.
func (d Dispatcher[K]) Actions() []string { return slices.Sorted(maps.Keys(d.Tasks)) }

// Dispatch runs the task named action and ends it with Finish, logging on
// log. An action not in Tasks is refused with a PermanentError before
// anything is read. Otherwise begin makes the task's run — reading its
// objects when read is true (a failed read ends the task with that error),
// from the event alone when false — and the task runs on it. Dispatch
// returns the task's Result with its error classified by TaskError.
func (d Dispatcher[K]) Dispatch(ctx context.Context, log *slog.Logger, action string, begin func(ctx context.Context, read bool) (K, error)) (Result, error) {
	t, ok := d.Tasks[action]
	if !ok { // refused before any read
		return Result{}, Finish(ctx, log, d.Kind, "", Permanent(fmt.Errorf("%s: unknown action %q", d.Kind, action)))
	}
	k, err := begin(ctx, t.reads)
	if err != nil {
		return Result{}, Finish(ctx, log, d.Kind, "", err)
	}
	res, err := t.run(k, ctx)
	return res, Finish(ctx, log, d.Kind, res.Status, err)
}
