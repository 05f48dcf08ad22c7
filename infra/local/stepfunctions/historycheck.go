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
//     one has none; a redriven execution has, before each ExecutionRedriven
//     event, the terminal event of the attempt it redrove (not
//     ExecutionSucceeded), and redriveCount counts 1, 2, …;
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
// For a redriven execution the last two rules apply to the events of the
// last attempt (after the last ExecutionRedriven): earlier attempts did not
// succeed and may have been stopped anywhere.
//
// It returns an error describing every violation found.
func CheckHistory(events []types.HistoryEvent, status types.ExecutionStatus) error {
	if len(events) == 0 {
		return errors.New("check history: no events")
	}
	c := newHistoryChecker(events)
	c.checkTerminals(status)
	c.checkPredecessors()
	c.checkPairs()
	if status == types.ExecutionStatusSucceeded {
		c.checkAllExited()
		c.checkGroupsEnded()
	}
	if len(c.errs) > 0 {
		return fmt.Errorf("check history: %w", errors.Join(c.errs...))
	}
	return nil
}

// historyChecker holds a history indexed for CheckHistory's rules and the
// violations found.
type historyChecker struct {
	events []types.HistoryEvent
	byID   map[int64]*types.HistoryEvent
	succ   map[int64][]int64 // event id -> the events whose previous it is
	closed map[int64]bool    // entered events that an exit or abort closes
	// lastAttempt is the index of the first event of the last attempt (0,
	// or just after the last ExecutionRedriven).
	lastAttempt int
	errs        []error
}

func (c *historyChecker) bad(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// newHistoryChecker indexes the events and checks ids, previous ids,
// timestamps along chains and the first event.
func newHistoryChecker(events []types.HistoryEvent) *historyChecker {
	c := &historyChecker{events: events, byID: make(map[int64]*types.HistoryEvent, len(events)), succ: map[int64][]int64{}, closed: map[int64]bool{}}
	for i := range events {
		ev := &events[i]
		if ev.Id != int64(i+1) {
			c.bad("event #%d has id %d", i+1, ev.Id)
		}
		if ev.PreviousEventId < 0 || ev.PreviousEventId >= ev.Id {
			c.bad("event %d (%s) has previousEventId %d, not an earlier event", ev.Id, ev.Type, ev.PreviousEventId)
		}
		if p, ok := c.byID[ev.PreviousEventId]; ok && ev.Timestamp != nil && p.Timestamp != nil && ev.Timestamp.Before(*p.Timestamp) {
			c.bad("event %d (%s) is earlier than its previous event %d", ev.Id, ev.Type, p.Id)
		}
		c.byID[ev.Id] = ev
		c.succ[ev.PreviousEventId] = append(c.succ[ev.PreviousEventId], ev.Id)
		if ev.Type == types.HistoryEventTypeExecutionRedriven {
			c.lastAttempt = i + 1
		}
	}
	if events[0].Type != types.HistoryEventTypeExecutionStarted || events[0].PreviousEventId != 0 {
		c.bad("the first event is %s (previous %d), not ExecutionStarted (previous 0)", events[0].Type, events[0].PreviousEventId)
	}
	return c
}

// terminalStatus maps each terminal event type to its execution status.
var terminalStatus = map[types.HistoryEventType]types.ExecutionStatus{
	types.HistoryEventTypeExecutionSucceeded: types.ExecutionStatusSucceeded,
	types.HistoryEventTypeExecutionFailed:    types.ExecutionStatusFailed,
	types.HistoryEventTypeExecutionAborted:   types.ExecutionStatusAborted,
	types.HistoryEventTypeExecutionTimedOut:  types.ExecutionStatusTimedOut,
}

// checkTerminals checks the terminal events and the ExecutionRedriven
// events that separate attempts.
func (c *historyChecker) checkTerminals(status types.ExecutionStatus) {
	var final []int64 // terminal events not followed by a redrive
	redrives := int32(0)
	for i, ev := range c.events {
		if ev.Type == types.HistoryEventTypeExecutionRedriven {
			redrives++
			c.checkRedrive(i, redrives)
			continue
		}
		if _, ok := terminalStatus[ev.Type]; ok {
			if i+1 < len(c.events) && c.events[i+1].Type == types.HistoryEventTypeExecutionRedriven {
				continue
			}
			final = append(final, ev.Id)
		}
	}
	switch {
	case status == types.ExecutionStatusRunning:
		if len(final) > 0 {
			c.bad("a running execution has terminal event %d", final[0])
		}
	case len(final) != 1:
		c.bad("a %s execution has %d terminal events", status, len(final))
	default:
		last := c.events[len(c.events)-1]
		if last.Id != final[0] {
			c.bad("terminal event %d is not the last event", final[0])
		}
		if terminalStatus[last.Type] != status {
			c.bad("terminal event %s does not match status %s", last.Type, status)
		}
	}
}

// checkRedrive checks the ExecutionRedriven event at index i, the n-th.
func (c *historyChecker) checkRedrive(i int, n int32) {
	ev := c.events[i]
	if i == 0 {
		c.bad("event %d (ExecutionRedriven) redrives nothing", ev.Id)
		return
	}
	prev := c.events[i-1]
	st, terminal := terminalStatus[prev.Type]
	switch {
	case !terminal || st == types.ExecutionStatusSucceeded:
		c.bad("event %d (ExecutionRedriven) follows %s, not the end of a failed, aborted or timed-out attempt", ev.Id, prev.Type)
	case ev.PreviousEventId != prev.Id:
		c.bad("event %d (ExecutionRedriven) has previousEventId %d, want %d", ev.Id, ev.PreviousEventId, prev.Id)
	}
	if d := ev.ExecutionRedrivenEventDetails; d == nil || d.RedriveCount == nil || *d.RedriveCount != n {
		c.bad("event %d (ExecutionRedriven) does not carry redriveCount %d", ev.Id, n)
	}
}

// allowedPrev lists, for the events AWS emits in a fixed order, the types
// their previous event may have.
var allowedPrev = map[types.HistoryEventType][]types.HistoryEventType{
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

// checkPredecessors checks the events of allowedPrev.
func (c *historyChecker) checkPredecessors() {
	for _, ev := range c.events {
		allowed, ok := allowedPrev[ev.Type]
		if !ok {
			continue
		}
		p := c.byID[ev.PreviousEventId]
		if p == nil || !containsType(allowed, p.Type) {
			prevType := types.HistoryEventType("none")
			if p != nil {
				prevType = p.Type
			}
			c.bad("event %d (%s) follows %s, expected one of %v", ev.Id, ev.Type, prevType, allowed)
		}
	}
}

// enteredOf walks back from id to the first …StateEntered event; it only
// ever moves to smaller ids, so a malformed chain cannot loop.
func (c *historyChecker) enteredOf(id int64) *types.HistoryEvent {
	for p := c.byID[id]; p != nil; {
		if strings.HasSuffix(string(p.Type), "StateEntered") {
			return p
		}
		if p.PreviousEventId >= p.Id {
			return nil
		}
		p = c.byID[p.PreviousEventId]
	}
	return nil
}

// checkPairs checks that every exit or abort closes, once, the entered
// event of the same state on its chain.
func (c *historyChecker) checkPairs() {
	for _, ev := range c.events {
		t := string(ev.Type)
		if !strings.HasSuffix(t, "StateExited") && !strings.HasSuffix(t, "StateAborted") {
			continue
		}
		ent := c.enteredOf(ev.PreviousEventId)
		kind := strings.TrimSuffix(strings.TrimSuffix(t, "StateExited"), "StateAborted")
		switch {
		case ent == nil:
			c.bad("event %d (%s) closes no entered state", ev.Id, ev.Type)
		case string(ent.Type) != kind+"StateEntered":
			c.bad("event %d (%s) closes event %d (%s)", ev.Id, ev.Type, ent.Id, ent.Type)
		case c.closed[ent.Id]:
			c.bad("event %d (%s) closes event %d a second time", ev.Id, ev.Type, ent.Id)
		default:
			if ev.StateExitedEventDetails != nil && ent.StateEnteredEventDetails != nil &&
				deref(ev.StateExitedEventDetails.Name) != deref(ent.StateEnteredEventDetails.Name) {
				c.bad("event %d exits state %q but event %d entered %q", ev.Id, deref(ev.StateExitedEventDetails.Name), ent.Id, deref(ent.StateEnteredEventDetails.Name))
			}
			c.closed[ent.Id] = true
		}
	}
}

var failureTypes = []types.HistoryEventType{
	types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut,
	types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeLambdaFunctionTimedOut,
	types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeMapStateFailed,
}

// checkAllExited checks, in the last attempt of a succeeded execution,
// that every entered state was exited unless it failed.
func (c *historyChecker) checkAllExited() {
	attempt := c.events[c.lastAttempt:]
	failed := map[int64]bool{}
	containerFailed := false
	for _, ev := range attempt {
		if containsType(failureTypes, ev.Type) {
			if ent := c.enteredOf(ev.Id); ent != nil {
				failed[ent.Id] = true
			}
		}
		if ev.Type == types.HistoryEventTypeParallelStateFailed || ev.Type == types.HistoryEventTypeMapStateFailed {
			containerFailed = true
		}
	}
	for _, ev := range attempt {
		if !strings.HasSuffix(string(ev.Type), "StateEntered") || c.closed[ev.Id] {
			continue
		}
		switch {
		case ev.Type == types.HistoryEventTypeFailStateEntered, failed[ev.Id]:
		case containerFailed && len(c.succ[ev.Id]) == 0:
		default:
			c.bad("event %d (%s %q) was never exited", ev.Id, ev.Type, enteredName(&ev))
		}
	}
}

// checkGroupsEnded checks, in the last attempt of a succeeded execution,
// that every Map iteration that started ended and that every Parallel
// state that started ended once.
func (c *historyChecker) checkGroupsEnded() {
	type iter struct {
		name  string
		index int32
	}
	started := map[iter]int64{}
	for _, ev := range c.events[c.lastAttempt:] {
		switch ev.Type {
		case types.HistoryEventTypeMapIterationStarted:
			if d := ev.MapIterationStartedEventDetails; d != nil {
				started[iter{deref(d.Name), d.Index}]++
			}
		case types.HistoryEventTypeMapIterationSucceeded, types.HistoryEventTypeMapIterationFailed, types.HistoryEventTypeMapIterationAborted:
			if d := iterationEnd(&ev); d != nil {
				started[iter{deref(d.Name), d.Index}]--
			}
		case types.HistoryEventTypeParallelStateStarted:
			c.checkParallelEnded(ev.Id)
		}
	}
	for it, n := range started {
		if n != 0 {
			c.bad("map %q iteration %d: %d more starts than ends", it.name, it.index, n)
		}
	}
}

// iterationEnd returns the details of a MapIteration end event.
func iterationEnd(ev *types.HistoryEvent) *types.MapIterationEventDetails {
	switch {
	case ev.MapIterationSucceededEventDetails != nil:
		return ev.MapIterationSucceededEventDetails
	case ev.MapIterationFailedEventDetails != nil:
		return ev.MapIterationFailedEventDetails
	}
	return ev.MapIterationAbortedEventDetails
}

// checkParallelEnded checks that the Parallel state started at event id
// ended exactly once.
func (c *historyChecker) checkParallelEnded(id int64) {
	ends := 0
	for _, s := range c.succ[id] {
		switch c.byID[s].Type {
		case types.HistoryEventTypeParallelStateSucceeded, types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeParallelStateAborted:
			ends++
		}
	}
	if ends != 1 {
		c.bad("parallel state started at event %d ended %d times", id, ends)
	}
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
