package stepfunctions

// Task state fields: the resource, its Parameters, timeouts and heartbeats.

import (
	"regexp"
	"strings"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

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
	c.taskResource(t, obj, loc, st)
	c.taskTimeouts(t, obj, loc, st)
	return t
}

// taskResource classifies the resource, refusing what the engine does not run.
func (c *compiler) taskResource(t *taskSpec, obj map[string]any, loc, st string) {
	res := t.resource
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
}

// taskTimeouts compiles TimeoutSeconds(Path) and HeartbeatSeconds(Path).
func (c *compiler) taskTimeouts(t *taskSpec, obj map[string]any, loc, st string) {
	t.timeoutSeconds, t.timeoutPath = c.secondsOrPath(obj, loc, st, "TimeoutSeconds")
	t.heartbeatSeconds, t.heartbeatPath = c.secondsOrPath(obj, loc, st, "HeartbeatSeconds")
	_, hasH := obj["HeartbeatSeconds"]
	_, hasHP := obj["HeartbeatSecondsPath"]
	if (hasH || hasHP) && !t.callback && t.kind != 0 {
		c.add(loc+"/HeartbeatSeconds", st, "HeartbeatSeconds", "heartbeats apply only to .waitForTaskToken tasks in the local engine; nothing could send one here")
	}
	if t.heartbeatSeconds > 0 && t.timeoutSeconds > 0 && t.heartbeatSeconds >= t.timeoutSeconds {
		c.add(loc+"/HeartbeatSeconds", st, "HeartbeatSeconds", "must be smaller than TimeoutSeconds (%d)", t.timeoutSeconds)
	}
}

// secondsOrPath compiles field (a positive number of seconds) or
// field+"Path" (a reference path), which exclude each other.
func (c *compiler) secondsOrPath(obj map[string]any, loc, st, field string) (int64, *asl.Path) {
	pathField := field + "Path"
	v, has := obj[field]
	pv, hasPath := obj[pathField]
	if has && hasPath {
		c.add(loc, st, pathField, "%s and %s are mutually exclusive", field, pathField)
	}
	var n int64
	var p *asl.Path
	if has {
		n = c.positiveInt(v, loc+"/"+field, st, field, maxSeconds)
	}
	if hasPath {
		p, _ = c.path(pv, loc+"/"+pathField, st, pathField, false, referencePath)
	}
	return n, p
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
		hasFn = hasFn || base == "FunctionName"
		if base == k {
			c.checkLambdaParameter(k, params[k], loc+"/Parameters/"+k, st)
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

// checkLambdaParameter checks a static (not ".$") lambda:invoke parameter.
func (c *compiler) checkLambdaParameter(k string, v any, loc, st string) {
	switch k {
	case "FunctionName", "Qualifier":
		if _, isStr := v.(string); !isStr {
			c.add(loc, st, "Parameters", "%s must be a string", k)
		}
	case "InvocationType":
		if v != "RequestResponse" && v != "Event" {
			c.add(loc, st, "Parameters", "InvocationType must be \"RequestResponse\" or \"Event\" in the local engine")
		}
	case "LogType":
		if v != "None" {
			c.add(loc, st, "Parameters", "LogType must be \"None\" in the local engine")
		}
	}
}
