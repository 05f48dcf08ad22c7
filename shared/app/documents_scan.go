package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// What happens to a reviewer's document once its object is in the bucket:
// the malware scan's result is recorded, compliance opens a clean one for
// a minute, and its retention deletes it once it is no longer needed.

// DocumentObjectKey is the object key of document id of report reportID:
// ids only, never a name.
func DocumentObjectKey(reportID, id string) string { return DocumentsPrefix(reportID) + id }

// DocumentsPrefix is the key prefix every object of report reportID shares.
func DocumentsPrefix(reportID string) string { return "documents/" + reportID + "/" }

// ParseDocumentObjectKey reads a report's and a document's ids back from an
// object key; ok is false for any key DocumentObjectKey does not make.
func ParseDocumentObjectKey(key string) (reportID, id string, ok bool) {
	rest, found := strings.CutPrefix(key, "documents/")
	if !found {
		return "", "", false
	}
	reportID, id, found = strings.Cut(rest, "/")
	if !found || !ids.Valid("rpt", reportID) || !ids.Valid("doc", id) {
		return "", "", false
	}
	return reportID, id, true
}

// DocumentScanStore is what scanning, opening and retention need of the table.
type DocumentScanStore interface {
	GetDocument(ctx context.Context, id string) (ReportDocument, error)
	// GetReportDocument reads a document by its report's id and its own.
	GetReportDocument(ctx context.Context, reportID, id string) (ReportDocument, error)
	ReportDetail(ctx context.Context, id string) (ReportDetail, error)
	// RecordDocumentScan writes d's scan result on the condition
	// document.WithScan states (moderation.ErrChanged when it does not
	// hold), with the report's retention item and withheld's audit entry.
	RecordDocumentScan(ctx context.Context, d document.Document, withheld *moderation.AuditEntry) error
	// RecordDocumentView writes the audit entry of a view on the report.
	RecordDocumentView(ctx context.Context, reportID string, entry moderation.AuditEntry) error
	DueDocumentRetentions(ctx context.Context, now time.Time, limit int) ([]string, error)
	PostponeDocumentRetention(ctx context.Context, reportID string, at time.Time) error
	// DeleteDocuments deletes the records, the retention item and writes
	// entry, in one write.
	DeleteDocuments(ctx context.Context, reportID string, docs []document.Document, entry moderation.AuditEntry) error
}

// DocumentObjects is what the documents' use cases need of the bucket.
type DocumentObjects interface {
	// PresignGet is a URL that reads the object key for ttl, served with
	// the delivery's Content-Type and, for an attachment, a
	// Content-Disposition naming the file filename.
	PresignGet(ctx context.Context, key string, ttl time.Duration, d document.Delivery, filename string) (string, error)
	// ExpireObjects marks every object under prefix for the bucket's
	// lifecycle rule to delete, and says how many it marked.
	ExpireObjects(ctx context.Context, prefix string) (int, error)
}

// DocumentsConfig wires the documents' use cases.
type DocumentsConfig struct {
	Store   DocumentScanStore
	Objects DocumentObjects
	Clock   clock.Clock
	// Policy is the deployment's policy; zero fields take DefaultPolicy's.
	Policy moderation.Policy
	Logger *slog.Logger
}

// Documents runs the use cases of documents after their upload. It is
// safe for concurrent use.
type Documents struct {
	store   DocumentScanStore
	objects DocumentObjects
	clock   clock.Clock
	policy  moderation.Policy
	log     *slog.Logger
}

// NewDocuments returns the documents' use cases wired as cfg says.
func NewDocuments(cfg DocumentsConfig) *Documents {
	d := &Documents{store: cfg.Store, objects: cfg.Objects, clock: cfg.Clock, policy: cfg.Policy.WithDefaults(), log: cfg.Logger}
	if d.clock == nil {
		d.clock = clock.System{}
	}
	if d.log == nil {
		d.log = slog.Default()
	}
	return d
}

// DocumentViewTTL is how long the URL compliance opens a document with works.
const DocumentViewTTL = 60 * time.Second

// Audit actions of documents.
const (
	AuditDocumentWithheld = "document.withheld"
	AuditDocumentViewed   = "document.viewed"
	AuditDocumentsDeleted = "documents.deleted"
)

// RecordScan records the malware scan's result for the object key: the
// document is marked as document.WithScan says, in one conditioned write,
// so that a result delivered again or after a later one changes nothing.
// A document withheld by it (a threat, or a scan that failed) adds an
// audit entry on the report: compliance is told one was withheld. A key
// that names no document of Candor's (removed before its scan arrived, or
// not a document key) is logged and ignored: there is nothing to mark.
func (d *Documents) RecordScan(ctx context.Context, key string, result document.ScanStatus) error {
	reportID, id, ok := ParseDocumentObjectKey(key)
	if !ok {
		d.log.WarnContext(ctx, "scan result for an object that is no document; ignored", "scan", string(result))
		return nil
	}
	for attempt := 0; ; attempt++ {
		cur, err := d.store.GetReportDocument(ctx, reportID, id)
		if errors.Is(err, moderation.ErrNotFound) {
			d.log.InfoContext(ctx, "scan result for a document that is not recorded (removed before its scan); ignored", "document", id, "report", reportID, "scan", string(result))
			return nil
		}
		if err != nil {
			return fmt.Errorf("record scan of document %s: %w", id, err)
		}
		next, changed := document.WithScan(cur.Document, result, d.clock.Now())
		if !changed {
			d.log.InfoContext(ctx, "scan result changes nothing (repeated, or after a later one)", "document", id, "scan", string(result), "recorded", string(cur.Scan))
			return nil
		}
		var withheld *moderation.AuditEntry
		if document.CanOpen(next) != nil {
			withheld = &moderation.AuditEntry{At: next.ScannedAt, Actor: "system", Action: AuditDocumentWithheld,
				From: string(cur.Scan), To: string(next.Scan), Note: "document " + id + " is withheld: " + withheldNote(next.Scan)}
		}
		err = d.store.RecordDocumentScan(ctx, next, withheld)
		switch {
		case err == nil:
			d.log.InfoContext(ctx, "scan result recorded", "document", id, "report", reportID, "scan", string(next.Scan))
			return nil
		case errors.Is(err, moderation.ErrChanged) && attempt < 2:
			continue // another result was recorded meanwhile: apply the rule to it
		case errors.Is(err, moderation.ErrChanged):
			return nil
		}
		return fmt.Errorf("record scan of document %s: %w", id, err)
	}
}

func withheldNote(s document.ScanStatus) string {
	if s == document.ScanThreat {
		return "its malware scan found a threat"
	}
	return "its malware scan could not be completed"
}

// OpenDocument gives the compliance agent actor a URL that reads document
// id for DocumentViewTTL, served as document.DeliveryOf its type says. Only
// a document document.CanOpen lets be opened: a pending one is a conflict
// (document_not_scanned), a withheld one gone (document_withheld). The view
// (who, when) is in the report's audit trail before the URL is made: a
// view that cannot be recorded is not given.
func (d *Documents) OpenDocument(ctx context.Context, actor Actor, id string) (string, error) {
	if actor.Role != RoleCompliance {
		return "", notFound("document")
	}
	if !ids.Valid("doc", id) {
		return "", notFound("document")
	}
	doc, err := d.store.GetDocument(ctx, id)
	if err != nil {
		return "", fmt.Errorf("open document %s: %w", id, err)
	}
	if err := document.CanOpen(doc.Document); err != nil {
		var r *document.Refusal
		if errors.As(err, &r) && r.Reason == document.ReasonNotScanned {
			return "", moderation.Conflict(moderation.CodeDocumentNotScanned, "the document's malware scan has not answered yet; try again in a minute")
		}
		return "", moderation.Gone(moderation.CodeDocumentWithheld, "the document is withheld: its malware scan found a threat or could not be completed")
	}
	now := d.clock.Now()
	if err := d.store.RecordDocumentView(ctx, doc.ReportID, moderation.AuditEntry{At: now, Actor: actor.audit(), Action: AuditDocumentViewed,
		Note: "document " + id}); err != nil {
		return "", fmt.Errorf("open document %s: %w", id, err)
	}
	url, err := d.objects.PresignGet(ctx, DocumentObjectKey(doc.ReportID, id), DocumentViewTTL, document.DeliveryOf(doc.Type), id+doc.Type.Extension())
	if err != nil {
		return "", fmt.Errorf("open document %s: %w", id, err)
	}
	return url, nil
}

// retentionBatch is how many reports one retention run takes on; the
// next run takes the rest.
const retentionBatch = 25

// retentionRecheck is how long the retention run waits before it looks
// again at a report whose documents' end is not known yet (the report is
// open, or its appeal is): a day, or the retention itself when shorter.
const retentionRecheck = 24 * time.Hour

// RetentionRun says what one retention run did.
type RetentionRun struct {
	Checked  int // reports whose check was due
	Reports  int // reports whose documents were deleted
	Deleted  int // document records deleted
	Objects  int // objects marked for deletion
	Deferred int // reports whose check was moved later
}

// RunRetention deletes the documents of every report whose retention
// ended (moderation.Policy.DocumentsExpireAt) by now: their objects are
// marked for the bucket's lifecycle rule (tag candor-retention=expired),
// then their records are deleted with an audit entry documents.deleted
// (the count, never a name) in one write. A report whose end is later, or
// not known yet, is looked at again then (or in a day). A failed report is
// logged and left due, for the next run.
func (d *Documents) RunRetention(ctx context.Context) (RetentionRun, error) {
	var run RetentionRun
	now := d.clock.Now()
	due, err := d.store.DueDocumentRetentions(ctx, now, retentionBatch)
	if err != nil {
		return run, fmt.Errorf("document retention: %w", err)
	}
	var errs []error
	for _, reportID := range due {
		run.Checked++
		if err := d.retain(ctx, reportID, now, &run); err != nil {
			d.log.ErrorContext(ctx, "document retention of a report failed; the next run tries again", "report", reportID, "err", err)
			errs = append(errs, err)
		}
	}
	return run, errors.Join(errs...)
}

func (d *Documents) retain(ctx context.Context, reportID string, now time.Time, run *RetentionRun) error {
	det, err := d.store.ReportDetail(ctx, reportID)
	if err != nil {
		return fmt.Errorf("document retention of report %s: %w", reportID, err)
	}
	at, ok := d.policy.DocumentsExpireAt(det.Report, appealDecidedAt(det.Trail))
	if !ok {
		at = now.Add(min(retentionRecheck, d.policy.DocumentRetention))
	}
	if !ok || at.After(now) {
		run.Deferred++
		return d.store.PostponeDocumentRetention(ctx, reportID, at)
	}
	n, err := d.objects.ExpireObjects(ctx, DocumentsPrefix(reportID))
	if err != nil {
		return fmt.Errorf("document retention of report %s: %w", reportID, err)
	}
	docs := make([]document.Document, len(det.Documents))
	for i, rd := range det.Documents {
		docs[i] = rd.Document
	}
	if err := d.store.DeleteDocuments(ctx, reportID, docs, moderation.AuditEntry{At: now, Actor: "system", Action: AuditDocumentsDeleted,
		Note: fmt.Sprintf("%d documents deleted at the end of their retention", len(docs))}); err != nil {
		return fmt.Errorf("document retention of report %s: %w", reportID, err)
	}
	run.Reports++
	run.Deleted += len(docs)
	run.Objects += n
	d.log.InfoContext(ctx, "documents deleted at the end of their retention", "report", reportID, "records", len(docs), "objects", n)
	return nil
}

// appealDecidedAt is when the report's appeal was decided (zero if never):
// its report.appeal_decided audit entry.
func appealDecidedAt(trail []moderation.AuditEntry) time.Time {
	var at time.Time
	for _, e := range trail {
		if e.Action == "report.appeal_decided" && e.At.After(at) {
			at = e.At
		}
	}
	return at
}
