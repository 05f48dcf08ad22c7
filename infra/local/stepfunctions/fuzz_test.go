package stepfunctions

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/uuid"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
	"github.com/candorhq/candor/shared/clock"
)

// FuzzDefinition loads arbitrary definitions: each is either accepted or
// refused with a *DefinitionError, never a panic. An accepted definition is
// then run once on a virtual clock with a short history limit (so a loop
// ends) for an hour of virtual time, against arbitrary input, and must end
// or block without a panic, a deadlock or a malformed history. Seeds are the repository's state
// machines (with dummy substitutions, and as written) and the spec
// examples of testdata/.
func FuzzDefinition(f *testing.F) {
	for _, pattern := range []string{filepath.Join(repoStateMachines, "*.asl.json"), filepath.Join("testdata", "*.json")} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			text, _ := substitute(string(b), dummySubstitutions(string(b)))
			f.Add(text, `{"requestId": "r-1", "items": [1, 2], "n": 3}`)
			f.Add(string(b), `{}`)
		}
	}
	f.Add(`{"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "L"}}}`, `{}`)
	f.Add(`{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}, "End": true}}}`, `{"items": [1, 2, -1]}`)
	f.Fuzz(func(t *testing.T, def, input string) {
		srcs := asl.Sources{Rand: func() float64 { return 0.5 }, UUID: uuid.NewString}
		_, m, err := compileDefinition(def, nil, srcs)
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) || len(de.Problems) == 0 {
				t.Fatalf("refused with %v (%T), want a *DefinitionError with problems", err, err)
			}
			return
		}
		if m == nil {
			t.Fatal("accepted without a machine")
		}
		runFuzzedMachine(t, def, input)
	})
}

// runFuzzedMachine runs an accepted definition once and checks its history.
func runFuzzedMachine(t *testing.T, def, input string) {
	e := New(Config{Clock: clock.NewManual(epoch), Rand: func() float64 { return 0.5 }, MaxHistoryEvents: 64})
	defer e.Close()
	e.RegisterFunction("dummy", func(_ context.Context, payload []byte) ([]byte, error) { return payload, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	arn, err := e.CreateStateMachine(ctx, "fuzz", []byte(def), nil)
	if err != nil {
		t.Fatalf("compiled but not created: %v", err)
	}
	x, err := e.startExecution(arn, "run", input)
	if err != nil {
		return // the input is refused (not JSON, too large)
	}
	// An hour of virtual time: enough for waits, back-offs and timeouts of
	// a fuzzed definition, and bounded (a retrier with a 1 s interval and
	// 99999999 attempts would otherwise fire for years of virtual time).
	if err := e.Advance(ctx, time.Hour); err != nil {
		t.Fatalf("the execution did not settle: %v", err)
	}
	events, status := e.fuzzHistory(x)
	if err := CheckHistory(events, status); err != nil {
		t.Fatalf("history: %v", err)
	}
}

// fuzzHistory converts an execution's events, in memory, into the SDK's
// types with the members CheckHistory reads (the fuzz loop cannot afford
// an HTTP round trip per run).
func (e *Engine) fuzzHistory(x *execution) ([]types.HistoryEvent, types.ExecutionStatus) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]types.HistoryEvent, len(x.events))
	for i, ev := range x.events {
		h := types.HistoryEvent{Id: ev.id, PreviousEventId: ev.prev, Timestamp: aws.Time(ev.ts), Type: types.HistoryEventType(ev.typ)}
		switch d := ev.details.(type) {
		case stateEnteredDetails:
			h.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String(d.Name)}
		case stateExitedDetails:
			h.StateExitedEventDetails = &types.StateExitedEventDetails{Name: aws.String(d.Name)}
		case mapIterationDetails:
			md := &types.MapIterationEventDetails{Name: aws.String(d.Name), Index: int32(d.Index)}
			switch ev.typ {
			case evMapIterationStarted:
				h.MapIterationStartedEventDetails = md
			case evMapIterationSucceeded:
				h.MapIterationSucceededEventDetails = md
			case evMapIterationFailed:
				h.MapIterationFailedEventDetails = md
			case evMapIterationAborted:
				h.MapIterationAbortedEventDetails = md
			}
		case executionRedrivenDetails:
			h.ExecutionRedrivenEventDetails = &types.ExecutionRedrivenEventDetails{RedriveCount: aws.Int32(int32(d.RedriveCount))}
		}
		out[i] = h
	}
	return out, types.ExecutionStatus(x.status)
}
