package webhook

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Each way an attempt fails is recorded as its category, from the error
// the HTTP client really returns for it, and the category never carries
// the error's text (addresses, ports).
func TestFailureOfNamesTheCategoryOfARealFailure(t *testing.T) {
	closed := func() string { // an address where nothing listens
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr + "/"
	}()
	release := make(chan struct{})
	tarpit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // holds the connection until the client gives up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); tarpit.Close() })
	hangup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	}))
	t.Cleanup(hangup.Close)
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(untrusted.Close)

	local := Targets{Local: true}.Client()
	short := Targets{Local: true}.Client()
	short.Timeout = 50 * time.Millisecond
	tests := []struct {
		name   string
		client *http.Client
		url    string
		want   string
	}{
		{"nothing listens", local, closed, FailConnectionRefused},
		{"a tarpit", short, tarpit.URL, FailTimeout},
		{"the receiver hangs up", local, hangup.URL, FailConnectionReset},
		{"an untrusted certificate", local, untrusted.URL, FailTLS},
		{"a loopback address in deployed stages", Targets{}.Client(), untrusted.URL, FailBlockedAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.client.Post(tt.url, "application/json", strings.NewReader("{}"))
			if err == nil {
				res.Body.Close()
				t.Fatal("the call succeeded")
			}
			if got := FailureOf(err); got != tt.want {
				t.Errorf("FailureOf(%v) = %q, want %q", err, got, tt.want)
			}
		})
	}
	dns := &url.Error{Op: "Post", URL: "https://hooks.example.invalid/", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "hooks.example.invalid", IsNotFound: true}}}
	if got := FailureOf(dns); got != FailDNS {
		t.Errorf("FailureOf(a DNS error) = %q, want %q", got, FailDNS)
	}
}

// The delivery log shows attempts recorded before categories were kept as
// the category their text stood for, never the text.
func TestCategoryOfAnAttemptRecordedAsText(t *testing.T) {
	for recorded, want := range map[string]string{
		"":                        "",
		"answered 500, want 2xx":  FailHTTPStatus,
		"the webhook was deleted": FailWebhookDeleted,
		"no answer: Post \"http://127.0.0.1:1/\": dial tcp 127.0.0.1:1: connect: connection refused": FailConnection,
		FailTimeout: FailTimeout,
		FailTLS:     FailTLS,
	} {
		if got := Category(recorded); got != want {
			t.Errorf("Category(%q) = %q, want %q", recorded, got, want)
		}
	}
}
