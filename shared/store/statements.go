package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// Statements of reasons for the DSA Transparency Database: one item per
// removal, written by the transaction that removes the review, under one
// partition sorted by decision time — so "every removal since" is one
// Query, and a removal never lacks its statement. The item holds no
// personal data and no free text: codes, flags and dates.

const statementsPK = "STATEMENTS"

type statementItem struct {
	PK, SK      string
	Type        string `dynamodbav:"type"`
	ReportID    string `dynamodbav:"reportId"`
	Seq         int    `dynamodbav:"seq"`
	Reasons     string `dynamodbav:"reasons"`
	Ground      string `dynamodbav:"ground"`
	Automated   bool   `dynamodbav:"automated"`
	OnAppeal    bool   `dynamodbav:"onAppeal"`
	ContentDate string `dynamodbav:"contentDate"`
	DecidedAt   string `dynamodbav:"decidedAt"`
}

// statement adds the statement of reasons of report r's removal at at,
// upholding r.UpheldReasons (seq 1 when it was decided on appeal).
func (b *txBuilder) statement(r moderation.Report, st moderation.Statement) {
	seq := 0
	if st.OnAppeal {
		seq = 1
	}
	b.put(statementItem{PK: statementsPK, SK: fmt.Sprintf("%s#%s#%d", fmtTime(st.DecidedAt), r.ID, seq), Type: "statement",
		ReportID: r.ID, Seq: seq, Reasons: reasonStrings(st.Reasons), Ground: st.Ground, Automated: st.Automated, OnAppeal: st.OnAppeal,
		ContentDate: fmtTime(r.ReviewDate), DecidedAt: fmtTime(st.DecidedAt)}, "attribute_not_exists(PK)", nil)
}

// ListStatements returns the removals decided at or after since, oldest first.
func (s *Store) ListStatements(ctx context.Context, since time.Time, p app.Page) ([]app.Removal, string, error) {
	var out []app.Removal
	next, err := s.pageFrom(ctx, statementsPK, fmtTime(since), p, func(raw map[string]types.AttributeValue) error {
		var it statementItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, app.Removal{ReportID: it.ReportID, Seq: it.Seq, Reasons: reasonsOf(it.Reasons), Ground: it.Ground,
			Automated: it.Automated, OnAppeal: it.OnAppeal, ContentDate: parseTime(it.ContentDate), DecidedAt: parseTime(it.DecidedAt)})
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list statements: %w", err)
	}
	return out, next, nil
}
