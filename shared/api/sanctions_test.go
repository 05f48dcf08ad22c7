package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/stack"
)

// A suspension blocks the business's reports (409 reporting_suspended with
// until) and turns canReport off until its until passes; then reports are
// accepted again. Nothing else of the business changes.
func TestSuspensionBlocksReportsUntilItEnds(t *testing.T) {
	e := newEnv(t)
	const day = 24 * time.Hour
	w := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/warnings", e.compliance,
		map[string]any{"note": "Reported 9 reviews in a week; 8 were reinstated as not breaking the guidelines."})
	if w.body["kind"] != "warning" || w.body["status"] != "active" || w.body["until"] != "2027-11-02T09:00:00Z" {
		t.Errorf("warning = %s", w.raw)
	}
	if m := e.mailsTo(businessAddr); len(m) != 1 || !strings.Contains(m[0].Subject, "warning") ||
		!strings.Contains(m[0].Text, "8 were reinstated") || !strings.Contains(m[0].Text, "reply to this email") {
		t.Fatalf("business emails after the warning = %v, want the warning with the facts and how to object", subjects(m))
	}
	// A warning alone does not block reporting.
	if rev := e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-invited", e.biz1, nil); rev.body["canReport"] != true {
		t.Errorf("review after a warning = %s", rev.raw)
	}

	until := "2026-11-12T09:00:00Z"
	s := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": until, "note": "Kept reporting reinstated reviews after the warning of 2 November."})
	if s.body["kind"] != "suspension" || s.body["until"] != until {
		t.Errorf("suspension = %s", s.raw)
	}

	if m := e.mailsTo(businessAddr); len(m) != 2 || !strings.Contains(m[1].Subject, "suspended") ||
		!strings.Contains(m[1].Text, "12 November 2026, 09:00 UTC") || !strings.Contains(m[1].Text, "after the warning of 2 November") {
		t.Fatalf("business emails after the suspension = %v, want the suspension with its end and the facts", subjects(m))
	}
	r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if r.status != http.StatusConflict || r.errorCode() != "reporting_suspended" || r.body["error"].(map[string]any)["until"] != until {
		t.Fatalf("report while suspended = %d %s, want 409 reporting_suspended with %s", r.status, r.raw, until)
	}
	rev := e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil)
	refusal, _ := rev.body["reportRefusal"].(map[string]any)
	if rev.body["canReport"] != false || refusal["code"] != "reporting_suspended" || refusal["until"] != until || rev.body["visibility"] != "published" {
		t.Errorf("review while suspended = %s", rev.raw)
	}
	// Another business reports as before.
	if other := e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-biz2", e.biz2, nil); other.body["canReport"] != true {
		t.Errorf("another business's review = %s", other.raw)
	}
	// The business reads its own standing: the suspension and the warning
	// with the facts it was emailed; another business sees none of them.
	own := e.mustStatus(http.StatusOK, "GET", "/v1/reporting", e.biz1, nil).body
	ownSusp, _ := own["suspension"].(map[string]any)
	warn, _ := own["warning"].(map[string]any)
	if own["canReport"] != false || ownSusp["until"] != until || ownSusp["id"] != s.body["id"] || warn["id"] != w.body["id"] ||
		!strings.Contains(fmt.Sprint(warn["note"]), "8 were reinstated") || own["limits"].(map[string]any)["reportsPerHour"] != 30.0 {
		t.Errorf("own standing while suspended = %v", own)
	}
	if o := e.mustStatus(http.StatusOK, "GET", "/v1/reporting", e.biz2, nil).body; o["canReport"] != true || o["suspension"] != nil || o["warning"] != nil {
		t.Errorf("another business's standing = %v", o)
	}

	// The block is never lowered: a suspension ending before the one in
	// force is refused and changes nothing.
	shorter := e.call("POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": "2026-11-05T09:00:00Z", "note": "A shorter suspension by mistake."})
	if shorter.status != http.StatusUnprocessableEntity || !strings.Contains(shorter.raw, `"until"`) || !strings.Contains(shorter.raw, until) {
		t.Errorf("shorter suspension = %d %s, want 422 on until naming the end in force", shorter.status, shorter.raw)
	}
	if list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", e.compliance, nil); len(list.body["items"].([]any)) != 2 {
		t.Errorf("sanctions after the refused one = %s, want the warning and the suspension only", list.raw)
	}

	e.s.Advance(10*day - time.Second)
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()); r.status != http.StatusConflict {
		t.Fatalf("report a second before until = %d %s", r.status, r.raw)
	}
	if m := e.mailsTo(businessAddr); len(m) != 2 {
		t.Errorf("business emails before until = %v, want no reopening yet", subjects(m))
	}
	e.s.Advance(time.Second)
	e.s.Settle()
	if m := e.mailsTo(businessAddr); len(m) != 3 || !strings.Contains(m[2].Subject, "report reviews again") {
		t.Errorf("business emails after until = %v, want the reopening", subjects(m))
	}
	if rev := e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil); rev.body["canReport"] != true {
		t.Errorf("review after until = %s", rev.raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if own := e.mustStatus(http.StatusOK, "GET", "/v1/reporting", e.biz1, nil).body; own["canReport"] != true || own["suspension"] != nil || own["warning"] == nil {
		t.Errorf("own standing after until = %v, want reporting open and the warning still in force", own)
	}

	list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", e.compliance, nil)
	items, _ := list.body["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("sanctions = %s", list.raw)
	}
	susp := items[1].(map[string]any)
	audit, _ := susp["audit"].([]any)
	if susp["kind"] != "suspension" || susp["status"] != "ended" || susp["endedAt"] != until || len(audit) != 2 ||
		audit[1].(map[string]any)["action"] != "sanction.ended" || audit[1].(map[string]any)["actor"] != "system" {
		t.Errorf("suspension after until = %v, want it ended by itself with the end in its audit trail", susp)
	}
	if items[0].(map[string]any)["status"] != "active" {
		t.Errorf("warning after 10 days = %v", items[0])
	}

	// The warning lapses by itself a year after it was given.
	e.s.Advance(355 * day)
	e.s.Settle()
	agent := e.s.Token("agent-ada", "compliance", "", time.Hour) // the year-long test tokens have expired
	list = e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", agent, nil)
	warning := list.body["items"].([]any)[0].(map[string]any)
	waudit, _ := warning["audit"].([]any)
	if warning["status"] != "ended" || warning["endedAt"] != "2027-11-02T09:00:00Z" || len(waudit) != 2 ||
		waudit[1].(map[string]any)["action"] != "sanction.ended" {
		t.Errorf("warning a year on = %v, want it ended by itself with the end in its audit trail", warning)
	}
}

func TestSanctionInputIsChecked(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, path string
		body       map[string]any
		status     int
		field      string
	}{
		{"short note", "/v1/compliance/businesses/biz-1/warnings", map[string]any{"note": "too short"}, 422, "note"},
		{"past until", "/v1/compliance/businesses/biz-1/suspensions", map[string]any{"note": "Repeated unfounded reports.", "until": "2026-11-01T00:00:00Z"}, 422, "until"},
		{"too long", "/v1/compliance/businesses/biz-1/suspensions", map[string]any{"note": "Repeated unfounded reports.", "until": "2028-01-01T00:00:00Z"}, 422, "until"},
		{"bad until", "/v1/compliance/businesses/biz-1/suspensions", map[string]any{"note": "Repeated unfounded reports.", "until": "soon"}, 422, "until"},
		{"short note and bad until", "/v1/compliance/businesses/biz-1/suspensions", map[string]any{"note": "short", "until": "soon"}, 422, "note,until"},
		{"short note and past until", "/v1/compliance/businesses/biz-1/suspensions", map[string]any{"note": "short", "until": "2026-11-01T00:00:00Z"}, 422, "note,until"},
		{"no business", "/v1/compliance/businesses/biz-9/warnings", map[string]any{"note": "Repeated unfounded reports."}, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.call("POST", c.path, e.compliance, c.body)
			if r.status != c.status {
				t.Fatalf("status = %d %s, want %d", r.status, r.raw, c.status)
			}
			for _, f := range strings.Split(c.field, ",") {
				if _, ok := r.fields()[f]; f != "" && !ok {
					t.Errorf("fields = %v, want %q", r.fields(), f)
				}
			}
		})
	}
	if r := e.call("POST", "/v1/compliance/businesses/biz-1/warnings", e.biz1, map[string]any{"note": "Repeated unfounded reports."}); r.status != http.StatusForbidden {
		t.Errorf("a business warns = %d", r.status)
	}
	if n := e.countType("sanction"); n != 0 {
		t.Errorf("sanctions after refused input = %d", n)
	}
}

// TestSanctionWhoseStartFailedIsStartedBySweeper: Step Functions refuses the
// sanction's StartExecution; the warning is recorded anyway (201), and the
// sweeper starts its workflow, which emails the business and keeps its end.
func TestSanctionWhoseStartFailedIsStartedBySweeper(t *testing.T) {
	fail := &startFailures{n: 1}
	e := newEnv(t, func(c *stack.Config) { c.FunctionOptions = append(c.FunctionOptions, fail.middleware) })
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/warnings", e.compliance,
		map[string]any{"note": "Reported 9 reviews in a week; 8 were reinstated as not breaking the guidelines."})
	if m := e.mailsTo(businessAddr); len(m) != 0 {
		t.Fatalf("business emails with the start refused = %v, want none yet", subjects(m))
	}
	e.s.Advance(2 * time.Minute)
	if m := e.mailsTo(businessAddr); len(m) != 1 || !strings.Contains(m[0].Subject, "warning") {
		t.Fatalf("business emails after the sweeper = %v, want the warning", subjects(m))
	}
	if x := e.execution(stack.SanctionMachine, e.onlySanctionID()); x.Status != sfntypes.ExecutionStatusRunning {
		t.Errorf("the sanction's workflow is %s, want RUNNING until the warning lapses", x.Status)
	}
}

// onlySanctionID is the id of biz-1's one sanction.
func (e *env) onlySanctionID() string {
	e.t.Helper()
	list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", e.compliance, nil)
	items := list.body["items"].([]any)
	if len(items) != 1 {
		e.t.Fatalf("sanctions = %s, want one", list.raw)
	}
	return items[0].(map[string]any)["id"].(string)
}

// TestExtendedSuspensionReopensOnlyAtItsEnd: a second suspension with a
// later until extends the block. When the first one ends, it is recorded as
// ended, but the business is not told it can report again — it cannot; the
// reopening email comes when the second ends, and reports are accepted only
// then.
func TestExtendedSuspensionReopensOnlyAtItsEnd(t *testing.T) {
	e := newEnv(t)
	const day = 24 * time.Hour
	for _, until := range []string{"2026-11-12T09:00:00Z", "2026-11-22T09:00:00Z"} {
		e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
			map[string]any{"until": until, "note": "Kept reporting reinstated reviews after the warning."})
	}
	reopened := func() int {
		n := 0
		for _, m := range e.mailsTo(businessAddr) {
			if strings.Contains(m.Subject, "report reviews again") {
				n++
			}
		}
		return n
	}
	e.s.Advance(10 * day)
	e.s.Settle()
	list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", e.compliance, nil)
	if first := list.body["items"].([]any)[0].(map[string]any); first["status"] != "ended" || first["endedAt"] != "2026-11-12T09:00:00Z" {
		t.Errorf("first suspension after its until = %v, want ended", first)
	}
	if n := reopened(); n != 0 {
		t.Errorf("reopening emails while the second suspension holds = %d, want 0", n)
	}
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()); r.status != http.StatusConflict ||
		r.body["error"].(map[string]any)["until"] != "2026-11-22T09:00:00Z" {
		t.Fatalf("report between the two ends = %d %s, want 409 until the second's end", r.status, r.raw)
	}
	e.s.Advance(10 * day)
	e.s.Settle()
	if n := reopened(); n != 1 {
		t.Errorf("reopening emails after the second end = %d, want 1", n)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
}

// TestLiftEndsASanctionAtOnceAndTellsTheBusinessOnce: an agent lifts a
// suspension (a mistake, or the business's objection upheld): reports are
// accepted at once, the business is emailed once that it can report again —
// not again when the original until passes — and the trail says who lifted
// it and why. A withdrawn warning is emailed as withdrawn. An ended
// sanction cannot be lifted, and a bad note changes nothing.
func TestLiftEndsASanctionAtOnceAndTellsTheBusinessOnce(t *testing.T) {
	e := newEnv(t)
	const day = 24 * time.Hour
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	w := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/warnings", e.compliance,
		map[string]any{"note": "Reported 9 reviews in a week; 8 were reinstated as not breaking the guidelines."})
	s := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": "2026-11-22T09:00:00Z", "note": "Kept reporting reinstated reviews after the warning."})
	sid, wid := s.body["id"].(string), w.body["id"].(string)
	lift := func(id, note string) response {
		return e.call("POST", "/v1/compliance/businesses/biz-1/sanctions/"+id+"/lift", bob, map[string]any{"note": note})
	}
	count := func(subject string) int {
		n := 0
		for _, m := range e.mailsTo(businessAddr) {
			if strings.Contains(m.Subject, subject) {
				n++
			}
		}
		return n
	}

	before := e.snapshot()
	if r := lift(sid, "short"); r.status != http.StatusUnprocessableEntity || r.fields()["note"] == "" {
		t.Errorf("lift with a short note = %d %s", r.status, r.raw)
	}
	if e.snapshot() != before {
		t.Error("a refused lift changed the table")
	}
	if r := lift("snc_00000000000000000000000000000000", "The business objected and was right."); r.status != http.StatusNotFound {
		t.Errorf("lift of an unknown sanction = %d", r.status)
	}

	e.s.Advance(2 * day)
	l := lift(sid, "The business showed the reviews were fake; the reports were founded.")
	audit, _ := l.body["audit"].([]any)
	if l.status != http.StatusOK || l.body["status"] != "ended" || l.body["liftedBy"] != "agent:"+agent2 || l.body["endedAt"] != "2026-11-04T09:00:00Z" ||
		len(audit) != 2 || audit[1].(map[string]any)["action"] != "sanction.lifted" {
		t.Fatalf("lift = %d %s", l.status, l.raw)
	}
	e.s.Settle()
	if n := count("report reviews again"); n != 1 {
		t.Errorf("reopening emails after the lift = %d, want 1", n)
	}
	if own := e.mustStatus(http.StatusOK, "GET", "/v1/reporting", e.biz1, nil).body; own["canReport"] != true || own["suspension"] != nil {
		t.Errorf("standing after the lift = %v", own)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if r := lift(sid, "Lifting it again by mistake."); r.status != http.StatusConflict || r.errorCode() != "sanction_not_active" {
		t.Errorf("second lift = %d %s", r.status, r.raw)
	}

	wl := lift(wid, "Compliance warned the wrong business.")
	if wl.status != http.StatusOK || wl.body["status"] != "ended" {
		t.Fatalf("warning lift = %d %s", wl.status, wl.raw)
	}
	e.s.Settle()
	if n := count("withdrawn"); n != 1 {
		t.Errorf("withdrawal emails = %d, want 1", n)
	}

	// The original ends pass by without telling the business again.
	e.s.Advance(400 * day)
	e.s.Settle()
	if r, w := count("report reviews again"), count("withdrawn"); r != 1 || w != 1 {
		t.Errorf("emails after the original ends = %d reopened, %d withdrawn, want 1 each", r, w)
	}
	agent := e.s.Token("agent-ada", "compliance", "", time.Hour)
	list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", agent, nil)
	for _, it := range list.body["items"].([]any) {
		m := it.(map[string]any)
		if a := m["audit"].([]any); len(a) != 2 || m["status"] != "ended" {
			t.Errorf("sanction %v after its original end, want ended once, by the lift", m)
		}
	}
}

// TestLiftingOneOfTwoSuspensionsKeepsTheOther: lifting the longer of two
// suspensions lowers the block to the shorter's end, not to nothing; lifting
// the last one opens reporting.
func TestLiftingOneOfTwoSuspensionsKeepsTheOther(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for _, until := range []string{"2026-11-12T09:00:00Z", "2026-11-22T09:00:00Z"} {
		r := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
			map[string]any{"until": until, "note": "Kept reporting reinstated reviews after the warning."})
		ids = append(ids, r.body["id"].(string))
	}
	refusedUntil := func() any {
		r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
		if r.status != http.StatusConflict {
			return r.status
		}
		return r.body["error"].(map[string]any)["until"]
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/businesses/biz-1/sanctions/"+ids[1]+"/lift", e.compliance,
		map[string]any{"note": "The longer suspension was a typo in the date."})
	if got := refusedUntil(); got != "2026-11-12T09:00:00Z" {
		t.Errorf("report after lifting the longer = %v, want refused until the shorter's end", got)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/businesses/biz-1/sanctions/"+ids[0]+"/lift", e.compliance,
		map[string]any{"note": "The business's objection was upheld."})
	if got := refusedUntil(); got != http.StatusAccepted {
		t.Errorf("report after lifting both = %v, want accepted", got)
	}
}
