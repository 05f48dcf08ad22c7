package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

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
// decoding JSON or from the engine itself). Generic JSON values take a fast
// path; anything else goes through encoding/json.
func mustJSON(v any) string {
	if b, ok := appendJSON(nil, v); ok {
		return string(b)
	}
	s, err := marshalJSON(v)
	if err != nil {
		return "null"
	}
	return s
}

// appendJSON encodes the generic JSON values (nil, bool, string,
// json.Number, float64, int, int64, []any, map[string]any with sorted keys)
// the way encoding/json does without HTML escaping. It reports false for
// any other type.
func appendJSON(b []byte, v any) ([]byte, bool) {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, t), true
	case string:
		return appendJSONString(b, t), true
	case json.Number:
		if t == "" {
			return append(b, '0'), true
		}
		return append(b, t...), true
	case int:
		return strconv.AppendInt(b, int64(t), 10), true
	case int64:
		return strconv.AppendInt(b, t, 10), true
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return b, false
		}
		nb, err := json.Marshal(t)
		if err != nil {
			return b, false
		}
		return append(b, nb...), true
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendJSON(b, e); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			var ok bool
			if b, ok = appendJSON(b, t[k]); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	}
	return b, false
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping off:
// control characters, quotes and backslashes escaped, U+2028 and U+2029
// escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
