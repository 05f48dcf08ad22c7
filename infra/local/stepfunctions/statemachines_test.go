package stepfunctions

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// repoStateMachines is where Candor's deployed definitions live.
const repoStateMachines = "../../../statemachines"

// Every definition in statemachines/ loads in the engine, with a dummy
// value for each ${Name} it uses (see dummySubstitutions), so a definition the
// local stack could not run is caught as soon as it is written.
func TestRepositoryStateMachinesLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoStateMachines, "*.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no statemachines/*.asl.json yet")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			e := New(Config{})
			defer e.Close()
			name := filepath.Base(f)
			name = name[:len(name)-len(".asl.json")]
			if _, err := e.CreateStateMachine(context.Background(), name, b, dummySubstitutions(string(b))); err != nil {
				t.Errorf("%s does not load: %v", f, err)
			}
		})
	}
}

// dummyNumber stands for numeric parameters: a 7-day window in seconds,
// larger than any heartbeat a definition could pair with it.
const dummyNumber = "604800"

// numericName matches parameter names that denote numbers even inside a
// string (such as an intrinsic call "States.MathAdd(${ReplyWindowSeconds}, 0)").
var numericName = regexp.MustCompile(`(Seconds|Minutes|Hours|Days|Count|Attempts|Limit)$`)

// dummySubstitutions returns a value for every ${Name} of a definition: a
// number where the placeholder stands outside a JSON string or its name
// denotes a number, a Lambda function ARN otherwise.
func dummySubstitutions(text string) map[string]string {
	subs := map[string]string{}
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case escaped:
			escaped = false
			continue
		case inString && c == '\\':
			escaped = true
			continue
		case c == '"':
			inString = !inString
			continue
		}
		if c != '$' {
			continue
		}
		loc := substitutionRE.FindStringSubmatchIndex(text[i:])
		if loc == nil || loc[0] != 0 {
			continue
		}
		name := text[i+loc[2] : i+loc[3]]
		if !inString || numericName.MatchString(name) {
			subs[name] = dummyNumber
		} else {
			subs[name] = "arn:aws:lambda:us-east-1:000000000000:function:dummy-" + name
		}
	}
	return subs
}

func TestDummySubstitutions(t *testing.T) {
	got := dummySubstitutions(`{"TimeoutSeconds": ${Window}, "Parameters": {"FunctionName": "${AskFn}", "x": "a \" ${Quoted}", "n.$": "States.MathAdd(${WaitSeconds}, 0)"}}`)
	want := map[string]string{
		"Window":      dummyNumber,
		"WaitSeconds": dummyNumber,
		"AskFn":       "arn:aws:lambda:us-east-1:000000000000:function:dummy-AskFn",
		"Quoted":      "arn:aws:lambda:us-east-1:000000000000:function:dummy-Quoted",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// The test fixtures that carry placeholders load with the same dummies.
func TestFixturesLoadWithDummySubstitutions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.asl.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		e := New(Config{})
		if _, err := e.CreateStateMachine(context.Background(), "fixture", b, dummySubstitutions(string(b))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		e.Close()
	}
}
