// Package documenttasks is the edge of the document-tasks function: it
// takes GuardDuty Malware Protection for S3's scan result events
// (EventBridge) and the retention schedule's ticks, and calls the
// documents' use cases. It knows the events' shapes; the rules are the
// domain's (document.WithScan, Policy.DocumentsExpireAt).
package documenttasks

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/document"
)

// The event GuardDuty publishes to the default bus for each scanned object.
const (
	ScanResultSource     = "aws.guardduty"
	ScanResultDetailType = "GuardDuty Malware Protection Object Scan Result"
)

// RetentionTask is the input the retention schedule invokes the function
// with: {"task":"retention"}.
const RetentionTask = "retention"

// event is what the function is invoked with: a scan result event, or the
// retention schedule's input. Only the fields read are declared.
type event struct {
	Source     string `json:"source"`
	DetailType string `json:"detail-type"`
	Detail     struct {
		ScanStatus      string `json:"scanStatus"`
		ResourceType    string `json:"resourceType"`
		S3ObjectDetails struct {
			BucketName string `json:"bucketName"`
			ObjectKey  string `json:"objectKey"`
		} `json:"s3ObjectDetails"`
		ScanResultDetails struct {
			ScanResultStatus string `json:"scanResultStatus"`
		} `json:"scanResultDetails"`
	} `json:"detail"`
	Task string `json:"task"`
}

// Result is what one invocation did, for the function's log and tests.
type Result struct {
	Scan      string            `json:"scan,omitempty"` // the status recorded for a scan result
	Retention *app.RetentionRun `json:"retention,omitempty"`
}

// Handler handles the function's events for one bucket.
type Handler struct {
	docs   *app.Documents
	bucket string
	log    *slog.Logger
}

// New returns the handler of bucket's events.
func New(docs *app.Documents, bucket string, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.Default()
	}
	return &Handler{docs: docs, bucket: bucket, log: log}
}

// Handle takes one event. A scan result of another bucket is ignored (the
// rule's pattern names this one); an event it does not know is an error,
// so that it lands in the dead-letter queue rather than vanish.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (Result, error) {
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Result{}, fmt.Errorf("document task: decode event: %w", err)
	}
	switch {
	case ev.Source == ScanResultSource && ev.DetailType == ScanResultDetailType:
		obj := ev.Detail.S3ObjectDetails
		if obj.BucketName != h.bucket {
			h.log.WarnContext(ctx, "scan result of another bucket; ignored", "bucket", obj.BucketName)
			return Result{}, nil
		}
		status := ScanStatusOf(ev.Detail.ScanResultDetails.ScanResultStatus)
		if err := h.docs.RecordScan(ctx, obj.ObjectKey, status); err != nil {
			return Result{}, err
		}
		return Result{Scan: string(status)}, nil
	case ev.Task == RetentionTask:
		run, err := h.docs.RunRetention(ctx)
		return Result{Retention: &run}, err
	}
	return Result{}, fmt.Errorf("document task: unknown event (source %q, detail-type %q, task %q)", ev.Source, ev.DetailType, ev.Task)
}

// ScanStatusOf maps GuardDuty's scanResultStatus to the document's scan
// status: NO_THREATS_FOUND is clean, THREATS_FOUND a threat, and every
// other status (UNSUPPORTED, ACCESS_DENIED, FAILED, or one added later) a
// failed scan, which withholds the document as a threat does: nobody knows
// it is harmless.
func ScanStatusOf(s string) document.ScanStatus {
	switch s {
	case "NO_THREATS_FOUND":
		return document.ScanClean
	case "THREATS_FOUND":
		return document.ScanThreat
	}
	return document.ScanFailed
}
