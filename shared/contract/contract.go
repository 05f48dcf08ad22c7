// Package contract reads Candor's OpenAPI 3.1 description (api/openapi.yaml)
// and holds HTTP exchanges to it: Check says whether a request and the
// response it got are what the contract describes — the route exists, the
// request's parameters, token and body are valid (or else the response is a
// refusal), the status is one the operation lists, and the headers and body
// match that response's schemas. The end-to-end tests check every exchange
// they make, so the description cannot drift from the code
// (docs/api-contract.md). Schemas are JSON Schema 2020-12, the dialect of
// OpenAPI 3.1, validated with santhosh-tekuri/jsonschema.
package contract

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// docURL is where the description is registered with the schema compiler;
// every schema is compiled as a JSON pointer into it, so that the
// description's own "#/components/..." references resolve.
const docURL = "mem://candor/openapi.json"

var methods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// Spec is a loaded OpenAPI description. It is safe for concurrent use.
type Spec struct {
	raw  []byte
	doc  map[string]any
	ops  []*Operation
	comp *jsonschema.Compiler

	mu      sync.Mutex
	schemas map[string]*jsonschema.Schema
}

// Operation is one method on one path of the description.
type Operation struct {
	Method string // upper case
	Path   string // the path template, "/v1/reviews/{reviewId}"
	ID     string // operationId
	// Roles are the roles its security requirement names; Public is true
	// when it needs no token.
	Roles  []string
	Public bool

	ptr      string // JSON pointer of the operation object
	segs     []string
	params   []param
	body     *bodyDef
	statuses map[string]responseDef
}

type param struct {
	name, in string
	required bool
	schema   string // JSON pointer
}

type bodyDef struct {
	required bool
	media    map[string]string // media type → schema pointer
}

type responseDef struct {
	media   map[string]string
	headers map[string]headerDef
}

type headerDef struct {
	required bool
	schema   string
}

// Load reads an OpenAPI 3.1 description in YAML (or JSON).
func Load(yamlDoc []byte) (*Spec, error) {
	var y any
	if err := yaml.Unmarshal(yamlDoc, &y); err != nil {
		return nil, fmt.Errorf("contract: load: %w", err)
	}
	j, err := json.Marshal(stringKeys(y))
	if err != nil {
		return nil, fmt.Errorf("contract: load: to json: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return nil, fmt.Errorf("contract: load: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("contract: load: the description is not an object")
	}
	if ver, _ := doc["openapi"].(string); !strings.HasPrefix(ver, "3.1.") {
		return nil, fmt.Errorf("contract: load: openapi %q, want 3.1.x", ver)
	}
	s := &Spec{raw: yamlDoc, doc: doc, schemas: map[string]*jsonschema.Schema{}}
	s.comp = jsonschema.NewCompiler()
	s.comp.DefaultDraft(jsonschema.Draft2020)
	s.comp.AssertFormat()
	if err := s.comp.AddResource(docURL, doc); err != nil {
		return nil, fmt.Errorf("contract: load: %w", err)
	}
	if err := s.readOperations(); err != nil {
		return nil, fmt.Errorf("contract: load: %w", err)
	}
	// Compile every schema once now, so a broken one fails Load, not a test.
	for _, op := range s.ops {
		for _, ptr := range op.schemaPointers() {
			if _, err := s.schema(ptr); err != nil {
				return nil, fmt.Errorf("contract: load: %s %s: %w", op.Method, op.Path, err)
			}
		}
	}
	return s, nil
}

// stringKeys turns YAML's maps with non-string keys (an unquoted 200) into
// JSON objects.
func stringKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = stringKeys(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = stringKeys(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = stringKeys(e)
		}
	}
	return v
}

// YAML returns the description as it was loaded.
func (s *Spec) YAML() []byte { return slices.Clone(s.raw) }

// Operations lists the operations in the description's order of paths, then
// methods.
func (s *Spec) Operations() []Operation {
	out := make([]Operation, len(s.ops))
	for i, op := range s.ops {
		out[i] = *op
		out[i].Roles = slices.Clone(op.Roles)
	}
	return out
}

func escapePtr(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// at returns the value at a JSON pointer of the document.
func (s *Spec) at(ptr string) (any, error) {
	var cur any = s.doc
	if ptr == "" {
		return cur, nil
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no %q at %s", tok, ptr)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("no index %q at %s", tok, ptr)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%s is not inside an object or array", ptr)
		}
	}
	return cur, nil
}

// deref follows an OpenAPI $ref (a parameter, response, header or request
// body object) within the document and returns the object and its pointer.
func (s *Spec) deref(ptr string) (map[string]any, string, error) {
	for range 10 {
		v, err := s.at(ptr)
		if err != nil {
			return nil, "", err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("%s is not an object", ptr)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, ptr, nil
		}
		if !strings.HasPrefix(ref, "#") {
			return nil, "", fmt.Errorf("%s: only references within the document are supported, not %q", ptr, ref)
		}
		ptr = strings.TrimPrefix(ref, "#")
	}
	return nil, "", fmt.Errorf("%s: references nest too deeply", ptr)
}

// schemaPtr returns the pointer of the schema under an object, following a
// schema that is a bare $ref so that compiled locations stay readable.
func (s *Spec) schemaPtr(objPtr string, obj map[string]any) (string, bool) {
	sch, ok := obj["schema"].(map[string]any)
	if !ok {
		return "", false
	}
	if ref, ok := sch["$ref"].(string); ok && len(sch) == 1 && strings.HasPrefix(ref, "#/") {
		return strings.TrimPrefix(ref, "#"), true
	}
	return objPtr + "/schema", true
}

func (s *Spec) readOperations() error {
	paths, ok := s.doc["paths"].(map[string]any)
	if !ok {
		return errors.New("no paths")
	}
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		itemPtr := "/paths/" + escapePtr(path)
		item, itemPtr, err := s.deref(itemPtr)
		if err != nil {
			return err
		}
		common, err := s.readParams(itemPtr, item)
		if err != nil {
			return err
		}
		for _, m := range methods {
			if _, ok := item[m]; !ok {
				continue
			}
			op, err := s.readOperation(path, m, itemPtr+"/"+m, common)
			if err != nil {
				return fmt.Errorf("%s %s: %w", strings.ToUpper(m), path, err)
			}
			s.ops = append(s.ops, op)
		}
	}
	return nil
}

func (s *Spec) readParams(ptr string, obj map[string]any) ([]param, error) {
	list, _ := obj["parameters"].([]any)
	var out []param
	for i := range list {
		p, pptr, err := s.deref(ptr + "/parameters/" + strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		name, _ := p["name"].(string)
		in, _ := p["in"].(string)
		req, _ := p["required"].(bool)
		sp, ok := s.schemaPtr(pptr, p)
		if !ok {
			return nil, fmt.Errorf("parameter %s has no schema", name)
		}
		if in == "header" {
			name = http.CanonicalHeaderKey(name)
		}
		out = append(out, param{name: name, in: in, required: req || in == "path", schema: sp})
	}
	return out, nil
}

func (s *Spec) readOperation(path, method, ptr string, common []param) (*Operation, error) {
	raw, _, err := s.deref(ptr)
	if err != nil {
		return nil, err
	}
	op := &Operation{Method: strings.ToUpper(method), Path: path, ptr: ptr, segs: strings.Split(strings.TrimPrefix(path, "/"), "/"),
		statuses: map[string]responseDef{}}
	op.ID, _ = raw["operationId"].(string)
	own, err := s.readParams(ptr, raw)
	if err != nil {
		return nil, err
	}
	op.params = append(slices.Clone(common), own...)
	sec, ok := raw["security"].([]any)
	if !ok {
		sec, _ = s.doc["security"].([]any)
	}
	op.Public = len(sec) == 0
	for _, req := range sec {
		m, _ := req.(map[string]any)
		if len(m) == 0 {
			op.Public = true // {} makes the token optional
		}
		for _, roles := range m {
			rs, _ := roles.([]any)
			for _, r := range rs {
				if r, ok := r.(string); ok && !slices.Contains(op.Roles, r) {
					op.Roles = append(op.Roles, r)
				}
			}
		}
	}
	if _, ok := raw["requestBody"]; ok {
		rb, rbPtr, err := s.deref(ptr + "/requestBody")
		if err != nil {
			return nil, err
		}
		b := &bodyDef{media: map[string]string{}}
		b.required, _ = rb["required"].(bool)
		content, _ := rb["content"].(map[string]any)
		for mt := range content {
			mo, moPtr, err := s.deref(rbPtr + "/content/" + escapePtr(mt))
			if err != nil {
				return nil, err
			}
			if sp, ok := s.schemaPtr(moPtr, mo); ok {
				b.media[mt] = sp
			}
		}
		op.body = b
	}
	responses, _ := raw["responses"].(map[string]any)
	if len(responses) == 0 {
		return nil, errors.New("no responses")
	}
	for code := range responses {
		if code == "default" {
			return nil, errors.New(`a "default" response would admit any status; list each status`)
		}
		r, rPtr, err := s.deref(ptr + "/responses/" + escapePtr(code))
		if err != nil {
			return nil, err
		}
		def := responseDef{media: map[string]string{}, headers: map[string]headerDef{}}
		content, _ := r["content"].(map[string]any)
		for mt := range content {
			mo, moPtr, err := s.deref(rPtr + "/content/" + escapePtr(mt))
			if err != nil {
				return nil, err
			}
			if sp, ok := s.schemaPtr(moPtr, mo); ok {
				def.media[mt] = sp
			}
		}
		headers, _ := r["headers"].(map[string]any)
		for name := range headers {
			h, hPtr, err := s.deref(rPtr + "/headers/" + escapePtr(name))
			if err != nil {
				return nil, err
			}
			req, _ := h["required"].(bool)
			sp, _ := s.schemaPtr(hPtr, h)
			def.headers[http.CanonicalHeaderKey(name)] = headerDef{required: req, schema: sp}
		}
		op.statuses[code] = def
	}
	return op, nil
}

func (op *Operation) schemaPointers() []string {
	var out []string
	for _, p := range op.params {
		out = append(out, p.schema)
	}
	if op.body != nil {
		for _, sp := range op.body.media {
			out = append(out, sp)
		}
	}
	for _, r := range op.statuses {
		for _, sp := range r.media {
			out = append(out, sp)
		}
		for _, h := range r.headers {
			if h.schema != "" {
				out = append(out, h.schema)
			}
		}
	}
	return out
}

// schema compiles (once) the schema at a JSON pointer of the document.
func (s *Spec) schema(ptr string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.schemas[ptr]; ok {
		return sch, nil
	}
	// The fragment is a JSON pointer in a URL: escape what a URL fragment cannot hold.
	frag := (&url.URL{Fragment: ptr}).EscapedFragment()
	sch, err := s.comp.Compile(docURL + "#" + frag)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", ptr, err)
	}
	s.schemas[ptr] = sch
	return sch, nil
}

// SchemaAt validates v (a value as encoding/json decodes it into any, or
// jsonschema.UnmarshalJSON does) against the schema at a JSON pointer of
// the description, such as "/components/schemas/Report".
func (s *Spec) SchemaAt(ptr string, v any) error {
	sch, err := s.schema(ptr)
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// Find returns the operation of a method and an escaped request path, with
// its path parameters (unescaped). A literal segment beats a parameter,
// from the left, as API Gateway picks routes.
func (s *Spec) Find(method, escapedPath string) (*Operation, map[string]string) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	var best *Operation
	var bestParams map[string]string
	for _, op := range s.ops {
		if op.Method != method && !(method == http.MethodHead && op.Method == http.MethodGet && !s.hasMethod(op.Path, http.MethodHead)) {
			continue
		}
		params, ok := op.match(segs)
		if !ok {
			continue
		}
		if best == nil || op.beats(best) {
			best, bestParams = op, params
		}
	}
	return best, bestParams
}

func (s *Spec) hasMethod(path, method string) bool {
	for _, op := range s.ops {
		if op.Path == path && op.Method == method {
			return true
		}
	}
	return false
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func (op *Operation) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(op.segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range op.segs {
		if isParam(t) {
			if segs[i] == "" {
				return nil, false
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				v = segs[i]
			}
			params[t[1:len(t)-1]] = v
			continue
		}
		if v, err := url.PathUnescape(segs[i]); err != nil || v != t {
			return nil, false
		}
	}
	return params, true
}

func (op *Operation) beats(o *Operation) bool {
	for i := range op.segs {
		if a, b := isParam(op.segs[i]), isParam(o.segs[i]); a != b {
			return !a
		}
	}
	return false
}

// Exchange is one request and the response it got, as a client saw them.
type Exchange struct {
	Method string
	// Path is the request's escaped path; Query its raw query.
	Path, Query   string
	RequestHeader http.Header
	RequestBody   []byte
	Status        int
	Header        http.Header
	Body          []byte
}

// Check holds one exchange to the contract. It returns nil when:
//   - the method and path are an operation of the description (else the
//     response must be a 404 in the error envelope: no such route), and
//   - the request is valid by the description (parameters, Idempotency-Key,
//     the token's presence and role, Content-Type and body), or else the
//     response refuses it with a 4xx, and
//   - the status is one the operation lists, every header that response
//     declares matches its schema (and is present when required), and the
//     body has a declared media type and matches its schema.
//
// The error lists every problem found.
func (s *Spec) Check(x Exchange) error {
	op, pathParams := s.Find(x.Method, x.Path)
	if op == nil {
		if x.Status == http.StatusNotFound && s.bodyMatches("/components/schemas/NotFoundError", x) == nil {
			return nil
		}
		return fmt.Errorf("contract: %s %s is no operation of the description (and the answer %d is not the envelope's 404)", x.Method, x.Path, x.Status)
	}
	var problems []string
	if reqProblems := s.checkRequest(op, pathParams, x); len(reqProblems) > 0 && (x.Status < 400 || x.Status > 499) {
		problems = append(problems, fmt.Sprintf("the description refuses the request (%s), but the API answered %d",
			strings.Join(reqProblems, "; "), x.Status))
	}
	problems = append(problems, s.checkResponse(op, x)...)
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("contract: %s %s (%s %s) → %d:\n  - %s", x.Method, x.Path, op.Method, op.Path, x.Status, strings.Join(problems, "\n  - "))
}

// checkRequest lists what the description finds wrong with a request.
func (s *Spec) checkRequest(op *Operation, pathParams map[string]string, x Exchange) []string {
	var out []string
	q, err := url.ParseQuery(x.Query)
	if err != nil {
		out = append(out, "the query does not parse")
	}
	for _, p := range op.params {
		var vals []string
		switch p.in {
		case "path":
			vals = []string{pathParams[p.name]}
		case "query":
			vals = q[p.name]
		case "header":
			vals = x.RequestHeader.Values(p.name)
		default:
			continue
		}
		if len(vals) == 0 {
			if p.required {
				out = append(out, fmt.Sprintf("%s parameter %s is missing", p.in, p.name))
			}
			continue
		}
		if len(vals) > 1 {
			out = append(out, fmt.Sprintf("%s parameter %s is given %d times", p.in, p.name, len(vals)))
			continue
		}
		if p.in == "query" && vals[0] == "" {
			continue // ?limit= is the same as no limit
		}
		if err := s.SchemaAt(p.schema, s.coerce(p.schema, vals[0])); err != nil {
			out = append(out, fmt.Sprintf("%s parameter %s=%q: %v", p.in, p.name, vals[0], oneLine(err)))
		}
	}
	if !op.Public {
		out = append(out, checkToken(op, x.RequestHeader.Get("Authorization"))...)
	}
	out = append(out, s.checkRequestBody(op, x)...)
	return out
}

// checkToken reads (without verifying: that is the authorizer's business)
// the bearer token's claims and checks its role against the operation's.
func checkToken(op *Operation, auth string) []string {
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || tok == "" {
		return []string{"no bearer token"}
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return []string{"the bearer token is not a JWT"}
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return []string{"the bearer token's payload is not base64url"}
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return []string{"the bearer token's payload is not a JSON object"}
	}
	role, _ := claims["role"].(string)
	if len(op.Roles) > 0 && !slices.Contains(op.Roles, role) {
		return []string{fmt.Sprintf("the token's role %q is not one of %v", role, op.Roles)}
	}
	if biz, _ := claims["business_id"].(string); role == "business" && biz == "" {
		return []string{"a business token without business_id"}
	}
	return nil
}

func (s *Spec) checkRequestBody(op *Operation, x Exchange) []string {
	ct := x.RequestHeader.Get("Content-Type")
	empty := len(x.RequestBody) == 0
	if op.body == nil {
		if !empty {
			return []string{"the operation takes no body"}
		}
		return nil
	}
	if len(bytes.TrimSpace(x.RequestBody)) == 0 && (ct == "" || !op.body.required) {
		if op.body.required {
			return []string{"the body is required"}
		}
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return []string{fmt.Sprintf("Content-Type %q does not parse", ct)}
	}
	sp, ok := op.body.media[mt]
	if !ok {
		return []string{fmt.Sprintf("Content-Type %q is not one of the operation's", mt)}
	}
	switch mt {
	case "application/json":
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return []string{"charset " + cs + " is not utf-8"}
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(x.RequestBody))
		if err != nil {
			return []string{"the body is not JSON: " + err.Error()}
		}
		if err := s.SchemaAt(sp, v); err != nil {
			return []string{"the body: " + oneLine(err)}
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(x.RequestBody))
		if err != nil {
			return []string{"the form does not parse"}
		}
		obj := map[string]any{}
		for k, vs := range form {
			if len(vs) != 1 {
				return []string{"form field " + k + " is given more than once"}
			}
			obj[k] = vs[0]
		}
		if err := s.SchemaAt(sp, obj); err != nil {
			return []string{"the form: " + oneLine(err)}
		}
	}
	return nil
}

// coerce turns a parameter's text into the JSON type its schema names.
func (s *Spec) coerce(ptr, v string) any {
	node, err := s.at(ptr)
	if err != nil {
		return v
	}
	m, _ := node.(map[string]any)
	switch m["type"] {
	case "integer", "number":
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return json.Number(v)
		}
	case "boolean":
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return v
}

func (s *Spec) checkResponse(op *Operation, x Exchange) []string {
	def, ok := op.statuses[strconv.Itoa(x.Status)]
	if !ok {
		def, ok = op.statuses[strconv.Itoa(x.Status/100)+"XX"]
	}
	if !ok {
		return []string{fmt.Sprintf("status %d is not one the operation lists (body %s)", x.Status, clip(x.Body))}
	}
	var out []string
	names := make([]string, 0, len(def.headers))
	for name := range def.headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := def.headers[name]
		vals := x.Header.Values(name)
		if len(vals) == 0 {
			if h.required {
				out = append(out, "header "+name+" is missing")
			}
			continue
		}
		if h.schema != "" {
			if err := s.SchemaAt(h.schema, vals[0]); err != nil {
				out = append(out, fmt.Sprintf("header %s: %q: %v", name, vals[0], oneLine(err)))
			}
		}
	}
	if x.Method == http.MethodHead {
		return out
	}
	if len(def.media) == 0 {
		if len(x.Body) > 0 {
			out = append(out, "the response declares no body, but has one")
		}
		return out
	}
	if err := s.bodyMatchesDef(def, x); err != nil {
		out = append(out, err.Error())
	}
	return out
}

func (s *Spec) bodyMatches(schemaPtr string, x Exchange) error {
	return s.bodyMatchesDef(responseDef{media: map[string]string{"application/json": schemaPtr}}, x)
}

func (s *Spec) bodyMatchesDef(def responseDef, x Exchange) error {
	ct := x.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("Content-Type %q does not parse", ct)
	}
	sp, ok := def.media[mt]
	if !ok {
		return fmt.Errorf("Content-Type %q is not one the response declares", mt)
	}
	var v any = string(x.Body)
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		v, err = jsonschema.UnmarshalJSON(bytes.NewReader(x.Body))
		if err != nil {
			return fmt.Errorf("the body is not JSON: %v (%s)", err, clip(x.Body))
		}
	}
	if err := s.SchemaAt(sp, v); err != nil {
		return fmt.Errorf("the body does not match %s: %v\n    body: %s", sp, indent(err), clip(x.Body))
	}
	return nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(readable(err)), " ")
}

func indent(err error) string {
	return strings.ReplaceAll(readable(err), "\n", "\n    ")
}

// readable drops the echo of unevaluatedProperties when a view's allOf
// failed: every field is then "unevaluated" ("'/x': false schema"), which
// buries the one problem that matters. The lines stay when nothing else
// explains the failure (a field the view does not have).
func readable(err error) string {
	lines := strings.Split(err.Error(), "\n")
	var kept []string
	explained := false
	for _, l := range lines[1:] {
		if !strings.Contains(l, "false schema") && !strings.Contains(l, "'allOf' failed") {
			explained = true
		}
	}
	for i, l := range lines {
		if i > 0 && explained && strings.Contains(l, "false schema") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

func clip(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// CheckExamples validates every example of the description against its
// schema: the examples of request and response media types (example and
// examples.*.value), of parameters, and of components.schemas. It returns
// one error per example that does not match.
func (s *Spec) CheckExamples() []error {
	var errs []error
	check := func(where, schemaPtr string, v any) {
		if err := s.SchemaAt(schemaPtr, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s", where, oneLine(err)))
		}
	}
	media := func(where, ptr string, content map[string]any) {
		for mt := range content {
			mo, moPtr, err := s.deref(ptr + "/" + escapePtr(mt))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			sp, ok := s.schemaPtr(moPtr, mo)
			if !ok {
				continue
			}
			if ex, ok := mo["example"]; ok {
				check(where+" "+mt+" example", sp, ex)
			}
			exs, _ := mo["examples"].(map[string]any)
			for name := range exs {
				e, _, err := s.deref(moPtr + "/examples/" + escapePtr(name))
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if v, ok := e["value"]; ok {
					check(where+" "+mt+" example "+name, sp, v)
				}
			}
		}
	}
	for _, op := range s.ops {
		raw, _, _ := s.deref(op.ptr)
		name := op.Method + " " + op.Path
		if _, ok := raw["requestBody"]; ok {
			rb, rbPtr, err := s.deref(op.ptr + "/requestBody")
			if err == nil {
				content, _ := rb["content"].(map[string]any)
				media(name+" request", rbPtr+"/content", content)
			}
		}
		responses, _ := raw["responses"].(map[string]any)
		for code := range responses {
			r, rPtr, err := s.deref(op.ptr + "/responses/" + escapePtr(code))
			if err != nil {
				continue
			}
			content, _ := r["content"].(map[string]any)
			media(name+" "+code, rPtr+"/content", content)
		}
	}
	if params, err := s.at("/components/parameters"); err == nil {
		pm, _ := params.(map[string]any)
		for name := range pm {
			p, _ := pm[name].(map[string]any)
			if ex, ok := p["example"]; ok {
				if sp, ok := s.schemaPtr("/components/parameters/"+escapePtr(name), p); ok {
					check("parameter "+name+" example", sp, ex)
				}
			}
		}
	}
	if schemas, err := s.at("/components/schemas"); err == nil {
		sm, _ := schemas.(map[string]any)
		for name := range sm {
			node, _ := sm[name].(map[string]any)
			if ex, ok := node["example"]; ok {
				check("schema "+name+" example", "/components/schemas/"+escapePtr(name), ex)
			}
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}
