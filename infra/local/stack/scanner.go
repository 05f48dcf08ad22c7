package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"

	"github.com/candorhq/candor/shared/documenttasks"
	"github.com/candorhq/candor/shared/wire/documentfunc"
)

// DocumentTasksFunction is the local name of the function that records
// scan results and runs the documents' retention (template.yaml's
// DocumentTasksFunction).
const DocumentTasksFunction = "candor-document-tasks"

// EICAR is the antivirus test file's content: every scanner, GuardDuty's
// and the local stand-in, reports it as a threat.
const EICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// scanAttempts is how often an event is handed to the function before it
// is given up (EventBridge's asynchronous invocation retries twice, then
// the dead-letter queue has it).
const scanAttempts = 3

// retentionEvery is how often the retention schedule runs (template.yaml:
// rate(1 hour)), on the stack's clock.
const retentionEvery = time.Hour

// documentRuntime is the stack's document-tasks function, its malware
// scanner's S3 client and the retention schedule's last run (on the
// stack's clock, under Stack.mu).
type documentRuntime struct {
	invoke        func(ctx context.Context, payload []byte) ([]byte, error)
	client        *awss3.Client
	lastRetention time.Time
	// active: a document may exist (one was scanned, or the state was
	// restored). Until then the schedule's run is skipped, as it would
	// find nothing: the cost and capacity tests count only what a flow
	// itself does.
	active bool
}

// wireDocumentTasks builds the document-tasks function as its main does,
// with the environment template.yaml gives it.
func (s *Stack) wireDocumentTasks(common map[string]string) error {
	env := s.env(common, map[string]string{"DOCUMENTS_BUCKET": DocumentsBucket,
		"DOCUMENT_RETENTION_SECONDS": seconds(s.cfg.Policy.DocumentRetention)})
	h, err := documentfunc.New(env, s.awsConfig(), s.Clock, s.cfg.Logger.With("function", DocumentTasksFunction))
	if err != nil {
		return fmt.Errorf("%s: %w", DocumentTasksFunction, err)
	}
	s.docs.invoke = s.invoker(DocumentTasksFunction, h.Handle)
	cfg := s.awsConfig()
	s.docs.client = awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true })
	return nil
}

// scanObject is the local stand-in of GuardDuty Malware Protection for
// S3: called as each object lands in the documents bucket, it reads the
// object, finds a threat when it contains the EICAR test string and
// otherwise none, and hands the function the event GuardDuty would put on
// the default bus ("GuardDuty Malware Protection Object Scan Result"), as
// the EventBridge rule does. It runs before the upload is answered, where
// GuardDuty answers seconds later (docs/local-stack.md).
func (s *Stack) scanObject(ctx context.Context, bucket, key string) {
	if bucket != DocumentsBucket || s.docs.invoke == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	s.mu.Lock()
	s.docs.active = true
	s.mu.Unlock()
	status, threats := "NO_THREATS_FOUND", []map[string]string(nil)
	obj, err := s.docs.client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		status = "ACCESS_DENIED"
	} else {
		body, rerr := io.ReadAll(obj.Body)
		obj.Body.Close()
		switch {
		case rerr != nil:
			status = "FAILED"
		case bytes.Contains(body, []byte(EICAR)):
			status, threats = "THREATS_FOUND", []map[string]string{{"name": "EICAR-Test-File (not a virus)"}}
		}
	}
	payload, err := json.Marshal(s.scanResultEvent(bucket, key, status, threats))
	if err != nil {
		s.cfg.Logger.Error("local scanner: encode event", "err", err)
		return
	}
	s.deliverDocumentEvent(ctx, payload)
}

// scanResultEvent is GuardDuty's scan result event for one object, in the
// shape the GuardDuty user guide documents.
func (s *Stack) scanResultEvent(bucket, key, status string, threats []map[string]string) map[string]any {
	return map[string]any{
		"version":     "0",
		"id":          uuid.NewString(),
		"detail-type": documenttasks.ScanResultDetailType,
		"source":      "aws.guardduty",
		"account":     "000000000000",
		"time":        s.Clock.Now().UTC().Format(time.RFC3339),
		"region":      s.cfg.Region,
		"resources":   []string{fmt.Sprintf("arn:aws:guardduty:%s:000000000000:malware-protection-plan/local", s.cfg.Region)},
		"detail": map[string]any{
			"schemaVersion": "1.0",
			"scanStatus":    "COMPLETED",
			"resourceType":  "S3_OBJECT",
			"s3ObjectDetails": map[string]any{
				"bucketName":  bucket,
				"objectKey":   key,
				"eTag":        "",
				"versionId":   "",
				"s3Throttled": false,
			},
			"scanResultDetails": map[string]any{
				"scanResultStatus": status,
				"threats":          threats,
			},
		},
	}
}

// deliverDocumentEvent invokes the function with payload as EventBridge
// does, trying again when it fails.
func (s *Stack) deliverDocumentEvent(ctx context.Context, payload []byte) {
	var err error
	for range scanAttempts {
		if _, err = s.docs.invoke(ctx, payload); err == nil {
			return
		}
	}
	s.cfg.Logger.Error("document event failed every attempt (in AWS: the dead-letter queue)", "function", DocumentTasksFunction, "err", err)
}

// DeliverScanResult hands the function a scan result of bucket's object
// key as GuardDuty would, with its scanResultStatus (NO_THREATS_FOUND,
// THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED): tests replay a
// result, or deliver one out of order, with it.
func (s *Stack) DeliverScanResult(ctx context.Context, bucket, key, status string) error {
	s.mu.Lock()
	s.docs.active = true
	s.mu.Unlock()
	payload, err := json.Marshal(s.scanResultEvent(bucket, key, status, nil))
	if err != nil {
		return err
	}
	_, err = s.docs.invoke(ctx, payload)
	return err
}

// runDocumentRetention runs the retention schedule when an hour of the
// stack's clock passed since its last run, as rate(1 hour) does in AWS,
// once a document may exist.
// gofakes3 runs no lifecycle rules: the objects it tags stay, tagged
// (docs/local-stack.md).
func (s *Stack) runDocumentRetention(ctx context.Context) {
	now := s.Clock.Now()
	s.mu.Lock()
	due := s.docs.invoke != nil && (s.docs.active || !s.Restored.IsZero()) && !now.Before(s.docs.lastRetention.Add(retentionEvery))
	if due {
		s.docs.lastRetention = now
	}
	s.mu.Unlock()
	if due {
		s.deliverDocumentEvent(ctx, []byte(`{"task":"`+documenttasks.RetentionTask+`"}`))
	}
}
