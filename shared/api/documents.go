package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// documentView is a document's record as compliance lists it with the
// answer it came with: never its name or content, and no URL (opening it
// is GET /v1/compliance/documents/{documentId}, which is audited).
type documentView struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	UploadedAt string `json:"uploadedAt"`
	// Scan is pending, clean, threat or failed: only a clean one opens;
	// threat and failed are withheld.
	Scan string `json:"scan"`
}

// answerDocuments are the views of the documents sent with the answer of
// kind and round, oldest first ([] for none). A document still being
// composed (no answer yet) is listed with no answer.
func answerDocuments(docs []app.ReportDocument, kind string, round int) []documentView {
	out := []documentView{}
	for _, d := range docs {
		if d.Answer.Kind != kind || d.Answer.Round != round {
			continue
		}
		out = append(out, documentView{ID: d.ID, Type: string(d.Type), Size: d.Size, SHA256: d.SHA256,
			UploadedAt: rfc3339(d.UploadedAt), Scan: string(d.Scan)})
	}
	return out
}

// withDocuments sets each answer's documents.
func withDocuments(views []answerView, docs []app.ReportDocument) []answerView {
	for i := range views {
		views[i].Documents = answerDocuments(docs, views[i].Kind, views[i].Round)
	}
	return views
}

// openDocument answers 303 to a URL that reads the document for 60
// seconds, once the view is in the report's audit trail; 409
// document_not_scanned while its scan is pending, 410 document_withheld
// after a threat or a failed scan.
func (a *API) openDocument(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if a.documents == nil {
		httpapi.WriteError(w, r, moderation.NotFound("document"))
		return
	}
	url, err := a.documents.OpenDocument(r.Context(), actor(p), r.PathValue("documentId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", url)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusSeeOther)
}
