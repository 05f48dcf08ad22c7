package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/links"
)

const skLink = "LINK"

func linkPK(hash string) string { return "LINK#" + hash }

// linkRetention is how long a used or expired link is kept (to answer 410
// rather than 404) before TTL deletes it.
const linkRetention = 90 * 24 * time.Hour

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
	// DocCount is how many documents are recorded through the link
	// (reserved, arrived or refused and not yet dropped): the count rule's
	// counter, kept by the writes that add and drop documents.
	DocCount int `dynamodbav:"docCount"`
	// Draft is the text the reviewer typed before attaching a file.
	Draft string `dynamodbav:"draft"`
}

func newLinkItem(l app.Link) linkItem {
	return linkItem{PK: linkPK(l.Hash), SK: skLink, Type: "link", Purpose: string(l.Purpose), ObjectID: l.ObjectID,
		Round: l.Round, Deadline: fmtTime(l.Deadline), UsedAt: "", CreatedAt: fmtTime(l.Created), ExpiresAt: l.Deadline.Add(linkRetention).Unix()}
}

// CreateLink stores a new link (its hash only).
func (s *Store) CreateLink(ctx context.Context, l app.Link) error {
	item, err := marshal(newLinkItem(l))
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
func (s *Store) GetLink(ctx context.Context, hash string) (app.Link, error) {
	var it linkItem
	if err := s.getItem(ctx, linkPK(hash), skLink, &it); err != nil {
		return app.Link{}, fmt.Errorf("get link: %w", err)
	}
	return app.Link{Hash: hash, Purpose: links.Purpose(it.Purpose), ObjectID: it.ObjectID, Round: it.Round,
		Deadline: parseTime(it.Deadline), UsedAt: parseTime(it.UsedAt), Created: parseTime(it.CreatedAt), Draft: it.Draft, DocCount: it.DocCount}, nil
}
