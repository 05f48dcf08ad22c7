package asl

import (
	"sync"
	"testing"
)

func mustTemplate(t testing.TB, raw string) *Template {
	t.Helper()
	tpl, err := CompileTemplate(decode(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// states-language.net/spec.html#payload-template examples.
func TestTemplateSpecExamples(t *testing.T) {
	for _, tc := range []struct {
		name, template, input, ctx, want string
	}{
		{
			name:     "static payload is identical to the template",
			template: `{"first": 88, "second": 99}`,
			input:    `{"ignored": true}`, ctx: `{}`,
			want: `{"first": 88, "second": 99}`,
		},
		{
			// The spec's example reads "$.DayOfWeek" while saying the value
			// comes from the Context Object; "$$" is what makes that true.
			name: "paths, a slice, the context object and States.Format",
			template: `{
			  "flagged": true,
			  "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
			  "weekday.$": "$$.DayOfWeek",
			  "formattedOutput.$": "States.Format('Today is {}', $$.DayOfWeek)"
			}`,
			input: `{"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}`,
			ctx:   `{"DayOfWeek": "TUESDAY"}`,
			want: `{"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]},
			        "weekday": "TUESDAY", "formattedOutput": "Today is TUESDAY"}`,
		},
		{
			name:     "spec Intrinsic Functions example",
			template: `{"greeting.$": "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)"}`,
			input:    `{"firstName": "John", "lastName": "Doe"}`, ctx: `{}`,
			want: `{"greeting": "Welcome to John Doe's playlist."}`,
		},
		{
			name:     "spec Query Languages example",
			template: `{"total.$": "$.transaction.total"}`,
			input:    `{"transaction": {"total": 42.5}}`, ctx: `{}`,
			want: `{"total": 42.5}`,
		},
		{
			name:     "spec Map state: the context object carries the item",
			template: `{"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "shared.$": "$.shared"}`,
			input:    `{"shared": "s"}`, ctx: `{"Map": {"Item": {"Index": 3, "Value": {"id": "r-1"}}}}`,
			want: `{"index": 3, "value": {"id": "r-1"}, "shared": "s"}`,
		},
		{
			name:     "fields inside arrays and deep objects are processed",
			template: `{"list": [1, {"id.$": "$.id"}, [{"n.$": "States.ArrayLength($.xs)"}]], "deep": {"a": {"b": {"c.$": "$.id"}}}}`,
			input:    `{"id": "r-9", "xs": [1, 2]}`, ctx: `{}`,
			want: `{"list": [1, {"id": "r-9"}, [{"n": 2}]], "deep": {"a": {"b": {"c": "r-9"}}}}`,
		},
		{
			name:     "an indefinite path yields a list, possibly empty",
			template: `{"ids.$": "$.items[*].id", "none.$": "$.items[?(@.gone)]"}`,
			input:    `{"items": [{"id": 1}, {"id": 2}]}`, ctx: `{}`,
			want: `{"ids": [1, 2], "none": []}`,
		},
		{
			name:     "a key of only .$ and a plain key that merely contains $",
			template: `{".$": "$.a", "price$": "$.a"}`,
			input:    `{"a": 1}`, ctx: `{}`,
			want: `{"": 1, "price$": "$.a"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := mustTemplate(t, tc.template)
			got, err := tpl.Eval(decode(t, tc.input), decode(t, tc.ctx))
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

func TestCompileTemplateRejects(t *testing.T) {
	for _, tc := range []struct{ name, template, fragment string }{
		{"not an object", `[1]`, "must be a JSON object, got array"},
		{"null", `null`, "must be a JSON object, got null"},
		{"a .$ value that is not a string", `{"a": {"b.$": 5}}`, `field "a.b.$": the value of a field ending in ".$" must be a string, got number`},
		{"a .$ value inside an array", `{"list": [{"x.$": true}]}`, `field "list[0].x.$"`},
		{"an invalid path", `{"x.$": "$.a["}`, `field "x.$": compile path`},
		{"neither path nor intrinsic", `{"x.$": "hello"}`, `field "x.$": not a path (paths begin with '$') nor a valid intrinsic function`},
		{"an unknown intrinsic", `{"x.$": "States.Nope()"}`, `unknown intrinsic function States.Nope`},
		{"an intrinsic with the wrong arity", `{"p": {"x.$": "States.MathAdd(1)"}}`, `field "p.x.$"`},
		{"a collision once .$ is stripped", `{"a": 1, "a.$": "$.a"}`, `field "a.$": it collides with field "a"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileTemplate(decode(t, tc.template))
			assertCompileError(t, err, "compile template", tc.fragment)
		})
	}
}

func TestTemplateEvalFailures(t *testing.T) {
	for _, tc := range []struct{ name, template, input, errName, fragment string }{
		{"a path that selects nothing", `{"p": {"x.$": "$.missing"}}`, `{"a":1}`, ErrRuntime,
			`The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}'`},
		{"a context path that selects nothing quotes the context object", `{"t.$": "$$.Task.Token"}`, `{}`, ErrRuntime,
			"The JSONPath '$$.Task.Token' specified for the field 't.$' could not be found in the input '{\"Execution\":{}}'"},
		{"a failing intrinsic", `{"n.$": "States.MathAdd($.a, 1)"}`, `{"a": "x"}`, ErrIntrinsicFailure,
			"field 'n.$'"},
		{"an intrinsic whose path selects nothing", `{"n.$": "States.MathAdd($.a, 1)"}`, `{}`, ErrRuntime,
			"The JSONPath '$.a' specified for the field 'n.$' could not be found in the input '{}'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustTemplate(t, tc.template).Eval(decode(t, tc.input), decode(t, `{"Execution":{}}`))
			assertError(t, err, tc.errName, tc.fragment)
		})
	}
}

// The payload is new: changing it changes neither the template nor a later
// payload, and the input stays untouched.
func TestTemplateCopyOnWrite(t *testing.T) {
	raw := decode(t, `{"static": {"list": [1, 2]}, "id.$": "$.id"}`)
	tpl, err := CompileTemplate(raw)
	if err != nil {
		t.Fatal(err)
	}
	raw.(map[string]any)["static"].(map[string]any)["list"] = "changed after compile"
	input := decode(t, `{"id": "r-1"}`)
	first, err := tpl.Eval(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	first.(map[string]any)["static"].(map[string]any)["list"].([]any)[0] = "changed"
	second, err := tpl.Eval(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, second, `{"static": {"list": [1, 2]}, "id": "r-1"}`)
	assertJSON(t, input, `{"id": "r-1"}`)
}

func TestTemplateWithSources(t *testing.T) {
	tpl := mustTemplate(t, `{"id.$": "States.UUID()", "n.$": "States.MathRandom(0, 10)"}`)
	fixed := tpl.WithSources(Sources{UUID: func() string { return "fixed-uuid" }, Rand: func() float64 { return 0.35 }})
	got, err := fixed.Eval(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, `{"id": "fixed-uuid", "n": 3}`)
	// The original template keeps the default sources.
	got, err = tpl.Eval(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if id := got.(map[string]any)["id"]; id == "fixed-uuid" {
		t.Errorf("original template uses the injected UUID source")
	}
}

// A compiled template is shared by concurrent executions (run with -race).
func TestTemplateConcurrentEval(t *testing.T) {
	tpl := mustTemplate(t, lambdaTemplate)
	input := decode(t, lambdaInput)
	ctx := decode(t, lambdaContext)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				out, err := tpl.Eval(input, ctx)
				if err != nil {
					t.Error(err)
					return
				}
				out.(map[string]any)["Payload"].(map[string]any)["kind"] = "mutated"
			}
		}()
	}
	wg.Wait()
	out, err := tpl.Eval(input, ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, out, lambdaWant)
}

// lambdaTemplate is a typical Parameters block of a Lambda task with a task
// token, as Candor's state machines use it.
const lambdaTemplate = `{
  "FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:candor-send-proof-request",
  "Payload": {
    "kind": "proof_request",
    "reportId.$": "$.reportId",
    "reviewId.$": "$.reviewId",
    "version.$": "$.version",
    "reasons.$": "$.items[*].reason",
    "taskToken.$": "$$.Task.Token",
    "execution": {
      "id.$": "$$.Execution.Id",
      "startedAt.$": "$$.Execution.StartTime"
    },
    "round.$": "States.MathAdd($.round, 1)",
    "idempotencyKey.$": "States.Format('{}#{}#proof', $.reportId, $.version)"
  }
}`

const lambdaInput = `{
  "reportId": "rep_01HZX3",
  "reviewId": "rev_01HZX1",
  "version": 3,
  "round": 0,
  "items": [
    {"scope": "reviewer", "reason": "no_genuine_experience"},
    {"scope": "content", "reason": "promotional"}
  ]
}`

const lambdaContext = `{
  "Execution": {"Id": "arn:aws:states:eu-west-1:123456789012:execution:report:rep_01HZX3", "StartTime": "2024-05-01T10:00:00Z"},
  "Task": {"Token": "AQCEAAAAKgAAAAMAAAAAAAAAAc"}
}`

const lambdaWant = `{
  "FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:candor-send-proof-request",
  "Payload": {
    "kind": "proof_request",
    "reportId": "rep_01HZX3",
    "reviewId": "rev_01HZX1",
    "version": 3,
    "reasons": ["no_genuine_experience", "promotional"],
    "taskToken": "AQCEAAAAKgAAAAMAAAAAAAAAAc",
    "execution": {"id": "arn:aws:states:eu-west-1:123456789012:execution:report:rep_01HZX3", "startedAt": "2024-05-01T10:00:00Z"},
    "round": 1,
    "idempotencyKey": "rep_01HZX3#3#proof"
  }
}`

func TestTemplateLambdaPayload(t *testing.T) {
	got, err := mustTemplate(t, lambdaTemplate).Eval(decode(t, lambdaInput), decode(t, lambdaContext))
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, lambdaWant)
}

func BenchmarkTemplateEvalLambdaPayload(b *testing.B) {
	tpl := mustTemplate(b, lambdaTemplate)
	input := decode(b, lambdaInput)
	ctx := decode(b, lambdaContext)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Eval(input, ctx); err != nil {
			b.Fatal(err)
		}
	}
}
