package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/clock"
)

func TestReportHidesReviewAndQueuesIt(t *testing.T) {
	e := newEnv(t)
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	rv := decode[api.ReportView](t, r)
	id := rv.ID
	if rv.Status != "in_queue" || rv.Outcome != nil || rv.ReviewID != "rev-organic" || rv.ReviewVersion != 1 {
		t.Errorf("report: status %q outcome %v review %q version %d, want in_queue, null, rev-organic, 1", rv.Status, rv.Outcome, rv.ReviewID, rv.ReviewVersion)
	}
	if got := r.header.Get("Location"); got != "/v1/reports/"+id {
		t.Errorf("Location = %q", got)
	}
	if missing := r.missingKeys("id", "reviewId", "reviewVersion", "status", "outcome", "items", "publicStatement", "createdAt", "timeline"); len(missing) != 0 {
		t.Errorf("report lacks %v: %s", missing, r.raw)
	}
	if rv.CreatedAt != "2026-11-02T09:00:00Z" {
		t.Errorf("createdAt = %q, want the stack clock's time in RFC 3339 UTC", rv.CreatedAt)
	}

	rev := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil))
	if rev.Visibility != "under_investigation" || deref(rev.OpenReportID) != id || rev.CanReport {
		t.Errorf("review after report: visibility %q open report %q canReport %v, want under_investigation, %s, false", rev.Visibility, deref(rev.OpenReportID), rev.CanReport, id)
	}
	pub, pubRaw := e.publicReview("rev-organic")
	st := pub.PublicStatementView
	if pub.Visibility != "under_investigation" || pub.Review != nil || st == nil {
		t.Fatalf("public view = %s, want the business's statement in the review's place", pubRaw)
	}
	if want := validReport()["publicStatement"]; st.PublicStatement != want || st.BusinessName != "Acme Coffee" || st.ReportedAt != "2026-11-02T09:00:00Z" {
		t.Errorf("public statement = %+v, want %q by Acme Coffee at 2026-11-02T09:00:00Z", *st, want)
	}
	if strings.Contains(pubRaw, "crook") {
		t.Errorf("public view of a hidden review shows its text: %s", pubRaw)
	}
	if got, raw := e.reportView(id); got.ID != id || len(got.Timeline) != 1 {
		t.Errorf("GET report = %s, want %s with one timeline entry", raw, id)
	}
	if e.countType("ticket") != 1 {
		t.Errorf("tickets = %d, want 1 open ticket", e.countType("ticket"))
	}
	list := decode[api.ListView[api.ReportView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reports?status=in_queue", e.biz1, nil))
	if len(list.Items) != 1 || list.Items[0].ID != id || list.NextCursor != nil {
		t.Errorf("list = %+v, want the report alone, no next page", list)
	}
	if other := decode[api.ListView[api.ReportView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reports", e.biz2, nil)); len(other.Items) != 0 {
		t.Errorf("another business sees reports: %+v", other.Items)
	}
}

func TestHarmfulOnlyPolicyLeavesOtherReportsOnline(t *testing.T) {
	e := newEnv(t, func(c *stack.Config) { c.HidePolicy = "harmful_only" })
	body := map[string]any{"items": []any{map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}},
		"publicStatement": "This text is copied from elsewhere."}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, body)
	if pub, raw := e.publicReview("rev-organic"); pub.Visibility != "published" || pub.Review == nil || pub.Report == nil ||
		pub.Report.PublicStatement != "This text is copied from elsewhere." {
		t.Errorf("public view = %s, want the review online with the business's statement", raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
		"items":           []any{map[string]any{"scope": "content", "reason": "offensive_or_harmful", "details": "Calls the owner a crook, which is defamatory.", "excerpt": "crook"}},
		"publicStatement": "The accusation is false.",
	})
	if pub, raw := e.publicReview("rev-other"); pub.Visibility != "under_investigation" {
		t.Errorf("harmful report did not hide: %s", raw)
	}
}

func TestRefusedReportsChangeNothing(t *testing.T) {
	item := func(scope, reason, details, excerpt string) map[string]any {
		m := map[string]any{"scope": scope, "reason": reason, "details": details}
		if excerpt != "" {
			m["excerpt"] = excerpt
		}
		return m
	}
	long := "Calls the owner a crook, which is defamatory."
	report := func(items ...map[string]any) map[string]any {
		is := make([]any, len(items))
		for i, it := range items {
			is[i] = it
		}
		return map[string]any{"items": is, "publicStatement": "We have no record of this order at all."}
	}
	cases := []struct {
		name   string
		review string
		token  func(*env) string
		body   any
		ctype  string
		status int
		code   string
		field  string
	}{
		{"malformed json", "rev-organic", (*env).b1, `{"items": [`, "", 400, "malformed_request", ""},
		{"unknown field", "rev-organic", (*env).b1, `{"items":[],"publicStatement":"x","severity":3}`, "", 400, "malformed_request", "severity"},
		{"unknown nested field", "rev-organic", (*env).b1, `{"items":[{"scope":"review","reason":"spam","details":"x","color":1}],"publicStatement":"x"}`, "", 400, "malformed_request", "items[0].color"},
		{"wrong type", "rev-organic", (*env).b1, `{"items":[{"scope":"review","reason":"spam","details":42}],"publicStatement":"x"}`, "", 400, "malformed_request", "items[0].details"},
		{"body over 64 KiB", "rev-organic", (*env).b1, `{"publicStatement":"` + strings.Repeat("a", 64<<10) + `"}`, "", 413, "payload_too_large", ""},
		{"wrong content type", "rev-organic", (*env).b1, validReport(), "text/plain", 415, "unsupported_media_type", ""},
		{"no items", "rev-organic", (*env).b1, report(), "", 422, "validation_failed", "items"},
		{"reason of another scope", "rev-organic", (*env).b1, report(item("content", "spam", long, "crook")), "", 422, "validation_failed", "items[0].reason"},
		{"unknown scope", "rev-organic", (*env).b1, report(item("business", "spam", long, "")), "", 422, "validation_failed", "items[0].scope"},
		{"duplicate reason", "rev-organic", (*env).b1, report(item("review", "spam", long, ""), item("review", "spam", long, "")), "", 422, "validation_failed", "items[1].reason"},
		{"details too short", "rev-organic", (*env).b1, report(item("review", "spam", "too short", "")), "", 422, "validation_failed", "items[0].details"},
		{"excerpt not in review", "rev-organic", (*env).b1, report(item("content", "offensive_or_harmful", long, "a thief")), "", 422, "validation_failed", "items[0].excerpt"},
		{"excerpt missing", "rev-organic", (*env).b1, report(item("content", "promotional", long, "")), "", 422, "validation_failed", "items[0].excerpt"},
		{"statement too short", "rev-organic", (*env).b1, map[string]any{"items": []any{item("review", "spam", long, "")}, "publicStatement": "No."}, "", 422, "validation_failed", "publicStatement"},
		{"not genuine on platform-invited", "rev-invited", (*env).b1, report(item("reviewer", "no_genuine_experience", long, "")), "", 422, "validation_failed", "items[0].reason"},
		{"not genuine before find reviewer", "rev-organic", (*env).b1, report(item("reviewer", "no_genuine_experience", long, "")), "", 409, "find_reviewer_required", "items[0].reason"},
		{"another business's review", "rev-biz2", (*env).b1, validReport(), "", 404, "not_found", ""},
		{"unknown review", "rev-nope", (*env).b1, validReport(), "", 404, "not_found", ""},
		{"no token", "rev-organic", func(*env) string { return "" }, validReport(), "", 401, "unauthorized", ""},
		{"compliance role", "rev-organic", func(e *env) string { return e.compliance }, validReport(), "", 403, "forbidden", ""},
		{"platform role", "rev-organic", func(e *env) string { return e.platform }, validReport(), "", 403, "forbidden", ""},
		{"forged token", "rev-organic", func(e *env) string { return forge(e.b1()) }, validReport(), "", 401, "unauthorized", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			before := e.snapshot()
			var hdr []string
			if tc.ctype != "" {
				hdr = []string{"Content-Type", tc.ctype}
			}
			r := e.call("POST", "/v1/reviews/"+tc.review+"/reports", tc.token(e), tc.body, hdr...)
			if r.status != tc.status || r.errorCode() != tc.code {
				t.Fatalf("got %d %s, want %d %s; body %s", r.status, r.errorCode(), tc.status, tc.code, r.raw)
			}
			if tc.field != "" {
				if _, ok := r.fields()[tc.field]; !ok {
					t.Errorf("fields %v lack %q", r.fields(), tc.field)
				}
			}
			if after := e.snapshot(); after != before {
				t.Errorf("a refused report changed the table:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func (e *env) b1() string { return e.biz1 }

// forge re-signs nothing: it swaps the payload of a valid token, so the signature no longer matches.
func forge(tok string) string {
	parts := strings.Split(tok, ".")
	return parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]
}

// A token expires in real time, as API Gateway checks it: moving the
// stack's clock does not expire it, real time passing its exp does.
func TestExpiredTokenIsRefused(t *testing.T) {
	wall := clock.NewManual(time.Now())
	e := newEnv(t, func(c *stack.Config) { c.WallClock = wall })
	tok := e.s.Token("owner-1", "business", "biz-1", time.Minute)
	e.mustStatus(http.StatusOK, "GET", "/v1/reviews", tok, nil)
	e.s.Advance(30 * 24 * time.Hour)
	e.mustStatus(http.StatusOK, "GET", "/v1/reviews", tok, nil)
	wall.Advance(time.Minute + gateway.Leeway + time.Second)
	if r := e.call("GET", "/v1/reviews", tok, nil); r.status != 401 || r.errorCode() != "unauthorized" {
		t.Errorf("expired token: %d %s", r.status, r.raw)
	}
}

func TestSecondReportOnSameVersionAndAfterEdit(t *testing.T) {
	e := newEnv(t)
	first := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()); r.status != 409 || r.errorCode() != "report_open" {
		t.Fatalf("second report while open: %d %s", r.status, r.raw)
	}
	// The reviewer edits: a new version, but the report on version 1 is still open.
	e.putReview("rev-organic", "biz-1", "organic", 2)
	edited := map[string]any{
		"items":           []any{map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}},
		"publicStatement": "This text is copied from elsewhere.",
	}
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, edited); r.status != 409 || r.errorCode() != "report_open" {
		t.Fatalf("report on the new version while the old report is open: %d %s", r.status, r.raw)
	}
	// Once the report closes (reinstated), the new version can be reported once.
	closeReport(t, e, decode[api.ReportView](t, first).ID, "reinstated")
	second := decode[api.ReportView](t, e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, edited))
	if second.ReviewVersion != 2 {
		t.Errorf("second report on version %d, want 2", second.ReviewVersion)
	}
	closeReport(t, e, second.ID, "reinstated")
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, edited); r.status != 409 || r.errorCode() != "already_reported" {
		t.Fatalf("report on an already reported version: %d %s", r.status, r.raw)
	}
	// A removed review cannot be reported, even after an edit.
	e.putReview("rev-organic", "biz-1", "organic", 3)
	third := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, edited)
	closeReport(t, e, decode[api.ReportView](t, third).ID, "removed")
	e.putReview("rev-organic", "biz-1", "organic", 4)
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, edited); r.status != 409 || r.errorCode() != "review_removed" {
		t.Fatalf("report on a removed review: %d %s", r.status, r.raw)
	}
	if pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/rev-organic", "", nil); pub.raw != `{"visibility":"removed"}`+"\n" && pub.raw != `{"visibility":"removed"}` {
		t.Errorf("public view of a removed review = %s", pub.raw)
	}
}

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	e := newEnv(t)
	first := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport(), "Idempotency-Key", "report-rev-organic-1")
	if first.status != 202 {
		t.Fatalf("first: %d %s", first.status, first.raw)
	}
	again := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport(), "Idempotency-Key", "report-rev-organic-1")
	if again.status != 202 || again.raw != first.raw {
		t.Errorf("replay: %d %s, want the first response %s", again.status, again.raw, first.raw)
	}
	if n := e.countType("report"); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
	other := validReport()
	other["publicStatement"] = "A different statement than the first one."
	before := e.snapshot()
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, other, "Idempotency-Key", "report-rev-organic-1"); r.status != 422 || r.errorCode() != "idempotency_key_reused" {
		t.Errorf("reuse with another body: %d %s", r.status, r.raw)
	}
	if e.snapshot() != before {
		t.Error("reusing a key changed the table")
	}
	// The same key from another business is another key.
	if r := e.call("POST", "/v1/reviews/rev-biz2/reports", e.biz2, validReportFor("rev-biz2"), "Idempotency-Key", "report-rev-organic-1"); r.status != 202 {
		t.Errorf("another business's key collided: %d %s", r.status, r.raw)
	}
}

func validReportFor(string) map[string]any { return validReport() }

func TestConcurrentReportsThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	const n = 6
	statuses := make(chan int, n)
	for range n {
		go func() { statuses <- e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()).status }()
	}
	got := map[int]int{}
	for range n {
		got[<-statuses]++
	}
	if got[202] != 1 || got[409] != n-1 {
		t.Errorf("statuses %v, want one 202 and %d 409s", got, n-1)
	}
	if c := e.countType("report"); c != 1 {
		t.Errorf("%d reports stored, want 1", c)
	}
}

func TestReportListPaginationAndSummary(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		id := fmt.Sprintf("rev-page-%d", i)
		e.putReview(id, "biz-1", "organic", 1)
		e.s.Advance(time.Minute)
		e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/"+id+"/reports", e.biz1, validReport())
	}
	var seen []string
	cursor := ""
	for page := 0; page < 10; page++ {
		path := "/v1/reports?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		page := decode[api.ListView[api.ReportView]](t, e.mustStatus(http.StatusOK, "GET", path, e.biz1, nil))
		for _, rv := range page.Items {
			seen = append(seen, rv.ReviewID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if want := "[rev-page-4 rev-page-3 rev-page-2 rev-page-1 rev-page-0]"; fmt.Sprint(seen) != want {
		t.Errorf("pages = %v, want newest first %s", seen, want)
	}
	for _, bad := range []string{"/v1/reports?limit=0", "/v1/reports?limit=101", "/v1/reports?limit=x", "/v1/reports?cursor=forged", "/v1/reports?status=open"} {
		if r := e.call("GET", bad, e.biz1, nil); r.status != 422 {
			t.Errorf("GET %s: %d %s, want 422", bad, r.status, r.raw)
		}
	}
	// Another business's cursor is refused, not followed.
	first := decode[api.ListView[api.ReportView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reports?limit=1", e.biz1, nil))
	if first.NextCursor == nil {
		t.Fatalf("the first of five reports has no next page")
	}
	if bad := e.call("GET", "/v1/reports?limit=1&cursor="+*first.NextCursor, e.biz2, nil); bad.status != 422 {
		t.Errorf("foreign cursor: %d %s", bad.status, bad.raw)
	}
	sr := e.mustStatus(http.StatusOK, "GET", "/v1/reports/summary", e.biz1, nil)
	s := decode[api.SummaryView](t, sr)
	// Zero counts are listed too: the keys must be there, not just read as 0.
	_, closedListed := s.ByStatus["closed"]
	_, competitorListed := s.ByReason["competitor"]
	_, fiveListed := s.ByStars["5"]
	if s.Total != 5 || s.ByStatus["in_queue"] != 5 || s.ByStatus["closed"] != 0 || !closedListed || s.ByReason["offensive_or_harmful"] != 5 ||
		s.ByReason["spam"] != 5 || s.ByReason["competitor"] != 0 || !competitorListed || s.ByStars["1"] != 5 || s.ByStars["5"] != 0 || !fiveListed {
		t.Errorf("summary = %s, want 5 in queue, 5 each for offensive_or_harmful and spam, 5 one-star, zeros listed", sr.raw)
	}
	if other := decode[api.SummaryView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reports/summary", e.biz2, nil)); other.Total != 0 {
		t.Errorf("another business's summary total = %d, want 0", other.Total)
	}
}

// TestReplayWhoseResponseWasNeverStored: the process stopped between the
// change and storing its response with the key (simulated by taking the
// response off the record). The replay still changes nothing and answers
// with the route's status and the object the first request made.
func TestReplayWhoseResponseWasNeverStored(t *testing.T) {
	e := newEnv(t)
	first := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport(), "Idempotency-Key", "lost-response")
	if first.status != 202 {
		t.Fatalf("first: %d %s", first.status, first.raw)
	}
	var key map[string]types.AttributeValue // the one idempotency record (its partition key is a hash)
	for _, it := range e.scan() {
		if s, ok := it["type"].(*types.AttributeValueMemberS); ok && s.Value == "idempotency" {
			if key != nil {
				t.Fatal("more than one idempotency record")
			}
			key = map[string]types.AttributeValue{"PK": it["PK"], "SK": it["SK"]}
		}
	}
	if _, err := e.s.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{TableName: aws.String(e.s.Table), Key: key,
		UpdateExpression: aws.String("SET #s = :zero"), ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":zero": &types.AttributeValueMemberN{Value: "0"}},
		ConditionExpression:       aws.String("attribute_exists(PK)")}); err != nil {
		t.Fatalf("take the response off the record: %v", err)
	}
	before := e.snapshot()
	again := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport(), "Idempotency-Key", "lost-response")
	firstID := decode[api.ReportView](t, first).ID
	if again.status != 202 || again.header.Get("Idempotent-Replayed") != "true" || decode[api.ReportView](t, again).ID != firstID {
		t.Fatalf("replay: %d %s (replayed %q), want 202 with report %s", again.status, again.raw, again.header.Get("Idempotent-Replayed"), firstID)
	}
	if e.snapshot() != before {
		t.Error("the replay changed the table")
	}
	if n := e.countType("report"); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
}

// TestReplayOfAnUnstoredResponseHasTheRoutesShape: when the change of a
// POST with an Idempotency-Key commits but its response cannot be stored
// (every UpdateItem that would store it fails), sending the POST again with
// the key answers the route's status and shape (the contract checks every
// exchange), marked Idempotent-Replayed, and changes nothing more — a claim
// too, though claiming again what one holds would itself be harmless.
func TestReplayOfAnUnstoredResponseHasTheRoutesShape(t *testing.T) {
	e := newEnv(t)
	bob := e.s.Token(agent2, "compliance", "", 365*24*time.Hour)
	var rep, tkt, apl string
	steps := []struct {
		name, path, token string
		body              any
		status            int
		after             func(response)
	}{
		{"report", "/v1/reviews/rev-organic/reports", e.biz1, validReport(), 202, func(r response) {
			rep = decode[api.ReportView](t, r).ID
			tkt = e.ticketOf(rep)
			apl = "apl_" + strings.TrimPrefix(rep, "rpt_")
		}},
		{"claim", "/v1/compliance/tickets/{tkt}/claim", e.compliance, nil, 200, nil},
		{"decision", "/v1/compliance/tickets/{tkt}/decision", e.compliance,
			map[string]any{"outcome": "reinstate", "note": "An opinion about the service, not defamation."}, 202, nil},
		{"business appeal", "/v1/reports/{rep}/appeals", e.biz1, map[string]any{"reason": "The review accuses our owner of a crime."}, 201, nil},
		{"appeal claim", "/v1/compliance/appeals/{apl}/claim", bob, nil, 200, nil},
		{"appeal decision", "/v1/compliance/appeals/{apl}/decision", bob, map[string]any{"outcome": "uphold", "note": "An opinion about the service."}, 202, nil},
		{"warning", "/v1/compliance/businesses/biz-1/warnings", e.compliance, map[string]any{"note": "Reported a review that broke no guideline."}, 201, nil},
		{"suspension", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
			map[string]any{"until": "2026-12-01T09:00:00Z", "note": "Reported again after the warning."}, 201, nil},
	}
	for i, s := range steps {
		path := strings.NewReplacer("{tkt}", tkt, "{rep}", rep, "{apl}", apl).Replace(s.path)
		key := fmt.Sprintf("replay-%d", i)
		if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "UpdateItem", Error: "InternalServerError", Count: 3}); err != nil {
			t.Fatal(err)
		}
		first := e.call("POST", path, s.token, s.body, "Idempotency-Key", key)
		e.s.Faults.Clear()
		if first.status != s.status {
			t.Fatalf("%s: %d %s, want %d", s.name, first.status, first.raw, s.status)
		}
		before := e.snapshot()
		again := e.call("POST", path, s.token, s.body, "Idempotency-Key", key)
		if again.status != s.status || again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("%s replayed: %d %s, want %d marked replayed", s.name, again.status, again.raw, s.status)
		}
		// Each route answers its own object; all of them have an id and a status.
		type object struct{ ID, Status string }
		if got, want := decode[object](t, again), decode[object](t, first); got != want || want.ID == "" || want.Status == "" {
			t.Errorf("%s replayed: %+v, want the object of the first answer %+v", s.name, got, want)
		}
		if e.snapshot() != before {
			t.Errorf("%s: the replay changed the table", s.name)
		}
		if s.after != nil {
			s.after(first)
		}
	}
}
