package asl

import (
	"regexp"
	"strings"
	"testing"
)

func evalIntrinsic(t *testing.T, expr string, input, ctx any, srcs Sources) (any, error) {
	t.Helper()
	f, err := CompileIntrinsic(expr)
	if err != nil {
		t.Fatalf("CompileIntrinsic: %v", err)
	}
	return f.WithSources(srcs).Eval(input, ctx)
}

// Examples of states-language.net/spec.html#appendix-b and of AWS's
// "Intrinsic functions for JSONPath states" page.
func TestIntrinsicSpecExamples(t *testing.T) {
	fixed := Sources{Rand: func() float64 { return 0.5 }, UUID: func() string { return "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8" }}
	for _, tc := range []struct {
		name, expr, input, want string
	}{
		{"States.Format", `States.Format('Your name is {}, we are in the year {}', $.name, 2020)`,
			`{"name": "Foo", "zebra": "stripe"}`, `"Your name is Foo, we are in the year 2020"`},
		{"States.Format with an escaped quote (spec Intrinsic Functions example)", `States.Format('Welcome to {} {}\'s playlist.', $.firstName, $.lastName)`,
			`{"firstName": "John", "lastName": "Doe"}`, `"Welcome to John Doe's playlist."`},
		{"States.Format with the template from a path (AWS)", `States.Format($.template, $.name)`,
			`{"name": "Arnav", "template": "Hello, my name is {}."}`, `"Hello, my name is Arnav."`},
		{"States.StringToJson", `States.StringToJson($.someString)`,
			`{"someString": "{\"number\": 20}", "zebra": "stripe"}`, `{"number": 20}`},
		{"States.JsonToString", `States.JsonToString($.someJson)`,
			`{"someJson": {"name": "Foo", "year": 2020}, "zebra": "stripe"}`, `"{\"name\":\"Foo\",\"year\":2020}"`},
		{"States.Array", `States.Array('Foo', 2020, $.someJson, null)`,
			`{"someJson": {"random": "abcdefg"}, "zebra": "stripe"}`, `["Foo", 2020, {"random": "abcdefg"}, null]`},
		{"States.Array (AWS)", `States.Array($.Id)`, `{"Id": 123456}`, `[123456]`},
		{"States.ArrayPartition", `States.ArrayPartition($.inputArray,4)`,
			`{"inputArray": [1,2,3,4,5,6,7,8,9]}`, `[[1,2,3,4], [5,6,7,8], [9]]`},
		{"States.ArrayContains", `States.ArrayContains($.inputArray, $.lookingFor)`,
			`{"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5}`, `true`},
		{"States.ArrayRange", `States.ArrayRange(1, 9, 2)`, `{}`, `[1,3,5,7,9]`},
		{"States.ArrayGetItem", `States.ArrayGetItem($.inputArray, $.index)`,
			`{"inputArray": [1,2,3,4,5,6,7,8,9], "index": 5}`, `6`},
		{"States.ArrayLength", `States.ArrayLength($.inputArray)`, `{"inputArray": [1,2,3,4,5,6,7,8,9]}`, `9`},
		{"States.ArrayUnique", `States.ArrayUnique($.inputArray)`, `{"inputArray": [1,2,3,3,3,3,3,3,4]}`, `[1,2,3,4]`},
		{"States.Base64Encode", `States.Base64Encode($.input)`, `{"input": "Data to encode"}`, `"RGF0YSB0byBlbmNvZGU="`},
		// The spec prints "Decoded data" as the result, which is not what the
		// example's input decodes to; AWS's page has "Data to encode".
		{"States.Base64Decode", `States.Base64Decode($.base64)`, `{"base64": "RGF0YSB0byBlbmNvZGU="}`, `"Data to encode"`},
		// The spec and AWS print "aaff4a450a104cd177d28d18d7485e8cae074b7",
		// one hex digit short of a SHA-1; this is the real digest.
		{"States.Hash", `States.Hash($.Data, $.Algorithm)`, `{"Data": "input data", "Algorithm": "SHA-1"}`,
			`"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"States.JsonMerge", `States.JsonMerge($.json1, $.json2, false)`,
			`{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}`,
			`{"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}`},
		{"States.MathRandom", `States.MathRandom($.start, $.end)`, `{"start": 1, "end": 999}`, `500`},
		{"States.MathAdd", `States.MathAdd($.value1, $.step)`, `{"value1": 111, "step": -1}`, `110`},
		{"States.StringSplit", `States.StringSplit($.inputString, $.splitter)`,
			`{"inputString": "1,2,3,4,5", "splitter": ","}`, `["1","2","3","4","5"]`},
		{"States.StringSplit with several delimiters (AWS)", `States.StringSplit($.inputString, $.splitter)`,
			`{"inputString": "This.is+a,test=string", "splitter": ".+,="}`, `["This","is","a","test","string"]`},
		{"States.UUID", `States.UUID()`, `{}`, `"ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := evalIntrinsic(t, tc.expr, decode(t, tc.input), nil, fixed)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

func TestIntrinsicBehaviour(t *testing.T) {
	ctx := decode(t, `{"Execution": {"Name": "exec-7"}, "Map": {"Item": {"Index": 2}}}`)
	for _, tc := range []struct {
		name, expr, input, want string
	}{
		// AWS: "You can nest up to 10 intrinsic functions within a field". The
		// AWS page's own nine-call example passes two values to a three-{}
		// template; here the template has two.
		{"nine nested calls (AWS example)", `States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))`,
			`{"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.2.3"}}`, `"1.2"`},
		{"nested calls as arguments", `States.MathAdd(States.ArrayLength(States.Array(1, 2, 3)), States.MathAdd($.x, 1))`, `{"x": 5}`, `9`},
		{"context paths", `States.Format('{}#{}', $$.Execution.Name, $$.Map.Item.Index)`, `{}`, `"exec-7#2"`},
		{"paths with filters and brackets inside arguments", `States.ArrayLength($.items[?(@.tag == 'a,b)')])`,
			`{"items": [{"tag": "a,b)"}, {"tag": "c"}, {"tag": "a,b)"}]}`, `2`},
		{"white space around arguments", `States.Array( 1 ,  'two' , $.x )`, `{"x": true}`, `[1, "two", true]`},
		{"literal escapes", `States.Format('\{\} {} \\ \'q\'', 'x')`, `{}`, `"{} x \\ 'q'"`},
		{"States.Format renders scalars naturally", `States.Format('{}|{}|{}|{}|{}', $.nil, $.bool, $.neg, $.frac, $.big)`,
			`{"nil": null, "bool": false, "neg": -1, "frac": 3.5, "big": 9007199254740991}`, `"null|false|-1|3.5|9007199254740991"`},
		{"States.Format without placeholders", `States.Format('no placeholders')`, `{}`, `"no placeholders"`},
		{"States.Array of nothing", `States.Array()`, `{}`, `[]`},
		{"States.JsonToString keeps <>&", `States.JsonToString($.o)`, `{"o": {"html": "<a href='x'>&</a>"}}`, `"{\"html\":\"<a href='x'>&</a>\"}"`},
		{"States.StringToJson of a scalar", `States.StringToJson($.s)`, `{"s": "\"x\""}`, `"x"`},
		{"States.ArrayPartition of an empty array", `States.ArrayPartition($.a, 3)`, `{"a": []}`, `[]`},
		{"States.ArrayContains compares objects deeply", `States.ArrayContains($.a, $.v)`, `{"a": [{"k": [1, 2]}], "v": {"k": [1, 2]}}`, `true`},
		{"States.ArrayContains is false when absent", `States.ArrayContains($.a, 'z')`, `{"a": ["x"]}`, `false`},
		{"States.ArrayRange descending", `States.ArrayRange(5, 1, -2)`, `{}`, `[5, 3, 1]`},
		{"States.ArrayRange empty when the step points away", `States.ArrayRange(5, 1, 1)`, `{}`, `[]`},
		{"States.ArrayRange exactly 1000 items", `States.ArrayLength(States.ArrayRange(1, 1000, 1))`, `{}`, `1000`},
		{"States.ArrayRange truncates fractions", `States.ArrayRange(1.4, 5.6, 2.2)`, `{}`, `[1, 3, 5]`},
		{"States.ArrayUnique keeps the first of equal objects", `States.ArrayUnique($.a)`, `{"a": [{"x": 1}, 1, {"x": 1}, 1.0, "1"]}`, `[{"x": 1}, 1, "1"]`},
		{"States.Hash of an object hashes its JSON text", `States.Hash($.o, 'MD5')`, `{"o": {"a": 1}}`, `"` + md5Of(`{"a":1}`) + `"`},
		{"States.Hash SHA-256 of unicode", `States.Hash('✓', 'SHA-256')`, `{}`, `"1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604"`},
		{"States.Hash SHA-384", `States.Hash('hello', 'SHA-384')`, `{}`, `"59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"`},
		{"States.Hash SHA-512", `States.Hash('hello', 'SHA-512')`, `{}`, `"9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"`},
		{"States.Base64Decode without padding", `States.Base64Decode('aGk')`, `{}`, `"hi"`},
		{"States.MathAdd rounds to the nearest integer", `States.MathAdd($.a, $.b)`, `{"a": 1.6, "b": 2.7}`, `5`},
		{"States.MathAdd at the int32 edge", `States.MathAdd(2147483646, 1)`, `{}`, `2147483647`},
		{"States.MathRandom with a seed is repeatable", `States.Array(States.MathRandom(1, 100, 42), States.MathRandom(1, 100, 42))`, `{}`, seededPair(t)},
		{"States.StringSplit drops empty tokens", `States.StringSplit($.s, ',')`, `{"s": ",a,,b,"}`, `["a", "b"]`},
		{"States.StringSplit of an empty string", `States.StringSplit('', ',')`, `{}`, `[]`},
		{"States.StringSplit with no delimiter characters", `States.StringSplit('abc', '')`, `{}`, `["abc"]`},
		{"States.JsonMerge right wins, nested objects replaced", `States.JsonMerge($.a, $.b, false)`,
			`{"a": {"n": {"x": 1}, "keep": 1}, "b": {"n": null}}`, `{"n": null, "keep": 1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := evalIntrinsic(t, tc.expr, decode(t, tc.input), ctx, Sources{})
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

func md5Of(s string) string {
	v, err := evalIntrinsicNoT("States.Hash($.s, 'MD5')", map[string]any{"s": s})
	if err != nil {
		panic(err)
	}
	return v.(string)
}

func evalIntrinsicNoT(expr string, input any) (any, error) {
	f, err := CompileIntrinsic(expr)
	if err != nil {
		return nil, err
	}
	return f.Eval(input, nil)
}

// seededPair is the JSON of two draws with seed 42, which must be equal.
func seededPair(t *testing.T) string {
	v, err := evalIntrinsicNoT("States.MathRandom(1, 100, 42)", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := canon(t, v)
	return "[" + s + "," + s + "]"
}

func TestIntrinsicMD5Known(t *testing.T) {
	if got := md5Of("hello"); got != "5d41402abc4b2a76b9719d911017c592" {
		t.Errorf("MD5(hello) = %s, want 5d41402abc4b2a76b9719d911017c592", got)
	}
}

// States.MathRandom draws from [start, end): the injected source decides.
func TestIntrinsicMathRandomRange(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want string
	}{{0, `1`}, {0.999999, `998`}, {0.5, `500`}} {
		got, err := evalIntrinsic(t, "States.MathRandom(1, 999)", nil, nil, Sources{Rand: func() float64 { return tc.r }})
		if err != nil {
			t.Fatal(err)
		}
		assertJSON(t, got, tc.want)
	}
	// Without an injected source the default one stays in range.
	for i := 0; i < 50; i++ {
		got, err := evalIntrinsic(t, "States.MathRandom(3, 5)", nil, nil, Sources{})
		if err != nil {
			t.Fatal(err)
		}
		if s := canon(t, got); s != "3" && s != "4" {
			t.Fatalf("MathRandom(3, 5) = %s, want 3 or 4", s)
		}
	}
}

func TestIntrinsicDefaultUUID(t *testing.T) {
	got, err := evalIntrinsic(t, "States.UUID()", nil, nil, Sources{})
	if err != nil {
		t.Fatal(err)
	}
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if s, _ := got.(string); !v4.MatchString(s) {
		t.Errorf("UUID() = %v, want a version 4 UUID", got)
	}
}

// A path argument that selects nothing is States.Runtime, as a ".$" path
// that selects nothing is.
func TestIntrinsicMissingPathIsRuntime(t *testing.T) {
	_, err := evalIntrinsic(t, `States.Hash($.missing, 'SHA-256')`, decode(t, `{"a": 1}`), nil, Sources{})
	assertError(t, err, ErrRuntime, `The JSONPath '$.missing' specified for the field '' could not be found in the input '{"a":1}'`)
}

// Bad arguments discovered at run time are States.IntrinsicFailure.
func TestIntrinsicRuntimeFailures(t *testing.T) {
	long := strings.Repeat("a", 10001)
	for _, tc := range []struct {
		name, expr, input, fragment string
	}{
		{"Format template from input with too few values", `States.Format($.t, 1)`, `{"t": "{} {}"}`, "2 {} placeholder(s) but 1"},
		{"Format template from input with a lone brace", `States.Format($.t)`, `{"t": "Hello {"}`, "does not open a {} placeholder"},
		{"Format template that is not a string", `States.Format($.t, 1)`, `{"t": 123}`, "argument 1 must be a string"},
		{"StringToJson of bad JSON", `States.StringToJson($.s)`, `{"s": "{nope"}`, "not a valid JSON text"},
		{"StringToJson of a number", `States.StringToJson($.s)`, `{"s": 1}`, "argument 1 must be a string, got number"},
		{"ArrayPartition of a non-array", `States.ArrayPartition($.s, 2)`, `{"s": "abc"}`, "argument 1 must be an array"},
		{"ArrayPartition with size 0", `States.ArrayPartition($.a, $.n)`, `{"a": [1], "n": 0}`, "positive integer"},
		{"ArrayPartition with a fractional size", `States.ArrayPartition($.a, 1.5)`, `{"a": [1]}`, "positive integer"},
		{"ArrayRange step zero", `States.ArrayRange(1, 10, 0)`, `{}`, "must not be zero"},
		{"ArrayRange step that truncates to zero", `States.ArrayRange(1, 10, 0.49)`, `{}`, "must not be zero"},
		{"ArrayRange over 1000 items", `States.ArrayRange(1, 1001, 1)`, `{}`, "1001 items, more than the limit of 1000"},
		{"ArrayRange descending over 1000 items", `States.ArrayRange(1001, 1, -1)`, `{}`, "more than the limit"},
		{"ArrayRange with a string from input", `States.ArrayRange($.s, 5, 1)`, `{"s": "a"}`, "argument 1 must be a number"},
		{"ArrayGetItem index equal to length", `States.ArrayGetItem($.a, 3)`, `{"a": [1, 2, 3]}`, "out of bounds"},
		{"ArrayGetItem negative index", `States.ArrayGetItem($.a, -1)`, `{"a": [1]}`, "out of bounds"},
		{"ArrayGetItem of a string", `States.ArrayGetItem($.s, 0)`, `{"s": "abc"}`, "argument 1 must be an array"},
		{"ArrayLength of an object", `States.ArrayLength($.o)`, `{"o": {}}`, "must be an array, got object"},
		{"Base64Encode over 10000 characters", `States.Base64Encode($.s)`, `{"s": "` + long + `"}`, "10001 characters"},
		{"Base64Decode over 10000 characters", `States.Base64Decode($.s)`, `{"s": "` + long + `"}`, "10001 characters"},
		{"Base64Decode of garbage", `States.Base64Decode('%%%')`, `{}`, "not valid Base64"},
		{"Hash over 10000 characters", `States.Hash($.s, 'SHA-256')`, `{"s": "` + long + `"}`, "10001 characters"},
		{"Hash with an unknown algorithm from input", `States.Hash('x', $.alg)`, `{"alg": "sha-256"}`, "MD5, SHA-1"},
		{"JsonMerge of an array", `States.JsonMerge($.a, $.b, false)`, `{"a": [], "b": {}}`, "argument 1 must be an object"},
		{"JsonMerge deep from input", `States.JsonMerge($.a, $.b, $.deep)`, `{"a": {}, "b": {}, "deep": true}`, "deep merge"},
		{"MathAdd with a string", `States.MathAdd($.a, 1)`, `{"a": "1"}`, "must be a number, got string"},
		{"MathAdd operand beyond int32", `States.MathAdd(3000000000, 1)`, `{}`, "argument 1 is outside the range"},
		{"MathAdd overflow", `States.MathAdd(2147483647, 1)`, `{}`, "the sum is outside the range"},
		{"MathRandom with equal bounds", `States.MathRandom(1, 1)`, `{}`, "less than the end"},
		{"MathRandom with reversed bounds", `States.MathRandom(10, 5)`, `{}`, "less than the end"},
		{"MathRandom with a null seed", `States.MathRandom(1, 10, $.seed)`, `{"seed": null}`, "argument 3 must be a number"},
		{"StringSplit of a boolean", `States.StringSplit($.s, ',')`, `{"s": false}`, "argument 1 must be a string, got boolean"},
		{"StringSplit with an array delimiter", `States.StringSplit('a,b', $.d)`, `{"d": [","]}`, "argument 2 must be a string, got array"},
		{"failure inside a nested call", `States.Array(States.MathAdd($.a, 1))`, `{"a": "x"}`, "Invalid arguments in States.MathAdd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := evalIntrinsic(t, tc.expr, decode(t, tc.input), nil, Sources{})
			assertError(t, err, ErrIntrinsicFailure, tc.fragment)
		})
	}
}

// Errors that can be seen in the definition are reported at load time.
func TestCompileIntrinsicRejects(t *testing.T) {
	deep := "$.x"
	for i := 0; i < 11; i++ {
		deep = "States.Array(" + deep + ")"
	}
	for _, tc := range []struct{ name, expr, fragment string }{
		{"unknown function", `States.Nope(1)`, "unknown intrinsic function States.Nope"},
		{"not a call", `hello`, "expected '(' after hello"},
		{"missing parenthesis", `States.Array(1, 2`, "unterminated argument list"},
		{"trailing text", `States.Array() x`, "unexpected 'x' after the call"},
		{"empty argument", `States.ArrayGetItem($.a, )`, "unexpected ')' where an argument is expected"},
		{"double-quoted string", `States.Format("x")`, `unexpected '"'`},
		{"bare word", `States.Format(hello)`, `string literals are written in single quotes`},
		{"open escape backslash", `States.Format('a\nb')`, "open escape backslash"},
		{"unterminated string", `States.Format('abc)`, "unterminated string literal"},
		{"invalid path argument", `States.Array($.a[)`, "compile path"},
		{"Format placeholders do not match", `States.Format('{} {}', $.a)`, "2 {} placeholder(s) but 1"},
		{"Format lone brace", `States.Format('Hello {', $.a)`, "does not open a {} placeholder"},
		{"Format doubled braces", `States.Format('Hello {{}}', $.a)`, "does not open"},
		{"Format lone closing brace", `States.Format('}')`, "does not close"},
		{"Format with a number template", `States.Format(1)`, "argument 1 must be a string"},
		{"Format with no arguments", `States.Format()`, "at least 1 argument"},
		{"StringToJson arity", `States.StringToJson()`, "1 argument(s), got 0"},
		{"JsonToString of a literal", `States.JsonToString('x')`, "must be a path"},
		{"ArrayRange arity", `States.ArrayRange(1, 5)`, "3 argument(s), got 2"},
		{"ArrayRange literal string", `States.ArrayRange('a', 5, 1)`, "argument 1 must be a number"},
		{"ArrayGetItem extra argument", `States.ArrayGetItem($.a, 1, 999)`, "2 argument(s), got 3"},
		{"ArrayLength of a literal", `States.ArrayLength('abc')`, "must be an array"},
		{"Hash arity", `States.Hash('hello')`, "2 argument(s), got 1"},
		{"Hash unknown algorithm", `States.Hash('data', 'SHA-257')`, "MD5, SHA-1, SHA-256, SHA-384, SHA-512"},
		{"Hash lowercase algorithm", `States.Hash('data', 'sha-256')`, "MD5, SHA-1"},
		{"Hash numeric algorithm", `States.Hash('data', 123)`, "argument 2 must be a string"},
		{"JsonMerge deep", `States.JsonMerge($.a, $.b, true)`, "deep merge (true) is not supported"},
		{"JsonMerge non-boolean flag", `States.JsonMerge($.a, $.b, 'false')`, "argument 3 must be a boolean"},
		{"JsonMerge arity", `States.JsonMerge($.a, $.b)`, "3 argument(s), got 2"},
		{"MathRandom arity", `States.MathRandom(1)`, "2 to 3 arguments, got 1"},
		{"MathRandom four arguments", `States.MathRandom(1, 10, 5, 99)`, "2 to 3 arguments, got 4"},
		{"MathAdd with a literal boolean", `States.MathAdd(true, 1)`, "argument 1 must be a number"},
		{"MathAdd with null", `States.MathAdd(null, 1)`, "argument 1 must be a number, got the literal null"},
		{"StringSplit arity", `States.StringSplit($.s)`, "2 argument(s), got 1"},
		{"UUID with an argument", `States.UUID(1)`, "0 argument(s), got 1"},
		{"nesting deeper than 10", deep, "nested deeper than 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileIntrinsic(tc.expr)
			assertCompileError(t, err, tc.fragment)
		})
	}
}

func TestIntrinsicTenLevelsAllowed(t *testing.T) {
	expr := "$.x"
	for i := 0; i < 10; i++ {
		expr = "States.Array(" + expr + ")"
	}
	got, err := evalIntrinsic(t, expr, decode(t, `{"x": 1}`), nil, Sources{})
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, `[[[[[[[[[[1]]]]]]]]]]`)
}

// Evaluating never modifies the input, even when the result shares parts of it.
func TestIntrinsicDoesNotMutate(t *testing.T) {
	input := decode(t, `{"a": {"x": 1}, "b": {"y": 2}, "list": [1, 2, 3, 4, 5]}`)
	before := canon(t, input)
	for _, expr := range []string{
		`States.JsonMerge($.a, $.b, false)`,
		`States.ArrayPartition($.list, 2)`,
		`States.ArrayUnique($.list)`,
		`States.Array($.a, $.list)`,
	} {
		got, err := evalIntrinsic(t, expr, input, nil, Sources{})
		if err != nil {
			t.Fatal(err)
		}
		// Mutating the new containers of the result must not reach the input.
		switch x := got.(type) {
		case map[string]any:
			x["x"] = "changed"
		case []any:
			if inner, ok := x[0].([]any); ok {
				inner[0] = "changed"
			}
			x[0] = "changed"
		}
	}
	if after := canon(t, input); after != before {
		t.Errorf("input changed to %s, want %s", after, before)
	}
}
