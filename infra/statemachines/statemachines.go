// Package statemachines expands the hand-written sources of the state
// machines (statemachines/src/<name>.yaml) into the Amazon States Language
// files that SAM deploys and the local engine runs
// (statemachines/<name>.asl.json). A source states each Lambda task by what
// is particular to it — its action, payload fields, timeouts, result, domain
// catches and next state — and Expand adds what every task shares:
//
//   - the invocation: arn:aws:states:::lambda:invoke (…waitForTaskToken when
//     the task waits for a token), the machine's function, and a payload of
//     {"action": <action>, <payload fields>, "execution.$": the execution's
//     name, "taskToken.$": the task's token when it waits for one};
//   - ResultPath null unless the source names one;
//   - the retry of every Lambda task: the Lambda service's own errors
//     (ServiceException, AWSLambdaException, SdkClientException,
//     TooManyRequestsException) and the tasks' TransientError, each with
//     exponential backoff and full jitter;
//   - when the machine records stalls (Stall in the source): a catch of
//     States.ALL (after the task's own catches) into a generated twin
//     <State>Failed, a task with action "stalled" that records the stall on
//     the object and fails the execution there, and goes back to <State>
//     when a redrive resumes it.
//
// Every other state (Pass, Choice, Wait, Succeed, Fail, and a Task written
// out with its Type) is copied as written. The committed .asl.json files are
// this package's output: TestCommittedFilesAreGenerated fails when one
// differs, so nobody edits them by hand; `make generate-statemachines` writes them.
package statemachines

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Resources of the Lambda tasks.
const (
	invoke             = "arn:aws:states:::lambda:invoke"
	invokeWaitForToken = "arn:aws:states:::lambda:invoke.waitForTaskToken"
)

// LambdaErrors are the errors of the Lambda service itself that every task
// retries: an invocation that did not run, or was throttled.
var LambdaErrors = []string{"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"}

// TransientError is the error name a task handler returns for a failure
// worth trying again (workflow.Transient).
const TransientError = "TransientError"

// Retry is the retry of every Lambda task. TransientAttempts is the
// machine's MaxAttempts for TransientError (DefaultTransientAttempts unless
// the source says otherwise).
func Retry(transientAttempts int) []any {
	return []any{
		obj{{"ErrorEquals", strs(LambdaErrors)}, {"IntervalSeconds", 2}, {"MaxAttempts", 6}, {"BackoffRate", 2},
			{"MaxDelaySeconds", 60}, {"JitterStrategy", "FULL"}},
		obj{{"ErrorEquals", strs([]string{TransientError})}, {"IntervalSeconds", 5}, {"MaxAttempts", transientAttempts}, {"BackoffRate", 2},
			{"MaxDelaySeconds", 300}, {"JitterStrategy", "FULL"}},
	}
}

// DefaultTransientAttempts is how often a task is tried on TransientError
// unless the source says otherwise.
const DefaultTransientAttempts = 5

// FailedSuffix names the twin that records a task's stall.
const FailedSuffix = "Failed"

// source is a machine's hand-written source. States keeps its order.
type source struct {
	Comment  string
	Function string // the DefinitionSubstitutions name of the tasks' function, e.g. InvestigationTasksFunctionArn
	// Stall is the payload fields of the action "stalled" (the object's ids);
	// nil: the machine records no stall, a task that fails for good fails the execution.
	Stall             obj
	TransientAttempts int
	StartAt           string
	TimeoutSeconds    any
	States            obj
}

// taskKeys are the keys a convention task may have, in the order they are written out.
var taskKeys = []string{"Action", "Comment", "WaitForToken", "Payload", "TimeoutSecondsPath", "TimeoutSeconds", "HeartbeatSeconds",
	"ResultSelector", "ResultPath", "Catch", "Next", "End"}

// Expand turns a source into its ASL definition (indented JSON, ending in a newline).
func Expand(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("expand: %w", err)
	}
	if len(doc.Content) != 1 {
		return nil, fmt.Errorf("expand: the source is not one YAML document")
	}
	v, err := value(doc.Content[0])
	if err != nil {
		return nil, fmt.Errorf("expand: %w", err)
	}
	top, ok := v.(obj)
	if !ok {
		return nil, fmt.Errorf("expand: the source is not a mapping")
	}
	s := source{TransientAttempts: DefaultTransientAttempts}
	for _, kv := range top {
		switch kv.k {
		case "Comment":
			s.Comment, ok = kv.v.(string)
		case "Function":
			s.Function, ok = kv.v.(string)
		case "Stall":
			s.Stall, ok = kv.v.(obj)
		case "TransientAttempts":
			var n int64
			n, ok = kv.v.(int64)
			s.TransientAttempts = int(n)
		case "StartAt":
			s.StartAt, ok = kv.v.(string)
		case "TimeoutSeconds":
			s.TimeoutSeconds = kv.v
		case "States":
			s.States, ok = kv.v.(obj)
		default:
			return nil, fmt.Errorf("expand: unknown key %s (Comment, Function, Stall, TransientAttempts, StartAt, TimeoutSeconds, States)", kv.k)
		}
		if !ok {
			return nil, fmt.Errorf("expand: %s has the wrong type", kv.k)
		}
	}
	if s.StartAt == "" || len(s.States) == 0 {
		return nil, fmt.Errorf("expand: StartAt and States are required")
	}
	states := obj{}
	for _, kv := range s.States {
		st, ok := kv.v.(obj)
		if !ok {
			return nil, fmt.Errorf("expand: state %s is not a mapping", kv.k)
		}
		if _, ok := st.get("Action"); !ok {
			if _, ok := st.get("Type"); !ok {
				return nil, fmt.Errorf("expand: state %s has neither Type nor Action", kv.k)
			}
			states = append(states, kv)
			continue
		}
		task, twin, err := s.task(kv.k, st)
		if err != nil {
			return nil, fmt.Errorf("expand: state %s: %w", kv.k, err)
		}
		states = append(states, kv2{kv.k, task})
		if twin != nil {
			states = append(states, kv2{kv.k + FailedSuffix, twin})
		}
	}
	seen := map[string]bool{}
	for _, kv := range states {
		if seen[kv.k] {
			return nil, fmt.Errorf("expand: two states are named %s", kv.k)
		}
		seen[kv.k] = true
	}
	out := obj{}
	if s.Comment != "" {
		out = append(out, kv2{"Comment", s.Comment})
	}
	out = append(out, kv2{"StartAt", s.StartAt})
	if s.TimeoutSeconds != nil {
		out = append(out, kv2{"TimeoutSeconds", s.TimeoutSeconds})
	}
	out = append(out, kv2{"States", states})
	var b bytes.Buffer
	if err := write(&b, out, ""); err != nil {
		return nil, fmt.Errorf("expand: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// task expands a convention task named name, and its stall twin (nil when
// the machine records no stall).
func (s source) task(name string, st obj) (obj, obj, error) {
	if s.Function == "" {
		return nil, nil, fmt.Errorf("a task with an Action needs the machine's Function")
	}
	for _, kv := range st {
		if !slices.Contains(taskKeys, kv.k) {
			return nil, nil, fmt.Errorf("key %s is not one a task states (%s): the invocation, Retry and the stall catch are generated",
				kv.k, strings.Join(taskKeys, ", "))
		}
	}
	action, ok := st.str("Action")
	if !ok || action == "" {
		return nil, nil, fmt.Errorf("Action must be a name")
	}
	wait := false
	if w, ok := st.get("WaitForToken"); ok {
		if wait, ok = w.(bool); !ok {
			return nil, nil, fmt.Errorf("WaitForToken must be true or false")
		}
	}
	payload := obj{{"action", action}}
	if p, ok := st.get("Payload"); ok {
		fields, ok := p.(obj)
		if !ok {
			return nil, nil, fmt.Errorf("Payload must be a mapping")
		}
		for _, f := range fields {
			if f.k == "action" || f.k == "execution.$" || f.k == "taskToken.$" {
				return nil, nil, fmt.Errorf("Payload field %s is generated", f.k)
			}
		}
		payload = append(payload, fields...)
	}
	payload = append(payload, kv2{"execution.$", "$$.Execution.Name"})
	resource := invoke
	if wait {
		payload = append(payload, kv2{"taskToken.$", "$$.Task.Token"})
		resource = invokeWaitForToken
	}
	_, next := st.get("Next")
	_, end := st.get("End")
	if next == end {
		return nil, nil, fmt.Errorf("a task has either Next or End")
	}
	t := obj{{"Type", "Task"}}
	if c, ok := st.get("Comment"); ok {
		t = append(t, kv2{"Comment", c})
	}
	t = append(t, kv2{"Resource", resource}, kv2{"Parameters", obj{{"FunctionName", "${" + s.Function + "}"}, {"Payload", payload}}})
	for _, k := range []string{"TimeoutSecondsPath", "TimeoutSeconds", "HeartbeatSeconds", "ResultSelector"} {
		if v, ok := st.get(k); ok {
			t = append(t, kv2{k, v})
		}
	}
	if v, ok := st.get("ResultPath"); ok {
		t = append(t, kv2{"ResultPath", v})
	} else {
		t = append(t, kv2{"ResultPath", nil})
	}
	t = append(t, kv2{"Retry", Retry(s.TransientAttempts)})
	var catches []any
	if c, ok := st.get("Catch"); ok {
		list, ok := c.([]any)
		if !ok {
			return nil, nil, fmt.Errorf("Catch must be a list")
		}
		for _, c := range list {
			cc, ok := c.(obj)
			if !ok {
				return nil, nil, fmt.Errorf("a Catch is not a mapping")
			}
			if errs, ok := cc.get("ErrorEquals"); ok {
				if l, ok := errs.([]any); ok && slices.Contains(l, any("States.ALL")) {
					return nil, nil, fmt.Errorf("a Catch of States.ALL is generated")
				}
			}
			if _, ok := cc.get("ResultPath"); !ok { // a domain catch keeps the input as it was
				cc = append(cc[:len(cc):len(cc)], kv2{"ResultPath", nil})
				cc = cc.order("ErrorEquals", "ResultPath", "Next")
			}
			catches = append(catches, cc)
		}
	}
	var twin obj
	if s.Stall != nil {
		catches = append(catches, obj{{"ErrorEquals", []any{"States.ALL"}}, {"ResultPath", "$.failure"}, {"Next", name + FailedSuffix}})
		stalled := obj{{"action", "stalled"}}
		stalled = append(stalled, s.Stall...)
		stalled = append(stalled, obj{{"state", name}, {"error.$", "$.failure.Error"}, {"redrive.$", "$$.Execution.RedriveCount"},
			{"execution.$", "$$.Execution.Name"}}...)
		twin = obj{{"Type", "Task"},
			{"Comment", name + " failed for good: record the stall on the object and stop here (the execution ends FAILED); a redrive resumes at " + name + "."},
			{"Resource", invoke},
			{"Parameters", obj{{"FunctionName", "${" + s.Function + "}"}, {"Payload", stalled}}},
			{"ResultPath", nil},
			{"Retry", Retry(s.TransientAttempts)},
			{"Next", name}}
	}
	if len(catches) > 0 {
		t = append(t, kv2{"Catch", catches})
	}
	if next {
		n, _ := st.get("Next")
		t = append(t, kv2{"Next", n})
	} else {
		e, _ := st.get("End")
		t = append(t, kv2{"End", e})
	}
	return t, twin, nil
}

// obj is a JSON object that keeps the order of its keys.
type obj []kv2

type kv2 struct {
	k string
	v any
}

func (o obj) get(k string) (any, bool) {
	for _, kv := range o {
		if kv.k == k {
			return kv.v, true
		}
	}
	return nil, false
}

func (o obj) str(k string) (string, bool) {
	v, ok := o.get(k)
	s, isStr := v.(string)
	return s, ok && isStr
}

// order puts the keys named first, in that order, and the others after them as they were.
func (o obj) order(keys ...string) obj {
	var out obj
	for _, k := range keys {
		if v, ok := o.get(k); ok {
			out = append(out, kv2{k, v})
		}
	}
	for _, kv := range o {
		if !slices.Contains(keys, kv.k) {
			out = append(out, kv)
		}
	}
	return out
}

func strs(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// value converts a YAML node into obj, []any, string, int64, float64, bool or nil.
func value(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		o := make(obj, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key is not a string", k.Line)
			}
			if _, dup := o.get(k.Value); dup {
				return nil, fmt.Errorf("line %d: key %s twice", k.Line, k.Value)
			}
			v, err := value(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			o = append(o, kv2{k.Value, v})
		}
		return o, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := value(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int":
			return strconv.ParseInt(n.Value, 10, 64)
		case "!!float":
			return strconv.ParseFloat(n.Value, 64)
		case "!!str":
			return n.Value, nil
		}
		return nil, fmt.Errorf("line %d: unsupported scalar %s", n.Line, n.ShortTag())
	case yaml.AliasNode:
		return nil, fmt.Errorf("line %d: aliases are not used: the conventions are the generator's", n.Line)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// write writes v as JSON indented by two spaces, keys in their order,
// without escaping <, > and &.
func write(b *bytes.Buffer, v any, indent string) error {
	switch x := v.(type) {
	case obj:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i, kv := range x {
			b.WriteString(indent + "  ")
			writeString(b, kv.k)
			b.WriteString(": ")
			if err := write(b, kv.v, indent+"  "); err != nil {
				return err
			}
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(indent + "  ")
			if err := write(b, e, indent+"  "); err != nil {
				return err
			}
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case nil:
		b.WriteString("null")
	default:
		return fmt.Errorf("cannot write %T", v)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	var sb bytes.Buffer
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(sb.Bytes(), []byte("\n")))
}

// Sources lists the machines' sources under root (statemachines/src/*.yaml)
// and the ASL file each expands into, as slash paths relative to root.
func Sources(root string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "statemachines", "src", "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("state machine sources: %w", err)
	}
	out := map[string]string{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		out["statemachines/src/"+name+".yaml"] = "statemachines/" + name + ".asl.json"
	}
	return out, nil
}

// Generate expands every source under root and returns each ASL file's
// contents by its path relative to root.
func Generate(root string) (map[string][]byte, error) {
	srcs, err := Sources(root)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for src, asl := range srcs {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(src)))
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		if out[asl], err = Expand(b); err != nil {
			return nil, fmt.Errorf("generate %s: %w", src, err)
		}
	}
	return out, nil
}
