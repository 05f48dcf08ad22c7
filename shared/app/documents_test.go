package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// bucket is a hand-written DocumentBucket: PresignUpload hands out the key
// as the form's "key" field, upload puts bytes there as the browser's POST
// would, and Inspect and Delete work on what was put.
type bucket struct {
	mu      sync.Mutex
	objects map[string][]byte
	signed  []string // the keys signed, in order
}

func (b *bucket) PresignUpload(_ context.Context, key, redirect string) (app.UploadForm, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.signed = append(b.signed, key)
	return app.UploadForm{URL: "https://bucket.example/", Fields: map[string]string{"key": key, "success_action_redirect": redirect}}, nil
}

func (b *bucket) Inspect(_ context.Context, key string) (app.StoredObject, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.objects[key]
	if !ok {
		return app.StoredObject{}, moderation.ErrNotFound
	}
	o := app.StoredObject{Size: int64(len(data))}
	if o.Size > 0 && o.Size <= document.MaxSize {
		sum := sha256.Sum256(data)
		o.Head, o.SHA256 = data[:min(len(data), document.SniffLen)], hex.EncodeToString(sum[:])
	}
	return o, nil
}

func (b *bucket) Delete(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, key)
	return nil
}

// upload puts data where form says, as the browser's POST does.
func (b *bucket) upload(form app.UploadForm, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[form.Fields["key"]] = data
}

func (b *bucket) has(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.objects[key]
	return ok
}

// withBucket wires f's use cases with a fake bucket.
func (f *fixture) withBucket() *bucket {
	b := &bucket{objects: map[string][]byte{}}
	f.app = app.New(app.Config{Store: f.store, Clock: f.clock, Policy: moderation.Policy{}, Starter: f.starts, Waker: f.wakes,
		Logger: slog.New(slog.DiscardHandler), Bucket: b})
	return b
}

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{7}, 100)...)
)

// attach uploads data through link hash and reports what the page would
// be told of its arrival.
func (f *fixture) attach(b *bucket, hash string, data []byte) (string, error) {
	f.t.Helper()
	form, err := f.app.PrepareUpload(f.ctx, hash, "https://reviews.example/r/tok")
	if err != nil {
		return "", err
	}
	b.upload(form, data)
	return form.Fields["key"], f.app.DocumentArrived(f.ctx, hash, form.Fields["key"])
}

func (f *fixture) reportDocuments(id string) []app.ReportDocument {
	f.t.Helper()
	d, err := f.store.ReportDetail(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Documents
}

// TestEvidenceCarriesItsDocuments: the text saved before an upload comes
// back on the page; a PDF and a photo arrive, are listed by type and size,
// one is removed (record and object), and sending the evidence marks the
// other sent with it, with its size, type and digest.
func TestEvidenceCarriesItsDocuments(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	b := f.withBucket()
	r := f.askedForEvidence(moderation.ActionEvidence)
	hash := f.reviewerLink(r, links.PurposeEvidence, 1)
	if err := f.app.SaveDraft(f.ctx, hash, "  Order 4711, the invoice is attached.  "); err != nil {
		t.Fatal(err)
	}
	pdfKey, err := f.attach(b, hash, pdf)
	if err != nil {
		t.Fatalf("a PDF: %v", err)
	}
	photoKey, err := f.attach(b, hash, jpeg)
	if err != nil {
		t.Fatalf("a photo: %v", err)
	}
	v, err := f.app.ViewLink(f.ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if !v.TakesDocuments || v.Draft != "Order 4711, the invoice is attached." {
		t.Errorf("view takes documents %v with draft %q; want the saved text", v.TakesDocuments, v.Draft)
	}
	if len(v.Documents) != 2 || v.Documents[0].Type != document.PDF || v.Documents[1].Type != document.JPEG ||
		v.Documents[0].Size != int64(len(pdf)) {
		t.Fatalf("listed %+v, want the PDF then the photo", v.Documents)
	}
	if err := f.app.RemoveDocument(f.ctx, hash, v.Documents[1].ID); err != nil {
		t.Fatal(err)
	}
	if b.has(photoKey) {
		t.Error("the removed photo's object is still in the bucket")
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Order 4711, the invoice is attached."}); err != nil {
		t.Fatal(err)
	}
	ds := f.reportDocuments(r.ID)
	sum := sha256.Sum256(pdf)
	if len(ds) != 1 || !b.has(pdfKey) || ds[0].Answer != (document.AnswerRef{Kind: "evidence", Round: 1}) ||
		ds[0].SHA256 != hex.EncodeToString(sum[:]) || ds[0].Scan != document.ScanPending || !ds[0].UploadedAt.Equal(f.clock.Now()) {
		t.Fatalf("report documents = %+v; want the PDF sent with the evidence of round 1, pending its scan", ds)
	}
	if err := f.app.RemoveDocument(f.ctx, hash, ds[0].ID); !errors.Is(err, app.ErrLinkUsed) {
		t.Errorf("removing a sent document = %v, want the link used", err)
	}
}

// TestRefusedUploadsLeaveNothing: an empty file, an executable named
// .pdf and a file over 10 MB are each refused with the rule's reason,
// their object deleted and their record gone, and the link's count is
// given back: five good files still fit after them, a sixth does not.
func TestRefusedUploadsLeaveNothing(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	b := f.withBucket()
	r := f.askedForEvidence(moderation.ActionEvidence)
	hash := f.reviewerLink(r, links.PurposeEvidence, 1)
	for _, c := range []struct {
		name string
		data []byte
		want document.Reason
	}{
		{"empty", nil, document.ReasonEmpty},
		{"executable", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 600)...), document.ReasonTypeNotAccepted},
		{"11 MB", append(append([]byte{}, pdf...), make([]byte, 11<<20)...), document.ReasonTooLarge},
	} {
		key, err := f.attach(b, hash, c.data)
		if ref, ok := errors.AsType[*document.Refusal](err); !ok || ref.Reason != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
		if b.has(key) {
			t.Errorf("%s: the refused object is still in the bucket", c.name)
		}
	}
	if ds := f.reportDocuments(r.ID); len(ds) != 0 {
		t.Fatalf("refused files left records %+v", ds)
	}
	for i := range document.MaxFiles {
		if _, err := f.attach(b, hash, pdf); err != nil {
			t.Fatalf("file %d: %v", i+1, err)
		}
	}
	_, err := f.app.PrepareUpload(f.ctx, hash, "https://reviews.example/r/tok")
	if ref, ok := errors.AsType[*document.Refusal](err); !ok || ref.Reason != document.ReasonTooMany {
		t.Fatalf("a sixth file = %v, want too_many_documents", err)
	}
	if ds := f.reportDocuments(r.ID); len(ds) != document.MaxFiles {
		t.Errorf("%d records, want %d", len(ds), document.MaxFiles)
	}
}

// TestAnUnfinishedUploadIsSignedAgain: a form signed but never used (the
// reviewer went back) keeps its one slot, signed again rather than
// counted twice; a key the link did not sign is not found.
func TestAnUnfinishedUploadIsSignedAgain(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	b := f.withBucket()
	r := f.askedForEvidence(moderation.ActionEvidence)
	hash := f.reviewerLink(r, links.PurposeEvidence, 1)
	for range 3 {
		if _, err := f.app.PrepareUpload(f.ctx, hash, "https://reviews.example/r/tok"); err != nil {
			t.Fatal(err)
		}
	}
	if len(b.signed) != 3 || b.signed[0] != b.signed[2] {
		t.Errorf("signed %v, want one key three times", b.signed)
	}
	if ds := f.reportDocuments(r.ID); len(ds) != 1 {
		t.Errorf("%d records, want the one pending", len(ds))
	}
	b.objects["documents/"+r.ID+"/doc_other"] = pdf
	if err := f.app.DocumentArrived(f.ctx, hash, "documents/"+r.ID+"/doc_other"); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("a key not signed = %v, want not found", err)
	}
}

// TestAppealCarriesItsDocuments: a document attached through the appeal
// link goes with the appeal; a Find Reviewer reply takes none.
func TestAppealCarriesItsDocuments(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	b := f.withBucket()
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideRemove, Note: note,
		UpheldReasons: []moderation.Reason{moderation.ReasonSpam}}); err != nil {
		t.Fatal(err)
	}
	f.told(r.ID)
	hash := "appeal-" + r.ID
	if err := f.store.CreateLink(f.ctx, app.Link{Hash: hash, Purpose: links.PurposeAppeal, ObjectID: r.ID,
		Deadline: f.clock.Now().Add(f.app.Policy().AppealWindow), Created: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.attach(b, hash, jpeg); err != nil {
		t.Fatal(err)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "I did buy there: order 4711."}); err != nil {
		t.Fatal(err)
	}
	if ds := f.reportDocuments(r.ID); len(ds) != 1 || ds[0].Answer != (document.AnswerRef{Kind: "appeal"}) {
		t.Fatalf("report documents = %+v, want the photo sent with the appeal", ds)
	}
}

// TestFindReviewerReplyTakesNoDocuments: its page offers no upload and
// none can be signed for it.
func TestFindReviewerReplyTakesNoDocuments(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	b := f.withBucket()
	f.seed("rev-1", moderation.SourceOrganic)
	fr, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	hash := f.replyLink(fr)
	if v, err := f.app.ViewLink(f.ctx, hash); err != nil || v.TakesDocuments {
		t.Errorf("reply view takes documents %v, %v; want none", v.TakesDocuments, err)
	}
	if _, err := f.app.PrepareUpload(f.ctx, hash, "https://reviews.example/r/tok"); moderation.KindOf(err) != moderation.KindInvalid || len(b.signed) != 0 {
		t.Errorf("an upload on a Find Reviewer reply = %v (signed %v), want refused as invalid", err, b.signed)
	}
}
