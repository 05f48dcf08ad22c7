package api

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
)

// TestAnswersListTheirOwnDocuments: each answer lists the documents sent
// with it (kind and round), with their record only; a document still being
// composed, or sent with another answer, is not listed under it.
func TestAnswersListTheirOwnDocuments(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	doc := func(id, kind string, round int, scan document.ScanStatus) app.ReportDocument {
		return app.ReportDocument{LinkHash: "h", Document: document.Document{ID: id, Answer: document.AnswerRef{Kind: kind, Round: round},
			Size: 1234, Type: document.PDF, SHA256: "ab", Scan: scan, UploadedAt: at}}
	}
	docs := []app.ReportDocument{doc("doc_p", "proof", 0, document.ScanClean), doc("doc_e1", "evidence", 1, document.ScanThreat),
		doc("doc_e2", "evidence", 2, document.ScanPending), doc("doc_draft", "", 0, document.ScanClean)}
	views := withDocuments(newAnswerViews([]app.Answer{{Kind: "proof", At: at}, {Kind: "evidence", Round: 1, At: at}, {Kind: "edit", Round: 1, At: at}}), docs)
	want := map[string][]documentView{
		"proof":    {{ID: "doc_p", Type: "application/pdf", Size: 1234, SHA256: "ab", UploadedAt: "2026-11-02T09:00:00Z", Scan: "clean"}},
		"evidence": {{ID: "doc_e1", Type: "application/pdf", Size: 1234, SHA256: "ab", UploadedAt: "2026-11-02T09:00:00Z", Scan: "threat"}},
		"edit":     {},
	}
	for _, v := range views {
		if len(v.Documents) != len(want[v.Kind]) {
			t.Errorf("%s lists %+v, want %+v", v.Kind, v.Documents, want[v.Kind])
			continue
		}
		for i := range v.Documents {
			if v.Documents[i] != want[v.Kind][i] {
				t.Errorf("%s lists %+v, want %+v", v.Kind, v.Documents[i], want[v.Kind][i])
			}
		}
	}
}
