package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// reviewer personal data of the reviews the tests create; no business
// response may ever contain any of it (P12).
var reviewerSecrets = []string{"ana.reviewer@example.org", "Ana Reviewsson", "bo.reviewer@example.org", "Bo Writer"}

// env is a local stack with two businesses and their reviews, and a client
// that remembers every response a business got.
type env struct {
	t          *testing.T
	s          *stack.Stack
	platform   string
	biz1, biz2 string // tokens
	compliance string

	mu             sync.Mutex
	businessBodies []string
	logs           *syncBuffer
}

// syncBuffer collects the stack's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type envOption func(*stack.Config)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	logs := &syncBuffer{}
	cfg := stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: start, NoSDKBackoff: true,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	cfg.DynamoDBEndpoint, cfg.TableName = dynamotest.ForStack(t, "candor")
	for _, o := range opts {
		o(&cfg)
	}
	s, err := stack.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	t.Cleanup(s.Close)
	e := &env{t: t, s: s, logs: logs,
		platform:   s.Token("platform-1", "platform", "", 365*24*time.Hour),
		biz1:       s.Token("owner-1", "business", "biz-1", 365*24*time.Hour),
		biz2:       s.Token("owner-2", "business", "biz-2", 365*24*time.Hour),
		compliance: s.Token("agent-ada", "compliance", "", 365*24*time.Hour),
	}
	e.mustStatus(http.StatusCreated, "PUT", "/v1/platform/businesses/biz-1", e.platform, map[string]any{"name": "Acme Coffee", "notificationEmail": "ops@acme.example", "locale": "en"})
	e.mustStatus(http.StatusCreated, "PUT", "/v1/platform/businesses/biz-2", e.platform, map[string]any{"name": "Nordic Bikes", "notificationEmail": "ops@nordic.example", "locale": "sv"})
	e.putReview("rev-organic", "biz-1", "organic", 1)
	e.putReview("rev-invited", "biz-1", "invited_platform", 1)
	e.putReview("rev-other", "biz-1", "invited_other", 1)
	e.putReview("rev-biz2", "biz-2", "organic", 1)
	t.Cleanup(e.assertNoReviewerDataLeaked)
	return e
}

// reviewBody is the platform's PUT body for a review at a version.
func reviewBody(biz, source string, version int) map[string]any {
	text := "The owner is a crook and the beans were stale."
	if version > 1 {
		text = "Edited: the beans were stale, but they refunded me."
	}
	who, email := "Ana Reviewsson", "ana.reviewer@example.org"
	if biz == "biz-2" {
		who, email = "Bo Writer", "bo.reviewer@example.org"
	}
	return map[string]any{
		"businessId": biz, "stars": 1, "title": "Stale beans", "text": text, "source": source,
		"experienceDate": "2026-10-20", "version": version,
		"reviewer": map[string]any{"email": email, "name": who, "locale": "sv"},
	}
}

func (e *env) putReview(id, biz, source string, version int) {
	e.t.Helper()
	want := http.StatusCreated
	if version > 1 {
		want = http.StatusOK
	}
	e.mustStatus(want, "PUT", "/v1/platform/reviews/"+id, e.platform, reviewBody(biz, source, version))
}

// response is what a call got. Assertions decode raw into the API's views
// (decode, parse); body is the same JSON as a map, for counting code that
// reads one field loosely.
type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// errorCode returns error.code of an error response ("" for any other body).
func (r response) errorCode() string {
	var v errorView
	_ = json.Unmarshal([]byte(r.raw), &v)
	return v.Error.Code
}

// fields returns error.fields of an error response: each invalid field and why.
func (r response) fields() map[string]string {
	var v errorView
	_ = json.Unmarshal([]byte(r.raw), &v)
	return v.Error.Fields
}

// call sends a request with a JSON body (or raw bytes/strings as they are).
func (e *env) call(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	case []byte:
		sent = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		sent = j
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, e.s.APIURL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	e.checkContract(req, sent, res, raw)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	if token == e.biz1 || token == e.biz2 || strings.HasPrefix(path, "/v1/public/") {
		e.mu.Lock()
		e.businessBodies = append(e.businessBodies, string(raw))
		e.mu.Unlock()
	}
	return out
}

func (e *env) mustStatus(want int, method, path, token string, body any) response {
	e.t.Helper()
	r := e.call(method, path, token, body)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.status, want, r.raw)
	}
	return r
}

// assertNoReviewerDataLeaked checks every response a business (or the public) got.
func (e *env) assertNoReviewerDataLeaked() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, body := range e.businessBodies {
		for _, secret := range reviewerSecrets {
			if strings.Contains(body, secret) {
				e.t.Errorf("a business response contains reviewer data %q: %s", secret, body)
			}
		}
	}
	logs := e.logs.String()
	for _, secret := range reviewerSecrets {
		if strings.Contains(logs, secret) {
			e.t.Errorf("the logs contain reviewer data %q", secret)
		}
	}
}

// scan returns every item of the table, for "nothing changed" assertions.
func (e *env) scan() []map[string]types.AttributeValue {
	e.t.Helper()
	var items []map[string]types.AttributeValue
	var startKey map[string]types.AttributeValue
	for {
		out, err := e.s.DynamoDB.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.s.Table), ExclusiveStartKey: startKey})
		if err != nil {
			e.t.Fatal(err)
		}
		items = append(items, out.Items...)
		if out.LastEvaluatedKey == nil {
			return items
		}
		startKey = out.LastEvaluatedKey
	}
}

// snapshot renders the table canonically.
func (e *env) snapshot() string {
	items := e.scan()
	var parts []string
	for _, it := range items {
		b, _ := json.Marshal(avToPlain(&types.AttributeValueMemberM{Value: it}))
		parts = append(parts, string(b))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

func avToPlain(v types.AttributeValue) any {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value
	case *types.AttributeValueMemberN:
		return "n:" + x.Value
	case *types.AttributeValueMemberBOOL:
		return x.Value
	case *types.AttributeValueMemberB:
		return x.Value
	case *types.AttributeValueMemberNULL:
		return nil
	case *types.AttributeValueMemberL:
		out := make([]any, len(x.Value))
		for i, y := range x.Value {
			out[i] = avToPlain(y)
		}
		return out
	case *types.AttributeValueMemberM:
		out := map[string]any{}
		for k, y := range x.Value {
			out[k] = avToPlain(y)
		}
		return out
	}
	return "?"
}

// countType counts items of one type in the table.
func (e *env) countType(typ string) int {
	n := 0
	for _, it := range e.scan() {
		if v, ok := it["type"].(*types.AttributeValueMemberS); ok && v.Value == typ {
			n++
		}
	}
	return n
}

// validReport is a report body on rev-organic's first version that passes every rule.
func validReport() map[string]any {
	return map[string]any{
		"items": []any{
			map[string]any{"scope": "content", "reason": "offensive_or_harmful", "details": "Calls the owner a crook, which is defamatory.", "excerpt": "The owner is a crook"},
			map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."},
		},
		"publicStatement": "We have no record of this order and the accusation is false.",
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// decode returns the response's body as the view T the API wrote; the test
// fails if the body is not T's JSON.
func decode[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.raw), &v); err != nil {
		t.Fatalf("response %d is not a %T: %v; body %s", r.status, v, err, r.raw)
	}
	return v
}

// errorView is the body of every refusal.
type errorView struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
		Until   string            `json:"until"`
	} `json:"error"`
}

// until returns error.until of a refusal that ends by the clock.
func (r response) until() string {
	var v errorView
	_ = json.Unmarshal([]byte(r.raw), &v)
	return v.Error.Until
}

// deref is the value p points to, or "" for null.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// refusesField reports whether the response is a refusal with status that
// names field among its invalid fields.
func (r response) refusesField(status int, field string) bool {
	_, named := r.fields()[field]
	return r.status == status && named
}

// missingKeys are the keys of the response's JSON object that are not there.
func (r response) missingKeys(keys ...string) []string {
	var obj map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.raw), &obj)
	var missing []string
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}
