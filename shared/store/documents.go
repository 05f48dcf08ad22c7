package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

// A reviewer's documents: one item each in its report's partition
// (RPT#<reportId> / DOC#<documentId>), so the query that reads a report
// with its trail and answers reads its documents too; GSI1 DOC#<documentId>
// finds one by its id alone (compliance opens a document by its id). Never
// the file's name: see docs/data-model.md.

const skDocumentPfx = "DOC#"

func documentSK(id string) string                      { return skDocumentPfx + id }
func documentIndexPK(id string) string                 { return "DOC#" + id }
func documentIndexSK() string                          { return "DOCUMENT" }
func documentKey(reportID, id string) (string, string) { return reportPK(reportID), documentSK(id) }

type documentItem struct {
	PK, SK      string
	GSI1PK      string `dynamodbav:"GSI1PK"`
	GSI1SK      string `dynamodbav:"GSI1SK"`
	Type        string `dynamodbav:"type"`
	ID          string `dynamodbav:"documentId"`
	ReportID    string `dynamodbav:"reportId"`
	AnswerKind  string `dynamodbav:"answerKind"`
	AnswerRound int    `dynamodbav:"answerRound"`
	LinkHash    string `dynamodbav:"linkHash"`
	Size        int64  `dynamodbav:"size"`
	MediaType   string `dynamodbav:"mediaType"`
	SHA256      string `dynamodbav:"sha256"`
	Scan        string `dynamodbav:"scan"`
	UploadedAt  string `dynamodbav:"uploadedAt"`
	ScannedAt   string `dynamodbav:"scannedAt"`
}

func newDocumentItem(d app.ReportDocument) documentItem {
	pk, sk := documentKey(d.ReportID, d.ID)
	return documentItem{PK: pk, SK: sk, GSI1PK: documentIndexPK(d.ID), GSI1SK: documentIndexSK(), Type: "document",
		ID: d.ID, ReportID: d.ReportID, AnswerKind: d.Answer.Kind, AnswerRound: d.Answer.Round, LinkHash: d.LinkHash,
		Size: d.Size, MediaType: string(d.Type), SHA256: d.SHA256, Scan: string(d.Scan),
		UploadedAt: fmtTime(d.UploadedAt), ScannedAt: fmtTime(d.ScannedAt)}
}

func (it documentItem) domain() app.ReportDocument {
	return app.ReportDocument{LinkHash: it.LinkHash, Document: document.Document{
		ID: it.ID, ReportID: it.ReportID, Answer: document.AnswerRef{Kind: it.AnswerKind, Round: it.AnswerRound},
		Size: it.Size, Type: document.Type(it.MediaType), SHA256: it.SHA256, Scan: document.ScanStatus(it.Scan),
		UploadedAt: parseTime(it.UploadedAt), ScannedAt: parseTime(it.ScannedAt)}}
}

// appendDocument adds the document item raw to ds (ReportDetail's reader).
func appendDocument(ds *[]app.ReportDocument, raw map[string]types.AttributeValue) error {
	var it documentItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return err
	}
	*ds = append(*ds, it.domain())
	return nil
}

// GetDocument returns the document with id, wherever its report is: one
// Query of GSI1 (eventually consistent, as every index read; a document is
// opened long after it was written), then the item itself, consistently.
// moderation.ErrNotFound when there is none.
func (s *Store) GetDocument(ctx context.Context, id string) (app.ReportDocument, error) {
	res, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk AND GSI1SK = :sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(documentIndexPK(id)), ":sk": str(documentIndexSK())},
		Limit:                     aws.Int32(1),
	})
	if err != nil {
		return app.ReportDocument{}, fmt.Errorf("get document %s: %w", id, err)
	}
	if len(res.Items) == 0 {
		return app.ReportDocument{}, fmt.Errorf("get document %s: %w", id, moderation.ErrNotFound)
	}
	var found documentItem
	if err := attributevalue.UnmarshalMap(res.Items[0], &found); err != nil {
		return app.ReportDocument{}, fmt.Errorf("get document %s: %w", id, err)
	}
	var it documentItem
	if err := s.getItem(ctx, found.PK, found.SK, &it); err != nil {
		return app.ReportDocument{}, fmt.Errorf("get document %s: %w", id, err)
	}
	return it.domain(), nil
}
