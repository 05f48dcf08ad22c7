package asl

import (
	"errors"
	"testing"
)

// The fuzz targets check that arbitrary paths, payload templates and
// intrinsic functions, evaluated against arbitrary JSON, never panic: each
// is either refused when compiled or evaluates to a value or an *Error (the
// error a state fails with). Seeds are the examples of the unit tests,
// which follow the spec (states-language.net) and the AWS guide.

// fuzzDoc is the document most seeds are evaluated against.
const fuzzDoc = `{"a": {"b": [1, 2, 3], "x": "y", "length": 2}, "list": [1, "two", {"three": 3}, null, true, 1.5e3],
  "store": {"book": [{"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99, "isbn": "0-553"}],
    "bicycle": {"color": "red", "price": 19.95}}, "expensive": 10,
  "s": "aGVsbG8=", "n": 3, "name": "Ada", "template": "Hello {}", "inputArray": [1, 2, 3, 3], "index": 1,
  "o": {}, "t": "{}", "v": 2, "someJson": {"k": [1]}, "Id": "id-1", "lookingFor": 3, "base64": "aGk=", "input": "hi"}`

// fuzzCtx is a context object like the engine's.
const fuzzCtx = `{"Execution": {"Id": "arn:aws:states:us-east-1:000000000000:execution:m:exec-7", "Name": "exec-7", "Input": {}, "RedriveCount": 0},
  "State": {"Name": "S", "EnteredTime": "2025-03-14T09:00:00.000Z", "RetryCount": 0},
  "StateMachine": {"Id": "arn:aws:states:us-east-1:000000000000:stateMachine:m", "Name": "m"},
  "Map": {"Item": {"Index": 2, "Value": {"x": 1}}}, "Task": {"Token": "tok"}}`

var pathSeeds = []string{
	"$", "$$", "$$.Execution.Id", "$.", "$..[?(@.price > 20)].title", "$..a", "$..author", "$..b[*].length()",
	"$..book[-1:].title", "$..book[2].title", "$..book[:2].title", "$..book[?(!@.isbn)].title",
	"$..book[?(@.author =~ /.*REES/i)].author", "$..book[?(@.category != 'fiction')].title",
	"$..book[?(@.category == 'fiction' && @.price > 20)].title", "$..book[?(@.category == 'reference' || @.price > 20)].title",
	"$..book[?(@.category nin ['fiction'])].title", "$..book[?(@.price <= $['expensive'])].price",
	"$..book[?(@.title size 9)].title", "$.a.*", "$.a.b.avg()", "$.a.b.first()", "$.a.b.last()", "$.a.b.max()",
	"$.a.b.sum()", "$.a.b[-1]", "$.a.b[1]", "$.a.keys()", "$.a.length()", "$.a['x','y']", "$.a[*]", "$.a[0,1]",
	"$.a[1:2]", "$.a[?(@.b =~ /(/)]", "$.a[", "$.a]", "$.list[?(@ > 1)]", "$.store.book[0:2:1]", "$['a']['b'][0]",
	"$.a.b[?(@ in [1, 2])]", "$..*", "$.a.b[(@.length-1)]",
}

// FuzzPath compiles s as a Path, a Reference Path and a ResultPath, and
// applies what compiles to doc (and the context object), as InputPath,
// OutputPath, ItemsPath and ResultPath do.
func FuzzPath(f *testing.F) {
	for _, p := range pathSeeds {
		f.Add(p, fuzzDoc)
	}
	f.Add("$.a.b", `[1, {"b": {}}]`)
	f.Add("$.x.y.z", `{"x": null}`)
	f.Fuzz(func(t *testing.T, s, doc string) {
		input, err := Decode([]byte(doc))
		if err != nil {
			return
		}
		ctx, err := Decode([]byte(fuzzCtx))
		if err != nil {
			t.Fatal(err)
		}
		if p, err := CompilePath(s); err == nil {
			checkEvalError(t, "InputPath "+s, func() error { _, err := ApplyInputPath(p, false, input, ctx); return err })
			checkEvalError(t, "Get "+s, func() error { _, err := p.Get(input, ctx); return err })
		}
		if p, err := CompileReferencePath(s); err == nil {
			checkEvalError(t, "reference path "+s, func() error { _, err := p.Get(input, ctx); return err })
		}
		if p, err := CompileResultPath(s); err == nil {
			checkEvalError(t, "ResultPath "+s, func() error {
				out, err := ApplyResultPath(p, false, input, map[string]any{"r": true})
				if err == nil {
					if _, eerr := encodeJSON(out); eerr != nil {
						t.Errorf("ResultPath %s produced a value that is not JSON: %v", s, eerr)
					}
				}
				return err
			})
		}
	})
}

var intrinsicSeeds = []string{
	"States.Array( 1 ,  'two' , $.x )", "States.Array('Foo', 2020, $.someJson, null)", "States.Array(States.MathAdd($.a, 1))",
	"States.Array(States.MathRandom(1, 100, 42), States.MathRandom(1, 100, 42))", "States.ArrayContains($.inputArray, $.lookingFor)",
	"States.ArrayGetItem($.inputArray, $.index)", "States.ArrayGetItem($.a, -1)", "States.ArrayLength($.inputArray)",
	"States.ArrayLength($.items[?(@.tag == 'a,b)')])", "States.ArrayPartition($.inputArray,4)", "States.ArrayPartition($.a, 1.5)",
	"States.ArrayRange(1, 9, 2)", "States.ArrayRange(1.4, 5.6, 2.2)", "States.ArrayRange(1001, 1, -1)", "States.ArrayRange(1, 10, 0.49)",
	"States.ArrayUnique($.inputArray)", "States.Base64Decode($.base64)", "States.Base64Encode($.input)", "States.Base64Decode('%%%')",
	"States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)", "States.Format('\\{\\} {} \\\\ \\'q\\'', 'x')",
	"States.Format($.template, $.name)", "States.Format('Hello {', $.a)", "States.Hash($.input, 'SHA-256')", "States.Hash('x', 'MD5')",
	"States.JsonMerge($.a, $.someJson, false)", "States.JsonToString($.a)", "States.StringToJson($.t)", "States.StringToJson('{\"a\": [1, 2]}')",
	"States.MathAdd($.n, -1)", "States.MathAdd(9007199254740991, 1)", "States.MathRandom(1, 10)", "States.StringSplit('a,b,,c', ',')",
	"States.UUID()", "States.Format('{}#{}', $$.Execution.Name, $$.Map.Item.Index)", "States.Array() x", "States.Array(1, 2",
}

// FuzzIntrinsic compiles expr as an intrinsic function (as in a payload
// template, ErrorPath or CausePath) and evaluates it against doc.
func FuzzIntrinsic(f *testing.F) {
	for _, s := range intrinsicSeeds {
		f.Add(s, fuzzDoc)
	}
	f.Fuzz(func(t *testing.T, expr, doc string) {
		input, err := Decode([]byte(doc))
		if err != nil {
			return
		}
		ctx, _ := Decode([]byte(fuzzCtx))
		fn, err := CompileIntrinsic(expr)
		if err != nil {
			return
		}
		checkEvalError(t, expr, func() error {
			v, err := fn.WithSources(Sources{Rand: func() float64 { return 0.25 }, UUID: func() string { return "00000000-0000-4000-8000-000000000000" }}).Eval(input, ctx)
			if err == nil {
				if _, eerr := encodeJSON(v); eerr != nil {
					t.Errorf("%s produced a value that is not JSON: %v", expr, eerr)
				}
			}
			return err
		})
	})
}

var templateSeeds = []string{
	`{"flagged": true, "parts": {"first.$": "$.a.b[0]", "last.$": "$.a.b[-1:]"}, "weekday.$": "$$.State.EnteredTime"}`,
	`{"msg.$": "States.Format('Hello, {}!', $.name)", "n.$": "States.MathAdd($.n, 1)", "ctx.$": "$$.Execution.Name"}`,
	`{"FunctionName": "f", "Payload": {"request.$": "$.Id", "token.$": "$$.Task.Token"}}`,
	`{"x.$": "hello"}`, `{"x.$": 1}`, `{"list": [{"a.$": "$.a"}, 1, "two", null]}`, `{"items.$": "$.store.book[?(@.price < 10)]"}`,
	`{"key.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"}`, `"$.a"`, `[{"a.$": "$"}]`, `{"a.$": "States.Array($.a, $.list)", "a": 1}`,
}

// FuzzTemplate compiles a JSON payload template (Parameters, ResultSelector,
// ItemSelector) and evaluates it against doc.
func FuzzTemplate(f *testing.F) {
	for _, s := range templateSeeds {
		f.Add(s, fuzzDoc)
	}
	f.Fuzz(func(t *testing.T, tmpl, doc string) {
		raw, err := Decode([]byte(tmpl))
		if err != nil {
			return
		}
		input, err := Decode([]byte(doc))
		if err != nil {
			return
		}
		ctx, _ := Decode([]byte(fuzzCtx))
		tp, err := CompileTemplate(raw)
		if err != nil {
			return
		}
		checkEvalError(t, tmpl, func() error {
			v, err := tp.WithSources(Sources{Rand: func() float64 { return 0.5 }, UUID: func() string { return "u" }}).Eval(input, ctx)
			if err == nil {
				if _, eerr := encodeJSON(v); eerr != nil {
					t.Errorf("%s produced a value that is not JSON: %v", tmpl, eerr)
				}
			}
			return err
		})
	})
}

// checkEvalError runs an evaluation and fails the test if it returns an
// error that is not an *Error (a state's failure with an ASL error name).
func checkEvalError(t *testing.T, what string, eval func() error) {
	t.Helper()
	err := eval()
	var ae *Error
	if err != nil && !errors.As(err, &ae) {
		t.Errorf("%s: error %v (%T) is not an *asl.Error", what, err, err)
	}
}
