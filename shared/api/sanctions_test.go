package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
)

// A suspension blocks the business's reports (409 reporting_suspended with
// until) and turns canReport off until its until passes; then reports are
// accepted again. Nothing else of the business changes.
func TestSuspensionBlocksReportsUntilItEnds(t *testing.T) {
	e := newEnv(t)
	const day = 24 * time.Hour
	w := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/warnings", e.compliance,
		map[string]any{"note": "Reported 9 reviews in a week; 8 were reinstated as not breaking the guidelines."})
	wv := decode[api.SanctionView](t, w)
	if wv.Kind != "warning" || wv.Status != "active" || wv.Until != "2027-11-02T09:00:00Z" {
		t.Errorf("warning: kind %q status %q until %q, want an active warning until 2027-11-02T09:00:00Z", wv.Kind, wv.Status, wv.Until)
	}
	if m := e.mailsTo(businessAddr); len(m) != 1 || !strings.Contains(m[0].Subject, "warning") ||
		!strings.Contains(m[0].Text, "8 were reinstated") || !strings.Contains(m[0].Text, "out-of-court") || strings.Contains(m[0].Text, "reply to this email") {
		t.Fatalf("business emails after the warning = %v, want the warning with the facts and how to object", subjects(m))
	}
	// A warning alone does not block reporting.
	if rev := e.review("rev-invited", e.biz1); !rev.CanReport {
		t.Errorf("review after a warning: canReport false, want true")
	}

	until := "2026-11-12T09:00:00Z"
	s := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": until, "note": "Kept reporting reinstated reviews after the warning of 2 November."})
	sv := decode[api.SanctionView](t, s)
	if sv.Kind != "suspension" || sv.Until != until {
		t.Errorf("suspension: kind %q until %q, want a suspension until %s", sv.Kind, sv.Until, until)
	}

	if m := e.mailsTo(businessAddr); len(m) != 2 || !strings.Contains(m[1].Subject, "suspended") ||
		!strings.Contains(m[1].Text, "12 November 2026, 09:00 GMT (09:00 UTC)") || !strings.Contains(m[1].Text, "after the warning of 2 November") {
		t.Fatalf("business emails after the suspension = %v, want the suspension with its end and the facts", subjects(m))
	}
	r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if r.status != http.StatusConflict || r.errorCode() != "reporting_suspended" || r.until() != until {
		t.Fatalf("report while suspended = %d %s, want 409 reporting_suspended with %s", r.status, r.raw, until)
	}
	rev := e.review("rev-organic", e.biz1)
	if rev.CanReport || rev.Visibility != "published" {
		t.Errorf("review while suspended: canReport %v visibility %q, want false, published", rev.CanReport, rev.Visibility)
	}
	if ref := rev.ReportRefusal; ref == nil || ref.Code != "reporting_suspended" || ref.Until != until {
		t.Errorf("report refusal while suspended = %+v, want reporting_suspended until %s", ref, until)
	}
	// Another business reports as before.
	if other := e.review("rev-biz2", e.biz2); !other.CanReport {
		t.Errorf("another business's review: canReport false, want true")
	}
	// The business reads its own standing: the suspension and the warning
	// with the facts it was emailed; another business sees none of them.
	own, raw := e.standing(e.biz1)
	if own.CanReport || own.Suspension == nil || own.Warning == nil || own.Limits.ReportsPerHour != 30 {
		t.Fatalf("own standing while suspended = %s, want the suspension, the warning, 30 reports an hour", raw)
	}
	if own.Suspension.Until != until || own.Suspension.ID != sv.ID || own.Warning.ID != wv.ID || !strings.Contains(own.Warning.Note, "8 were reinstated") {
		t.Errorf("own standing while suspended = %s, want suspension %s until %s and warning %s with its facts", raw, sv.ID, until, wv.ID)
	}
	if o, raw := e.standing(e.biz2); !o.CanReport || o.Suspension != nil || o.Warning != nil {
		t.Errorf("another business's standing = %s, want open, no sanctions", raw)
	}

	// The block is never lowered: a suspension ending before the one in
	// force is refused and changes nothing.
	shorter := e.call("POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": "2026-11-05T09:00:00Z", "note": "A shorter suspension by mistake."})
	if shorter.status != http.StatusUnprocessableEntity || !strings.Contains(shorter.raw, `"until"`) || !strings.Contains(shorter.raw, until) {
		t.Errorf("shorter suspension = %d %s, want 422 on until naming the end in force", shorter.status, shorter.raw)
	}
	if list, raw := e.sanctionList("biz-1"); len(list.Items) != 2 {
		t.Errorf("sanctions after the refused one = %s, want the warning and the suspension only", raw)
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
	if rev := e.review("rev-organic", e.biz1); !rev.CanReport {
		t.Errorf("review after until: canReport false, want true")
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if own, raw := e.standing(e.biz1); !own.CanReport || own.Suspension != nil || own.Warning == nil {
		t.Errorf("own standing after until = %s, want reporting open and the warning still in force", raw)
	}

	list, raw := e.sanctionList("biz-1")
	if len(list.Items) != 2 {
		t.Fatalf("sanctions = %s, want the warning and the suspension", raw)
	}
	susp := list.Items[1]
	if susp.Kind != "suspension" || susp.Status != "ended" || susp.EndedAt != until || len(susp.Audit) != 2 ||
		susp.Audit[1].Action != "sanction.ended" || susp.Audit[1].Actor != "system" {
		t.Errorf("suspension after until = %+v, want it ended by itself with the end in its audit trail", susp)
	}
	if list.Items[0].Status != "active" {
		t.Errorf("warning after 10 days = %+v, want active", list.Items[0])
	}

	// The warning lapses by itself a year after it was given.
	e.s.Advance(355 * day)
	e.s.Settle()
	agent := e.s.Token("agent-ada", "compliance", "", time.Hour) // an hour of real time is enough however far the clock moved
	lr := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", agent, nil)
	list = decode[api.SanctionListView](t, lr)
	if len(list.Items) != 2 {
		t.Fatalf("sanctions a year on = %s, want the warning and the suspension", lr.raw)
	}
	if warning := list.Items[0]; warning.Status != "ended" || warning.EndedAt != "2027-11-02T09:00:00Z" || len(warning.Audit) != 2 ||
		warning.Audit[1].Action != "sanction.ended" {
		t.Errorf("warning a year on = %+v, want it ended by itself with the end in its audit trail", warning)
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
	list, raw := e.sanctionList("biz-1")
	if len(list.Items) != 1 {
		e.t.Fatalf("sanctions = %s, want one", raw)
	}
	return list.Items[0].ID
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
	if list, raw := e.sanctionList("biz-1"); len(list.Items) != 2 || list.Items[0].Status != "ended" || list.Items[0].EndedAt != "2026-11-12T09:00:00Z" {
		t.Errorf("sanctions after the first until = %s, want the first ended at 2026-11-12T09:00:00Z", raw)
	}
	if n := reopened(); n != 0 {
		t.Errorf("reopening emails while the second suspension holds = %d, want 0", n)
	}
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()); r.status != http.StatusConflict ||
		r.until() != "2026-11-22T09:00:00Z" {
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
	sid, wid := decode[api.SanctionView](t, s).ID, decode[api.SanctionView](t, w).ID
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
	if r := lift(sid, "short"); !r.refusesField(http.StatusUnprocessableEntity, "note") {
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
	if l.status != http.StatusOK {
		t.Fatalf("lift = %d %s", l.status, l.raw)
	}
	if lv := decode[api.SanctionView](t, l); lv.Status != "ended" || lv.LiftedBy != "agent:"+agent2 || lv.EndedAt != "2026-11-04T09:00:00Z" ||
		len(lv.Audit) != 2 || lv.Audit[1].Action != "sanction.lifted" {
		t.Fatalf("lift = %s, want ended on 2026-11-04 by agent:%s with sanction.lifted in its trail", l.raw, agent2)
	}
	e.s.Settle()
	if n := count("report reviews again"); n != 1 {
		t.Errorf("reopening emails after the lift = %d, want 1", n)
	}
	if own, raw := e.standing(e.biz1); !own.CanReport || own.Suspension != nil {
		t.Errorf("standing after the lift = %s, want reporting open", raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if r := lift(sid, "Lifting it again by mistake."); r.status != http.StatusConflict || r.errorCode() != "sanction_not_active" {
		t.Errorf("second lift = %d %s", r.status, r.raw)
	}

	wl := lift(wid, "Compliance warned the wrong business.")
	if wl.status != http.StatusOK || decode[api.SanctionView](t, wl).Status != "ended" {
		t.Fatalf("warning lift = %d %s, want it ended", wl.status, wl.raw)
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
	list := decode[api.SanctionListView](t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/sanctions", agent, nil))
	if len(list.Items) != 2 {
		t.Fatalf("sanctions = %+v, want the warning and the suspension", list.Items)
	}
	for _, sn := range list.Items {
		if len(sn.Audit) != 2 || sn.Status != "ended" || sn.Audit[1].Action != "sanction.lifted" {
			t.Errorf("sanction %+v after its original end, want ended once, by the lift", sn)
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
		ids = append(ids, decode[api.SanctionView](t, r).ID)
	}
	refusedUntil := func() any {
		r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
		if r.status != http.StatusConflict {
			return r.status
		}
		return r.until()
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

// review is a review with what its business may do, as the business reads it.
func (e *env) review(id, token string) api.ReviewDetailView {
	e.t.Helper()
	return decode[api.ReviewDetailView](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/"+id, token, nil))
}

// standing is the business's own reporting standing.
func (e *env) standing(token string) (api.StandingView, string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/reporting", token, nil)
	return decode[api.StandingView](e.t, r), r.raw
}
