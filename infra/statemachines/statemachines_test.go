package statemachines

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const root = "../.."

// TestCommittedFilesAreGenerated: every statemachines/*.asl.json is what
// its source generates, byte for byte, and has a source. An edit by hand
// fails here; `make generate-statemachines` writes the files.
func TestCommittedFilesAreGenerated(t *testing.T) {
	want, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := filepath.Glob(filepath.Join(root, "statemachines", "*.asl.json"))
	if err != nil || len(committed) == 0 {
		t.Fatalf("no statemachines/*.asl.json (%v)", err)
	}
	for _, f := range committed {
		path := "statemachines/" + filepath.Base(f)
		if _, ok := want[path]; !ok {
			t.Errorf("%s has no source statemachines/src/%s.yaml: the state machines are written as sources", path, strings.TrimSuffix(filepath.Base(f), ".asl.json"))
		}
	}
	for _, path := range slices.Sorted(maps.Keys(want)) {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			t.Errorf("%s is not generated: run make generate-statemachines (%v)", path, err)
			continue
		}
		if !bytes.Equal(got, want[path]) {
			t.Errorf("%s is not what its source generates: edit statemachines/src and run make generate-statemachines", path)
		}
	}
}

// expand expands src and decodes the result.
func expand(t *testing.T, src string) map[string]any {
	t.Helper()
	b, err := Expand([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("the expansion is not JSON: %v\n%s", err, b)
	}
	return m
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

const standardRetry = `[
 {"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
  "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "MaxDelaySeconds": 60, "JitterStrategy": "FULL"},
 {"ErrorEquals": ["TransientError"], "IntervalSeconds": 5, "MaxAttempts": 5, "BackoffRate": 2, "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}]`

// TestATaskGetsTheConventions: a task that names its action, payload,
// timeout, result and domain catch gets the invocation, the standard retry,
// the stall catch and its stall-recording twin.
func TestATaskGetsTheConventions(t *testing.T) {
	m := expand(t, `
Function: TasksArn
Stall: {case.$: $.case}
StartAt: Queue
States:
  Queue:
    Action: enqueue
    WaitForToken: true
    Payload: {case.$: $.case}
    TimeoutSecondsPath: $.window.decision
    ResultPath: $.decision
    Catch: [{ErrorEquals: [States.Timeout], Next: Overdue}]
    Next: Done
  Overdue:
    Action: overdue
    Payload: {case.$: $.case}
    Next: Queue
  Done: {Type: Succeed}
`)
	states := m["States"].(map[string]any)
	if got := slices.Sorted(maps.Keys(states)); !slices.Equal(got, []string{"Done", "Overdue", "OverdueFailed", "Queue", "QueueFailed"}) {
		t.Fatalf("states %v, want each task with its Failed twin", got)
	}
	want := decode(t, `{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
 "Parameters": {"FunctionName": "${TasksArn}", "Payload": {"action": "enqueue", "case.$": "$.case", "execution.$": "$$.Execution.Name", "taskToken.$": "$$.Task.Token"}},
 "TimeoutSecondsPath": "$.window.decision", "ResultPath": "$.decision", "Retry": `+standardRetry+`,
 "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": null, "Next": "Overdue"},
           {"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "QueueFailed"}],
 "Next": "Done"}`)
	if !reflect.DeepEqual(states["Queue"], want) {
		t.Errorf("Queue = %v\nwant %v", states["Queue"], want)
	}
	twin := states["QueueFailed"].(map[string]any)
	delete(twin, "Comment")
	wantTwin := decode(t, `{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
 "Parameters": {"FunctionName": "${TasksArn}", "Payload": {"action": "stalled", "case.$": "$.case", "state": "Queue",
   "error.$": "$.failure.Error", "redrive.$": "$$.Execution.RedriveCount", "execution.$": "$$.Execution.Name"}},
 "ResultPath": null, "Retry": `+standardRetry+`, "Next": "Queue"}`)
	if !reflect.DeepEqual(twin, wantTwin) {
		t.Errorf("QueueFailed = %v\nwant %v", twin, wantTwin)
	}
	if p := states["Overdue"].(map[string]any)["Parameters"].(map[string]any)["Payload"].(map[string]any); p["taskToken.$"] != nil {
		t.Errorf("a task that waits for no token gets one: %v", p)
	}
}

// TestWithoutStallATaskFailsTheExecution: a machine without Stall gets no
// twins and no catch-all; its own TransientAttempts is kept.
func TestWithoutStallATaskFailsTheExecution(t *testing.T) {
	m := expand(t, `
Function: F
TransientAttempts: 8
StartAt: Notify
States:
  Notify: {Action: notify, End: true}
`)
	n := m["States"].(map[string]any)["Notify"].(map[string]any)
	if _, ok := m["States"].(map[string]any)["NotifyFailed"]; ok || n["Catch"] != nil {
		t.Errorf("a machine without Stall got a stall twin or catch: %v", m["States"])
	}
	if r := n["Retry"].([]any)[1].(map[string]any); r["MaxAttempts"] != float64(8) {
		t.Errorf("TransientError retry %v, want MaxAttempts 8", r)
	}
	if n["End"] != true || n["ResultPath"] != nil {
		t.Errorf("Notify = %v", n)
	}
}

// TestTheConventionsCannotBeWrittenByHand: what is generated is refused in a
// source, so it has one place.
func TestTheConventionsCannotBeWrittenByHand(t *testing.T) {
	for name, state := range map[string]string{
		"a Retry":             "{Action: a, Retry: [], Next: Done}",
		"a Resource":          "{Action: a, Resource: x, Next: Done}",
		"a catch-all":         "{Action: a, Catch: [{ErrorEquals: [States.ALL], Next: Done}], Next: Done}",
		"the execution field": "{Action: a, Payload: {execution.$: $$.Execution.Name}, Next: Done}",
		"no Next nor End":     "{Action: a}",
		"an unknown key":      "{Action: a, Nxt: Done}",
		"a twin's name":       "{Type: Pass, Next: Done}",
	} {
		extra := ""
		if name == "a twin's name" {
			extra = "\n  XFailed: {Type: Pass, Next: Done}\n  X: {Action: a, Next: Done}"
		}
		src := "Function: F\nStall: {case.$: $.case}\nStartAt: S\nStates:\n  S: " + state + extra + "\n  Done: {Type: Succeed}\n"
		if _, err := Expand([]byte(src)); err == nil {
			t.Errorf("%s: a source with %s expands", name, name)
		}
	}
}
