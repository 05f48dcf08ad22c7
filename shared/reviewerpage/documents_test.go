package reviewerpage

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/links"
)

// fakeDocs is a DocumentBackend that records drafts, removals and arrivals
// and answers them with the errors set.
type fakeDocs struct {
	mu         sync.Mutex
	drafts     []string
	removed    []string
	arrived    []string
	redirects  []string
	arriveErr  error
	prepareErr error
}

func (f *fakeDocs) SaveDraft(_ context.Context, _, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drafts = append(f.drafts, text)
	return nil
}

func (f *fakeDocs) PrepareUpload(_ context.Context, _, redirect string) (UploadForm, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.redirects = append(f.redirects, redirect)
	if f.prepareErr != nil {
		return UploadForm{}, f.prepareErr
	}
	return UploadForm{URL: "https://candor-documents.s3.eu-north-1.amazonaws.com/", Fields: []FormField{{"key", "documents/rpt_1/doc_1"}, {"policy", "eyJ9"}}}, nil
}

func (f *fakeDocs) Arrived(_ context.Context, _, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.arrived = append(f.arrived, key)
	return f.arriveErr
}

func (f *fakeDocs) Remove(_ context.Context, _, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, id)
	return nil
}

func docsHandler(b Backend, d DocumentBackend) *Handler {
	return New(b, Options{Clock: clock.NewManual(testNow), Documents: d, PublicURL: "https://reviews.example/"})
}

// proofWithDocs is an open proof link's view with two documents and a draft.
func proofWithDocs(locale string) View {
	v := openView(links.PurposeProof, locale)
	v.TakesDocuments, v.Draft = true, "Order 4711, invoice attached."
	v.Documents = []Attached{{ID: "doc_a", Type: document.PDF, Size: 1_300_000, At: testNow}, {ID: "doc_b", Type: document.JPEG, Size: 2048, At: testNow}}
	return v
}

// TestTheProofPageListsDocumentsWithItsDraft: the draft is in the
// answer's field; each document is listed by type, size and time with a
// Remove button; the Attach button is there; a Find Reviewer reply page has
// none of it.
func TestTheProofPageListsDocumentsWithItsDraft(t *testing.T) {
	b := newFake()
	h := docsHandler(b, &fakeDocs{})
	w := serve(h, get("/r/"+b.add(t, proofWithDocs("en"))))
	checkStatus(t, w, http.StatusOK)
	checkContains(t, w, "Order 4711, invoice attached.</textarea>", "PDF, 1.2 MB, attached", "JPEG, 2 KB, attached", "2 of 5 files attached.",
		`name="remove" value="doc_a"`, `id="attach" name="action" value="attach" formnovalidate`)
	if strings.Contains(text(w), "Attachments are not possible") {
		t.Error("the hint says attachments are not possible beside the documents")
	}
	reply := openView(links.PurposeFindReviewerReply, "en")
	w = serve(h, get("/r/"+b.add(t, reply)))
	if strings.Contains(w.Body.String(), `value="attach"`) {
		t.Error("a Find Reviewer reply page offers an upload")
	}
}

// TestAttachSavesTheTextThenShowsTheUploadForm: Attach saves what was
// typed and answers 303 to the upload page, whose form posts the signed
// fields and the file to the bucket, coming back to the page, and whose
// CSP admits the bucket's origin as a form action.
func TestAttachSavesTheTextThenShowsTheUploadForm(t *testing.T) {
	b, d := newFake(), &fakeDocs{}
	h := docsHandler(b, d)
	tok := b.add(t, proofWithDocs("en"))
	w := serve(h, postForm("/r/"+tok, "reply=Order+4712&action=attach"))
	checkStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "?attach=1" || len(d.drafts) != 1 || d.drafts[0] != "Order 4712" || b.submitCount() != 0 {
		t.Fatalf("attach: to %q, drafts %v, %d submits; want the text saved, nothing sent", loc, d.drafts, b.submitCount())
	}
	w = serve(h, get("/r/"+tok+"?attach=1"))
	checkStatus(t, w, http.StatusOK)
	checkContains(t, w, `action="https://candor-documents.s3.eu-north-1.amazonaws.com/"`, `enctype="multipart/form-data"`,
		`name="key" value="documents/rpt_1/doc_1"`, `type="file" id="file" name="file"`)
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://candor-documents.s3.eu-north-1.amazonaws.com;") {
		t.Errorf("upload page CSP %q, want the bucket's origin as a form action", csp)
	}
	if d.redirects[0] != "https://reviews.example/r/"+tok {
		t.Errorf("the bucket sends back to %q, want the page", d.redirects[0])
	}
	if csp := serve(h, get("/r/"+tok)).Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("answer page CSP %q, want form-action 'self' only", csp)
	}
}

// TestARefusedFileIsSaidInTheReviewersLanguage: the bucket's redirect
// with a refused file shows the form with the draft and an error summary
// saying why, in the reviewer's language; a HEAD of the same address
// checks nothing.
func TestARefusedFileIsSaidInTheReviewersLanguage(t *testing.T) {
	for _, c := range []struct {
		locale, want string
		reason       document.Reason
	}{
		{"en", "is not a PDF, JPEG, PNG, WebP or HEIC file", document.ReasonTypeNotAccepted},
		{"sv", "Filen du valde är tom.", document.ReasonEmpty},
		{"de", "größer als 10 MB", document.ReasonTooLarge},
	} {
		b, d := newFake(), &fakeDocs{arriveErr: &document.Refusal{Reason: c.reason}}
		h := docsHandler(b, d)
		tok := b.add(t, proofWithDocs(c.locale))
		path := "/r/" + tok + "?bucket=candor-documents&key=documents%2Frpt_1%2Fdoc_1&etag=%22x%22"
		if serve(h, request{method: http.MethodHead, path: path}); len(d.arrived) != 0 {
			t.Errorf("%s: a HEAD checked an upload", c.locale)
		}
		w := serve(h, get(path))
		checkStatus(t, w, http.StatusUnprocessableEntity)
		checkContains(t, w, c.want, "Order 4711, invoice attached.</textarea>", `id="error-summary"`, `href="#attach"`)
		if len(d.arrived) != 1 || d.arrived[0] != "documents/rpt_1/doc_1" {
			t.Errorf("%s: checked %v, want the key of the redirect", c.locale, d.arrived)
		}
	}
}

// TestRemoveSavesTheTextAndTakesTheFileOff: Remove saves the text,
// removes the document named and comes back saying so; a sixth file is
// refused before any upload form is shown.
func TestRemoveSavesTheTextAndTakesTheFileOff(t *testing.T) {
	b, d := newFake(), &fakeDocs{prepareErr: &document.Refusal{Reason: document.ReasonTooMany}}
	h := docsHandler(b, d)
	tok := b.add(t, proofWithDocs("en"))
	w := serve(h, postForm("/r/"+tok, "reply=Order+4713&remove=doc_b"))
	checkStatus(t, w, http.StatusSeeOther)
	if w.Header().Get("Location") != "?removed=1" || len(d.removed) != 1 || d.removed[0] != "doc_b" || d.drafts[0] != "Order 4713" {
		t.Fatalf("remove: to %q, removed %v, drafts %v", w.Header().Get("Location"), d.removed, d.drafts)
	}
	checkContains(t, serve(h, get("/r/"+tok+"?removed=1")), "The file was removed.")
	w = serve(h, get("/r/"+tok+"?attach=1"))
	checkStatus(t, w, http.StatusUnprocessableEntity)
	checkContains(t, w, "You have attached 5 files")
	if strings.Contains(w.Body.String(), "multipart/form-data") {
		t.Error("a sixth file got an upload form")
	}
}
