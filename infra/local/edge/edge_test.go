package edge

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestServiceIsToldApartAsLocalStackTellsIt(t *testing.T) {
	e := New()
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

func TestS3OperationsAreNamedAsTheS3APINamesThem(t *testing.T) {
	tests := []struct {
		method, url, ctype, copySource string
		want                           string
	}{
		{"GET", "/", "", "", "ListBuckets"},
		{"GET", "/b?list-type=2&prefix=documents%2F", "", "", "ListObjectsV2"},
		{"GET", "/b", "", "", "ListObjects"},
		{"GET", "/b?location", "", "", "GetBucketLocation"},
		{"HEAD", "/b", "", "", "HeadBucket"},
		{"PUT", "/b", "", "", "CreateBucket"},
		{"POST", "/b?delete", "application/xml", "", "DeleteObjects"},
		{"POST", "/b", "multipart/form-data; boundary=x", "", "PostObject"},
		{"GET", "/b/documents/rpt_1/doc_1?x-id=GetObject&X-Amz-Signature=0", "", "", "GetObject"},
		{"HEAD", "/b/k", "", "", "HeadObject"},
		{"PUT", "/b/k", "application/pdf", "", "PutObject"},
		{"PUT", "/b/k", "", "/b/other", "CopyObject"},
		{"PUT", "/b/k?tagging", "application/xml", "", "PutObjectTagging"},
		{"GET", "/b/k?tagging", "", "", "GetObjectTagging"},
		{"DELETE", "/b/k", "", "", "DeleteObject"},
		{"POST", "/b/k?uploads", "", "", "CreateMultipartUpload"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", "", "", "UploadPart"},
		{"POST", "/b/k?uploadId=u", "application/xml", "", "CompleteMultipartUpload"},
		{"DELETE", "/b/k?uploadId=u", "", "", "AbortMultipartUpload"},
		{"PATCH", "/b/k", "", "", "?"},
	}
	for _, tc := range tests {
		r := httptest.NewRequest(tc.method, tc.url, nil)
		if tc.ctype != "" {
			r.Header.Set("Content-Type", tc.ctype)
		}
		if tc.copySource != "" {
			r.Header.Set("X-Amz-Copy-Source", tc.copySource)
		}
		if got := s3Operation(r); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.method, tc.url, got, tc.want)
		}
		if got := s3Operation(r); got != "?" && !operations()[ServiceS3][got] {
			t.Errorf("%s is no operation of the S3 client: a fault rule could not name it", got)
		}
	}
}

// TestS3FaultsAnswerS3sXMLError: a rule for S3 fails the calls it names,
// a browser form included, in S3's REST XML error, before the stand-in
// sees them; the calls after it pass.
func TestS3FaultsAnswerS3sXMLError(t *testing.T) {
	e := New()
	s3 := &countingHandler{}
	e.Mount(ServiceS3, "", s3)
	srv := httptest.NewServer(e)
	defer srv.Close()
	mustAdd(t, e.Faults(), FaultRule{Service: ServiceS3, Operation: "GetObject", Error: "SlowDown", Count: 1})
	mustAdd(t, e.Faults(), FaultRule{Service: ServiceS3, Operation: "PostObject", Error: "InternalError", Message: "try <later>", Count: 1})
	get := func() *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/b/k", nil)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := get()
	var x struct {
		XMLName           xml.Name `xml:"Error"`
		Code, Message, ID string
		RequestID         string `xml:"RequestId"`
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := xml.Unmarshal(body, &x); err != nil || res.StatusCode != 503 || x.Code != "SlowDown" || x.Message == "" || x.RequestID == "" ||
		res.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("GetObject under SlowDown: %d %v %s (%v)", res.StatusCode, res.Header, body, err)
	}
	if res := get(); res.StatusCode != 200 {
		t.Errorf("the call after the rule's count: %d, want the stand-in's 200", res.StatusCode)
	}

	post, _ := http.NewRequest("POST", srv.URL+"/b", strings.NewReader("--x--\r\n"))
	post.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	res, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 500 || !strings.Contains(string(body), "<Code>InternalError</Code>") || !strings.Contains(string(body), "try &lt;later&gt;") {
		t.Errorf("PostObject under InternalError: %d %s", res.StatusCode, body)
	}
	if n := s3.n.Load(); n != 1 {
		t.Errorf("the stand-in saw %d calls, want only the one after the rules", n)
	}
}
