package asl

import (
	"testing"
)

// states-language.net/spec.html#ref-paths: "Then the following Reference
// Paths would return".
func TestReferencePathSpecExamples(t *testing.T) {
	input := decode(t, `{"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}}`)
	for _, tc := range []struct{ path, want string }{
		{"$.foo", `123`},
		{"$.bar", `["a", "b", "c"]`},
		{"$.car.cdr", `true`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := CompileReferencePath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Get(input, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

// states-language.net/spec.html#ref-paths: "Here are some examples of
// acceptable Reference Path syntax". A backslash escapes the next character of
// a dot-notation name.
func TestReferencePathSpecSyntaxExamples(t *testing.T) {
	for _, tc := range []struct {
		path  string
		input string // a document in which the path finds "hit"
	}{
		{`$.store.book`, `{"store": {"book": "hit"}}`},
		{`$.store\.book`, `{"store.book": "hit"}`},
		{`$.\stor\e.boo\k`, `{"store": {"book": "hit"}}`},
		{`$.store.book.title`, `{"store": {"book": {"title": "hit"}}}`},
		{`$.foo.\.bar`, `{"foo": {".bar": "hit"}}`},
		{`$.foo\@bar.baz\[\[.\?pretty`, `{"foo@bar": {"baz[[": {"?pretty": "hit"}}}`},
		{`$.&Ж中.\uD800\uDF46`, `{"&Ж中": {"uD800uDF46": "hit"}}`},
		{`$.ledgers.branch[0].pending.count`, `{"ledgers": {"branch": [{"pending": {"count": "hit"}}]}}`},
		{`$.ledgers.branch[0]`, `{"ledgers": {"branch": ["hit"]}}`},
		{`$.ledgers[0][22][315].foo`, `{"ledgers": [` + nested22x315 + `]}`},
		{`$['store']['book']`, `{"store": {"book": "hit"}}`},
		{`$['store'][0]['book']`, `{"store": [{"book": "hit"}]}`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := CompileReferencePath(tc.path)
			if err != nil {
				t.Fatalf("CompileReferencePath: %v", err)
			}
			got, err := p.Get(decode(t, tc.input), nil)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got != "hit" {
				t.Errorf("got %v, want hit", got)
			}
		})
	}
}

// nested22x315 is an array whose element 22 is an array whose element 315 is
// {"foo": "hit"}.
var nested22x315 = func() string {
	inner := "["
	for i := 0; i < 315; i++ {
		inner += "0,"
	}
	inner += `{"foo": "hit"}]`
	outer := "["
	for i := 0; i < 22; i++ {
		outer += "0,"
	}
	return outer + inner + "]"
}()

// Reference Paths must address a single node (spec: the operators "@", ",",
// ":" and "?" are not supported).
func TestCompileReferencePathRejects(t *testing.T) {
	for _, tc := range []struct{ path, fragment string }{
		{"$.a[*]", "reference path may only use"},
		{"$.a.*", "reference path may only use"},
		{"$..a", "reference path may only use"},
		{"$.a[0,1]", "reference path may only use"},
		{"$.a['x','y']", "reference path may only use"},
		{"$.a[1:2]", "reference path may only use"},
		{"$.a[?(@.b)]", "reference path may only use"},
		{"$.a.length()", "reference path may only use"},
		{"$.foo@bar", "must be escaped"},
		{"$.a:b", "must be escaped"},
		{"foo", "must begin with '$'"},
		{"$foo", "variables are not supported"},
		{"$.a[", "unterminated '['"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := CompileReferencePath(tc.path)
			assertCompileError(t, err, tc.fragment)
		})
	}
}

func TestCompilePathRejects(t *testing.T) {
	for _, tc := range []struct{ path, fragment string }{
		{"", "must begin with '$'"},
		{"a.b", "must begin with '$'"},
		{"$.", "path ends after '.'"},
		{"$.a b", "white space in a member name"},
		{"$['a'", "expected ']'"},
		{"$['a]", "unterminated"},
		{"$[1:2:3]", "slice steps are not supported"},
		{"$.a.nope()", "unknown path function nope()"},
		{"$.a.length(1)", "takes no arguments"},
		{"$.a[?(@.b ==)]", "unexpected ')' in filter"},
		{"$.a[?(@.b =~ 'x')]", "=~ expects a /regular expression/"},
		{"$.a[?(@.b =~ /(/)]", "invalid regular expression"},
		{"$.a\\", "dangling escape"},
		{"$x", "variables are not supported"},
		{"$.a]", "unescaped ']'"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := CompilePath(tc.path)
			assertCompileError(t, err, tc.fragment)
		})
	}
}

// Paths with wildcards, filters, slices, unions and ".." select lists (spec
// "Paths": the syntax is that of Jayway JsonPath; "Input and Output
// Processing": multiple results are gathered into an array).
func TestPathGetLists(t *testing.T) {
	store := decode(t, `{
	  "store": {
	    "book": [
	      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
	      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
	      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
	      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
	    ],
	    "bicycle": {"color": "red", "price": 19.95}
	  },
	  "expensive": 10,
	  "a": [1, 2],
	  "tags": ["x", "y"]
	}`)
	for _, tc := range []struct{ path, want string }{
		// spec "Input and Output Processing with JSONPath": $.a[0,1] yields 1 and 2.
		{"$.a[0,1]", `[1, 2]`},
		{"$.store.book[*].author", `["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]`},
		{"$..author", `["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]`},
		{"$.store.*", `[{"color": "red", "price": 19.95}, ` + bookArrayJSON + `]`},
		{"$.store..price", `[19.95, 8.95, 12.99, 8.99, 22.99]`},
		{"$..book[2].title", `["Moby Dick"]`},
		{"$..book[-1:].title", `["The Lord of the Rings"]`},
		{"$..book[:2].title", `["Sayings of the Century", "Sword of Honour"]`},
		{"$.store.book[1:3].price", `[12.99, 8.99]`},
		{"$..book[?(@.isbn)].title", `["Moby Dick", "The Lord of the Rings"]`},
		{"$..book[?(!@.isbn)].title", `["Sayings of the Century", "Sword of Honour"]`},
		{"$.store.book[?(@.price < 10)].title", `["Sayings of the Century", "Moby Dick"]`},
		{"$..book[?(@.price <= $['expensive'])].price", `[8.95, 8.99]`},
		{"$..book[?(@.author =~ /.*REES/i)].author", `["Nigel Rees"]`},
		{"$..book[?(@.author =~ /Rees/)].author", `[]`}, // a regex must match the whole string
		{"$..book[?(@.category == 'fiction' && @.price > 20)].title", `["The Lord of the Rings"]`},
		{"$..book[?(@.category == 'reference' || @.price > 20)].title", `["Sayings of the Century", "The Lord of the Rings"]`},
		{"$..book[?(@.category != 'fiction')].title", `["Sayings of the Century"]`},
		{`$..book[?(@.category in ['reference', "poetry"])].title`, `["Sayings of the Century"]`},
		{"$..book[?(@.category nin ['fiction'])].title", `["Sayings of the Century"]`},
		{"$..book[?(@.title size 9)].title", `["Moby Dick"]`},
		{"$..book[?(@.price == 8.95)].price", `[8.95]`},
		{"$..book[?(@.price == '8.95')].price", `[]`}, // typed: a number never equals a string
		{"$.store.book[?(@.category == 'fiction')][?(@.price > 20)].title", `["The Lord of the Rings"]`},
		{"$[?(@.tags subsetof ['x', 'y', 'z'])].expensive", `[10]`},
		{"$[?(@.tags anyof ['y'])].expensive", `[10]`},
		{"$[?(@.tags noneof ['y'])].expensive", `[]`},
		{"$[?(@.tags contains 'x')].expensive", `[10]`},
		{"$[?(@.tags empty false)].expensive", `[10]`},
		{"$..[?(@.price > 20)].title", `["The Lord of the Rings"]`}, // a filter after ".." tests every node once
		{"$.store.bicycle.*", `["red", 19.95]`},
		{"$.tags[?(@ == 'y')]", `["y"]`},
		{"$.tags[?(@ in [\"x\", 'z'])]", `["x"]`},
		{`$.tags[?(@ == 'it\'s' || @ == "\u0078")]`, `["x"]`},
		{"$[?(@.store.bicycle == {'color': 'red', 'price': 19.95})].expensive", `[10]`},
		{"$[?(@.a == [1, 2.0])].expensive", `[10]`},
		{"$[?(@.a[-1] >= 2e0 && !(@.a[0] == null))].expensive", `[10]`},
		{"$[?(@.expensive > 'a')].expensive", `[]`},
		{"$[?(true)].expensive", `[10]`},
		{"$[?(false)].expensive", `[]`},
		{"$.nothing[*]", `[]`},
		{"$..nothing", `[]`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := CompilePath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if p.Definite() {
				t.Errorf("Definite() = true, want false for %s", tc.path)
			}
			got, err := p.Get(store, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

const bookArrayJSON = `[
  {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
  {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
  {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
  {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
]`

func TestPathGetDefinite(t *testing.T) {
	input := decode(t, `{"a": {"b": [10, 20, 30], "c d": "spaced", "x": 1, "y": 2}, "n": null, "s": "text"}`)
	for _, tc := range []struct{ path, want string }{
		{"$", `{"a": {"b": [10, 20, 30], "c d": "spaced", "x": 1, "y": 2}, "n": null, "s": "text"}`},
		{"$.a.b[1]", `20`},
		{"$.a.b[-1]", `30`},
		{"$['a']['c d']", `"spaced"`},
		{`$.a.["c d"]`, `"spaced"`},
		{"$.n", `null`},
		{"$.a['x','y']", `{"x": 1, "y": 2}`}, // Jayway merges a trailing union of members
		{"$.a.b.length()", `3`},
		{"$.a.length()", `4`},
		{"$.a.b.sum()", `60`},
		{"$.a.b.avg()", `20`},
		{"$.a.b.min()", `10`},
		{"$.a.b.max()", `30`},
		{"$.a.b.first()", `10`},
		{"$.a.b.last()", `30`},
		{"$.a.keys()", `["b", "c d", "x", "y"]`},
		{"$..b[*].length()", `3`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := CompilePath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Get(input, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
		})
	}
}

// A definite path that selects nothing is States.Runtime with AWS's cause.
func TestPathGetNoResults(t *testing.T) {
	input := decode(t, `{"a": {"b": [1]}, "s": "text", "n": null}`)
	for _, tc := range []struct{ path, cause string }{
		{"$.x", "Invalid path '$.x' : No results for path: $['x']"},
		{"$.x.y", "Invalid path '$.x.y' : Missing property in path $['x']"},
		{"$.a.b[3]", "Invalid path '$.a.b[3]' : No results for path: $['a']['b'][3]"},
		{"$.s.y", "Expected to find an object with property ['y'] in path $['s'] but found 'string'"},
		{"$.n.y", "Expected to find an object with property ['y'] in path $['n'] but found 'null'"},
		{"$.a[0]", "can only be applied to arrays"},
		{"$$.Execution.Id", "Invalid path '$$.Execution.Id' : Expected to find an object with property ['Execution'] in path $ but found 'null'"},
		{"$.s.length().x", "unexpected"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := CompilePath(tc.path)
			if err != nil {
				assertCompileError(t, err, tc.cause)
				return
			}
			_, err = p.Get(input, nil)
			assertError(t, err, ErrRuntime, tc.cause)
		})
	}
}

func TestPathContext(t *testing.T) {
	ctx := decode(t, `{"Execution": {"Id": "arn:exec"}, "Task": {"Token": "tok"}}`)
	input := decode(t, `{"Execution": "not the context"}`)
	p, err := CompilePath("$$.Execution.Id")
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsContext() || p.String() != "$$.Execution.Id" {
		t.Errorf("IsContext() = %v, String() = %q", p.IsContext(), p.String())
	}
	got, err := p.Get(input, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != "arn:exec" {
		t.Errorf("got %v, want arn:exec", got)
	}
	whole, err := CompilePath("$$")
	if err != nil {
		t.Fatal(err)
	}
	got, err = whole.Get(input, ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, canon(t, ctx))
}

// Get never modifies its input and an indefinite result is a new list.
func TestPathGetDoesNotMutate(t *testing.T) {
	input := decode(t, `{"a": [3, 1, 2]}`)
	before := canon(t, input)
	p, err := CompilePath("$.a[*]")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Get(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	got.([]any)[0] = "changed"
	if after := canon(t, input); after != before {
		t.Errorf("input changed to %s, want %s", after, before)
	}
}

func TestPathAcceptsHandBuiltValues(t *testing.T) {
	input := map[string]any{"n": 3, "f": 2.5, "list": []any{int64(1), float64(2)}}
	p, err := CompilePath("$.list[?(@ > 1)]")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Get(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, `[2]`)
}
