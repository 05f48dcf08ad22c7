package stepfunctions

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
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

// validatedPaths are the input paths a machine's first task checks itself
// (it gets their parent whole and fails for good, which the machine records
// as a stall, when one is missing), by machine, with the test that shows it.
var validatedPaths = map[string][]string{
	// shared/investigation TestTasksRefuseAnInputWithoutWhatLaterStatesRead
	"investigation": {"$.windows.proof", "$.windows.action", "$.windows.decision", "$.windows.appeal"},
}

// TestRepositoryTasksReadOnlyPathsThatExist: a ".$" path or a
// TimeoutSecondsPath/HeartbeatSecondsPath that selects nothing fails the
// execution with States.Runtime, past every Catch (AWS), so no task may
// rely on a catch for it. Every path a task reads must be one that exists
// whenever the task runs: read by the first state (which fails before
// anything happened), produced by a first Pass state's Parameters, checked
// by the first task (validatedPaths), written by a task's ResultPath, or
// the Error of a catcher's ResultPath (AWS's error output always has it).
func TestRepositoryTasksReadOnlyPathsThatExist(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoStateMachines, "*.asl.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no state machines: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".asl.json")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := substitutionRE.ReplaceAllStringFunc(string(b), func(m string) string {
				return dummySubstitutions(string(b))[m[2:len(m)-1]]
			})
			var def struct {
				StartAt string
				States  map[string]map[string]any
			}
			if err := json.Unmarshal([]byte(text), &def); err != nil {
				t.Fatal(err)
			}
			first := def.States[def.StartAt]
			established := map[string]bool{}
			input := map[string]bool{} // established from the execution's input
			if first["Type"] == "Pass" {
				params, _ := first["Parameters"].(map[string]any)
				templateOutputPaths("$", params, established)
			} else {
				for _, p := range pathsRead(first) {
					established[p] = true
				}
			}
			firstReads := pathsRead(first)
			for _, p := range validatedPaths[name] {
				if parent := p[:strings.LastIndex(p, ".")]; !slices.Contains(firstReads, parent) {
					t.Errorf("%s is listed as checked by the first task, which does not get %s", p, parent)
				}
				established[p] = true
			}
			for p := range established {
				input[p] = true
			}
			for sn, st := range def.States {
				if st["Type"] != "Task" {
					if sn != def.StartAt && (st["Parameters"] != nil || st["ResultPath"] != nil) {
						t.Errorf("state %s (%s) reshapes the state: extend this test to follow it", sn, st["Type"])
					}
					continue
				}
				rps := []any{st["ResultPath"]}
				if r, ok := st["ResultPath"].(string); ok {
					established[r] = true
				}
				catches, _ := st["Catch"].([]any)
				for _, c := range catches {
					r, ok := c.(map[string]any)["ResultPath"].(string)
					if ok {
						established[r+".Error"] = true
					}
					rps = append(rps, c.(map[string]any)["ResultPath"])
				}
				for _, rp := range rps {
					r, ok := rp.(string)
					if !ok {
						continue
					}
					for p := range input {
						if r == "$" || p == r || strings.HasPrefix(p, r+".") {
							t.Errorf("state %s writes %s over %s, which later states read as the input's", sn, r, p)
						}
					}
				}
			}
			for sn, st := range def.States {
				if st["Type"] != "Task" || sn == def.StartAt {
					continue
				}
				for _, p := range pathsRead(st) {
					if !established[p] {
						t.Errorf("task %s reads %s, which may not exist when it runs (and would fail the execution past every Catch)", sn, p)
					}
				}
			}
		})
	}
}

// pathsRead returns the state-data paths ("$." …, not "$$") a state reads
// from its input: its Parameters' ".$" fields and its timeout paths.
func pathsRead(st map[string]any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && strings.HasSuffix(k, ".$") {
					if strings.HasPrefix(s, "$") && !strings.HasPrefix(s, "$$") {
						out = append(out, s)
					} else if !strings.HasPrefix(s, "$$") {
						out = append(out, "intrinsic "+s) // never established: extend this test
					}
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(st["Parameters"])
	for _, k := range []string{"TimeoutSecondsPath", "HeartbeatSecondsPath", "InputPath"} {
		if s, ok := st[k].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// templateOutputPaths adds the paths of every node a Pass state's
// Parameters produce.
func templateOutputPaths(at string, tmpl map[string]any, out map[string]bool) {
	for k, v := range tmpl {
		p := at + "." + strings.TrimSuffix(k, ".$")
		out[p] = true
		if m, ok := v.(map[string]any); ok && !strings.HasSuffix(k, ".$") {
			templateOutputPaths(p, m, out)
		}
	}
}
