package stack

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/truora/minidyn/server"
)

// dynamoDBBackend is what serves the stack's DynamoDB calls: the embedded
// minidyn behind a dynamoFront (returned too, nil otherwise), or a reverse
// proxy to Config.DynamoDBEndpoint.
func dynamoDBBackend(cfg Config, c interface{ Now() time.Time }) (http.Handler, *dynamoFront, error) {
	if cfg.DynamoDBEndpoint == "" {
		front := newDynamoFront(server.NewServer(), c, cfg.Region)
		return front, front, nil
	}
	u, err := url.Parse(cfg.DynamoDBEndpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("dynamodb endpoint %q: want an http(s) URL", cfg.DynamoDBEndpoint)
	}
	return httputil.NewSingleHostReverseProxy(u), nil, nil
}

// tokenWindow is how long DynamoDB remembers a transaction's ClientRequestToken.
const tokenWindow = 10 * time.Minute

// transactionTokens gives minidyn DynamoDB's idempotent TransactWriteItems:
// a call whose ClientRequestToken succeeded within the last ten minutes is
// answered with the first response and changes nothing; the same token with
// another request is IdempotentParameterMismatchException. The SDK puts a
// token on every TransactWriteItems and keeps it across its retries, so a
// transaction whose response was lost (a timeout, a reset connection) is
// not run twice, as in AWS.
//
// Each request costs O(1): the tokens are a map, and the succeeded ones
// also a queue in the order they succeeded, which is the order they expire
// in (the clock never goes back), so expiry pops from the queue's front.
type transactionTokens struct {
	next  http.Handler
	clock interface{ Now() time.Time }

	mu      sync.Mutex
	seen    map[string]*tokenEntry
	expiry  []expiring // succeeded tokens, oldest first; expiry[head:] are live
	expHead int
}

// expiring is a succeeded token and its entry (a token dropped and used
// again has a new entry: the old queue slot then removes nothing).
type expiring struct {
	token string
	entry *tokenEntry
}

type tokenEntry struct {
	mu          sync.Mutex // held while the token's first call runs
	hash        [32]byte
	done        bool
	at          time.Time
	contentType string // the first answer: its Content-Type, CRC32 and body
	crc32       string
	body        []byte
}

func withTransactionTokens(next http.Handler, c interface{ Now() time.Time }) *transactionTokens {
	return &transactionTokens{next: next, clock: c, seen: map[string]*tokenEntry{}}
}

// expireLocked drops the tokens that succeeded more than tokenWindow ago.
// t.mu must be held.
func (t *transactionTokens) expireLocked(now time.Time) {
	for t.expHead < len(t.expiry) {
		x := t.expiry[t.expHead]
		if now.Sub(x.entry.at) <= tokenWindow {
			break
		}
		if t.seen[x.token] == x.entry {
			delete(t.seen, x.token)
		}
		t.expiry[t.expHead] = expiring{}
		t.expHead++
	}
	if t.expHead > 1024 && t.expHead*2 >= len(t.expiry) { // reuse the queue's front
		t.expiry = append(t.expiry[:0], t.expiry[t.expHead:]...)
		t.expHead = 0
	}
}

// Len is how many tokens are remembered (for tests).
func (t *transactionTokens) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.seen)
}

func (t *transactionTokens) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".TransactWriteItems") {
		t.next.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req struct{ ClientRequestToken string }
	if json.Unmarshal(body, &req) != nil || req.ClientRequestToken == "" {
		t.next.ServeHTTP(w, r)
		return
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body, &fields)
	delete(fields, "ClientRequestToken")
	canon, _ := json.Marshal(fields) // map keys sorted: the request without its token
	hash := sha256.Sum256(canon)

	t.mu.Lock()
	t.expireLocked(t.clock.Now())
	e, ok := t.seen[req.ClientRequestToken]
	if !ok {
		e = &tokenEntry{hash: hash}
		t.seen[req.ClientRequestToken] = e
	}
	t.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.hash != hash:
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
			"message": "The request uses the same client token as a previous, but non-identical request."})
		return
	case e.done:
		writeAnswer(w, e.contentType, e.crc32, e.body)
		return
	}
	rec := httptest.NewRecorder()
	t.next.ServeHTTP(rec, r)
	t.mu.Lock()
	if rec.Code == http.StatusOK {
		e.done, e.at = true, t.clock.Now()
		e.contentType, e.crc32, e.body = rec.Header().Get("Content-Type"), rec.Header().Get("X-Amz-Crc32"), rec.Body.Bytes()
		t.expiry = append(t.expiry, expiring{token: req.ClientRequestToken, entry: e})
	} else if t.seen[req.ClientRequestToken] == e {
		delete(t.seen, req.ClientRequestToken) // a failed call is no answer: a retry runs it again
	}
	t.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// writeAnswer writes a remembered 200 answer.
func writeAnswer(w http.ResponseWriter, contentType, crc32 string, body []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	if crc32 != "" {
		w.Header().Set("X-Amz-Crc32", crc32)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
