// Package awsconfig builds a Lambda function's aws.Config from the
// environment Lambda provides (region, the execution role's credentials),
// plus the variables of the SDK's own environment configuration an operator
// may set on a function: AWS_ENDPOINT_URL (LocalStack), AWS_MAX_ATTEMPTS and
// AWS_RETRY_MODE. It does without config.LoadDefaultConfig's credential
// chain (SSO, IMDS, shared files) that a function never uses: that chain
// costs about 1.8 MiB of binary and cold-start time.
package awsconfig

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// FromEnv returns the configuration read through getenv (os.Getenv in a main).
func FromEnv(getenv func(string) string) (aws.Config, error) {
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	key, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	var missing []string
	if region == "" {
		missing = append(missing, "AWS_REGION")
	}
	if key == "" {
		missing = append(missing, "AWS_ACCESS_KEY_ID")
	}
	if secret == "" {
		missing = append(missing, "AWS_SECRET_ACCESS_KEY")
	}
	if len(missing) > 0 {
		return aws.Config{}, errors.New("aws config: " + strings.Join(missing, ", ") + " not set (Lambda sets them)")
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(key, secret, getenv("AWS_SESSION_TOKEN"))),
	}
	if ep := getenv("AWS_ENDPOINT_URL"); ep != "" {
		cfg.BaseEndpoint = aws.String(ep)
	}
	if v := getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return aws.Config{}, fmt.Errorf("aws config: AWS_MAX_ATTEMPTS=%q is not a whole number of at least 1", v)
		}
		cfg.RetryMaxAttempts = n
	}
	if v := getenv("AWS_RETRY_MODE"); v != "" {
		mode, err := aws.ParseRetryMode(v)
		if err != nil {
			return aws.Config{}, fmt.Errorf("aws config: AWS_RETRY_MODE: %w", err)
		}
		cfg.RetryMode = mode
	}
	return cfg, nil
}
