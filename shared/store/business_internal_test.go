package store

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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

// TestAThrottledTransactionIsNotAChangedState: DynamoDB cancels a
// transaction it throttled, or one that met another, with reasons other
// than a failed condition: nothing changed, so it is no ErrChanged (which
// callers answer "it changed meanwhile", and a reviewer's page "already
// used"), but an error a retry may overcome.
func TestAThrottledTransactionIsNotAChangedState(t *testing.T) {
	cancelled := func(codes ...string) error {
		tce := &types.TransactionCanceledException{Message: aws.String("Transaction cancelled")}
		for _, c := range codes {
			tce.CancellationReasons = append(tce.CancellationReasons, types.CancellationReason{Code: aws.String(c)})
		}
		return tce
	}
	tests := []struct {
		name    string
		err     error
		changed bool
	}{
		{"a condition failed", cancelled("None", "ConditionalCheckFailed"), true},
		{"throttled", cancelled("None", "ThrottlingError"), false},
		{"another transaction", cancelled("TransactionConflict", "None"), false},
		{"no reasons given", cancelled(), true},
	}
	for _, tt := range tests {
		if got := errors.Is(classifyTx(tt.err), moderation.ErrChanged); got != tt.changed {
			t.Errorf("%s: ErrChanged = %v, want %v", tt.name, got, tt.changed)
		}
	}
}
