package mail

import (
	"errors"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ErrOutcomeUnknown is the error (under errors.Is) of a send whose request
// may have reached SES but whose answer never came back: the connection
// dropped or timed out after the request was written. SES may have sent the
// email. SES takes no idempotency key, so sending it again could deliver it
// twice; a caller that sends at most once counts such an email as sent.
var ErrOutcomeUnknown = errors.New("SES may have sent the email: its answer was lost")

// notSent reports whether err, from a SendEmail call, proves that SES did not
// send the email: SES answered with an error (throttled, rejected, a 5xx), or
// the connection was never made (a dial or name-resolution failure). Every
// other failure — a reset, an EOF or a timeout while waiting for the answer —
// leaves the outcome unknown.
func notSent(err error) bool {
	if re, ok := errors.AsType[*smithyhttp.ResponseError](err); ok && re.Response != nil && re.Response.StatusCode != 0 {
		return true // an answer with a status: SES refused it
	}
	if _, ok := errors.AsType[*net.DNSError](err); ok {
		return true
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		return true
	}
	return false
}

// sendRetryer retries a SendEmail only when the failed attempt certainly
// sent nothing (see notSent): the SDK's own retry of a lost answer would
// send the email a second time.
type sendRetryer struct{ aws.Retryer }

// IsErrorRetryable is the wrapped retryer's answer for an attempt that sent
// nothing, and false for every attempt whose outcome is unknown.
func (r sendRetryer) IsErrorRetryable(err error) bool {
	return notSent(err) && r.Retryer.IsErrorRetryable(err)
}

// SendRetryer wraps the SDK retryer of an SES client that sends email so that
// it never retries a call SES may have carried out. The SES clients of
// [NewSESSender] and [SenderFromEnv] use it.
func SendRetryer(r aws.Retryer) aws.Retryer { return sendRetryer{r} }
