package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// decodeDefinitionJSON parses a state machine definition into generic JSON
// values (objects as map[string]any, numbers as json.Number). Unlike
// encoding/json it refuses duplicate object keys, which would otherwise make
// a state or a field silently disappear.
func decodeDefinitionJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, "")
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the top-level JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, where string) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON%s: %w", at(where), err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON%s: %w", at(where), err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("invalid JSON%s: object key is not a string", at(where))
				}
				if _, dup := obj[key]; dup {
					return nil, fmt.Errorf("duplicate key %q%s", key, at(where))
				}
				v, err := decodeValue(dec, where+"/"+key)
				if err != nil {
					return nil, err
				}
				obj[key] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON%s: %w", at(where), err)
			}
			return obj, nil
		case '[':
			arr := []any{}
			for i := 0; dec.More(); i++ {
				v, err := decodeValue(dec, fmt.Sprintf("%s/%d", where, i))
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON%s: %w", at(where), err)
			}
			return arr, nil
		}
		return nil, fmt.Errorf("invalid JSON%s: unexpected %v", at(where), t)
	default:
		return t, nil
	}
}

func at(where string) string {
	if where == "" {
		return ""
	}
	return " at " + where
}

// marshalJSON renders v as compact JSON without HTML escaping, the way Step
// Functions shows data.
func marshalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(b.Bytes(), "\n")), nil
}

// mustJSON renders v, which is known to be JSON-encodable (it came from
// decoding JSON or from the engine itself).
func mustJSON(v any) string {
	s, err := marshalJSON(v)
	if err != nil {
		return "null"
	}
	return s
}

// isoMillis formats t as the context object and Step Functions do:
// RFC 3339 UTC with milliseconds.
func isoMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func sortTimes(ts []time.Time) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
}

// decodeJSONValue parses one JSON document into the values the asl package
// works on (json.Number numbers).
func decodeJSONValue(b []byte) (any, error) { return asl.Decode(b) }
