package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
)

// ReviewerAnswers returns the answers the reviewer sent on a report through
// their links, oldest first, read consistently in one Query of the report's
// partition that reads nothing but the answers (the task that emails the
// reviewer a copy of what they sent reads them).
func (s *Store) ReviewerAnswers(ctx context.Context, reportID string) ([]app.Answer, error) {
	var out []app.Answer
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(reportPK(reportID)), ":prefix": str(skAnswerPfx),
		},
		ConsistentRead: aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it answerItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, app.Answer{Kind: it.Kind, Round: it.Round, Text: it.Text, NewVersion: it.NewVersion, At: parseTime(it.At)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reviewer answers %s: %w", reportID, err)
	}
	return out, nil
}
