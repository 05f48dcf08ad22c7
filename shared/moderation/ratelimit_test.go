package moderation

import (
	"testing"
	"time"
)

func TestRateWindow(t *testing.T) {
	tests := []struct {
		at        string
		wantStart string
		wantLeft  time.Duration
	}{
		{"2026-11-02T09:00:00Z", "2026-11-02T09:00:00Z", time.Hour},
		{"2026-11-02T09:20:00Z", "2026-11-02T09:00:00Z", 40 * time.Minute},
		{"2026-11-02T09:59:59.5Z", "2026-11-02T09:00:00Z", 500 * time.Millisecond},
		{"2026-11-02T11:30:00+02:00", "2026-11-02T09:00:00Z", 30 * time.Minute},
	}
	for _, tt := range tests {
		at, _ := time.Parse(time.RFC3339Nano, tt.at)
		start, left := RateWindow(at)
		if got := start.Format(time.RFC3339); got != tt.wantStart || left != tt.wantLeft {
			t.Errorf("RateWindow(%s) = %s, %s; want %s, %s", tt.at, got, left, tt.wantStart, tt.wantLeft)
		}
	}
}

func TestRateLimitedRoundsRetryAfterUp(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want time.Duration
	}{
		{40 * time.Minute, 40 * time.Minute},
		{500 * time.Millisecond, time.Second},
		{0, time.Second},
		{1500 * time.Millisecond, 2 * time.Second},
	}
	for _, tt := range tests {
		e := RateLimited("reports", 30, tt.in)
		if e.Kind != KindRateLimited || e.Code != CodeRateLimited || e.RetryAfter != tt.want {
			t.Errorf("RateLimited(%s) = %+v, want RetryAfter %s", tt.in, e, tt.want)
		}
	}
}
