package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/shared/httpapi"
)

// Names of the local functions and state machines, as template.yaml names
// them in AWS (without the stage suffix).
const (
	FindReviewerTasksFunction  = "candor-find-reviewer-tasks"
	FindReviewerMachine        = "candor-find-reviewer"
	InvestigationTasksFunction = "candor-investigation-tasks"
	InvestigationMachine       = "candor-investigation"
	SanctionTasksFunction      = "candor-sanction-tasks"
	SanctionMachine            = "candor-sanction"
	AppealMachine              = "candor-appeal"
	ReplyMachine               = "candor-reply"
)

// functionARN is the ARN the engine and the substitutions use for a function.
func (s *Stack) functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.cfg.Region, "000000000000", name)
}

// repoRoot finds the repository (the folder holding statemachines/), so the
// stack runs the very definitions that are deployed from any working directory.
func repoRoot() (string, error) {
	if dir := os.Getenv("CANDOR_REPO_ROOT"); dir != "" {
		return dir, nil
	}
	candidates := []string{}
	if wd, err := os.Getwd(); err == nil {
		candidates = append(candidates, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		candidates = append(candidates, filepath.Dir(file))
	}
	for _, start := range candidates {
		for dir := start; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "statemachines")); err == nil {
				if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
					return dir, nil
				}
			}
			if parent := filepath.Dir(dir); parent == dir {
				break
			}
		}
	}
	return "", fmt.Errorf("cannot find the repository's statemachines/ folder (set CANDOR_REPO_ROOT)")
}

// machineARN is the ARN the engine gives the state machine of that name.
func (s *Stack) machineARN(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", s.cfg.Region, "000000000000", name)
}

// loadMachine creates a state machine from statemachines/<file> with the
// substitutions template.yaml gives it.
func (s *Stack) loadMachine(ctx context.Context, name, file string, subs map[string]string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	def, err := os.ReadFile(filepath.Join(root, "statemachines", file))
	if err != nil {
		return fmt.Errorf("load state machine %s: %w", name, err)
	}
	arn, err := s.Engine.CreateStateMachine(ctx, name, def, subs)
	if err != nil {
		return fmt.Errorf("load state machine %s: %w", name, err)
	}
	if arn != s.machineARN(name) {
		return fmt.Errorf("load state machine %s: the engine named it %s, not %s", name, arn, s.machineARN(name))
	}
	return nil
}

// seconds renders a window for a substitution.
func seconds(d interface{ Seconds() float64 }) string {
	return strconv.FormatInt(int64(d.Seconds()), 10)
}

// invoker adapts a typed Go Lambda handler exactly as aws-lambda-go runs
// it, and records each invocation's AWS calls (see TaskCalls).
func (s *Stack) invoker(function string, handler any) func(ctx context.Context, payload []byte) ([]byte, error) {
	invoke := lambda.NewHandler(handler).Invoke
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev struct {
			Action string `json:"action"`
		}
		_ = json.Unmarshal(payload, &ev)
		before := s.Edge.Calls()
		out, err := invoke(ctx, payload)
		after := s.Edge.Calls()
		call := TaskCall{Function: function, Action: ev.Action, Calls: map[string]int{}}
		for k, n := range after {
			if d := n - before[k]; d > 0 {
				call.Calls[k] = d
			}
		}
		s.mu.Lock()
		s.taskCalls = append(s.taskCalls, call)
		s.mu.Unlock()
		s.invoked(function)
		return out, err
	}
}

// TaskCall is one task invocation with the AWS calls the edge served while
// it ran ("dynamodb:BatchGetItem" → n). Calls of other functions running at
// the same time would be counted too: the tests that read them run one
// workflow at a time.
type TaskCall struct {
	Function, Action string
	Calls            map[string]int
}

// DynamoDB is how many DynamoDB calls the invocation made.
func (c TaskCall) DynamoDB() int {
	n := 0
	for k, v := range c.Calls {
		if strings.HasPrefix(k, "dynamodb:") {
			n += v
		}
	}
	return n
}

// TaskCalls returns every task invocation so far, in order.
func (s *Stack) TaskCalls() []TaskCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.taskCalls)
}

// lambdaDispatch sends each API Gateway event to the function its route
// belongs to, as API Gateway's integrations do: /r/* to the reviewer pages,
// everything else to the API function.
// Each invocation is counted (see Invocations).
func (s *Stack) lambdaDispatch(api, pages *httpadapter.HandlerAdapterV2) gateway.Handler {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if strings.HasPrefix(ev.RawPath, "/r/") {
			s.invoked("candor-reviewer-page")
			return pages.ProxyWithContext(ctx, ev)
		}
		s.invoked("candor-api")
		return api.ProxyWithContext(ctx, ev)
	}
}

func (s *Stack) invoked(function string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.invocations == nil {
		s.invocations = map[string]int{}
	}
	s.invocations[function]++
}

// Invocations returns how many times each function behind API Gateway or a
// state machine's task was invoked so far (the scheduled sweeper and webhook
// dispatcher are not counted: they run on a schedule, not per request).
func (s *Stack) Invocations() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.invocations)
}

// reviewerRoutes are the public routes of the reviewer-page function: every
// method on /r/{token}, as template.yaml routes them.
var reviewerRoutes = []httpapi.Route{{Method: "ANY", Path: "/r/{token}"}}
