package asl

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"
	randv2 "math/rand/v2"
	"strconv"
	"strings"
)

// Limits AWS documents for intrinsic functions.
const (
	maxRangeItems   = 1000  // States.ArrayRange
	maxEncodedChars = 10000 // States.Base64Encode, States.Base64Decode, States.Hash
	minInt32        = math.MinInt32
	maxInt32        = math.MaxInt32
)

// intrinsicFunc describes one intrinsic function.
type intrinsicFunc struct {
	minArgs, maxArgs int // maxArgs < 0: no upper bound
	// kinds lists the JSON type each argument must have ('s' string, 'n'
	// number, 'b' boolean, 'A' array, 'O' object, '*' any); the last entry
	// repeats. A literal of the wrong type is a load-time error.
	kinds string
	check func(c *call) error
	eval  func(c *call, env *evalEnv, args []any) (any, error)
}

func (f *intrinsicFunc) arity() string {
	switch {
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d argument(s)", f.minArgs)
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d argument(s)", f.minArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
}

// lookupIntrinsic returns the function called name, or nil.
func lookupIntrinsic(name string) *intrinsicFunc {
	switch name {
	case "States.Format":
		return &intrinsicFunc{minArgs: 1, maxArgs: -1, kinds: "s*", check: checkFormat, eval: evalFormat}
	case "States.StringToJson":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "s", eval: evalStringToJSON}
	case "States.JsonToString":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "*", check: checkJSONToString, eval: evalJSONToString}
	case "States.Array":
		return &intrinsicFunc{minArgs: 0, maxArgs: -1, kinds: "*", eval: evalArray}
	case "States.ArrayPartition":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "An", eval: evalArrayPartition}
	case "States.ArrayContains":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "A*", eval: evalArrayContains}
	case "States.ArrayRange":
		return &intrinsicFunc{minArgs: 3, maxArgs: 3, kinds: "n", eval: evalArrayRange}
	case "States.ArrayGetItem":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "An", eval: evalArrayGetItem}
	case "States.ArrayLength":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "A", eval: evalArrayLength}
	case "States.ArrayUnique":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "A", eval: evalArrayUnique}
	case "States.Base64Encode":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "s", eval: evalBase64Encode}
	case "States.Base64Decode":
		return &intrinsicFunc{minArgs: 1, maxArgs: 1, kinds: "s", eval: evalBase64Decode}
	case "States.Hash":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "*s", check: checkHash, eval: evalHash}
	case "States.JsonMerge":
		return &intrinsicFunc{minArgs: 3, maxArgs: 3, kinds: "OOb", check: checkJSONMerge, eval: evalJSONMerge}
	case "States.MathRandom":
		return &intrinsicFunc{minArgs: 2, maxArgs: 3, kinds: "n", eval: evalMathRandom}
	case "States.MathAdd":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "n", eval: evalMathAdd}
	case "States.StringSplit":
		return &intrinsicFunc{minArgs: 2, maxArgs: 2, kinds: "s", eval: evalStringSplit}
	case "States.UUID":
		return &intrinsicFunc{minArgs: 0, maxArgs: 0, eval: evalUUID}
	}
	return nil
}

// checkLiteralKinds rejects literal arguments of the wrong JSON type.
func checkLiteralKinds(c *call) error {
	for i, a := range c.args {
		if a.kind != argLiteral || c.fn.kinds == "" {
			continue
		}
		k := c.fn.kinds[min(i, len(c.fn.kinds)-1)]
		if !kindMatches(k, a.lit) {
			return fmt.Errorf("argument %d must be %s, got the literal %s", i+1, kindName(k), typeName(a.lit))
		}
	}
	return nil
}

func kindMatches(k byte, v any) bool {
	switch k {
	case 's':
		_, ok := v.(string)
		return ok
	case 'n':
		return isNumber(v)
	case 'b':
		_, ok := v.(bool)
		return ok
	case 'A':
		_, ok := v.([]any)
		return ok
	case 'O':
		_, ok := v.(map[string]any)
		return ok
	}
	return true
}

func kindName(k byte) string {
	switch k {
	case 's':
		return "a string"
	case 'n':
		return "a number"
	case 'b':
		return "a boolean"
	case 'A':
		return "an array"
	case 'O':
		return "an object"
	}
	return "a value"
}

// argKindError explains an argument of the wrong type at run time.
func argKindError(i int, k byte, v any) error {
	return fmt.Errorf("argument %d must be %s, got %s", i+1, kindName(k), typeName(v))
}

func checkArgKinds(c *call, args []any) error {
	for i, v := range args {
		k := c.fn.kinds[min(i, len(c.fn.kinds)-1)]
		if !kindMatches(k, v) {
			return argKindError(i, k, v)
		}
	}
	return nil
}

// fmtPart is a piece of a States.Format template: literal text or a {} hole.
type fmtPart struct {
	text string
	hole bool
}

// parseFormatTemplate splits a template into text and {} holes. \{ \} \' and
// \\ are escapes; a '{' not followed by '}' or a lone '}' is an error. In a
// template read from the input (not a literal), any other backslash is text.
func parseFormatTemplate(s string) ([]fmtPart, int, error) {
	var parts []fmtPart
	var b strings.Builder
	holes := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`'{}\`, s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
		case c == '{':
			if i+1 >= len(s) || s[i+1] != '}' {
				return nil, 0, errors.New("the template has a '{' that does not open a {} placeholder (escape it as \\{)")
			}
			parts = append(parts, fmtPart{text: b.String()}, fmtPart{hole: true})
			b.Reset()
			holes++
			i += 2
		case c == '}':
			return nil, 0, errors.New("the template has a '}' that does not close a {} placeholder (escape it as \\})")
		default:
			b.WriteByte(c)
			i++
		}
	}
	if b.Len() > 0 {
		parts = append(parts, fmtPart{text: b.String()})
	}
	return parts, holes, nil
}

func checkFormat(c *call) error {
	t := c.args[0]
	if t.kind != argLiteral || !t.str {
		return nil
	}
	parts, holes, err := parseFormatTemplate(t.raw)
	if err != nil {
		return err
	}
	if holes != len(c.args)-1 {
		return fmt.Errorf("the template has %d {} placeholder(s) but %d value argument(s) follow", holes, len(c.args)-1)
	}
	c.format = parts
	return nil
}

func evalFormat(c *call, _ *evalEnv, args []any) (any, error) {
	parts := c.format
	if parts == nil {
		t, ok := args[0].(string)
		if !ok {
			return nil, argKindError(0, 's', args[0])
		}
		var holes int
		var err error
		if parts, holes, err = parseFormatTemplate(t); err != nil {
			return nil, err
		}
		if holes != len(args)-1 {
			return nil, fmt.Errorf("the template has %d {} placeholder(s) but %d value argument(s) follow", holes, len(args)-1)
		}
	}
	var b strings.Builder
	next := 1
	for _, p := range parts {
		if !p.hole {
			b.WriteString(p.text)
			continue
		}
		formatValue(&b, args[next])
		next++
	}
	return b.String(), nil
}

// formatValue writes v into a States.Format result as AWS does (recorded on
// AWS): strings without quotes, null, numbers and booleans as JSON, objects
// and arrays as Java's Map and List render themselves, {k=v, k2=[1, 2]}.
func formatValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			formatValue(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			formatValue(b, e)
		}
		b.WriteByte(']')
	default:
		b.WriteString(numberText(v))
	}
}

// evalStringToJSON parses its argument; a blank string (empty or white
// space only) is null, as AWS answers (recorded on AWS).
func evalStringToJSON(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	if strings.TrimSpace(args[0].(string)) == "" {
		return nil, nil
	}
	v, err := Decode([]byte(args[0].(string)))
	if err != nil {
		return nil, errors.New("the string is not a valid JSON text")
	}
	return v, nil
}

func checkJSONToString(c *call) error {
	if c.args[0].kind == argLiteral {
		return errors.New("the argument must be a path (spec: States.JsonToString takes a Path)")
	}
	return nil
}

func evalJSONToString(_ *call, _ *evalEnv, args []any) (any, error) {
	s, err := encodeJSON(args[0])
	if err != nil {
		return nil, fmt.Errorf("the value cannot be serialised: %w", err)
	}
	return s, nil
}

func evalArray(_ *call, _ *evalEnv, args []any) (any, error) {
	return args, nil // a fresh slice for every evaluation
}

// exactInt converts an integral number argument to int64.
func exactInt(i int, v any) (int64, error) {
	n, ok := toInt64(v)
	if !ok {
		return 0, fmt.Errorf("argument %d must be an integer", i+1)
	}
	return n, nil
}

// truncInt converts a number argument to int64, truncating any fraction
// toward zero, as AWS does for States.ArrayRange and States.ArrayGetItem.
func truncInt(i int, v any) (int64, error) {
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("argument %d must be an integer", i+1)
	}
	return int64(math.Trunc(f)), nil
}

// roundInt converts a number argument to int64, rounding to the nearest
// integer (halves up, as Java's Math.round), as AWS documents for
// States.MathAdd and States.MathRandom.
func roundInt(i int, v any) (int64, error) {
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("argument %d must be an integer", i+1)
	}
	return int64(math.Floor(f + 0.5)), nil
}

func evalArrayPartition(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	arr := args[0].([]any)
	size, err := exactInt(1, args[1])
	if err != nil || size <= 0 {
		return nil, errors.New("argument 2 (the chunk size) must be a positive integer")
	}
	out := []any{}
	for i := 0; i < len(arr); i += int(size) {
		chunk := make([]any, min(int(size), len(arr)-i))
		copy(chunk, arr[i:])
		out = append(out, chunk)
	}
	return out, nil
}

func evalArrayContains(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	return contains(args[0], args[1]), nil
}

func evalArrayRange(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	var n [3]int64
	for i := range n {
		v, err := truncInt(i, args[i])
		if err != nil {
			return nil, err
		}
		n[i] = v
	}
	first, last, step := n[0], n[1], n[2]
	if step == 0 {
		return nil, errors.New("argument 3 (the step) must not be zero")
	}
	var count int64
	switch {
	case step > 0 && first <= last:
		count = (last-first)/step + 1
	case step < 0 && first >= last:
		count = (first-last)/(-step) + 1
	}
	if count > maxRangeItems {
		return nil, fmt.Errorf("the range would have %d items, more than the limit of %d", count, maxRangeItems)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = numberValue(first + int64(i)*step)
	}
	return out, nil
}

func evalArrayGetItem(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	arr := args[0].([]any)
	idx, err := truncInt(1, args[1])
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= int64(len(arr)) {
		return nil, fmt.Errorf("index %d is out of bounds of an array of length %d", idx, len(arr))
	}
	return arr[idx], nil
}

func evalArrayLength(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	return numberValue(int64(len(args[0].([]any)))), nil
}

func evalArrayUnique(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	arr := args[0].([]any)
	seen := make(map[string]bool, len(arr))
	out := []any{}
	for _, v := range arr {
		k := canonicalKey(v)
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// canonicalKey renders a JSON value so that values jsonEqual considers equal
// render the same.
func canonicalKey(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("n")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteString(strconv.Quote(x))
	case []any:
		b.WriteString("[")
		for _, e := range x {
			writeCanonical(b, e)
			b.WriteString(",")
		}
		b.WriteString("]")
	case map[string]any:
		b.WriteString("{")
		for _, k := range sortedKeys(x) {
			b.WriteString(strconv.Quote(k))
			b.WriteString(":")
			writeCanonical(b, x[k])
			b.WriteString(",")
		}
		b.WriteString("}")
	default:
		if i, ok := toInt64(v); ok {
			b.WriteString(strconv.FormatInt(i, 10))
			return
		}
		f, _ := toFloat(v)
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	}
}

func evalBase64Encode(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	s := args[0].(string)
	if n := utf16Len(s); n > maxEncodedChars {
		return nil, fmt.Errorf("the string has %d characters, more than the limit of %d", n, maxEncodedChars)
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func evalBase64Decode(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	s := args[0].(string)
	if n := utf16Len(s); n > maxEncodedChars {
		return nil, fmt.Errorf("the string has %d characters, more than the limit of %d", n, maxEncodedChars)
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil && !strings.HasSuffix(s, "=") {
		data, err = base64.RawStdEncoding.DecodeString(s) // padding is optional, as in Java
	}
	if err != nil {
		return nil, errors.New("the string is not valid Base64")
	}
	return strings.ToValidUTF8(string(data), "\uFFFD"), nil
}

// hashAlgorithm returns the hash States.Hash names alg, or nil.
func hashAlgorithm(alg string) hash.Hash {
	switch alg {
	case "MD5":
		return md5.New()
	case "SHA-1":
		return sha1.New()
	case "SHA-256":
		return sha256.New()
	case "SHA-384":
		return sha512.New384()
	case "SHA-512":
		return sha512.New()
	}
	return nil
}

var errHashAlgorithm = errors.New("the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512")

func checkHash(c *call) error {
	if a := c.args[1]; a.kind == argLiteral && a.str && hashAlgorithm(a.lit.(string)) == nil {
		return errHashAlgorithm
	}
	return nil
}

func evalHash(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	h := hashAlgorithm(args[1].(string))
	if h == nil {
		return nil, errHashAlgorithm
	}
	data, ok := args[0].(string)
	if !ok { // AWS hashes the JSON text of a non-string value
		var err error
		if data, err = encodeJSON(args[0]); err != nil {
			return nil, fmt.Errorf("the data cannot be serialised: %w", err)
		}
	}
	if n := utf16Len(data); n > maxEncodedChars {
		return nil, fmt.Errorf("the data has %d characters, more than the limit of %d", n, maxEncodedChars)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

var errDeepMerge = errors.New("deep merge (true) is not supported: argument 3 must be false")

func checkJSONMerge(c *call) error {
	if a := c.args[2]; a.kind == argLiteral && a.lit == true {
		return errDeepMerge
	}
	return nil
}

func evalJSONMerge(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	if args[2].(bool) {
		return nil, errDeepMerge
	}
	a, b := args[0].(map[string]any), args[1].(map[string]any)
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

func evalMathRandom(c *call, env *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	start, err := roundInt(0, args[0])
	if err != nil {
		return nil, err
	}
	end, err := roundInt(1, args[1])
	if err != nil {
		return nil, err
	}
	if start >= end {
		return nil, errors.New("the start (inclusive) must be less than the end (exclusive)")
	}
	var r float64
	if len(args) == 3 {
		seed, err := roundInt(2, args[2])
		if err != nil {
			return nil, err
		}
		r = randv2.New(randv2.NewPCG(uint64(seed), uint64(seed))).Float64()
	} else {
		r = env.srcs.random()
	}
	v := start + int64(math.Floor(r*float64(end-start)))
	return numberValue(min(max(v, start), end-1)), nil
}

func evalMathAdd(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	var sum int64
	for i, v := range args {
		n, err := roundInt(i, v)
		if err != nil {
			return nil, err
		}
		if n < minInt32 || n > maxInt32 {
			return nil, fmt.Errorf("argument %d is outside the range %d to %d", i+1, minInt32, maxInt32)
		}
		sum += n
	}
	if sum < minInt32 || sum > maxInt32 {
		return nil, fmt.Errorf("the sum is outside the range %d to %d", minInt32, maxInt32)
	}
	return numberValue(sum), nil
}

// evalStringSplit splits at every character of the delimiter string and drops
// empty tokens, like Java's StringTokenizer (AWS's observed behaviour).
func evalStringSplit(c *call, _ *evalEnv, args []any) (any, error) {
	if err := checkArgKinds(c, args); err != nil {
		return nil, err
	}
	s, delims := args[0].(string), args[1].(string)
	out := []any{}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) }) {
		out = append(out, tok)
	}
	return out, nil
}

func evalUUID(_ *call, env *evalEnv, _ []any) (any, error) {
	return env.srcs.uuid(), nil
}
