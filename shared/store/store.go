package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/moderation"
)

// DynamoDB is the part of the DynamoDB client the store uses.
type DynamoDB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

var _ DynamoDB = (*dynamodb.Client)(nil)

// Actions lists every DynamoDB action the store performs, for the IAM policy
// checks of template.yaml.
var Actions = []string{
	"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
	"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
}

// Errors the store reports; callers match them with errors.Is / errors.As.
var (
	// ErrNotFound: the item does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a condition on the object's state failed; it changed since it was read.
	ErrConflict = errors.New("state changed concurrently")
	// ErrIdempotencyKeyReused: the key was used before with another request.
	ErrIdempotencyKeyReused = errors.New("idempotency key reused with another request")
)

// Replay is returned (as an error) when an idempotency key was already used
// for the same request: the caller answers with the stored response.
type Replay struct {
	Status int
	Body   []byte
}

func (r *Replay) Error() string { return fmt.Sprintf("idempotent replay of a %d response", r.Status) }

// Store is the DynamoDB adapter. It is safe for concurrent use.
type Store struct {
	db    DynamoDB
	table string
}

// New returns a Store on the named table.
func New(db DynamoDB, table string) *Store { return &Store{db: db, table: table} }

func (s *Store) key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: pk}, AttrSK: &types.AttributeValueMemberS{Value: sk}}
}

func (s *Store) getItem(ctx context.Context, pk, sk string, out any) error {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: s.key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if res.Item == nil {
		return ErrNotFound
	}
	return attributevalue.UnmarshalMap(res.Item, out)
}

func marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", v, err)
	}
	return m, nil
}

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func num(n int) types.AttributeValue    { return &types.AttributeValueMemberN{Value: fmt.Sprint(n)} }

// PutBusiness creates or updates a business, keeping its creation time, and
// reports whether it was created.
func (s *Store) PutBusiness(ctx context.Context, b moderation.Business) (moderation.Business, bool, error) {
	now := fmtTime(b.UpdatedAt)
	res, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      s.key(businessPK(b.ID), skBusiness),
		UpdateExpression:         aws.String("SET #type = :type, id = :id, #name = :name, notificationEmail = :email, locale = :locale, createdAt = if_not_exists(createdAt, :now), updatedAt = :now"),
		ExpressionAttributeNames: map[string]string{"#type": "type", "#name": "name"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":type": str("business"), ":id": str(b.ID), ":name": str(b.Name), ":email": str(b.NotificationEmail),
			":locale": str(b.Locale), ":now": str(now),
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
		return rc, fmt.Errorf("review context %s: %w", id, ErrNotFound)
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
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: head, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: ver}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: audit}},
	}})
	if err != nil {
		return fmt.Errorf("create review %s: %w", r.ID, classifyTx(err))
	}
	return nil
}

// UpdateReview writes the platform's update of a review: its content, the
// reviewer, and (when v is not nil) a new version snapshot. It only touches
// content attributes, so a concurrent report cannot be overwritten, and it
// fails with ErrConflict unless the stored version is still prevVersion.
func (s *Store) UpdateReview(ctx context.Context, r moderation.Review, prevVersion int, v *moderation.ReviewVersion, actor string) error {
	reviewer, err := attributevalue.Marshal(reviewerAttr(r.Reviewer))
	if err != nil {
		return fmt.Errorf("update review %s: %w", r.ID, err)
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:           aws.String(s.table),
		Key:                 s.key(reviewPK(r.ID), skReview),
		ConditionExpression: aws.String("#version = :prev"),
		UpdateExpression: aws.String("SET #version = :version, reviewer = :reviewer, stars = :stars, title = :title, #text = :text, " +
			"experienceDate = :exp, updatedAt = :now"),
		ExpressionAttributeNames: map[string]string{"#version": "version", "#text": "text"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": num(prevVersion), ":version": num(r.Version), ":reviewer": reviewer, ":stars": num(r.Stars),
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
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		return fmt.Errorf("update review %s: %w", r.ID, classifyTx(err))
	}
	return nil
}

// ReviewVersions returns every version of a review, oldest first.
func (s *Store) ReviewVersions(ctx context.Context, id string) ([]moderation.ReviewVersion, error) {
	var out []moderation.ReviewVersion
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :v)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(reviewPK(id)), ":v": str(skVersionPfx),
		},
		ConsistentRead: aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it versionItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review versions %s: %w", id, err)
	}
	return out, nil
}

func (s *Store) queryAll(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return err
		}
		for _, raw := range res.Items {
			if err := each(raw); err != nil {
				return err
			}
		}
		if res.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// classifyTx turns a cancelled transaction into ErrConflict (keeping the
// original error for the log) and leaves other errors as they are.
func classifyTx(err error) error {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

// cancelledAt reports whether a cancelled transaction failed its condition at item index i.
func cancelledAt(err error, i int) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i >= len(tce.CancellationReasons) {
		return false
	}
	return aws.ToString(tce.CancellationReasons[i].Code) == "ConditionalCheckFailed"
}

// IdempotencyRecord is a stored response for an Idempotency-Key.
type IdempotencyRecord struct {
	Scope       string // who used the key, e.g. "business:b1:user-7"
	Key         string
	RequestHash string // hash of method, path and body
	Status      int
	Body        []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time // the TTL
}

func (rec IdempotencyRecord) item() idempotencyItem {
	return idempotencyItem{PK: idempotencyPK(rec.Scope, rec.Key), SK: skIdempotency, Type: "idempotency",
		RequestHash: rec.RequestHash, Status: rec.Status, Body: rec.Body, CreatedAt: fmtTime(rec.CreatedAt),
		ExpiresAt: rec.ExpiresAt.Unix()}
}

// replayOf reads the stored record for rec's key and returns the error that
// answers a repeated key: *Replay for the same request, ErrIdempotencyKeyReused otherwise.
func (s *Store) replayOf(ctx context.Context, rec IdempotencyRecord) error {
	var it idempotencyItem
	if err := s.getItem(ctx, idempotencyPK(rec.Scope, rec.Key), skIdempotency, &it); err != nil {
		return fmt.Errorf("read idempotency record: %w", err)
	}
	if it.RequestHash != rec.RequestHash {
		return ErrIdempotencyKeyReused
	}
	return &Replay{Status: it.Status, Body: it.Body}
}

// LookupIdempotency returns the answer stored for rec's key: a *Replay, ErrIdempotencyKeyReused,
// or ErrNotFound when the key is new (or expired).
func (s *Store) LookupIdempotency(ctx context.Context, rec IdempotencyRecord, now time.Time) error {
	var it idempotencyItem
	if err := s.getItem(ctx, idempotencyPK(rec.Scope, rec.Key), skIdempotency, &it); err != nil {
		return err
	}
	if it.ExpiresAt <= now.Unix() { // TTL deletion lags; an expired record no longer counts
		return ErrNotFound
	}
	if it.RequestHash != rec.RequestHash {
		return ErrIdempotencyKeyReused
	}
	return &Replay{Status: it.Status, Body: it.Body}
}

func sortStarts(s []WorkflowStart) {
	slices.SortFunc(s, func(a, b WorkflowStart) int { return a.At.Compare(b.At) })
}

// readPartition reads every item of partition pk, strongly consistent,
// handing each to fn with its sort key.
func (s *Store) readPartition(ctx context.Context, pk string, fn func(sk string, raw map[string]types.AttributeValue) error) error {
	return s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		if sk, ok := raw[AttrSK].(*types.AttributeValueMemberS); ok {
			return fn(sk.Value, raw)
		}
		return nil
	})
}

// appendAudit decodes an audit item onto trail.
func appendAudit(trail *[]moderation.AuditEntry, raw map[string]types.AttributeValue) error {
	var it auditItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return err
	}
	*trail = append(*trail, it.domain())
	return nil
}
