package stepfunctions

// The task token operations of the protocol.

func (e *Engine) opSendTaskSuccess(body []byte) (any, error) {
	var in struct {
		TaskToken string  `json:"taskToken"`
		Output    *string `json:"output"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if in.Output == nil {
		return nil, required("output", "")
	}
	if err := e.sendTaskSuccess(in.TaskToken, *in.Output); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Engine) opSendTaskFailure(body []byte) (any, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
		Error     string `json:"error"`
		Cause     string `json:"cause"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if err := e.sendTaskFailure(in.TaskToken, in.Error, in.Cause); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Engine) opSendTaskHeartbeat(body []byte) (any, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if err := e.sendTaskHeartbeat(in.TaskToken); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}
