package stack

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/shared/httpapi"
)

// maxFaultBody bounds a POST /_local/faults body.
const maxFaultBody = 16 << 10

// faultExample is what the 400 of an unreadable rule suggests.
const faultExample = `send a fault rule such as {"service":"dynamodb","operation":"TransactWriteItems","error":"ProvisionedThroughputExceededException","count":2}`

// mountFaults serves the edge's fault rules over HTTP:
//
//	POST   /_local/faults       add a rule (201, the rule with its id)
//	GET    /_local/faults       list the rules, how often each fired, and the total injected
//	DELETE /_local/faults       drop every rule (200, the list as it was)
//	DELETE /_local/faults/{id}  drop one rule (200, the rule as it was; 404 if none)
//
// A body that is not one JSON object is 400 malformed_request; an unknown
// field or a value of the wrong type is 400 with the field named, as the
// API answers; a rule that cannot be taken is 422 validation_failed with
// every problem by field.
func (s *Stack) mountFaults(mux *http.ServeMux) {
	f := s.Faults
	mux.HandleFunc("GET /_local/faults", func(w http.ResponseWriter, _ *http.Request) {
		httpapi.WriteJSON(w, http.StatusOK, f.Report())
	})
	mux.HandleFunc("DELETE /_local/faults", func(w http.ResponseWriter, _ *http.Request) {
		httpapi.WriteJSON(w, http.StatusOK, f.Clear())
	})
	mux.HandleFunc("DELETE /_local/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		rule, ok := f.Remove(r.PathValue("id"))
		if !ok {
			httpapi.WriteError(w, r, httpapi.NotFound())
			return
		}
		httpapi.WriteJSON(w, http.StatusOK, rule)
	})
	mux.HandleFunc("POST /_local/faults", func(w http.ResponseWriter, r *http.Request) {
		rule, err := decodeFaultRule(w, r)
		if err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
		added, err := f.Add(rule)
		if ruleErr, ok := errors.AsType[*edge.FaultRuleError](err); ok {
			httpapi.WriteError(w, r, httpapi.Invalid(ruleErr.Fields))
			return
		}
		if errors.Is(err, edge.ErrTooManyFaultRules) {
			httpapi.WriteError(w, r, &httpapi.Error{Status: http.StatusConflict, Code: "too_many_fault_rules",
				Message: "the local stack already holds " + strconv.Itoa(edge.MaxFaultRules) + " fault rules; DELETE /_local/faults first"})
			return
		}
		if err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
		s.cfg.Logger.Info("fault rule added", "fault", added.ID, "rule", added.Summary())
		httpapi.WriteJSON(w, http.StatusCreated, added)
	})
}

// decodeFaultRule reads one rule, strictly. Like POST /_local/clock it takes
// any Content-Type, so that curl -d works as it is.
func decodeFaultRule(w http.ResponseWriter, r *http.Request) (edge.FaultRule, error) {
	var rule edge.FaultRule
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFaultBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(&rule)
	if err == nil {
		if _, next := dec.Token(); next != io.EOF {
			err = errors.New("data after the rule")
		}
	}
	switch {
	case err == nil:
		return rule, nil
	case errors.As(err, new(*http.MaxBytesError)):
		return rule, httpapi.PayloadTooLarge()
	}
	if ute, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && ute.Field != "" {
		return rule, httpapi.Malformed("the fault rule has a field of the wrong type", map[string]string{ute.Field: "must be " + jsonKind(ute.Type.Kind().String())})
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return rule, httpapi.Malformed("the fault rule has an unknown field", map[string]string{strings.Trim(name, `"`): "unknown field"})
	}
	return rule, httpapi.Malformed(faultExample, nil)
}

// jsonKind names a Go kind as the JSON a client should send.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case strings.HasPrefix(kind, "int"):
		return "a whole number"
	case strings.HasPrefix(kind, "uint"):
		return "a whole number, 0 or more"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	}
	return "of another type"
}
