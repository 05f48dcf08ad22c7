// Package tasktest holds what the tests of the task packages (investigation,
// findreviewer, sanction) share: the use cases on the real store over a
// fresh table of the embedded DynamoDB, a clock that moves only when told,
// and hand-written fakes of the mailer, of Step Functions and of the
// workflow starter that record what they were asked. It is imported by
// tests only.
package tasktest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/workflow"
)

// T0 is when every test starts.
var T0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Base is the public base URL of the emails' links.
const Base = "https://reviews.example.com"

// Env is one test's world: the use cases and the store on its own table,
// the clock, and the fakes.
type Env struct {
	Store   *store.Store
	App     *app.App
	Clock   *clock.Manual
	Mail    *Mailer
	SFN     *SFN
	Starter *Starter
	Waker   *Waker
	Links   mail.Links
	Log     *slog.Logger
}

// The reviewer of every review Env.Review puts: personal data that no log
// line may hold (P12).
const (
	ReviewerEmail = "ana@example.org"
	ReviewerName  = "Ana Lindqvist"
)

// New returns a fresh Env standing at T0. At the test's end it fails the
// test if a log line holds the reviewer's email or name.
func New(t *testing.T) *Env {
	t.Helper()
	endpoint, name := dynamotest.Table(t, "candor-tasks")
	db := dynamotest.Client(endpoint)
	if _, err := db.CreateTable(context.Background(), store.TableDefinition(name)); err != nil {
		t.Fatalf("create table: %v", err)
	}
	links, err := mail.NewLinks(Base)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	e := &Env{Store: store.New(db, name), Clock: clock.NewManual(T0), Mail: &Mailer{r: mail.NewRenderer(links)}, SFN: &SFN{},
		Starter: &Starter{}, Links: links, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	t.Cleanup(func() {
		out := logs.String()
		for _, private := range []string{ReviewerEmail, ReviewerName} {
			if strings.Contains(out, private) {
				t.Errorf("a log line holds the reviewer's %q (P12)", private)
			}
		}
	})
	e.Waker = &Waker{}
	e.App = app.New(app.Config{Store: e.Store, Clock: e.Clock, Starter: e.Starter, Waker: e.Waker, Logger: e.Log})
	return e
}

// The actors of the tests.
var (
	Platform = app.Actor{Subject: "platform", Role: app.RolePlatform}
	Agent    = app.Actor{Subject: "agent-1", Role: app.RoleCompliance}
)

// BusinessActor is a user of business id.
func BusinessActor(id string) app.Actor {
	return app.Actor{Subject: "user-1", Role: app.RoleBusiness, BusinessID: id}
}

// Business puts business id, told by email in locale.
func (e *Env) Business(t *testing.T, id, locale string) moderation.Business {
	t.Helper()
	b, _, err := e.App.PutBusiness(context.Background(), id, moderation.BusinessInput{Name: "Acme Bikes", NotificationEmail: "owner@acme.example", Locale: locale})
	if err != nil {
		t.Fatalf("put business: %v", err)
	}
	return b
}

// Review puts a published review of business by a reviewer who reads locale.
func (e *Env) Review(t *testing.T, id, business, locale string) moderation.Review {
	t.Helper()
	r, _, err := e.App.PutReview(context.Background(), id, moderation.ReviewInput{BusinessID: business,
		Reviewer: moderation.Reviewer{Email: ReviewerEmail, Name: ReviewerName, Locale: locale},
		Stars:    1, Title: "Awful", Text: "They never delivered and the owner is a crook.", Source: moderation.SourceOrganic, ExperienceDate: "2026-10-01"})
	if err != nil {
		t.Fatalf("put review: %v", err)
	}
	return r
}

// Webhook registers a webhook of business for every event: from then on
// the tasks built with events record them.
func (e *Env) Webhook(t *testing.T, business string) {
	t.Helper()
	ep := webhook.Endpoint{ID: webhook.IDPrefix + "_0123456789abcdef", BusinessID: business, URL: "https://hooks.acme.example/candor",
		Secrets: []webhook.Secret{{Value: "whsec_test", Created: e.Clock.Now()}}, CreatedAt: e.Clock.Now(), UpdatedAt: e.Clock.Now()}
	if err := e.Store.PutWebhook(context.Background(), ep, true, nil); err != nil {
		t.Fatalf("register webhook: %v", err)
	}
}

// Events returns the types of the webhook events recorded and not yet
// fanned out to the webhooks, with the status, outcome or kind each
// reports ("report.status_changed closed", "reporting.warned").
func (e *Env) Events(t *testing.T) []string {
	t.Helper()
	evs, err := e.Store.PendingEvents(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		var p struct {
			Data struct{ Status, Outcome string } `json:"data"`
		}
		_ = json.Unmarshal([]byte(ev.Payload), &p)
		out = append(out, strings.TrimSpace(ev.Type+" "+p.Data.Status+p.Data.Outcome))
	}
	return out
}

// Input decodes the input of the last workflow start of machine into v
// (what the state machine hands its tasks) and returns the start.
func (e *Env) Input(t *testing.T, machine string, v any) app.WorkflowStart {
	t.Helper()
	w, ok := e.Starter.Last(machine)
	if !ok {
		t.Fatalf("no %s workflow was started", machine)
	}
	if err := json.Unmarshal([]byte(w.Input), v); err != nil {
		t.Fatalf("decode %s input: %v", machine, err)
	}
	return w
}

// PendingStarts are the names of the workflow starts still recorded.
func (e *Env) PendingStarts(t *testing.T) []string {
	t.Helper()
	ps, err := e.Store.PendingStarts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return names
}

// Email is one email the Mailer sent: to whom, what, and as rendered.
type Email struct {
	To       mail.Recipient
	Msg      mail.Message
	Rendered mail.Rendered
}

// Mailer is a fake of the SES sender: it renders each message in the
// recipient's locale, as the sender does, and records it. While Fail is
// set it sends nothing and returns Fail.
type Mailer struct {
	r    *mail.Renderer
	mu   sync.Mutex
	sent []Email
	Fail error
}

// Send records the email; it fails as rendering or Fail makes it.
func (m *Mailer) Send(_ context.Context, to mail.Recipient, msg mail.Message) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	r, err := m.r.Render(to.Locale, msg)
	if err != nil {
		return "", fmt.Errorf("send %s: %w", msg.Name(), err)
	}
	m.sent = append(m.sent, Email{To: to, Msg: msg, Rendered: r})
	return fmt.Sprintf("msg-%d", len(m.sent)), nil
}

// Sent returns the emails sent so far, in order.
func (m *Mailer) Sent() []Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Email(nil), m.sent...)
}

// To returns the emails sent to address, in order.
func (m *Mailer) To(address string) []Email {
	var out []Email
	for _, e := range m.Sent() {
		if e.To.Address == address {
			out = append(out, e)
		}
	}
	return out
}

// Answer is a task token answered through Step Functions, with its output.
type Answer struct {
	Token  string
	Output string
}

// SFN is a fake of the Step Functions client (workflow.SFN): it records
// the task tokens answered and the executions started.
type SFN struct {
	mu      sync.Mutex
	answers []Answer
	starts  []string
}

var _ workflow.SFN = (*SFN)(nil)

// StartExecution records the execution's name.
func (s *SFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.starts = append(s.starts, aws.ToString(in.Name))
	return &sfn.StartExecutionOutput{}, nil
}

// SendTaskSuccess records the token and the output.
func (s *SFN) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = append(s.answers, Answer{Token: aws.ToString(in.TaskToken), Output: aws.ToString(in.Output)})
	return &sfn.SendTaskSuccessOutput{}, nil
}

// Answers returns the tokens answered so far, in order.
func (s *SFN) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Answer(nil), s.answers...)
}

// Starter is a fake of the workflow starter (app.Starter): it records the
// starts and starts nothing.
type Starter struct {
	mu     sync.Mutex
	starts []app.WorkflowStart
}

var _ app.Starter = (*Starter)(nil)

// Start records w.
func (s *Starter) Start(_ context.Context, w app.WorkflowStart) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.starts = append(s.starts, w)
	return nil
}

// Last returns the last start of machine.
func (s *Starter) Last(machine string) (app.WorkflowStart, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.starts) - 1; i >= 0; i-- {
		if s.starts[i].Machine == machine {
			return s.starts[i], true
		}
	}
	return app.WorkflowStart{}, false
}

// Waker is a fake of the waker (app.Waker): it records the tokens the use
// cases answer.
type Waker struct {
	mu     sync.Mutex
	tokens []string
}

var _ app.Waker = (*Waker)(nil)

// Succeed records token.
func (w *Waker) Succeed(_ context.Context, token string, _ any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tokens = append(w.tokens, token)
	return nil
}

// Tokens returns the tokens answered so far, in order.
func (w *Waker) Tokens() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.tokens...)
}

// syncBuffer is a buffer the logger of concurrent tasks may write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
