package awsconfig

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func TestFromEnv(t *testing.T) {
	base := map[string]string{"AWS_REGION": "eu-north-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		check   func(t *testing.T, cfg aws.Config)
		wantErr string
	}{
		{name: "lambda's environment", env: with("AWS_SESSION_TOKEN", "tok", "AWS_ENDPOINT_URL", "http://localhost:4566"),
			check: func(t *testing.T, cfg aws.Config) {
				creds, err := cfg.Credentials.Retrieve(context.Background())
				if err != nil || creds.AccessKeyID != "AKID" || creds.SecretAccessKey != "secret" || creds.SessionToken != "tok" {
					t.Errorf("credentials = %+v, %v", creds, err)
				}
				if cfg.Region != "eu-north-1" || aws.ToString(cfg.BaseEndpoint) != "http://localhost:4566" {
					t.Errorf("region %q, endpoint %q", cfg.Region, aws.ToString(cfg.BaseEndpoint))
				}
				if cfg.RetryMaxAttempts != 0 || cfg.RetryMode != "" {
					t.Errorf("retries = %d %q, want the SDK's defaults", cfg.RetryMaxAttempts, cfg.RetryMode)
				}
			}},
		{name: "default region", env: map[string]string{"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"},
			check: func(t *testing.T, cfg aws.Config) {
				if cfg.Region != "eu-west-1" {
					t.Errorf("region %q, want eu-west-1", cfg.Region)
				}
			}},
		{name: "retries", env: with("AWS_MAX_ATTEMPTS", "5", "AWS_RETRY_MODE", "adaptive"),
			check: func(t *testing.T, cfg aws.Config) {
				if cfg.RetryMaxAttempts != 5 || cfg.RetryMode != aws.RetryModeAdaptive {
					t.Errorf("retries = %d %q, want 5 adaptive", cfg.RetryMaxAttempts, cfg.RetryMode)
				}
			}},
		{name: "nothing set", env: map[string]string{}, wantErr: "AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set"},
		{name: "attempts not a number", env: with("AWS_MAX_ATTEMPTS", "three"), wantErr: `AWS_MAX_ATTEMPTS="three"`},
		{name: "no attempts", env: with("AWS_MAX_ATTEMPTS", "0"), wantErr: `AWS_MAX_ATTEMPTS="0"`},
		{name: "unknown retry mode", env: with("AWS_RETRY_MODE", "eager"), wantErr: "AWS_RETRY_MODE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := FromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("FromEnv error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			tt.check(t, cfg)
		})
	}
}

// TestMaxAttemptsReachesTheClients counts the requests a DynamoDB client
// built from the configuration sends to an endpoint that always answers
// 500: the SDK's three attempts by default, one with AWS_MAX_ATTEMPTS=1.
func TestMaxAttemptsReachesTheClients(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}`))
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		attempts string
		want     int32
	}{{"", 3}, {"1", 1}, {"2", 2}} {
		t.Run("AWS_MAX_ATTEMPTS="+tt.attempts, func(t *testing.T) {
			env := map[string]string{"AWS_REGION": "eu-north-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
				"AWS_ENDPOINT_URL": srv.URL, "AWS_MAX_ATTEMPTS": tt.attempts}
			cfg, err := FromEnv(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			calls.Store(0)
			// No backoff: the test counts attempts, it does not wait for them.
			client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
				o.Retryer = noBackoff{o.Retryer}
			})
			if _, err := client.ListTables(context.Background(), &dynamodb.ListTablesInput{}); err == nil {
				t.Fatal("ListTables succeeded against an endpoint that always fails")
			}
			if got := calls.Load(); got != tt.want {
				t.Errorf("requests sent = %d, want %d", got, tt.want)
			}
		})
	}
}

// noBackoff is a retryer that retries at once.
type noBackoff struct{ aws.Retryer }

func (noBackoff) RetryDelay(int, error) (time.Duration, error) { return 0, nil }
