package store

import (
	"strings"
	"testing"
)

// TestIdempotencyKeysFitDynamoDBAndNeverCollide: the partition key of an
// idempotency record is made from the caller's scope (their sub) and the
// Idempotency-Key they chose; whatever those are, it fits DynamoDB's 2,048
// bytes, and two callers never share one.
func TestIdempotencyKeysFitDynamoDBAndNeverCollide(t *testing.T) {
	long := strings.Repeat("s", 3000)
	for _, tc := range []struct{ scope, key string }{
		{"business:biz_1:" + long, "k"},
		{"compliance:" + long, strings.Repeat("k", 255)},
		{"platform:p", "k"},
	} {
		if pk := idempotencyPK(tc.scope, tc.key); len(pk) > 2048 || !strings.HasPrefix(pk, "IDEM#") {
			t.Errorf("idempotencyPK(%d-byte scope, %d-byte key) = %d bytes, want at most 2048 under IDEM#", len(tc.scope), len(tc.key), len(pk))
		}
	}
	pairs := [][2][2]string{
		{{"business:b:a#x", "y"}, {"business:b:a", "x#y"}},
		{{"business:b:a", "x"}, {"business:b:a", "y"}},
		{{"business:b:a", "x"}, {"business:b:c", "x"}},
	}
	for _, p := range pairs {
		if idempotencyPK(p[0][0], p[0][1]) == idempotencyPK(p[1][0], p[1][1]) {
			t.Errorf("scope %q key %q and scope %q key %q share a record", p[0][0], p[0][1], p[1][0], p[1][1])
		}
	}
	if idempotencyPK("platform:p", "k") != idempotencyPK("platform:p", "k") {
		t.Error("the same scope and key make two records")
	}
}
