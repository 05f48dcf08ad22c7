package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// apiGatewayEvent is an HTTP API event as API Gateway documents it, with
// every field the type has: a JWT authorizer's claims and scopes, cookies,
// a query, a base64 body, a client certificate.
const apiGatewayEvent = `{
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/v1/reviews/rev%2F1/reports",
  "rawQueryString": "limit=20&cursor=a%3Db",
  "cookies": ["cookie1", "cookie2=v"],
  "headers": {"content-type": "application/json", "accept": "application/json, text/plain", "idempotency-key": "k-1"},
  "queryStringParameters": {"limit": "20", "cursor": "a=b"},
  "requestContext": {
    "accountId": "123456789012",
    "apiId": "api-id",
    "authentication": {"clientCert": {"clientCertPem": "CERT_CONTENT", "subjectDN": "www.example.com", "issuerDN": "Example issuer",
      "serialNumber": "a1:a1:a1", "validity": {"notBefore": "May 28 12:30:02 2019 GMT", "notAfter": "Aug  5 09:36:04 2021 GMT"}}},
    "authorizer": {"jwt": {"claims": {"sub": "user-1", "role": "business", "business_id": "biz_1", "exp": "1767225600"}, "scopes": ["candor/api"]}},
    "domainName": "id.execute-api.us-east-1.amazonaws.com",
    "domainPrefix": "id",
    "http": {"method": "POST", "path": "/v1/reviews/rev/1/reports", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"},
    "requestId": "id",
    "routeKey": "$default",
    "stage": "$default",
    "time": "12/Mar/2020:19:03:58 +0000",
    "timeEpoch": 1583348638390
  },
  "body": "eyJpdGVtcyI6W119",
  "pathParameters": {"parameter1": "value1"},
  "isBase64Encoded": true,
  "stageVariables": {"stageVariable1": "value1"}
}`

// decodeEvents are events whose decoding must equal encoding/json's,
// including the corners: nulls, repeated keys, keys in another case,
// escapes, invalid UTF-8, other authorizers, unknown fields.
var decodeEvents = []string{
	apiGatewayEvent,
	`{}`, `null`, ` {"rawPath":"/healthz"} `,
	`{"RAWPATH":"/a","rawPath":"/b","RawQueryString":"x=1"}`,
	`{"headers":{"a":"1"},"headers":{"b":"2","a":null}}`,
	`{"headers":null,"cookies":null,"queryStringParameters":{}}`,
	`{"cookies":["a","b"],"cookies":[null]}`, `{"cookies":["a"],"cookies":[]}`,
	`{"requestContext":{"authorizer":{"jwt":{"claims":{"sub":"a"}}}},"requestContext":{"authorizer":{"jwt":{"scopes":["s"]}}}}`,
	`{"requestContext":{"authorizer":null}}`, `{"requestContext":null,"body":null,"isBase64Encoded":null}`,
	`{"requestContext":{"authorizer":{"lambda":{"n":1.5,"list":[true,null,"x"],"o":{}},"iam":{"accessKey":"AK","cognitoIdentity":{"amr":["x"]}}}}}`,
	`{"body":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x\udc00","rawPath":"caf\u00e9 \xff\xfe end"}`,
	`{"unknown":{"deep":[1,-2.5e+3,true,false,null,{"a":[]}]},"version":"2.0"}`,
	`{"requestContext":{"timeEpoch":-0,"http":{"method":"GET","extra":1}}}`,
	`{"requestContext":{"timeEpoch":1e3}}`, `{"requestContext":{"timeEpoch":99999999999999999999}}`,
	`{"rawPath":1}`, `{"headers":{"a":1}}`, `{"cookies":"a"}`, `{"isBase64Encoded":"true"}`, `{"requestContext":[]}`,
	`{"requestContext":{"authorizer":{"jwt":{"claims":{"sub":["a"]}}}}}`,
	`[]`, `"x"`, ``, `{`, `{"a":}`, `{"a":1,}`, `{"a" 1}`, `{"body":"a` + "\x01" + `"}`, `{"body":"\x"}`, `{} x`,
	`{"body":"\u12"}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":tru}`, `{"a":nul}`,
}

func TestDecodeV2RequestAsEncodingJSON(t *testing.T) {
	for _, in := range decodeEvents {
		checkDecodeLikeJSON(t, []byte(in))
	}
	ev, err := DecodeV2Request([]byte(apiGatewayEvent))
	if err != nil || ev.RequestContext.Authorizer.JWT.Claims["business_id"] != "biz_1" || !ev.IsBase64Encoded || ev.Cookies[1] != "cookie2=v" {
		t.Errorf("DecodeV2Request(the documented event) = %+v, %v", ev, err)
	}
}

// FuzzDecodeV2Request: on any input DecodeV2Request fails exactly when
// encoding/json does, and otherwise decodes the same event.
func FuzzDecodeV2Request(f *testing.F) {
	for _, in := range decodeEvents {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecodeLikeJSON(t, in)
	})
}

func checkDecodeLikeJSON(t *testing.T, in []byte) {
	t.Helper()
	var want events.APIGatewayV2HTTPRequest
	wantErr := json.Unmarshal(in, &want)
	got, err := DecodeV2Request(in)
	switch {
	case (err != nil) != (wantErr != nil):
		t.Errorf("DecodeV2Request(%q) error = %v; encoding/json: %v", in, err, wantErr)
	case err == nil && !reflect.DeepEqual(got, want):
		t.Errorf("DecodeV2Request(%q) =\n%+v\nencoding/json:\n%+v", in, got, want)
	}
}

// responseCases are responses whose encoding must equal the Lambda
// library's encoder's, byte for byte.
var responseCases = []events.APIGatewayV2HTTPResponse{
	{},
	{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json; charset=utf-8", "X-B": "1", "A": "<&>"}, Body: `{"status":"ok"}` + "\n", Cookies: []string{}},
	{StatusCode: 404, Headers: map[string]string{}, MultiValueHeaders: map[string][]string{"b": {"1", "2"}, "a": nil}, Body: "<p>caf\u00e9</p>\u2028\u2029\x00\x1f\x7f\b\f\n\r\t\"\\ \xff", IsBase64Encoded: true, Cookies: []string{"a=b; HttpOnly", ""}},
}

func TestAppendV2ResponseAsEncodingJSON(t *testing.T) {
	for _, resp := range responseCases {
		checkEncodeLikeLambda(t, resp)
	}
}

// FuzzAppendV2Response: AppendV2Response writes what the Lambda library's
// encoder writes, for any strings.
func FuzzAppendV2Response(f *testing.F) {
	f.Add(200, "Content-Type", "text/html", "<p>\u2028</p>", "a=b", false)
	f.Add(500, "", "\xff", "\x00\"\\", "", true)
	f.Fuzz(func(t *testing.T, status int, key, value, body, cookie string, b64 bool) {
		checkEncodeLikeLambda(t, events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: map[string]string{key: value, value: body},
			MultiValueHeaders: map[string][]string{cookie: {key, body}}, Body: body, IsBase64Encoded: b64, Cookies: []string{cookie, value}})
	})
}

func checkEncodeLikeLambda(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want) // as lambda.Start's handler encodes a result
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		t.Fatal(err)
	}
	if got := AppendV2Response(nil, resp); !bytes.Equal(got, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
		t.Errorf("AppendV2Response(%+v) =\n%s\nencoding/json:\n%s", resp, got, want.Bytes())
	}
}

// TestLambdaAnswersAsHTTPAdapter: through Lambda, every request of
// TestRouter gets the answer httpadapter's ProxyWithContext gives, as the
// Lambda library would have encoded it — the caller's claims reach the
// handler, the refusals are the same.
func TestLambdaAnswersAsHTTPAdapter(t *testing.T) {
	captureLogs(t)
	rt := testRouter()
	l, adapter := NewLambda(rt), httpadapter.NewV2(rt)
	evs := []events.APIGatewayV2HTTPRequest{
		v2Event("GET", "/v1/reviews/rev_1", businessClaims),
		v2Event("GET", "/v1/reviews/rev_1", nil),
		v2Event("GET", "/v1/reviews/rev_1", complianceClaims),
		v2Event("DELETE", "/v1/reviews/rev_1", businessClaims),
		v2Event("GET", "/v1/files/a%2Fb/c", nil),
		v2Event("GET", "/v1/nothing", nil),
		v2Event("GET", "/v1/panic", nil),
	}
	withBody := v2Event("POST", "/v1/compliance/tickets/t/claim", complianceClaims)
	withBody.Body, withBody.IsBase64Encoded, withBody.RawQueryString, withBody.Cookies = "eyJhIjoxfQ==", true, "a=1&b=%20", []string{"c=d"}
	evs = append(evs, withBody)
	for _, ev := range evs {
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("Invoke(%s %s) error = %v", ev.RequestContext.HTTP.Method, ev.RawPath, err)
		}
		resp, err := adapter.ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		var want events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(got, &want); err != nil {
			t.Fatalf("Invoke answered %s: %v", got, err)
		}
		if !reflect.DeepEqual(want, resp) {
			t.Errorf("%s %s: Lambda answered\n%+v\nhttpadapter\n%+v", ev.RequestContext.HTTP.Method, ev.RawPath, want, resp)
		}
	}
	if _, err := l.Invoke(context.Background(), []byte(`{"rawPath":`)); err == nil {
		t.Errorf("Invoke(a truncated event) succeeded, want an error")
	}
}
