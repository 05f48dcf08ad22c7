package stepfunctions

// The execution operations of the protocol.

func (e *Engine) opStartExecution(body []byte) (any, error) {
	var in struct {
		StateMachineArn string  `json:"stateMachineArn"`
		Name            string  `json:"name"`
		Input           *string `json:"input"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	input := ""
	if in.Input != nil {
		input = *in.Input
	}
	x, err := e.startExecution(in.StateMachineArn, in.Name, input)
	if err != nil {
		return nil, err
	}
	return map[string]any{"executionArn": x.arn, "startDate": epochSeconds(x.start)}, nil
}

func (e *Engine) opDescribeExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.sm.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochSeconds(x.start),
		"input":           x.input,
		"inputDetails":    map[string]any{"included": true},
		"redriveCount":    x.redriveCount,
		"redriveStatus":   "REDRIVABLE",
	}
	if x.redriveCount > 0 {
		out["redriveDate"] = epochSeconds(x.redriveDate)
	}
	if reason := e.notRedrivableLocked(x, e.now()); reason != "" {
		out["redriveStatus"] = "NOT_REDRIVABLE"
		out["redriveStatusReason"] = reason
	}
	if x.status != statusRunning {
		out["stopDate"] = epochSeconds(x.stop)
	}
	if x.status == statusSucceeded {
		out["output"] = x.output
		out["outputDetails"] = map[string]any{"included": true}
	}
	if x.status == statusFailed || x.status == statusAborted || x.status == statusTimedOut {
		if x.errName != "" {
			out["error"] = x.errName
		}
		if x.cause != "" {
			out["cause"] = x.cause
		}
	}
	return out, nil
}

func (e *Engine) opStopExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
		Error        string `json:"error"`
		Cause        string `json:"cause"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	x, err := e.stopExecution(in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return map[string]any{"stopDate": epochSeconds(x.stop)}, nil
}

var executionStatuses = map[string]bool{statusRunning: true, statusSucceeded: true, statusFailed: true, statusTimedOut: true, statusAborted: true, "PENDING_REDRIVE": true}

var redriveFilters = map[string]bool{"": true, "REDRIVEN": true, "NOT_REDRIVEN": true}

// listExecutionsInput is the request of ListExecutions.
type listExecutionsInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	StatusFilter    string `json:"statusFilter"`
	RedriveFilter   string `json:"redriveFilter"`
	MaxResults      int    `json:"maxResults"`
	NextToken       string `json:"nextToken"`
	MapRunArn       string `json:"mapRunArn"`
}

// validate checks the members that need no engine state.
func (in *listExecutionsInput) validate() error {
	if in.MapRunArn != "" {
		return apiErr("ValidationException", "map runs (distributed Map) are not supported by the local engine")
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return err
	}
	if in.StatusFilter != "" && !executionStatuses[in.StatusFilter] {
		return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]", in.StatusFilter)
	}
	if !redriveFilters[in.RedriveFilter] {
		return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]", in.RedriveFilter)
	}
	return nil
}

// matches reports whether x passes the request's filters.
func (in *listExecutionsInput) matches(x *execution) bool {
	switch {
	case in.StatusFilter != "" && x.status != in.StatusFilter:
		return false
	case in.RedriveFilter == "REDRIVEN":
		return x.redriveCount > 0
	case in.RedriveFilter == "NOT_REDRIVEN":
		return x.redriveCount == 0
	}
	return true
}

func (e *Engine) opListExecutions(body []byte) (any, error) {
	var in listExecutionsInput
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	scope := in.StateMachineArn + "|" + in.StatusFilter + "|" + in.RedriveFilter
	offset, err := parsePageToken(in.NextToken, "executions", scope)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sm, err := e.machineLocked(in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	var list []*execution
	for i := len(e.execList) - 1; i >= 0; i-- { // newest first
		if x := e.execList[i]; x.sm == sm && in.matches(x) {
			list = append(list, x)
		}
	}
	items := []any{}
	end := min(offset+size, len(list))
	for _, x := range list[min(offset, len(list)):end] {
		items = append(items, listItem(x))
	}
	out := map[string]any{"executions": items}
	if end < len(list) {
		out["nextToken"] = pageToken("executions", scope, end)
	}
	return out, nil
}

// listItem is an execution as ListExecutions lists it.
func listItem(x *execution) map[string]any {
	item := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.sm.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochSeconds(x.start),
		"redriveCount":    x.redriveCount,
	}
	if x.status != statusRunning {
		item["stopDate"] = epochSeconds(x.stop)
	}
	if x.redriveCount > 0 {
		item["redriveDate"] = epochSeconds(x.redriveDate)
	}
	return item
}

func (e *Engine) opGetExecutionHistory(body []byte) (any, error) {
	var in struct {
		ExecutionArn         string `json:"executionArn"`
		MaxResults           int    `json:"maxResults"`
		NextToken            string `json:"nextToken"`
		ReverseOrder         bool   `json:"reverseOrder"`
		IncludeExecutionData *bool  `json:"includeExecutionData"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	scope := in.ExecutionArn
	if in.ReverseOrder {
		scope += "|reverse"
	}
	offset, err := parsePageToken(in.NextToken, "history", scope)
	if err != nil {
		return nil, err
	}
	include := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	n := len(x.events)
	end := min(offset+size, n)
	items := []any{}
	for i := min(offset, n); i < end; i++ {
		ev := x.events[i]
		if in.ReverseOrder {
			ev = x.events[n-1-i]
		}
		items = append(items, ev.wire(include))
	}
	out := map[string]any{"events": items}
	if end < n {
		out["nextToken"] = pageToken("history", scope, end)
	}
	return out, nil
}

func (e *Engine) opRedriveExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
		ClientToken  string `json:"clientToken"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	d, err := e.redriveExecution(in.ExecutionArn, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return map[string]any{"redriveDate": epochSeconds(d)}, nil
}
