package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Decode parses one JSON text into a value, keeping numbers as json.Number.
// Anything but white space after the value is an error.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode json: unexpected data after the value")
	}
	return v, nil
}

// encodeJSON renders v as compact JSON without HTML escaping (as AWS does),
// with object members in ascending key order.
func encodeJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// typeName names the JSON type of v for error messages (never its content).
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	if _, ok := toFloat(v); ok {
		return "number"
	}
	return fmt.Sprintf("unsupported Go type %T", v)
}

// isNumber reports whether v is a JSON number in any accepted Go form.
func isNumber(v any) bool {
	_, ok := toFloat(v)
	return ok
}

// toFloat converts a JSON number to float64.
func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		return f, true
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// toInt64 converts a JSON number to int64 when it is exactly an integer.
func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, true
		}
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// compareNumbers orders two JSON numbers: exactly when both are integers,
// otherwise as IEEE 754 binary64 values (spec "Choice Rules": comparisons are
// not assumed to work beyond that precision). ok is false if either is not a
// number.
func compareNumbers(a, b any) (cmp int, ok bool) {
	if ia, aok := toInt64(a); aok {
		if ib, bok := toInt64(b); bok {
			switch {
			case ia < ib:
				return -1, true
			case ia > ib:
				return 1, true
			}
			return 0, true
		}
	}
	fa, aok := toFloat(a)
	fb, bok := toFloat(b)
	if !aok || !bok {
		return 0, false
	}
	switch {
	case fa < fb:
		return -1, true
	case fa > fb:
		return 1, true
	case fa == fb:
		return 0, true
	}
	return 0, false // NaN
}

// numberValue builds the json.Number for an integer.
func numberValue(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// numberText is the natural string representation of a JSON number.
func numberText(v any) string {
	if n, ok := v.(json.Number); ok {
		return string(n)
	}
	if i, ok := toInt64(v); ok {
		return strconv.FormatInt(i, 10)
	}
	f, _ := toFloat(v)
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// jsonEqual reports whether two JSON values are equal: numbers by value,
// arrays element-wise, objects member-wise.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	if c, ok := compareNumbers(a, b); ok {
		return c == 0
	}
	return reflect.DeepEqual(a, b)
}

// deepCopy copies the containers of a JSON value; scalars are immutable.
func deepCopy(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	}
	return v
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compareStrings orders strings as Java's String.compareTo does (by UTF-16
// code unit), which AWS documents for the String comparators of Choice Rules.
// It differs from Go's byte order only between supplementary characters and
// BMP characters from U+E000 upwards.
func compareStrings(a, b string) int {
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Units(ra), utf16Units(rb)
			if ua[0] != ub[0] {
				return cmpUnit(ua[0], ub[0])
			}
			return cmpUnit(ua[1], ub[1])
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case len(a) > 0:
		return 1
	case len(b) > 0:
		return -1
	}
	return 0
}

// utf16Units returns the UTF-16 code units of r (the second is 0 for BMP runes).
func utf16Units(r rune) [2]rune {
	if r < 0x10000 {
		return [2]rune{r, 0}
	}
	r -= 0x10000
	return [2]rune{0xD800 + (r >> 10), 0xDC00 + (r & 0x3FF)}
}

func cmpUnit(a, b rune) int {
	if a < b {
		return -1
	}
	return 1
}

// utf16Len is the length of s as Java counts it (UTF-16 code units), which is
// how AWS counts the character limits of intrinsic functions.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
