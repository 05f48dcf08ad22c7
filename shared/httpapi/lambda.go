package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// Lambda serves an http.Handler as a Lambda function behind API Gateway's
// HTTP API (payload format 2.0). It does what
// lambda.Start(httpadapter.NewV2(h).ProxyWithContext) does — the same
// conversion to an http.Request, the request context (and with it the
// authorizer's claims) in its context, the same response — but reads the
// event and writes the response with the codec of this file
// (DecodeV2Request, AppendV2Response) instead of encoding/json's
// reflection, whose first use costs about 0.8 million instructions at a
// cold start (docs/ops.md, "Size and start-up of the functions").
// Pass it to lambda.Start: it is a lambda.Handler.
type Lambda struct {
	adapter *httpadapter.HandlerAdapterV2
}

// NewLambda returns the Lambda handler of h.
func NewLambda(h http.Handler) *Lambda {
	return &Lambda{adapter: httpadapter.NewV2(h)}
}

// Invoke answers one invocation: payload is the event as Lambda delivers
// it; the result is the response API Gateway reads. A payload that is not
// an HTTP API event is an error, as is a failed conversion (the
// invocation fails, as with httpadapter).
func (l *Lambda) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	ev, err := DecodeV2Request(payload)
	if err != nil {
		return nil, err
	}
	resp, err := l.adapter.ProxyWithContext(ctx, ev)
	if err != nil {
		return nil, fmt.Errorf("api gateway adapter: %w", err)
	}
	return AppendV2Response(make([]byte, 0, v2ResponseSize(resp)), resp), nil
}

// v2ResponseSize is room for resp's JSON in one allocation: its strings,
// an eighth more for escapes, and the field names. Growing the buffer by
// doubling instead copies a page's body several times into fresh memory,
// each copy touching new pages: a cost a cold start pays by the page.
func v2ResponseSize(resp events.APIGatewayV2HTTPResponse) int {
	n := len(resp.Body)
	for k, v := range resp.Headers {
		n += len(k) + len(v) + 6
	}
	for k, vs := range resp.MultiValueHeaders {
		n += len(k) + 6
		for _, v := range vs {
			n += len(v) + 3
		}
	}
	for _, c := range resp.Cookies {
		n += len(c) + 3
	}
	return n + n/8 + 128
}

// DecodeV2Request decodes an API Gateway HTTP API event (payload format
// 2.0) into events.APIGatewayV2HTTPRequest exactly as encoding/json's
// Unmarshal does: the same fields (names matched case-insensitively, the
// last of a repeated key winning), null leaving a field unset, a value of
// the wrong type an error, invalid UTF-8 in a string replaced by U+FFFD.
// Only the Lambda authorizer's free-form context
// (requestContext.authorizer.lambda), which Candor's JWT authorizer never
// sends, is handed to encoding/json.
func DecodeV2Request(data []byte) (events.APIGatewayV2HTTPRequest, error) {
	var ev events.APIGatewayV2HTTPRequest
	d := &jsonReader{data: data}
	d.skipSpace()
	d.value(func() { d.object(d.topField(&ev)) })
	d.skipSpace()
	if d.err == nil && d.pos < len(d.data) {
		d.fail("data after the event")
	}
	if d.err != nil {
		return events.APIGatewayV2HTTPRequest{}, fmt.Errorf("api gateway event: %w", d.err)
	}
	return ev, nil
}

func (d *jsonReader) topField(ev *events.APIGatewayV2HTTPRequest) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "version"):
			d.str(&ev.Version)
		case fieldIs(key, "routeKey"):
			d.str(&ev.RouteKey)
		case fieldIs(key, "rawPath"):
			d.str(&ev.RawPath)
		case fieldIs(key, "rawQueryString"):
			d.str(&ev.RawQueryString)
		case fieldIs(key, "cookies"):
			d.strings(&ev.Cookies)
		case fieldIs(key, "headers"):
			d.stringMap(&ev.Headers)
		case fieldIs(key, "queryStringParameters"):
			d.stringMap(&ev.QueryStringParameters)
		case fieldIs(key, "pathParameters"):
			d.stringMap(&ev.PathParameters)
		case fieldIs(key, "requestContext"):
			d.value(func() { d.object(d.contextField(&ev.RequestContext)) })
		case fieldIs(key, "stageVariables"):
			d.stringMap(&ev.StageVariables)
		case fieldIs(key, "body"):
			d.str(&ev.Body)
		case fieldIs(key, "isBase64Encoded"):
			d.boolean(&ev.IsBase64Encoded)
		default:
			d.skip()
		}
	}
}

func (d *jsonReader) contextField(rc *events.APIGatewayV2HTTPRequestContext) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "routeKey"):
			d.str(&rc.RouteKey)
		case fieldIs(key, "accountId"):
			d.str(&rc.AccountID)
		case fieldIs(key, "stage"):
			d.str(&rc.Stage)
		case fieldIs(key, "requestId"):
			d.str(&rc.RequestID)
		case fieldIs(key, "authorizer"):
			pointer(d, &rc.Authorizer, d.authorizerField)
		case fieldIs(key, "apiId"):
			d.str(&rc.APIID)
		case fieldIs(key, "domainName"):
			d.str(&rc.DomainName)
		case fieldIs(key, "domainPrefix"):
			d.str(&rc.DomainPrefix)
		case fieldIs(key, "time"):
			d.str(&rc.Time)
		case fieldIs(key, "timeEpoch"):
			d.int64(&rc.TimeEpoch)
		case fieldIs(key, "http"):
			d.value(func() { d.object(d.httpField(&rc.HTTP)) })
		case fieldIs(key, "authentication"):
			d.value(func() {
				d.object(func(key string) {
					if !fieldIs(key, "clientCert") {
						d.skip()
						return
					}
					d.value(func() { d.object(d.clientCertField(&rc.Authentication.ClientCert)) })
				})
			})
		default:
			d.skip()
		}
	}
}

func (d *jsonReader) httpField(h *events.APIGatewayV2HTTPRequestContextHTTPDescription) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "method"):
			d.str(&h.Method)
		case fieldIs(key, "path"):
			d.str(&h.Path)
		case fieldIs(key, "protocol"):
			d.str(&h.Protocol)
		case fieldIs(key, "sourceIp"):
			d.str(&h.SourceIP)
		case fieldIs(key, "userAgent"):
			d.str(&h.UserAgent)
		default:
			d.skip()
		}
	}
}

func (d *jsonReader) authorizerField(a *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "jwt"):
			pointer(d, &a.JWT, func(j *events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription) func(string) {
				return func(key string) {
					switch {
					case fieldIs(key, "claims"):
						d.stringMap(&j.Claims)
					case fieldIs(key, "scopes"):
						d.strings(&j.Scopes)
					default:
						d.skip()
					}
				}
			})
		case fieldIs(key, "lambda"):
			d.lambdaContext(&a.Lambda)
		case fieldIs(key, "iam"):
			pointer(d, &a.IAM, d.iamField)
		default:
			d.skip()
		}
	}
}

func (d *jsonReader) iamField(i *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "accessKey"):
			d.str(&i.AccessKey)
		case fieldIs(key, "accountId"):
			d.str(&i.AccountID)
		case fieldIs(key, "callerId"):
			d.str(&i.CallerID)
		case fieldIs(key, "cognitoIdentity"):
			d.value(func() {
				d.object(func(key string) {
					switch {
					case fieldIs(key, "amr"):
						d.strings(&i.CognitoIdentity.AMR)
					case fieldIs(key, "identityId"):
						d.str(&i.CognitoIdentity.IdentityID)
					case fieldIs(key, "identityPoolId"):
						d.str(&i.CognitoIdentity.IdentityPoolID)
					default:
						d.skip()
					}
				})
			})
		case fieldIs(key, "principalOrgId"):
			d.str(&i.PrincipalOrgID)
		case fieldIs(key, "userArn"):
			d.str(&i.UserARN)
		case fieldIs(key, "userId"):
			d.str(&i.UserID)
		default:
			d.skip()
		}
	}
}

func (d *jsonReader) clientCertField(c *events.APIGatewayV2HTTPRequestContextAuthenticationClientCert) func(string) {
	return func(key string) {
		switch {
		case fieldIs(key, "clientCertPem"):
			d.str(&c.ClientCertPem)
		case fieldIs(key, "issuerDN"):
			d.str(&c.IssuerDN)
		case fieldIs(key, "serialNumber"):
			d.str(&c.SerialNumber)
		case fieldIs(key, "subjectDN"):
			d.str(&c.SubjectDN)
		case fieldIs(key, "validity"):
			d.value(func() {
				d.object(func(key string) {
					switch {
					case fieldIs(key, "notAfter"):
						d.str(&c.Validity.NotAfter)
					case fieldIs(key, "notBefore"):
						d.str(&c.Validity.NotBefore)
					default:
						d.skip()
					}
				})
			})
		default:
			d.skip()
		}
	}
}

// pointer decodes an object into *p as encoding/json does into a pointer
// to a struct: null sets it to nil, an object fills the struct it points
// to (allocated if nil).
func pointer[T any](d *jsonReader, p **T, fields func(*T) func(string)) {
	if d.null() {
		*p = nil
		return
	}
	if d.peek() != '{' {
		d.typeError("object")
		return
	}
	if *p == nil {
		*p = new(T)
	}
	d.object(fields(*p))
}

// AppendV2Response appends resp to dst as the JSON that the Lambda runtime
// library's encoder writes for it (encoding/json, HTML not escaped, no
// trailing newline): byte for byte the same.
func AppendV2Response(dst []byte, resp events.APIGatewayV2HTTPResponse) []byte {
	dst = append(dst, `{"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(resp.StatusCode), 10)
	dst = append(dst, `,"headers":`...)
	dst = appendStringMap(dst, resp.Headers)
	dst = append(dst, `,"multiValueHeaders":`...)
	if resp.MultiValueHeaders == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '{')
		for i, k := range sortedKeys(resp.MultiValueHeaders) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendStrings(dst, resp.MultiValueHeaders[k])
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `,"body":`...)
	dst = appendJSONString(dst, resp.Body)
	if resp.IsBase64Encoded {
		dst = append(dst, `,"isBase64Encoded":true`...)
	}
	dst = append(dst, `,"cookies":`...)
	dst = appendStrings(dst, resp.Cookies)
	return append(dst, '}')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func appendStringMap(dst []byte, m map[string]string) []byte {
	if m == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = appendJSONString(dst, m[k])
	}
	return append(dst, '}')
}

func appendStrings(dst []byte, s []string) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, v)
	}
	return append(dst, ']')
}

// appendJSONString appends s as encoding/json writes a string with HTML
// escaping off: quotes, backslashes and control characters escaped
// (\b \f \n \r \t by name, the others as \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
