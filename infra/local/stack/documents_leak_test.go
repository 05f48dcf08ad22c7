package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/store"
)

// syncBuffer is a log sink the stack's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestNoDocumentNameOrContentLeaks: a document named after its reviewer
// goes up through the browser form, is scanned, opened by compliance, and
// deleted at the end of its retention, with every function logging at
// debug; neither its name nor its content is in any log line or any
// state machine's execution history.
func TestNoDocumentNameOrContentLeaks(t *testing.T) {
	const name, secret = "Jane_Doe_invoice.pdf", "Jane Doe, IBAN DE89370400440532013000"
	logs := &syncBuffer{}
	endpoint, table := dynamotest.ForStack(t, "candor")
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		DynamoDBEndpoint: endpoint, TableName: table, Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx := context.Background()
	fileReport(t, s, "rev-acme-01")
	s.Settle()
	c := documentCase{s: s, st: store.New(s.DynamoDB, s.Table)}
	for _, tk := range ticketsByStatus(t, s, "open") {
		c.reportID, _ = tk["reportId"].(string)
		c.ticket = s.APIURL + "/v1/compliance/tickets/" + tk["id"].(string)
	}
	content := []byte("%PDF-1.7\n" + secret + "\n%%EOF\n")
	id := ids.New("doc")
	if err := c.st.PutDocumentRecord(ctx, app.ReportDocument{Document: document.Document{ID: id, ReportID: c.reportID,
		Answer: document.AnswerRef{Kind: document.AnswerProof}, Type: document.PDF, Size: int64(len(content)), Scan: document.ScanPending, UploadedAt: t0}}); err != nil {
		t.Fatal(err)
	}
	// The browser's form, with the file's name, as the reviewer's page posts it.
	key := app.DocumentObjectKey(c.reportID, id)
	p, err := awss3.NewPresignClient(s3Client(s)).PresignPostObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(stack.DocumentsBucket), Key: aws.String(key)},
		func(o *awss3.PresignPostOptions) { o.Expires = 5 * time.Minute })
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range p.Values {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	res, err := http.Post(p.URL, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if got := c.scan(t, id).Scan; got != document.ScanClean {
		t.Fatalf("scanned %q, want clean", got)
	}
	if res := c.open(t, id, s.Demo.Compliance); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d", res.StatusCode)
	}
	post(t, c.ticket+"/claim", s.Demo.Compliance, "{}")
	post(t, c.ticket+"/decision", s.Demo.Compliance, `{"outcome": "reinstate", "note": "An opinion."}`)
	s.Settle()
	s.Advance(400 * 24 * time.Hour) // past the appeal window and the retention
	if _, err := c.st.GetDocument(ctx, id); err == nil {
		t.Fatal("the document outlived its retention: the flow did not reach its end")
	}

	for _, leak := range []string{name, "Jane", "IBAN"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("a log line holds %q", leak)
		}
	}
	client := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.AWSURL), Credentials: stack.AWSCredentials})
	machines, err := client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	histories := 0
	for _, m := range machines.StateMachines {
		xs, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range xs.Executions {
			h, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: x.ExecutionArn, MaxResults: 1000})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(h.Events)
			histories++
			for _, leak := range []string{name, "Jane", "IBAN", id} {
				if strings.Contains(string(raw), leak) {
					t.Errorf("execution %s's history holds %q", aws.ToString(x.Name), leak)
				}
			}
		}
	}
	if histories == 0 {
		t.Error("no execution history was read: the check saw nothing")
	}
	if !strings.Contains(logs.String(), id) {
		t.Error("no log line names the document's id: the logs checked are not the functions'")
	}
}
