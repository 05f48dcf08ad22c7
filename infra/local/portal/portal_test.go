package portal

import "testing"

func TestLabelAndValueReadAsWords(t *testing.T) {
	labels := map[string]string{
		"appealDeadline":  "Appeal deadline",
		"reviewId":        "Review ID",
		"status":          "Status",
		"hidesReview":     "Hides review",
		"publicStatement": "Public statement",
	}
	for in, want := range labels {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %q, want %q", in, got, want)
		}
	}
	values := map[string]string{
		"awaiting_proof":            "awaiting proof",
		"2026-12-07T15:04:05Z":      "7 Dec 2026, 15:04 UTC",
		"2026-12-07T16:04:05+01:00": "7 Dec 2026, 15:04 UTC",
		"rpt_01JABC":                "rpt_01JABC",
		"We have no record_of it":   "We have no record_of it",
		"removed":                   "removed",
	}
	for in, want := range values {
		if got := value(in); got != want {
			t.Errorf("value(%q) = %q, want %q", in, got, want)
		}
	}
}
