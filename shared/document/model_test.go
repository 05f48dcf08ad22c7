package document

import (
	"testing"
	"time"
)

func TestTakesDocuments(t *testing.T) {
	for kind, want := range map[string]bool{
		AnswerProof: true, AnswerEvidence: true, AnswerAppeal: true,
		"find_reviewer_reply": false, "edit": false, "": false,
	} {
		if got := TakesDocuments(kind); got != want {
			t.Errorf("TakesDocuments(%q) = %v, want %v", kind, got, want)
		}
	}
}

func TestCanOpen(t *testing.T) {
	for _, tc := range []struct {
		scan   ScanStatus
		reason Reason
	}{
		{ScanClean, ""},
		{ScanPending, ReasonNotScanned},
		{ScanThreat, ReasonWithheld},
		{ScanFailed, ReasonWithheld},
		{"", ReasonWithheld}, // a record without a status is not trusted
	} {
		if got := reasonOf(CanOpen(Document{ID: "doc_1", Scan: tc.scan})); got != tc.reason {
			t.Errorf("CanOpen(scan %q) reason = %q, want %q", tc.scan, got, tc.reason)
		}
	}
}

func TestWithScan(t *testing.T) {
	first := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	later := first.Add(time.Minute)
	tests := []struct {
		name    string
		from    ScanStatus
		result  ScanStatus
		want    ScanStatus
		changed bool
	}{
		{"pending, clean arrives", ScanPending, ScanClean, ScanClean, true},
		{"pending, threat arrives", ScanPending, ScanThreat, ScanThreat, true},
		{"pending, the scan failed", ScanPending, ScanFailed, ScanFailed, true},
		{"clean again (delivered twice)", ScanClean, ScanClean, ScanClean, false},
		{"clean, then a threat", ScanClean, ScanThreat, ScanThreat, true},
		{"threat, then clean (out of order)", ScanThreat, ScanClean, ScanThreat, false},
		{"failed, then clean", ScanFailed, ScanClean, ScanFailed, false},
		{"failed, then a threat", ScanFailed, ScanThreat, ScanThreat, true},
		{"pending is no result", ScanClean, ScanPending, ScanClean, false},
		{"an unknown result", ScanPending, "quarantined", ScanPending, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Document{ID: "doc_1", Scan: tc.from, ScannedAt: first}
			if tc.from == ScanPending {
				d.ScannedAt = time.Time{}
			}
			got, changed := WithScan(d, tc.result, later)
			if got.Scan != tc.want || changed != tc.changed {
				t.Errorf("WithScan(%s ← %s) = %s, %v; want %s, %v", tc.from, tc.result, got.Scan, changed, tc.want, tc.changed)
			}
			if changed && !got.ScannedAt.Equal(later) {
				t.Errorf("a recorded result's time = %v, want %v", got.ScannedAt, later)
			}
			if !changed && !got.ScannedAt.Equal(d.ScannedAt) {
				t.Errorf("an ignored result moved ScannedAt to %v", got.ScannedAt)
			}
		})
	}
}

func TestAnswerRefSent(t *testing.T) {
	if (AnswerRef{}).Sent() {
		t.Error("the zero answer counts as sent")
	}
	if !(AnswerRef{Kind: AnswerEvidence, Round: 2}).Sent() {
		t.Error("an evidence answer does not count as sent")
	}
}
