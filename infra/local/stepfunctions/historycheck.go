package stepfunctions

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// CheckHistory verifies that an execution history, as GetExecutionHistory
// returns it in ascending order, is well formed for an execution whose
// status is status:
//
//   - ids run 1..n and every previousEventId points to an earlier event (or
//     is 0); the first event is ExecutionStarted and timestamps never go
//     back along a chain;
//   - a closed execution ends with exactly one terminal event matching its
//     status (ExecutionSucceeded, …Failed, …Aborted, …TimedOut), a running
//     one has none;
//   - Task, Lambda, Parallel and Map events follow their predecessors in the
//     order AWS emits them (TaskScheduled → TaskStarted → [TaskSubmitted] →
//     TaskSucceeded | TaskFailed | TaskTimedOut, …);
//   - every …StateExited or …StateAborted closes the …StateEntered of the
//     same state on its chain, and every entered state is exited, unless the
//     state failed (a failure event closes its chain, it is a Fail state, or
//     it died in a failed Parallel or Map) or the execution did not succeed;
//   - every Map iteration that started ended, and every Parallel state that
//     started succeeded, failed or aborted, in a succeeded execution.
//
// It returns an error describing every violation found.
func CheckHistory(events []types.HistoryEvent, status types.ExecutionStatus) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(events) == 0 {
		return errors.New("check history: no events")
	}
	byID := make(map[int64]*types.HistoryEvent, len(events))
	succ := map[int64][]int64{}
	for i := range events {
		ev := &events[i]
		if ev.Id != int64(i+1) {
			bad("event #%d has id %d", i+1, ev.Id)
		}
		if ev.PreviousEventId < 0 || ev.PreviousEventId >= ev.Id {
			bad("event %d (%s) has previousEventId %d, not an earlier event", ev.Id, ev.Type, ev.PreviousEventId)
		}
		if p, ok := byID[ev.PreviousEventId]; ok && ev.Timestamp != nil && p.Timestamp != nil && ev.Timestamp.Before(*p.Timestamp) {
			bad("event %d (%s) is earlier than its previous event %d", ev.Id, ev.Type, p.Id)
		}
		byID[ev.Id] = ev
		succ[ev.PreviousEventId] = append(succ[ev.PreviousEventId], ev.Id)
	}
	if events[0].Type != types.HistoryEventTypeExecutionStarted || events[0].PreviousEventId != 0 {
		bad("the first event is %s (previous %d), not ExecutionStarted (previous 0)", events[0].Type, events[0].PreviousEventId)
	}

	// Terminal event.
	terminal := map[types.HistoryEventType]types.ExecutionStatus{
		types.HistoryEventTypeExecutionSucceeded: types.ExecutionStatusSucceeded,
		types.HistoryEventTypeExecutionFailed:    types.ExecutionStatusFailed,
		types.HistoryEventTypeExecutionAborted:   types.ExecutionStatusAborted,
		types.HistoryEventTypeExecutionTimedOut:  types.ExecutionStatusTimedOut,
	}
	var terminals []int64
	for _, ev := range events {
		if _, ok := terminal[ev.Type]; ok {
			terminals = append(terminals, ev.Id)
		}
	}
	switch {
	case status == types.ExecutionStatusRunning:
		if len(terminals) > 0 {
			bad("a running execution has terminal event %d", terminals[0])
		}
	case len(terminals) != 1:
		bad("a %s execution has %d terminal events", status, len(terminals))
	default:
		last := events[len(events)-1]
		if last.Id != terminals[0] {
			bad("terminal event %d is not the last event", terminals[0])
		}
		if terminal[last.Type] != status {
			bad("terminal event %s does not match status %s", last.Type, status)
		}
	}

	// Predecessors.
	allowedPrev := map[types.HistoryEventType][]types.HistoryEventType{
		types.HistoryEventTypeTaskScheduled:           {types.HistoryEventTypeTaskStateEntered, types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut, types.HistoryEventTypeTaskSucceeded},
		types.HistoryEventTypeTaskStarted:             {types.HistoryEventTypeTaskScheduled},
		types.HistoryEventTypeTaskSubmitted:           {types.HistoryEventTypeTaskStarted},
		types.HistoryEventTypeTaskSucceeded:           {types.HistoryEventTypeTaskStarted, types.HistoryEventTypeTaskSubmitted},
		types.HistoryEventTypeTaskFailed:              {types.HistoryEventTypeTaskStarted, types.HistoryEventTypeTaskSubmitted},
		types.HistoryEventTypeTaskTimedOut:            {types.HistoryEventTypeTaskStarted, types.HistoryEventTypeTaskSubmitted},
		types.HistoryEventTypeLambdaFunctionScheduled: {types.HistoryEventTypeTaskStateEntered, types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeLambdaFunctionTimedOut, types.HistoryEventTypeLambdaFunctionSucceeded},
		types.HistoryEventTypeLambdaFunctionStarted:   {types.HistoryEventTypeLambdaFunctionScheduled},
		types.HistoryEventTypeLambdaFunctionSucceeded: {types.HistoryEventTypeLambdaFunctionStarted},
		types.HistoryEventTypeLambdaFunctionFailed:    {types.HistoryEventTypeLambdaFunctionStarted},
		types.HistoryEventTypeLambdaFunctionTimedOut:  {types.HistoryEventTypeLambdaFunctionStarted},
		types.HistoryEventTypeParallelStateStarted:    {types.HistoryEventTypeParallelStateEntered, types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeParallelStateSucceeded},
		types.HistoryEventTypeParallelStateSucceeded:  {types.HistoryEventTypeParallelStateStarted},
		types.HistoryEventTypeParallelStateFailed:     {types.HistoryEventTypeParallelStateStarted},
		types.HistoryEventTypeParallelStateAborted:    {types.HistoryEventTypeParallelStateStarted},
		types.HistoryEventTypeMapStateStarted:         {types.HistoryEventTypeMapStateEntered, types.HistoryEventTypeMapStateFailed, types.HistoryEventTypeMapStateSucceeded},
		types.HistoryEventTypeMapIterationStarted:     {types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapIterationStarted},
		types.HistoryEventTypeMapStateSucceeded:       {types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapIterationStarted},
		types.HistoryEventTypeMapStateFailed:          {types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapIterationStarted},
		types.HistoryEventTypeMapStateAborted:         {types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapIterationStarted},
	}
	for _, ev := range events {
		allowed, ok := allowedPrev[ev.Type]
		if !ok {
			continue
		}
		p := byID[ev.PreviousEventId]
		if p == nil || !containsType(allowed, p.Type) {
			prevType := types.HistoryEventType("none")
			if p != nil {
				prevType = p.Type
			}
			bad("event %d (%s) follows %s, expected one of %v", ev.Id, ev.Type, prevType, allowed)
		}
	}

	// Entered/exited pairing along chains.
	// enteredOf walks back from id to the first …StateEntered event; it
	// only ever moves to smaller ids, so a malformed chain cannot loop.
	enteredOf := func(id int64) *types.HistoryEvent {
		for p := byID[id]; p != nil; {
			if strings.HasSuffix(string(p.Type), "StateEntered") {
				return p
			}
			if p.PreviousEventId >= p.Id {
				return nil
			}
			p = byID[p.PreviousEventId]
		}
		return nil
	}
	closed := map[int64]bool{}
	for _, ev := range events {
		t := string(ev.Type)
		if !strings.HasSuffix(t, "StateExited") && !strings.HasSuffix(t, "StateAborted") {
			continue
		}
		ent := enteredOf(ev.PreviousEventId)
		kind := strings.TrimSuffix(strings.TrimSuffix(t, "StateExited"), "StateAborted")
		switch {
		case ent == nil:
			bad("event %d (%s) closes no entered state", ev.Id, ev.Type)
		case string(ent.Type) != kind+"StateEntered":
			bad("event %d (%s) closes event %d (%s)", ev.Id, ev.Type, ent.Id, ent.Type)
		case closed[ent.Id]:
			bad("event %d (%s) closes event %d a second time", ev.Id, ev.Type, ent.Id)
		default:
			if ev.StateExitedEventDetails != nil && ent.StateEnteredEventDetails != nil &&
				deref(ev.StateExitedEventDetails.Name) != deref(ent.StateEnteredEventDetails.Name) {
				bad("event %d exits state %q but event %d entered %q", ev.Id, deref(ev.StateExitedEventDetails.Name), ent.Id, deref(ent.StateEnteredEventDetails.Name))
			}
			closed[ent.Id] = true
		}
	}
	if status != types.ExecutionStatusSucceeded {
		if len(errs) > 0 {
			return fmt.Errorf("check history: %w", errors.Join(errs...))
		}
		return nil
	}
	failureTypes := []types.HistoryEventType{
		types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut,
		types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeLambdaFunctionTimedOut,
		types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeMapStateFailed,
	}
	failed := map[int64]bool{}
	containerFailed := false
	for _, ev := range events {
		if containsType(failureTypes, ev.Type) {
			if ent := enteredOf(ev.Id); ent != nil {
				failed[ent.Id] = true
			}
		}
		if ev.Type == types.HistoryEventTypeParallelStateFailed || ev.Type == types.HistoryEventTypeMapStateFailed {
			containerFailed = true
		}
	}
	for _, ev := range events {
		if !strings.HasSuffix(string(ev.Type), "StateEntered") || closed[ev.Id] {
			continue
		}
		switch {
		case ev.Type == types.HistoryEventTypeFailStateEntered, failed[ev.Id]:
		case containerFailed && len(succ[ev.Id]) == 0:
		default:
			bad("event %d (%s %q) was never exited", ev.Id, ev.Type, enteredName(&ev))
		}
	}
	// Map iterations and Parallel states end.
	type iter struct {
		name  string
		index int32
	}
	started := map[iter]int64{}
	for _, ev := range events {
		switch ev.Type {
		case types.HistoryEventTypeMapIterationStarted:
			if d := ev.MapIterationStartedEventDetails; d != nil {
				started[iter{deref(d.Name), d.Index}]++
			}
		case types.HistoryEventTypeMapIterationSucceeded, types.HistoryEventTypeMapIterationFailed, types.HistoryEventTypeMapIterationAborted:
			d := ev.MapIterationSucceededEventDetails
			if d == nil {
				d = ev.MapIterationFailedEventDetails
			}
			if d == nil {
				d = ev.MapIterationAbortedEventDetails
			}
			if d != nil {
				started[iter{deref(d.Name), d.Index}]--
			}
		case types.HistoryEventTypeParallelStateStarted:
			ends := 0
			for _, s := range succ[ev.Id] {
				switch byID[s].Type {
				case types.HistoryEventTypeParallelStateSucceeded, types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeParallelStateAborted:
					ends++
				}
			}
			if ends != 1 {
				bad("parallel state started at event %d ended %d times", ev.Id, ends)
			}
		}
	}
	for it, n := range started {
		if n != 0 {
			bad("map %q iteration %d: %d more starts than ends", it.name, it.index, n)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("check history: %w", errors.Join(errs...))
	}
	return nil
}

func containsType(list []types.HistoryEventType, t types.HistoryEventType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func enteredName(ev *types.HistoryEvent) string {
	if ev.StateEnteredEventDetails == nil {
		return ""
	}
	return deref(ev.StateEnteredEventDetails.Name)
}
