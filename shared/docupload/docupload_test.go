package docupload_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/candorhq/candor/infra/local/s3"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/docupload"
	"github.com/candorhq/candor/shared/moderation"
)

// The adapter runs against the local S3 stand-in, which checks a browser
// POST's policy and signature as S3 does.

const bucketName = "candor-documents"

func newBucket(t *testing.T) (*docupload.Bucket, *clock.Manual) {
	t.Helper()
	wall := clock.NewManual(time.Now())
	svc, err := s3.New(s3.Config{Secrets: map[string]string{"AKIDLOCAL": "secret"}, Region: "eu-north-1", WallClock: wall, Buckets: []string{bucketName}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	client := awss3.New(awss3.Options{Region: "eu-north-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", "")})
	return docupload.New(func() *awss3.Client { return client }, bucketName), wall
}

// post sends form with file as a browser does (the fields, then the
// file) and returns the status and the redirect.
func post(t *testing.T, form app.UploadForm, override map[string]string, file []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range form.Fields {
		if o, ok := override[k]; ok {
			v = o
		}
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "Jane_Doe_invoice.pdf")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, form.URL, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// TestAnUploadArrivesAndIsRead: a signed form posts a file to its key and
// comes back to the page with the key; Inspect reads its size, first
// bytes and digest; Delete removes it.
func TestAnUploadArrivesAndIsRead(t *testing.T) {
	b, _ := newBucket(t)
	ctx := context.Background()
	key := "documents/rpt_1/doc_1"
	form, err := b.PresignUpload(ctx, key, "https://reviews.example/r/tok")
	if err != nil {
		t.Fatal(err)
	}
	if form.Fields["key"] != key || form.Fields["Content-Type"] != docupload.UploadContentType {
		t.Fatalf("form fields %v, want the exact key and the fixed type", form.Fields)
	}
	file := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 3000)...)
	status, loc := post(t, form, nil, file)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "https://reviews.example/r/tok?") || !strings.Contains(loc, "key=documents%2Frpt_1%2Fdoc_1") {
		t.Fatalf("upload: %d to %q, want 303 back to the page with the key", status, loc)
	}
	o, err := b.Inspect(ctx, key)
	sum := sha256.Sum256(file)
	if err != nil || o.Size != int64(len(file)) || len(o.Head) != document.SniffLen || o.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("inspect = size %d, %d first bytes, %s, %v; want %d, %d, the file's digest", o.Size, len(o.Head), o.SHA256, err, len(file), document.SniffLen)
	}
	if typ, err := document.Detect(o.Head); typ != document.PDF || err != nil {
		t.Errorf("detected %q, %v", typ, err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Inspect(ctx, key); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("inspect after delete = %v, want not found", err)
	}
}

// TestTheBucketRefusesWhatTheFormDoesNotAllow: another key, an expired
// form and a file over 10 MB are refused by the bucket itself, and
// nothing is stored.
func TestTheBucketRefusesWhatTheFormDoesNotAllow(t *testing.T) {
	b, wall := newBucket(t)
	ctx := context.Background()
	key := "documents/rpt_1/doc_1"
	form, err := b.PresignUpload(ctx, key, "https://reviews.example/r/tok")
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, form, map[string]string{"key": "documents/rpt_2/doc_9"}, []byte("%PDF-1.7")); status != http.StatusForbidden {
		t.Errorf("another key: %d, want 403", status)
	}
	if status, _ := post(t, form, nil, make([]byte, document.MaxSize+1)); status != http.StatusBadRequest {
		t.Errorf("over 10 MB: %d, want 400", status)
	}
	wall.Advance(docupload.UploadExpiry + time.Second)
	if status, _ := post(t, form, nil, []byte("%PDF-1.7")); status != http.StatusForbidden {
		t.Errorf("expired: %d, want 403", status)
	}
	for _, k := range []string{key, "documents/rpt_2/doc_9"} {
		if _, err := b.Inspect(ctx, k); !errors.Is(err, moderation.ErrNotFound) {
			t.Errorf("%s: %v, want nothing stored", k, err)
		}
	}
}
