package stepfunctions

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// ev builds a history event; name, when set, goes into the entered or
// exited details.
func ev(id, prev int64, typ types.HistoryEventType, name string) types.HistoryEvent {
	e := types.HistoryEvent{Id: id, PreviousEventId: prev, Type: typ, Timestamp: aws.Time(epoch.Add(time.Duration(id) * time.Second))}
	switch {
	case strings.HasSuffix(string(typ), "StateEntered"):
		e.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String(name)}
	case strings.HasSuffix(string(typ), "StateExited"):
		e.StateExitedEventDetails = &types.StateExitedEventDetails{Name: aws.String(name)}
	}
	return e
}

func TestCheckHistory(t *testing.T) {
	good := []types.HistoryEvent{
		ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
		ev(2, 0, types.HistoryEventTypeTaskStateEntered, "T"),
		ev(3, 2, types.HistoryEventTypeTaskScheduled, ""),
		ev(4, 3, types.HistoryEventTypeTaskStarted, ""),
		ev(5, 4, types.HistoryEventTypeTaskSucceeded, ""),
		ev(6, 5, types.HistoryEventTypeTaskStateExited, "T"),
		ev(7, 6, types.HistoryEventTypeExecutionSucceeded, ""),
	}
	edit := func(f func(h []types.HistoryEvent) []types.HistoryEvent) []types.HistoryEvent {
		h := append([]types.HistoryEvent(nil), good...)
		return f(h)
	}
	cases := []struct {
		name    string
		events  []types.HistoryEvent
		status  types.ExecutionStatus
		wantErr string
	}{
		{"well formed", good, types.ExecutionStatusSucceeded, ""},
		{"ids with a gap", edit(func(h []types.HistoryEvent) []types.HistoryEvent { h[3].Id = 9; return h }), types.ExecutionStatusSucceeded, "has id 9"},
		{"previous event in the future", edit(func(h []types.HistoryEvent) []types.HistoryEvent { h[2].PreviousEventId = 5; return h }), types.ExecutionStatusSucceeded, "not an earlier event"},
		{"terminal event missing", good[:6], types.ExecutionStatusSucceeded, "0 terminal events"},
		{"terminal event while running", good, types.ExecutionStatusRunning, "running execution has terminal event"},
		{"terminal event of the wrong kind", good, types.ExecutionStatusFailed, "does not match status"},
		{"TaskStarted without TaskScheduled", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			return append(h[:2:2], ev(3, 2, types.HistoryEventTypeTaskStarted, ""), ev(4, 3, types.HistoryEventTypeTaskSucceeded, ""),
				ev(5, 4, types.HistoryEventTypeTaskStateExited, "T"), ev(6, 5, types.HistoryEventTypeExecutionSucceeded, ""))
		}), types.ExecutionStatusSucceeded, "TaskStarted) follows TaskStateEntered"},
		{"entered state never exited", []types.HistoryEvent{
			ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
			ev(2, 0, types.HistoryEventTypePassStateEntered, "A"),
			ev(3, 2, types.HistoryEventTypeExecutionSucceeded, ""),
		}, types.ExecutionStatusSucceeded, "was never exited"},
		{"exit of another state", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[5] = ev(6, 5, types.HistoryEventTypeTaskStateExited, "Other")
			return h
		}), types.ExecutionStatusSucceeded, `exits state "Other"`},
		{"exit of a state never entered", []types.HistoryEvent{
			ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
			ev(2, 0, types.HistoryEventTypePassStateExited, "A"),
			ev(3, 2, types.HistoryEventTypeExecutionSucceeded, ""),
		}, types.ExecutionStatusSucceeded, "closes no entered state"},
		{"a failed execution may leave its failing state open", []types.HistoryEvent{
			ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
			ev(2, 0, types.HistoryEventTypeTaskStateEntered, "T"),
			ev(3, 2, types.HistoryEventTypeTaskScheduled, ""),
			ev(4, 3, types.HistoryEventTypeTaskStarted, ""),
			ev(5, 4, types.HistoryEventTypeTaskFailed, ""),
			ev(6, 5, types.HistoryEventTypeExecutionFailed, ""),
		}, types.ExecutionStatusFailed, ""},
		{"time going back", edit(func(h []types.HistoryEvent) []types.HistoryEvent { h[4].Timestamp = aws.Time(epoch); return h }), types.ExecutionStatusSucceeded, "earlier than its previous event"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckHistory(tc.events, tc.status)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckHistory: %v, want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckHistory: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// redriven builds the details of an ExecutionRedriven event.
func redriven(id, prev int64, count int32) types.HistoryEvent {
	e := ev(id, prev, types.HistoryEventTypeExecutionRedriven, "")
	e.ExecutionRedrivenEventDetails = &types.ExecutionRedrivenEventDetails{RedriveCount: aws.Int32(count)}
	return e
}

func TestCheckHistoryRedrive(t *testing.T) {
	// A task fails the execution; the redrive enters it again and succeeds.
	good := []types.HistoryEvent{
		ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
		ev(2, 0, types.HistoryEventTypeTaskStateEntered, "T"),
		ev(3, 2, types.HistoryEventTypeTaskScheduled, ""),
		ev(4, 3, types.HistoryEventTypeTaskStarted, ""),
		ev(5, 4, types.HistoryEventTypeTaskFailed, ""),
		ev(6, 5, types.HistoryEventTypeExecutionFailed, ""),
		redriven(7, 6, 1),
		ev(8, 7, types.HistoryEventTypeTaskStateEntered, "T"),
		ev(9, 8, types.HistoryEventTypeTaskScheduled, ""),
		ev(10, 9, types.HistoryEventTypeTaskStarted, ""),
		ev(11, 10, types.HistoryEventTypeTaskSucceeded, ""),
		ev(12, 11, types.HistoryEventTypeTaskStateExited, "T"),
		ev(13, 12, types.HistoryEventTypeExecutionSucceeded, ""),
	}
	edit := func(f func(h []types.HistoryEvent) []types.HistoryEvent) []types.HistoryEvent {
		return f(append([]types.HistoryEvent(nil), good...))
	}
	cases := []struct {
		name    string
		events  []types.HistoryEvent
		status  types.ExecutionStatus
		wantErr string
	}{
		{"redriven and succeeded", good, types.ExecutionStatusSucceeded, ""},
		{"redriven and running", good[:10], types.ExecutionStatusRunning, ""},
		{"a stopped attempt may leave a Map iteration open", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[4] = ev(5, 4, types.HistoryEventTypeMapIterationStarted, "")
			h[4].MapIterationStartedEventDetails = &types.MapIterationEventDetails{Name: aws.String("M"), Index: 0}
			h[5] = ev(6, 5, types.HistoryEventTypeExecutionAborted, "")
			h[3] = ev(4, 3, types.HistoryEventTypeMapStateStarted, "")
			h[2] = ev(3, 2, types.HistoryEventTypeMapStateEntered, "M")
			h[1] = ev(2, 0, types.HistoryEventTypePassStateEntered, "P")
			h[2].PreviousEventId = 2
			return h
		}), types.ExecutionStatusSucceeded, ""},
		{"redrive of a succeeded attempt", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[5] = ev(6, 5, types.HistoryEventTypeExecutionSucceeded, "")
			return h
		}), types.ExecutionStatusSucceeded, "not the end of a failed, aborted or timed-out attempt"},
		{"redrive without the terminal event before it", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[6].PreviousEventId = 5
			return h
		}), types.ExecutionStatusSucceeded, "has previousEventId 5, want 6"},
		{"wrong redriveCount", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[6] = redriven(7, 6, 2)
			return h
		}), types.ExecutionStatusSucceeded, "does not carry redriveCount 1"},
		{"two terminal events without a redrive", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			h[6] = ev(7, 6, types.HistoryEventTypePassStateEntered, "X")
			return h
		}), types.ExecutionStatusSucceeded, "has 2 terminal events"},
		{"the redriven state never exited", edit(func(h []types.HistoryEvent) []types.HistoryEvent {
			return append(h[:8:8], ev(9, 8, types.HistoryEventTypeExecutionSucceeded, ""))
		}), types.ExecutionStatusSucceeded, "was never exited"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckHistory(tc.events, tc.status)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckHistory: %v, want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckHistory: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
