package stepfunctions

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/shared/clock"
)

// epoch is where every test's virtual clock starts.
var epoch = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

// harness is an engine on a virtual clock behind an httptest server, with a
// real sfn client pointed at it.
type harness struct {
	t      *testing.T
	e      *Engine
	clk    *clock.Manual
	client *sfn.Client
	url    string
}

// newHarness starts an engine on a manual clock. At cleanup it checks that
// the history of every execution the test started is well formed.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	clk := clock.NewManual(epoch)
	cfg := Config{Clock: clk, Rand: func() float64 { return 0.5 }}
	for _, o := range opts {
		o(&cfg)
	}
	e := New(cfg)
	srv := httptest.NewServer(e)
	h := &harness{t: t, e: e, clk: clk, url: srv.URL, client: newClient(srv.URL)}
	t.Cleanup(func() {
		h.settle()
		h.checkAllHistories()
		srv.Close()
		e.Close()
	})
	return h
}

func newClient(url string) *sfn.Client {
	return sfn.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	}, func(o *sfn.Options) {
		o.BaseEndpoint = aws.String(url)
		o.HTTPClient = &http.Client{Transport: plainBodyTransport{next: awshttp.NewBuildableClient().GetTransport()}}
		// The SDK's standard retryer, without back-off or retry quota: a
		// second guard against the race plainBodyTransport avoids (the SDK
		// retries "use of closed network connection" since
		// aws/aws-sdk-go-v2#2949, but a retry can lose the race again)
		// while an error such as ServiceUnavailable still shows at once.
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 3
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			so.RateLimiter = ratelimit.None
		})
	})
}

// plainBodyTransport hands net/http the request body without its WriteTo
// method. smithy-go wraps the body in a closer whose WriteTo answers io.EOF
// once closed, and closes it as soon as the response headers arrive; when a
// fast local server answers before net/http's writeLoop has made its last
// copy from the body (the one that checks for bytes beyond Content-Length),
// io.Copy reports that io.EOF as a write error and the transport closes the
// connection under the response being read: "use of closed network
// connection" (aws/aws-sdk-go-v2#2737), likely on a loaded machine and with
// large responses. Read answers io.EOF instead, which io.Copy takes as the
// end of the body.
type plainBodyTransport struct{ next http.RoundTripper }

func (p plainBodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return p.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.Body = struct{ io.ReadCloser }{r.Body}
	return p.next.RoundTrip(r)
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

func (h *harness) settle() {
	h.t.Helper()
	if err := h.e.Settle(h.ctx()); err != nil {
		h.t.Fatalf("settle: %v", err)
	}
}

func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	if err := h.e.Advance(h.ctx(), d); err != nil {
		h.t.Fatalf("advance %s: %v", d, err)
	}
}

// create loads a definition (a JSON string or a testdata file name ending
// in .json) and returns its ARN.
func (h *harness) create(name, def string, subs map[string]string) string {
	h.t.Helper()
	if filepath.Ext(def) == ".json" {
		b, err := os.ReadFile(filepath.Join("testdata", def))
		if err != nil {
			h.t.Fatalf("read fixture: %v", err)
		}
		def = string(b)
	}
	arn, err := h.e.CreateStateMachine(h.ctx(), name, []byte(def), subs)
	if err != nil {
		h.t.Fatalf("create %s: %v", name, err)
	}
	return arn
}

// start starts an execution through the sfn client and lets it settle.
func (h *harness) start(machineArn, name, input string) string {
	h.t.Helper()
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(input)}
	if name != "" {
		in.Name = aws.String(name)
	}
	out, err := h.client.StartExecution(h.ctx(), in)
	if err != nil {
		h.t.Fatalf("start execution: %v", err)
	}
	h.settle()
	return aws.ToString(out.ExecutionArn)
}

func (h *harness) describe(execArn string) *sfn.DescribeExecutionOutput {
	h.t.Helper()
	out, err := h.client.DescribeExecution(h.ctx(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
	if err != nil {
		h.t.Fatalf("describe execution: %v", err)
	}
	return out
}

func (h *harness) history(execArn string) []types.HistoryEvent {
	h.t.Helper()
	var events []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(h.client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn), MaxResults: 1000})
	for p.HasMorePages() {
		page, err := p.NextPage(h.ctx())
		if err != nil {
			h.t.Fatalf("get execution history: %v", err)
		}
		events = append(events, page.Events...)
	}
	return events
}

// eventTypes lists the types of events, in order.
func eventTypes(events []types.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = string(ev.Type)
	}
	return out
}

// checkAllHistories checks every execution of every state machine.
func (h *harness) checkAllHistories() {
	h.t.Helper()
	ctx := h.ctx()
	machines, err := h.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1000})
	if err != nil {
		h.t.Errorf("list state machines: %v", err)
		return
	}
	for _, m := range machines.StateMachines {
		p := sfn.NewListExecutionsPaginator(h.client, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, MaxResults: 1000})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				h.t.Errorf("list executions: %v", err)
				return
			}
			for _, x := range page.Executions {
				if err := CheckHistory(h.history(aws.ToString(x.ExecutionArn)), x.Status); err != nil {
					h.t.Errorf("execution %s: %v", aws.ToString(x.Name), err)
				}
			}
		}
	}
}

// jsonEqual compares two JSON texts semantically.
func jsonEqual(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is not JSON: %v: %s", err, want)
	}
	return reflect.DeepEqual(g, w)
}

// fn adapts a function of JSON values to a LambdaFunc.
func fn(f func(in map[string]any) (any, error)) LambdaFunc {
	return func(_ context.Context, payload []byte) ([]byte, error) {
		var in map[string]any
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, err
		}
		out, err := f(in)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	}
}
