package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// DocumentStore is what a reviewer's documents need of the table. Every
// write holds its rule in its condition (docs/data-model.md, "Documents").
type DocumentStore interface {
	// ReserveDocument records d pending before its upload is signed, with
	// its link's counter: moderation.ErrChanged when the link is used,
	// closed at at, or carries document.MaxFiles documents already.
	ReserveDocument(ctx context.Context, d ReportDocument, at time.Time) error
	// CompleteDocument records the checked upload of d (size, type,
	// digest, UploadedAt): moderation.ErrChanged when d is no longer its
	// link's pending, unsent document.
	CompleteDocument(ctx context.Context, d ReportDocument) error
	// DropDocument deletes d's record and counts it off its link:
	// moderation.ErrChanged when d was sent or is not its link's.
	DropDocument(ctx context.Context, d ReportDocument) error
	// SaveDraft keeps the reviewer's text on their open, unused link.
	SaveDraft(ctx context.Context, hash, text string, at time.Time) error
}

// DocumentBucket is what a reviewer's documents need of the private
// bucket their files go to.
type DocumentBucket interface {
	// PresignUpload signs a browser form that uploads one file of at most
	// document.MaxSize bytes to exactly key, and sends the browser on to
	// redirect when it arrived.
	PresignUpload(ctx context.Context, key, redirect string) (UploadForm, error)
	// Inspect reads the object at key: its size and, when it is 1 to
	// document.MaxSize bytes, its first document.SniffLen bytes and the
	// SHA-256 of all of them. moderation.ErrNotFound when there is none.
	Inspect(ctx context.Context, key string) (StoredObject, error)
	// Delete deletes the object at key (none there is no error).
	Delete(ctx context.Context, key string) error
}

// UploadForm is a signed browser upload: the form posts Fields, then the
// file as the field "file", to URL (multipart/form-data).
type UploadForm struct {
	URL    string
	Fields map[string]string
}

// StoredObject is what the bucket holds at a key, as Inspect reads it.
type StoredObject struct {
	Size   int64
	Head   []byte // the first document.SniffLen bytes (nil when the size is refused)
	SHA256 string // hex ("" when the size is refused)
}

// DocumentKey is the bucket key of a document: ids only, never a name,
// under its report's prefix so that retention finds a report's objects.
func DocumentKey(reportID, documentID string) string {
	return "documents/" + reportID + "/" + documentID
}

// ErrNoDocuments: the link's answer takes no documents (a Find Reviewer
// reply, an edit, a reply report).
var ErrNoDocuments = moderation.InvalidField("document", "this link's answer takes no documents")

// sendable is what of ds an answer sent through link hash carries: its
// link's documents that arrived and were not sent.
func sendable(ds []ReportDocument, hash string) []ReportDocument {
	var out []ReportDocument
	for _, d := range ds {
		if d.LinkHash == hash && !d.Answer.Sent() && d.Size > 0 {
			out = append(out, d)
		}
	}
	return out
}

// documentLink is a link whose answer takes documents, open, with its
// report as read now.
func (a *App) documentLink(ctx context.Context, hash string) (Link, reportCase, error) {
	l, err := a.link(ctx, hash)
	if err != nil {
		return l, reportCase{}, err
	}
	if a.bucket == nil || !document.TakesDocuments(string(l.Purpose)) || isReplyReportLink(l) {
		return l, reportCase{}, ErrNoDocuments
	}
	rc, err := a.reportCase(ctx, l)
	if err != nil {
		return l, rc, err
	}
	if st := rc.state(l, a.clock.Now()); st != LinkOpen {
		return l, rc, linkStateErr(st)
	}
	return l, rc, nil
}

// SaveDraft keeps the text a reviewer typed (cleaned as an answer's text)
// on their link before they leave the page to upload a file, so that no
// upload, refused or not, loses it. ErrLinkUsed or ErrLinkExpired when the
// form is closed.
func (a *App) SaveDraft(ctx context.Context, hash, text string) error {
	if _, _, err := a.documentLink(ctx, hash); err != nil {
		return err
	}
	if err := a.store.SaveDraft(ctx, hash, moderation.CleanText(text), a.clock.Now()); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// PrepareUpload signs the upload of one more document through link hash,
// coming back to redirect: the document is recorded pending first, counted
// on its link in the same write, so a sixth is refused (a
// *document.Refusal, document.ReasonTooMany) before any byte is sent. A
// pending document of the link whose upload never arrived is signed again
// rather than counted twice.
func (a *App) PrepareUpload(ctx context.Context, hash, redirect string) (UploadForm, error) {
	_, rc, err := a.documentLink(ctx, hash)
	if err != nil {
		return UploadForm{}, err
	}
	var d ReportDocument
	for _, p := range rc.Documents {
		if p.LinkHash == hash && !p.Answer.Sent() && p.Size == 0 {
			d = p
		}
	}
	if d.ID == "" {
		now := a.clock.Now()
		d = ReportDocument{LinkHash: hash, Document: document.Document{ID: ids.New("doc"), ReportID: rc.Report.ID, Scan: document.ScanPending}}
		err := a.store.ReserveDocument(ctx, d, now)
		if errors.Is(err, moderation.ErrChanged) {
			l2, lerr := a.store.GetLink(ctx, hash)
			if lerr == nil {
				if st := rc.state(l2, now); st != LinkOpen {
					return UploadForm{}, linkStateErr(st)
				}
				if cerr := document.CheckCount(l2.DocCount + 1); cerr != nil {
					return UploadForm{}, cerr
				}
			}
		}
		if err != nil {
			return UploadForm{}, fmt.Errorf("prepare upload: %w", err)
		}
	}
	form, err := a.bucket.PresignUpload(ctx, DocumentKey(d.ReportID, d.ID), redirect)
	if err != nil {
		return UploadForm{}, fmt.Errorf("prepare upload: %w", err)
	}
	return form, nil
}

// DocumentArrived checks the upload at key that the bucket's redirect
// reports for link hash: the key must be one of the link's pending
// documents; its size (document.CheckSize) and its type, read from its
// first bytes (document.Detect), decide. An accepted file is recorded with
// its size, type and SHA-256; a refused one is deleted with its record and
// the *document.Refusal returned, for the page to say why. An upload
// already recorded (the redirect reloaded) is nil again.
// moderation.ErrNotFound when key is none of the link's documents or no
// object is there.
func (a *App) DocumentArrived(ctx context.Context, hash, key string) error {
	_, rc, err := a.documentLink(ctx, hash)
	if err != nil {
		return err
	}
	d, ok := linkDocumentAt(rc.Documents, hash, key)
	if !ok {
		return fmt.Errorf("document arrived: %w", moderation.ErrNotFound)
	}
	if d.Size > 0 {
		return nil
	}
	obj, err := a.bucket.Inspect(ctx, key)
	if err != nil {
		return fmt.Errorf("document arrived: %w", err)
	}
	refusal := document.CheckSize(obj.Size)
	if refusal == nil {
		d.Type, refusal = document.Detect(obj.Head)
	}
	if refusal != nil {
		if err := a.bucket.Delete(ctx, key); err != nil {
			return fmt.Errorf("document arrived: delete the refused upload: %w", err)
		}
		if err := a.store.DropDocument(ctx, d); err != nil && !errors.Is(err, moderation.ErrChanged) {
			return fmt.Errorf("document arrived: %w", err)
		}
		return refusal
	}
	d.Size, d.SHA256, d.UploadedAt = obj.Size, obj.SHA256, a.clock.Now()
	if err := a.store.CompleteDocument(ctx, d); err != nil {
		return fmt.Errorf("document arrived: %w", err)
	}
	return nil
}

// linkDocumentAt finds the unsent document of link hash whose key is key.
func linkDocumentAt(ds []ReportDocument, hash, key string) (ReportDocument, bool) {
	if !strings.HasPrefix(key, "documents/") {
		return ReportDocument{}, false
	}
	for _, d := range ds {
		if d.LinkHash == hash && !d.Answer.Sent() && DocumentKey(d.ReportID, d.ID) == key {
			return d, true
		}
	}
	return ReportDocument{}, false
}

// RemoveDocument takes document id off the answer link hash is composing:
// its record goes in one write with its link's counter, then its object.
// moderation.ErrNotFound when it is none of the link's unsent documents.
func (a *App) RemoveDocument(ctx context.Context, hash, id string) error {
	_, rc, err := a.documentLink(ctx, hash)
	if err != nil {
		return err
	}
	var d ReportDocument
	for _, x := range rc.Documents {
		if x.ID == id && x.LinkHash == hash && !x.Answer.Sent() {
			d = x
		}
	}
	if d.ID == "" {
		return fmt.Errorf("remove document: %w", moderation.ErrNotFound)
	}
	if err := a.store.DropDocument(ctx, d); err != nil {
		return fmt.Errorf("remove document: %w", err)
	}
	if err := a.bucket.Delete(ctx, DocumentKey(d.ReportID, d.ID)); err != nil {
		// The record is gone, so nobody can open the object; retention
		// deletes it with the report's prefix.
		a.log.WarnContext(ctx, "removed document's object not deleted; retention will", "document", d.ID, "err", err)
	}
	return nil
}
