package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// docDesk answers OpenDocument with what the test gives it, noting who asked.
type docDesk struct {
	desk
	url   string
	err   error
	asked []app.Actor
}

func (d *docDesk) OpenDocument(_ context.Context, a app.Actor, _ string) (string, error) {
	d.asked = append(d.asked, a)
	return d.url, d.err
}

// The console opens a document as the API does: a 303 to the URL for the
// signed-in agent (as compliance), a page saying why for a pending or a
// withheld one, never a URL then.
func TestConsoleOpensADocument(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		err      error
		status   int
		location string
		says     string
	}{
		{"clean", "https://bucket.example/documents/x?X-Amz-Expires=60", nil, http.StatusSeeOther, "https://bucket.example/documents/x?X-Amz-Expires=60", ""},
		{"pending", "", moderation.Conflict(moderation.CodeDocumentNotScanned, "x"), http.StatusConflict, "", "has not answered yet"},
		{"withheld", "", moderation.Gone(moderation.CodeDocumentWithheld, "x"), http.StatusGone, "", "is withheld"},
		{"unknown", "", moderation.NotFound("document"), http.StatusNotFound, "", "no such document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &docDesk{url: tt.url, err: tt.err}
			rec := newSite(t, d).do("GET", "/console/documents/doc_1", nil)
			if rec.Code != tt.status || rec.Header().Get("Location") != tt.location || !strings.Contains(rec.Body.String(), tt.says) {
				t.Errorf("%d to %q, body %.200q; want %d to %q saying %q", rec.Code, rec.Header().Get("Location"), rec.Body.String(), tt.status, tt.location, tt.says)
			}
			if len(d.asked) != 1 || d.asked[0].Subject != "agent-anna" || d.asked[0].Role != app.RoleCompliance {
				t.Errorf("asked as %+v, want agent-anna as compliance", d.asked)
			}
		})
	}
}
