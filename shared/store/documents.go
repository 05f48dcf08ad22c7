package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

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

// sizeName names the size attribute, a reserved word in expressions.
var sizeName = map[string]string{"#size": "size"}

func num64(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// deleteItem adds a conditional Delete of item (pk, sk) to the transaction.
func (b *txBuilder) deleteItem(pk, sk, cond string, values map[string]types.AttributeValue) {
	b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(b.table),
		Key: map[string]types.AttributeValue{AttrPK: str(pk), AttrSK: str(sk)}, ConditionExpression: aws.String(cond),
		ExpressionAttributeValues: values}})
}

// ReserveDocument records d (pending, no size yet) before its upload is
// signed, in one transaction with its link's docCount: ADD 1 on the
// condition that the link is unused, open at at, and carries fewer than
// document.MaxFiles documents (the count rule inside the write), and the
// item's Put on attribute_not_exists. moderation.ErrChanged when a
// condition failed (the caller reads the link to say which).
func (s *Store) ReserveDocument(ctx context.Context, d app.ReportDocument, at time.Time) error {
	b := s.tx()
	b.update(linkPK(d.LinkHash), skLink, "ADD docCount :one",
		"usedAt = :empty AND deadline > :at AND (attribute_not_exists(docCount) OR docCount < :max)", nil,
		map[string]types.AttributeValue{":one": num(1), ":empty": str(""), ":at": str(fmtTime(at)), ":max": num(document.MaxFiles)})
	b.put(newDocumentItem(d), "attribute_not_exists(PK)", nil)
	s.ensureRetention(b, d.ReportID, at) // a slot whose upload never arrives is deleted with the report's documents too
	return s.commitAs(ctx, b, "reserve document "+d.ID)
}

// CompleteDocument records what the arrived upload of d was found to be
// (size, detected type, digest, arrival time) on the condition that it is
// its link's, unsent and not completed before. moderation.ErrChanged
// otherwise.
func (s *Store) CompleteDocument(ctx context.Context, d app.ReportDocument) error {
	pk, sk := documentKey(d.ReportID, d.ID)
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET #size = :size, mediaType = :type, sha256 = :sha, uploadedAt = :at"),
		ConditionExpression:       aws.String("attribute_exists(PK) AND answerKind = :empty AND linkHash = :link AND #size = :zero"),
		ExpressionAttributeNames:  sizeName,
		ExpressionAttributeValues: map[string]types.AttributeValue{":size": num64(d.Size), ":type": str(string(d.Type)), ":sha": str(d.SHA256), ":at": str(fmtTime(d.UploadedAt)), ":empty": str(""), ":link": str(d.LinkHash), ":zero": num(0)},
	})
	if err != nil {
		return fmt.Errorf("complete document %s: %w", d.ID, classifyTx(err))
	}
	return nil
}

// DropDocument deletes d's item, in one transaction with its link's
// docCount going back down (ADD -1), on the condition that d is its link's
// and unsent: a refused upload, or a document the reviewer removed before
// sending. moderation.ErrChanged otherwise. The object is the caller's to
// delete.
func (s *Store) DropDocument(ctx context.Context, d app.ReportDocument) error {
	b := s.tx()
	pk, sk := documentKey(d.ReportID, d.ID)
	b.deleteItem(pk, sk, "answerKind = :empty AND linkHash = :link", map[string]types.AttributeValue{":empty": str(""), ":link": str(d.LinkHash)})
	b.update(linkPK(d.LinkHash), skLink, "ADD docCount :minus", "attribute_exists(PK)", nil, map[string]types.AttributeValue{":minus": num(-1)})
	return s.commitAs(ctx, b, "drop document "+d.ID)
}

// SaveDraft keeps the text a reviewer has typed so far on their link, on
// the condition that the link is unused and open at at (the page shows it
// again after an upload). moderation.ErrChanged otherwise.
func (s *Store) SaveDraft(ctx context.Context, hash, text string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(linkPK(hash), skLink),
		UpdateExpression:          aws.String("SET draft = :text"),
		ConditionExpression:       aws.String("usedAt = :empty AND deadline > :at"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":text": str(text), ":empty": str(""), ":at": str(fmtTime(at))},
	})
	if err != nil {
		return fmt.Errorf("save draft: %w", classifyTx(err))
	}
	return nil
}

// attachDocuments adds to an answer's transaction the Update of each of
// ds (documents of the link sent through, arrived): its answer set, on the
// condition that it is still unsent, its link's and arrived; a document
// removed meanwhile fails the whole answer, which the reviewer sends again.
func (b *txBuilder) attachDocuments(ds []app.ReportDocument, ref document.AnswerRef) {
	for _, d := range ds {
		pk, sk := documentKey(d.ReportID, d.ID)
		b.update(pk, sk, "SET answerKind = :kind, answerRound = :round", "answerKind = :empty AND linkHash = :link AND #size > :zero", sizeName,
			map[string]types.AttributeValue{":kind": str(ref.Kind), ":round": num(ref.Round), ":empty": str(""), ":link": str(d.LinkHash), ":zero": num(0)})
	}
}
