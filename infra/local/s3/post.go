package s3

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// S3's bounds on a browser POST: the fields before the file, and a key.
const (
	maxPreData = 20 << 10
	maxKeyLen  = 1024
)

// postForm is a browser POST's fields (up to the file) and its file.
type postForm struct {
	fields   map[string]string // by lower-case field name, first value
	names    []string          // the field names as sent, in order
	file     *multipart.Part   // nil: no file part
	filename string
}

func (f *postForm) get(name string) (string, bool) {
	v, ok := f.fields[strings.ToLower(name)]
	return v, ok
}

// readFields reads the form up to its file part: S3 reads the fields that
// come before the file and ignores those after it.
func readFields(r *http.Request) (*postForm, *s3Error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errMalformedPOST()
	}
	f := &postForm{fields: map[string]string{}}
	size := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, errMalformedPOST()
		}
		name := p.FormName()
		if name == "" {
			continue
		}
		if strings.EqualFold(name, "file") {
			f.file, f.filename = p, p.FileName()
			return f, nil
		}
		v, err := io.ReadAll(io.LimitReader(p, maxPreData+1-int64(size)))
		if err != nil {
			return nil, errMalformedPOST()
		}
		if size += len(name) + len(v); size > maxPreData {
			return nil, &s3Error{Status: http.StatusBadRequest, Code: "MaxPostPreDataLengthExceeded",
				Message: "Your POST request fields preceding the upload file were too large."}
		}
		lower := strings.ToLower(name)
		if _, dup := f.fields[lower]; !dup {
			f.fields[lower] = string(v)
			f.names = append(f.names, name)
		}
	}
}

// postObject verifies a browser POST as S3 does and, once every check
// passed, stores its file; a refused form stores nothing.
func (s *Service) postObject(w http.ResponseWriter, r *http.Request, bucket string) {
	form, serr := readFields(r)
	if serr != nil {
		writeError(w, serr)
		return
	}
	if ok, err := s.backend.BucketExists(bucket); err != nil || !ok {
		writeError(w, &s3Error{Status: http.StatusNotFound, Code: "NoSuchBucket", Message: "The specified bucket does not exist", BucketName: bucket})
		return
	}
	pol, serr := s.verify(form, bucket)
	if serr != nil {
		writeError(w, serr)
		return
	}
	if form.file == nil {
		writeError(w, &s3Error{Status: http.StatusBadRequest, Code: "IncorrectNumberOfFilesInPostRequest", Message: "POST requires exactly one file upload per request."})
		return
	}
	limit := s.cfg.MaxUpload
	if pol.lengthRange != nil {
		limit = pol.lengthRange[1]
	}
	data, err := io.ReadAll(io.LimitReader(form.file, limit+1))
	if err != nil {
		writeError(w, errMalformedPOST())
		return
	}
	if int64(len(data)) > limit {
		// S3 names the size it was offered: count the rest without keeping it.
		rest, _ := io.Copy(io.Discard, form.file)
		writeError(w, &s3Error{Status: http.StatusBadRequest, Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size",
			ProposedSize: strconv.FormatInt(int64(len(data))+rest, 10), MaxSizeAllowed: strconv.FormatInt(limit, 10)})
		return
	}
	if pol.lengthRange != nil && int64(len(data)) < pol.lengthRange[0] {
		writeError(w, &s3Error{Status: http.StatusBadRequest, Code: "EntityTooSmall", Message: "Your proposed upload is smaller than the minimum allowed size",
			ProposedSize: strconv.Itoa(len(data)), MinSizeAllowed: strconv.FormatInt(pol.lengthRange[0], 10)})
		return
	}

	key, _ := form.get("key")
	key = strings.ReplaceAll(key, "${filename}", form.filename)
	if len(key) > maxKeyLen {
		writeError(w, &s3Error{Status: http.StatusBadRequest, Code: "KeyTooLongError", Message: "Your key is too long"})
		return
	}
	sum := md5.Sum(data)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	if _, err := s.backend.PutObject(bucket, key, objectMeta(form, s.cfg.Clock.Now()), bytes.NewReader(data), int64(len(data)), nil); err != nil {
		writeError(w, &s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."})
		return
	}
	if s.cfg.ObjectCreated != nil {
		s.cfg.ObjectCreated(r.Context(), bucket, key)
	}
	s.answerUpload(w, r, form, bucket, key, etag)
}

// answerUpload answers a stored upload as S3 does: 303 to a valid
// success_action_redirect with bucket, key and etag added to its query;
// else the success_action_status (200, 201 with a PostResponse document, or
// the default 204).
func (s *Service) answerUpload(w http.ResponseWriter, r *http.Request, form *postForm, bucket, key, etag string) {
	location := "http://" + r.Host + "/" + bucket + "/" + url.PathEscape(key)
	w.Header().Set("ETag", etag)
	w.Header().Set("Location", location)
	w.Header().Set("x-amz-request-id", requestID())
	redirect, ok := form.get("success_action_redirect")
	if !ok {
		redirect, _ = form.get("redirect")
	}
	if to, err := url.Parse(redirect); redirect != "" && err == nil && to.IsAbs() && (to.Scheme == "http" || to.Scheme == "https") {
		q := to.Query()
		q.Set("bucket", bucket)
		q.Set("key", key)
		q.Set("etag", etag)
		to.RawQuery = q.Encode()
		w.Header().Set("Location", to.String())
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	status, _ := form.get("success_action_status")
	switch status {
	case "200":
		w.WriteHeader(http.StatusOK)
	case "201":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, xml.Header)
		xml.NewEncoder(w).Encode(postResponse{Location: location, Bucket: bucket, Key: key, ETag: etag})
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// objectMeta is what S3 keeps of the form with the object: its content
// headers and user metadata (x-amz-meta-*).
func objectMeta(form *postForm, now time.Time) map[string]string {
	meta := map[string]string{"Content-Type": "binary/octet-stream", "Last-Modified": now.In(gmt).Format(http.TimeFormat)}
	for _, name := range form.names {
		canon := textproto.CanonicalMIMEHeaderKey(name)
		switch {
		case canon == "Content-Type", canon == "Content-Disposition", canon == "Content-Encoding", canon == "Cache-Control", canon == "Expires",
			strings.HasPrefix(canon, "X-Amz-Meta-"):
			meta[canon] = form.fields[strings.ToLower(name)]
		}
	}
	return meta
}

// policy is a POST policy as S3 reads it.
type policy struct {
	expiration  time.Time
	conditions  []condition
	lengthRange *[2]int64 // content-length-range's [min, max], if any
}

// condition is one entry of a policy's conditions: field (lower case, no
// "$") compared with value by op ("eq" or "starts-with").
type condition struct {
	op, field, value string
	raw              string // as written, for the error message
}

// verify checks the form's signature and policy, in S3's order: the
// fields that must be there, the key id, the signature, the policy's
// expiry, each condition, and that no field is left without a condition.
func (s *Service) verify(form *postForm, bucket string) (policy, *s3Error) {
	b64, hasPolicy := form.get("policy")
	if !hasPolicy {
		// Without a policy a POST is anonymous: a private bucket refuses it.
		return policy{}, errAccessDenied("Access Denied")
	}
	for _, name := range []string{"key", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"} {
		if _, ok := form.get(name); !ok {
			return policy{}, &s3Error{Status: http.StatusBadRequest, Code: "InvalidArgument",
				Message:      fmt.Sprintf("Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields.", name),
				ArgumentName: name, ArgumentValue: ""}
		}
	}
	if alg, _ := form.get("x-amz-algorithm"); alg != "AWS4-HMAC-SHA256" {
		return policy{}, &s3Error{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"",
			ArgumentName: "x-amz-algorithm", ArgumentValue: alg}
	}
	cred, _ := form.get("x-amz-credential")
	keyID, scope, serr := s.parseCredential(cred)
	if serr != nil {
		return policy{}, serr
	}
	secret, ok := s.cfg.Secrets[keyID]
	if !ok {
		return policy{}, &s3Error{Status: http.StatusForbidden, Code: "InvalidAccessKeyId", Message: "The AWS Access Key Id you provided does not exist in our records.", AWSAccessKeyID: keyID}
	}
	sig, _ := form.get("x-amz-signature")
	want := PolicySignature(secret, scope.date, scope.region, b64)
	if !hmac.Equal([]byte(strings.ToLower(sig)), []byte(want)) {
		return policy{}, &s3Error{Status: http.StatusForbidden, Code: "SignatureDoesNotMatch",
			Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.", AWSAccessKeyID: keyID}
	}
	pol, serr := parsePolicy(b64)
	if serr != nil {
		return policy{}, serr
	}
	if !s.cfg.WallClock.Now().Before(pol.expiration) {
		return policy{}, errAccessDenied("Invalid according to Policy: Policy expired.")
	}
	named := map[string]bool{}
	for _, c := range pol.conditions {
		named[c.field] = true
		var got string
		if c.field == "bucket" {
			got = bucket
		} else {
			got, _ = form.get(c.field)
		}
		if !c.holds(got) {
			return policy{}, errAccessDenied("Invalid according to Policy: Policy Condition failed: " + c.raw)
		}
	}
	for _, name := range form.names {
		lower := strings.ToLower(name)
		if lower == "policy" || lower == "x-amz-signature" || strings.HasPrefix(lower, "x-ignore-") || named[lower] {
			continue
		}
		return policy{}, errAccessDenied("Invalid according to Policy: Extra input fields: " + name)
	}
	return pol, nil
}

func (c condition) holds(got string) bool {
	if c.op == "starts-with" {
		return strings.HasPrefix(got, c.value)
	}
	return got == c.value
}

type credentialScope struct{ date, region string }

// parseCredential reads <key id>/<yyyymmdd>/<region>/s3/aws4_request.
func (s *Service) parseCredential(cred string) (string, credentialScope, *s3Error) {
	parts := strings.Split(cred, "/")
	bad := func(why string) *s3Error {
		return &s3Error{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: "Error parsing the X-Amz-Credential parameter; " + why,
			ArgumentName: "X-Amz-Credential", ArgumentValue: cred}
	}
	if len(parts) != 5 || parts[0] == "" {
		return "", credentialScope{}, bad("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	if _, err := time.Parse("20060102", parts[1]); err != nil {
		return "", credentialScope{}, bad("incorrect date format \"" + parts[1] + "\". This date in the credential must be in the format \"yyyyMMdd\".")
	}
	if parts[2] != s.cfg.Region {
		return "", credentialScope{}, bad("the region '" + parts[2] + "' is wrong; expecting '" + s.cfg.Region + "'")
	}
	if parts[3] != "s3" {
		return "", credentialScope{}, bad("incorrect service \"" + parts[3] + "\". This endpoint belongs to \"s3\".")
	}
	if parts[4] != "aws4_request" {
		return "", credentialScope{}, bad("incorrect terminal \"" + parts[4] + "\". This endpoint uses \"aws4_request\".")
	}
	return parts[0], credentialScope{date: parts[1], region: parts[2]}, nil
}

// PolicySignature is the SigV4 signature of a base64 POST policy, as AWS
// documents it for browser uploads: the hex HMAC-SHA256 of the policy with
// the signing key derived from the secret, the credential scope's date
// (yyyymmdd) and region, and the service s3.
func PolicySignature(secret, date, region, policyB64 string) string {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, "s3")
	k = mac(k, "aws4_request")
	return hex.EncodeToString(mac(k, policyB64))
}

// parsePolicy decodes a base64 POST policy: an expiration and a list of
// conditions, each {"field": "value"}, ["eq"|"starts-with", "$field",
// "value"] or ["content-length-range", min, max].
func parsePolicy(b64 string) (policy, *s3Error) {
	invalid := func(why string) (policy, *s3Error) {
		return policy{}, &s3Error{Status: http.StatusBadRequest, Code: "InvalidPolicyDocument", Message: "Invalid Policy: " + why}
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return invalid("Invalid 'Base64' encoding.")
	}
	var doc struct {
		Expiration *string           `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return invalid("Invalid JSON.")
	}
	if doc.Expiration == nil {
		return invalid("Policy missing expiration.")
	}
	var pol policy
	if pol.expiration, err = time.Parse(time.RFC3339Nano, *doc.Expiration); err != nil {
		return invalid("Invalid 'expiration' value: '" + *doc.Expiration + "'")
	}
	if doc.Conditions == nil {
		return invalid("Policy missing conditions.")
	}
	for _, rc := range doc.Conditions {
		var exact map[string]string
		if err := json.Unmarshal(rc, &exact); err == nil {
			if len(exact) != 1 {
				return invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
			}
			for k, v := range exact {
				pol.conditions = append(pol.conditions, condition{op: "eq", field: strings.ToLower(strings.TrimPrefix(k, "$")), value: v, raw: string(rc)})
			}
			continue
		}
		var list []any
		d := json.NewDecoder(bytes.NewReader(rc))
		d.UseNumber()
		if err := d.Decode(&list); err != nil || len(list) != 3 {
			return invalid("Invalid Condition: " + string(rc))
		}
		op, _ := list[0].(string)
		switch strings.ToLower(op) {
		case "eq", "starts-with":
			field, ok1 := list[1].(string)
			value, ok2 := list[2].(string)
			if !ok1 || !ok2 || !strings.HasPrefix(field, "$") {
				return invalid("Invalid Condition: " + string(rc))
			}
			pol.conditions = append(pol.conditions, condition{op: strings.ToLower(op), field: strings.ToLower(field[1:]), value: value, raw: string(rc)})
		case "content-length-range":
			lo, err1 := wholeNumber(list[1])
			hi, err2 := wholeNumber(list[2])
			if err1 != nil || err2 != nil || lo < 0 || hi < lo {
				return invalid("Invalid content-length-range: " + string(rc))
			}
			pol.lengthRange = &[2]int64{lo, hi}
		default:
			return invalid("Unrecognized condition operator: " + op)
		}
	}
	return pol, nil
}

func wholeNumber(v any) (int64, error) {
	switch n := v.(type) {
	case json.Number:
		return strconv.ParseInt(n.String(), 10, 64)
	case string: // S3 takes the bounds as strings too
		return strconv.ParseInt(n, 10, 64)
	}
	return 0, fmt.Errorf("not a number: %v", v)
}

// s3Error is S3's XML error document, with the elements some codes add.
type s3Error struct {
	XMLName        xml.Name `xml:"Error"`
	Status         int      `xml:"-"`
	Code           string   `xml:"Code"`
	Message        string   `xml:"Message"`
	ArgumentName   string   `xml:"ArgumentName,omitempty"`
	ArgumentValue  string   `xml:"ArgumentValue,omitempty"`
	BucketName     string   `xml:"BucketName,omitempty"`
	AWSAccessKeyID string   `xml:"AWSAccessKeyId,omitempty"`
	ProposedSize   string   `xml:"ProposedSize,omitempty"`
	MinSizeAllowed string   `xml:"MinSizeAllowed,omitempty"`
	MaxSizeAllowed string   `xml:"MaxSizeAllowed,omitempty"`
	XAmzExpires    string   `xml:"X-Amz-Expires,omitempty"`
	Expires        string   `xml:"Expires,omitempty"`
	ServerTime     string   `xml:"ServerTime,omitempty"`
	RequestID      string   `xml:"RequestId"`
	HostID         string   `xml:"HostId"`
}

func errAccessDenied(msg string) *s3Error {
	return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: msg}
}

func errMalformedPOST() *s3Error {
	return &s3Error{Status: http.StatusBadRequest, Code: "MalformedPOSTRequest", Message: "The body of your POST request is not well-formed multipart/form-data."}
}

func writeError(w http.ResponseWriter, e *s3Error) {
	e.RequestID = requestID()
	e.HostID = base64.StdEncoding.EncodeToString([]byte(e.RequestID))
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-amz-request-id", e.RequestID)
	w.WriteHeader(e.Status)
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(e)
}

func requestID() string {
	return strings.ToUpper(strings.ReplaceAll(uuid.NewString(), "-", "")[:16])
}
