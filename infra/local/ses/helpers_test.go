package ses_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/infra/local/edge"
	localses "github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/shared/clock"
)

// start is the test clock's starting time.
var start = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// env is an outbox behind the local edge, with the real SDK client
// pointed at it.
type env struct {
	outbox   *localses.Outbox
	clock    *clock.Manual
	client   *ses.Client
	url      string
	requests atomic.Int64 // requests that reached the SES handler
}

// newEnv serves a fresh outbox at edge.New() mounted as "ses", as the local
// stack does, and builds an SDK client with static credentials whose retries
// do not wait.
func newEnv(t testing.TB, optFns ...func(*ses.Options)) *env {
	t.Helper()
	e := &env{clock: clock.NewManual(start)}
	e.outbox = localses.NewOutbox(e.clock)
	h := e.outbox.Handler()
	edg := edge.New()
	edg.Mount("ses", "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(edg)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	e.client = ses.New(ses.Options{
		Region:       "eu-north-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	}, optFns...)
	return e
}

// email builds a SendEmailInput; an empty text or HTML part is left out.
func email(from string, to []string, subject, text, html string) *ses.SendEmailInput {
	in := &ses.SendEmailInput{
		Source:      aws.String(from),
		Destination: &types.Destination{ToAddresses: to},
		Message: &types.Message{
			Subject: &types.Content{Data: aws.String(subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{},
		},
	}
	if text != "" {
		in.Message.Body.Text = &types.Content{Data: aws.String(text), Charset: aws.String("UTF-8")}
	}
	if html != "" {
		in.Message.Body.Html = &types.Content{Data: aws.String(html), Charset: aws.String("UTF-8")}
	}
	return in
}

// apiCode is the SES error code of err, "" if it is not an API error.
func apiCode(err error) string {
	if ae, ok := errors.AsType[smithy.APIError](err); ok {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus is the HTTP status of the response that made err, 0 if none.
func httpStatus(err error) int {
	if re, ok := errors.AsType[*awshttp.ResponseError](err); ok {
		return re.HTTPStatusCode()
	}
	return 0
}

// get serves a GET of target by h and returns the recorded response.
func get(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}
