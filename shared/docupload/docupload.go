// Package docupload is the S3 adapter of the documents bucket for a
// reviewer's upload: the presigned browser POST of one file, the reading
// of what arrived (size, first bytes, SHA-256) and the deletion of a
// refused or removed file. It implements app.DocumentBucket with the SDK's
// S3 client; the endpoint is AWS's or the local stack's.
package docupload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

// Actions lists every S3 action the adapter performs, for the IAM policy
// checks of template.yaml: s3:PutObject is what the presigned POST is
// allowed by (the form is signed with the function's role), HeadObject
// needs s3:GetObject.
var Actions = []string{"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}

// UploadExpiry is how long a signed upload form is accepted: long enough
// to find a file on a phone, short enough that a form left open is signed
// again.
const UploadExpiry = 10 * time.Minute

// UploadContentType is the Content-Type every upload is stored with, fixed
// by the policy: the type is detected from the bytes afterwards, and an
// object S3 would serve as opaque bytes is never rendered by a browser.
const UploadContentType = "application/octet-stream"

// Bucket is the documents bucket. It is safe for concurrent use.
type Bucket struct {
	client func() *s3.Client // built by the first call that needs it
	name   string
}

var _ app.DocumentBucket = (*Bucket)(nil)

// New returns the bucket name through the S3 client build makes, called
// once, by the first call that needs it: most requests of a function that
// holds the bucket never touch a document, and building an SDK client
// costs every cold start page faults of its own.
func New(build func() *s3.Client, name string) *Bucket {
	return &Bucket{name: name, client: sync.OnceValue(build)}
}

// PresignUpload signs a browser POST of one file to exactly key: the
// policy holds the bucket and key exactly (the SDK's own conditions), a
// content-length-range of 0 to document.MaxSize bytes (an empty file is let
// through to be refused by the page in the reviewer's language; a file over
// the limit is refused by the bucket itself), the Content-Type
// UploadContentType and the success_action_redirect, and expires after
// UploadExpiry.
func (b *Bucket) PresignUpload(ctx context.Context, key, redirect string) (app.UploadForm, error) {
	req, err := s3.NewPresignClient(b.client()).PresignPostObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)},
		func(o *s3.PresignPostOptions) {
			o.Expires = UploadExpiry
			o.Conditions = []any{
				[]any{"content-length-range", 0, document.MaxSize},
				map[string]string{"Content-Type": UploadContentType},
				map[string]string{"success_action_redirect": redirect},
			}
		})
	if err != nil {
		return app.UploadForm{}, fmt.Errorf("presign upload: %w", err)
	}
	fields := map[string]string{"Content-Type": UploadContentType, "success_action_redirect": redirect}
	for k, v := range req.Values {
		fields[k] = v
	}
	return app.UploadForm{URL: req.URL, Fields: fields}, nil
}

// Inspect reads the object at key: HeadObject for its size and, when the
// size passes document.CheckSize, one GetObject that keeps the first
// document.SniffLen bytes and hashes all of them (streamed: a 10 MB file
// is never held whole). moderation.ErrNotFound when there is none.
func (b *Bucket) Inspect(ctx context.Context, key string) (app.StoredObject, error) {
	head, err := b.client().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		return app.StoredObject{}, fmt.Errorf("inspect upload: %w", notFound(err))
	}
	o := app.StoredObject{Size: aws.ToInt64(head.ContentLength)}
	if document.CheckSize(o.Size) != nil {
		return o, nil
	}
	obj, err := b.client().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		return app.StoredObject{}, fmt.Errorf("inspect upload: %w", notFound(err))
	}
	defer obj.Body.Close()
	h := sha256.New()
	first := make([]byte, document.SniffLen)
	n, err := io.ReadFull(obj.Body, first)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return app.StoredObject{}, fmt.Errorf("inspect upload: %w", err)
	}
	h.Write(first[:n])
	rest, err := io.Copy(h, io.LimitReader(obj.Body, document.MaxSize))
	if err != nil {
		return app.StoredObject{}, fmt.Errorf("inspect upload: %w", err)
	}
	// The object read is the one measured: a size that changed meanwhile
	// counts as read.
	o.Size, o.Head, o.SHA256 = int64(n)+rest, slices.Clip(first[:n]), hex.EncodeToString(h.Sum(nil))
	return o, nil
}

// Delete deletes the object at key; S3 answers a missing key with success.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if _, err := b.client().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("delete upload: %w", err)
	}
	return nil
}

// notFound classifies S3's "no such key" (NotFound to a HEAD, NoSuchKey to
// a GET) as moderation.ErrNotFound.
func notFound(err error) error {
	var nf *types.NotFound
	var nsk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nsk) {
		return fmt.Errorf("%w: %w", moderation.ErrNotFound, err)
	}
	return err
}
