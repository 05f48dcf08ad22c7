package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// documentCase is a report on a demo review, with its ticket, and the
// store on the stack's table.
type documentCase struct {
	s        *stack.Stack
	st       *store.Store
	reportID string
	ticket   string // the ticket's API URL
}

func newDocumentCase(t *testing.T) documentCase {
	t.Helper()
	s := startStack(t, true)
	fileReport(t, s, "rev-acme-01")
	s.Settle()
	c := documentCase{s: s, st: store.New(s.DynamoDB, s.Table)}
	for _, tk := range ticketsByStatus(t, s, "open") {
		c.reportID, _ = tk["reportId"].(string)
		c.ticket = s.APIURL + "/v1/compliance/tickets/" + tk["id"].(string)
	}
	if c.reportID == "" {
		t.Fatal("the report has no open ticket")
	}
	return c
}

// attach records a document on the report as the upload does (pending,
// sent with the proof) and, with content, puts its object through the S3
// API, where the local scanner finds it.
func (c documentCase) attach(t *testing.T, content []byte) string {
	t.Helper()
	id := ids.New("doc")
	typ, _ := document.Detect(content)
	d := app.ReportDocument{LinkHash: "h", Document: document.Document{ID: id, ReportID: c.reportID,
		Answer: document.AnswerRef{Kind: document.AnswerProof}, Size: int64(len(content)), Type: typ,
		Scan: document.ScanPending, UploadedAt: c.s.Clock.Now()}}
	if err := c.st.PutDocumentRecord(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if content != nil {
		if _, err := s3Client(c.s).PutObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(stack.DocumentsBucket),
			Key: aws.String(app.DocumentObjectKey(c.reportID, id)), Body: bytes.NewReader(content)}); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func (c documentCase) scan(t *testing.T, id string) document.Document {
	t.Helper()
	d, err := c.st.GetDocument(context.Background(), id)
	if err != nil {
		t.Fatalf("document %s: %v", id, err)
	}
	return d.Document
}

// open asks for the document as token's holder, not following the redirect.
func (c documentCase) open(t *testing.T, id, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", c.s.APIURL+"/v1/compliance/documents/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// actions are the report's audit actions (compliance's view of the ticket).
func (c documentCase) actions(t *testing.T) []map[string]any {
	t.Helper()
	_, body := get(t, c.ticket, c.s.Demo.Compliance)
	audit, _ := body["audit"].(map[string]any)
	report, _ := audit["report"].([]any)
	var out []map[string]any
	for _, e := range report {
		out = append(out, e.(map[string]any))
	}
	return out
}

func countAction(entries []map[string]any, action string) (n int, last map[string]any) {
	for _, e := range entries {
		if e["action"] == action {
			n, last = n+1, e
		}
	}
	return n, last
}

var pdf = []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// TestScannedDocumentsOnlyCompliance: the local scanner follows each object
// into the bucket with GuardDuty's event; the EICAR file becomes a threat
// that cannot be opened and tells compliance it was withheld; a clean PDF
// opens through a 303 to a presigned URL as an attachment with identical
// bytes, audited as agent-ada's view before the URL is given; a pending one
// is refused; a business gets 403.
func TestScannedDocumentsOnlyCompliance(t *testing.T) {
	c := newDocumentCase(t)
	clean := c.attach(t, pdf)
	threat := c.attach(t, append([]byte("%PDF-1.4\n"), stack.EICAR...))
	pending := c.attach(t, nil)

	if got := c.scan(t, clean).Scan; got != document.ScanClean {
		t.Errorf("clean PDF scanned %q, want clean", got)
	}
	if got := c.scan(t, threat).Scan; got != document.ScanThreat {
		t.Errorf("EICAR file scanned %q, want threat", got)
	}
	if n, e := countAction(c.actions(t), app.AuditDocumentWithheld); n != 1 || !strings.Contains(e["note"].(string), threat) {
		t.Errorf("report trail has %d %s entries (%v), want 1 naming %s", n, app.AuditDocumentWithheld, e, threat)
	}

	res := c.open(t, threat, c.s.Demo.Compliance)
	if res.StatusCode != http.StatusGone || res.Header.Get("Location") != "" {
		t.Errorf("open the threat: %d, Location %q; want 410 and no URL", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.open(t, pending, c.s.Demo.Compliance); res.StatusCode != http.StatusConflict {
		t.Errorf("open a pending document: %d, want 409", res.StatusCode)
	}
	if res := c.open(t, clean, c.s.Demo.Businesses[0].Token); res.StatusCode != http.StatusForbidden {
		t.Errorf("a business opens a document: %d, want 403", res.StatusCode)
	}
	if n, _ := countAction(c.actions(t), app.AuditDocumentViewed); n != 0 {
		t.Errorf("%d views audited before any document was given, want 0", n)
	}

	res = c.open(t, clean, c.s.Demo.Compliance)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open the clean PDF: %d, want 303", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	if !strings.Contains(loc, "X-Amz-Expires=60") {
		t.Errorf("the URL %q does not expire in 60 s", loc)
	}
	n, e := countAction(c.actions(t), app.AuditDocumentViewed)
	if n != 1 || e["actor"] != "agent:agent-ada" || !strings.Contains(e["note"].(string), clean) {
		t.Errorf("views audited: %d, last %v; want 1 by agent:agent-ada naming %s", n, e, clean)
	}
	got, err := http.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != http.StatusOK || !bytes.Equal(body, pdf) {
		t.Fatalf("download: %d, %d bytes; want 200 and the %d bytes uploaded", got.StatusCode, len(body), len(pdf))
	}
	if ct, cd := got.Header.Get("Content-Type"), got.Header.Get("Content-Disposition"); ct != "application/pdf" || !strings.HasPrefix(cd, "attachment") {
		t.Errorf("download served as %q, %q; want application/pdf as an attachment", ct, cd)
	}
}

// TestScanResultsReplayedOrOutOfOrderChangeNothing: a result delivered
// again, a clean result after a threat, a failure after a clean result
// leave the document as it was, with no second audit entry.
func TestScanResultsReplayedOrOutOfOrderChangeNothing(t *testing.T) {
	c := newDocumentCase(t)
	ctx := context.Background()
	clean := c.attach(t, pdf)
	threat := c.attach(t, []byte(stack.EICAR))
	before := map[string]document.Document{clean: c.scan(t, clean), threat: c.scan(t, threat)}
	c.s.Advance(time.Minute)
	for _, tt := range []struct{ id, status string }{
		{clean, "NO_THREATS_FOUND"}, {clean, "FAILED"}, {clean, "UNSUPPORTED"},
		{threat, "THREATS_FOUND"}, {threat, "NO_THREATS_FOUND"}, {threat, "ACCESS_DENIED"},
	} {
		if err := c.s.DeliverScanResult(ctx, stack.DocumentsBucket, app.DocumentObjectKey(c.reportID, tt.id), tt.status); err != nil {
			t.Fatalf("deliver %s: %v", tt.status, err)
		}
		if got := c.scan(t, tt.id); got != before[tt.id] {
			t.Errorf("after %s the document is %+v, want %+v", tt.status, got, before[tt.id])
		}
	}
	if n, _ := countAction(c.actions(t), app.AuditDocumentWithheld); n != 1 {
		t.Errorf("%d withheld entries, want 1", n)
	}
	// A threat found after a clean result withholds it for good.
	if err := c.s.DeliverScanResult(ctx, stack.DocumentsBucket, app.DocumentObjectKey(c.reportID, clean), "THREATS_FOUND"); err != nil {
		t.Fatal(err)
	}
	if got := c.scan(t, clean).Scan; got != document.ScanThreat {
		t.Errorf("a threat after clean leaves %q, want threat", got)
	}
}

// TestRetentionDeletesDocumentsAtItsEnd: the report is decided and its
// appeal window runs out; the documents stay until DocumentRetention after
// that, then their records go, their objects carry the lifecycle tag and
// the trail says how many were deleted.
func TestRetentionDeletesDocumentsAtItsEnd(t *testing.T) {
	c := newDocumentCase(t)
	ctx := context.Background()
	docs := []string{c.attach(t, pdf), c.attach(t, []byte(stack.EICAR))}
	if status, body := post(t, c.ticket+"/claim", c.s.Demo.Compliance, "{}"); status != http.StatusOK {
		t.Fatalf("claim: %d %v", status, body)
	}
	if status, body := post(t, c.ticket+"/decision", c.s.Demo.Compliance, `{"outcome": "reinstate", "note": "An opinion."}`); status != http.StatusAccepted {
		t.Fatalf("decision: %d %v", status, body)
	}
	c.s.Settle()
	// A business, the public and every email see nothing of the documents.
	_, business := get(t, c.s.APIURL+"/v1/reports/"+c.reportID, c.s.Demo.Businesses[0].Token)
	_, public := get(t, c.s.APIURL+"/v1/public/reviews/rev-acme-01", "")
	mail, _ := json.Marshal(c.s.Outbox.Messages())
	if len(c.s.Outbox.Messages()) == 0 || business["id"] != c.reportID {
		t.Fatalf("the decision sent no email (%d) or the business cannot read its report (%v): the check would see nothing", len(c.s.Outbox.Messages()), business)
	}
	seen, _ := json.Marshal([]any{business, public})
	for _, where := range []string{string(seen), string(mail)} {
		if strings.Contains(where, "doc_") || strings.Contains(where, "sha256") {
			t.Errorf("a document is visible outside compliance: %.300s", where)
		}
	}
	r, _, err := c.st.GetReport(ctx, c.reportID)
	if err != nil {
		t.Fatal(err)
	}
	end, ok := moderation.DefaultPolicy.DocumentsExpireAt(r, time.Time{})
	if !ok {
		t.Fatalf("report %+v: the documents' end is not known after the decision", r)
	}
	c.s.Advance(end.Add(-time.Hour).Sub(c.s.Clock.Now()))
	for _, id := range docs {
		c.scan(t, id) // still there
	}
	if n, _ := countAction(c.actions(t), app.AuditDocumentsDeleted); n != 0 {
		t.Fatalf("deleted before their end")
	}
	c.s.Advance(2 * time.Hour)
	for _, id := range docs {
		if _, err := c.st.GetDocument(ctx, id); !errors.Is(err, moderation.ErrNotFound) {
			t.Errorf("document %s after its end: %v, want not found", id, err)
		}
		tags, err := s3Client(c.s).GetObjectTagging(ctx, &awss3.GetObjectTaggingInput{Bucket: aws.String(stack.DocumentsBucket),
			Key: aws.String(app.DocumentObjectKey(c.reportID, id))})
		if err != nil {
			t.Fatal(err)
		}
		if len(tags.TagSet) != 1 || aws.ToString(tags.TagSet[0].Key) != "candor-retention" || aws.ToString(tags.TagSet[0].Value) != "expired" {
			t.Errorf("object of %s tagged %v, want candor-retention=expired", id, tags.TagSet)
		}
	}
	n, e := countAction(c.actions(t), app.AuditDocumentsDeleted)
	if n != 1 || !strings.HasPrefix(e["note"].(string), "2 documents") {
		t.Errorf("deletion audited %d times (%v), want once counting 2", n, e)
	}
	if res := c.open(t, docs[0], c.s.Demo.Compliance); res.StatusCode != http.StatusNotFound {
		t.Errorf("open a deleted document: %d, want 404", res.StatusCode)
	}
}
