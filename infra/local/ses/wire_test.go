package ses_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// post sends a form to the edge as an older SES client would, signing with
// service name "email", and returns the status, headers and body.
func post(t *testing.T, e *env, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260314/eu-north-1/email/aws4_request, SignedHeaders=host, Signature=00")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return res.StatusCode, res.Header, body
}

func sendForm() url.Values {
	return url.Values{
		"Action":                           {"SendEmail"},
		"Version":                          {"2010-12-01"},
		"Source":                           {"no-reply@candor.example"},
		"Destination.ToAddresses.member.1": {"r@example.com"},
		"Message.Subject.Data":             {"Hi"},
		"Message.Body.Text.Data":           {"Hello"},
	}
}

func TestSendEmailResponseXML(t *testing.T) {
	e := newEnv(t)
	status, h, body := post(t, e, sendForm())
	if status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", status, body)
	}
	var got struct {
		XMLName   xml.Name `xml:"http://ses.amazonaws.com/doc/2010-12-01/ SendEmailResponse"`
		MessageID string   `xml:"SendEmailResult>MessageId"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("response is not a SendEmailResponse in SES's namespace: %v\n%s", err, body)
	}
	if msgs := e.outbox.Messages(); len(msgs) != 1 || msgs[0].ID != got.MessageID {
		t.Errorf("MessageId %q does not name the one stored message (%d stored)", got.MessageID, len(msgs))
	}
	if got.RequestID == "" || h.Get("X-Amzn-Requestid") != got.RequestID {
		t.Errorf("RequestId %q, header %q: want the same, non-empty", got.RequestID, h.Get("X-Amzn-Requestid"))
	}
	if ct := h.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q, want text/xml", ct)
	}
}

func TestErrorResponseXML(t *testing.T) {
	with := func(f func(url.Values)) url.Values {
		v := sendForm()
		f(v)
		return v
	}
	cases := []struct {
		name       string
		form       url.Values
		fail       string // injected failure code
		wantStatus int
		wantType   string
		wantCode   string
		wantMsg    string
	}{
		{name: "unknown action", form: with(func(v url.Values) { v.Set("Action", "SendPigeon") }),
			wantStatus: 400, wantType: "Sender", wantCode: "InvalidAction", wantMsg: `"SendPigeon" is not valid`},
		{name: "no action", form: with(func(v url.Values) { v.Del("Action") }),
			wantStatus: 400, wantType: "Sender", wantCode: "MissingAction", wantMsg: "names no Action"},
		{name: "other API version", form: with(func(v url.Values) { v.Set("Version", "2019-09-27") }),
			wantStatus: 400, wantType: "Sender", wantCode: "NoSuchVersion", wantMsg: "2019-09-27"},
		{name: "missing body", form: with(func(v url.Values) { v.Del("Message.Body.Text.Data") }),
			wantStatus: 400, wantType: "Sender", wantCode: "ValidationError", wantMsg: "'message.body'"},
		{name: "charset without data", form: with(func(v url.Values) { v.Set("Message.Body.Html.Charset", "UTF-8") }),
			wantStatus: 400, wantType: "Sender", wantCode: "ValidationError", wantMsg: "'message.body.html.data'"},
		{name: "injected Throttling", form: sendForm(), fail: "Throttling",
			wantStatus: 400, wantType: "Sender", wantCode: "Throttling", wantMsg: "Maximum sending rate exceeded."},
		{name: "injected ServiceUnavailable", form: sendForm(), fail: "ServiceUnavailable",
			wantStatus: 503, wantType: "Receiver", wantCode: "ServiceUnavailable", wantMsg: "Service Unavailable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.fail != "" {
				e.outbox.Fail(1, tc.fail)
			}
			status, h, body := post(t, e, tc.form)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			var got struct {
				XMLName   xml.Name `xml:"http://ses.amazonaws.com/doc/2010-12-01/ ErrorResponse"`
				Type      string   `xml:"Error>Type"`
				Code      string   `xml:"Error>Code"`
				Message   string   `xml:"Error>Message"`
				RequestID string   `xml:"RequestId"`
			}
			if err := xml.Unmarshal(body, &got); err != nil {
				t.Fatalf("body is not SES's ErrorResponse: %v\n%s", err, body)
			}
			if got.Type != tc.wantType || got.Code != tc.wantCode {
				t.Errorf("Type, Code = %q, %q; want %q, %q", got.Type, got.Code, tc.wantType, tc.wantCode)
			}
			if !strings.Contains(got.Message, tc.wantMsg) {
				t.Errorf("Message %q does not contain %q", got.Message, tc.wantMsg)
			}
			if got.RequestID == "" || got.RequestID != h.Get("X-Amzn-Requestid") {
				t.Errorf("RequestId %q, header %q: want the same, non-empty", got.RequestID, h.Get("X-Amzn-Requestid"))
			}
			if n := len(e.outbox.Messages()); n != 0 {
				t.Errorf("outbox has %d messages, want 0", n)
			}
		})
	}
}

func TestQueryProtocolOverGET(t *testing.T) {
	e := newEnv(t)
	req, err := http.NewRequest(http.MethodGet, e.url+"/?"+sendForm().Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260314/eu-north-1/ses/aws4_request, SignedHeaders=host, Signature=00")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(e.outbox.Messages()) != 1 {
		t.Errorf("GET SendEmail: status %d, %d messages; want 200 and 1", res.StatusCode, len(e.outbox.Messages()))
	}
}
