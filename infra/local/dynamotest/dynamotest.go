// Package dynamotest chooses the DynamoDB that the store's tests and the
// end-to-end tests run against, so that one suite can be run on two
// independent implementations and catch what either stand-in gets wrong:
//
//	CANDOR_DYNAMODB unset or "minidyn"  the embedded minidyn (the default; needs only Go)
//	CANDOR_DYNAMODB=moto                moto_server, started by the tests (once per test binary)
//	CANDOR_DYNAMODB=http://host:port    a DynamoDB endpoint already running (moto_server, DynamoDB Local)
//
// On an external endpoint every test gets a table of its own (a unique
// name, deleted at its end), so the tests of a package can share one server.
// A backend that was asked for and cannot be reached fails the test: CI
// that asks for moto must not pass by skipping it.
package dynamotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/truora/minidyn/server"
)

// EnvVar names the environment variable that chooses the backend.
const EnvVar = "CANDOR_DYNAMODB"

// Credentials are what the test clients sign with (neither stand-in checks them).
var Credentials = credentials.NewStaticCredentialsProvider("test", "test", "")

// Backend names the DynamoDB the tests run against: "minidyn", "moto", or
// the external endpoint's URL.
func Backend() string {
	v := strings.TrimSpace(os.Getenv(EnvVar))
	if v == "" {
		return "minidyn"
	}
	return v
}

// External reports whether the tests run against a DynamoDB outside the
// process (moto or an endpoint URL) rather than the embedded minidyn.
func External() bool { return Backend() != "minidyn" }

// Endpoint returns the URL of the external DynamoDB the tests run against,
// starting moto_server the first time when CANDOR_DYNAMODB=moto. It fails
// the test on the embedded backend, which has no endpoint of its own until
// a test starts one (see Table).
func Endpoint(t testing.TB) string {
	t.Helper()
	switch b := Backend(); {
	case b == "minidyn":
		t.Fatalf("dynamotest: the embedded minidyn has no shared endpoint")
	case b == "moto":
		url, err := startMoto()
		if err != nil {
			t.Fatalf("dynamotest: %s=moto: %v", EnvVar, err)
		}
		return serialized(t, url)
	case strings.HasPrefix(b, "http://") || strings.HasPrefix(b, "https://"):
		url := strings.TrimRight(b, "/")
		if err := reachable(url); err != nil {
			t.Fatalf("dynamotest: %s=%s: %v", EnvVar, b, err)
		}
		return serialized(t, url)
	default:
		t.Fatalf("dynamotest: %s=%q: want minidyn, moto or an endpoint URL", EnvVar, b)
	}
	return ""
}

// Table returns a DynamoDB endpoint and a table name that no other test
// uses, for a test that creates the table itself. With minidyn the endpoint
// is a fresh minidyn server for this test; on an external endpoint the
// table name is unique and the table (if the test created it) is deleted
// when the test ends.
func Table(t testing.TB, base string) (endpoint, table string) {
	t.Helper()
	if !External() {
		srv := httptest.NewServer(server.NewServer())
		t.Cleanup(srv.Close)
		return srv.URL, base
	}
	endpoint = Endpoint(t)
	table = UniqueName(t, base)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = Client(endpoint).DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	})
	return endpoint, table
}

// Client is a real SDK client for endpoint.
func Client(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: Credentials})
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// UniqueName is base, the test's name and a random suffix, as a valid
// DynamoDB table name (3–255 of [A-Za-z0-9_.-]).
func UniqueName(t testing.TB, base string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafeChars.ReplaceAllString(t.Name(), "-")
	if len(name) > 180 {
		name = name[:180]
	}
	return base + "-" + name + "-" + hex.EncodeToString(b[:])
}

var probed sync.Map // endpoint URL -> error (nil when it answered)

// reachable checks once per endpoint that something listens there, so that
// a wrong URL fails at once rather than after the SDK's retries of every call.
func reachable(endpoint string) error {
	if err, ok := probed.Load(endpoint); ok {
		if err == nil {
			return nil
		}
		return err.(error)
	}
	var err error
	u, perr := neturl.Parse(endpoint)
	if perr != nil {
		err = perr
	} else {
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), map[bool]string{true: "443", false: "80"}[u.Scheme == "https"])
		}
		var c net.Conn
		if c, err = net.DialTimeout("tcp", host, 3*time.Second); err == nil {
			c.Close()
		}
	}
	if err != nil {
		err = fmt.Errorf("no DynamoDB answers there: %w", err)
		probed.Store(endpoint, err)
		return err
	}
	probed.Store(endpoint, nil)
	return nil
}

var proxies sync.Map // backend URL -> *proxy

type proxy struct {
	once sync.Once
	url  string
	err  error
}

// serialized returns the URL of a proxy in this process that forwards to
// backend one request at a time. moto serves requests on threads without
// isolating its transactions (a TransactWriteItems copies the table, and
// restores the copy when it is cancelled, so a concurrent one can lose or
// keep another's writes); DynamoDB's transactions are serializable. One
// call at a time is a serializable order, so tests of concurrent writes
// try Candor's conditions, not moto's threads.
func serialized(t testing.TB, backend string) string {
	t.Helper()
	v, _ := proxies.LoadOrStore(backend, &proxy{})
	p := v.(*proxy)
	p.once.Do(func() {
		u, err := neturl.Parse(backend)
		if err != nil {
			p.err = err
			return
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			p.err = err
			return
		}
		rp := httputil.NewSingleHostReverseProxy(u)
		var mu sync.Mutex
		go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			rp.ServeHTTP(w, r)
		}))
		p.url = "http://" + ln.Addr().String() // lives as long as the test binary
	})
	if p.err != nil {
		t.Fatalf("dynamotest: proxy to %s: %v", backend, p.err)
	}
	return p.url
}

var moto struct {
	once sync.Once
	url  string
	err  error
}

// startMoto starts one moto_server for the test binary on a free port and
// waits until it answers; it is stopped when the binary exits.
func startMoto() (string, error) {
	moto.once.Do(func() { moto.url, moto.err = launchMoto() })
	return moto.url, moto.err
}

// waitReady polls url until it answers HTTP or the deadline passes.
func waitReady(url string, deadline time.Duration, exited <-chan error) error {
	until := time.Now().Add(deadline)
	for time.Now().Before(until) {
		select {
		case err := <-exited:
			return fmt.Errorf("moto_server exited: %v", err)
		default:
		}
		res, err := http.Get(url + "/moto-api/")
		if err == nil {
			res.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("moto_server did not answer at %s within %s", url, deadline)
}

// ForStack returns what a test's local stack should use: on the embedded
// backend no endpoint (the stack runs its own minidyn) and base as the table;
// on an external one its endpoint and a unique table, deleted when the test
// ends. Set them as stack.Config's DynamoDBEndpoint and TableName.
func ForStack(t testing.TB, base string) (endpoint, table string) {
	t.Helper()
	if !External() {
		return "", base
	}
	return Table(t, base)
}
