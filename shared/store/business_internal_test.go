package store

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/moderation"
)

// TestAWriteForABusinessThatDoesNotExistIsUnknownBusiness: a write whose
// condition needs the caller's business item fails, when that business does
// not exist, as moderation.ErrUnknownBusiness (a 401 at the API), not as a
// state that changed (409); when the business exists and the condition
// fails for another reason, it is still ErrChanged.
func TestAWriteForABusinessThatDoesNotExistIsUnknownBusiness(t *testing.T) {
	endpoint, name := dynamotest.Table(t, "candor-business-test")
	db := dynamotest.Client(endpoint)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, TableDefinition(name)); err != nil {
		t.Fatal(err)
	}
	s := New(db, name)
	if _, _, err := s.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "en"}); err != nil {
		t.Fatalf("put business: %v", err)
	}
	write := func(biz, cond string) error {
		b := s.tx()
		b.update(businessPK(biz), skBusiness, "ADD probes :one", cond, nil, map[string]types.AttributeValue{":one": num(1)})
		return s.commitAs(ctx, b, "probe")
	}
	if err := write("ghost", "attribute_exists(PK)"); !errors.Is(err, moderation.ErrUnknownBusiness) || errors.Is(err, moderation.ErrChanged) {
		t.Errorf("write for a business that does not exist = %v, want ErrUnknownBusiness", err)
	}
	if err := write("biz-1", "attribute_not_exists(PK)"); !errors.Is(err, moderation.ErrChanged) || errors.Is(err, moderation.ErrUnknownBusiness) {
		t.Errorf("failed condition of a business that exists = %v, want ErrChanged", err)
	}
	if err := write("biz-1", "attribute_exists(PK)"); err != nil {
		t.Errorf("write for a business that exists = %v", err)
	}
}
