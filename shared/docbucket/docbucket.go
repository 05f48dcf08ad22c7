// Package docbucket is the S3 adapter of the documents bucket for what
// happens after an upload: a presigned GET for compliance, and the marking
// of a report's objects for the bucket's lifecycle rule at the end of
// their retention. It implements app.DocumentObjects with the SDK's S3
// client; the endpoint is AWS's or the local stack's.
package docbucket

import (
	"context"
	"fmt"
	"mime"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
)

// Actions lists every S3 action the adapter performs, for the IAM policy
// checks of template.yaml: s3:GetObject is what a presigned GET is
// allowed by (the URL is signed with the function's role).
var Actions = []string{"s3:GetObject", "s3:ListBucket", "s3:PutObjectTagging"}

// The lifecycle tag: the bucket's rule deletes objects carrying it a day
// later (template.yaml, DocumentsBucket).
const (
	RetentionTagKey   = "candor-retention"
	RetentionTagValue = "expired"
)

// Bucket is the documents bucket. It is safe for concurrent use.
type Bucket struct {
	client func() *s3.Client // built by the first call that needs it
	name   string
}

var _ app.DocumentObjects = (*Bucket)(nil)

// New returns the bucket name through the S3 client build makes, called
// once, by the first call that needs it: most requests of a function that
// holds the bucket never touch a document, and building an SDK client
// costs every cold start page faults of its own.
func New(build func() *s3.Client, name string) *Bucket {
	return &Bucket{name: name, client: sync.OnceValue(build)}
}

// PresignGet is a GET URL of key valid for ttl that makes S3 answer with
// the delivery's Content-Type and, for an attachment, a
// Content-Disposition: attachment naming filename (ids only).
func (b *Bucket) PresignGet(ctx context.Context, key string, ttl time.Duration, d document.Delivery, filename string) (string, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key), ResponseContentType: aws.String(d.ContentType)}
	if d.Attachment {
		in.ResponseContentDisposition = aws.String(mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	}
	req, err := s3.NewPresignClient(b.client()).PresignGetObject(ctx, in, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("presign get of a document: %w", err)
	}
	return req.URL, nil
}

// ExpireObjects tags every object under prefix candor-retention=expired
// and says how many it tagged.
func (b *Bucket) ExpireObjects(ctx context.Context, prefix string) (int, error) {
	n := 0
	p := s3.NewListObjectsV2Paginator(b.client(), &s3.ListObjectsV2Input{Bucket: aws.String(b.name), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, fmt.Errorf("expire documents %s: %w", prefix, err)
		}
		for _, o := range page.Contents {
			if _, err := b.client().PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(b.name), Key: o.Key,
				Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String(RetentionTagKey), Value: aws.String(RetentionTagValue)}}}}); err != nil {
				return n, fmt.Errorf("expire documents %s: %w", prefix, err)
			}
			n++
		}
	}
	return n, nil
}
