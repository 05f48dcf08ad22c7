package stepfunctions

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// LambdaFunc is a Go Lambda handler called in-process: it receives the
// invocation payload (JSON) and returns the response payload (JSON).
//
// A returned error is reported the way the aws-lambda-go runtime reports it
// (see [FunctionErrorName]); return a [ServiceError] to simulate a Lambda
// service fault such as Lambda.TooManyRequestsException instead.
type LambdaFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Config configures an Engine. The zero value runs in real time in
// us-east-1 for account 000000000000.
type Config struct {
	// Clock is the engine's time source. A *clock.Manual puts the engine in
	// virtual mode (timers fire only during Advance); nil means clock.System.
	Clock clock.Clock
	// Region and AccountID are used in ARNs (defaults us-east-1, 000000000000).
	Region, AccountID string
	// Logger receives structured logs (execution ARN and state name, never
	// payloads). Nil discards logs.
	Logger *slog.Logger
	// Rand returns a number in [0,1); it is the jitter source of retriers
	// with JitterStrategy FULL and the random source of States.MathRandom.
	// Nil uses math/rand/v2.
	Rand func() float64
	// MaxHistoryEvents is the most events one execution's history holds
	// (AWS's quota, DefaultMaxHistoryEvents, when 0): an execution that
	// would record more fails with States.Runtime, its ExecutionFailed
	// event being event number MaxHistoryEvents. Tests lower it to reach
	// the limit quickly; values below 2 count as 2.
	MaxHistoryEvents int
}

// ErrNotVirtual is returned by Advance when the engine does not run on a
// *clock.Manual.
var ErrNotVirtual = errors.New("stepfunctions: the engine is not in virtual-time mode (Config.Clock is not a *clock.Manual)")

// ErrClosed is returned by operations on a closed Engine.
var ErrClosed = errors.New("stepfunctions: engine closed")

// Engine is a local Step Functions service: state machines, executions,
// task tokens and timers. It is safe for concurrent use.
type Engine struct {
	clk     clock.Clock
	manual  *clock.Manual
	region  string
	account string
	log     *slog.Logger
	rand    func() float64

	maxHistory int // events per execution history, at least minHistoryEvents

	advanceMu sync.Mutex // serialises Advance calls

	mu        sync.Mutex
	closed    bool
	functions map[string]LambdaFunc
	machines  map[string]*stateMachine // by ARN
	machList  []*stateMachine          // creation order
	execs     map[string]*execution    // by ARN
	execList  []*execution             // start order
	tokens    map[string]*callbackTask // by task token

	// Quiescence: active counts goroutines that are running (not blocked on
	// a timer or a callback). idle is closed when active drops to zero.
	active int
	idle   chan struct{}

	// Timers: in virtual mode a heap fired by Advance; in real mode
	// time.AfterFunc timers.
	timers   timerHeap
	timerSeq uint64
}

// New returns an Engine configured by cfg.
func New(cfg Config) *Engine {
	e := &Engine{
		clk:       cfg.Clock,
		region:    cfg.Region,
		account:   cfg.AccountID,
		log:       cfg.Logger,
		rand:      cfg.Rand,
		functions: map[string]LambdaFunc{},
		machines:  map[string]*stateMachine{},
		execs:     map[string]*execution{},
		tokens:    map[string]*callbackTask{},
	}
	if e.clk == nil {
		e.clk = clock.System{}
	}
	if m, ok := e.clk.(*clock.Manual); ok {
		e.manual = m
	}
	if e.region == "" {
		e.region = "us-east-1"
	}
	if e.account == "" {
		e.account = "000000000000"
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.rand == nil {
		e.rand = rand.Float64
	}
	e.maxHistory = DefaultMaxHistoryEvents
	if cfg.MaxHistoryEvents != 0 {
		e.maxHistory = max(cfg.MaxHistoryEvents, minHistoryEvents)
	}
	e.idle = make(chan struct{})
	close(e.idle)
	return e
}

// Virtual reports whether the engine runs on a *clock.Manual (timers fire
// only during Advance).
func (e *Engine) Virtual() bool { return e.manual != nil }

// RegisterFunction makes fn the handler of the Lambda function name. The name
// may be given as a plain name, a full function ARN, or either with a
// qualifier (":alias", ":$LATEST"); every form that names the same function
// reaches the same handler. Registering a name again replaces the handler.
func (e *Engine) RegisterFunction(name string, fn LambdaFunc) {
	fname, _ := splitFunctionName(name)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.functions[fname] = fn
}

// Close stops the engine: timers stop, running executions stop where they
// are (their histories are left as they were), and later calls fail with
// ErrClosed or a service error. Handlers already running are not waited for.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.closed = true
	for _, t := range e.timers {
		t.cancelled = true
		if t.real != nil {
			t.real.Stop()
		}
	}
	e.timers = nil
	for _, x := range e.execList {
		if x.status == statusRunning {
			x.root.cancelLocked(e)
		}
	}
}

// Settle waits until every execution is quiescent: each one is finished or
// blocked on a timer or a task-token callback, and no handler is running.
// Call it after SendTaskSuccess and friends to let their consequences run.
// It must not be called from inside a LambdaFunc (that would wait for itself).
func (e *Engine) Settle(ctx context.Context) error {
	for {
		e.mu.Lock()
		if e.active == 0 {
			e.mu.Unlock()
			return nil
		}
		ch := e.idle
		e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("settle: %w", ctx.Err())
		}
	}
}

// Advance moves the virtual clock forward by d. Every timer that falls due
// up to the new time fires in time order (timers due at the same instant in
// the order they were set): the clock is set to the timer's time, the timer
// fires, and its consequences settle before the next timer fires. Advance
// returns when the clock stands at the target and everything has settled.
// Advance(ctx, 0) fires timers already due (for example after the shared
// Manual clock was moved directly). It fails with ErrNotVirtual in
// real-time mode.
func (e *Engine) Advance(ctx context.Context, d time.Duration) error {
	if e.manual == nil {
		return ErrNotVirtual
	}
	if d < 0 {
		return fmt.Errorf("advance: negative duration %s", d)
	}
	e.advanceMu.Lock()
	defer e.advanceMu.Unlock()
	target := e.manual.Now().Add(d)
	if err := e.Settle(ctx); err != nil {
		return fmt.Errorf("advance: %w", err)
	}
	for {
		e.mu.Lock()
		t := e.popDueLocked(target)
		if t == nil {
			e.mu.Unlock()
			break
		}
		e.manual.Set(t.at)
		t.fn()
		e.mu.Unlock()
		if err := e.Settle(ctx); err != nil {
			return fmt.Errorf("advance: %w", err)
		}
	}
	e.manual.Set(target)
	return nil
}

// now is the engine's current time.
func (e *Engine) now() time.Time { return e.clk.Now().UTC() }

// ---- quiescence ----

// wait is one blocking point of an engine goroutine. It fires once.
type wait struct {
	fired bool
	ch    chan struct{}
}

func newWait() *wait { return &wait{ch: make(chan struct{}, 1)} }

// wakeLocked fires w (once), counting the woken goroutine as active again.
func (e *Engine) wakeLocked(w *wait) {
	if w == nil || w.fired {
		return
	}
	w.fired = true
	e.incActiveLocked()
	w.ch <- struct{}{}
}

func (e *Engine) incActiveLocked() {
	if e.active == 0 {
		e.idle = make(chan struct{})
	}
	e.active++
}

func (e *Engine) decActiveLocked() {
	e.active--
	if e.active == 0 {
		close(e.idle)
	}
	if e.active < 0 {
		panic("stepfunctions: activity counter below zero")
	}
}

// blockLocked parks the calling goroutine on w until it fires. It is called
// and returns with e.mu held; the goroutine counts as idle meanwhile.
func (e *Engine) blockLocked(w *wait) {
	e.decActiveLocked()
	e.mu.Unlock()
	<-w.ch
	e.mu.Lock()
}

// goLocked starts fn in a new goroutine counted as active until it returns.
func (e *Engine) goLocked(fn func()) {
	e.incActiveLocked()
	go func() {
		defer func() {
			e.mu.Lock()
			e.decActiveLocked()
			e.mu.Unlock()
		}()
		fn()
	}()
}

// signal is a condition a goroutine waits on: whoever changes the state the
// waiter looks at calls notifyLocked.
type signal struct{ w *wait }

func (e *Engine) notifyLocked(s *signal) {
	if s.w != nil {
		e.wakeLocked(s.w)
		s.w = nil
	}
}

// ---- timers ----

type timer struct {
	at        time.Time
	seq       uint64
	fn        func() // called with e.mu held
	cancelled bool
	index     int
	real      *time.Timer
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	t.index = -1
	return t
}

// scheduleLocked arranges for fn to be called (with e.mu held) at time at.
func (e *Engine) scheduleLocked(at time.Time, fn func()) *timer {
	e.timerSeq++
	t := &timer{at: at, seq: e.timerSeq, fn: fn}
	if e.closed {
		t.cancelled = true
		return t
	}
	if e.manual != nil {
		heap.Push(&e.timers, t)
		return t
	}
	t.real = time.AfterFunc(max(at.Sub(e.now()), 0), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !t.cancelled && !e.closed {
			t.cancelled = true
			t.fn()
		}
	})
	return t
}

// cancelTimerLocked stops t; a nil or already fired timer is ignored.
func (e *Engine) cancelTimerLocked(t *timer) {
	if t == nil || t.cancelled {
		return
	}
	t.cancelled = true
	if t.real != nil {
		t.real.Stop()
		return
	}
	if t.index >= 0 && t.index < len(e.timers) && e.timers[t.index] == t {
		heap.Remove(&e.timers, t.index)
	}
}

// popDueLocked removes and returns the earliest live timer due at or before
// target, or nil.
func (e *Engine) popDueLocked(target time.Time) *timer {
	for len(e.timers) > 0 {
		t := e.timers[0]
		if t.cancelled {
			heap.Pop(&e.timers)
			continue
		}
		if t.at.After(target) {
			return nil
		}
		heap.Pop(&e.timers)
		t.cancelled = true
		return t
	}
	return nil
}

// PendingTimers returns the due times of the timers still armed, earliest
// first (virtual mode only; nil in real-time mode). The local stack shows
// them; tests use them to know what Advance will fire.
func (e *Engine) PendingTimers() []time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.manual == nil {
		return nil
	}
	var out []time.Time
	for _, t := range e.timers {
		if !t.cancelled {
			out = append(out, t.at)
		}
	}
	sortTimes(out)
	return out
}
