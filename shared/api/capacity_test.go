package api_test

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/webhook"
)

var updateCapacity = flag.Bool("update-capacity", false, "rewrite testdata/capacity.txt with the measured counts")

// capacityFile holds the counts docs/capacity.md computes its rates from.
const capacityFile = "testdata/capacity.txt"

// lifecycleCounts is what one lifecycle costs the platform's shared
// resources, measured on the local stack.
type lifecycleCounts struct {
	name        string
	invocations map[string]int // Lambda invocations by function
	starts      int            // StartExecution calls
	executions  int            // executions started
	transitions int            // states entered, over all its executions
	openDays    float64        // execution-days open (sum over its executions)
	emails      int            // SES messages sent
	writes      map[string]stack.PartitionWrites
}

// TestCapacityCounts drives each kind of lifecycle through the whole local
// stack and counts the Lambda invocations, executions, state transitions,
// days an execution stays open, emails, and the writes to every shared
// partition of the table and its indexes (a key every object of a kind
// writes, such as the compliance queue's). docs/capacity.md computes the
// platform's rates from these counts: the test fails when a count differs
// from testdata/capacity.txt, which `go test ./shared/api -run
// TestCapacityCounts -update-capacity` rewrites (then update the doc).
func TestCapacityCounts(t *testing.T) {
	decide := func(e *env, tkt string, body map[string]any) {
		e.mustStatus(200, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
		e.mustStatus(202, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance, body)
	}
	lifecycles := []struct {
		name string
		run  func(e *env, rc *receiver)
	}{
		{"report, reinstated, window ends", func(e *env, _ *receiver) {
			_, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
			e.s.Advance(181 * 24 * time.Hour)
		}},
		{"report, removed, window ends", func(e *env, _ *receiver) {
			_, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			e.s.Advance(181 * 24 * time.Hour)
		}},
		{"report, removed, appealed, reversed", func(e *env, _ *receiver) {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"I was there; crook was a figure of speech."}})
			appealDecision(e, rep, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit."})
			e.s.Advance(181 * 24 * time.Hour)
		}},
		{"find reviewer, answered", func(e *env, _ *receiver) {
			e.ask()
			e.s.Advance(24 * time.Hour)
			e.postPage(e.reviewerLink(e.mailsTo(reviewerAddr)[0]), url.Values{"reply": {"Order 4711."}})
			e.s.Advance(30 * 24 * time.Hour)
		}},
		{"find reviewer, expired", func(e *env, _ *receiver) {
			e.ask()
			e.s.Advance(30 * 24 * time.Hour)
		}},
		{"find reviewer, expired, webhook endpoint down for every attempt", func(e *env, rc *receiver) {
			rc.failNext(slices.Repeat([]int{http.StatusServiceUnavailable}, 100)...)
			e.ask()
			e.s.Advance(5 * 24 * time.Hour) // expired: its event is recorded
			for range 48 {                  // the dispatcher runs at each clock move: every attempt of the backoff is made
				e.s.Advance(30 * time.Minute)
			}
			if got := len(rc.requests()); got != webhook.MaxAttempts {
				e.t.Fatalf("%d delivery attempts, want all %d", got, webhook.MaxAttempts)
			}
			e.s.Advance(24 * 24 * time.Hour)
		}},
	}
	var got []lifecycleCounts
	for _, lc := range lifecycles {
		t.Run(lc.name, func(t *testing.T) {
			e := newEnv(t)
			rc := newReceiver(t)
			e.register(rc) // the business takes every event: each one is fanned out and delivered
			invBefore, callsBefore, mailsBefore := e.s.Invocations(), e.s.Edge.Calls(), len(e.s.Outbox.Messages())
			e.s.Partitions.Start()
			lc.run(e, rc)
			c := lifecycleCounts{name: lc.name, invocations: callsSince(invBefore, e.s.Invocations()),
				starts: callsSince(callsBefore, e.s.Edge.Calls())["states:StartExecution"],
				emails: len(e.s.Outbox.Messages()) - mailsBefore, writes: sharedPartitions(e.s.Partitions.Writes())}
			c.executions, c.transitions, c.openDays = e.executionTotals()
			t.Logf("%s", c)
			got = append(got, c)
		})
	}
	if t.Failed() || len(got) != len(lifecycles) {
		return
	}
	var b strings.Builder
	b.WriteString("# Counts per lifecycle, measured by TestCapacityCounts (shared/api/capacity_test.go);\n# docs/capacity.md computes its rates from them.\n")
	for _, c := range got {
		b.WriteString(c.String())
	}
	if *updateCapacity {
		if err := os.WriteFile(capacityFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(capacityFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Errorf("the counts differ from %s (rerun with -update-capacity and update docs/capacity.md):\n%s", capacityFile, b.String())
	}
}

func (c lifecycleCounts) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n[%s]\n", c.name)
	for _, f := range slices.Sorted(maps.Keys(c.invocations)) {
		fmt.Fprintf(&b, "lambda %s = %d\n", f, c.invocations[f])
	}
	fmt.Fprintf(&b, "sfn StartExecution = %d\nsfn executions = %d\nsfn state transitions = %d\nsfn execution-days open = %.1f\nses emails = %d\n",
		c.starts, c.executions, c.transitions, c.openDays, c.emails)
	for _, p := range slices.Sorted(maps.Keys(c.writes)) {
		fmt.Fprintf(&b, "write %s = %d items, %d WCU\n", p, c.writes[p].Items, c.writes[p].WCU)
	}
	return b.String()
}

// idSegment is a key segment that names one object (an id, a hash, a time
// bucket) rather than a kind: a partition with one is not shared.
var idSegment = regexp.MustCompile(`^([a-z]{2,5}_[0-9a-f]{8,}|(biz|rev|owner)-[a-z0-9-]+|[0-9a-f]{16,}|\d{4}-\d\d.*)$`)

// sharedPartitions keeps the partitions every object of a kind writes to
// (no segment names one object) and sums the rest by shape, ids replaced
// by <id>, so that a per-object partition's load shows too.
func sharedPartitions(w map[string]stack.PartitionWrites) map[string]stack.PartitionWrites {
	out := map[string]stack.PartitionWrites{}
	for p, n := range w {
		index, key, _ := strings.Cut(p, " ")
		name, value, _ := strings.Cut(key, "=")
		segs := strings.Split(value, "#")
		shared := true
		for i, s := range segs {
			if idSegment.MatchString(s) || (i > 0 && segs[i-1] == "IDEM") || (i > 0 && segs[i-1] == "LINK") {
				segs[i], shared = "<id>", false
			}
		}
		if segs[0] == "METRICS" { // one partition a day, which every counted event of the day writes
			segs, shared = []string{"METRICS", "<day>"}, true
		}
		if segs[0] == "WHDUE" { // its shards (WHDUE, WHDUE#1 …) summed: which one a delivery lands in is a hash of random ids
			segs, shared = []string{"WHDUE<all shards>"}, true
		}
		label := index + " " + name + "=" + strings.Join(segs, "#")
		if !shared {
			label += " (per object)"
		}
		o := out[label]
		o.Items += n.Items
		o.WCU += n.WCU
		out[label] = o
	}
	return out
}

// executionTotals counts every execution of every state machine, the states
// they entered and the days each was open (until now if still running).
func (e *env) executionTotals() (executions, transitions int, openDays float64) {
	e.t.Helper()
	ctx := context.Background()
	client := e.sfnClient()
	for _, x := range e.listExecutions() {
		executions++
		end := e.s.Clock.Now()
		if x.Status != sfntypes.ExecutionStatusRunning && x.StopDate != nil {
			end = *x.StopDate
		}
		openDays += end.Sub(*x.StartDate).Hours() / 24
		h, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: x.ExecutionArn, MaxResults: 1000})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, ev := range h.Events {
			if strings.HasSuffix(string(ev.Type), "StateEntered") {
				transitions++
			}
		}
	}
	return executions, transitions, openDays
}
