package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/infra/local/stack"
)

// run is one stack of a restart test, with the calls the test makes.
type run struct {
	t *testing.T
	s *stack.Stack
}

func startRun(t *testing.T, dir string) *run {
	t.Helper()
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		DataDir: dir, NoSDKBackoff: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &run{t: t, s: s}
}

// stop closes the stack and fails the test if its state was not saved.
func (r *run) stop() {
	r.t.Helper()
	r.s.Close()
	if err := r.s.SaveErr(); err != nil {
		r.t.Fatalf("save: %v", err)
	}
}

func (r *run) call(want int, method, path, token string, body any) map[string]any {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, r.s.APIURL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		r.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

func (r *run) acme() string       { return r.s.Demo.Businesses[0].Token }
func (r *run) nordic() string     { return r.s.Demo.Businesses[1].Token }
func (r *run) compliance() string { return r.s.Demo.Compliance }
func (r *run) bob() string        { return r.s.Token("agent-bob", "compliance", "", time.Hour) }

// ask sends a Find Reviewer request on a review and returns its id.
func (r *run) ask(token, review string) string {
	r.t.Helper()
	return r.call(http.StatusAccepted, "POST", "/v1/reviews/"+review+"/reviewer-requests", token,
		map[string]any{"message": "Hello! We cannot find your order. Could you send us your order number?"})["id"].(string)
}

// report reports a review as spam, or for no genuine experience.
func (r *run) report(token, review string, notGenuine bool) string {
	r.t.Helper()
	item := map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}
	if notGenuine {
		item = map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name."}
	}
	return r.call(http.StatusAccepted, "POST", "/v1/reviews/"+review+"/reports", token,
		map[string]any{"items": []any{item}, "publicStatement": "We could not find this customer in our records."})["id"].(string)
}

// ticketOf is the compliance ticket of a report.
func (r *run) ticketOf(report string) string {
	r.t.Helper()
	for _, it := range r.call(http.StatusOK, "GET", "/v1/compliance/tickets?limit=100", r.compliance(), nil)["items"].([]any) {
		if tk := it.(map[string]any); tk["reportId"] == report {
			return tk["id"].(string)
		}
	}
	r.t.Fatalf("report %s has no ticket", report)
	return ""
}

// decide claims a report's ticket as agent-ada and decides it.
func (r *run) decide(report string, decision map[string]any) {
	r.t.Helper()
	tkt := r.ticketOf(report)
	r.call(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", r.compliance(), nil)
	r.call(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", r.compliance(), decision)
}

func (r *run) status(path, token string) string {
	r.t.Helper()
	s, _ := r.call(http.StatusOK, "GET", path, token, nil)["status"].(string)
	return s
}

// mailTo is the mail to a review's reviewer (seeded as reviewer+<id>@example.org) or a business.
func (r *run) mailTo(addr string) []ses.Message {
	var out []ses.Message
	for _, m := range r.s.Outbox.Messages() {
		for _, to := range m.To {
			if to == addr || strings.HasSuffix(to, "<"+addr+">") {
				out = append(out, m)
			}
		}
	}
	return out
}

func reviewer(review string) string { return "reviewer+" + review + "@example.org" }

const (
	acmeMail   = "support@acme-coffee.example"
	nordicMail = "kundtjanst@nordic-bikes.example"
)

var reviewerLinkRE = regexp.MustCompile(`/r/[A-Za-z0-9_-]{43}$`)

// answer posts the form of the reviewer page linked from the latest email
// to a review's reviewer, as the reviewer does.
func (r *run) answer(review string, form url.Values) {
	r.t.Helper()
	mails := r.mailTo(reviewer(review))
	if len(mails) == 0 {
		r.t.Fatalf("no email to the reviewer of %s", review)
	}
	link := ""
	for _, l := range mails[len(mails)-1].Links {
		if reviewerLinkRE.MatchString(l) {
			link = l
		}
	}
	if link == "" {
		r.t.Fatalf("the latest email to the reviewer of %s has no reviewer link", review)
	}
	// The link names the address of the stack that sent it; this test's
	// stacks each pick a free port, where infra/local keeps its address.
	link = r.s.APIURL + reviewerLinkRE.FindString(link)
	res, err := http.PostForm(link, form)
	if err != nil {
		r.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		r.t.Fatalf("the reviewer of %s answers through the link: %d %s", review, res.StatusCode, body)
	}
	r.s.Settle()
}

func (r *run) sfn() *sfn.Client {
	return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(r.s.AWSURL), Credentials: stack.AWSCredentials})
}

// executions lists every execution of every state machine.
func (r *run) executions() map[string]sfntypes.ExecutionListItem {
	r.t.Helper()
	ctx := context.Background()
	c := r.sfn()
	ms, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]sfntypes.ExecutionListItem{}
	for _, m := range ms.StateMachines {
		xs, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, MaxResults: 1000})
		if err != nil {
			r.t.Fatal(err)
		}
		for _, x := range xs.Executions {
			out[aws.ToString(x.ExecutionArn)] = x
		}
	}
	return out
}

func (r *run) history(arn string) []sfntypes.HistoryEvent {
	r.t.Helper()
	h, err := r.sfn().GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	if err != nil {
		r.t.Fatalf("history of %s: %v", arn, err)
	}
	return h.Events
}

// TestNothingIsStuckAfterARestart drives objects into every waiting state
// of every state machine, stops the stack and starts another on the same
// data: the waits answered through the reviewer's link and the compliance
// API go on, the others end when the clock passes their windows (moved on
// after the restart, or passed while the stack was stopped), every object
// reaches its end, every email is sent once, and the executions started
// before the restart keep their ARNs and histories.
func TestNothingIsStuckAfterARestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	day := 24 * time.Hour
	first := startRun(t, dir)

	// Day 0: Find Reviewer requests that expire, for the no_genuine_experience
	// reports and the business's manual reminder.
	first.ask(first.acme(), "rev-acme-01")
	first.ask(first.nordic(), "rev-nb-01")
	manual := first.ask(first.acme(), "rev-acme-04")
	first.s.Advance(5 * day)

	// Day 5.
	first.call(http.StatusAccepted, "POST", "/v1/reviewer-requests/"+manual+"/reminders", first.acme(), nil) // find-reviewer SendManualReminder
	proofAnswered := first.report(first.acme(), "rev-acme-01", true)                                         // investigation RequestProof, answered
	proofMissing := first.report(first.nordic(), "rev-nb-01", true)                                          // investigation RequestProof, runs out
	reminded := first.ask(first.acme(), "rev-acme-05")                                                       // find-reviewer SendReminder by day 8
	first.s.Advance(3 * day)

	// Day 8.
	replied := first.ask(first.acme(), "rev-acme-02")          // find-reviewer SendRequest, answered
	unanswered := first.ask(first.nordic(), "rev-nb-02")       // find-reviewer SendRequest, runs out
	queued := first.report(first.nordic(), "rev-nb-06", false) // investigation Queue, decided
	evidenceMissing := first.report(first.nordic(), "rev-nb-04", false)
	first.decide(evidenceMissing, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof of the purchase.",
		"message": "Please send us your order number."}) // investigation AskReviewer, runs out
	evidenceGiven := first.report(first.nordic(), "rev-nb-05", false)
	first.decide(evidenceGiven, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof of the purchase.",
		"message": "Please send us your order number."}) // investigation AskReviewer, answered
	appealed := first.report(first.acme(), "rev-acme-03", false)
	first.decide(appealed, map[string]any{"outcome": "reinstate", "note": "An opinion about the service."})
	first.call(http.StatusCreated, "POST", "/v1/reports/"+appealed+"/appeals", first.acme(),
		map[string]any{"reason": "The review accuses our owner of a crime; that is not an opinion."}) // appeal AppealQueue
	suspension := first.call(http.StatusCreated, "POST", "/v1/compliance/businesses/nordic-bikes/suspensions", first.compliance(),
		map[string]any{"until": t0.Add(18 * day).Format(time.RFC3339), "note": "Kept reporting reinstated reviews."})["id"].(string) // sanction WaitUntil
	// The reply notice's email fails (SES throttles every attempt of one
	// invocation): its task waits in the retry's back-off.
	if _, err := first.s.Faults.Add(edge.FaultRule{Service: edge.ServiceSES, Operation: "*", Error: "Throttling", Count: 3}); err != nil {
		t.Fatal(err)
	}
	first.call(http.StatusCreated, "PUT", "/v1/reviews/rev-acme-06/reply", first.acme(), map[string]any{"text": "Thank you, come again!"}) // reply TellReviewer, in back-off
	first.s.Settle()
	first.s.Faults.Clear()
	if n := len(first.mailTo(reviewer("rev-acme-06"))); n != 0 {
		t.Fatalf("the reply notice was sent despite the faults (%d emails)", n)
	}

	before := first.executions()
	histories := map[string]int{}
	running := 0
	for arn, x := range before {
		histories[arn] = len(first.history(arn))
		if x.Status == sfntypes.ExecutionStatusRunning {
			running++
		}
	}
	if running != 12 {
		t.Fatalf("%d executions wait at the stop, want 12 (every waiting state)", running)
	}
	first.stop()

	// (a) A new stack on the same data; the waits answered through the real paths.
	second := startRun(t, dir)
	if len(second.s.Lost) != 0 {
		t.Fatalf("executions not resumed: %+v", second.s.Lost)
	}
	for arn, x := range before {
		d, err := second.sfn().DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil || d.Status != x.Status {
			t.Errorf("DescribeExecution %s after the restart: %v %v, want %s", arn, err, d, x.Status)
			continue
		}
		if n := len(second.history(arn)); n != histories[arn] {
			t.Errorf("history of %s after the restart has %d events, %d before", arn, n, histories[arn])
		}
	}
	second.answer("rev-acme-02", url.Values{"reply": {"Order 4711, delivered on 3 October."}})
	second.answer("rev-acme-05", url.Values{"reply": {"It was order 4712."}})
	second.answer("rev-acme-01", url.Values{"reply": {"Receipt 99812 from 1 October."}})
	second.answer("rev-nb-05", url.Values{"reply": {"Order 4713 on 3 October, paid by card."}})
	second.decide(queued, map[string]any{"outcome": "reinstate", "note": "An opinion about the service."})
	second.decide(proofAnswered, map[string]any{"outcome": "reinstate", "note": "The receipt shows the purchase."})
	second.decide(evidenceGiven, map[string]any{"outcome": "reinstate", "note": "The order number is right."})
	appeal := "apl_" + strings.TrimPrefix(appealed, "rpt_")
	second.call(http.StatusOK, "POST", "/v1/compliance/appeals/"+appeal+"/claim", second.bob(), nil)
	second.call(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+appeal+"/decision", second.bob(), map[string]any{"outcome": "uphold", "note": "An opinion here."})
	// (b) The clock moves past the windows of the manual reminder and the reply's back-off.
	second.s.Advance(2*day + time.Hour)
	if got := second.status("/v1/reviewer-requests/"+manual, second.acme()); got != "expired" {
		t.Errorf("the manually reminded request after its window: %s, want expired", got)
	}
	if n := len(second.mailTo(reviewer("rev-acme-06"))); n != 1 {
		t.Errorf("reviewer of rev-acme-06 got %d reply notices after the back-off, want 1", n)
	}
	second.stop()

	// (c) The clock passed the other windows while the stack was stopped,
	// as a running clock's would: their timers fire as the next stack starts.
	path := filepath.Join(dir, "state.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	var stoppedAt time.Time
	json.Unmarshal(st["clockNow"], &stoppedAt)
	st["clockNow"], _ = json.Marshal(stoppedAt.Add(30 * day))
	if b, err = json.Marshal(st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	third := startRun(t, dir)
	defer third.s.Close()
	if got := third.status("/v1/reports/"+proofMissing, third.nordic()); got != "closed" {
		t.Errorf("the report whose proof never came, at the start after its window: %s, want closed", got)
	}
	if n := len(third.mailTo(reviewer("rev-nb-02"))); n != 2 {
		t.Errorf("reviewer of rev-nb-02 got %d emails at the start past the reminder, want the request and the reminder", n)
	}
	third.s.Advance(3 * day) // the reminder's rest of the window, counted from when it was sent
	third.decide(evidenceMissing, map[string]any{"outcome": "remove", "upheldReasons": []string{"spam"}, "note": "No answer, and the text is copied."})

	// The appeal window of a decision taken before a restart ends on time:
	// it is the deadline stored on the report, on the stack's clock.
	third.s.Advance(180 * day)
	third.call(http.StatusGone, "POST", "/v1/reports/"+evidenceGiven+"/appeals", third.nordic(),
		map[string]any{"reason": "We only now saw that the review is back online."})

	// Every object reached its end.
	for _, c := range []struct{ name, path, token, want string }{
		{"answered request", "/v1/reviewer-requests/" + replied, third.acme(), "replied"},
		{"request answered after its reminder", "/v1/reviewer-requests/" + reminded, third.acme(), "replied"},
		{"unanswered request", "/v1/reviewer-requests/" + unanswered, third.nordic(), "expired"},
		{"manually reminded request", "/v1/reviewer-requests/" + manual, third.acme(), "expired"},
		{"report with proof", "/v1/reports/" + proofAnswered, third.acme(), "closed"},
		{"report without proof", "/v1/reports/" + proofMissing, third.nordic(), "closed"},
		{"queued report", "/v1/reports/" + queued, third.nordic(), "closed"},
		{"report whose evidence came", "/v1/reports/" + evidenceGiven, third.nordic(), "closed"},
		{"report whose evidence never came", "/v1/reports/" + evidenceMissing, third.nordic(), "closed"},
		{"appeal", "/v1/compliance/appeals/" + appeal, third.compliance(), "decided"},
	} {
		if got := third.status(c.path, c.token); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	for _, it := range third.call(http.StatusOK, "GET", "/v1/compliance/businesses/nordic-bikes/sanctions", third.compliance(), nil)["items"].([]any) {
		if sn := it.(map[string]any); sn["id"] == suspension && sn["status"] != "ended" {
			t.Errorf("the suspension after its until: %v, want ended", sn["status"])
		}
	}
	after := third.executions()
	for arn := range before {
		x, ok := after[arn]
		switch {
		case !ok:
			t.Errorf("execution %s is gone", arn)
		case x.Status != sfntypes.ExecutionStatusSucceeded:
			t.Errorf("execution %s ended %s, want SUCCEEDED", arn, x.Status)
		}
	}
	for arn, x := range after {
		if x.Status != sfntypes.ExecutionStatusSucceeded {
			t.Errorf("execution %s (started after the restart) is %s, want SUCCEEDED", arn, x.Status)
		}
	}

	// Every email was sent once: no two carry the same recipient, subject and text.
	seen := map[string]bool{}
	for _, m := range third.s.Outbox.Messages() {
		key := fmt.Sprint(m.To, "\x00", m.Subject, "\x00", m.Text)
		if seen[key] {
			t.Errorf("email %q to %v was sent twice", m.Subject, m.To)
		}
		seen[key] = true
	}
	for _, c := range []struct {
		to   string
		want int
	}{
		{reviewer("rev-acme-02"), 2}, // the request, answered, and the copy of the reply
		{reviewer("rev-acme-05"), 3}, // the request and the reminder, answered, and the copy of the reply
		{reviewer("rev-nb-02"), 2},   // the request and the reminder
		{reviewer("rev-acme-06"), 1}, // the reply notice
	} {
		if got := len(third.mailTo(c.to)); got != c.want {
			t.Errorf("%s got %d emails, want %d", c.to, got, c.want)
		}
	}
}
