package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/links"
)

const skLink = "LINK"

func linkPK(hash string) string { return "LINK#" + hash }

// linkRetention is how long a used or expired link is kept (to answer 410
// rather than 404) before TTL deletes it.
const linkRetention = 90 * 24 * time.Hour

// Link is a reviewer link as stored: only the token's hash.
type Link struct {
	Hash     string
	Purpose  links.Purpose
	ObjectID string // the request (Find Reviewer) or report (proof, evidence, edit)
	Round    int
	Deadline time.Time // the link works until then
	UsedAt   time.Time // zero until its one submission
	Created  time.Time
}

type linkItem struct {
	PK, SK    string
	Type      string `dynamodbav:"type"`
	Purpose   string `dynamodbav:"purpose"`
	ObjectID  string `dynamodbav:"objectId"`
	Round     int    `dynamodbav:"round"`
	Deadline  string `dynamodbav:"deadline"`
	UsedAt    string `dynamodbav:"usedAt"`
	CreatedAt string `dynamodbav:"createdAt"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// CreateLink stores a new link (its hash only).
func (s *Store) CreateLink(ctx context.Context, l Link) error {
	item, err := marshal(linkItem{PK: linkPK(l.Hash), SK: skLink, Type: "link", Purpose: string(l.Purpose), ObjectID: l.ObjectID,
		Round: l.Round, Deadline: fmtTime(l.Deadline), UsedAt: "", CreatedAt: fmtTime(l.Created), ExpiresAt: l.Deadline.Add(linkRetention).Unix()})
	if err != nil {
		return fmt.Errorf("create link: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err != nil {
		return fmt.Errorf("create link: %w", classifyTx(err))
	}
	return nil
}

// GetLink returns a link by its token's hash, or ErrNotFound.
func (s *Store) GetLink(ctx context.Context, hash string) (Link, error) {
	var it linkItem
	if err := s.getItem(ctx, linkPK(hash), skLink, &it); err != nil {
		return Link{}, fmt.Errorf("get link: %w", err)
	}
	return Link{Hash: hash, Purpose: links.Purpose(it.Purpose), ObjectID: it.ObjectID, Round: it.Round,
		Deadline: parseTime(it.Deadline), UsedAt: parseTime(it.UsedAt), Created: parseTime(it.CreatedAt)}, nil
}

// WorkflowStart is a state machine execution that must be started. It is
// written in the same transaction as the object it serves, deleted by the
// execution's first task, and re-driven by the sweeper when starting failed,
// so nothing accepted waits forever for its workflow.
type WorkflowStart struct {
	Machine string // logical name, e.g. "find-reviewer", "report-review"
	Name    string // execution name, derived from the object id (idempotent start)
	Input   string // JSON, ids only
	At      time.Time
}

const (
	startsPK    = "WFSTART"
	startPrefix = "START#"
)

type startItem struct {
	PK, SK  string
	Type    string `dynamodbav:"type"`
	Machine string `dynamodbav:"machine"`
	Name    string `dynamodbav:"name"`
	Input   string `dynamodbav:"input"`
	At      string `dynamodbav:"at"`
}

func startSK(name string) string { return startPrefix + name }

func (w WorkflowStart) item() startItem {
	return startItem{PK: startsPK, SK: startSK(w.Name), Type: "workflowStart", Machine: w.Machine, Name: w.Name, Input: w.Input, At: fmtTime(w.At)}
}

// PendingStarts returns the workflow starts still recorded, oldest first.
func (s *Store) PendingStarts(ctx context.Context) ([]WorkflowStart, error) {
	var out []WorkflowStart
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(startsPK)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it startItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, WorkflowStart{Machine: it.Machine, Name: it.Name, Input: it.Input, At: parseTime(it.At)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pending workflow starts: %w", err)
	}
	sortStarts(out)
	return out, nil
}

// StartDone deletes the record of a workflow start once its execution runs.
// Deleting an absent record is not an error.
func (s *Store) StartDone(ctx context.Context, name string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: s.key(startsPK, startSK(name))})
	if err != nil {
		return fmt.Errorf("workflow start %s done: %w", name, err)
	}
	return nil
}
