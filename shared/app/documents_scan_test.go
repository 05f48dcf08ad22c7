package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// docStore is a DocumentScanStore in memory that applies document.WithScan's
// condition as the table's write does, and records what was written.
type docStore struct {
	docs     map[string]app.ReportDocument
	reports  map[string]app.ReportDetail
	trail    map[string][]moderation.AuditEntry
	due      []string
	postpone map[string]time.Time
	deleted  map[string]int
	calls    []string
	failView error
}

func newDocStore() *docStore {
	return &docStore{docs: map[string]app.ReportDocument{}, reports: map[string]app.ReportDetail{}, trail: map[string][]moderation.AuditEntry{},
		postpone: map[string]time.Time{}, deleted: map[string]int{}}
}

func (s *docStore) GetDocument(_ context.Context, id string) (app.ReportDocument, error) {
	d, ok := s.docs[id]
	if !ok {
		return d, moderation.ErrNotFound
	}
	return d, nil
}

func (s *docStore) GetReportDocument(_ context.Context, reportID, id string) (app.ReportDocument, error) {
	d, ok := s.docs[id]
	if !ok || d.ReportID != reportID {
		return d, moderation.ErrNotFound
	}
	return d, nil
}

func (s *docStore) ReportDetail(_ context.Context, id string) (app.ReportDetail, error) {
	d, ok := s.reports[id]
	if !ok {
		return d, moderation.ErrNotFound
	}
	for _, doc := range s.docs {
		if doc.ReportID == id {
			d.Documents = append(d.Documents, doc)
		}
	}
	return d, nil
}

func (s *docStore) RecordDocumentScan(_ context.Context, d document.Document, withheld *moderation.AuditEntry) error {
	s.calls = append(s.calls, "scan")
	cur := s.docs[d.ID]
	if cur.Scan != document.ScanPending && !(d.Scan == document.ScanThreat && cur.Scan != document.ScanThreat) {
		return moderation.ErrChanged
	}
	cur.Document = d
	s.docs[d.ID] = cur
	if withheld != nil {
		s.trail[d.ReportID] = append(s.trail[d.ReportID], *withheld)
	}
	return nil
}

func (s *docStore) RecordDocumentView(_ context.Context, reportID string, e moderation.AuditEntry) error {
	s.calls = append(s.calls, "view")
	if s.failView != nil {
		return s.failView
	}
	s.trail[reportID] = append(s.trail[reportID], e)
	return nil
}

func (s *docStore) DueDocumentRetentions(context.Context, time.Time, int) ([]string, error) {
	return s.due, nil
}

func (s *docStore) PostponeDocumentRetention(_ context.Context, reportID string, at time.Time) error {
	s.postpone[reportID] = at
	return nil
}

func (s *docStore) DeleteDocuments(_ context.Context, reportID string, docs []document.Document, e moderation.AuditEntry) error {
	s.calls = append(s.calls, "delete")
	for _, d := range docs {
		delete(s.docs, d.ID)
	}
	s.deleted[reportID] = len(docs)
	s.trail[reportID] = append(s.trail[reportID], e)
	return nil
}

// objects is a DocumentObjects that notes what it was asked.
type objects struct {
	store     *docStore
	presigned []string
	expired   []string
	expireErr error
}

func (o *objects) PresignGet(_ context.Context, key string, ttl time.Duration, d document.Delivery, filename string) (string, error) {
	o.store.calls = append(o.store.calls, "presign")
	o.presigned = append(o.presigned, key)
	return "https://bucket.example/" + key + "?ttl=" + ttl.String() + "&type=" + d.ContentType + "&name=" + filename, nil
}

func (o *objects) ExpireObjects(_ context.Context, prefix string) (int, error) {
	o.store.calls = append(o.store.calls, "expire")
	o.expired = append(o.expired, prefix)
	return 2, o.expireErr
}

var docNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func newDocs(t *testing.T) (*app.Documents, *docStore, *objects, *clock.Manual) {
	t.Helper()
	st := newDocStore()
	obj := &objects{store: st}
	c := clock.NewManual(docNow)
	return app.NewDocuments(app.DocumentsConfig{Store: st, Objects: obj, Clock: c}), st, obj, c
}

func (s *docStore) add(reportID string, scan document.ScanStatus) string {
	id := ids.New("doc")
	s.docs[id] = app.ReportDocument{Document: document.Document{ID: id, ReportID: reportID, Type: document.PDF, Scan: scan}}
	return id
}

func TestRecordScan(t *testing.T) {
	rpt := ids.New("rpt")
	tests := []struct {
		name      string
		from      document.ScanStatus
		result    document.ScanStatus
		want      document.ScanStatus
		withheld  int  // audit entries added
		wantWrite bool // a write was tried
	}{
		{"clean", document.ScanPending, document.ScanClean, document.ScanClean, 0, true},
		{"threat withholds and tells compliance", document.ScanPending, document.ScanThreat, document.ScanThreat, 1, true},
		{"failed withholds and tells compliance", document.ScanPending, document.ScanFailed, document.ScanFailed, 1, true},
		{"the same again changes nothing", document.ScanClean, document.ScanClean, document.ScanClean, 0, false},
		{"clean after a threat changes nothing", document.ScanThreat, document.ScanClean, document.ScanThreat, 0, false},
		{"failed after clean changes nothing", document.ScanClean, document.ScanFailed, document.ScanClean, 0, false},
		{"a threat after clean withholds it", document.ScanClean, document.ScanThreat, document.ScanThreat, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, st, _, _ := newDocs(t)
			id := st.add(rpt, tt.from)
			if err := docs.RecordScan(context.Background(), app.DocumentObjectKey(rpt, id), tt.result); err != nil {
				t.Fatal(err)
			}
			if got := st.docs[id].Scan; got != tt.want {
				t.Errorf("scan = %q, want %q", got, tt.want)
			}
			if got := len(st.trail[rpt]); got != tt.withheld {
				t.Errorf("%d audit entries, want %d", got, tt.withheld)
			}
			if got := len(st.calls) > 0; got != tt.wantWrite {
				t.Errorf("write tried = %v, want %v", got, tt.wantWrite)
			}
			for _, e := range st.trail[rpt] {
				if e.Action != app.AuditDocumentWithheld || !strings.Contains(e.Note, id) {
					t.Errorf("audit entry %+v, want %s naming the document", e, app.AuditDocumentWithheld)
				}
			}
		})
	}
}

func TestRecordScanIgnoresWhatIsNoDocument(t *testing.T) {
	docs, st, _, _ := newDocs(t)
	rpt := ids.New("rpt")
	other := st.add(ids.New("rpt"), document.ScanPending)
	for _, key := range []string{"malware-protection-resource-validation-object", "documents/x/y",
		app.DocumentObjectKey(rpt, ids.New("doc")), // removed before its scan
		app.DocumentObjectKey(rpt, other),          // another report's id
	} {
		if err := docs.RecordScan(context.Background(), key, document.ScanThreat); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
	if len(st.calls) != 0 || st.docs[other].Scan != document.ScanPending {
		t.Errorf("writes %v, other document %q; want none, pending", st.calls, st.docs[other].Scan)
	}
}

func TestOpenDocument(t *testing.T) {
	agent := app.Actor{Subject: "agent-ada", Role: app.RoleCompliance}
	rpt := ids.New("rpt")
	t.Run("clean: the view is audited, then the URL", func(t *testing.T) {
		docs, st, obj, _ := newDocs(t)
		id := st.add(rpt, document.ScanClean)
		url, err := docs.OpenDocument(context.Background(), agent, id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(st.calls, ",") != "view,presign" {
			t.Errorf("calls %v, want the view before the presign", st.calls)
		}
		if !strings.Contains(url, "ttl=1m0s") || !strings.Contains(url, "type=application/pdf") || obj.presigned[0] != app.DocumentObjectKey(rpt, id) {
			t.Errorf("url %q for %v, want 60 s, application/pdf, the document's key", url, obj.presigned)
		}
		e := st.trail[rpt][0]
		if e.Actor != "agent:agent-ada" || e.Action != app.AuditDocumentViewed || !e.At.Equal(docNow) {
			t.Errorf("view audited as %+v", e)
		}
	})
	tests := []struct {
		name  string
		actor app.Actor
		scan  document.ScanStatus
		code  string
	}{
		{"pending", agent, document.ScanPending, moderation.CodeDocumentNotScanned},
		{"threat", agent, document.ScanThreat, moderation.CodeDocumentWithheld},
		{"failed", agent, document.ScanFailed, moderation.CodeDocumentWithheld},
		{"a business", app.Actor{Subject: "owner", Role: app.RoleBusiness, BusinessID: "biz-1"}, document.ScanClean, moderation.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, st, obj, _ := newDocs(t)
			id := st.add(rpt, tt.scan)
			_, err := docs.OpenDocument(context.Background(), tt.actor, id)
			if !moderation.IsCode(err, tt.code) {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
			if len(obj.presigned) != 0 || len(st.trail[rpt]) != 0 {
				t.Errorf("presigned %v, audited %v; want neither", obj.presigned, st.trail[rpt])
			}
		})
	}
	t.Run("a view that cannot be audited is not given", func(t *testing.T) {
		docs, st, obj, _ := newDocs(t)
		st.failView = errors.New("throttled")
		if _, err := docs.OpenDocument(context.Background(), agent, st.add(rpt, document.ScanClean)); err == nil || len(obj.presigned) != 0 {
			t.Errorf("err %v, presigned %v; want an error and no URL", err, obj.presigned)
		}
	})
}

func TestRunRetention(t *testing.T) {
	retention := moderation.DefaultPolicy.DocumentRetention
	closed := func(deadline time.Time) app.ReportDetail {
		return app.ReportDetail{Report: moderation.Report{Status: moderation.ReportClosed, Outcome: moderation.OutcomeReinstated,
			ClosedAt: deadline.Add(-time.Hour), AppealDeadline: deadline}}
	}
	tests := []struct {
		name        string
		report      app.ReportDetail
		wantDeleted bool
		wantCheckAt time.Time
	}{
		{"open report: looked at again in a day", app.ReportDetail{Report: moderation.Report{Status: moderation.ReportInQueue}}, false, docNow.Add(24 * time.Hour)},
		{"window ends later: looked at again at the end", closed(docNow.Add(time.Hour)), false, docNow.Add(time.Hour + retention)},
		{"retention not over: looked at again at the end", closed(docNow.Add(-retention + time.Minute)), false, docNow.Add(time.Minute)},
		{"retention over: deleted", closed(docNow.Add(-retention)), true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, st, obj, _ := newDocs(t)
			rpt := ids.New("rpt")
			st.reports[rpt] = tt.report
			a, b := st.add(rpt, document.ScanClean), st.add(rpt, document.ScanThreat)
			st.due = []string{rpt}
			run, err := docs.RunRetention(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			_, aLeft := st.docs[a]
			_, bLeft := st.docs[b]
			if tt.wantDeleted {
				if aLeft || bLeft || run.Deleted != 2 || len(obj.expired) != 1 || obj.expired[0] != app.DocumentsPrefix(rpt) {
					t.Fatalf("run %+v, left %v %v, expired %v; want both deleted, the report's prefix expired", run, aLeft, bLeft, obj.expired)
				}
				if strings.Join(st.calls, ",") != "expire,delete" {
					t.Errorf("calls %v, want the objects marked before the records go", st.calls)
				}
				e := st.trail[rpt][0]
				if e.Action != app.AuditDocumentsDeleted || e.Note != "2 documents deleted at the end of their retention" {
					t.Errorf("audit %+v", e)
				}
				return
			}
			if !aLeft || !bLeft || len(obj.expired) != 0 || !st.postpone[rpt].Equal(tt.wantCheckAt) {
				t.Errorf("left %v %v, expired %v, next check %v; want kept, next check %v", aLeft, bLeft, obj.expired, st.postpone[rpt], tt.wantCheckAt)
			}
		})
	}
	t.Run("objects not marked: the records stay for the next run", func(t *testing.T) {
		docs, st, obj, _ := newDocs(t)
		rpt := ids.New("rpt")
		st.reports[rpt] = closed(docNow.Add(-2 * retention))
		id := st.add(rpt, document.ScanClean)
		st.due = []string{rpt}
		obj.expireErr = errors.New("slow down")
		if _, err := docs.RunRetention(context.Background()); err == nil {
			t.Error("no error")
		}
		if _, ok := st.docs[id]; !ok || st.deleted[rpt] != 0 {
			t.Error("records deleted although their objects were not marked")
		}
	})
}
