// Package lambdaemu runs a Lambda function's bootstrap the way the
// provided.al2023 runtime does: as a process whose environment carries the
// usual Lambda variables and AWS_LAMBDA_RUNTIME_API, the address of a small
// Runtime API (2018-06-01) served here. The function polls
// /runtime/invocation/next for events and posts its response or error;
// Invoke hands it an event and waits for the answer.
//
// It exists to measure a function's start-up (start to first poll, start to
// first response) on a machine without Docker or AWS; it is not a faithful
// sandbox (no freezing between invocations, no memory limit).
package lambdaemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// Config describes the function to run.
type Config struct {
	// Bootstrap is the executable (built for this machine's GOOS/GOARCH).
	Bootstrap string
	// Env is the function's own environment (TABLE_NAME, ...). It is laid
	// over the Lambda variables (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, fake
	// credentials, ...), so it may replace them. Nothing of this process's
	// environment is passed on.
	Env map[string]string
	// FunctionName defaults to "function"; MemoryMB to 256; Timeout (the
	// deadline of each invocation) to 10s.
	FunctionName string
	MemoryMB     int
	Timeout      time.Duration
	// Clock stamps the timings and deadlines; nil is the system clock.
	Clock clock.Clock
	// Stdout and Stderr receive the function's output (nil: discarded).
	Stdout, Stderr io.Writer
}

// Timings are the moments that tell how fast a function starts. Zero
// means it has not happened yet.
type Timings struct {
	Started       time.Time // the process was started
	FirstPoll     time.Time // it first asked for an invocation: its init is done
	FirstResponse time.Time // it first answered an invocation (response or error)
	// FirstResponseCPU is the CPU time the process had run (all its threads,
	// user and system, as Linux's /proc/<pid>/task/*/schedstat counts it)
	// when it first answered; zero where that cannot be read. Unlike the
	// moments it hardly depends on what else the machine runs.
	FirstResponseCPU time.Duration
	// FirstResponseFaults is the number of page faults the process had
	// taken (minor and major, all its threads, /proc/<pid>/stat) when it
	// first answered; zero where that cannot be read. On a virtual machine
	// a fault costs tens of microseconds, so at a cold start faults, not
	// instructions, make most of the time, and their count does not
	// depend on the machine's load at all.
	FirstResponseFaults int64
}

// Result is what a function answered to one invocation.
type Result struct {
	RequestID string
	Payload   []byte         // the response body, when there is no Err
	Err       *FunctionError // the error it reported, if any
}

// FunctionError is an error a function reported (invocation or init error).
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// ErrExited is returned (wrapped) by Invoke when the function's process is
// gone: it exited, crashed, reported an init error, or was closed.
var ErrExited = errors.New("lambdaemu: the function is not running")

// Runtime is a running function and its Runtime API. Invocations are
// handed out one at a time, as Lambda does within one execution
// environment. It is safe for concurrent use.
type Runtime struct {
	cfg    Config
	srv    *http.Server
	cmd    *exec.Cmd
	events chan *invocation // invocations waiting for /next
	exited chan struct{}    // closed when the process is gone

	mu        sync.Mutex
	timings   Timings
	inflight  map[string]*invocation
	seq       int
	exitErr   error
	initError *FunctionError
}

type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan Result
}

// Start serves a Runtime API on 127.0.0.1 and starts the bootstrap against
// it. Close stops both; so does the end of ctx, which kills the process.
func Start(ctx context.Context, cfg Config) (*Runtime, error) {
	if cfg.FunctionName == "" {
		cfg.FunctionName = "function"
	}
	if cfg.MemoryMB == 0 {
		cfg.MemoryMB = 256
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lambdaemu: start: listen: %w", err)
	}
	r := &Runtime{cfg: cfg, events: make(chan *invocation), exited: make(chan struct{}), inflight: map[string]*invocation{}}
	r.srv = &http.Server{Handler: r.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }() // ErrServerClosed after Close

	env := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          ln.Addr().String(),
		"AWS_LAMBDA_FUNCTION_NAME":        cfg.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(cfg.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + cfg.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME":      "lambdaemu",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":               "AKIDLAMBDAEMU",
		"AWS_SECRET_ACCESS_KEY":           "lambdaemu-secret",
		"AWS_SESSION_TOKEN":               "lambdaemu-session",
		"AWS_EXECUTION_ENV":               "AWS_Lambda_provided.al2023",
		"LAMBDA_TASK_ROOT":                "/var/task",
		"LAMBDA_RUNTIME_DIR":              "/var/runtime",
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
	}
	maps.Copy(env, cfg.Env)
	cmd := exec.CommandContext(ctx, cfg.Bootstrap)
	cmd.Env = []string{}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	cmd.Stdout, cmd.Stderr = cfg.Stdout, cfg.Stderr
	r.cmd = cmd
	r.mu.Lock()
	r.timings.Started = cfg.Clock.Now()
	r.mu.Unlock()
	if err := cmd.Start(); err != nil {
		r.srv.Close()
		return nil, fmt.Errorf("lambdaemu: start %s: %w", cfg.Bootstrap, err)
	}
	go func() {
		err := cmd.Wait()
		r.mu.Lock()
		r.exitErr = err
		if err == nil {
			r.exitErr = errors.New("exited")
		}
		r.mu.Unlock()
		close(r.exited)
	}()
	return r, nil
}

// Timings returns when the function started, first polled and first answered.
func (r *Runtime) Timings() Timings {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.timings
}

// Invoke hands the function one event and waits for its answer. A reported
// function error is in Result.Err (err is nil); err is for the function not
// answering: ctx done, the invocation's deadline passed, or ErrExited.
func (r *Runtime) Invoke(ctx context.Context, payload []byte) (Result, error) {
	r.mu.Lock()
	r.seq++
	inv := &invocation{id: fmt.Sprintf("lambdaemu-%08d", r.seq), payload: payload,
		deadline: r.cfg.Clock.Now().Add(r.cfg.Timeout), done: make(chan Result, 1)}
	r.inflight[inv.id] = inv
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.inflight, inv.id)
		r.mu.Unlock()
	}()
	timeout := time.NewTimer(r.cfg.Timeout)
	defer timeout.Stop()
	select {
	case r.events <- inv:
	case <-r.exited:
		return Result{}, r.gone("invoke " + inv.id)
	case <-ctx.Done():
		return Result{}, fmt.Errorf("lambdaemu: invoke %s: %w", inv.id, ctx.Err())
	}
	select {
	case res := <-inv.done:
		return res, nil
	case <-r.exited:
		return Result{}, r.gone("invoke " + inv.id)
	case <-timeout.C:
		return Result{}, fmt.Errorf("lambdaemu: invoke %s: no answer within the %s timeout", inv.id, r.cfg.Timeout)
	case <-ctx.Done():
		return Result{}, fmt.Errorf("lambdaemu: invoke %s: %w", inv.id, ctx.Err())
	}
}

// gone explains why the process is not there.
func (r *Runtime) gone(op string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.initError != nil {
		return fmt.Errorf("lambdaemu: %s: init error %w: %w", op, r.initError, ErrExited)
	}
	return fmt.Errorf("lambdaemu: %s: %v: %w", op, r.exitErr, ErrExited)
}

// Close stops the function's process and the Runtime API.
func (r *Runtime) Close() error {
	select {
	case <-r.exited:
	default:
		if r.cmd.Process != nil {
			_ = r.cmd.Process.Kill()
		}
		<-r.exited
	}
	return r.srv.Close()
}

const apiPrefix = "/2018-06-01/runtime/"

func (r *Runtime) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"invocation/next", r.next)
	mux.HandleFunc("POST "+apiPrefix+"invocation/{id}/response", r.respond)
	mux.HandleFunc("POST "+apiPrefix+"invocation/{id}/error", r.fail)
	mux.HandleFunc("POST "+apiPrefix+"init/error", r.initFail)
	return mux
}

// next blocks until an invocation is queued and hands it out.
func (r *Runtime) next(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	if r.timings.FirstPoll.IsZero() {
		r.timings.FirstPoll = r.cfg.Clock.Now()
	}
	r.mu.Unlock()
	select {
	case inv := <-r.events:
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:"+r.cfg.FunctionName)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-req.Context().Done():
	case <-r.exited:
	}
}

// answer delivers a function's answer to the waiting Invoke.
func (r *Runtime) answer(w http.ResponseWriter, id string, res Result) {
	r.mu.Lock()
	inv, ok := r.inflight[id]
	if ok {
		delete(r.inflight, id)
		if r.timings.FirstResponse.IsZero() {
			r.timings.FirstResponse = r.cfg.Clock.Now()
			r.timings.FirstResponseCPU = processCPU(r.cmd.Process.Pid)
			r.timings.FirstResponseFaults = processFaults(r.cmd.Process.Pid)
		}
	}
	r.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"errorType": "InvalidRequestID", "errorMessage": "unknown or answered request id " + id})
		return
	}
	res.RequestID = id
	inv.done <- res
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

func (r *Runtime) respond(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 6<<20+1))
	if err != nil || len(body) > 6<<20 {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"errorType": "RequestEntityTooLarge", "errorMessage": "response over 6 MB or unreadable"})
		return
	}
	r.answer(w, req.PathValue("id"), Result{Payload: body})
}

func (r *Runtime) fail(w http.ResponseWriter, req *http.Request) {
	r.answer(w, req.PathValue("id"), Result{Err: readError(req)})
}

func (r *Runtime) initFail(w http.ResponseWriter, req *http.Request) {
	fe := readError(req)
	r.mu.Lock()
	r.initError = fe
	r.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
	// Lambda ends an environment whose init failed.
	go func() { _ = r.cmd.Process.Kill() }()
}

// readError reads an error body ({"errorType", "errorMessage"}), falling
// back to the Lambda-Runtime-Function-Error-Type header.
func readError(req *http.Request) *FunctionError {
	fe := &FunctionError{}
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err := json.Unmarshal(bytes.TrimSpace(body), fe); err != nil {
		fe.Message = strings.TrimSpace(string(body))
	}
	if fe.Type == "" {
		fe.Type = req.Header.Get("Lambda-Runtime-Function-Error-Type")
	}
	return fe
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// processFaults is the number of page faults process pid has taken, minor
// and major, summed over its threads by Linux (/proc/<pid>/stat, fields 10
// and 12); zero when it cannot be read.
func processFaults(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// count the fields after its closing one.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3, the state
	if len(f) < 10 {
		return 0
	}
	minflt, err1 := strconv.ParseInt(f[7], 10, 64)
	majflt, err2 := strconv.ParseInt(f[9], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return minflt + majflt
}

// processCPU is the CPU time the threads of process pid have run, from
// Linux's schedstat (nanoseconds on the CPU, first field); zero when it
// cannot be read.
func processCPU(pid int) time.Duration {
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited meanwhile
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0
		}
		total += time.Duration(ns)
	}
	return total
}
