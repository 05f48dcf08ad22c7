package stack_test

import (
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/shared/clock"
)

// Tokens belong to real time, the domain's windows to the stack's clock: a
// token minted for an hour keeps working while the stack's clock is moved
// 200 days (every window can be waited out with it), and stops working
// once real time passes its exp. Real time is a Manual here, moved by the
// test, so nothing sleeps.
func TestTokensLiveInRealTimeWhileTheStackClockMoves(t *testing.T) {
	wall := clock.NewManual(time.Now())
	s, _ := seededStack(t, wall)

	agent := s.Token("agent-ada", "compliance", "", time.Hour)
	owner := s.Token("owner@"+s.Demo.Businesses[0].ID, "business", s.Demo.Businesses[0].ID, time.Hour)
	client := clientToken(t, wall.Now()) // a black-box client's own five-minute token

	before := s.Clock.Now()
	s.Advance(200 * 24 * time.Hour)
	if moved := s.Clock.Now().Sub(before); moved != 200*24*time.Hour {
		t.Fatalf("the stack's clock moved %v, want 200 days", moved)
	}
	for name, tok := range map[string]string{"hour compliance token": agent, "client's token": client} {
		if status, body := get(t, s.APIURL+"/v1/compliance/tickets", tok); status != 200 {
			t.Errorf("%s after moving the stack's clock 200 days: %d %v, want 200", name, status, body)
		}
	}
	if status, body := get(t, s.APIURL+"/v1/reviews", owner); status != 200 {
		t.Errorf("hour business token after moving the stack's clock 200 days: %d %v, want 200", status, body)
	}

	// Real time passes the hour (and the authorizer's leeway): refused.
	wall.Advance(time.Hour + gateway.Leeway + time.Second)
	for name, tok := range map[string]string{"hour compliance token": agent, "client's token": client} {
		if status, body := get(t, s.APIURL+"/v1/compliance/tickets", tok); status != 401 {
			t.Errorf("%s past its real expiry: %d %v, want 401", name, status, body)
		}
	}
	if status, body := get(t, s.APIURL+"/v1/reviews", owner); status != 401 {
		t.Errorf("hour business token past its real expiry: %d %v, want 401", status, body)
	}
	// A token minted now works again, with the stack's clock where it is.
	if status, body := get(t, s.APIURL+"/v1/reviews", s.Token("owner@"+s.Demo.Businesses[0].ID, "business", s.Demo.Businesses[0].ID, time.Hour)); status != 200 {
		t.Errorf("fresh token: %d %v, want 200", status, body)
	}
}
