package clock

import (
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// fakeWall is a wall clock a test moves by hand.
type fakeWall struct {
	mu  sync.Mutex
	now time.Time
}

func (w *fakeWall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *fakeWall) pass(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func TestManualStandsStillBetweenMoves(t *testing.T) {
	m := NewManual(t0.In(time.FixedZone("CET", 3600)))
	if got := m.Now(); !got.Equal(t0) || got.Location() != time.UTC {
		t.Fatalf("Now() = %v, want %v in UTC", got, t0)
	}
	if m.Running() {
		t.Errorf("NewManual: Running() = true")
	}
	steps := []struct {
		name string
		move func() time.Time
		want time.Time
	}{
		{"advance 1h", func() time.Time { return m.Advance(time.Hour) }, t0.Add(time.Hour)},
		{"advance -1h is ignored", func() time.Time { return m.Advance(-time.Hour) }, t0.Add(time.Hour)},
		{"set forward", func() time.Time { return m.Set(t0.Add(3 * time.Hour)) }, t0.Add(3 * time.Hour)},
		{"set back is ignored", func() time.Time { return m.Set(t0) }, t0.Add(3 * time.Hour)},
	}
	for _, s := range steps {
		if got := s.move(); !got.Equal(s.want) {
			t.Errorf("%s: returned %v, want %v", s.name, got, s.want)
		}
		if got := m.Now(); !got.Equal(s.want) {
			t.Errorf("%s: Now() = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestRunningClockIsWallTimePlusWhatItWasMoved(t *testing.T) {
	wall := &fakeWall{now: t0.Add(-24 * time.Hour)} // the clock starts a day ahead of the wall
	m := newRunning(t0, wall.Now)
	if !m.Running() {
		t.Fatalf("Running() = false")
	}
	steps := []struct {
		name string
		do   func()
		want time.Time
	}{
		{"at start", func() {}, t0},
		{"real time passes", func() { wall.pass(1500 * time.Millisecond) }, t0.Add(1500 * time.Millisecond)},
		{"moved 72h", func() { m.Advance(72 * time.Hour) }, t0.Add(72*time.Hour + 1500*time.Millisecond)},
		{"keeps running after a move", func() { wall.pass(time.Second) }, t0.Add(72*time.Hour + 2500*time.Millisecond)},
		{"set forward", func() { m.Set(t0.Add(100 * time.Hour)) }, t0.Add(100 * time.Hour)},
		{"keeps running after set", func() { wall.pass(time.Minute) }, t0.Add(100*time.Hour + time.Minute)},
		{"set back is ignored", func() { m.Set(t0) }, t0.Add(100*time.Hour + time.Minute)},
		{"negative advance is ignored", func() { m.Advance(-time.Hour) }, t0.Add(100*time.Hour + time.Minute)},
		// The machine's clock is set back: the clock waits for it rather than go back.
		{"wall set back", func() { wall.pass(-10 * time.Second) }, t0.Add(100*time.Hour + time.Minute)},
		{"wall catching up", func() { wall.pass(5 * time.Second) }, t0.Add(100*time.Hour + time.Minute)},
		{"wall caught up", func() { wall.pass(7 * time.Second) }, t0.Add(100*time.Hour + time.Minute + 2*time.Second)},
	}
	for _, s := range steps {
		s.do()
		if got := m.Now(); !got.Equal(s.want) {
			t.Errorf("%s: Now() = %v, want %v", s.name, got, s.want)
		}
	}
	// Moves add up: a day's start ahead, 72h, and Set's 100h - 72h - 1.5s - 1s.
	if got, want := m.Offset(), 24*time.Hour+100*time.Hour-1500*time.Millisecond-time.Second; got != want {
		t.Errorf("Offset() = %v, want %v", got, want)
	}
	if got := NewManual(t0).Offset(); got != 0 {
		t.Errorf("still clock: Offset() = %v, want 0", got)
	}
}

func TestRunningClockStartedNowShowsRealTime(t *testing.T) {
	m := NewRunning(time.Time{})
	before := time.Now()
	got := m.Now()
	after := time.Now()
	// Now is read between two wall-clock readings; it can be neither before
	// the first nor after the second.
	if got.Before(before.Add(-time.Millisecond)) || got.After(after) {
		t.Errorf("Now() = %v, want between %v and %v", got, before, after)
	}
}
