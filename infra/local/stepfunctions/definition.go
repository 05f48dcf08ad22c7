package stepfunctions

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// DefinitionError lists every problem found while loading a state machine
// definition. Each problem names the state and the field.
type DefinitionError struct {
	Problems []Problem
}

// Problem is one reason a definition was refused.
type Problem struct {
	// Location is the JSON pointer of the offending element, e.g.
	// "/States/Ask/Retry/0/MaxAttempts".
	Location string
	// State is the name of the state concerned ("" for the machine itself).
	State string
	// Field is the field concerned ("" when the problem is the state itself).
	Field string
	// Message says what is wrong.
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.State != "" {
		fmt.Fprintf(&b, "state %q", p.State)
	} else {
		b.WriteString("state machine")
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ", field %q", p.Field)
	}
	fmt.Fprintf(&b, ": %s", p.Message)
	if p.Location != "" {
		fmt.Fprintf(&b, " (at %s)", p.Location)
	}
	return b.String()
}

func (e *DefinitionError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid state machine definition: " + strings.Join(parts, "; ")
}

// machine is a compiled state machine, Parallel branch or Map processor.
type machine struct {
	startAt        string
	states         map[string]*state
	timeoutSeconds int64 // top level only; 0 = none
}

const (
	typePass     = "Pass"
	typeTask     = "Task"
	typeChoice   = "Choice"
	typeWait     = "Wait"
	typeSucceed  = "Succeed"
	typeFail     = "Fail"
	typeParallel = "Parallel"
	typeMap      = "Map"
)

// state is one compiled state.
type state struct {
	name string
	typ  string
	next string
	end  bool
	// usesContext is false when nothing in the state mentions "$$", so no
	// context object needs to be built for it.
	usesContext bool

	inputPath  *asl.Path
	inputNull  bool
	outputPath *asl.Path
	outputNull bool
	resultPath *asl.Path
	resultNull bool

	parameters     *asl.Template
	resultSelector *asl.Template
	result         any
	hasResult      bool

	retry []*retrier
	catch []*catcher

	task     *taskSpec
	choices  []*asl.ChoiceRule
	deflt    string
	wait     *waitSpec
	fail     *failSpec
	branches []*machine
	mapSpec  *mapSpec
}

type resourceKind int

const (
	resLambdaInvoke resourceKind = iota + 1 // arn:aws:states:::lambda:invoke[.waitForTaskToken]
	resLambdaARN                            // arn:aws:lambda:…:function:name
)

type taskSpec struct {
	kind             resourceKind
	callback         bool   // .waitForTaskToken
	resource         string // as written
	timeoutSeconds   int64  // 0 = none
	timeoutPath      *asl.Path
	heartbeatSeconds int64 // 0 = none
	heartbeatPath    *asl.Path
}

type waitSpec struct {
	seconds       int64
	hasSeconds    bool
	secondsPath   *asl.Path
	timestamp     time.Time
	hasTimestamp  bool
	timestampPath *asl.Path
}

type failSpec struct {
	errName, cause     string
	errPath, causePath *asl.Path
	errFn, causeFn     *asl.Intrinsic
}

type mapSpec struct {
	itemsPath          *asl.Path
	itemSelector       *asl.Template
	processor          *machine
	maxConcurrency     int64
	maxConcurrencyPath *asl.Path
}

type retrier struct {
	errorEquals []string
	interval    int64
	maxAttempts int64
	backoff     float64
	maxDelay    int64 // 0 = none
	jitterFull  bool
}

type catcher struct {
	errorEquals []string
	next        string
	resultPath  *asl.Path
	resultNull  bool
}

const maxSeconds = 99999999

// compiler accumulates problems while compiling a definition.
type compiler struct {
	problems []Problem
	names    map[string]string // state name -> location, across the whole definition
	srcs     asl.Sources
}

func (c *compiler) add(loc, st, field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Location: loc, State: st, Field: field, Message: fmt.Sprintf(format, args...)})
}

var substitutionRE = regexp.MustCompile(`\$\{([A-Za-z0-9_.:-]+)\}`)

// substitute replaces every ${Name} of definition with its value, as SAM's
// DefinitionSubstitutions do (verbatim text replacement), and returns the
// names that had no value.
func substitute(definition string, subs map[string]string) (string, []string) {
	var missing []string
	seen := map[string]bool{}
	out := substitutionRE.ReplaceAllStringFunc(definition, func(m string) string {
		name := m[2 : len(m)-1]
		if v, ok := subs[name]; ok {
			return v
		}
		if !seen[name] {
			seen[name] = true
			missing = append(missing, name)
		}
		return m
	})
	return out, missing
}

// compileDefinition substitutes, parses and validates a definition. It
// returns the substituted text and the compiled machine, or a
// *DefinitionError.
func compileDefinition(definition string, subs map[string]string, srcs asl.Sources) (string, *machine, error) {
	text, missing := substitute(definition, subs)
	raw, err := decodeDefinitionJSON([]byte(text))
	if err != nil {
		de := &DefinitionError{}
		for _, name := range missing {
			de.Problems = append(de.Problems, Problem{Message: fmt.Sprintf("missing substitution ${%s} (line %d)", name, lineOf(text, "${"+name+"}"))})
		}
		de.Problems = append(de.Problems, Problem{Message: "definition is not valid JSON: " + err.Error()})
		return "", nil, de
	}
	c := &compiler{names: map[string]string{}, srcs: srcs}
	obj, ok := raw.(map[string]any)
	if !ok {
		c.add("", "", "", "the definition must be a JSON object")
		return "", nil, &DefinitionError{Problems: c.problems}
	}
	if len(missing) > 0 {
		c.findMissing(obj, "", "")
	}
	m := c.compileMachine(obj, "", true)
	if len(c.problems) > 0 {
		return "", nil, &DefinitionError{Problems: c.problems}
	}
	return text, m, nil
}

func lineOf(text, needle string) int {
	i := strings.Index(text, needle)
	if i < 0 {
		return 0
	}
	return strings.Count(text[:i], "\n") + 1
}

// findMissing reports every unresolved ${Name} with the state and field it
// sits in.
func (c *compiler) findMissing(v any, loc, st string) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			child := t[k]
			childState := st
			// Entering /States/<name> (at any depth) changes the state.
			if strings.HasSuffix(loc, "/States") {
				childState = k
			}
			c.checkSubstString(k, loc+"/"+k, childState, loc)
			c.findMissing(child, loc+"/"+k, childState)
		}
	case []any:
		for i, child := range t {
			c.findMissing(child, fmt.Sprintf("%s/%d", loc, i), st)
		}
	case string:
		c.checkSubstString(t, loc, st, loc)
	}
}

func (c *compiler) checkSubstString(s, loc, st, _ string) {
	for _, m := range substitutionRE.FindAllStringSubmatch(s, -1) {
		c.add(loc, st, fieldOf(loc, st), "missing substitution ${%s}", m[1])
	}
}

// fieldOf extracts the state field from a location like
// "/States/X/Parameters/Payload" -> "Parameters".
func fieldOf(loc, st string) string {
	if st == "" {
		parts := strings.Split(strings.TrimPrefix(loc, "/"), "/")
		return parts[0]
	}
	marker := "/States/" + st + "/"
	i := strings.LastIndex(loc, marker)
	if i < 0 {
		return ""
	}
	rest := loc[i+len(marker):]
	if j := strings.Index(rest, "/"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

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
	for _, k := range sortedKeys(obj) {
		switch {
		case k == "QueryLanguage":
			c.checkQueryLanguage(obj[k], loc+"/"+k, "")
		case allowed[k]:
		case unsupported[k] != "":
			c.add(loc+"/"+k, "", k, "%s", unsupported[k])
		default:
			c.add(loc+"/"+k, "", k, "unknown field")
		}
	}
	if v, ok := obj["Comment"]; ok {
		if _, isStr := v.(string); !isStr {
			c.add(loc+"/Comment", "", "Comment", "must be a string")
		}
	}
	if top {
		if v, ok := obj["Version"]; ok {
			if s, isStr := v.(string); !isStr || s != "1.0" {
				c.add(loc+"/Version", "", "Version", "must be \"1.0\"")
			}
		}
		if v, ok := obj["TimeoutSeconds"]; ok {
			m.timeoutSeconds = c.positiveInt(v, loc+"/TimeoutSeconds", "", "TimeoutSeconds", maxSeconds)
		}
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
	if startAt != "" {
		if _, ok := statesRaw[startAt]; !ok {
			c.add(loc+"/StartAt", "", "StartAt", "names no state of this scope: %q", startAt)
		}
	}
	c.checkTransitions(m, statesRaw, loc)
	return m
}

// checkTransitions verifies that every transition target exists in this
// scope and that every state is reachable from StartAt.
func (c *compiler) checkTransitions(m *machine, statesRaw map[string]any, loc string) {
	targets := func(s *state) []struct{ field, to string } {
		var out []struct{ field, to string }
		if s.next != "" {
			out = append(out, struct{ field, to string }{"Next", s.next})
		}
		if s.deflt != "" {
			out = append(out, struct{ field, to string }{"Default", s.deflt})
		}
		for i, r := range s.choices {
			out = append(out, struct{ field, to string }{fmt.Sprintf("Choices[%d].Next", i), r.Next()})
		}
		for i, k := range s.catch {
			out = append(out, struct{ field, to string }{fmt.Sprintf("Catch[%d].Next", i), k.next})
		}
		return out
	}
	for _, name := range sortedKeys(statesRaw) {
		s := m.states[name]
		if s == nil {
			continue
		}
		for _, t := range targets(s) {
			if _, ok := statesRaw[t.to]; !ok {
				c.add(loc+"/States/"+name, name, t.field, "transition target %q is not a state of this scope", t.to)
			}
		}
	}
	if _, ok := statesRaw[m.startAt]; !ok {
		return
	}
	seen := map[string]bool{m.startAt: true}
	queue := []string{m.startAt}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		s := m.states[cur]
		if s == nil {
			continue
		}
		for _, t := range targets(s) {
			if _, ok := statesRaw[t.to]; ok && !seen[t.to] {
				seen[t.to] = true
				queue = append(queue, t.to)
			}
		}
	}
	for _, name := range sortedKeys(statesRaw) {
		if !seen[name] {
			c.add(loc+"/States/"+name, name, "", "state is unreachable from StartAt %q", m.startAt)
		}
	}
}

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
	for _, k := range sortedKeys(obj) {
		switch {
		case k == "QueryLanguage":
			c.checkQueryLanguage(obj[k], loc+"/"+k, name)
		case allowed[k]:
		case unsupported[k] != "":
			c.add(loc+"/"+k, name, k, "%s", unsupported[k])
		default:
			c.add(loc+"/"+k, name, k, "unknown field for a %s state", typ)
		}
	}
	if v, ok := obj["Comment"]; ok {
		if _, isStr := v.(string); !isStr {
			c.add(loc+"/Comment", name, "Comment", "must be a string")
		}
	}
	s := &state{name: name, typ: typ, usesContext: strings.Contains(mustJSON(obj), "$$")}

	// Transitions.
	switch typ {
	case typeChoice, typeSucceed, typeFail:
	default:
		next, hasNext := obj["Next"]
		end, hasEnd := obj["End"]
		if hasNext {
			if str, isStr := next.(string); isStr && str != "" {
				s.next = str
			} else {
				c.add(loc+"/Next", name, "Next", "must be a non-empty string")
			}
		}
		if hasEnd {
			if b, isBool := end.(bool); isBool && b {
				s.end = true
			} else {
				c.add(loc+"/End", name, "End", "must be true when present")
			}
		}
		switch {
		case hasNext && hasEnd:
			c.add(loc, name, "Next", "a state cannot have both Next and End")
		case !hasNext && !hasEnd:
			c.add(loc, name, "Next", "missing Next (or \"End\": true)")
		}
	}

	// Input and output processing.
	if _, ok := obj["InputPath"]; ok {
		s.inputPath, s.inputNull = c.path(obj["InputPath"], loc+"/InputPath", name, "InputPath", true, anyPath)
	}
	if _, ok := obj["OutputPath"]; ok {
		s.outputPath, s.outputNull = c.path(obj["OutputPath"], loc+"/OutputPath", name, "OutputPath", true, anyPath)
	}
	if _, ok := obj["ResultPath"]; ok {
		s.resultPath, s.resultNull = c.path(obj["ResultPath"], loc+"/ResultPath", name, "ResultPath", true, resultPath)
	}
	if v, ok := obj["Parameters"]; ok && typ != typeMap {
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

	switch typ {
	case typeTask:
		s.task = c.taskSpec(obj, loc, name)
	case typeChoice:
		c.choiceSpec(s, obj, loc)
	case typeWait:
		s.wait = c.waitSpec(obj, loc, name)
	case typeFail:
		s.fail = c.failSpec(obj, loc, name)
	case typeParallel:
		c.parallelSpec(s, obj, loc)
	case typeMap:
		s.mapSpec = c.mapSpec(obj, loc, name)
	}
	return s
}

// pathKind says which grammar a path field follows.
type pathKind int

const (
	anyPath       pathKind = iota // a Path (InputPath, OutputPath)
	referencePath                 // a Reference Path (ItemsPath, SecondsPath, …)
	resultPath                    // a Reference Path not into the context object
)

// path compiles a path field. allowNull permits JSON null.
func (c *compiler) path(v any, loc, st, field string, allowNull bool, kind pathKind) (*asl.Path, bool) {
	if v == nil {
		if allowNull {
			return nil, true
		}
		c.add(loc, st, field, "must be a path string, not null")
		return nil, false
	}
	str, ok := v.(string)
	if !ok {
		c.add(loc, st, field, "must be a path string")
		return nil, false
	}
	var p *asl.Path
	var err error
	switch kind {
	case referencePath:
		p, err = asl.CompileReferencePath(str)
	case resultPath:
		p, err = asl.CompileResultPath(str)
	default:
		p, err = asl.CompilePath(str)
	}
	if err != nil {
		c.add(loc, st, field, "invalid path %q: %v", str, err)
		return nil, false
	}
	return p, false
}

func (c *compiler) template(v any, loc, st, field string) *asl.Template {
	t, err := asl.CompileTemplate(v)
	if err != nil {
		c.add(loc, st, field, "invalid payload template: %v", err)
		return nil
	}
	return t.WithSources(c.srcs)
}

// positiveInt checks an integer in [1, max].
func (c *compiler) positiveInt(v any, loc, st, field string, limit int64) int64 {
	n, ok := intValue(v)
	if !ok || n < 1 || n > limit {
		c.add(loc, st, field, "must be an integer from 1 to %d", limit)
		return 0
	}
	return n
}

func (c *compiler) nonNegativeInt(v any, loc, st, field string, limit int64) int64 {
	n, ok := intValue(v)
	if !ok || n < 0 || n > limit {
		c.add(loc, st, field, "must be an integer from 0 to %d", limit)
		return 0
	}
	return n
}

// intValue returns v as an integer if it is a JSON number with no
// fractional part.
func intValue(v any) (int64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if n, err := num.Int64(); err == nil {
		return n, true
	}
	f, err := num.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func floatValue(v any) (float64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := num.Float64()
	return f, err == nil
}

func (c *compiler) errorEquals(v any, loc, st, field string) []string {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		c.add(loc, st, field, "ErrorEquals must be a non-empty array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			c.add(loc, st, field, "ErrorEquals must contain only strings")
			return nil
		}
		out = append(out, s)
	}
	for _, s := range out {
		if s == asl.ErrALL && len(out) > 1 {
			c.add(loc, st, field, "%s must appear alone in ErrorEquals", asl.ErrALL)
		}
	}
	return out
}

func (c *compiler) retriers(v any, loc, st string) []*retrier {
	arr, ok := v.([]any)
	if !ok {
		c.add(loc, st, "Retry", "must be an array of retriers")
		return nil
	}
	var out []*retrier
	for i, item := range arr {
		rloc := fmt.Sprintf("%s/%d", loc, i)
		obj, ok := item.(map[string]any)
		if !ok {
			c.add(rloc, st, "Retry", "a retrier must be an object")
			continue
		}
		r := &retrier{interval: 1, maxAttempts: 3, backoff: 2.0}
		for _, k := range sortedKeys(obj) {
			fv := obj[k]
			floc := rloc + "/" + k
			switch k {
			case "ErrorEquals":
				r.errorEquals = c.errorEquals(fv, floc, st, "Retry")
			case "IntervalSeconds":
				r.interval = c.positiveInt(fv, floc, st, "Retry", maxSeconds)
			case "MaxAttempts":
				r.maxAttempts = c.nonNegativeInt(fv, floc, st, "Retry", maxSeconds)
			case "BackoffRate":
				f, ok := floatValue(fv)
				if !ok || f < 1.0 {
					c.add(floc, st, "Retry", "BackoffRate must be a number not less than 1.0")
				}
				r.backoff = f
			case "MaxDelaySeconds":
				r.maxDelay = c.positiveInt(fv, floc, st, "Retry", 31622400)
			case "JitterStrategy":
				switch fv {
				case "FULL":
					r.jitterFull = true
				case "NONE":
				default:
					c.add(floc, st, "Retry", "JitterStrategy must be \"FULL\" or \"NONE\"")
				}
			case "Comment":
			default:
				c.add(floc, st, "Retry", "unknown retrier field %q", k)
			}
		}
		if _, ok := obj["ErrorEquals"]; !ok {
			c.add(rloc, st, "Retry", "a retrier needs ErrorEquals")
		}
		if hasALL(r.errorEquals) && i != len(arr)-1 {
			c.add(rloc, st, "Retry", "the retrier with %s must be the last one", asl.ErrALL)
		}
		out = append(out, r)
	}
	return out
}

func (c *compiler) catchers(v any, loc, st string) []*catcher {
	arr, ok := v.([]any)
	if !ok {
		c.add(loc, st, "Catch", "must be an array of catchers")
		return nil
	}
	var out []*catcher
	for i, item := range arr {
		cloc := fmt.Sprintf("%s/%d", loc, i)
		obj, ok := item.(map[string]any)
		if !ok {
			c.add(cloc, st, "Catch", "a catcher must be an object")
			continue
		}
		k := &catcher{}
		for _, key := range sortedKeys(obj) {
			fv := obj[key]
			floc := cloc + "/" + key
			switch key {
			case "ErrorEquals":
				k.errorEquals = c.errorEquals(fv, floc, st, "Catch")
			case "Next":
				if s, ok := fv.(string); ok && s != "" {
					k.next = s
				} else {
					c.add(floc, st, "Catch", "Next must be a non-empty string")
				}
			case "ResultPath":
				k.resultPath, k.resultNull = c.path(fv, floc, st, "Catch", true, resultPath)
			case "Comment":
			default:
				if msg := unsupported[key]; msg != "" {
					c.add(floc, st, "Catch", "%s", msg)
				} else {
					c.add(floc, st, "Catch", "unknown catcher field %q", key)
				}
			}
		}
		if _, ok := obj["ErrorEquals"]; !ok {
			c.add(cloc, st, "Catch", "a catcher needs ErrorEquals")
		}
		if _, ok := obj["Next"]; !ok {
			c.add(cloc, st, "Catch", "a catcher needs Next")
		}
		if hasALL(k.errorEquals) && i != len(arr)-1 {
			c.add(cloc, st, "Catch", "the catcher with %s must be the last one", asl.ErrALL)
		}
		out = append(out, k)
	}
	return out
}

func hasALL(list []string) bool {
	for _, s := range list {
		if s == asl.ErrALL {
			return true
		}
	}
	return false
}

var (
	lambdaInvokeRE = regexp.MustCompile(`^arn:aws[a-z-]*:states:[a-z0-9-]*:[0-9]*:lambda:invoke(\.waitForTaskToken)?$`)
	lambdaARNRE    = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$`)
	lambdaParams   = map[string]bool{"FunctionName": true, "Payload": true, "Qualifier": true, "InvocationType": true, "LogType": true}
)

func (c *compiler) taskSpec(obj map[string]any, loc, st string) *taskSpec {
	t := &taskSpec{}
	res, ok := obj["Resource"].(string)
	if !ok {
		c.add(loc+"/Resource", st, "Resource", "required string field is missing or not a string")
		return t
	}
	t.resource = res
	switch {
	case lambdaInvokeRE.MatchString(res):
		t.kind = resLambdaInvoke
		t.callback = strings.HasSuffix(res, ".waitForTaskToken")
		c.checkLambdaParameters(obj, loc, st, t.callback)
	case lambdaARNRE.MatchString(res):
		t.kind = resLambdaARN
	case strings.HasSuffix(res, ".sync") || strings.Contains(res, ".sync:"):
		c.add(loc+"/Resource", st, "Resource", "the .sync integration pattern is not supported by the local engine: %q", res)
	case strings.Contains(res, ":activity:"):
		c.add(loc+"/Resource", st, "Resource", "activities are not supported by the local engine: %q", res)
	default:
		c.add(loc+"/Resource", st, "Resource", "unsupported resource %q (the local engine runs arn:aws:states:::lambda:invoke, lambda:invoke.waitForTaskToken and Lambda function ARNs)", res)
	}
	_, hasT := obj["TimeoutSeconds"]
	_, hasTP := obj["TimeoutSecondsPath"]
	_, hasH := obj["HeartbeatSeconds"]
	_, hasHP := obj["HeartbeatSecondsPath"]
	if hasT && hasTP {
		c.add(loc, st, "TimeoutSecondsPath", "TimeoutSeconds and TimeoutSecondsPath are mutually exclusive")
	}
	if hasH && hasHP {
		c.add(loc, st, "HeartbeatSecondsPath", "HeartbeatSeconds and HeartbeatSecondsPath are mutually exclusive")
	}
	if hasT {
		t.timeoutSeconds = c.positiveInt(obj["TimeoutSeconds"], loc+"/TimeoutSeconds", st, "TimeoutSeconds", maxSeconds)
	}
	if hasTP {
		t.timeoutPath, _ = c.path(obj["TimeoutSecondsPath"], loc+"/TimeoutSecondsPath", st, "TimeoutSecondsPath", false, referencePath)
	}
	if hasH {
		t.heartbeatSeconds = c.positiveInt(obj["HeartbeatSeconds"], loc+"/HeartbeatSeconds", st, "HeartbeatSeconds", maxSeconds)
	}
	if hasHP {
		t.heartbeatPath, _ = c.path(obj["HeartbeatSecondsPath"], loc+"/HeartbeatSecondsPath", st, "HeartbeatSecondsPath", false, referencePath)
	}
	if (hasH || hasHP) && !t.callback && t.kind != 0 {
		c.add(loc+"/HeartbeatSeconds", st, "HeartbeatSeconds", "heartbeats apply only to .waitForTaskToken tasks in the local engine; nothing could send one here")
	}
	if t.heartbeatSeconds > 0 && t.timeoutSeconds > 0 && t.heartbeatSeconds >= t.timeoutSeconds {
		c.add(loc+"/HeartbeatSeconds", st, "HeartbeatSeconds", "must be smaller than TimeoutSeconds (%d)", t.timeoutSeconds)
	}
	return t
}

// checkLambdaParameters checks the static shape of a lambda:invoke task's
// Parameters.
func (c *compiler) checkLambdaParameters(obj map[string]any, loc, st string, callback bool) {
	raw, ok := obj["Parameters"]
	if !ok {
		c.add(loc+"/Parameters", st, "Parameters", "lambda:invoke needs Parameters with FunctionName")
		return
	}
	params, ok := raw.(map[string]any)
	if !ok {
		c.add(loc+"/Parameters", st, "Parameters", "lambda:invoke Parameters must be an object")
		return
	}
	hasFn := false
	for _, k := range sortedKeys(params) {
		base := strings.TrimSuffix(k, ".$")
		if !lambdaParams[base] {
			c.add(loc+"/Parameters/"+k, st, "Parameters", "lambda:invoke parameter %q is not supported by the local engine (FunctionName, Payload, Qualifier, InvocationType, LogType)", k)
			continue
		}
		if base == "FunctionName" {
			hasFn = true
		}
		v := params[k]
		if base == k {
			switch base {
			case "FunctionName", "Qualifier":
				if _, isStr := v.(string); !isStr {
					c.add(loc+"/Parameters/"+k, st, "Parameters", "%s must be a string", k)
				}
			case "InvocationType":
				if v != "RequestResponse" && v != "Event" {
					c.add(loc+"/Parameters/"+k, st, "Parameters", "InvocationType must be \"RequestResponse\" or \"Event\" in the local engine")
				}
			case "LogType":
				if v != "None" {
					c.add(loc+"/Parameters/"+k, st, "Parameters", "LogType must be \"None\" in the local engine")
				}
			}
		}
	}
	if !hasFn {
		c.add(loc+"/Parameters", st, "Parameters", "lambda:invoke needs FunctionName")
	}
	if callback {
		text := mustJSON(raw)
		if !strings.Contains(text, "$$.Task.Token") {
			c.add(loc+"/Parameters", st, "Parameters", "a .waitForTaskToken task must pass the task token ($$.Task.Token) in Parameters")
		}
	}
}

func (c *compiler) choiceSpec(s *state, obj map[string]any, loc string) {
	raw, ok := obj["Choices"].([]any)
	if !ok || len(raw) == 0 {
		c.add(loc+"/Choices", s.name, "Choices", "required non-empty array is missing")
	}
	for i, item := range raw {
		rloc := fmt.Sprintf("%s/Choices/%d", loc, i)
		robj, ok := item.(map[string]any)
		if !ok {
			c.add(rloc, s.name, "Choices", "a choice rule must be an object")
			continue
		}
		rule, err := asl.CompileChoiceRule(robj, true)
		if err != nil {
			c.add(rloc, s.name, "Choices", "invalid choice rule %d: %v", i, err)
			continue
		}
		if _, has := rule.Assign(); has {
			c.add(rloc+"/Assign", s.name, "Choices", "%s", unsupported["Assign"])
		}
		s.choices = append(s.choices, rule)
	}
	if v, ok := obj["Default"]; ok {
		if str, isStr := v.(string); isStr && str != "" {
			s.deflt = str
		} else {
			c.add(loc+"/Default", s.name, "Default", "must be a non-empty string")
		}
	}
}

func (c *compiler) waitSpec(obj map[string]any, loc, st string) *waitSpec {
	w := &waitSpec{}
	n := 0
	if v, ok := obj["Seconds"]; ok {
		n++
		w.seconds = c.nonNegativeInt(v, loc+"/Seconds", st, "Seconds", maxSeconds)
		w.hasSeconds = true
	}
	if v, ok := obj["SecondsPath"]; ok {
		n++
		w.secondsPath, _ = c.path(v, loc+"/SecondsPath", st, "SecondsPath", false, referencePath)
	}
	if v, ok := obj["Timestamp"]; ok {
		n++
		str, isStr := v.(string)
		ts, err := asl.ParseTimestamp(str)
		if !isStr || err != nil {
			c.add(loc+"/Timestamp", st, "Timestamp", "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z")
		}
		w.timestamp, w.hasTimestamp = ts, true
	}
	if v, ok := obj["TimestampPath"]; ok {
		n++
		w.timestampPath, _ = c.path(v, loc+"/TimestampPath", st, "TimestampPath", false, referencePath)
	}
	if n != 1 {
		c.add(loc, st, "Seconds", "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
	}
	return w
}

func (c *compiler) failSpec(obj map[string]any, loc, st string) *failSpec {
	f := &failSpec{}
	strOrPath := func(field, pathField string, dst *string, dstPath **asl.Path, dstFn **asl.Intrinsic) {
		v, has := obj[field]
		pv, hasPath := obj[pathField]
		if has && hasPath {
			c.add(loc+"/"+pathField, st, pathField, "%s and %s are mutually exclusive", field, pathField)
		}
		if has {
			if s, ok := v.(string); ok {
				*dst = s
			} else {
				c.add(loc+"/"+field, st, field, "must be a string")
			}
		}
		if hasPath {
			s, ok := pv.(string)
			switch {
			case !ok:
				c.add(loc+"/"+pathField, st, pathField, "must be a reference path or an intrinsic function")
			case strings.HasPrefix(s, "States."):
				fn, err := asl.CompileIntrinsic(s)
				if err != nil {
					c.add(loc+"/"+pathField, st, pathField, "invalid intrinsic function: %v", err)
				}
				*dstFn = fn
			default:
				*dstPath, _ = c.path(pv, loc+"/"+pathField, st, pathField, false, referencePath)
			}
		}
	}
	strOrPath("Error", "ErrorPath", &f.errName, &f.errPath, &f.errFn)
	strOrPath("Cause", "CausePath", &f.cause, &f.causePath, &f.causeFn)
	return f
}

func (c *compiler) parallelSpec(s *state, obj map[string]any, loc string) {
	raw, ok := obj["Branches"].([]any)
	if !ok || len(raw) == 0 {
		c.add(loc+"/Branches", s.name, "Branches", "required non-empty array is missing")
		return
	}
	for i, b := range raw {
		bloc := fmt.Sprintf("%s/Branches/%d", loc, i)
		bobj, ok := b.(map[string]any)
		if !ok {
			c.add(bloc, s.name, "Branches", "a branch must be an object with StartAt and States")
			continue
		}
		s.branches = append(s.branches, c.compileMachine(bobj, bloc, false))
	}
}

func (c *compiler) mapSpec(obj map[string]any, loc, st string) *mapSpec {
	m := &mapSpec{}
	if v, ok := obj["ItemsPath"]; ok {
		m.itemsPath, _ = c.path(v, loc+"/ItemsPath", st, "ItemsPath", false, referencePath)
	}
	_, hasSel := obj["ItemSelector"]
	_, hasParams := obj["Parameters"]
	if hasSel && hasParams {
		c.add(loc+"/Parameters", st, "Parameters", "ItemSelector and Parameters are mutually exclusive")
	}
	if hasSel {
		m.itemSelector = c.template(obj["ItemSelector"], loc+"/ItemSelector", st, "ItemSelector")
	}
	if hasParams {
		m.itemSelector = c.template(obj["Parameters"], loc+"/Parameters", st, "Parameters")
	}
	_, hasMC := obj["MaxConcurrency"]
	_, hasMCP := obj["MaxConcurrencyPath"]
	if hasMC && hasMCP {
		c.add(loc+"/MaxConcurrencyPath", st, "MaxConcurrencyPath", "MaxConcurrency and MaxConcurrencyPath are mutually exclusive")
	}
	if hasMC {
		m.maxConcurrency = c.nonNegativeInt(obj["MaxConcurrency"], loc+"/MaxConcurrency", st, "MaxConcurrency", maxSeconds)
	}
	if hasMCP {
		m.maxConcurrencyPath, _ = c.path(obj["MaxConcurrencyPath"], loc+"/MaxConcurrencyPath", st, "MaxConcurrencyPath", false, referencePath)
	}
	it, hasIt := obj["Iterator"]
	proc, hasProc := obj["ItemProcessor"]
	switch {
	case hasIt && hasProc:
		c.add(loc+"/ItemProcessor", st, "ItemProcessor", "Iterator and ItemProcessor are mutually exclusive")
	case hasIt:
		iobj, ok := it.(map[string]any)
		if !ok {
			c.add(loc+"/Iterator", st, "Iterator", "must be an object with StartAt and States")
			return m
		}
		m.processor = c.compileMachine(iobj, loc+"/Iterator", false)
	case hasProc:
		pobj, ok := proc.(map[string]any)
		if !ok {
			c.add(loc+"/ItemProcessor", st, "ItemProcessor", "must be an object with StartAt and States")
			return m
		}
		inner := map[string]any{}
		for k, v := range pobj {
			if k == "ProcessorConfig" {
				c.processorConfig(v, loc+"/ItemProcessor/ProcessorConfig", st)
				continue
			}
			inner[k] = v
		}
		m.processor = c.compileMachine(inner, loc+"/ItemProcessor", false)
	default:
		c.add(loc+"/ItemProcessor", st, "ItemProcessor", "a Map state needs ItemProcessor (or Iterator)")
	}
	return m
}

func (c *compiler) processorConfig(v any, loc, st string) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(loc, st, "ItemProcessor", "ProcessorConfig must be an object")
		return
	}
	for _, k := range sortedKeys(obj) {
		switch k {
		case "Mode":
			switch obj[k] {
			case "INLINE":
			case "DISTRIBUTED":
				c.add(loc+"/Mode", st, "ItemProcessor", "distributed Map is not supported by the local engine (Mode must be INLINE)")
			default:
				c.add(loc+"/Mode", st, "ItemProcessor", "Mode must be \"INLINE\" or \"DISTRIBUTED\"")
			}
		case "ExecutionType":
			c.add(loc+"/ExecutionType", st, "ItemProcessor", "ExecutionType applies only to distributed Map, which the local engine does not run")
		default:
			c.add(loc+"/"+k, st, "ItemProcessor", "unknown ProcessorConfig field %q", k)
		}
	}
}
