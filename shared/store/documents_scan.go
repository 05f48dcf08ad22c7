package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

// What happens to a document after its object exists: its scan result,
// the audit of a view, and its retention. A report with documents carries
// one retention item (RPT#<reportId> / DOCRETENTION) on the sparse index
// GSI2 DOCRETENTION / <checkAt>#<reportId>: the retention run reads the
// reports whose check is due, oldest first, and either moves the check to
// the moment the documents expire or deletes them (docs/data-model.md).

const (
	skDocRetention = "DOCRETENTION"
	docRetentionPK = "DOCRETENTION" // the GSI2 partition of every retention item
)

func docRetentionSK(checkAt time.Time, reportID string) string {
	return fmtTime(checkAt) + "#" + reportID
}

type docRetentionItem struct {
	PK, SK   string
	GSI2PK   string `dynamodbav:"GSI2PK"`
	GSI2SK   string `dynamodbav:"GSI2SK"`
	Type     string `dynamodbav:"type"`
	ReportID string `dynamodbav:"reportId"`
	CheckAt  string `dynamodbav:"checkAt"`
}

// GetReportDocument returns document id of report reportID: one
// consistent GetItem, since both ids are known (a scan result names the
// object's key). moderation.ErrNotFound when there is none.
func (s *Store) GetReportDocument(ctx context.Context, reportID, id string) (app.ReportDocument, error) {
	var it documentItem
	pk, sk := documentKey(reportID, id)
	if err := s.getItem(ctx, pk, sk, &it); err != nil {
		return app.ReportDocument{}, fmt.Errorf("get document %s of report %s: %w", id, reportID, err)
	}
	return it.domain(), nil
}

// PutDocumentRecord writes a document's record as it is, unless one with
// its id exists on its report (moderation.ErrChanged). The upload's own
// writes create documents; this is for the scan and retention tests and
// the local stack's seed.
func (s *Store) PutDocumentRecord(ctx context.Context, d app.ReportDocument) error {
	m, err := marshal(newDocumentItem(d))
	if err != nil {
		return fmt.Errorf("put document %s: %w", d.ID, err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: m,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err != nil {
		return fmt.Errorf("put document %s: %w", d.ID, classifyTx(err))
	}
	return nil
}

// RecordDocumentScan writes d's scan result (Scan, ScannedAt) on the
// condition document.WithScan states against what is stored — the document
// is pending, or the result is a threat and it is not one yet — so a result
// replayed or arriving after a later one changes nothing
// (moderation.ErrChanged). In the same transaction: the report's retention
// item, created if it has none (due at once, so the retention run takes the
// report into account), and withheld's audit entry on the report when
// there is one.
func (s *Store) RecordDocumentScan(ctx context.Context, d document.Document, withheld *moderation.AuditEntry) error {
	b := s.tx()
	cond := "attribute_exists(PK) AND #scan = :pending"
	values := map[string]types.AttributeValue{":scan": str(string(d.Scan)), ":at": str(fmtTime(d.ScannedAt))}
	if d.Scan == document.ScanThreat {
		cond = "attribute_exists(PK) AND #scan <> :scan"
	} else {
		values[":pending"] = str(string(document.ScanPending))
	}
	pk, sk := documentKey(d.ReportID, d.ID)
	b.update(pk, sk, "SET #scan = :scan, scannedAt = :at", cond, map[string]string{"#scan": "scan"}, values)
	s.ensureRetention(b, d.ReportID, d.ScannedAt)
	if withheld != nil {
		b.audit(reportPK(d.ReportID), *withheld)
	}
	return s.commitAs(ctx, b, "record scan of document "+d.ID)
}

// ensureRetention adds the creation of reportID's retention item, due at
// at, unless it exists (then it is left as it is).
func (s *Store) ensureRetention(b *txBuilder, reportID string, at time.Time) {
	b.update(reportPK(reportID), skDocRetention,
		"SET GSI2PK = :rpk, GSI2SK = if_not_exists(GSI2SK, :rsk), checkAt = if_not_exists(checkAt, :rat), #type = :rtype, reportId = :rid",
		"", map[string]string{"#type": "type"}, map[string]types.AttributeValue{":rpk": str(docRetentionPK),
			":rsk": str(docRetentionSK(at, reportID)), ":rat": str(fmtTime(at)), ":rtype": str("docretention"), ":rid": str(reportID)})
}

// DueDocumentRetentions returns up to limit reports whose documents'
// retention is to be checked by now, oldest check first (one Query of GSI2).
func (s *Store) DueDocumentRetentions(ctx context.Context, now time.Time, limit int) ([]string, error) {
	res, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexGSI2),
		KeyConditionExpression: aws.String("GSI2PK = :pk AND GSI2SK <= :due"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(docRetentionPK),
			":due": str(fmtTime(now) + "#~")},
		Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("due document retentions: %w", err)
	}
	out := make([]string, 0, len(res.Items))
	for _, raw := range res.Items {
		var it docRetentionItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, fmt.Errorf("due document retentions: %w", err)
		}
		out = append(out, it.ReportID)
	}
	return out, nil
}

// PostponeDocumentRetention moves reportID's retention check to at, if the
// report still has its retention item.
func (s *Store) PostponeDocumentRetention(ctx context.Context, reportID string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.table), Key: s.key(reportPK(reportID), skDocRetention),
		UpdateExpression:          aws.String("SET GSI2SK = :sk, checkAt = :at"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":sk": str(docRetentionSK(at, reportID)), ":at": str(fmtTime(at))}})
	if err != nil {
		return fmt.Errorf("postpone document retention of report %s: %w", reportID, classifyTx(err))
	}
	return nil
}

// DeleteDocuments deletes the records of docs (all of reportID's), its
// retention item and writes entry on the report, in one transaction.
func (s *Store) DeleteDocuments(ctx context.Context, reportID string, docs []document.Document, entry moderation.AuditEntry) error {
	b := s.tx()
	for _, d := range docs {
		pk, sk := documentKey(reportID, d.ID)
		b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table), Key: s.key(pk, sk)}})
	}
	b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table), Key: s.key(reportPK(reportID), skDocRetention)}})
	b.audit(reportPK(reportID), entry)
	return s.commitAs(ctx, b, "delete documents of report "+reportID)
}

// RecordDocumentView writes entry (who opened which document, when) on the
// document's report: the view's audit, written before the document is
// handed out.
func (s *Store) RecordDocumentView(ctx context.Context, reportID string, entry moderation.AuditEntry) error {
	m, err := marshal(newAuditItem(reportPK(reportID), 0, entry))
	if err != nil {
		return fmt.Errorf("record document view: %w", err)
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: m}); err != nil {
		return fmt.Errorf("record document view on report %s: %w", reportID, err)
	}
	return nil
}
