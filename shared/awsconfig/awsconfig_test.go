package awsconfig

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestFromEnv(t *testing.T) {
	env := map[string]string{"AWS_REGION": "eu-north-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_SESSION_TOKEN": "tok", "AWS_ENDPOINT_URL": "http://localhost:4566"}
	cfg, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKID" || creds.SessionToken != "tok" || cfg.Region != "eu-north-1" || aws.ToString(cfg.BaseEndpoint) != "http://localhost:4566" {
		t.Errorf("config = %+v, creds %+v, %v", cfg, creds, err)
	}
	_, err = FromEnv(func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY") {
		t.Errorf("empty environment: %v", err)
	}
}
