package stepfunctions

import (
	"fmt"
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
