// Package dsaschema checks statements of reasons against the JSON Schema of
// the DSA Transparency Database API v2 submission. It is apart from package
// dsa so that code building statements does not link the validator, whose
// package initialisation compiles the JSON Schema metaschemas (a cost on
// every cold start); tests and tools import it.
package dsaschema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/candorhq/candor/shared/dsa"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaJSON is the JSON Schema (draft 2020-12) of a statement of reasons as
// the Transparency Database API v2 accepts it. api/schemas holds the same
// file for readers of the API; a test keeps the two identical.
//
//go:embed dsa-statement-v2.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) that [Validate] checks
// against, e.g. to serve it next to the statements. The caller owns the slice.
func Schema() []byte { return bytes.Clone(schemaJSON) }

const schemaURL = "https://candor.example/schemas/dsa-statement-v2.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("dsa schema: parse: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("dsa schema: add: %w", err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("dsa schema: compile: %w", err)
	}
	return sch, nil
})

// Validate reports whether s, as encoding/json writes it, is a valid
// Transparency Database v2 statement; the error names every violation with
// its JSON path.
func Validate(s dsa.TDBStatement) error {
	doc, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("dsa validate: marshal: %w", err)
	}
	return ValidateJSON(doc)
}

// ValidateJSON reports whether doc is one valid Transparency Database v2
// statement (a JSON object), e.g. an element of an API response.
func ValidateJSON(doc []byte) error {
	sch, err := compiled()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("dsa validate: parse: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("dsa validate: %w", err)
	}
	return nil
}
