package edge_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/candorhq/candor/infra/local/edge"
)

func TestServiceIsToldApartAsLocalStackTellsIt(t *testing.T) {
	e := edge.New()
	e.Mount("dynamodb", "DynamoDB_20120810", http.NotFoundHandler())
	tests := []struct {
		name   string
		method string
		url    string
		header map[string]string
		want   string
	}{
		{"SigV4 header", "GET", "/candor-documents?list-type=2", map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc"}, "s3"},
		{"SES v1 signed as email", "POST", "/", map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/email/aws4_request, SignedHeaders=host, Signature=abc"}, "ses"},
		{"presigned GET", "GET", "/candor-documents/doc?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc", nil, "s3"},
		{"browser POST upload", "POST", "/candor-documents", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, "s3"},
		{"unsigned JSON target", "POST", "/", map[string]string{"X-Amz-Target": "DynamoDB_20120810.GetItem"}, "dynamodb"},
		{"an unsigned GET", "GET", "/candor-documents/doc", nil, ""},
		{"a multipart PUT is no browser upload", "PUT", "/candor-documents/doc", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.url, nil)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			if got := e.Service(r); got != tc.want {
				t.Errorf("Service = %q, want %q", got, tc.want)
			}
		})
	}
}
