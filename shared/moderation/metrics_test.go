package moderation

import (
	"maps"
	"testing"
	"time"
)

func TestBucketsGrowByAtMostHalf(t *testing.T) {
	for i := 1; i < len(DurationBuckets); i++ {
		if prev, b := DurationBuckets[i-1], DurationBuckets[i]; b <= prev || float64(b) > 1.5*float64(prev) {
			t.Errorf("bucket %d: %v after %v: want more than it and at most 1.5 times it", i, b, prev)
		}
	}
}

func TestBucketName(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "60"},
		{time.Minute, "60"},
		{time.Minute + time.Second, "90"},
		{50 * time.Minute, "3600"},
		{25 * time.Hour, "129600"},
		{300 * day, "25920000"},
		{301 * day, "inf"},
	} {
		if got := BucketName(tc.d); got != tc.want {
			t.Errorf("BucketName(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestTallies(t *testing.T) {
	created := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := created.Add(50 * time.Minute)
	r := Report{ID: "rpt_1", CreatedAt: created}
	removed := Consequence{ReportStatus: ReportClosed, Outcome: OutcomeRemoved}
	for _, tc := range []struct {
		name         string
		got          Tally
		agent        string
		day, byAgent map[string]int
	}{
		{"report submitted", ReportSubmittedTally(r), "", map[string]int{CountReports: 1}, nil},
		{"first claim", ClaimTally(Ticket{CreatedAt: created}, "ana", at), "ana",
			map[string]int{CountClaims: 1, CountFirstClaims: 1, HistToFirstClaim + "_3600": 1},
			map[string]int{CountClaims: 1, CountFirstClaims: 1}},
		{"claim after a release", ClaimTally(Ticket{CreatedAt: created, FirstClaimedAt: created.Add(time.Minute)}, "ben", at), "ben",
			map[string]int{CountClaims: 1}, map[string]int{CountClaims: 1}},
		{"removal", TicketDecidedTally(r, Decision{Outcome: DecideRemove, Agent: "ana", At: at}, removed), "ana",
			map[string]int{CountDecisions: 1, "decision_remove": 1, CountClosed: 1, "outcome_removed": 1, HistToDecision + "_3600": 1},
			map[string]int{CountDecisions: 1, "decision_remove": 1}},
		{"reviewer action closes nothing", TicketDecidedTally(r, Decision{Outcome: DecideReviewerAction, Agent: "ana", At: at},
			Consequence{ReportStatus: ReportAwaitingReviewer}), "ana",
			map[string]int{CountDecisions: 1, "decision_request_reviewer_action": 1},
			map[string]int{CountDecisions: 1, "decision_request_reviewer_action": 1}},
		{"closed for no proof", ReportClosedTally(r, Consequence{ReportStatus: ReportClosed, Outcome: OutcomeRemoved, Ground: GroundNoProofProvided}, created.Add(8*day)), "",
			map[string]int{CountClosed: 1, CountNoProof: 1, "outcome_removed": 1, HistToDecision + "_777600": 1}, nil},
		{"appeal filed", AppealFiledTally(Appeal{FiledAt: at}), "", map[string]int{CountAppealsFiled: 1}, nil},
		{"appeal decided", AppealDecidedTally(AppealDecision{Outcome: AppealReverse, Agent: "ben", At: at}), "ben",
			map[string]int{CountDecisions: 1, "appeal_reverse": 1}, map[string]int{CountDecisions: 1, "appeal_reverse": 1}},
		{"reply ticket decided", ReplyDecidedTally(Decision{Outcome: DecideKeep, Agent: "ben", At: at}), "ben",
			map[string]int{CountDecisions: 1, "reply_keep": 1}, map[string]int{CountDecisions: 1, "reply_keep": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.Agent != tc.agent {
				t.Errorf("agent = %q, want %q", tc.got.Agent, tc.agent)
			}
			if !maps.Equal(tc.got.Day, tc.day) {
				t.Errorf("day counters = %v, want %v", tc.got.Day, tc.day)
			}
			if len(tc.got.ByAgent)+len(tc.byAgent) > 0 && !maps.Equal(tc.got.ByAgent, tc.byAgent) {
				t.Errorf("agent counters = %v, want %v", tc.got.ByAgent, tc.byAgent)
			}
			if tc.got.At.IsZero() {
				t.Error("no time: the tally would be counted on no day")
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	h := Histogram{}
	for _, d := range []time.Duration{30 * time.Second, 5 * time.Minute, 5 * time.Minute, 2 * time.Hour, 10 * day} {
		h[BucketName(d)]++
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.2, time.Minute}, {0.5, 6 * time.Minute}, {0.8, 2 * time.Hour}, {0.9, 12 * day}, {1, 12 * day}} {
		got, ok, over := h.Quantile(tc.q)
		if !ok || over || got != tc.want {
			t.Errorf("Quantile(%v) = %v, %v, %v; want %v, true, false", tc.q, got, ok, over, tc.want)
		}
	}
	if _, ok, _ := (Histogram{}).Quantile(0.5); ok {
		t.Error("an empty histogram has a median")
	}
	if got, _, over := (Histogram{"inf": 1}).Quantile(0.5); !over || got != DurationBuckets[len(DurationBuckets)-1] {
		t.Errorf("past the last bucket: %v, over %v; want the last bound, over", got, over)
	}
}

func TestMetricsDayIsUTC(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	if got := MetricsDay(time.Date(2026, 12, 2, 0, 30, 0, 0, berlin)); got != "2026-12-01" {
		t.Errorf("MetricsDay = %s, want 2026-12-01 (the UTC date)", got)
	}
}
