package stepfunctions

// Compiling a machine (the top level, a Parallel branch, a Map processor)
// and the fields every state shares.

import (
	"fmt"
	"strings"
)

// unsupported names fields that belong to Step Functions but that this
// engine refuses, with the reason.
var unsupported = map[string]string{
	"Arguments":                      "JSONata query language is not supported by the local engine",
	"Output":                         "JSONata query language is not supported by the local engine",
	"Assign":                         "variables (Assign) are not supported by the local engine",
	"Credentials":                    "cross-account Credentials are not supported by the local engine",
	"ItemReader":                     "distributed Map (ItemReader) is not supported by the local engine",
	"ItemBatcher":                    "distributed Map (ItemBatcher) is not supported by the local engine",
	"ResultWriter":                   "distributed Map (ResultWriter) is not supported by the local engine",
	"ToleratedFailurePercentage":     "distributed Map (ToleratedFailurePercentage) is not supported by the local engine",
	"ToleratedFailurePercentagePath": "distributed Map (ToleratedFailurePercentagePath) is not supported by the local engine",
	"ToleratedFailureCount":          "distributed Map (ToleratedFailureCount) is not supported by the local engine",
	"ToleratedFailureCountPath":      "distributed Map (ToleratedFailureCountPath) is not supported by the local engine",
	"Label":                          "distributed Map (Label) is not supported by the local engine",
}

var allowedFields = map[string][]string{
	typePass:     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"},
	typeTask:     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"},
	typeChoice:   {"InputPath", "OutputPath", "Choices", "Default"},
	typeWait:     {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
	typeSucceed:  {"InputPath", "OutputPath"},
	typeFail:     {"Error", "Cause", "ErrorPath", "CausePath"},
	typeParallel: {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Branches"},
	typeMap:      {"Next", "End", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Retry", "Catch", "ItemsPath", "ItemSelector", "Parameters", "Iterator", "ItemProcessor", "MaxConcurrency", "MaxConcurrencyPath"},
}

func (c *compiler) checkQueryLanguage(v any, loc, st string) {
	s, ok := v.(string)
	switch {
	case !ok:
		c.add(loc, st, "QueryLanguage", "must be a string")
	case s == "JSONata":
		c.add(loc, st, "QueryLanguage", "JSONata query language is not supported by the local engine (only JSONPath)")
	case s != "JSONPath":
		c.add(loc, st, "QueryLanguage", "unknown query language %q", s)
	}
}

// compileMachine compiles a top-level machine (top=true), a Parallel branch
// or a Map processor.
func (c *compiler) compileMachine(obj map[string]any, loc string, top bool) *machine {
	m := &machine{states: map[string]*state{}}
	allowed := map[string]bool{"Comment": true, "StartAt": true, "States": true}
	if top {
		allowed["TimeoutSeconds"] = true
		allowed["Version"] = true
	}
	c.checkFields(obj, loc, "", allowed, "unknown field")
	c.checkComment(obj, loc, "")
	if top {
		c.topLevelFields(m, obj, loc)
	}
	startAt, ok := obj["StartAt"].(string)
	if !ok {
		c.add(loc+"/StartAt", "", "StartAt", "required string field is missing or not a string")
	}
	m.startAt = startAt
	statesRaw, ok := obj["States"].(map[string]any)
	if !ok {
		c.add(loc+"/States", "", "States", "required object field is missing or not an object")
		return m
	}
	if len(statesRaw) == 0 {
		c.add(loc+"/States", "", "States", "must contain at least one state")
	}
	c.compileStates(m, statesRaw, loc)
	if _, isStr := obj["StartAt"].(string); isStr {
		// Also when empty: no state is named "" (fuzzing found
		// "StartAt": "" accepted, and the run dereferencing no state).
		if _, ok := statesRaw[startAt]; !ok {
			c.add(loc+"/StartAt", "", "StartAt", "names no state of this scope: %q", startAt)
		}
	}
	c.checkTransitions(m, statesRaw, loc)
	return m
}

// checkFields reports every field of obj that is not allowed (unknownMsg),
// or that is Step Functions' but not run here, and checks QueryLanguage.
func (c *compiler) checkFields(obj map[string]any, loc, st string, allowed map[string]bool, unknownMsg string) {
	for _, k := range sortedKeys(obj) {
		switch {
		case k == "QueryLanguage":
			c.checkQueryLanguage(obj[k], loc+"/"+k, st)
		case allowed[k]:
		case unsupported[k] != "":
			c.add(loc+"/"+k, st, k, "%s", unsupported[k])
		default:
			c.add(loc+"/"+k, st, k, "%s", unknownMsg)
		}
	}
}

// checkComment reports a Comment that is not a string.
func (c *compiler) checkComment(obj map[string]any, loc, st string) {
	if v, ok := obj["Comment"]; ok {
		if _, isStr := v.(string); !isStr {
			c.add(loc+"/Comment", st, "Comment", "must be a string")
		}
	}
}

// topLevelFields checks Version and compiles TimeoutSeconds.
func (c *compiler) topLevelFields(m *machine, obj map[string]any, loc string) {
	if v, ok := obj["Version"]; ok {
		if s, isStr := v.(string); !isStr || s != "1.0" {
			c.add(loc+"/Version", "", "Version", "must be \"1.0\"")
		}
	}
	if v, ok := obj["TimeoutSeconds"]; ok {
		m.timeoutSeconds = c.positiveInt(v, loc+"/TimeoutSeconds", "", "TimeoutSeconds", maxSeconds)
	}
}

// compileStates compiles the States of one scope, in name order, reporting
// names used twice in the whole definition and names of a bad length.
func (c *compiler) compileStates(m *machine, statesRaw map[string]any, loc string) {
	for _, name := range sortedKeys(statesRaw) {
		sloc := loc + "/States/" + name
		if prev, dup := c.names[name]; dup {
			c.add(sloc, name, "", "duplicate state name (also at %s)", prev)
		} else {
			c.names[name] = sloc
		}
		if name == "" || len(name) > 80 {
			c.add(sloc, name, "", "state names must be 1 to 80 characters long")
		}
		sobj, ok := statesRaw[name].(map[string]any)
		if !ok {
			c.add(sloc, name, "", "a state must be a JSON object")
			continue
		}
		if s := c.compileState(name, sobj, sloc); s != nil {
			m.states[name] = s
		}
	}
}

// transition is one edge of the state graph: the field that names the
// target, and the target.
type transition struct{ field, to string }

// targets lists every state s can move to.
func (s *state) targets() []transition {
	var out []transition
	if s.next != "" {
		out = append(out, transition{"Next", s.next})
	}
	if s.deflt != "" {
		out = append(out, transition{"Default", s.deflt})
	}
	for i, r := range s.choices {
		out = append(out, transition{fmt.Sprintf("Choices[%d].Next", i), r.Next()})
	}
	for i, k := range s.catch {
		out = append(out, transition{fmt.Sprintf("Catch[%d].Next", i), k.next})
	}
	return out
}

// checkTransitions verifies that every transition target exists in this
// scope and that every state is reachable from StartAt.
func (c *compiler) checkTransitions(m *machine, statesRaw map[string]any, loc string) {
	for _, name := range sortedKeys(statesRaw) {
		s := m.states[name]
		if s == nil {
			continue
		}
		for _, t := range s.targets() {
			if _, ok := statesRaw[t.to]; !ok {
				c.add(loc+"/States/"+name, name, t.field, "transition target %q is not a state of this scope", t.to)
			}
		}
	}
	if _, ok := statesRaw[m.startAt]; !ok {
		return
	}
	seen := reachable(m, statesRaw)
	for _, name := range sortedKeys(statesRaw) {
		if !seen[name] {
			c.add(loc+"/States/"+name, name, "", "state is unreachable from StartAt %q", m.startAt)
		}
	}
}

// reachable returns the states of statesRaw reachable from m's StartAt.
func reachable(m *machine, statesRaw map[string]any) map[string]bool {
	seen := map[string]bool{m.startAt: true}
	queue := []string{m.startAt}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		s := m.states[cur]
		if s == nil {
			continue
		}
		for _, t := range s.targets() {
			if _, ok := statesRaw[t.to]; ok && !seen[t.to] {
				seen[t.to] = true
				queue = append(queue, t.to)
			}
		}
	}
	return seen
}

// compileState compiles one state: its type, its fields, its transition,
// its input and output processing, and the fields of its type.
func (c *compiler) compileState(name string, obj map[string]any, loc string) *state {
	typ, ok := obj["Type"].(string)
	if !ok {
		c.add(loc+"/Type", name, "Type", "required string field is missing or not a string")
		return nil
	}
	fields, known := allowedFields[typ]
	if !known {
		c.add(loc+"/Type", name, "Type", "unknown or unsupported state type %q", typ)
		return nil
	}
	allowed := map[string]bool{"Type": true, "Comment": true}
	for _, f := range fields {
		allowed[f] = true
	}
	c.checkFields(obj, loc, name, allowed, "unknown field for a "+typ+" state")
	c.checkComment(obj, loc, name)
	s := &state{name: name, typ: typ, usesContext: strings.Contains(mustJSON(obj), "$$")}
	switch typ {
	case typeChoice, typeSucceed, typeFail:
	default:
		c.nextOrEnd(s, obj, loc)
	}
	c.ioFields(s, obj, loc)
	c.typeFields(s, obj, loc)
	return s
}

// nextOrEnd compiles Next and End: exactly one of them.
func (c *compiler) nextOrEnd(s *state, obj map[string]any, loc string) {
	next, hasNext := obj["Next"]
	end, hasEnd := obj["End"]
	if hasNext {
		if str, isStr := next.(string); isStr && str != "" {
			s.next = str
		} else {
			c.add(loc+"/Next", s.name, "Next", "must be a non-empty string")
		}
	}
	if hasEnd {
		if b, isBool := end.(bool); isBool && b {
			s.end = true
		} else {
			c.add(loc+"/End", s.name, "End", "must be true when present")
		}
	}
	switch {
	case hasNext && hasEnd:
		c.add(loc, s.name, "Next", "a state cannot have both Next and End")
	case !hasNext && !hasEnd:
		c.add(loc, s.name, "Next", "missing Next (or \"End\": true)")
	}
}

// ioFields compiles the input and output processing fields, and Retry and
// Catch (allowedFields has already refused them where they do not belong).
func (c *compiler) ioFields(s *state, obj map[string]any, loc string) {
	name := s.name
	if _, ok := obj["InputPath"]; ok {
		s.inputPath, s.inputNull = c.path(obj["InputPath"], loc+"/InputPath", name, "InputPath", true, anyPath)
	}
	if _, ok := obj["OutputPath"]; ok {
		s.outputPath, s.outputNull = c.path(obj["OutputPath"], loc+"/OutputPath", name, "OutputPath", true, anyPath)
	}
	if _, ok := obj["ResultPath"]; ok {
		s.resultPath, s.resultNull = c.path(obj["ResultPath"], loc+"/ResultPath", name, "ResultPath", true, resultPath)
	}
	if v, ok := obj["Parameters"]; ok && s.typ != typeMap {
		s.parameters = c.template(v, loc+"/Parameters", name, "Parameters")
	}
	if v, ok := obj["ResultSelector"]; ok {
		s.resultSelector = c.template(v, loc+"/ResultSelector", name, "ResultSelector")
	}
	if v, ok := obj["Result"]; ok {
		s.result, s.hasResult = v, true
	}
	if v, ok := obj["Retry"]; ok {
		s.retry = c.retriers(v, loc+"/Retry", name)
	}
	if v, ok := obj["Catch"]; ok {
		s.catch = c.catchers(v, loc+"/Catch", name)
	}
}

// typeFields compiles the fields of the state's own type.
func (c *compiler) typeFields(s *state, obj map[string]any, loc string) {
	switch s.typ {
	case typeTask:
		s.task = c.taskSpec(obj, loc, s.name)
	case typeChoice:
		c.choiceSpec(s, obj, loc)
	case typeWait:
		s.wait = c.waitSpec(obj, loc, s.name)
	case typeFail:
		s.fail = c.failSpec(obj, loc, s.name)
	case typeParallel:
		c.parallelSpec(s, obj, loc)
	case typeMap:
		s.mapSpec = c.mapSpec(obj, loc, s.name)
	}
}
