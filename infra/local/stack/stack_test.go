package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/clock"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func startStack(t *testing.T, seed bool) *stack.Stack {
	t.Helper()
	endpoint, table := dynamotest.ForStack(t, "candor")
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: seed,
		DynamoDBEndpoint: endpoint, TableName: table, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	checkContract(t, req, res, raw)
	var body map[string]any
	json.Unmarshal(raw, &body)
	return res.StatusCode, body
}

func TestDemoPlatformIsSeededWithWorkingTokens(t *testing.T) {
	s := startStack(t, true)
	if s.Demo == nil || len(s.Demo.Businesses) != 2 {
		t.Fatalf("demo = %+v", s.Demo)
	}
	sources := map[string]int{}
	total := 0
	for _, b := range s.Demo.Businesses {
		status, body := get(t, s.APIURL+"/v1/reviews?limit=100", b.Token)
		if status != 200 {
			t.Fatalf("GET /v1/reviews as %s: %d", b.ID, status)
		}
		for _, it := range body["items"].([]any) {
			sources[it.(map[string]any)["source"].(string)]++
			total++
		}
	}
	if total < 12 || sources["organic"] == 0 || sources["invited_platform"] == 0 || sources["invited_other"] == 0 {
		t.Errorf("seeded %d reviews by source %v, want a dozen of every source", total, sources)
	}
	var out strings.Builder
	stack.Banner(&out, s)
	for _, want := range []string{s.APIURL, s.AWSURL, s.Demo.Compliance, s.Demo.Platform, s.Demo.Businesses[0].Token, s.APIURL + "/_local/faults", s.APIURL + "/_local/clock", s.APIURL + "/docs",
		"s3 ls s3://" + stack.DocumentsBucket + "/"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q", want)
		}
	}
}

func TestClockEndpointsMoveTheStackClock(t *testing.T) {
	s := startStack(t, false)
	if status, body := get(t, s.APIURL+"/_local/clock", ""); status != 200 || body["now"] != "2026-11-02T09:00:00Z" {
		t.Fatalf("GET clock: %d %v", status, body)
	}
	cases := []struct {
		body   string
		status int
		now    string
	}{
		{`{"advance":"72h"}`, 200, "2026-11-05T09:00:00Z"},
		{`{"advance":"2d"}`, 200, "2026-11-07T09:00:00Z"},
		{`{"advance":"-1h"}`, 422, ""},
		{`{"advance":"soon"}`, 422, ""},
		{`{"later":"1h"}`, 400, ""},
	}
	for _, tc := range cases {
		res, err := http.Post(s.APIURL+"/_local/clock", "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != tc.status || (tc.now != "" && body["now"] != tc.now) {
			t.Errorf("POST clock %s: %d %v, want %d %s", tc.body, res.StatusCode, body, tc.status, tc.now)
		}
	}
	if got := s.Clock.Now().Format(time.RFC3339); got != "2026-11-07T09:00:00Z" {
		t.Errorf("stack clock = %s", got)
	}
}

// TestAWSCLIReachesTheLocalTable runs the real AWS CLI against the local
// stack's AWS endpoint, as docs/local-stack.md promises.
func TestAWSCLIReachesTheLocalTable(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); .ci/run installs it")
	}
	s := startStack(t, true)
	cmd := exec.Command(aws, "--endpoint-url", s.AWSURL, "--region", "us-east-1", "--output", "json",
		"dynamodb", "scan", "--table-name", s.Table, "--select", "COUNT")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws dynamodb scan: %v\n%s", err, out)
	}
	var res struct{ Count int }
	if err := json.Unmarshal(out, &res); err != nil || res.Count < 12 {
		t.Errorf("aws dynamodb scan counted %d items (%v): %s", res.Count, err, out)
	}
	list := exec.Command(aws, "--endpoint-url", s.AWSURL, "--region", "us-east-1", "--output", "json", "dynamodb", "list-tables")
	list.Env = cmd.Env
	if out, err := list.CombinedOutput(); err != nil || !strings.Contains(string(out), s.Table) {
		t.Errorf("aws dynamodb list-tables: %v\n%s", err, out)
	}
}

func TestUnknownAWSServiceGetsAnAWSError(t *testing.T) {
	s := startStack(t, false)
	req, _ := http.NewRequest("POST", s.AWSURL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "Kinesis_20131202.ListStreams")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]string
	json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != 400 || body["__type"] != "UnknownOperationException" {
		t.Errorf("unknown service: %d %v", res.StatusCode, body)
	}
}

// TestStartRefusesABadDynamoDBEndpoint: an endpoint that is not an http(s)
// URL fails the start with the value named, before anything listens.
func TestStartRefusesABadDynamoDBEndpoint(t *testing.T) {
	for _, endpoint := range []string{"localhost:8000", "ftp://127.0.0.1:8000", "http://"} {
		s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", DynamoDBEndpoint: endpoint,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err == nil {
			s.Close()
			t.Errorf("DynamoDBEndpoint %q: started, want an error", endpoint)
			continue
		}
		if !strings.Contains(err.Error(), endpoint) {
			t.Errorf("DynamoDBEndpoint %q: error %q does not name it", endpoint, err)
		}
	}
}

// seededStack starts a stack with the demo data on the test's table (the
// embedded DynamoDB, or the one CANDOR_DYNAMODB names) at t0, its wall
// clock wall (nil: the system's), logging nowhere, closed when the test
// ends; table is the table's name.
func seededStack(t *testing.T, wall clock.Clock) (s *stack.Stack, table string) {
	t.Helper()
	endpoint, table := dynamotest.ForStack(t, "candor")
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		WallClock: wall, DynamoDBEndpoint: endpoint, TableName: table, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, table
}
