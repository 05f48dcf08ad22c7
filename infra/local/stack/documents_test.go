package stack_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/stack"
)

// s3Client is the SDK's S3 client on a stack's AWS endpoint, path-style as
// a local endpoint needs.
func s3Client(s *stack.Stack) *awss3.Client {
	return awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.AWSURL), UsePathStyle: true, Credentials: stack.AWSCredentials})
}

// TestBrowserUploadThroughTheAWSEndpoint: a form presigned by the SDK with
// the stack's credentials is posted to the one AWS endpoint, lands in the
// documents bucket and redirects; the same form after its expiry on the
// wall clock is refused.
func TestBrowserUploadThroughTheAWSEndpoint(t *testing.T) {
	s := startStack(t, false)
	client := s3Client(s)
	ctx := context.Background()
	presign := func(key string) *awss3.PresignedPostRequest {
		p, err := awss3.NewPresignClient(client).PresignPostObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String(key)},
			func(o *awss3.PresignPostOptions) {
				o.Expires = 5 * time.Minute
				o.Conditions = []any{[]any{"content-length-range", 1, 10 << 20}, map[string]string{"success_action_redirect": s.APIURL + "/"}}
			})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	postForm := func(p *awss3.PresignedPostRequest, file []byte) *http.Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range p.Values {
			mw.WriteField(k, v)
		}
		mw.WriteField("success_action_redirect", s.APIURL+"/")
		fw, _ := mw.CreateFormFile("file", "receipt.pdf")
		fw.Write(file)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, p.URL, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}

	if res := postForm(presign("documents/a"), []byte("%PDF-1.7 receipt")); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), s.APIURL+"/?") {
		t.Fatalf("upload: %d to %q, want 303 back to the page", res.StatusCode, res.Header.Get("Location"))
	}
	obj, err := client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String("documents/a")})
	if err != nil {
		t.Fatalf("get the upload: %v", err)
	}
	if got, _ := io.ReadAll(obj.Body); string(got) != "%PDF-1.7 receipt" {
		t.Errorf("stored %q", got)
	}

	// A presigned GET (what compliance will be sent to) is routed to S3 too.
	get, err := awss3.NewPresignClient(client).PresignGetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String("documents/a")},
		awss3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(got) != "%PDF-1.7 receipt" {
		t.Errorf("presigned GET: %d %q", res.StatusCode, got)
	}
}

// TestAWSCLIListsTheDocumentsBucketAndDataDirKeepsObjects runs the real AWS
// CLI against the AWS endpoint, as docs/local-stack.md promises, and sees
// an object copied in survive a restart with -data.
func TestAWSCLIListsTheDocumentsBucketAndDataDirKeepsObjects(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); .ci/run installs it")
	}
	dir := filepath.Join(t.TempDir(), "data")
	run := func(s *stack.Stack, args ...string) string {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", s.AWSURL, "--region", "us-east-1"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	file := filepath.Join(t.TempDir(), "receipt.pdf")
	os.WriteFile(file, []byte("%PDF-1.7 receipt"), 0o600)

	first := startWithData(t, dir)
	if out := run(first, "s3", "ls"); !strings.Contains(out, stack.DocumentsBucket) {
		t.Errorf("aws s3 ls = %q, want the documents bucket", out)
	}
	run(first, "s3", "cp", file, "s3://"+stack.DocumentsBucket+"/documents/receipt.pdf")
	first.Close()

	second := startWithData(t, dir)
	defer second.Close()
	if out := run(second, "s3", "ls", "s3://"+stack.DocumentsBucket+"/documents/"); !strings.Contains(out, "receipt.pdf") {
		t.Errorf("after a restart, aws s3 ls = %q, want receipt.pdf kept", out)
	}
}

// TestS3FaultsReachTheSDKAsS3Errors: a fault rule on S3 is an S3 error to
// the SDK — NoSuchKey its typed error, SlowDown a throttle it retries.
func TestS3FaultsReachTheSDKAsS3Errors(t *testing.T) {
	s := startStack(t, false)
	ctx := context.Background()
	noWait := retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
	client := awss3.New(awss3.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.AWSURL), UsePathStyle: true, Credentials: stack.AWSCredentials, Retryer: noWait})
	if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String("k"), Body: strings.NewReader("%PDF-1.7")}); err != nil {
		t.Fatal(err)
	}
	get := func() error {
		_, err := client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String("k")})
		return err
	}
	if _, err := s.Faults.Add(edge.FaultRule{Service: edge.ServiceS3, Operation: "GetObject", Error: "NoSuchKey", Count: 1}); err != nil {
		t.Fatal(err)
	}
	var nsk *s3types.NoSuchKey
	if err := get(); !errors.As(err, &nsk) {
		t.Errorf("GetObject under a NoSuchKey rule: %v, want *types.NoSuchKey", err)
	}
	if _, err := s.Faults.Add(edge.FaultRule{Service: edge.ServiceS3, Operation: "GetObject", Error: "SlowDown", Count: 2}); err != nil {
		t.Fatal(err)
	}
	if err := get(); err != nil {
		t.Errorf("GetObject after two SlowDowns: %v, want the SDK's third attempt to succeed", err)
	}
	if got := s.Faults.Report(); got.Injected != 3 {
		t.Errorf("faults injected = %d, want 3", got.Injected)
	}
}
