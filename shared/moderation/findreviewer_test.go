package moderation

import "testing"

func TestCanRemind(t *testing.T) {
	cases := []struct {
		name string
		req  FindRequest
		ok   bool
	}{
		{"expired, no reminder yet", FindRequest{Status: RequestExpired}, true},
		{"expired, reminder used", FindRequest{Status: RequestExpired, ManualReminderUsed: true}, false},
		{"awaiting reply", FindRequest{Status: RequestAwaitingReply}, false},
		{"replied", FindRequest{Status: RequestReplied}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CanRemind(tc.req)
			if (err == nil) != tc.ok {
				t.Fatalf("CanRemind = %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				if e, _ := AsError(err); e == nil || e.Kind != KindConflict || e.Code != CodeReminderNotAllowed {
					t.Errorf("error = %#v, want conflict reminder_not_allowed", err)
				}
			}
		})
	}
}
