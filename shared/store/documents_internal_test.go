package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// TestADocumentIsReadWithItsReportAndByItsID: a document item comes back
// whole with its report's detail, and by its id alone; an unknown id is
// ErrNotFound.
func TestADocumentIsReadWithItsReportAndByItsID(t *testing.T) {
	endpoint, name := dynamotest.Table(t, "candor-documents-test")
	db := dynamotest.Client(endpoint)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, TableDefinition(name)); err != nil {
		t.Fatal(err)
	}
	s := New(db, name)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	put := func(v any) {
		t.Helper()
		item, err := marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	put(newReportItem(moderation.Report{ID: "rpt-1", ReviewID: "rev-1", BusinessID: "biz-1", CreatedAt: at, UpdatedAt: at}))
	want := app.ReportDocument{LinkHash: "hash-of-link", Document: document.Document{
		ID: "doc_1", ReportID: "rpt-1", Answer: document.AnswerRef{Kind: document.AnswerProof}, Size: 1234,
		Type: document.PDF, SHA256: "ab12", Scan: document.ScanClean, UploadedAt: at, ScannedAt: at.Add(time.Minute)}}
	put(newDocumentItem(want))

	d, err := s.ReportDetail(ctx, "rpt-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Documents) != 1 || !reflect.DeepEqual(d.Documents[0], want) {
		t.Errorf("report's documents = %+v, want [%+v]", d.Documents, want)
	}
	got, err := s.GetDocument(ctx, "doc_1")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("GetDocument = %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.GetDocument(ctx, "doc_missing"); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("GetDocument(unknown) = %v, want ErrNotFound", err)
	}
}

// TestAReservedSlotPutsItsReportUnderRetention: reserving an upload slot
// makes the report due for the retention run at once, so a slot whose
// upload never arrives is deleted with the report's documents.
func TestAReservedSlotPutsItsReportUnderRetention(t *testing.T) {
	endpoint, name := dynamotest.Table(t, "candor-docslot-test")
	db := dynamotest.Client(endpoint)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, TableDefinition(name)); err != nil {
		t.Fatal(err)
	}
	s := New(db, name)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if err := s.CreateLink(ctx, app.Link{Hash: "hash-of-link", Purpose: links.PurposeProof, ObjectID: "rpt-1", Deadline: at.Add(time.Hour), Created: at}); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueDocumentRetentions(ctx, at.Add(time.Minute), 25); err != nil || len(due) != 0 {
		t.Fatalf("due before any slot = %v, %v; want none", due, err)
	}
	slot := app.ReportDocument{LinkHash: "hash-of-link", Document: document.Document{ID: "doc_1", ReportID: "rpt-1", Scan: document.ScanPending}}
	if err := s.ReserveDocument(ctx, slot, at); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueDocumentRetentions(ctx, at.Add(time.Minute), 25); err != nil || !reflect.DeepEqual(due, []string{"rpt-1"}) {
		t.Errorf("due after a slot = %v, %v; want [rpt-1]", due, err)
	}
}
