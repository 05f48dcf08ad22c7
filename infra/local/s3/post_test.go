package s3_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/infra/local/s3"
	"github.com/candorhq/candor/shared/clock"
)

const (
	bucket     = "candor-documents"
	maxSize    = 10 << 20
	redirectTo = "http://127.0.0.1:3000/r/proof?lang=de"
)

type fixture struct {
	srv    *httptest.Server
	wall   *clock.Manual
	client *awss3.Client
}

func newFixture(t *testing.T, dataDir string) *fixture {
	t.Helper()
	// The SDK signs with the real time: the stand-in's wall clock starts
	// there and the tests move it on.
	wall := clock.NewManual(time.Now())
	svc, err := s3.New(s3.Config{Secrets: map[string]string{"test": "test"}, WallClock: wall, DataDir: dataDir, Buckets: []string{bucket}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	client := awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	return &fixture{srv: srv, wall: wall, client: client}
}

// presign makes the form the upload page would: one exact key, a PDF, at
// most 10 MB, at least 1 byte, back to the page on success.
func (f *fixture) presign(t *testing.T, key string) *awss3.PresignedPostRequest {
	t.Helper()
	req, err := awss3.NewPresignClient(f.client).PresignPostObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *awss3.PresignPostOptions) {
			o.Expires = 5 * time.Minute
			o.Conditions = []any{
				[]any{"content-length-range", 1, maxSize},
				[]any{"eq", "$Content-Type", "application/pdf"},
				map[string]string{"success_action_redirect": redirectTo},
			}
		})
	if err != nil {
		t.Fatalf("presign post: %v", err)
	}
	return req
}

// upload is a browser's POST of the form: its fields, then the file.
type upload struct {
	url    string
	fields map[string]string
	file   []byte
	extra  [][2]string // fields added after the signed ones, before the file
}

func formOf(p *awss3.PresignedPostRequest, file []byte) *upload {
	u := &upload{url: p.URL, fields: map[string]string{"Content-Type": "application/pdf", "success_action_redirect": redirectTo}, file: file}
	for k, v := range p.Values {
		u.fields[k] = v
	}
	return u
}

func (u *upload) post(t *testing.T) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range u.fields {
		mw.WriteField(k, v)
	}
	for _, kv := range u.extra {
		mw.WriteField(kv[0], kv[1])
	}
	fw, _ := mw.CreateFormFile("file", "beleg.pdf")
	fw.Write(u.file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u.url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("post form: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func pdf(n int) []byte {
	b := bytes.Repeat([]byte("x"), n)
	copy(b, "%PDF-1.7\n")
	return b
}

func (f *fixture) keys(t *testing.T) []string {
	t.Helper()
	out, err := f.client.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("list objects: %v", err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, *o.Key)
	}
	return keys
}

func TestBrowserPostLandsAndRedirectsBackAsS3Does(t *testing.T) {
	f := newFixture(t, "")
	key := "documents/rep-1/ans-1/doc-1"
	p := f.presign(t, key)
	if want := f.srv.URL + "/" + bucket; p.URL != want {
		t.Fatalf("presigned URL = %q, want the bucket's path-style URL %q", p.URL, want)
	}
	file := pdf(4096)
	resp := formOf(p, file).post(t)
	if resp.StatusCode != http.StatusSeeOther {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status = %d, want 303; body %s", resp.StatusCode, b)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != "http://127.0.0.1:3000/r/proof" || q.Get("lang") != "de" {
		t.Errorf("redirect = %s, want the page with its own query kept", loc)
	}
	if q.Get("bucket") != bucket || q.Get("key") != key || q.Get("etag") == "" || q.Get("etag") != resp.Header.Get("ETag") {
		t.Errorf("redirect query = %v, want bucket, key and the ETag %s", q, resp.Header.Get("ETag"))
	}

	obj, err := f.client.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get the uploaded object: %v", err)
	}
	got, _ := io.ReadAll(obj.Body)
	if !bytes.Equal(got, file) {
		t.Errorf("stored %d bytes, want the %d uploaded", len(got), len(file))
	}
	if aws.ToString(obj.ContentType) != "application/pdf" {
		t.Errorf("content type = %q, want the form's application/pdf", aws.ToString(obj.ContentType))
	}
	if aws.ToString(obj.ETag) != q.Get("etag") {
		t.Errorf("object ETag %s, redirect said %s", aws.ToString(obj.ETag), q.Get("etag"))
	}
}

func TestBrowserPostStatusWithoutRedirect(t *testing.T) {
	for _, tc := range []struct {
		status string
		want   int
	}{{"", http.StatusNoContent}, {"200", http.StatusOK}, {"201", http.StatusCreated}, {"302", http.StatusNoContent}} {
		t.Run("status="+tc.status, func(t *testing.T) {
			f := newFixture(t, "")
			conds := []any{map[string]string{"success_action_status": tc.status}}
			if tc.status == "" {
				conds = nil
			}
			p, err := awss3.NewPresignClient(f.client).PresignPostObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")},
				func(o *awss3.PresignPostOptions) { o.Conditions = conds })
			if err != nil {
				t.Fatal(err)
			}
			u := &upload{url: p.URL, fields: p.Values, file: []byte("hello")}
			if tc.status != "" {
				u.extra = [][2]string{{"success_action_status", tc.status}}
			}
			resp := u.post(t)
			if resp.StatusCode != tc.want {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tc.want, b)
			}
			if tc.want == http.StatusCreated {
				var pr struct {
					Bucket, Key, ETag string
				}
				if err := xml.NewDecoder(resp.Body).Decode(&pr); err != nil || pr.Bucket != bucket || pr.Key != "k" || pr.ETag == "" {
					t.Errorf("201 body = %+v (%v), want a PostResponse naming the object", pr, err)
				}
			}
			if got := f.keys(t); len(got) != 1 {
				t.Errorf("objects = %v, want the upload", got)
			}
		})
	}
}

// s3ErrorBody is S3's XML error document.
type s3ErrorBody struct {
	Code, Message                                string
	ProposedSize, MaxSizeAllowed, MinSizeAllowed string
}

func TestBrowserPostRefusesWhatS3RefusesAndStoresNothing(t *testing.T) {
	const key = "documents/rep-1/ans-1/doc-1"
	tests := []struct {
		name       string
		change     func(f *fixture, u *upload)
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"expired policy", func(f *fixture, u *upload) { f.wall.Advance(5*time.Minute + time.Second) },
			403, "AccessDenied", "Invalid according to Policy: Policy expired."},
		{"a key other than the one signed", func(f *fixture, u *upload) { u.fields["key"] = "documents/rep-1/ans-1/other" },
			403, "AccessDenied", `Policy Condition failed: {"key":"documents/rep-1/ans-1/doc-1"}`},
		{"too large", func(f *fixture, u *upload) { u.file = pdf(maxSize + 1) },
			400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"},
		{"empty file", func(f *fixture, u *upload) { u.file = nil },
			400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"},
		{"another content type", func(f *fixture, u *upload) { u.fields["Content-Type"] = "text/html" },
			403, "AccessDenied", `Policy Condition failed: ["eq","$Content-Type","application/pdf"]`},
		{"no content type", func(f *fixture, u *upload) { delete(u.fields, "Content-Type") },
			403, "AccessDenied", `Policy Condition failed: ["eq","$Content-Type","application/pdf"]`},
		{"forged signature", func(f *fixture, u *upload) { u.fields["X-Amz-Signature"] = flip(u.fields["X-Amz-Signature"]) },
			403, "SignatureDoesNotMatch", "The request signature we calculated does not match"},
		{"policy widened after signing", func(f *fixture, u *upload) {
			raw, _ := base64.StdEncoding.DecodeString(u.fields["policy"])
			u.fields["policy"] = base64.StdEncoding.EncodeToString(bytes.Replace(raw, []byte(`10485760`), []byte(`99999999`), 1))
			u.file = pdf(maxSize + 1)
		}, 403, "SignatureDoesNotMatch", "does not match"},
		{"signed with another secret", func(f *fixture, u *upload) {
			scope := strings.SplitN(u.fields["X-Amz-Credential"], "/", 3)
			u.fields["X-Amz-Signature"] = s3.PolicySignature("not-the-secret", scope[1], "us-east-1", u.fields["policy"])
		}, 403, "SignatureDoesNotMatch", "does not match"},
		{"unknown access key", func(f *fixture, u *upload) {
			u.fields["X-Amz-Credential"] = strings.Replace(u.fields["X-Amz-Credential"], "test/", "AKIAFORGED/", 1)
		}, 403, "InvalidAccessKeyId", "does not exist in our records"},
		{"a field the policy does not name", func(f *fixture, u *upload) { u.extra = [][2]string{{"x-amz-meta-note", "hi"}} },
			403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-note"},
		{"another redirect", func(f *fixture, u *upload) { u.fields["success_action_redirect"] = "https://evil.example/" },
			403, "AccessDenied", "Policy Condition failed"},
		{"no policy", func(f *fixture, u *upload) { delete(u.fields, "policy") },
			403, "AccessDenied", "Access Denied"},
		{"no key", func(f *fixture, u *upload) { delete(u.fields, "key") },
			400, "InvalidArgument", "Bucket POST must contain a field named 'key'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			u := formOf(f.presign(t, key), pdf(2048))
			tc.change(f, u)
			resp := u.post(t)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			var e s3ErrorBody
			if err := xml.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatalf("body is not S3's XML error: %v", err)
			}
			if e.Code != tc.wantCode || !strings.Contains(e.Message, tc.wantMsg) {
				t.Errorf("error = %s %q, want %s containing %q", e.Code, e.Message, tc.wantCode, tc.wantMsg)
			}
			if got := f.keys(t); len(got) != 0 {
				t.Errorf("objects after a refused upload = %v, want none", got)
			}
		})
	}
}

func TestEntityTooLargeAndTooSmallNameTheSizes(t *testing.T) {
	f := newFixture(t, "")
	u := formOf(f.presign(t, "k"), pdf(maxSize+10))
	var e s3ErrorBody
	xml.NewDecoder(u.post(t).Body).Decode(&e)
	if e.ProposedSize != "10485770" || e.MaxSizeAllowed != "10485760" {
		t.Errorf("EntityTooLarge sizes = proposed %q max %q, want 10485770 and 10485760", e.ProposedSize, e.MaxSizeAllowed)
	}
	u = formOf(f.presign(t, "k"), nil)
	e = s3ErrorBody{}
	xml.NewDecoder(u.post(t).Body).Decode(&e)
	if e.ProposedSize != "0" || e.MinSizeAllowed != "1" {
		t.Errorf("EntityTooSmall sizes = proposed %q min %q, want 0 and 1", e.ProposedSize, e.MinSizeAllowed)
	}
}

func TestDataDirKeepsObjects(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, dir)
	if _, err := f.client.PutObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.pdf"),
		Body: bytes.NewReader(pdf(100)), ContentType: aws.String("application/pdf")}); err != nil {
		t.Fatalf("put object: %v", err)
	}
	f.srv.Close()

	again := newFixture(t, dir)
	obj, err := again.client.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.pdf")})
	if err != nil {
		t.Fatalf("get the object after a restart: %v", err)
	}
	got, _ := io.ReadAll(obj.Body)
	if !bytes.Equal(got, pdf(100)) || aws.ToString(obj.ContentType) != "application/pdf" {
		t.Errorf("after a restart: %d bytes of %q, want the 100 bytes of application/pdf put", len(got), aws.ToString(obj.ContentType))
	}
}

func TestUnknownObjectIsNoSuchKey(t *testing.T) {
	f := newFixture(t, "")
	_, err := f.client.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchKey" {
		t.Errorf("get a missing object: %v, want NoSuchKey", err)
	}
}

func flip(sig string) string {
	b := []byte(sig)
	if b[0] == 'a' {
		b[0] = 'b'
	} else {
		b[0] = 'a'
	}
	return string(b)
}
