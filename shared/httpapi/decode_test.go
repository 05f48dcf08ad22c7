package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// reportItem and reportRequest have the shape of the API's report request (docs/api.md).
type reportItem struct {
	Scope   string  `json:"scope"`
	Reason  string  `json:"reason"`
	Details string  `json:"details"`
	Excerpt *string `json:"excerpt,omitempty"`
}

type reportRequest struct {
	Items           []reportItem `json:"items"`
	PublicStatement string       `json:"publicStatement"`
}

const validReport = `{"items":[{"scope":"content","reason":"offensive_or_harmful","details":"The title insults our staff by name.","excerpt":"idiots"}],"publicStatement":"We have reported this review."}`

func newJSONRequest(contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/v1/reviews/rev_1/reports", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// wantError checks that err is an *Error with the status, code and exactly
// the fields given (nil fields: none).
func wantError(t *testing.T, err error, status int, code string, fields map[string]string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *Error %d %s", err, err, status, code)
	}
	if e.Status != status || e.Code != code {
		t.Errorf("error = %d %s (%q), want %d %s", e.Status, e.Code, e.Message, status, code)
	}
	if !maps.Equal(e.Fields, fields) {
		t.Errorf("fields = %v, want %v", e.Fields, fields)
	}
}

// bodyOfSize returns a valid report request of exactly n bytes, padded inside
// the public statement.
func bodyOfSize(t *testing.T, n int) string {
	t.Helper()
	head := `{"items":[],"publicStatement":"`
	tail := `"}`
	pad := n - len(head) - len(tail)
	if pad < 0 {
		t.Fatalf("body of %d bytes is too small", n)
	}
	return head + strings.Repeat("a", pad) + tail
}

func TestDecodeJSONReportRequest(t *testing.T) {
	excerpt := "idiots"
	items4 := func(fourthScope string) string {
		item := `{"scope":"review","reason":"spam","details":"Same text posted ten times."}`
		return `{"items":[` + item + `,` + item + `,` + item + `,{"scope":` + fourthScope + `,"reason":"spam","details":"x"}],"publicStatement":"s"}`
	}
	tests := []struct {
		name        string
		contentType string
		body        string
		want        *reportRequest // on success
		status      int
		code        string
		fields      map[string]string
	}{
		{
			name: "valid with charset", contentType: "application/json; charset=utf-8", body: validReport,
			want: &reportRequest{
				Items:           []reportItem{{Scope: "content", Reason: "offensive_or_harmful", Details: "The title insults our staff by name.", Excerpt: &excerpt}},
				PublicStatement: "We have reported this review.",
			},
		},
		{
			name: "valid without parameters", contentType: "application/json", body: `{"publicStatement":"ok"}`,
			want: &reportRequest{PublicStatement: "ok"},
		},
		{
			name: "media type is case-insensitive", contentType: "Application/JSON; Charset=UTF-8", body: `{"publicStatement":"ok"}`,
			want: &reportRequest{PublicStatement: "ok"},
		},
		{
			name: "null leaves fields empty", contentType: "application/json", body: `{"items":null,"publicStatement":null}`,
			want: &reportRequest{},
		},
		{
			name: "surrogate pair is fine", contentType: "application/json", body: `{"publicStatement":"\ud83d\ude00 \\ud800"}`,
			want: &reportRequest{PublicStatement: "\U0001F600 \\ud800"},
		},
		{
			name: "trailing whitespace is fine", contentType: "application/json", body: "{\"publicStatement\":\"ok\"} \r\n\t",
			want: &reportRequest{PublicStatement: "ok"},
		},

		{name: "text/plain", contentType: "text/plain", body: validReport, status: 415, code: "unsupported_media_type"},
		{name: "missing content type", contentType: "", body: validReport, status: 415, code: "unsupported_media_type"},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: validReport, status: 415, code: "unsupported_media_type"},
		{name: "json suffix type", contentType: "application/merge-patch+json", body: validReport, status: 415, code: "unsupported_media_type"},
		{name: "other charset", contentType: "application/json; charset=iso-8859-1", body: validReport, status: 415, code: "unsupported_media_type"},
		{name: "unparsable content type", contentType: "application/json; charset", body: validReport, status: 415, code: "unsupported_media_type"},

		{name: "empty body", contentType: "application/json", body: "", status: 400, code: "malformed_request"},
		{name: "whitespace body", contentType: "application/json", body: " \n\t ", status: 400, code: "malformed_request"},
		{name: "invalid json", contentType: "application/json", body: `{"items":[}`, status: 400, code: "malformed_request"},
		{name: "truncated json", contentType: "application/json", body: `{"items":[{"scope":"content"`, status: 400, code: "malformed_request"},
		{name: "single quotes", contentType: "application/json", body: `{'publicStatement':'x'}`, status: 400, code: "malformed_request"},
		{name: "invalid utf-8", contentType: "application/json", body: "{\"publicStatement\":\"caf\xe9\"}", status: 400, code: "malformed_request"},
		{name: "unpaired high surrogate", contentType: "application/json", body: `{"publicStatement":"\ud800"}`, status: 400, code: "malformed_request"},
		{name: "unpaired low surrogate", contentType: "application/json", body: `{"publicStatement":"\udc00x"}`, status: 400, code: "malformed_request"},
		{name: "high surrogate then letter", contentType: "application/json", body: `{"publicStatement":"\ud800\u0041"}`, status: 400, code: "malformed_request"},
		{name: "second object", contentType: "application/json", body: `{"publicStatement":"a"}{"publicStatement":"b"}`, status: 400, code: "malformed_request"},
		{name: "trailing garbage", contentType: "application/json", body: `{"publicStatement":"a"} x`, status: 400, code: "malformed_request"},
		{name: "array", contentType: "application/json", body: `[{"publicStatement":"a"}]`, status: 400, code: "malformed_request"},
		{name: "string", contentType: "application/json", body: `"a"`, status: 400, code: "malformed_request"},
		{name: "null", contentType: "application/json", body: `null`, status: 400, code: "malformed_request"},
		{name: "number", contentType: "application/json", body: `42`, status: 400, code: "malformed_request"},

		{
			name: "unknown top-level field", contentType: "application/json", body: `{"publicStatement":"a","foo":1}`,
			status: 400, code: "malformed_request", fields: map[string]string{"foo": "unknown field"},
		},
		{
			name: "unknown nested field", contentType: "application/json",
			body:   `{"items":[{"scope":"review"},{"scope":"review","foo":{"bar":[1,2]}}],"publicStatement":"a"}`,
			status: 400, code: "malformed_request", fields: map[string]string{"items[1].foo": "unknown field"},
		},
		{
			name: "field names are case-sensitive", contentType: "application/json", body: `{"PublicStatement":"a"}`,
			status: 400, code: "malformed_request", fields: map[string]string{"PublicStatement": "unknown field"},
		},
		{
			name: "wrong type deep in an array", contentType: "application/json", body: items4("7"),
			status: 400, code: "malformed_request", fields: map[string]string{"items[3].scope": "must be a string"},
		},
		{
			name: "object where a string goes", contentType: "application/json",
			body:   `{"items":[{"details":{"text":"x"}}]}`,
			status: 400, code: "malformed_request", fields: map[string]string{"items[0].details": "must be a string"},
		},
		{
			name: "object where an array goes", contentType: "application/json", body: `{"items":{"scope":"review"}}`,
			status: 400, code: "malformed_request", fields: map[string]string{"items": "must be an array"},
		},
		{
			name: "string where an object goes", contentType: "application/json", body: `{"items":[{},"spam"]}`,
			status: 400, code: "malformed_request", fields: map[string]string{"items[1]": "must be an object"},
		},
		{
			name: "boolean where a string goes", contentType: "application/json", body: `{"publicStatement":true}`,
			status: 400, code: "malformed_request", fields: map[string]string{"publicStatement": "must be a string"},
		},
		{
			name: "duplicate top-level key", contentType: "application/json", body: `{"publicStatement":"a","publicStatement":"b"}`,
			status: 400, code: "malformed_request", fields: map[string]string{"publicStatement": "duplicate key"},
		},
		{
			name: "duplicate key spelled with an escape", contentType: "application/json", body: `{"publicStatement":"a","\u0070ublicStatement":"b"}`,
			status: 400, code: "malformed_request", fields: map[string]string{"publicStatement": "duplicate key"},
		},
		{
			name: "duplicate nested key", contentType: "application/json", body: `{"items":[{"scope":"review","scope":"content"}]}`,
			status: 400, code: "malformed_request", fields: map[string]string{"items[0].scope": "duplicate key"},
		},
		{
			name: "every problem is reported", contentType: "application/json",
			body:   `{"items":[{"scope":1,"why":"x"}],"publicStatement":[],"extra":null}`,
			status: 400, code: "malformed_request",
			fields: map[string]string{"items[0].scope": "must be a string", "items[0].why": "unknown field", "publicStatement": "must be a string", "extra": "unknown field"},
		},
		{
			name: "a syntax error wins over field problems", contentType: "application/json", body: `{"foo":1,"items":[}`,
			status: 400, code: "malformed_request",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got reportRequest
			err := DecodeJSON(newJSONRequest(tt.contentType, tt.body), &got)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want success", err)
				}
				if !reflect.DeepEqual(&got, tt.want) {
					t.Errorf("decoded %+v, want %+v", got, *tt.want)
				}
				return
			}
			wantError(t, err, tt.status, tt.code, tt.fields)
		})
	}
}

func TestDecodeJSONSize(t *testing.T) {
	tests := []struct {
		name          string
		body          string
		contentLength int64 // -1: unknown (chunked); 0: the body's length
		status        int
	}{
		{name: "exactly 64 KiB", body: bodyOfSize(t, MaxBodyBytes), status: 0},
		{name: "64 KiB + 1", body: bodyOfSize(t, MaxBodyBytes+1), status: 413},
		{name: "64 KiB + 1 without Content-Length", body: bodyOfSize(t, MaxBodyBytes+1), contentLength: -1, status: 413},
		{name: "exactly 64 KiB without Content-Length", body: bodyOfSize(t, MaxBodyBytes), contentLength: -1, status: 0},
		{name: "declared too large", body: `{}`, contentLength: MaxBodyBytes + 1, status: 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newJSONRequest("application/json", tt.body)
			if tt.contentLength != 0 {
				r.ContentLength = tt.contentLength
				r.Body = io.NopCloser(strings.NewReader(tt.body))
			}
			var got reportRequest
			err := DecodeJSON(r, &got)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want success", err)
				}
				if len(got.PublicStatement) == 0 {
					t.Errorf("public statement is empty, want the padded text")
				}
				return
			}
			wantError(t, err, tt.status, "payload_too_large", nil)
		})
	}
}

func TestDecodeJSONReadsAtMostLimitPlusOne(t *testing.T) {
	src := &countingReader{r: strings.NewReader(strings.Repeat(" ", 10*MaxBodyBytes))}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = -1
	r.Body = io.NopCloser(src)
	wantError(t, DecodeJSON(r, &reportRequest{}), 413, "payload_too_large", nil)
	if src.n > MaxBodyBytes+1 {
		t.Errorf("read %d bytes, want at most %d", src.n, MaxBodyBytes+1)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Types beyond strings and arrays, decoded as encoding/json would but with
// the exact path of every problem.
type embedded struct {
	Note string `json:"note"`
}

type kitchenSink struct {
	embedded
	Count   int               `json:"count"`
	Small   int8              `json:"small"`
	Size    uint              `json:"size"`
	Ratio   float64           `json:"ratio"`
	Flag    bool              `json:"flag"`
	When    time.Time         `json:"when"`
	Scores  map[string]int    `json:"scores"`
	Tags    map[string]string `json:"tags"`
	Blob    []byte            `json:"blob"`
	Pair    [2]int            `json:"pair"`
	Any     any               `json:"any"`
	Raw     json.RawMessage   `json:"raw"`
	Quoted  int64             `json:"quoted,string"`
	Ptr     *int              `json:"ptr"`
	Hidden  string            `json:"-"`
	Untaged string
	private string
}

func TestDecodeJSONTypes(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		fields map[string]string // nil: success
		check  func(t *testing.T, got kitchenSink)
	}{
		{
			name: "every kind decodes",
			body: `{"note":"n","count":-3,"small":12,"size":7,"ratio":0.5,"flag":true,"when":"2026-01-02T03:04:05Z",` +
				`"scores":{"a":1},"tags":{"k":"v"},"blob":"aGk=","pair":[1,2],"any":{"x":[1,"y"]},"raw":{"r":1},` +
				`"quoted":"42","ptr":5,"Untaged":"u"}`,
			check: func(t *testing.T, got kitchenSink) {
				if got.Note != "n" || got.Count != -3 || got.Quoted != 42 || string(got.Blob) != "hi" || *got.Ptr != 5 || got.Untaged != "u" {
					t.Errorf("decoded %+v, want the values sent", got)
				}
				if want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC); !got.When.Equal(want) {
					t.Errorf("when = %v, want %v", got.When, want)
				}
			},
		},
		{name: "fraction into int", body: `{"count":1.5}`, fields: map[string]string{"count": "must be an integer"}},
		{name: "exponent into int", body: `{"count":1e3}`, fields: map[string]string{"count": "must be an integer"}},
		{name: "int8 overflow", body: `{"small":300}`, fields: map[string]string{"small": "is out of range"}},
		{name: "negative uint", body: `{"size":-1}`, fields: map[string]string{"size": "must be a non-negative integer"}},
		{name: "float overflow", body: `{"ratio":1e400}`, fields: map[string]string{"ratio": "is out of range"}},
		{name: "string into number", body: `{"ratio":"0.5"}`, fields: map[string]string{"ratio": "must be a number"}},
		{name: "number into bool", body: `{"flag":1}`, fields: map[string]string{"flag": "must be a boolean"}},
		{name: "bad time", body: `{"when":"yesterday"}`, fields: map[string]string{"when": "must be an RFC 3339 date-time"}},
		{name: "map value wrong type", body: `{"scores":{"a":1,"b":"two"}}`, fields: map[string]string{"scores.b": "must be an integer"}},
		{name: "map duplicate key", body: `{"tags":{"k":"v","k":"w"}}`, fields: map[string]string{"tags.k": "duplicate key"}},
		{name: "bad base64", body: `{"blob":"***"}`, fields: map[string]string{"blob": "must be a base64 string"}},
		{name: "array too long", body: `{"pair":[1,2,3]}`, fields: map[string]string{"pair": "must have at most 2 items"}},
		{name: "any keeps duplicates out", body: `{"any":{"x":[{"y":1,"y":2}]}}`, fields: map[string]string{"any.x[0].y": "duplicate key"}},
		{name: "any number too large", body: `{"any":[1e999]}`, fields: map[string]string{"any[0]": "is out of range"}},
		{name: "raw message duplicate key", body: `{"raw":{"a":1,"a":2}}`, fields: map[string]string{"raw.a": "duplicate key"}},
		{name: "quoted not a number", body: `{"quoted":"x"}`, fields: map[string]string{"quoted": "must be a string holding an integer"}},
		{name: "quoted not a string", body: `{"quoted":42}`, fields: map[string]string{"quoted": "must be a string"}},
		{name: "ignored field is unknown", body: `{"Hidden":"h"}`, fields: map[string]string{"Hidden": "unknown field"}},
		{name: "unexported field is unknown", body: `{"private":"p"}`, fields: map[string]string{"private": "unknown field"}},
		{name: "embedded struct itself is unknown", body: `{"embedded":{}}`, fields: map[string]string{"embedded": "unknown field"}},
		{name: "embedded field wrong type", body: `{"note":3}`, fields: map[string]string{"note": "must be a string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got kitchenSink
			err := DecodeJSON(newJSONRequest("application/json", tt.body), &got)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want success", err)
				}
				if tt.check != nil {
					tt.check(t, got)
				}
				return
			}
			wantError(t, err, 400, "malformed_request", tt.fields)
		})
	}
}

func TestDecodeJSONTooDeep(t *testing.T) {
	body := `{"any":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`
	var got map[string]any
	wantError(t, DecodeJSON(newJSONRequest("application/json", body), &got), 400, "malformed_request", nil)
}

func TestDecodeJSONCapsFieldProblems(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"publicStatement":"a"`)
	for i := range 100 {
		b.WriteString(`,"k` + strings.Repeat("x", i) + `":1`)
	}
	b.WriteString(`}`)
	err := DecodeJSON(newJSONRequest("application/json", b.String()), &reportRequest{})
	var e *Error
	if !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("DecodeJSON() = %v, want a 400 *Error", err)
	}
	if len(e.Fields) != maxFieldErrors {
		t.Errorf("got %d field problems, want them capped at %d", len(e.Fields), maxFieldErrors)
	}
}

func TestDecodeJSONNeedsAPointer(t *testing.T) {
	for _, dst := range []any{nil, reportRequest{}, (*reportRequest)(nil)} {
		err := DecodeJSON(newJSONRequest("application/json", validReport), dst)
		var e *Error
		if err == nil || errors.As(err, &e) {
			t.Errorf("DecodeJSON(%T) = %v, want a plain (500) error", dst, err)
		}
	}
}

func TestDecodeOptionalJSON(t *testing.T) {
	type opt struct {
		Note string `json:"note"`
	}
	tests := []struct {
		name, contentType, body string
		want                    opt
		status                  int
	}{
		{name: "no body, no type", want: opt{}},
		{name: "no body, JSON type", contentType: "application/json", want: opt{}},
		{name: "whitespace, JSON type", contentType: "application/json", body: " \n", want: opt{}},
		{name: "null", contentType: "application/json", body: "null", want: opt{}},
		{name: "null, no type", body: "null", want: opt{}},
		{name: "empty object", contentType: "application/json", body: "{}", want: opt{}},
		{name: "a field", contentType: "application/json", body: `{"note":"hi"}`, want: opt{Note: "hi"}},
		{name: "a body of another type", contentType: "text/plain", body: `{"note":"hi"}`, status: 415},
		{name: "a body without a type", body: `{"note":"hi"}`, status: 415},
		{name: "an unknown field", contentType: "application/json", body: `{"x":1}`, status: 400},
		{name: "not an object", contentType: "application/json", body: `[]`, status: 400},
		{name: "not JSON", contentType: "application/json", body: `nul`, status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/x", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var got opt
			err := DecodeOptionalJSON(r, &got)
			if tt.status == 0 {
				if err != nil || got != tt.want {
					t.Fatalf("DecodeOptionalJSON() = %v, %+v; want %+v", err, got, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != tt.status {
				t.Fatalf("DecodeOptionalJSON() = %v, want status %d", err, tt.status)
			}
		})
	}
}
