// Package clock provides the time source every handler and the local engine
// read instead of time.Now, so that the local stack and the tests can move
// time forward and try a 7-day policy window in a second.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time. Implementations are safe for concurrent use.
type Clock interface {
	Now() time.Time
}

// System is the wall clock, in UTC.
type System struct{}

// Now returns the current wall-clock time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Manual is a clock that moves forward when told to. A Manual made by
// NewManual moves only then: it stands still between moves, so that a test
// decides every instant. One made by NewRunning also runs with the wall
// clock: it is wall time plus an offset that Advance and Set increase, so
// between moves it keeps pace with real time and never lags it. Either way
// it never goes backwards. It is safe for concurrent use.
//
// Code that schedules on a Manual (the local Step Functions engine) treats
// both kinds as virtual time: its timers fire when it is told to advance,
// and with a running Manual the caller also tells it when real time has
// reached a timer.
type Manual struct {
	mu  sync.Mutex
	now time.Time // still: the time; running: the last time Now returned

	// Running clocks only: Now is wall() + offset.
	wall   func() time.Time
	offset time.Duration
}

// NewManual returns a Manual clock standing at start (converted to UTC).
func NewManual(start time.Time) *Manual { return &Manual{now: start.UTC()} }

// NewRunning returns a Manual clock that stands at start now and from then
// on runs with the wall clock, plus whatever it is moved forward by. A zero
// start means real time: the clock equals the wall clock until it is moved.
func NewRunning(start time.Time) *Manual { return newRunning(start, time.Now) }

func newRunning(start time.Time, wall func() time.Time) *Manual {
	m := &Manual{wall: wall}
	if !start.IsZero() {
		m.offset = start.Sub(wall())
	}
	m.now = wall().Add(m.offset).UTC()
	return m
}

// Running reports whether the clock runs with the wall clock (NewRunning).
func (m *Manual) Running() bool { return m.wall != nil }

// Offset returns how far a running clock is ahead of the wall clock: the
// sum of its moves, plus its start's distance from the wall clock. It is
// zero for a still clock.
func (m *Manual) Offset() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.offset
}

// Now returns the clock's current time, in UTC.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.nowLocked()
}

// nowLocked is Now with m.mu held. A running clock whose wall clock was set
// back stands still until the wall clock has caught up.
func (m *Manual) nowLocked() time.Time {
	if m.wall != nil {
		if t := m.wall().Add(m.offset).UTC(); t.After(m.now) {
			m.now = t
		}
	}
	return m.now
}

// Advance moves the clock forward by d (a negative d is ignored) and returns
// the new time. A running clock keeps running from there.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.nowLocked()
	if d > 0 {
		m.offset += d
		m.now = now.Add(d)
	}
	return m.now
}

// Set moves the clock to t if t is not before the current time, and returns
// the new time. A running clock keeps running from there.
func (m *Manual) Set(t time.Time) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.nowLocked()
	if t.After(now) {
		m.offset += t.Sub(now)
		m.now = t.UTC()
	}
	return m.now
}
