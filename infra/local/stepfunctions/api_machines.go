package stepfunctions

// The state machine operations of the protocol.

import "sort"

func (e *Engine) opCreateStateMachine(body []byte) (any, error) {
	var in struct {
		Name       string `json:"name"`
		Definition string `json:"definition"`
		RoleArn    string `json:"roleArn"`
		Type       string `json:"type"`
		Publish    bool   `json:"publish"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	for _, f := range [][2]string{{"name", in.Name}, {"definition", in.Definition}, {"roleArn", in.RoleArn}} {
		if err := required(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	if in.Publish {
		return nil, apiErr("ValidationException", "publishing state machine versions is not supported by the local engine")
	}
	sm, err := e.createStateMachine(in.Name, in.Definition, nil, in.RoleArn, in.Type)
	if err != nil {
		return nil, err
	}
	return map[string]any{"stateMachineArn": sm.arn, "creationDate": epochSeconds(sm.created)}, nil
}

func (e *Engine) describeMachine(sm *stateMachine) map[string]any {
	return map[string]any{
		"stateMachineArn":      sm.arn,
		"name":                 sm.name,
		"status":               "ACTIVE",
		"definition":           sm.definition,
		"roleArn":              sm.roleArn,
		"type":                 "STANDARD",
		"creationDate":         epochSeconds(sm.created),
		"loggingConfiguration": map[string]any{"level": "OFF", "includeExecutionData": false},
		"tracingConfiguration": map[string]any{"enabled": false},
	}
}

func (e *Engine) opDescribeStateMachine(body []byte) (any, error) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sm, err := e.machineLocked(in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return e.describeMachine(sm), nil
}

func (e *Engine) opDescribeStateMachineForExecution(body []byte) (any, error) {
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
	out := e.describeMachine(x.sm)
	delete(out, "status")
	delete(out, "type")
	delete(out, "creationDate")
	out["updateDate"] = epochSeconds(x.sm.created)
	return out, nil
}

func (e *Engine) opListStateMachines(body []byte) (any, error) {
	var in struct {
		MaxResults int    `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	offset, err := parsePageToken(in.NextToken, "machines", "")
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	list := append([]*stateMachine(nil), e.machList...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].name < list[j].name })
	items := []any{}
	end := min(offset+size, len(list))
	for _, sm := range list[min(offset, len(list)):end] {
		items = append(items, map[string]any{
			"stateMachineArn": sm.arn,
			"name":            sm.name,
			"type":            "STANDARD",
			"creationDate":    epochSeconds(sm.created),
		})
	}
	out := map[string]any{"stateMachines": items}
	if end < len(list) {
		out["nextToken"] = pageToken("machines", "", end)
	}
	return out, nil
}
