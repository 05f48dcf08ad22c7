package stack

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/candorhq/candor/infra/local/s3"
)

// DocumentsBucket is the local stack's private bucket for reviewers'
// documents, created at start (template.yaml's DocumentsBucket).
const DocumentsBucket = "candor-documents"

// documentStore is the S3 stand-in of a stack: browser POST forms must be
// signed with the stack's credentials and unexpired on the wall clock (the
// real time the SDK presigns with); objects are stamped with the stack's
// clock and, with a DataDir, kept in its s3 directory as they arrive.
func documentStore(ctx context.Context, cfg Config, s *Stack) (*s3.Service, error) {
	creds, err := AWSCredentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3: credentials: %w", err)
	}
	dir := ""
	if cfg.DataDir != "" {
		dir = filepath.Join(cfg.DataDir, "s3")
	}
	svc, err := s3.New(s3.Config{
		Secrets:   map[string]string{creds.AccessKeyID: creds.SecretAccessKey},
		Region:    cfg.Region,
		WallClock: cfg.WallClock,
		Clock:     s.Clock,
		DataDir:   dir,
		Buckets:   []string{DocumentsBucket},
		// GuardDuty's stand-in follows every object that lands.
		ObjectCreated: s.scanObject,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	return svc, nil
}
