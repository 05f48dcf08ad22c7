package s3_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestPresignedGetIsCheckedAsS3ChecksIt: the URL compliance will be sent
// to opens the document within its minute and not after, nor once any
// part of it is changed.
func TestPresignedGetIsCheckedAsS3ChecksIt(t *testing.T) {
	const key = "documents/rpt_1/doc_1"
	body := pdf(300)
	presignGet := func(f *fixture, c *awss3.Client) string {
		t.Helper()
		if c == nil {
			c = f.client
		}
		req, err := awss3.NewPresignClient(c).PresignGetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			ResponseContentDisposition: aws.String("attachment")}, awss3.WithPresignExpires(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return req.URL
	}
	tests := []struct {
		name     string
		url      func(f *fixture) string
		wantCode string // "" = the object
		wantMsg  string
	}{
		{"within its minute", func(f *fixture) string { return presignGet(f, nil) }, "", ""},
		{"after its minute", func(f *fixture) string {
			u := presignGet(f, nil)
			f.wall.Advance(time.Minute + time.Second)
			return u
		}, "AccessDenied", "Request has expired"},
		{"another key", func(f *fixture) string { return strings.Replace(presignGet(f, nil), "doc_1", "doc_2", 1) }, "SignatureDoesNotMatch", ""},
		{"a longer expiry written in", func(f *fixture) string { return setQuery(presignGet(f, nil), "X-Amz-Expires", "3600") }, "SignatureDoesNotMatch", ""},
		{"no attachment disposition", func(f *fixture) string { return setQuery(presignGet(f, nil), "response-content-disposition", "inline") }, "SignatureDoesNotMatch", ""},
		{"more than a week", func(f *fixture) string { return setQuery(presignGet(f, nil), "X-Amz-Expires", "604801") }, "AuthorizationQueryParametersError", "less than a week"},
		{"signed with another secret", func(f *fixture) string {
			other := awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.srv.URL), UsePathStyle: true,
				Credentials: credentials.NewStaticCredentialsProvider("test", "not-the-secret", "")})
			return presignGet(f, other)
		}, "SignatureDoesNotMatch", ""},
		{"an unknown key id", func(f *fixture) string {
			other := awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.srv.URL), UsePathStyle: true,
				Credentials: credentials.NewStaticCredentialsProvider("AKIAFORGED", "test", "")})
			return presignGet(f, other)
		}, "InvalidAccessKeyId", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			if _, err := f.client.PutObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
				t.Fatal(err)
			}
			res, err := http.Get(tc.url(f))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			got, _ := io.ReadAll(res.Body)
			if tc.wantCode == "" {
				if res.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
					t.Fatalf("GET = %d with %d bytes, want 200 with the %d stored", res.StatusCode, len(got), len(body))
				}
				if cd := res.Header.Get("Content-Disposition"); cd != "attachment" {
					t.Errorf("Content-Disposition = %q, want the signed attachment", cd)
				}
				return
			}
			var e s3ErrorBody
			if err := xml.Unmarshal(got, &e); err != nil || e.Code != tc.wantCode || !strings.Contains(e.Message, tc.wantMsg) {
				t.Errorf("GET = %d %s %q (%v), want %s containing %q", res.StatusCode, e.Code, e.Message, err, tc.wantCode, tc.wantMsg)
			}
			if bytes.Contains(got, body[:8]) {
				t.Error("a refused GET returned the document's bytes")
			}
		})
	}
}

func TestPresignedPutWorksAndIsChecked(t *testing.T) {
	f := newFixture(t, "")
	req, err := awss3.NewPresignClient(f.client).PresignPutObject(context.Background(), &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"),
		ContentType: aws.String("application/pdf")}, awss3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	put := func(u string) int {
		r, _ := http.NewRequest(http.MethodPut, u, strings.NewReader("%PDF-1.7"))
		for k, v := range req.SignedHeader {
			r.Header[k] = v
		}
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := put(strings.Replace(req.URL, "/k?", "/other?", 1)); got != http.StatusForbidden {
		t.Errorf("PUT to another key = %d, want 403", got)
	}
	if got := put(req.URL); got != http.StatusOK {
		t.Fatalf("presigned PUT = %d, want 200", got)
	}
	if keys := f.keys(t); len(keys) != 1 || keys[0] != "k" {
		t.Errorf("objects = %v, want only k", keys)
	}
}

func setQuery(raw, name, value string) string {
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}
