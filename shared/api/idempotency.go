package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

type handler = func(http.ResponseWriter, *http.Request, httpapi.Principal)

type idemKey struct{}

// idempotencyOf returns the key's record that the request's use case writes
// in its own transaction (nil without an Idempotency-Key).
func idempotencyOf(r *http.Request) *app.Idempotency {
	rec, _ := r.Context().Value(idemKey{}).(*app.Idempotency)
	return rec
}

// idempotent is the Idempotency-Key middleware of a POST route (docs/api.md, "Conventions"):
// a replay with the same key and body returns the first response and
// changes nothing; the same key with another body is 422
// idempotency_key_reused. The key's record is written by the use case in the
// same transaction as its change (so a change and its key are one), and
// completed here with the response. A request whose use case refuses it (its
// state check fails because the first attempt succeeded, or it lost a race
// to a concurrent attempt with the same key) is answered from the record.
// Only accepted requests are remembered: a refused request changed nothing
// and may be sent again with the same key. accepted is the route's status
// of success and again renders the object the route made or changed as its
// response does, both for a replay whose first response was never stored.
func (a *API) idempotent(accepted int, h handler, again replayer) handler {
	return a.keyed(false, accepted, h, again)
}

// idempotentRepeatable is idempotent for a route whose use case accepts the
// same request again by itself (claiming what one holds): such a request is
// never refused, so a key seen before is looked up before the use case runs
// — one read more, on these routes only — and a replay is always the first
// answer, marked Idempotent-Replayed.
func (a *API) idempotentRepeatable(accepted int, h handler, again replayer) handler {
	return a.keyed(true, accepted, h, again)
}

func (a *API) keyed(lookupFirst bool, accepted int, h handler, again replayer) handler {
	return func(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
		key, err := httpapi.IdempotencyKey(r)
		if err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
		if key == "" {
			h(w, r, p)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, httpapi.MaxBodyBytes+1))
		if err != nil {
			httpapi.WriteError(w, r, httpapi.Malformed("the body could not be read", nil))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		now := a.clock.Now()
		rec := &app.Idempotency{Scope: "business:" + p.BusinessID + ":" + p.Subject, Key: key, RequestHash: requestHash(r, body),
			CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)}
		if p.Role != httpapi.RoleBusiness {
			rec.Scope = p.Role + ":" + p.Subject
		}
		// On a repeatable route a key seen before is answered from its
		// record at once. The record written with the change stays the guard
		// against two attempts at once.
		switch stored, found, err := a.lookupFirst(r, lookupFirst, rec.Scope, rec.Key, now); {
		case err != nil:
			a.log.WarnContext(r.Context(), "idempotency: key not checked before the request; the write still guards it", "err", err)
		case found && stored.RequestHash != rec.RequestHash:
			writeKeyReused(w, r)
			return
		case found:
			a.replay(w, r, p, stored, accepted, again)
			return
		}
		rw := newRecorder()
		h(rw, r.WithContext(context.WithValue(r.Context(), idemKey{}, rec)), p)
		if rw.status/100 == 2 {
			copyResponse(w, rw.header, rw.status, rw.body.Bytes())
			if err := a.keys.CompleteIdempotency(r.Context(), *rec, rw.status, rw.body.Bytes()); err != nil && !errors.Is(err, moderation.ErrChanged) {
				a.log.WarnContext(r.Context(), "idempotency: response not stored; a replay shows the resource as it is then", "err", err)
			}
			return
		}
		stored, found, err := a.keys.LookupIdempotency(r.Context(), rec.Scope, rec.Key, now)
		switch {
		case err != nil:
			a.log.WarnContext(r.Context(), "idempotency: key not checked after a refusal", "err", err)
		case !found:
		case stored.RequestHash != rec.RequestHash:
			writeKeyReused(w, r)
			return
		default:
			a.replay(w, r, p, stored, accepted, again)
			return
		}
		copyResponse(w, rw.header, rw.status, rw.body.Bytes())
	}
}

// lookupFirst reads a key's record before the use case runs, on a
// repeatable route only.
func (a *API) lookupFirst(r *http.Request, on bool, scope, key string, now time.Time) (app.Idempotency, bool, error) {
	if !on {
		return app.Idempotency{}, false, nil
	}
	return a.keys.LookupIdempotency(r.Context(), scope, key, now)
}

// writeKeyReused answers a key sent again with another request.
func writeKeyReused(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteError(w, r, &httpapi.Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused",
		Message: "this Idempotency-Key was used with another request",
		Fields:  map[string]string{"Idempotency-Key": "already used with another request"}})
}

// replayer renders the object a POST made or changed (its id: the key's
// Resource) now, in the shape of that POST's response.
type replayer func(r *http.Request, p httpapi.Principal, resource string) (any, error)

// replay answers with the first response of a key. If that response was
// never stored (the function stopped between the change and storing it),
// it shows the object the request made or changed as it is now, in the
// route's shape and with the route's status of success.
func (a *API) replay(w http.ResponseWriter, r *http.Request, p httpapi.Principal, rec app.Idempotency, accepted int, again replayer) {
	w.Header().Set("Idempotent-Replayed", "true")
	if rec.Status != 0 {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		copyResponse(w, nil, rec.Status, rec.Body)
		return
	}
	if rec.Resource == "" {
		httpapi.WriteError(w, r, fmt.Errorf("idempotency: replay of %q: no resource", rec.Key))
		return
	}
	v, err := again(r, p, rec.Resource)
	if err != nil {
		httpapi.WriteError(w, r, fmt.Errorf("idempotency: replay of %q: %w", rec.Key, err))
		return
	}
	httpapi.WriteJSON(w, accepted, v)
}

func copyResponse(w http.ResponseWriter, h http.Header, status int, body []byte) {
	for k, vs := range h {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	w.Write(body)
}

func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// recorder keeps a handler's response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: make(http.Header)} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
