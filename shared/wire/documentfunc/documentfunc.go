// Package documentfunc builds the document-tasks function and the
// documents bucket adapter the api function presigns with.
package documentfunc

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/docbucket"
	"github.com/candorhq/candor/shared/documenttasks"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// Bucket is the documents bucket named name through the SDK's S3 client,
// built by the bucket's first call (S3Client).
func Bucket(cfg aws.Config, name string) *docbucket.Bucket {
	return docbucket.New(S3Client(cfg), name)
}

// S3Client builds the SDK's S3 client of cfg when called: path-style
// addressing when cfg names an endpoint of its own (the local stack's one
// AWS endpoint serves every bucket under its path), AWS's virtual-hosted
// style otherwise.
func S3Client(cfg aws.Config) func() *s3.Client {
	return func() *s3.Client {
		return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
	}
}

// New builds the document-tasks function's handler. Environment:
// TABLE_NAME, DOCUMENTS_BUCKET (required), DOCUMENT_RETENTION_SECONDS
// (default moderation.DefaultPolicy's).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*documenttasks.Handler, error) {
	table := env.Required("TABLE_NAME")
	bucket := env.Required("DOCUMENTS_BUCKET")
	retention := env.Seconds("DOCUMENT_RETENTION_SECONDS", moderation.DefaultPolicy.DocumentRetention)
	if err := env.Err(); err != nil {
		return nil, err
	}
	docs := app.NewDocuments(app.DocumentsConfig{
		Store:   store.New(dynamodb.NewFromConfig(cfg), table),
		Objects: Bucket(cfg, bucket),
		Clock:   c,
		Policy:  moderation.Policy{DocumentRetention: retention},
		Logger:  log,
	})
	return documenttasks.New(docs, bucket, log), nil
}
