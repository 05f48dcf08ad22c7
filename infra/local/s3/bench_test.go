package s3_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/candorhq/candor/infra/local/s3"
	"github.com/candorhq/candor/shared/clock"
)

// BenchmarkBrowserPost measures one browser upload through the verifier
// (multipart parsing, signature, policy, size, storing in memory), without
// TCP: what the local stack adds to a reviewer's upload of a file of the
// given size.
func BenchmarkBrowserPost(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"100KB", 100 << 10}, {"10MB", 10 << 20}} {
		b.Run(size.name, func(b *testing.B) {
			svc, err := s3.New(s3.Config{Secrets: map[string]string{"test": "test"}, WallClock: clock.NewManual(time.Now()), Buckets: []string{bucket}})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(svc) // only to give the SDK an endpoint to presign for
			defer srv.Close()
			client := awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
				Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
			p, err := awss3.NewPresignClient(client).PresignPostObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")},
				func(o *awss3.PresignPostOptions) {
					o.Conditions = []any{[]any{"content-length-range", 1, 10 << 20}, []any{"eq", "$Content-Type", "application/pdf"}}
				})
			if err != nil {
				b.Fatal(err)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for k, v := range p.Values {
				mw.WriteField(k, v)
			}
			mw.WriteField("Content-Type", "application/pdf")
			fw, _ := mw.CreateFormFile("file", "f.pdf")
			fw.Write(pdf(size.n))
			mw.Close()
			raw, ctype := body.Bytes(), mw.FormDataContentType()
			b.SetBytes(int64(size.n))
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/"+bucket, bytes.NewReader(raw))
				req.Header.Set("Content-Type", ctype)
				rec := httptest.NewRecorder()
				svc.ServeHTTP(rec, req)
				if rec.Code != http.StatusNoContent {
					b.Fatalf("upload: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
