package httpapi

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxBodyBytes is the largest request body the API accepts (docs/api.md: 64 KiB).
const MaxBodyBytes = 64 << 10

const (
	// maxFieldErrors bounds the field problems reported for one body, so a
	// 64 KiB body of unknown keys cannot produce a huge error response.
	maxFieldErrors = 20
	// maxDepth bounds nesting; no Candor request comes close.
	maxDepth = 100
)

// Messages of the 400 errors DecodeJSON returns.
const (
	msgEmpty      = "the request body is empty"
	msgNotUTF8    = "the request body is not valid UTF-8"
	msgNotJSON    = "the request body is not valid JSON"
	msgNotObject  = "the request body must be a JSON object"
	msgTrailing   = "the request body has data after the JSON object"
	msgTooDeep    = "the request body is nested too deeply"
	msgSurrogate  = "the request body has a \\u escape that is not a valid character"
	msgShape      = "the request body does not have the expected fields"
	msgUnreadable = "the request body could not be read"
)

// DecodeJSON reads r's body into dst, strictly:
//   - Content-Type must be application/json; parameters are allowed, but a
//     charset other than utf-8 is refused; anything else, or no Content-Type,
//     is 415 unsupported_media_type;
//   - a body larger than MaxBodyBytes is 413 payload_too_large (at most
//     MaxBodyBytes+1 bytes are read);
//   - an empty body, invalid JSON, invalid UTF-8 (also as an unpaired
//     surrogate \u escape), data after the value, or a value that is not an
//     object is 400 malformed_request;
//   - an unknown field (names match exactly, not case-insensitively as
//     encoding/json would), a value of the wrong type, or a repeated key is
//     400 malformed_request with Fields naming each problem by its path in
//     JSON names, e.g. {"items[3].scope": "must be a string"},
//     {"items[0].foo": "unknown field"}, {"publicStatement": "duplicate key"}.
//
// JSON null is accepted for any field and leaves it as it is, as encoding/json
// does; required fields are the validation's business (422).
// Every failure is an *Error, except a dst that is not a non-nil pointer,
// which is a programming error reported as a plain error (a 500 through
// WriteError).
func DecodeJSON(r *http.Request, dst any) error {
	if rv := reflect.ValueOf(dst); rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("httpapi: decode json: destination must be a non-nil pointer, got %T", dst)
	}
	if !jsonContentType(r.Header.Get("Content-Type")) {
		return UnsupportedMediaType()
	}
	if r.ContentLength > MaxBodyBytes {
		return PayloadTooLarge()
	}
	var data []byte
	if r.Body != nil {
		var err error
		data, err = io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return PayloadTooLarge()
			}
			return Malformed(msgUnreadable, nil)
		}
	}
	if len(data) > MaxBodyBytes {
		return PayloadTooLarge()
	}
	return decodeBytes(data, dst)
}

// DecodeOptionalJSON is DecodeJSON for a body the route may go without: no
// body at all, an empty one (whatever its Content-Type) or JSON null leaves
// dst as it is and is no error; any other body is decoded as DecodeJSON
// decodes it, with the same refusals.
func DecodeOptionalJSON(r *http.Request, dst any) error {
	if r.Body == nil || r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	if r.ContentLength > MaxBodyBytes {
		return PayloadTooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return PayloadTooLarge()
		}
		return Malformed(msgUnreadable, nil)
	}
	if len(data) > MaxBodyBytes {
		return PayloadTooLarge()
	}
	if trimmed := bytes.Trim(data, " \t\r\n"); len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	if !jsonContentType(r.Header.Get("Content-Type")) {
		return UnsupportedMediaType()
	}
	return decodeBytes(data, dst)
}

// jsonContentType reports whether ct names JSON in UTF-8.
func jsonContentType(ct string) bool {
	if ct == "" {
		return false
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return true
}

// decodeBytes is DecodeJSON after the transport checks.
func decodeBytes(data []byte, dst any) error {
	if len(bytes.Trim(data, " \t\r\n")) == 0 {
		return Malformed(msgEmpty, nil)
	}
	if !utf8.Valid(data) {
		return Malformed(msgNotUTF8, nil)
	}
	if !validSurrogates(data) {
		return Malformed(msgSurrogate, nil)
	}
	w := newWalker(data)
	if err := w.top(reflect.TypeOf(dst).Elem()); err != nil {
		return err
	}
	if len(w.fields) > 0 {
		return Malformed(msgShape, w.fields)
	}
	// The walk has proven the body well formed and of dst's shape; this
	// decode cannot fail on anything the walk checks. DisallowUnknownFields
	// stays as a second line of defence.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if ute, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && ute.Field != "" {
			return Malformed(msgShape, map[string]string{ute.Field: "has the wrong type"})
		}
		return Malformed(msgShape, nil)
	}
	return nil
}

// validSurrogates reports whether every \u escape in data that encodes a
// UTF-16 surrogate is part of a valid pair. encoding/json would silently turn
// an unpaired one into U+FFFD. Backslashes occur only inside strings in
// valid JSON; invalid JSON is caught later.
func validSurrogates(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		if i+1 >= len(data) {
			return true
		}
		if data[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		r, ok := hex4(data, i+2)
		if !ok {
			i++
			continue
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false
		case r >= 0xD800 && r <= 0xDBFF:
			if i+11 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
				return false
			}
			lo, ok := hex4(data, i+8)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 11
		default:
			i += 5
		}
	}
	return true
}

func hex4(data []byte, at int) (rune, bool) {
	if at+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// walker checks a JSON document token by token against a Go type, recording
// unknown fields, wrong types and repeated keys by their JSON path. A
// returned error is fatal (the body is not JSON); field problems are
// collected in fields.
type walker struct {
	dec    *json.Decoder
	fields map[string]string
	cache  map[reflect.Type]map[string]structField
}

func newWalker(data []byte) *walker {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &walker{dec: dec}
}

// top walks the whole document, which must be a single object.
func (w *walker) top(t reflect.Type) error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	if tok != json.Delim('{') {
		return Malformed(msgNotObject, nil)
	}
	t = deref(t)
	if isCustom(t) {
		// A custom decoder sees the whole object; check its keys only and
		// let the final decode judge the rest.
		err = w.anyFrom(tok, "", 1, modeKeys)
	} else {
		err = w.dispatch(t, tok, "", 1)
	}
	if err != nil {
		return err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return Malformed(msgTrailing, nil)
	}
	return nil
}

func syntaxError(err error) error {
	if e, ok := err.(*Error); ok {
		return e
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return Malformed(fmt.Sprintf("%s (at byte %d)", msgNotJSON, se.Offset), nil)
	}
	return Malformed(msgNotJSON, nil)
}

func (w *walker) add(path, problem string) {
	if w.fields == nil {
		w.fields = make(map[string]string)
	}
	if _, ok := w.fields[path]; ok || len(w.fields) >= maxFieldErrors {
		return
	}
	w.fields[path] = problem
}

// next reads one token, turning a syntax error into the 400 to return.
func (w *walker) next() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	return tok, nil
}

// value walks the next value in the stream as a t.
func (w *walker) value(t reflect.Type, path string, depth int) error {
	if depth > maxDepth {
		return Malformed(msgTooDeep, nil)
	}
	t = deref(t)
	if isCustom(t) {
		return w.custom(t, path, depth)
	}
	tok, err := w.next()
	if err != nil {
		return err
	}
	return w.dispatch(t, tok, path, depth)
}

// dispatch checks a value of type t whose first token is tok.
func (w *walker) dispatch(t reflect.Type, tok json.Token, path string, depth int) error {
	if tok == nil { // null leaves the field as it is.
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return w.mismatch(tok, path, "must be an object", depth)
		}
		return w.object(path, depth, true, func(key, kp string) error {
			f, ok := w.fieldsOf(t)[key]
			if !ok {
				w.add(kp, "unknown field")
				return w.skip(kp, depth+1)
			}
			if f.quoted {
				return w.quoted(f.typ, kp)
			}
			return w.value(f.typ, kp, depth+1)
		})
	case reflect.Map:
		if tok != json.Delim('{') {
			return w.mismatch(tok, path, "must be an object", depth)
		}
		kt := t.Key()
		return w.object(path, depth, true, func(key, kp string) error {
			if !implements(kt, textUnmarshalerType) {
				switch kt.Kind() {
				case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
					if _, err := strconv.ParseInt(key, 10, kt.Bits()); err != nil {
						w.add(kp, "must have an integer key")
					}
				case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
					if _, err := strconv.ParseUint(key, 10, kt.Bits()); err != nil {
						w.add(kp, "must have a non-negative integer key")
					}
				}
			}
			return w.value(t.Elem(), kp, depth+1)
		})
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !isCustom(t.Elem()) {
			s, ok := tok.(string)
			if !ok {
				return w.mismatch(tok, path, "must be a base64 string", depth)
			}
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				w.add(path, "must be a base64 string")
			}
			return nil
		}
		if tok != json.Delim('[') {
			return w.mismatch(tok, path, "must be an array", depth)
		}
		return w.array(t.Elem(), -1, path, depth)
	case reflect.Array:
		if tok != json.Delim('[') {
			return w.mismatch(tok, path, "must be an array", depth)
		}
		return w.array(t.Elem(), t.Len(), path, depth)
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return w.mismatch(tok, path, "must be a string", depth)
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return w.mismatch(tok, path, "must be a boolean", depth)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(tok, path, "must be an integer", depth)
		}
		w.checkInt(string(n), t.Bits(), path)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(tok, path, "must be a non-negative integer", depth)
		}
		w.checkUint(string(n), t.Bits(), path)
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(tok, path, "must be a number", depth)
		}
		w.checkFloat(string(n), t.Bits(), path)
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return w.anyFrom(tok, path, depth, modeInterface)
		}
		return w.mismatch(tok, path, "is not supported", depth)
	default:
		return w.mismatch(tok, path, "is not supported", depth)
	}
	return nil
}

// object walks the members of an object whose '{' has been read, calling
// member for each key with the key's path; with dupes it reports repeated
// keys.
func (w *walker) object(path string, depth int, dupes bool, member func(key, keyPath string) error) error {
	if depth > maxDepth {
		return Malformed(msgTooDeep, nil)
	}
	var seen map[string]struct{}
	for w.dec.More() {
		tok, err := w.next()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return Malformed(msgNotJSON, nil)
		}
		kp := joinKey(path, key)
		if dupes {
			if seen == nil {
				seen = make(map[string]struct{})
			}
			if _, dup := seen[key]; dup {
				w.add(kp, "duplicate key")
			}
			seen[key] = struct{}{}
		}
		if err := member(key, kp); err != nil {
			return err
		}
	}
	_, err := w.next() // '}'
	return err
}

// array walks the elements of an array whose '[' has been read. max < 0
// means no limit.
func (w *walker) array(elem reflect.Type, max int, path string, depth int) error {
	if depth > maxDepth {
		return Malformed(msgTooDeep, nil)
	}
	for i := 0; w.dec.More(); i++ {
		ip := path + "[" + strconv.Itoa(i) + "]"
		if max >= 0 && i >= max {
			w.add(path, fmt.Sprintf("must have at most %d items", max))
			if err := w.skip(ip, depth+1); err != nil {
				return err
			}
			continue
		}
		if err := w.value(elem, ip, depth+1); err != nil {
			return err
		}
	}
	_, err := w.next() // ']'
	return err
}

// mismatch records a wrong type at path and skips the rest of the value
// whose first token was tok.
func (w *walker) mismatch(tok json.Token, path, problem string, depth int) error {
	w.add(path, problem)
	return w.anyFrom(tok, path, depth, modeSkip)
}

// skip consumes the next value without checking it.
func (w *walker) skip(path string, depth int) error {
	tok, err := w.next()
	if err != nil {
		return err
	}
	return w.anyFrom(tok, path, depth, modeSkip)
}

// anyMode says what anyFrom checks in a value of no particular type.
type anyMode int

const (
	modeSkip      anyMode = iota // nothing: the value is consumed only
	modeKeys                     // repeated keys
	modeInterface                // repeated keys and numbers a float64 cannot hold
)

// anyFrom walks a value of any shape whose first token is tok.
func (w *walker) anyFrom(tok json.Token, path string, depth int, mode anyMode) error {
	if depth > maxDepth {
		return Malformed(msgTooDeep, nil)
	}
	switch tok := tok.(type) {
	case json.Number:
		if mode == modeInterface {
			w.checkFloat(string(tok), 64, path)
		}
	case json.Delim:
		switch tok {
		case '{':
			return w.object(path, depth, mode != modeSkip, func(_, kp string) error {
				v, err := w.next()
				if err != nil {
					return err
				}
				return w.anyFrom(v, kp, depth+1, mode)
			})
		case '[':
			for i := 0; w.dec.More(); i++ {
				v, err := w.next()
				if err != nil {
					return err
				}
				if err := w.anyFrom(v, path+"["+strconv.Itoa(i)+"]", depth+1, mode); err != nil {
					return err
				}
			}
			_, err := w.next() // ']'
			return err
		}
	}
	return nil
}

// custom checks a value that the type decodes itself (UnmarshalJSON or
// UnmarshalText) by running its decoder on the value, after checking the
// value for repeated keys.
func (w *walker) custom(t reflect.Type, path string, depth int) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return syntaxError(err)
	}
	sub := newWalker(raw)
	tok, err := sub.next()
	if err != nil {
		return err
	}
	if err := sub.anyFrom(tok, path, depth, modeKeys); err != nil {
		return err
	}
	for k, v := range sub.fields {
		w.add(k, v)
	}
	if tok == nil {
		return nil
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		_, isString := tok.(string)
		switch {
		case t == reflect.TypeFor[time.Time]():
			w.add(path, "must be an RFC 3339 date-time")
		case !implements(t, unmarshalerType) && !isString:
			w.add(path, "must be a string")
		default:
			w.add(path, "is not valid")
		}
	}
	return nil
}

// quoted checks a field tagged `json:",string"`: a JSON string holding the
// field's value.
func (w *walker) quoted(t reflect.Type, path string) error {
	tok, err := w.next()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	s, ok := tok.(string)
	if !ok {
		return w.mismatch(tok, path, "must be a string", 0)
	}
	if s == "null" {
		return nil
	}
	t = deref(t)
	switch t.Kind() {
	case reflect.Bool:
		if s != "true" && s != "false" {
			w.add(path, "must be a string holding a boolean")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, err := strconv.ParseInt(s, 10, t.Bits()); err != nil {
			w.add(path, "must be a string holding an integer")
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if _, err := strconv.ParseUint(s, 10, t.Bits()); err != nil {
			w.add(path, "must be a string holding a non-negative integer")
		}
	case reflect.Float32, reflect.Float64:
		if !json.Valid([]byte(s)) {
			w.add(path, "must be a string holding a number")
		} else if _, err := strconv.ParseFloat(s, t.Bits()); err != nil {
			w.add(path, "must be a string holding a number")
		}
	case reflect.String:
		var inner string
		if err := json.Unmarshal([]byte(s), &inner); err != nil {
			w.add(path, "must be a string holding a JSON string")
		}
	}
	return nil
}

func (w *walker) checkInt(s string, bits int, path string) {
	if _, err := strconv.ParseInt(s, 10, bits); err != nil {
		if errors.Is(err, strconv.ErrRange) {
			w.add(path, "is out of range")
			return
		}
		w.add(path, "must be an integer")
	}
}

func (w *walker) checkUint(s string, bits int, path string) {
	if _, err := strconv.ParseUint(s, 10, bits); err != nil {
		if errors.Is(err, strconv.ErrRange) {
			w.add(path, "is out of range")
			return
		}
		w.add(path, "must be a non-negative integer")
	}
}

func (w *walker) checkFloat(s string, bits int, path string) {
	if _, err := strconv.ParseFloat(s, bits); err != nil {
		w.add(path, "is out of range")
	}
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// implements reports whether a t, or a pointer to one, implements iface, as
// encoding/json checks it.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface))
}

// isCustom reports whether encoding/json hands a t to the type's own decoder.
func isCustom(t reflect.Type) bool {
	return implements(t, unmarshalerType) || implements(t, textUnmarshalerType)
}

// deref strips pointers, stopping at a pointer type that decodes itself.
func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer && !isCustom(t) {
		t = t.Elem()
	}
	return t
}

// structField is what the walker needs of a struct field.
type structField struct {
	typ    reflect.Type
	quoted bool
}

// fieldsOf returns the JSON members of struct type t by exact name, chosen
// as encoding/json chooses them (tags, "-", embedded structs and the
// dominant-field rule), memoized for the walk.
func (w *walker) fieldsOf(t reflect.Type) map[string]structField {
	if fs, ok := w.cache[t]; ok {
		return fs
	}
	if w.cache == nil {
		w.cache = make(map[reflect.Type]map[string]structField)
	}
	fs := typeFields(t)
	w.cache[t] = fs
	return fs
}

type candidate struct {
	name   string
	tagged bool
	depth  int
	order  int
	typ    reflect.Type
	quoted bool
}

func typeFields(t reflect.Type) map[string]structField {
	type level struct {
		typ   reflect.Type
		depth int
	}
	var all []candidate
	visited := map[reflect.Type]bool{}
	next := []level{{typ: t}}
	order := 0
	for len(next) > 0 {
		current := next
		next = nil
		count := map[reflect.Type]int{}
		for _, l := range current {
			count[l.typ]++
		}
		for _, l := range current {
			if visited[l.typ] {
				continue
			}
			visited[l.typ] = true
			for i := range l.typ.NumField() {
				sf := l.typ.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTag(name) {
					name = ""
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					c := candidate{name: name, tagged: name != "", depth: l.depth, order: order, typ: sf.Type}
					order++
					if c.name == "" {
						c.name = sf.Name
					}
					if hasOpt(opts, "string") {
						switch deref(sf.Type).Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							c.quoted = true
						}
					}
					all = append(all, c)
					if count[l.typ] > 1 {
						// The same struct embedded twice at one depth: its
						// fields annihilate each other.
						all = append(all, c)
					}
					continue
				}
				next = append(next, level{typ: ft, depth: l.depth + 1})
			}
		}
	}
	byName := map[string][]candidate{}
	for _, c := range all {
		byName[c.name] = append(byName[c.name], c)
	}
	out := make(map[string]structField, len(byName))
	for name, cs := range byName {
		if c, ok := dominant(cs); ok {
			out[name] = structField{typ: c.typ, quoted: c.quoted}
		}
	}
	return out
}

// dominant picks the field that wins among those with one name: the
// shallowest, then the tagged one; a tie hides the name.
func dominant(cs []candidate) (candidate, bool) {
	best := cs[0]
	tie := false
	for _, c := range cs[1:] {
		switch {
		case c.depth < best.depth || (c.depth == best.depth && c.tagged && !best.tagged):
			best, tie = c, false
		case c.depth == best.depth && c.tagged == best.tagged:
			tie = true
		}
	}
	return best, !tie
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// validTag reports whether s is a name encoding/json accepts in a tag.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
