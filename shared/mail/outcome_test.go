package mail

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// TestSendNeverRepeatsACallSESMayHaveCarriedOut sends through the SES client
// a function builds, against a server that sends the email (counts it) and
// then answers as the network lets it: the email must reach SES exactly once
// whatever is lost, and a send SES refused must be tried again.
func TestSendNeverRepeatsACallSESMayHaveCarriedOut(t *testing.T) {
	const ok = `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>0100018c-once</MessageId></SendEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendEmailResponse>`
	const throttled = `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`
	tests := []struct {
		name        string
		answer      func(call int32, w http.ResponseWriter) // call counts from 1
		wantSent    int32                                   // emails SES sent
		wantCalls   int32                                   // requests SES got
		wantUnknown bool
		wantErr     bool
	}{
		{"answer lost after sending: not sent again", func(_ int32, w http.ResponseWriter) { reset(w) }, 1, 1, true, true},
		{"throttled once: sent by the SDK's retry", func(call int32, w http.ResponseWriter) {
			if call == 1 {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, throttled)
				return
			}
			io.WriteString(w, ok)
		}, 1, 2, false, false},
		{"answered: sent once", func(_ int32, w http.ResponseWriter) { io.WriteString(w, ok) }, 1, 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls, sent atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				call := calls.Add(1)
				w.Header().Set("Content-Type", "text/xml")
				if tt.name != "throttled once: sent by the SDK's retry" || call > 1 {
					sent.Add(1) // SES accepted the email
				}
				tt.answer(call, w)
			}))
			defer srv.Close()
			cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{},
				Retryer: func() aws.Retryer {
					return retry.NewStandard(func(o *retry.StandardOptions) {
						o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
					})
				}}
			s, _, err := NewSESSender(cfg, testBase, "no-reply@candor.example")
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), Recipient{Address: "anna@example.com"}, samples(testLinks(t))[0].msg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send error = %v, want error %v", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.wantUnknown {
				t.Errorf("errors.Is(%v, ErrOutcomeUnknown) = %v, want %v", err, got, tt.wantUnknown)
			}
			var m interface{ MaybeSent() bool } // what sendonce.Deliver looks for
			if got := errors.As(err, &m) && m.MaybeSent(); got != tt.wantUnknown {
				t.Errorf("MaybeSent of %v = %v, want %v", err, got, tt.wantUnknown)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("SES got %d requests, want %d", got, tt.wantCalls)
			}
			if got := sent.Load(); got != tt.wantSent {
				t.Errorf("SES sent the email %d times, want %d", got, tt.wantSent)
			}
		})
	}
}

// TestSendToAnUnreachableSESIsNotSent: a connection that was never made sent
// nothing, so it is an ordinary error a retry may repeat.
func TestSendToAnUnreachableSESIsNotSent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: connection refused
	cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://" + addr), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1}
	s, _, err := NewSESSender(cfg, testBase, "no-reply@candor.example")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), Recipient{Address: "anna@example.com"}, samples(testLinks(t))[0].msg)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Send error = %v, want a failure that is not ErrOutcomeUnknown", err)
	}
}

// reset ends the call's connection with a TCP reset instead of an answer.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}
