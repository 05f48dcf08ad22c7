package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/google/uuid"
)

// The services fault rules can name, by SigV4 signing name.
const (
	ServiceDynamoDB      = "dynamodb"
	ServiceStepFunctions = "states"
	ServiceSES           = "ses"
	ServiceS3            = "s3"
)

// The faults that are not AWS errors but a network failure the client sees
// instead of an answer. Neither makes anyone wait.
const (
	// FaultReset drops the call: the edge reads the request and resets the
	// connection (TCP RST) without passing it on. The stand-in never sees
	// it; the client sees "connection reset by peer".
	FaultReset = "reset"
	// FaultTimeout loses the answer: the stand-in serves the call (it takes
	// effect), then the edge resets the connection instead of answering,
	// as when a client times out on a call AWS did carry out. The client
	// sees the same network failure as with FaultReset, at once; what it
	// must survive is that the call happened.
	FaultTimeout = "timeout"
)

// Limits of fault rules.
const (
	MaxFaultRules   = 100
	MaxFaultCount   = 1_000_000
	MaxFaultMessage = 1000
)

// FaultRule says which calls fail and how. Service and Operation pick the
// calls; Error is how they fail; Count or Probability how many fail.
type FaultRule struct {
	// Service is "dynamodb", "states" (Step Functions) or "ses".
	Service string `json:"service"`
	// Operation is the API operation as AWS names it (TransactWriteItems,
	// StartExecution, SendTaskSuccess, SendRawEmail…), or "*" for all.
	Operation string `json:"operation"`
	// Error is an AWS error code of the service (ThrottlingException,
	// ProvisionedThroughputExceededException, InternalServerError,
	// ServiceUnavailable, Throttling…), answered in the service's wire
	// format, or FaultReset or FaultTimeout.
	Error string `json:"error"`
	// Message replaces the error's usual message (AWS errors only).
	Message string `json:"message,omitempty"`
	// Status is the HTTP status of the error: needed only for a code the
	// edge does not know (see KnownFaultErrors), else taken from AWS.
	Status int `json:"status,omitempty"`
	// Count makes the next Count matching calls fail. Exactly one of Count
	// and Probability is set.
	Count int `json:"count,omitempty"`
	// Probability (above 0, at most 1) makes each matching call fail with
	// that chance.
	Probability float64 `json:"probability,omitempty"`
	// Seed seeds a probability rule's draws, so that a run with the same
	// calls in the same order fails the same calls. Without one the edge
	// picks a seed and lists it.
	Seed *uint64 `json:"seed,omitempty"`
}

// Fault is a fault rule the edge holds, with what it did so far.
type Fault struct {
	ID string `json:"id"`
	FaultRule
	// Fired counts the calls the rule failed.
	Fired int `json:"fired"`
	// Remaining is how many more calls a count rule fails (nil for a
	// probability rule).
	Remaining *int `json:"remaining,omitempty"`
}

// FaultReport lists the rules and counts the faults injected.
type FaultReport struct {
	Rules []Fault `json:"rules"`
	// Injected counts every fault injected since the edge started, by rules
	// listed or cleared since.
	Injected int `json:"injected"`
}

// FaultRuleError is a rule the edge refuses; Fields says what is wrong by
// field, in the JSON names of FaultRule.
type FaultRuleError struct {
	Fields map[string]string
}

func (e *FaultRuleError) Error() string {
	keys := slices.Sorted(maps.Keys(e.Fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return "edge: fault rule: " + strings.Join(parts, "; ")
}

// ErrTooManyFaultRules is Add's error when MaxFaultRules rules are held.
var ErrTooManyFaultRules = errors.New("edge: add fault rule: already holding the most rules (" + strconv.Itoa(MaxFaultRules) + "); clear some first")

// Faults holds the fault rules of an Edge and counts what they inject. It is
// safe for concurrent use.
type Faults struct {
	mu       sync.Mutex
	rules    []*faultRule // in the order they were added: the first that fires wins
	seq      int
	injected int
}

type faultRule struct {
	Fault
	rng *rand.Rand // probability rules
}

// awsError is an error code's HTTP status and usual message.
type awsError struct {
	Status  int
	Message string
}

// knownErrors are the error codes each service answers with, as AWS does:
// the throttling codes and 5xx ones the SDKs retry, and a few the callers
// must not retry.
var knownErrors = map[string]map[string]awsError{
	ServiceDynamoDB: {
		"ProvisionedThroughputExceededException": {400, "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."},
		"ThrottlingException":                    {400, "Rate of requests exceeds the allowed throughput."},
		"RequestLimitExceeded":                   {400, "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase"},
		"InternalServerError":                    {500, "Internal server error"},
		"ServiceUnavailable":                     {503, "Service Unavailable"},
		"TransactionConflictException":           {400, "Transaction is ongoing for the item"},
		"ValidationException":                    {400, "One or more parameter values were invalid"},
		"ResourceNotFoundException":              {400, "Requested resource not found"},
		"AccessDeniedException":                  {400, "User is not authorized to perform this operation"},
	},
	ServiceStepFunctions: {
		"ThrottlingException":      {400, "Rate exceeded"},
		"InternalFailure":          {500, "The request processing has failed because of an unknown error, exception or failure."},
		"ServiceUnavailable":       {503, "The request has failed due to a temporary failure of the server."},
		"ExecutionLimitExceeded":   {400, "The maximum number of running executions has been reached."},
		"ExecutionAlreadyExists":   {400, "Execution Already Exists"},
		"StateMachineDoesNotExist": {400, "State Machine Does Not Exist"},
		"TaskDoesNotExist":         {400, "Task Does Not Exist"},
		"TaskTimedOut":             {400, "Task Timed Out"},
		"InvalidToken":             {400, "Invalid Token"},
		"ValidationException":      {400, "1 validation error detected"},
		"AccessDeniedException":    {400, "User is not authorized to perform this operation"},
	},
	ServiceSES: {
		"Throttling":                         {400, "Maximum sending rate exceeded."},
		"ServiceUnavailable":                 {503, "Service Unavailable"},
		"InternalFailure":                    {500, "Internal Failure"},
		"MessageRejected":                    {400, "Email address is not verified."},
		"AccountSendingPausedException":      {400, "Sending is paused for this account."},
		"MailFromDomainNotVerifiedException": {400, "The MAIL FROM domain is not verified."},
		"ConfigurationSetDoesNotExist":       {400, "Configuration set does not exist."},
	},
	ServiceS3: {
		"SlowDown":           {503, "Please reduce your request rate."},
		"InternalError":      {500, "We encountered an internal error. Please try again."},
		"ServiceUnavailable": {503, "Service is unable to handle request."},
		"RequestTimeout":     {400, "Your socket connection to the server was not read from or written to within the timeout period."},
		"AccessDenied":       {403, "Access Denied"},
		"NoSuchKey":          {404, "The specified key does not exist."},
		"NoSuchBucket":       {404, "The specified bucket does not exist"},
	},
}

// KnownFaultErrors returns the AWS error codes a rule for service may name
// without a Status, with their HTTP status.
func KnownFaultErrors(service string) map[string]int {
	out := map[string]int{}
	for code, e := range knownErrors[service] {
		out[code] = e.Status
	}
	return out
}

// operations are each service's API operations, read off the SDK's client:
// its methods that take a context and an input (everything but Options).
var operations = sync.OnceValue(func() map[string]map[string]bool {
	ctxType := reflect.TypeFor[context.Context]()
	of := func(client any) map[string]bool {
		ops := map[string]bool{}
		t := reflect.TypeOf(client)
		for i := range t.NumMethod() {
			m := t.Method(i)
			if m.Type.NumIn() >= 3 && m.Type.In(1) == ctxType {
				ops[m.Name] = true
			}
		}
		return ops
	}
	s3ops := of(&s3.Client{})
	s3ops["PostObject"] = true // the browser form upload, which no SDK client makes
	return map[string]map[string]bool{
		ServiceDynamoDB:      of(&dynamodb.Client{}),
		ServiceStepFunctions: of(&sfn.Client{}),
		ServiceSES:           of(&ses.Client{}),
		ServiceS3:            s3ops,
	}
})

// validate checks r and fills in the status of a known code.
func (r *FaultRule) validate() error {
	bad := map[string]string{}
	ops, knownService := operations()[r.Service]
	switch {
	case r.Service == "":
		bad["service"] = "required: dynamodb, states, ses or s3"
	case !knownService:
		bad["service"] = "must be dynamodb, states, ses or s3"
	}
	switch {
	case r.Operation == "":
		bad["operation"] = `required: an API operation such as TransactWriteItems, or "*" for all`
	case r.Operation == "*", !knownService:
	case !ops[r.Operation]:
		bad["operation"] = r.Service + " has no operation " + strconv.Quote(r.Operation) + " (names are as AWS spells them, e.g. " + exampleOperation(r.Service) + ")"
	}
	network := r.Error == FaultReset || r.Error == FaultTimeout
	switch {
	case r.Error == "":
		bad["error"] = "required: an AWS error code such as ThrottlingException, or reset or timeout"
	case network:
		if r.Status != 0 {
			bad["status"] = "a " + r.Error + " has no HTTP status"
		}
		if r.Message != "" {
			bad["message"] = "a " + r.Error + " has no message"
		}
	case !validErrorCode(r.Error):
		bad["error"] = "must be an AWS error code (letters and digits, starting with a capital letter), reset or timeout"
	default:
		known, ok := knownErrors[r.Service][r.Error]
		switch {
		case r.Status != 0 && (r.Status < 400 || r.Status > 599):
			bad["status"] = "must be an HTTP error status, 400 to 599"
		case r.Status == 0 && ok:
			r.Status = known.Status
		case r.Status == 0 && knownService:
			bad["status"] = "required for " + r.Error + ", which the local stack does not know for " + r.Service +
				" (it knows " + strings.Join(slices.Sorted(maps.Keys(knownErrors[r.Service])), ", ") + ")"
		}
	}
	if len(r.Message) > MaxFaultMessage {
		bad["message"] = "must be at most " + strconv.Itoa(MaxFaultMessage) + " bytes"
	} else if strings.ContainsFunc(r.Message, unicode.IsControl) {
		bad["message"] = "must not contain control characters"
	}
	switch {
	case r.Count == 0 && r.Probability == 0:
		bad["count"] = "give count (how many of the next matching calls fail) or probability (the chance that each one fails)"
	case r.Count != 0 && r.Probability != 0:
		bad["probability"] = "give count or probability, not both"
	case r.Count < 0 || r.Count > MaxFaultCount:
		bad["count"] = "must be 1 to " + strconv.Itoa(MaxFaultCount)
	case r.Count == 0 && !(r.Probability > 0 && r.Probability <= 1):
		bad["probability"] = "must be above 0 and at most 1"
	}
	if r.Seed != nil && r.Probability == 0 {
		bad["seed"] = "only a probability rule takes a seed"
	}
	if len(bad) > 0 {
		return &FaultRuleError{Fields: bad}
	}
	return nil
}

func exampleOperation(service string) string {
	return map[string]string{ServiceDynamoDB: "TransactWriteItems", ServiceStepFunctions: "StartExecution", ServiceSES: "SendRawEmail", ServiceS3: "GetObject"}[service]
}

func validErrorCode(s string) bool {
	if len(s) < 2 || len(s) > 100 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Add takes a rule and returns it as held, with its id. A rule that is not
// valid is a *FaultRuleError and changes nothing.
func (f *Faults) Add(r FaultRule) (Fault, error) {
	if err := r.validate(); err != nil {
		return Fault{}, err
	}
	fr := &faultRule{Fault: Fault{FaultRule: r}}
	if r.Count > 0 {
		left := r.Count
		fr.Remaining = &left
	} else {
		if fr.Seed == nil {
			seed := rand.Uint64()
			fr.Seed = &seed
		} else {
			seed := *fr.Seed // the caller's pointer stays theirs
			fr.Seed = &seed
		}
		fr.rng = rand.New(rand.NewPCG(*fr.Seed, 0x63616e646f72)) // "candor"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.rules) >= MaxFaultRules {
		return Fault{}, ErrTooManyFaultRules
	}
	f.seq++
	fr.ID = "fault-" + strconv.Itoa(f.seq)
	f.rules = append(f.rules, fr)
	return fr.snapshot(), nil
}

// Report lists the rules in the order they were added, with their counts.
func (f *Faults) Report() FaultReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reportLocked()
}

func (f *Faults) reportLocked() FaultReport {
	rep := FaultReport{Rules: make([]Fault, len(f.rules)), Injected: f.injected}
	for i, r := range f.rules {
		rep.Rules[i] = r.snapshot()
	}
	return rep
}

// Injected counts the faults injected since the edge started.
func (f *Faults) Injected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.injected
}

// Clear drops every rule and returns the report as it was just before.
func (f *Faults) Clear() FaultReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := f.reportLocked()
	f.rules = nil
	return rep
}

// Remove drops the rule with id and returns it as it was; false if there is
// none.
func (f *Faults) Remove(id string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.ID == id {
			f.rules = slices.Delete(f.rules, i, i+1)
			return r.snapshot(), true
		}
	}
	return Fault{}, false
}

func (r *faultRule) snapshot() Fault {
	out := r.Fault
	if r.Remaining != nil {
		left := *r.Remaining
		out.Remaining = &left
	}
	if r.Seed != nil {
		seed := *r.Seed
		out.Seed = &seed
	}
	return out
}

// take decides whether a call fails: the first rule, in the order they were
// added, that matches the call and fires. Rules after it do not draw.
func (f *Faults) take(service, op string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.Service != service || (r.Operation != "*" && r.Operation != op) {
			continue
		}
		if r.Remaining != nil {
			if *r.Remaining == 0 {
				continue
			}
			*r.Remaining--
		} else if r.rng.Float64() >= r.Probability {
			continue
		}
		r.Fired++
		f.injected++
		return r.snapshot(), true
	}
	return Fault{}, false
}

// inject makes the call fail as rule says. h is the call's stand-in.
func inject(w http.ResponseWriter, r *http.Request, h http.Handler, rule Fault) {
	switch rule.Error {
	case FaultReset:
		io.Copy(io.Discard, r.Body) // the client has sent it all: it waits for an answer
		resetConnection(w)
	case FaultTimeout:
		h.ServeHTTP(newDiscardWriter(), r)
		io.Copy(io.Discard, r.Body)
		resetConnection(w)
	default:
		io.Copy(io.Discard, r.Body)
		msg := rule.Message
		if msg == "" {
			msg = knownErrors[rule.Service][rule.Error].Message
		}
		if msg == "" {
			msg = rule.Error + " injected by the local stack"
		}
		writeAWSError(w, rule.Service, rule.Status, rule.Error, msg)
	}
}

// resetConnection ends the call's connection with a TCP reset, the network
// failure clients see when a server or a middlebox gives up on them.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // the server closes the connection without an answer
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0) // close with RST rather than FIN
	}
	conn.Close()
}

// writeAWSError answers the error in the service's wire format: JSON 1.0
// with __type for DynamoDB and Step Functions (DynamoDB's with its checksum
// header), Query XML ErrorResponse for SES, REST XML Error for S3.
func writeAWSError(w http.ResponseWriter, service string, status int, code, message string) {
	requestID := uuid.NewString()
	var body []byte
	switch service {
	case ServiceS3:
		var b bytes.Buffer
		b.WriteString(xml.Header + `<Error><Code>`)
		xml.EscapeText(&b, []byte(code))
		b.WriteString(`</Code><Message>`)
		xml.EscapeText(&b, []byte(message))
		b.WriteString(`</Message><RequestId>` + requestID + `</RequestId><HostId>` + requestID + `</HostId></Error>`)
		body = b.Bytes()
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("X-Amz-Request-Id", requestID)
	case ServiceSES:
		typ := "Sender"
		if status >= 500 {
			typ = "Receiver"
		}
		var b bytes.Buffer
		b.WriteString(xml.Header + `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>` + typ + `</Type><Code>`)
		xml.EscapeText(&b, []byte(code))
		b.WriteString(`</Code><Message>`)
		xml.EscapeText(&b, []byte(message))
		b.WriteString(`</Message></Error><RequestId>` + requestID + `</RequestId></ErrorResponse>`)
		body = b.Bytes()
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", requestID)
	default:
		typ := code
		if service == ServiceDynamoDB {
			typ = "com.amazonaws.dynamodb.v20120810#" + code
		}
		body, _ = json.Marshal(map[string]string{"__type": typ, "message": message})
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amzn-Requestid", requestID)
		if service == ServiceDynamoDB {
			w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// discardWriter is where a call's answer goes when a timeout loses it.
type discardWriter struct{ h http.Header }

func newDiscardWriter() *discardWriter { return &discardWriter{h: http.Header{}} }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// Summary renders a fault rule for logs: what fails and how, never a message.
func (r FaultRule) Summary() string {
	how := fmt.Sprintf("count %d", r.Count)
	if r.Count == 0 {
		how = fmt.Sprintf("probability %g", r.Probability)
	}
	return fmt.Sprintf("%s:%s %s (%s)", r.Service, r.Operation, r.Error, how)
}
