package deploycheck

import (
	"fmt"
	"hash/fnv"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Eval resolves a template's intrinsic functions to plausible values, as
// CloudFormation would for one deployment: parameters from their overrides
// or defaults, pseudo parameters from the fields below, and each resource's
// Ref and attributes from its type and properties (a function's ARN from its
// FunctionName, a table's ARN from its TableName, ...). It lets the checks
// compare what the template says with what the code expects, value for value.
// It knows the intrinsic functions the template uses (Ref, Fn::GetAtt,
// Fn::Sub, Fn::If over Fn::Equals/Fn::Not conditions) and the attributes of
// the resource types the checks compare; anything else is an error that
// names it. Whether the template is valid CloudFormation is cfn-lint's job.
type Eval struct {
	T *Template
	// Params overrides parameter values (a CommaDelimitedList as a
	// comma-separated string, as sam deploy passes it).
	Params                                           map[string]string
	Region, Account, Partition, URLSuffix, StackName string

	conds map[string]bool
	stack []string // resources being resolved, for cycle errors
}

// NewEval returns an Eval for t in us-east-1, account 123456789012.
func NewEval(t *Template, params map[string]string) *Eval {
	return &Eval{T: t, Params: params, Region: "us-east-1", Account: "123456789012", Partition: "aws",
		URLSuffix: "amazonaws.com", StackName: "candor-check", conds: map[string]bool{}}
}

// noValue is what Ref AWS::NoValue resolves to: the property disappears.
type noValue struct{}

// Value resolves every intrinsic function in v. Lists and maps are resolved
// element by element; elements that are AWS::NoValue disappear.
func (e *Eval) Value(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return e.intrinsic(k, arg)
				}
			}
		}
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			r, err := e.Value(x[k])
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); !skip {
				out[k] = r
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(x))
		for _, el := range x {
			r, err := e.Value(el)
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); !skip {
				out = append(out, r)
			}
		}
		return out, nil
	}
	return v, nil
}

// String resolves v to a string (numbers and booleans are formatted).
func (e *Eval) String(v any) (string, error) {
	r, err := e.Value(v)
	if err != nil {
		return "", err
	}
	return scalarString(r)
}

// Strings resolves v to a list of strings: a string is a list of one.
func (e *Eval) Strings(v any) ([]string, error) {
	r, err := e.Value(v)
	if err != nil {
		return nil, err
	}
	switch x := r.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, el := range x {
			s, err := scalarString(el)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case []string:
		return x, nil
	}
	s, err := scalarString(r)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalarString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("%v (%T) is not a scalar", v, v)
}

func (e *Eval) intrinsic(fn string, arg any) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("Ref: %v is not a name", arg)
		}
		return e.ref(name)
	case "Fn::GetAtt":
		parts, err := e.Strings(arg)
		if err != nil || len(parts) != 2 {
			return nil, fmt.Errorf("Fn::GetAtt: %v is not [Resource, Attribute]", arg)
		}
		return e.getAtt(parts[0], parts[1])
	case "Fn::Sub":
		return e.sub(arg)
	case "Fn::If":
		args, ok := arg.([]any)
		if !ok || len(args) != 3 {
			return nil, fmt.Errorf("Fn::If: %v is not [Condition, Then, Else]", arg)
		}
		name, _ := args[0].(string)
		c, err := e.Condition(name)
		if err != nil {
			return nil, err
		}
		if c {
			return e.Value(args[1])
		}
		return e.Value(args[2])
	}
	return nil, fmt.Errorf("%s is not supported by the checks", fn)
}

// Condition evaluates the named condition of the Conditions section.
func (e *Eval) Condition(name string) (bool, error) {
	if v, ok := e.conds[name]; ok {
		return v, nil
	}
	def, ok := e.T.Section("Conditions")[name]
	if !ok {
		return false, fmt.Errorf("no condition %q", name)
	}
	v, err := e.condExpr(def)
	if err != nil {
		return false, fmt.Errorf("condition %s: %w", name, err)
	}
	e.conds[name] = v
	return v, nil
}

func (e *Eval) condExpr(v any) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("%v is not a condition function", v)
	}
	for fn, arg := range m {
		switch fn {
		case "Condition":
			name, _ := arg.(string)
			return e.Condition(name)
		case "Fn::Equals":
			args, ok := arg.([]any)
			if !ok || len(args) != 2 {
				return false, fmt.Errorf("Fn::Equals: %v is not [A, B]", arg)
			}
			a, err := e.Value(args[0])
			if err != nil {
				return false, err
			}
			b, err := e.Value(args[1])
			if err != nil {
				return false, err
			}
			as, aerr := scalarString(a)
			bs, berr := scalarString(b)
			return aerr == nil && berr == nil && as == bs, nil
		case "Fn::Not":
			args, ok := arg.([]any)
			if !ok || len(args) != 1 {
				return false, fmt.Errorf("Fn::Not: %v is not [Condition]", arg)
			}
			c, err := e.condExpr(args[0])
			return !c, err
		}
		return false, fmt.Errorf("%s is not a condition function", fn)
	}
	return false, nil
}

// Param returns a parameter's value: its override, else its default.
func (e *Eval) Param(name string) (any, error) {
	def, ok := e.T.Section("Parameters")[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no parameter %q", name)
	}
	raw, ok := e.Params[name]
	if !ok {
		d, has := def["Default"]
		if !has {
			return nil, fmt.Errorf("parameter %s has no value and no default", name)
		}
		raw, _ = scalarString(d)
	}
	if t, _ := def["Type"].(string); t == "CommaDelimitedList" || strings.HasPrefix(t, "List<") {
		out := []any{}
		for _, p := range strings.Split(raw, ",") {
			out = append(out, strings.TrimSpace(p))
		}
		return out, nil
	}
	return raw, nil
}

func (e *Eval) ref(name string) (any, error) {
	switch name {
	case "AWS::Region":
		return e.Region, nil
	case "AWS::AccountId":
		return e.Account, nil
	case "AWS::Partition":
		return e.Partition, nil
	case "AWS::URLSuffix":
		return e.URLSuffix, nil
	case "AWS::StackName":
		return e.StackName, nil
	case "AWS::NoValue":
		return noValue{}, nil
	}
	if _, ok := e.T.Section("Parameters")[name]; ok {
		return e.Param(name)
	}
	if _, ok := e.T.Resource(name); ok {
		return e.getAtt(name, "")
	}
	return nil, fmt.Errorf("Ref %s: no such parameter or resource", name)
}

// getAtt resolves a resource's Ref (attr "") or one of its attributes.
func (e *Eval) getAtt(id, attr string) (any, error) {
	r, ok := e.T.Resource(id)
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: no such resource", id, attr)
	}
	if slices.Contains(e.stack, id) {
		return nil, fmt.Errorf("resource %s refers to itself through %s", id, strings.Join(e.stack, " -> "))
	}
	e.stack = append(e.stack, id)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()

	name := func(prop string) (string, error) {
		if v, ok := r.Properties[prop]; ok {
			return e.String(v)
		}
		return e.StackName + "-" + id + "-" + fakeID(id), nil
	}
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", e.Partition, service, e.Region, e.Account, rest)
	}
	var prop string
	var build func(n string) map[string]string
	switch r.Type {
	case TypeFunction:
		prop = "FunctionName"
		build = func(n string) map[string]string {
			return map[string]string{"": n, "Arn": arn("lambda", "function:"+n)}
		}
	case TypeTable:
		prop = "TableName"
		build = func(n string) map[string]string {
			return map[string]string{"": n, "Arn": arn("dynamodb", "table/"+n)}
		}
	case TypeStateMachine:
		prop = "Name"
		build = func(n string) map[string]string {
			a := arn("states", "stateMachine:"+n)
			return map[string]string{"": a, "Arn": a, "Name": n}
		}
	case TypeSecret:
		prop = "Name"
		build = func(n string) map[string]string {
			a := arn("secretsmanager", "secret:"+n+"-"+fakeID(id))
			return map[string]string{"": a, "Id": a}
		}
	case "AWS::S3::Bucket":
		prop = "BucketName"
		build = func(n string) map[string]string {
			return map[string]string{"": n, "Arn": fmt.Sprintf("arn:%s:s3:::%s", e.Partition, n)}
		}
	case TypeHttpAPI:
		build = func(string) map[string]string {
			apiID := fakeID(id)
			return map[string]string{"": apiID, "ApiId": apiID,
				"ApiEndpoint": fmt.Sprintf("https://%s.execute-api.%s.%s", apiID, e.Region, e.URLSuffix)}
		}
	default:
		if attr == "" {
			return id, nil
		}
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: attributes of %s are not known to the checks", id, attr, r.Type)
	}
	n, err := name(prop)
	if err != nil {
		return nil, fmt.Errorf("resource %s: %w", id, err)
	}
	v, ok := build(n)[attr]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: %s has no attribute %s", id, attr, r.Type, attr)
	}
	return v, nil
}

// fakeID is a stable, plausible physical id for a resource.
func fakeID(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

var subVarRE = regexp.MustCompile(`\$\{([^}]*)\}`)

func (e *Eval) sub(arg any) (any, error) {
	var text string
	vars := map[string]any{}
	switch x := arg.(type) {
	case string:
		text = x
	case []any:
		if len(x) != 2 {
			return nil, fmt.Errorf("Fn::Sub: %v is not [String, Variables]", arg)
		}
		text, _ = x[0].(string)
		m, ok := x[1].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Fn::Sub: variables %v are not a mapping", x[1])
		}
		vars = m
	default:
		return nil, fmt.Errorf("Fn::Sub: %v is not a string", arg)
	}
	var firstErr error
	out := subVarRE.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}" // ${!Literal}
		}
		var s string
		var err error
		if v, ok := vars[name]; ok {
			s, err = e.String(v)
		} else if res, attr, dotted := strings.Cut(name, "."); dotted && !strings.HasPrefix(name, "AWS::") {
			var v any
			if v, err = e.getAtt(res, attr); err == nil {
				s, err = scalarString(v)
			}
		} else {
			var v any
			if v, err = e.ref(name); err == nil {
				s, err = scalarString(v)
			}
		}
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("Fn::Sub %q: %w", text, err)
		}
		return s
	})
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}
