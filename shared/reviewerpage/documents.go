package reviewerpage

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/document"
)

// Documents on the proof, evidence and appeal pages (docs/decisions.md,
// "Uploads without JavaScript"): the answer's form lists the files the
// link carries, each with a Remove button, and has an "Attach a file"
// button. Both buttons post the form, so the text typed is saved as the
// link's draft first (never lost, whatever the upload does), then:
//
//   - Attach answers 303 to ?attach=1, whose GET signs one upload and shows
//     a form that posts the file straight to the bucket (multipart, no
//     script) with the bucket's origin added to the page's form-action;
//   - the bucket answers the upload with a 303 back to the page with the
//     key in the query: the page has the object checked (size, type from
//     its bytes, digest) and shows the form again, with the file listed or
//     with an error summary saying in the reviewer's language why it was
//     refused; the draft is in the textarea either way;
//   - Remove takes the file off and answers 303 to ?removed=1.
//
// A refusal by the bucket itself (an expired form, a changed key, a file
// over the size its policy allows) is the bucket's own XML error page: the
// upload page tells the reviewer beforehand to open the email's link
// again, which shows the answer's page with the draft.

// Attached is a document the link's answer carries, as the page lists it:
// its type, size and time, never its file's name.
type Attached struct {
	ID   string
	Type document.Type
	Size int64
	At   time.Time
}

// UploadForm is a signed upload: the page's form posts Fields in order,
// then the file as "file", to URL.
type UploadForm struct {
	URL    string
	Fields []FormField
}

// FormField is one hidden field of an upload form.
type FormField struct{ Name, Value string }

// DocumentBackend keeps a link's documents and the text typed before an
// upload. tokenHash is links.Hash(token). Errors as Backend's (ErrNotFound,
// ErrUsed, ErrExpired), and a *document.Refusal for a file or a count the
// rules refuse.
type DocumentBackend interface {
	// SaveDraft keeps text as the link's draft.
	SaveDraft(ctx context.Context, tokenHash, text string) error
	// PrepareUpload signs one more upload, coming back to redirect.
	PrepareUpload(ctx context.Context, tokenHash, redirect string) (UploadForm, error)
	// Arrived checks and records the upload at key (ErrNotFound when the
	// key is none of the link's uploads).
	Arrived(ctx context.Context, tokenHash, key string) error
	// Remove takes document id off the link's answer.
	Remove(ctx context.Context, tokenHash, id string) error
}

// Form fields and query parameters of documents.
const (
	fieldAction  = "action" // "attach": save the draft, then the upload page
	actionAttach = "attach"
	fieldRemove  = "remove" // the id of the document to remove
	queryAttach  = "attach"
	queryRemoved = "removed"
	queryKey     = "key" // the bucket's redirect names the upload's key
	idAttach     = "attach"
	idFile       = "file"
)

// acceptedFiles is the file input's accept list: the types, and HEIC's
// extension (not every system knows its media type).
const acceptedFiles = "application/pdf,image/jpeg,image/png,image/webp,image/heic,.heic"

// docsBox is the documents part of an answer's form.
type docsBox struct {
	Heading string
	Hint    string
	Count   string
	Items   []docItem
	None    string
	Attach  string
	Remove  string
}

// docItem is one listed document.
type docItem struct {
	ID, Text, RemoveLabel string
}

// uploadBox is the upload page's form, which posts to the bucket.
type uploadBox struct {
	Action    string
	Fields    []FormField
	FileLabel string
	FileHint  string
	Accept    string
	Submit    string
	Back      string
}

// takesDocuments reports whether l's page offers documents.
func (h *Handler) takesDocuments(l *link) bool { return h.docs != nil && l.view.TakesDocuments }

// docs is the documents part of l's form.
func docs(l *link) *docsBox {
	t := docTextsFor(l.cat.Lang)
	b := &docsBox{Heading: t.Heading, Hint: t.Hint, Count: t.Count(len(l.view.Documents), document.MaxFiles),
		Attach: t.Attach, Remove: t.Remove}
	for _, d := range l.view.Documents {
		kind := typeNames[d.Type]
		if kind == "" {
			kind = string(d.Type)
		}
		text := t.Item(kind, t.size(d.Size), l.cat.LocalDate(d.At, l.zone()))
		b.Items = append(b.Items, docItem{ID: d.ID, Text: text, RemoveLabel: t.RemoveOf(text)})
	}
	if len(b.Items) == 0 {
		b.None = t.None
	}
	return b
}

// withDocs is p (l's form page) with its documents, a notice, or the
// refusal of a file as the error summary.
func withDocs(p page, l *link, notice string, refused string) page {
	if p.Form == nil {
		return p
	}
	p.Form.Docs = docs(l)
	p.Form.Notice = notice
	if p.Form.Reply != nil {
		for _, e := range docTextsFor(l.cat.Lang).HintEdits {
			p.Form.Reply.Hint = strings.Replace(p.Form.Reply.Hint, e[0], e[1], 1)
		}
	}
	if refused != "" {
		item := summaryItem{Text: refused, Href: "#" + idAttach}
		if p.Summary == nil {
			p.Summary = &errorSummary{Prefix: l.cat.Phone.ErrorPrefix, Heading: l.cat.Phone.SummaryHeading}
		}
		p.Summary.Items = append(p.Summary.Items, item)
	}
	return p
}

// documentAction handles the form's Attach and Remove buttons: the text
// is saved as the draft first, then the answer is a 303 to the upload page
// or back to the form. A failure to save shows the form again with the
// text and "try again".
func (h *Handler) documentAction(w http.ResponseWriter, r *http.Request, l *link, in input) {
	ctx := r.Context()
	if err := h.docs.SaveDraft(ctx, l.hash, in.Reply); err != nil {
		h.documentError(w, r, l, in, "save draft", err)
		return
	}
	next := "?" + queryAttach + "=1"
	if id := r.PostForm.Get(fieldRemove); id != "" {
		if err := h.docs.Remove(ctx, l.hash, id); err != nil && !errors.Is(err, ErrNotFound) {
			h.documentError(w, r, l, in, "remove document", err)
			return
		}
		h.logResult(r, l.about(), "document_removed", http.StatusSeeOther)
		next = "?" + queryRemoved + "=1"
	} else {
		h.logResult(r, l.about(), "draft_saved", http.StatusSeeOther)
	}
	w.Header().Set("Location", next)
	w.WriteHeader(http.StatusSeeOther)
}

// documentError answers a documents backend's failure: used or expired
// pages, a refusal in the error summary (422), anything else the form
// again with "could not be checked, try again" (500); the text typed is
// in the form each time.
func (h *Handler) documentError(w http.ResponseWriter, r *http.Request, l *link, in input, op string, err error) {
	switch {
	case errors.Is(err, ErrUsed):
		h.finish(w, r, l, "used", http.StatusGone, pageUsed)
	case errors.Is(err, ErrExpired):
		h.finish(w, r, l, "expired", http.StatusGone, pageExpired)
	case errors.Is(err, ErrNotFound):
		h.finish(w, r, l, "not_found", http.StatusNotFound, pageNotFound)
	default:
		t := docTextsFor(l.cat.Lang)
		status, msg := http.StatusInternalServerError, t.CheckFailed
		if ref, ok := errors.AsType[*document.Refusal](err); ok {
			status, msg = http.StatusUnprocessableEntity, t.refusal(ref.Reason)
			h.logResult(r, l.about(), "document_refused", status, slog.String("reason", string(ref.Reason)))
		} else {
			h.logResult(r, l.about(), "error", status, slog.String("error", op+": "+err.Error()))
		}
		h.render(w, r, status, withDocs(formPage(l, in, nil), l, "", msg))
	}
}

// documentGet answers the GETs of documents and reports whether it did:
// the bucket's redirect after an upload (?key=…), the upload page
// (?attach=1) and the form after a removal (?removed=1). A HEAD changes
// nothing: it is answered as the plain page.
func (h *Handler) documentGet(w http.ResponseWriter, r *http.Request, l *link) bool {
	if !h.takesDocuments(l) || r.Method != http.MethodGet {
		return false
	}
	q := r.URL.Query()
	in := initialInput(l.view)
	switch {
	case q.Has(queryKey):
		err := h.docs.Arrived(r.Context(), l.hash, q.Get(queryKey))
		if err != nil && !errors.Is(err, ErrNotFound) {
			h.reread(r, l)
			h.documentError(w, r, l, initialInput(l.view), "document arrived", err)
			return true
		}
		h.reread(r, l)
		notice := ""
		if err == nil {
			notice = docTextsFor(l.cat.Lang).Attached
		}
		h.logResult(r, l.about(), "document_arrived", http.StatusOK)
		h.render(w, r, http.StatusOK, withDocs(formPage(l, initialInput(l.view), nil), l, notice, ""))
	case q.Has(queryAttach):
		form, err := h.docs.PrepareUpload(r.Context(), l.hash, h.origin(r)+r.URL.EscapedPath())
		if err != nil {
			h.documentError(w, r, l, in, "prepare upload", err)
			return true
		}
		h.uploadPage(w, r, l, form)
	case q.Has(queryRemoved):
		h.logResult(r, l.about(), "shown", http.StatusOK)
		h.render(w, r, http.StatusOK, withDocs(formPage(l, in, nil), l, docTextsFor(l.cat.Lang).Removed, ""))
	default:
		return false
	}
	return true
}

// reread reads l's view again after its documents changed (the first
// reading stays when this one fails).
func (h *Handler) reread(r *http.Request, l *link) {
	if v, err := h.backend.View(r.Context(), l.hash); err == nil {
		l.view = v
	}
}

// uploadPage shows the form that posts one file to the bucket. Its
// Content-Security-Policy admits the bucket's origin as a form action, and
// the page's own (the bucket redirects back here).
func (h *Handler) uploadPage(w http.ResponseWriter, r *http.Request, l *link, form UploadForm) {
	u, err := url.Parse(form.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		h.documentError(w, r, l, initialInput(l.view), "prepare upload", errors.New("the upload form's address is not a web origin"))
		return
	}
	nonce, _ := r.Context().Value(nonceKey{}).(string)
	w.Header().Set("Content-Security-Policy", csp(nonce, h.imgSrc, "'self' "+u.Scheme+"://"+u.Host))
	t := docTextsFor(l.cat.Lang)
	h.logResult(r, l.about(), "upload_form", http.StatusOK)
	h.render(w, r, http.StatusOK, page{Lang: l.cat.Lang, Heading: t.UploadH, Paras: t.UploadP, Upload: &uploadBox{
		Action: form.URL, Fields: form.Fields, FileLabel: t.FileLabel, FileHint: t.FileHint, Accept: acceptedFiles,
		Submit: t.Upload, Back: t.Back}})
}

// isDocumentAction reports whether a posted form is the Attach or a
// Remove button rather than the answer.
func isDocumentAction(form url.Values) bool {
	return form.Get(fieldAction) == actionAttach || strings.TrimSpace(form.Get(fieldRemove)) != ""
}

// origin is the pages' origin the bucket sends the browser back to: the
// configured public URL, or else the host the request reached over HTTPS
// (API Gateway's own domain or the custom one in front of it).
func (h *Handler) origin(r *http.Request) string {
	if h.publicURL != "" {
		return h.publicURL
	}
	return "https://" + r.Host
}
