package stack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// A transaction's token is remembered for ten minutes of the stack's clock
// and then forgotten (a call with it runs again, as DynamoDB's does); the
// guard holds only the tokens of the last ten minutes, however many came
// before.
func TestTransactionTokensExpireAfterTenMinutes(t *testing.T) {
	c := clock.NewManual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	runs := 0
	guard := withTransactionTokens(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		runs++
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		fmt.Fprintf(w, `{"run":%d}`, runs)
	}), c)
	call := func(token string) string {
		req := httptest.NewRequest("POST", "/", strings.NewReader(`{"ClientRequestToken":"`+token+`","TransactItems":[]}`))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.TransactWriteItems")
		rec := httptest.NewRecorder()
		guard.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/x-amz-json-1.0" {
			t.Fatalf("call %s: %d %v", token, rec.Code, rec.Header())
		}
		return rec.Body.String()
	}
	if got := call("a"); got != `{"run":1}` {
		t.Fatalf("first call = %s", got)
	}
	c.Advance(tokenWindow)
	if got := call("a"); got != `{"run":1}` {
		t.Errorf("the same token ten minutes later = %s, want the first answer", got)
	}
	c.Advance(time.Second)
	if got := call("a"); got != `{"run":2}` {
		t.Errorf("the same token after ten minutes = %s, want it run again", got)
	}

	for i := range 5000 {
		call(fmt.Sprintf("bulk-%d", i))
		if i%100 == 0 {
			c.Advance(time.Second)
		}
	}
	c.Advance(tokenWindow + time.Second)
	call("last")
	if n := guard.Len(); n != 1 {
		t.Errorf("tokens held after the window = %d, want 1", n)
	}
	if len(guard.expiry)-guard.expHead != 1 {
		t.Errorf("expiry queue holds %d, want 1", len(guard.expiry)-guard.expHead)
	}
}
