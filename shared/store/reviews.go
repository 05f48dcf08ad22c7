package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// PutBusiness creates or updates a business, keeping its creation time, and
// reports whether it was created.
func (s *Store) PutBusiness(ctx context.Context, b moderation.Business) (moderation.Business, bool, error) {
	now := fmtTime(b.UpdatedAt)
	res, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      s.key(businessPK(b.ID), skBusiness),
		UpdateExpression:         aws.String("SET #type = :type, id = :id, #name = :name, notificationEmail = :email, locale = :locale, domains = :domains, createdAt = if_not_exists(createdAt, :now), updatedAt = :now"),
		ExpressionAttributeNames: map[string]string{"#type": "type", "#name": "name"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":type": str("business"), ":id": str(b.ID), ":name": str(b.Name), ":email": str(b.NotificationEmail),
			":locale": str(b.Locale), ":domains": str(strings.Join(b.Domains, ",")), ":now": str(now),
		},
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return moderation.Business{}, false, fmt.Errorf("put business: %w", err)
	}
	var old businessItem
	if err := attributevalue.UnmarshalMap(res.Attributes, &old); err != nil {
		return moderation.Business{}, false, fmt.Errorf("put business: %w", err)
	}
	created := old.CreatedAt == "" // minidyn returns the key for a new item; DynamoDB returns nothing
	b.CreatedAt = b.UpdatedAt
	if !created {
		b.CreatedAt = parseTime(old.CreatedAt)
	}
	return b, created, nil
}

// GetBusiness returns a business or ErrNotFound.
func (s *Store) GetBusiness(ctx context.Context, id string) (moderation.Business, error) {
	var it businessItem
	if err := s.getItem(ctx, businessPK(id), skBusiness, &it); err != nil {
		return moderation.Business{}, fmt.Errorf("get business %s: %w", id, err)
	}
	return it.domain(), nil
}

// GetReview returns a review's head or ErrNotFound.
func (s *Store) GetReview(ctx context.Context, id string) (moderation.Review, error) {
	var it reviewItem
	if err := s.getItem(ctx, reviewPK(id), skReview, &it); err != nil {
		return moderation.Review{}, fmt.Errorf("get review %s: %w", id, err)
	}
	return it.domain(), nil
}

// ReviewContext reads, in one strongly consistent Query, the review and the
// Find Reviewer requests ever made on it: everything the report rules need.
func (s *Store) ReviewContext(ctx context.Context, id string) (moderation.ReviewContext, error) {
	// Sort keys REQUEST#… < REVIEW < VERSION#…: the range below holds exactly
	// the request refs and the head.
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(reviewPK(id)), ":lo": str(skRequestPfx), ":hi": str(skReview),
		},
		ConsistentRead: aws.Bool(true),
	}
	var rc moderation.ReviewContext
	found := false
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return rc, fmt.Errorf("review context %s: %w", id, err)
		}
		for _, raw := range res.Items {
			sk, _ := raw[AttrSK].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			if sk.Value == skReview {
				var it reviewItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return rc, fmt.Errorf("review context %s: %w", id, err)
				}
				rc.Review, found = it.domain(), true
				continue
			}
			var it requestRefItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return rc, fmt.Errorf("review context %s: %w", id, err)
			}
			rc.Requests = append(rc.Requests, moderation.RequestSummary{ID: it.ID, Status: moderation.RequestStatus(it.Status)})
		}
		if res.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
	if !found {
		return rc, fmt.Errorf("review context %s: %w", id, moderation.ErrNotFound)
	}
	return rc, nil
}

// CreateReview writes a new review with its first version snapshot, failing
// with ErrConflict if the review already exists.
func (s *Store) CreateReview(ctx context.Context, r moderation.Review, v moderation.ReviewVersion, actor string) error {
	head, err := marshal(newReviewItem(r))
	if err != nil {
		return fmt.Errorf("create review %s: %w", r.ID, err)
	}
	ver, err := marshal(newVersionItem(r.ID, v))
	if err != nil {
		return fmt.Errorf("create review %s: %w", r.ID, err)
	}
	audit, err := marshal(newAuditItem(reviewPK(r.ID), 0, moderation.AuditEntry{At: r.CreatedAt, Actor: actor, Action: "review.created", To: string(r.Visibility)}))
	if err != nil {
		return fmt.Errorf("create review %s: %w", r.ID, err)
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: head, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: ver}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: audit}},
	}
	if it, ok := s.reviewStatsUpdate(r.BusinessID, reviewStarsDelta(nil, r.Stars, 1)); ok {
		items = append(items, it)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err != nil {
		return fmt.Errorf("create review %s: %w", r.ID, classifyTx(err))
	}
	return nil
}

// UpdateReview writes the platform's update of a review: its content, the
// reviewer, and (when v is not nil) a new version snapshot. It only touches
// content attributes, so a concurrent report cannot be overwritten, and it
// fails with ErrConflict unless the stored version is still prevVersion.
func (s *Store) UpdateReview(ctx context.Context, r moderation.Review, prevVersion, prevStars int, v *moderation.ReviewVersion, actor string) error {
	reviewer, err := attributevalue.Marshal(reviewerAttr(r.Reviewer))
	if err != nil {
		return fmt.Errorf("update review %s: %w", r.ID, err)
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:           aws.String(s.table),
		Key:                 s.key(reviewPK(r.ID), skReview),
		ConditionExpression: aws.String("#version = :prev AND stars = :prevStars"),
		UpdateExpression: aws.String("SET #version = :version, reviewer = :reviewer, stars = :stars, title = :title, #text = :text, " +
			"experienceDate = :exp, updatedAt = :now"),
		ExpressionAttributeNames: map[string]string{"#version": "version", "#text": "text"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": num(prevVersion), ":prevStars": num(prevStars), ":version": num(r.Version), ":reviewer": reviewer, ":stars": num(r.Stars),
			":title": str(r.Title), ":text": str(r.Text), ":exp": str(r.ExperienceDate), ":now": str(fmtTime(r.UpdatedAt)),
		},
	}}}
	if v != nil {
		ver, err := marshal(newVersionItem(r.ID, *v))
		if err != nil {
			return fmt.Errorf("update review %s: %w", r.ID, err)
		}
		audit, err := marshal(newAuditItem(reviewPK(r.ID), 0, moderation.AuditEntry{At: r.UpdatedAt, Actor: actor,
			Action: "review.edited", From: fmt.Sprintf("version %d", prevVersion), To: fmt.Sprintf("version %d", r.Version)}))
		if err != nil {
			return fmt.Errorf("update review %s: %w", r.ID, err)
		}
		items = append(items,
			types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: ver, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
			types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: audit}})
	}
	if it, ok := s.reviewStatsUpdate(r.BusinessID, reviewStarsDelta(reviewStarsDelta(nil, prevStars, -1), r.Stars, 1)); ok {
		items = append(items, it)
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		return fmt.Errorf("update review %s: %w", r.ID, classifyTx(err))
	}
	return nil
}

// ReviewVersions returns every version of a review, oldest first.
func (s *Store) ReviewVersions(ctx context.Context, id string) ([]moderation.ReviewVersion, error) {
	out, err := queryPrefix(ctx, s, reviewPK(id), skVersionPfx, versionItem.domain)
	if err != nil {
		return nil, fmt.Errorf("review versions %s: %w", id, err)
	}
	return out, nil
}

// ListReviews returns a business's reviews, newest first, one page at a time.
func (s *Store) ListReviews(ctx context.Context, businessID string, p app.Page) ([]moderation.Review, string, error) {
	var out []moderation.Review
	next, err := s.page(ctx, IndexGSI1, AttrGSI1PK, AttrGSI1SK, businessReviewsPK(businessID), false, p, func(raw map[string]types.AttributeValue) error {
		var it reviewItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list reviews of %s: %w", businessID, err)
	}
	return out, next, nil
}

// ReviewAudit returns a review's audit trail, oldest first.
func (s *Store) ReviewAudit(ctx context.Context, id string) ([]moderation.AuditEntry, error) {
	out, err := queryPrefix(ctx, s, reviewPK(id), skAuditPfx, auditItem.domain)
	if err != nil {
		return nil, fmt.Errorf("review audit %s: %w", id, err)
	}
	return out, nil
}
