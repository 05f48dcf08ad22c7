// Package s3 is the local stack's S3: github.com/johannesboyne/gofakes3
// serves the REST API (buckets, objects, listings) and a verifier in front
// of it takes the browser POST uploads (multipart/form-data to a bucket's
// URL), which it admits only as S3 does: a SigV4 signature of the policy
// made with a known key, a policy that has not expired, every condition
// met, every form field named by a condition, and the file's size within
// content-length-range. Presigned URLs (SigV4 in the query string) are
// checked too: a known key, an X-Amz-Expires that has not run out, and the
// signature computed again with the SDK's signer. What it refuses is
// answered in S3's XML error shape and changes nothing.
//
// Requests signed in their Authorization header are not authenticated (any
// access key works, as on the rest of the local AWS endpoint);
// docs/local-stack.md names what else differs from S3.
package s3

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/spf13/afero"

	"github.com/candorhq/candor/shared/clock"
)

// DefaultMaxUpload bounds a browser POST's file when its policy names no
// content-length-range: the stand-in holds an upload in memory while it
// checks it (S3's own bound is 5 GB).
const DefaultMaxUpload = 64 << 20

// Config of the S3 stand-in. Zero values are the defaults.
type Config struct {
	// Secrets are the secret access keys by access key id that a browser
	// POST's signature may be made with; a form signed with another key id
	// is refused (InvalidAccessKeyId).
	Secrets map[string]string
	// Region is the region a form's credential scope must name (default
	// us-east-1).
	Region string
	// WallClock is the time a POST policy's expiration is checked against:
	// the real time the presigning SDK signs with (default the system
	// clock). Tests move a clock.Manual to see a policy expire.
	WallClock clock.Clock
	// Clock stamps objects' Last-Modified (default WallClock): the local
	// stack passes its movable clock, so objects age with the table.
	Clock clock.Clock
	// DataDir, when set, keeps the buckets and objects as files under it
	// (written as they arrive); empty keeps them in memory.
	DataDir string
	// Buckets are created at start when they do not exist.
	Buckets []string
	// MaxUpload bounds a browser POST's file where its policy has no
	// content-length-range (default DefaultMaxUpload).
	MaxUpload int64
	// ObjectCreated, when set, is called after an object was stored by a
	// browser POST or a PutObject, before the request is answered: the
	// local stack's malware scanner follows S3's object-created events with
	// it. It must not call back into the request it is given.
	ObjectCreated func(ctx context.Context, bucket, key string)
}

// Service is the S3 stand-in: an http.Handler for S3's path-style REST API
// and browser POST uploads. It is safe for concurrent use.
type Service struct {
	cfg     Config
	backend gofakes3.Backend
	rest    http.Handler
}

// New builds the stand-in and creates cfg.Buckets.
func New(cfg Config) (*Service, error) {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.WallClock == nil {
		cfg.WallClock = clock.System{}
	}
	if cfg.Clock == nil {
		cfg.Clock = cfg.WallClock
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	ts := timeSource{cfg.Clock}
	var backend gofakes3.Backend
	if cfg.DataDir == "" {
		backend = s3mem.New(s3mem.WithTimeSource(ts))
	} else {
		dir, err := filepath.Abs(cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("local s3: data dir: %w", err)
		}
		if backend, err = s3afero.MultiBucket(afero.NewBasePathFs(afero.NewOsFs(), dir)); err != nil {
			return nil, fmt.Errorf("local s3: data dir %s: %w", dir, err)
		}
	}
	for _, b := range cfg.Buckets {
		ok, err := backend.BucketExists(b)
		if err != nil {
			return nil, fmt.Errorf("local s3: bucket %s: %w", b, err)
		}
		if !ok {
			if err := backend.CreateBucket(b); err != nil {
				return nil, fmt.Errorf("local s3: create bucket %s: %w", b, err)
			}
		}
	}
	faker := gofakes3.New(backend,
		gofakes3.WithTimeSource(ts),
		// The stack's clock may be moved days ahead of the real time the
		// SDK signs with: S3's 15-minute skew check would refuse every call.
		gofakes3.WithTimeSkewLimit(0),
		gofakes3.WithoutVersioning(),
	)
	return &Service{cfg: cfg, backend: backend, rest: faker.Server()}, nil
}

// ServeHTTP answers a browser POST upload itself, refuses a presigned URL
// whose signature or expiry does not hold, and hands every other request
// to gofakes3.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if bucket, ok := browserPost(r); ok {
		s.postObject(w, r, bucket)
		return
	}
	if presigned(r) {
		if err := s.verifyPresigned(r); err != nil {
			writeError(w, err)
			return
		}
	}
	bucket, key, put := objectPut(r)
	if !put || s.cfg.ObjectCreated == nil {
		s.rest.ServeHTTP(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	s.rest.ServeHTTP(rec, r)
	if rec.status == 0 || rec.status == http.StatusOK {
		s.cfg.ObjectCreated(r.Context(), bucket, key)
	}
}

// objectPut reports whether r is a PutObject (a PUT of an object, no
// subresource such as ?tagging, no copy), and of which object.
func objectPut(r *http.Request) (bucket, key string, ok bool) {
	if r.Method != http.MethodPut || r.Header.Get("x-amz-copy-source") != "" {
		return "", "", false
	}
	for k, v := range r.URL.Query() { // only a presigned URL's own parameters, and the SDK's x-id=PutObject
		if !(k == "x-id" && v[0] == "PutObject") && !strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			return "", "", false
		}
	}
	bucket, key, ok = strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return bucket, key, ok && key != ""
}

// statusRecorder notes the status a handler answered with; the body is
// never held (gofakes3 writes nothing after it for a PutObject).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// browserPost reports whether r is a browser POST upload, and to which
// bucket: a multipart/form-data POST to a bucket's path-style URL.
func browserPost(r *http.Request) (string, bool) {
	if r.Method != http.MethodPost || !strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data") {
		return "", false
	}
	bucket := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket == "" || strings.Contains(bucket, "/") {
		return "", false
	}
	return bucket, true
}

// timeSource is a clock as gofakes3 wants it, in GMT as S3 writes times.
type timeSource struct{ c clock.Clock }

func (t timeSource) Now() time.Time                   { return t.c.Now().In(gmt) }
func (t timeSource) Since(at time.Time) time.Duration { return t.c.Now().Sub(at) }

var gmt = time.FixedZone("GMT", 0)
