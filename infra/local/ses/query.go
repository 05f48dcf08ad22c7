package ses

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

const (
	apiVersion = "2010-12-01"
	xmlns      = "http://ses.amazonaws.com/doc/2010-12-01/"
	// maxRequestBytes bounds a request: SES takes raw messages up to 10 MB,
	// which base64 and form encoding inflate by about a half.
	maxRequestBytes = 20 << 20
	// maxRecipients is SES's limit of To, Cc and Bcc addresses per message.
	maxRecipients = 50
)

// supportedActions names, for the error a client gets for anything else,
// what the stand-in answers.
const supportedActions = "SendEmail, SendRawEmail, GetSendQuota, ListIdentities and VerifyEmailIdentity"

// apiError is an SES error as it goes on the wire. It is deliberately not
// an error: it is written to the client, never wrapped or logged.
type apiError struct {
	status  int
	code    string
	message string
}

func invalidParameter(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameterValue", msg}
}

func messageRejected(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "MessageRejected", msg}
}

// nullMembers is AWS's answer to a request that leaves out required members,
// e.g. "1 validation error detected: Value null at 'message.subject' failed
// to satisfy constraint: Member must not be null".
func nullMembers(names []string) *apiError {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "Value null at '" + n + "' failed to satisfy constraint: Member must not be null"
	}
	noun := "error"
	if len(names) > 1 {
		noun = "errors"
	}
	return &apiError{http.StatusBadRequest, "ValidationError",
		fmt.Sprintf("%d validation %s detected: %s", len(names), noun, strings.Join(parts, "; "))}
}

// injectedError is the error a failure set with Fail answers with.
func injectedError(code string) *apiError {
	switch code {
	case "Throttling":
		return &apiError{http.StatusBadRequest, code, "Maximum sending rate exceeded."}
	case "ServiceUnavailable":
		return &apiError{http.StatusServiceUnavailable, code, "Service Unavailable"}
	case "InternalFailure":
		return &apiError{http.StatusInternalServerError, code, "Internal Failure"}
	}
	return &apiError{http.StatusBadRequest, code, code + " injected by the local SES stand-in"}
}

// Handler serves SES v1's Query protocol (form-encoded POST, or GET with a
// query string, Version 2010-12-01) and answers in SES's XML, including its
// <ErrorResponse> error shape. It accepts any credentials and checks no
// signature. Actions:
//
//   - SendEmail: Source, Destination.{To,Cc,Bcc}Addresses.member.N,
//     Message.Subject.Data, Message.Body.{Text,Html}.Data (Charset members
//     are accepted and ignored: the data arrives as UTF-8 either way). A left
//     out required member is a ValidationError, as AWS answers; a missing or
//     malformed address, no recipient, more than 50 recipients or a non-ASCII
//     address is InvalidParameterValue; an empty subject, a message with
//     neither a text nor an HTML part, or non-UTF-8 data is MessageRejected.
//   - SendRawEmail: RawMessage.Data (a MIME message), optional Source and
//     Destinations.member.N; the text/plain and text/html parts are kept.
//   - GetSendQuota, ListIdentities, VerifyEmailIdentity: enough for `aws ses`
//     smoke tests. Verification succeeds at once; sending needs none.
//
// Sends fail on purpose as set with Fail. Any other action is 400
// InvalidAction naming what is supported.
func (o *Outbox) Handler() http.Handler {
	return http.HandlerFunc(o.serveQuery)
}

func (o *Outbox) serveQuery(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v2/") {
		o.serveV2(w, r)
		return
	}
	requestID := uuid.NewString()
	result, apiErr := o.dispatch(w, r)
	if apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}
	writeResult(w, requestID, result)
}

func (o *Outbox) dispatch(w http.ResponseWriter, r *http.Request) (result, *apiError) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		return result{}, &apiError{http.StatusMethodNotAllowed, "InvalidHttpRequest", "The Query protocol takes GET or POST, not " + r.Method + "."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return result{}, &apiError{http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request is larger than " + strconv.Itoa(maxRequestBytes) + " bytes."}
		}
		return result{}, &apiError{http.StatusBadRequest, "MalformedQueryString", "The request is not a valid form-encoded Query request."}
	}
	f := r.Form
	if v := f.Get("Version"); v != "" && v != apiVersion {
		return result{}, &apiError{http.StatusBadRequest, "NoSuchVersion", "SES has no API version " + strconv.Quote(v) + "; the local stand-in speaks " + apiVersion + "."}
	}
	action := f.Get("Action")
	switch action {
	case "SendEmail", "SendRawEmail":
		if code, ok := o.takeFailure(); ok {
			return result{}, injectedError(code)
		}
		send := o.sendEmail
		if action == "SendRawEmail" {
			send = o.sendRawEmail
		}
		id, err := send(f)
		if err != nil {
			return result{}, err
		}
		return result{action, messageIDResult{MessageID: id}}, nil
	case "GetSendQuota":
		return result{action, o.sendQuota()}, nil
	case "ListIdentities":
		res, err := o.listIdentitiesResult(f)
		return result{action, res}, err
	case "VerifyEmailIdentity":
		if !f.Has("EmailAddress") {
			return result{}, nullMembers([]string{"emailAddress"})
		}
		if err := checkAddress(f.Get("EmailAddress")); err != nil {
			return result{}, err
		}
		o.verify(f.Get("EmailAddress"))
		return result{action, struct{}{}}, nil
	case "":
		return result{}, &apiError{http.StatusBadRequest, "MissingAction", "The request names no Action; the local SES stand-in supports " + supportedActions + "."}
	}
	return result{}, &apiError{http.StatusBadRequest, "InvalidAction", "The action " + strconv.Quote(action) + " is not valid for this web service: the local SES stand-in supports " + supportedActions + "."}
}

// sendEmail validates and stores a SendEmail request.
func (o *Outbox) sendEmail(f url.Values) (string, *apiError) {
	var null []string
	if !f.Has("Source") {
		null = append(null, "source")
	}
	if !hasPrefix(f, "Destination.") {
		null = append(null, "destination")
	}
	switch {
	case !hasPrefix(f, "Message."):
		null = append(null, "message")
	default:
		if !hasPrefix(f, "Message.Subject.") {
			null = append(null, "message.subject")
		} else if !f.Has("Message.Subject.Data") {
			null = append(null, "message.subject.data")
		}
		if !hasPrefix(f, "Message.Body.") {
			null = append(null, "message.body")
		}
		for _, part := range []string{"Text", "Html"} {
			if hasPrefix(f, "Message.Body."+part+".") && !f.Has("Message.Body."+part+".Data") {
				null = append(null, "message.body."+strings.ToLower(part)+".data")
			}
		}
	}
	if len(null) > 0 {
		return "", nullMembers(null)
	}

	m := Message{
		From:    f.Get("Source"),
		To:      members(f, "Destination.ToAddresses"),
		Cc:      members(f, "Destination.CcAddresses"),
		Bcc:     members(f, "Destination.BccAddresses"),
		Subject: f.Get("Message.Subject.Data"),
		Text:    f.Get("Message.Body.Text.Data"),
		HTML:    f.Get("Message.Body.Html.Data"),
	}
	if err := checkMessage(&m); err != nil {
		return "", err
	}
	if err := o.checkSender(m.From); err != nil {
		return "", err
	}
	return o.add(m), nil
}

// checkMessage applies SES's checks on addresses and the stand-in's own on
// content. Its messages never quote an address: they are personal data.
func checkMessage(m *Message) *apiError {
	if err := checkAddress(m.From); err != nil {
		return err
	}
	recipients := m.recipients()
	switch {
	case len(recipients) == 0:
		return invalidParameter("Missing required header 'To': the message has no recipient.")
	case len(recipients) > maxRecipients:
		return invalidParameter("Recipient count exceeds " + strconv.Itoa(maxRecipients) + ".")
	}
	for _, r := range recipients {
		if err := checkAddress(r); err != nil {
			return err
		}
	}
	for _, s := range []string{m.Subject, m.Text, m.HTML} {
		if !utf8.ValidString(s) {
			return messageRejected("Message content is not valid UTF-8.")
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return messageRejected("Subject must not be empty.")
	}
	if m.Text == "" && m.HTML == "" {
		return messageRejected("Message body must have a text or an HTML part.")
	}
	return nil
}

// checkAddress accepts an RFC 5322 address ("a@x.example" or
// "Name <a@x.example>") written in 7-bit ASCII, as SES requires (a non-ASCII
// display name goes in an RFC 2047 encoded word, a domain in Punycode).
func checkAddress(s string) *apiError {
	if !strings.Contains(s, "@") {
		return invalidParameter("Missing final '@domain'")
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return invalidParameter("Address must be 7-bit ASCII: encode a display name as an RFC 2047 encoded word and a domain in Punycode.")
		}
	}
	if _, err := mail.ParseAddress(s); err != nil {
		return invalidParameter("Illegal address")
	}
	return nil
}

// members reads the Query protocol's list prefix.member.1, .2, …
func members(f url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		k := prefix + ".member." + strconv.Itoa(i)
		if !f.Has(k) {
			return out
		}
		out = append(out, f.Get(k))
	}
}

func hasPrefix(f url.Values, prefix string) bool {
	for k := range f {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

type messageIDResult struct {
	MessageID string `xml:"MessageId"`
}

type sendQuotaResult struct {
	Max24HourSend   float64
	MaxSendRate     float64
	SentLast24Hours float64
}

// sendQuota reports production-like limits (the stand-in enforces none) and
// what was sent in the 24 hours before the clock's now.
func (o *Outbox) sendQuota() sendQuotaResult {
	since := o.clock.Now().Add(-24 * time.Hour)
	return sendQuotaResult{Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: float64(o.sentSince(since))}
}

type identitiesResult struct {
	Identities struct {
		Member []string `xml:"member"`
	}
}

func (o *Outbox) listIdentitiesResult(f url.Values) (identitiesResult, *apiError) {
	var res identitiesResult
	switch f.Get("IdentityType") {
	case "", "EmailAddress":
		res.Identities.Member = o.listIdentities()
	case "Domain": // the stand-in verifies addresses only
	default:
		return res, invalidParameter("IdentityType must be EmailAddress or Domain.")
	}
	return res, nil
}

// result is an action's answer: its name and what goes in <ActionResult>.
type result struct {
	action string
	body   any
}

// response is a successful answer in SES's XML:
// <ActionResponse xmlns="…"><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…
type response struct {
	result
	requestID string
}

// MarshalXML writes the response envelope around the result's fields.
func (r response) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{Name: xml.Name{Local: r.action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: xmlns}}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(r.body, xml.StartElement{Name: xml.Name{Local: r.action + "Result"}}); err != nil {
		return err
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{r.requestID}
	if err := e.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func writeResult(w http.ResponseWriter, requestID string, res result) {
	writeXML(w, http.StatusOK, requestID, response{res, requestID})
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	type errorResponse struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	writeXML(w, e.status, requestID, errorResponse{Xmlns: xmlns, Type: typ, Code: e.code, Message: e.message, RequestID: requestID})
}

func writeXML(w http.ResponseWriter, status int, requestID string, v any) {
	body, err := xml.Marshal(v)
	if err != nil { // only a programming error in this package gets here
		status = http.StatusInternalServerError
		body = []byte(`<ErrorResponse xmlns="` + xmlns + `"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>The local SES stand-in could not encode its answer.</Message></Error><RequestId>` + requestID + `</RequestId></ErrorResponse>`)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(body)
}
