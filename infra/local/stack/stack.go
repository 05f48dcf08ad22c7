// Package stack assembles Candor's local stack: every function's handler in
// one process, behind a local API Gateway (HS256 JWTs in place of the JWT
// authorizer), with the AWS stand-ins on one edge endpoint and one movable
// clock. cmd infra/local runs it; the end-to-end tests start it in-process.
package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/infra/local/stepfunctions"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/contract"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/wire/sweeperfunc"
	"github.com/candorhq/candor/shared/wire/webhookfunc"
)

// Config of a local stack. Zero values are the defaults: the policy windows
// of docs/product.md, the addresses and secret of docs/local-stack.md.
type Config struct {
	APIAddr    string    // default 127.0.0.1:3000; "127.0.0.1:0" picks a free port
	AWSAddr    string    // default 127.0.0.1:4566
	JWTSecret  string    // default "candor-local-secret"
	TableName  string    // default "candor"
	Region     string    // default "us-east-1"
	HidePolicy string    // "" or "all" hides every report; "harmful_only" (P4)
	Start      time.Time // the clock's starting time; default: now (exactly, with RealTime)
	// RealTime makes the clock run with the wall clock: it is wall time plus
	// an offset that Advance (POST /_local/clock) increases, so between moves
	// it keeps pace with real time, and the engine's timers fire when that
	// time reaches them. Tests leave it off: the clock then stands still
	// and time moves only when they say so.
	RealTime bool
	// DynamoDBEndpoint, when set, is an external DynamoDB (moto_server,
	// DynamoDB Local) that the edge forwards the DynamoDB calls to in place
	// of the embedded minidyn; the edge's fault rules and the transaction
	// tokens apply to it as they do to minidyn. The table TableName is
	// created there at start; the stack does not delete it.
	DynamoDBEndpoint string
	// Seed loads the demo platform (two businesses, a dozen reviews); with a
	// DataDir that already holds a state, the state is loaded instead.
	Seed bool
	// DataDir, when set, keeps the stack's state between runs: Start loads
	// <DataDir>/state.json if it exists and Close writes it (the table, the
	// mailbox, the clock and the Step Functions executions, which resume
	// where they waited; see persist.go).
	DataDir string
	Logger  *slog.Logger
	// APIFunctionOptions are added to the AWS clients of the API function
	// only, e.g. a middleware that counts its DynamoDB calls.
	APIFunctionOptions []func(*middleware.Stack) error
	// FunctionOptions are added to the AWS clients of every function (tests
	// inject StartExecution failures with them).
	FunctionOptions []func(*middleware.Stack) error
	// Policy is the deployment's policy: its windows, limits and misuse
	// rule (zero fields: moderation.DefaultPolicy's). Whether a report hides
	// the review is HidePolicy, as the template parameter.
	Policy moderation.Policy
	// Sender is the SES identity emails come from.
	Sender string
	// Brand is the platform the emails and reviewer pages name, given to
	// every function as PLATFORM_NAME and PLATFORM_LOGO_URL as the template
	// gives them; zero: brand.Default() ("Candor", no logo).
	Brand brand.Brand
	// SweepGrace is how old a recorded workflow start must be before the
	// sweeper re-drives it (default one minute, as the deployed schedule).
	SweepGrace time.Duration
	// WallClock is real time as API Gateway and webhook receivers see it:
	// the authorizer checks a token's exp, nbf and iat against it and Token
	// mints on it, while the domain's windows run on the stack's clock, so
	// moving that clock 200 days does not expire an hour's token. Default
	// the system clock; a test moves a Manual to see a token expire.
	WallClock clock.Clock
	// NoSDKBackoff keeps the SDK's retries of the functions' clients (three
	// attempts, the same retryable errors) but makes them without waiting,
	// so that tests injecting failures do not wait out real back-offs.
	NoSDKBackoff bool
	// WebhookTimeout bounds one webhook attempt (WEBHOOK_TIMEOUT_MS;
	// default webhook.DeliveryTimeout): tests with a receiver that never
	// answers shorten it.
	WebhookTimeout time.Duration
}

// Stack is a running local stack.
type Stack struct {
	APIURL   string // http://127.0.0.1:3000
	AWSURL   string // http://127.0.0.1:4566
	Clock    *clock.Manual
	DynamoDB *dynamodb.Client // the real SDK client, pointed at the stand-in
	Table    string
	Engine   *stepfunctions.Engine // the local Step Functions engine
	Outbox   *ses.Outbox           // the SES stand-in's sent mail
	Edge     *edge.Edge            // the AWS endpoint (it counts the calls it serves)
	// Partitions counts the writes each partition of the table and its
	// indexes receives, once started (docs/capacity.md).
	Partitions *PartitionMeter
	Demo       *Demo // the seeded demo data and tokens (nil without Seed)
	// Restored is when the state loaded from Config.DataDir was saved (zero
	// when the stack started empty), and Lost the executions that were
	// running then and could not be resumed (normally none).
	Restored time.Time
	Lost     []LostExecution
	// Handler serves what APIURL serves, for benchmarks that skip TCP.
	Handler http.Handler
	// Faults are the edge's fault rules (also at /_local/faults): add one
	// and the DynamoDB, Step Functions or SES calls it picks fail, as AWS's
	// would; Report counts what they injected.
	Faults *edge.Faults
	// Receiver is the demo webhook endpoint at /_local/webhooks/receiver.
	Receiver *Receiver

	cfg          Config
	dispatcher   *webhookfunc.Dispatcher
	webhooksSeen atomic.Bool // a webhook was registered: dispatch after every request too
	secret       []byte
	sweeper      *sweeperfunc.Sweeper
	docs         documentRuntime // the document-tasks function and the scanner (scanner.go)
	dynamo       http.Handler    // the DynamoDB stand-in, past the edge
	front        *dynamoFront    // the embedded DynamoDB's (nil on an external endpoint)
	persist      bool            // Close saves to cfg.DataDir (set once Start succeeded)
	saveErr      error
	seeded       bool // the data holds the demo platform

	// consoleEnv is what the console decides with: the state machines
	// it starts or wakes and the policy, as wire gives them to the API.
	consoleEnv map[string]string

	mu          sync.Mutex
	taskCalls   []TaskCall
	invocations map[string]int // by function name
	servers     []*http.Server
	stop        chan struct{}
	wg          sync.WaitGroup
}

// AWSCredentials are the static credentials the local clients sign with.
var AWSCredentials = credentials.NewStaticCredentialsProvider("test", "test", "")

func (c *Config) defaults() {
	if c.APIAddr == "" {
		c.APIAddr = "127.0.0.1:3000"
	}
	if c.AWSAddr == "" {
		c.AWSAddr = "127.0.0.1:4566"
	}
	if c.JWTSecret == "" {
		c.JWTSecret = "candor-local-secret"
	}
	if c.TableName == "" {
		c.TableName = "candor"
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.Start.IsZero() && !c.RealTime { // a running clock without a Start is real time
		c.Start = time.Now().UTC().Truncate(time.Second)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Policy = c.Policy.WithDefaults()
	if c.Sender == "" {
		c.Sender = "Candor <no-reply@candor.example>"
	}
	if c.Brand.Name == "" {
		c.Brand = brand.Default()
	}
	if c.SweepGrace == 0 {
		c.SweepGrace = time.Minute
	}
	if c.WallClock == nil {
		c.WallClock = clock.System{}
	}
}

// Start runs a local stack until Close. Both listeners are bound before it returns.
func Start(ctx context.Context, cfg Config) (*Stack, error) {
	cfg.defaults()
	var saved savedState
	restoring := false
	if cfg.DataDir != "" {
		var err error
		if saved, restoring, err = loadState(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("start local stack: %w", err)
		}
		if restoring { // the clock goes on from where the saved run left it
			cfg.Start = saved.ClockNow
			if cfg.RealTime {
				cfg.Start = latest(saved.ClockNow, time.Now().UTC().Add(saved.ClockAhead))
			}
		}
	}
	s := &Stack{cfg: cfg, Clock: clock.NewManual(cfg.Start), Table: cfg.TableName, secret: []byte(cfg.JWTSecret), stop: make(chan struct{}), Receiver: &Receiver{}}
	if cfg.RealTime {
		s.Clock = clock.NewRunning(cfg.Start)
	}

	// The AWS edge with its stand-ins.
	awsLn, err := net.Listen("tcp", cfg.AWSAddr)
	if err != nil {
		return nil, fmt.Errorf("start local stack: aws endpoint: %w", err)
	}
	s.Engine = stepfunctions.New(stepfunctions.Config{Clock: s.Clock, Region: cfg.Region, Logger: cfg.Logger})
	s.Outbox = ses.NewOutbox(s.Clock)
	s.Outbox.RequireVerified(cfg.Sender) // as the deployment verifies its sender
	e := edge.New(edge.WithLogger(cfg.Logger))
	s.Edge = e
	s.Faults = e.Faults()
	ddb, front, err := dynamoDBBackend(cfg, s.Clock)
	if err != nil {
		awsLn.Close()
		return nil, fmt.Errorf("start local stack: %w", err)
	}
	s.dynamo, s.front = ddb, front
	s.Partitions = newPartitionMeter(ddb)
	e.Mount("dynamodb", "DynamoDB_20120810", withTransactionTokens(s.Partitions, s.Clock))
	e.Mount("states", "AWSStepFunctions", s.Engine)
	e.Mount("ses", "", s.Outbox.Handler())
	objects, err := documentStore(ctx, cfg, s)
	if err != nil {
		awsLn.Close()
		return nil, fmt.Errorf("start local stack: %w", err)
	}
	e.Mount("s3", "", objects)
	s.AWSURL = "http://" + awsLn.Addr().String()
	s.serve(awsLn, e)

	s.DynamoDB = dynamodb.New(dynamodb.Options{Region: cfg.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: AWSCredentials})
	if _, err := s.DynamoDB.CreateTable(ctx, store.TableDefinition(cfg.TableName)); err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: create table: %w", err)
	}
	// TTL as template.yaml enables it.
	if _, err := s.DynamoDB.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(cfg.TableName),
		TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(store.AttrExpiresAt), Enabled: aws.Bool(true)}}); err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: enable TTL: %w", err)
	}

	apiLn, err := net.Listen("tcp", cfg.APIAddr)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: api: %w", err)
	}
	s.APIURL = "http://" + apiLn.Addr().String()
	gw, err := s.wire(ctx)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: %w", err)
	}

	docs, err := contractDocs()
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: %w", err)
	}
	mux := http.NewServeMux()
	// The contract and a page to read it: local only, no deployment serves them.
	mux.Handle("GET /openapi.yaml", docs)
	mux.Handle("GET /docs", docs)
	mux.HandleFunc("GET /_local/clock", s.getClock)
	mux.HandleFunc("POST /_local/clock", s.postClock)
	s.mountFaults(mux)
	mux.Handle("GET /_local/mail", s.Outbox.MailboxPage())
	mux.Handle("GET /_local/mail.json", s.Outbox.MailboxJSON())
	s.mountWebhooks(mux)
	s.mountLanding(mux)
	pages := s.portalPages(gw)
	mux.Handle("GET "+BusinessReportPath, pages)
	mux.Handle("GET "+BusinessRequestPath, pages)
	mux.Handle("GET "+PublicReviewPagePath, pages)
	mux.Handle("POST "+PublicReviewPagePath, pages)
	if err := s.mountConsole(mux); err != nil {
		s.Close()
		return nil, fmt.Errorf("start local stack: %w", err)
	}
	mux.Handle("/", gw)
	s.Handler = mux
	s.serve(apiLn, mux)

	if cfg.RealTime {
		s.wg.Add(1)
		go s.runTimers()
	}
	switch {
	case restoring:
		if err := s.restore(saved); err != nil {
			s.Close()
			return nil, fmt.Errorf("start local stack: %w", err)
		}
		s.Restored, s.seeded = saved.SavedAt, saved.Seeded
		if s.seeded {
			s.Demo = demoTokens(s)
		}
		for _, x := range s.Lost {
			cfg.Logger.Warn("data restored, but a Step Functions execution could not be resumed: its object may wait for a step that will not come",
				"dataDir", cfg.DataDir, "stateMachine", x.StateMachine, "execution", x.Name, "reason", x.Reason)
		}
	case cfg.Seed:
		if s.Demo, err = seed(ctx, s); err != nil {
			s.Close()
			return nil, fmt.Errorf("start local stack: seed: %w", err)
		}
		s.seeded = true
	}
	s.persist = cfg.DataDir != ""
	return s, nil
}

// contractDocs serves the embedded API description and the page that
// renders it. Both are the same for every stack in a process, so they are
// loaded and rendered once: rendering the page is most of a stack's start.
var contractDocs = sync.OnceValues(func() (http.Handler, error) {
	spec, err := contract.Load(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	return spec.Handler(), nil
})

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (s *Stack) serve(ln net.Listener, h http.Handler) {
	// Every request is read in bounded time, as API Gateway and AWS's
	// endpoints read it: a client that trickles its headers or its body
	// holds a connection for at most ReadTimeout (the gateway answers a
	// slow body 408 sooner, gateway.DefaultBodyTimeout).
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	unused := &unusedConns{open: map[net.Conn]struct{}{}}
	srv.ConnState = unused.track
	srv.RegisterOnShutdown(unused.closeAll)
	s.servers = append(s.servers, srv)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Logger.Error("local server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
}

// unusedConns closes, when its server shuts down, the connections that
// have not begun a request: an HTTP client that dialled a second
// connection for a request the first one then carried keeps the second
// unused in its pool, and http.Server.Shutdown waits five seconds for
// such a connection before it counts it as idle. The stack is stopping:
// no request will come on it that the stack should still answer. Shutdown
// calls closeAll once it has closed the listener; a connection accepted
// at that moment is closed as soon as it is tracked.
type unusedConns struct {
	mu      sync.Mutex
	open    map[net.Conn]struct{} // accepted, no request read yet
	closing bool
}

// track is the server's ConnState hook.
func (u *unusedConns) track(c net.Conn, state http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch {
	case state == http.StateNew && u.closing:
		c.Close()
	case state == http.StateNew:
		u.open[c] = struct{}{}
	default:
		delete(u.open, c)
	}
}

// closeAll closes every connection that has not begun a request, and each
// one accepted from now on.
func (u *unusedConns) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closing = true
	for c := range u.open {
		c.Close()
		delete(u.open, c)
	}
}

// timerTick is how often a running stack looks for timers that real time
// has reached: Step Functions fires a timer a little after it is due, too.
const timerTick = 100 * time.Millisecond

// runTimers serves a running clock (Config.RealTime): the engine runs on
// virtual time and fires a timer only when told to advance, so every tick
// it is told to fire what has fallen due; and the sweeper runs once a
// minute of the clock, as its schedule does in AWS.
func (s *Stack) runTimers() {
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // Close must not wait for a handler the engine waits for
		<-s.stop
		cancel()
	}()
	t := time.NewTicker(timerTick)
	defer t.Stop()
	lastSweep := s.Clock.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		now := s.Clock.Now()
		if due := s.Engine.PendingTimers(); len(due) > 0 && !due[0].After(now) {
			if err := s.Engine.Advance(ctx, 0); err != nil {
				s.cfg.Logger.Error("fire due timers", "err", err)
			}
		}
		if now.Sub(lastSweep) >= time.Minute {
			s.Sweep(ctx)
			lastSweep = now
		}
	}
}

// Advance moves the stack's clock forward by d; every timer that falls due
// (reminders, windows, retries) fires before it returns. The sweeper runs
// after the first minute, as its one-minute schedule would in AWS, and at
// the end.
//
// A running clock (Config.RealTime) ends exactly d further ahead of the wall
// clock than it was: the engine stops the clock at its target, and the real
// time that passed meanwhile is given back.
func (s *Stack) Advance(d time.Duration) time.Time {
	ctx := context.Background()
	wantOffset := s.Clock.Offset() + max(d, 0)
	first := min(d, time.Minute)
	for _, step := range []time.Duration{first, d - first} {
		if step > 0 {
			if err := s.Engine.Advance(ctx, step); err != nil {
				s.cfg.Logger.Error("advance the clock", "err", err)
			}
		}
		s.Sweep(ctx)
	}
	if s.Clock.Running() {
		return s.Clock.Advance(wantOffset - s.Clock.Offset())
	}
	return s.Clock.Now()
}

// Sweep deletes the items whose TTL has passed, re-drives recorded workflow
// starts older than the grace period and lets the executions it started
// settle.
func (s *Stack) Sweep(ctx context.Context) {
	s.ExpireItems(ctx)
	res, err := s.sweeper.Handle(ctx)
	if err != nil {
		s.cfg.Logger.Error("sweep", "err", err)
	}
	if res["started"] > 0 {
		s.Settle()
	}
	s.runDocumentRetention(ctx)
	s.DispatchWebhooks(ctx)
}

// ExpireItems deletes the table's items whose TTL (expiresAt) has passed on
// the stack's clock, as DynamoDB's TTL does some time after it passes: the
// stack runs it whenever its clock moves (Advance) and once a minute of a
// running clock. On an external DynamoDB it does nothing (that endpoint
// keeps its own TTL, or none).
func (s *Stack) ExpireItems(ctx context.Context) int {
	if s.front == nil {
		return 0
	}
	n, err := s.front.Expire(ctx)
	if err != nil {
		s.cfg.Logger.Error("expire items (TTL)", "err", err)
	}
	return n
}

// Settle waits until every execution is finished or waiting (for a timer or
// a reviewer), so that what a request set off is visible when it returns.
func (s *Stack) Settle() {
	if err := s.Engine.Settle(context.Background()); err != nil {
		s.cfg.Logger.Error("settle", "err", err)
	}
}

// Token mints a local JWT for a role (business tokens carry businessID),
// valid for ttl of real time (Config.WallClock): moving the stack's clock
// does not expire it.
func (s *Stack) Token(sub, role, businessID string, ttl time.Duration) string {
	tok, err := gateway.Token(s.secret, s.cfg.WallClock.Now(), ttl, sub, role, businessID, "", "")
	if err != nil {
		panic(fmt.Sprintf("mint local token: %v", err)) // HS256 signing with a non-empty key cannot fail
	}
	return tok
}

// Close stops the servers and waits for them. With Config.DataDir it then
// saves the state; SaveErr reports how that went.
func (s *Stack) Close() {
	select {
	case <-s.stop:
		return
	default:
		close(s.stop)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		srv.Shutdown(ctx)
	}
	s.wg.Wait()
	var executions *stepfunctions.Snapshot
	if s.persist {
		// What is running finishes its step, so that neither the table nor
		// an execution is saved half-way through a task; then every
		// execution is written down with where it waits.
		var err error
		if executions, err = s.Engine.Snapshot(ctx); err != nil {
			s.cfg.Logger.Error("save data: the Step Functions executions are not saved, the next run will not resume them", "err", err)
		}
	}
	if s.Engine != nil {
		s.Engine.Close()
	}
	if s.persist && s.saveErr == nil {
		// Executions not resumed at an earlier start stay named: their
		// objects may still wait.
		s.saveErr = s.save(s.seeded, executions, slices.Clone(s.Lost))
	}
	if s.saveErr != nil {
		s.cfg.Logger.Error("local data not saved", "dataDir", s.cfg.DataDir, "err", s.saveErr)
	}
}

// SaveErr is what went wrong saving the state in Close (nil when it was
// saved, or there was nothing to save).
func (s *Stack) SaveErr() error { return s.saveErr }

type clockView struct {
	Now string `json:"now"`
}

func (s *Stack) getClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, clockView{Now: s.Clock.Now().Format(time.RFC3339)})
}

// postClock moves the clock: {"advance": "72h"} (a Go duration, also "3d" for days).
func (s *Stack) postClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Advance string `json:"advance"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "malformed_request", "message": "send {\"advance\": \"72h\"}"}})
		return
	}
	d, err := parseDuration(req.Advance)
	if err != nil || d <= 0 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{"code": "validation_failed",
			"message": "advance must be a positive duration such as 72h, 90m or 3d", "fields": map[string]string{"advance": "must be a positive duration"}}})
		return
	}
	writeJSON(w, http.StatusOK, clockView{Now: s.Advance(d).Format(time.RFC3339)})
}

// parseDuration is time.ParseDuration plus whole days ("7d").
func parseDuration(s string) (time.Duration, error) {
	var days int
	if n, err := fmt.Sscanf(s, "%dd", &days); err == nil && n == 1 && fmt.Sprintf("%dd", days) == s {
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
