package moderation

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	testTitle   = "Kall pizza hos Åkes"
	testText    = "The pizza was cold and the waiter called me an idiot.\nCall Anna on 070-1234567 for a refund."
	testDetails = "The review insults our waiter and names a colleague."
	testExcerpt = "called me an idiot"
	testStmt    = "We take every complaint seriously."
)

// reviewCtx is a published, never reported, organic review whose Find
// Reviewer request was replied to: every reason may be used on it.
func reviewCtx() ReviewContext {
	return ReviewContext{
		Review: Review{
			ID: "rev-1", BusinessID: "biz-1", Version: 1,
			Reviewer: Reviewer{Email: "anna@example.com", Name: "Anna"},
			Stars:    1, Title: testTitle, Text: testText,
			Source: SourceOrganic, ExperienceDate: "2026-01-02", Visibility: Published,
		},
		Requests: []RequestSummary{{ID: "req-1", Status: RequestReplied}},
	}
}

// item returns a valid item for reason r (in its own scope).
func item(r Reason) ReportItem {
	s, _ := ScopeOf(r)
	it := ReportItem{Scope: s, Reason: r, Details: testDetails}
	if s == ScopeContent {
		it.Excerpt = testExcerpt
	}
	return it
}

func draft(items ...ReportItem) ReportDraft {
	return ReportDraft{Items: items, PublicStatement: testStmt}
}

// allItems returns one valid item per reason: the largest valid report.
func allItems() []ReportItem {
	var items []ReportItem
	for _, r := range AllReasons() {
		items = append(items, item(r))
	}
	return items
}

func TestValidateReportScopeReasonPairs(t *testing.T) {
	scopes := append(Scopes(), "media", "", "Content")
	reasons := append(AllReasons(), "rude", "", "Spam")
	valid := 0
	for _, s := range scopes {
		for _, r := range reasons {
			t.Run(fmt.Sprintf("%s/%s", s, r), func(t *testing.T) {
				it := ReportItem{Scope: s, Reason: r, Details: testDetails}
				if s == ScopeContent {
					it.Excerpt = testExcerpt
				}
				owner, known := ScopeOf(r)
				var w want
				switch {
				case !knownScope(s) && !known:
					w = invalid(map[string]string{"items[0].scope": "must be one of", "items[0].reason": "not a known reason"})
				case !knownScope(s):
					w = invalid(map[string]string{"items[0].scope": "must be one of"})
				case !known:
					w = invalid(map[string]string{"items[0].reason": "not a known reason"})
				case owner != s:
					w = invalid(map[string]string{"items[0].reason": fmt.Sprintf("belongs to scope %s, not %s", owner, s)})
				default:
					valid++
					w = accepted
				}
				check(t, ValidateReport(reviewCtx(), draft(it)), w)
			})
		}
	}
	if valid != 11 {
		t.Errorf("%d scope/reason pairs were accepted, want 11", valid)
	}
}

func TestValidateReportLimits(t *testing.T) {
	// Multibyte text: 'ö' is 2 bytes, '€' 3, '😀' 4; limits count characters.
	runes := func(n int) string {
		const alphabet = "ö€😀a"
		var b strings.Builder
		for i := range n {
			b.WriteRune([]rune(alphabet)[i%4])
		}
		return b.String()
	}
	long := runes(1001)
	withDetails := func(d string) ReportDraft { it := item(ReasonSpam); it.Details = d; return draft(it) }
	withStmt := func(s string) ReportDraft { d := draft(item(ReasonSpam)); d.PublicStatement = s; return d }
	withExcerpt := func(x string) ReportDraft {
		it := item(ReasonPromotional)
		it.Excerpt = x
		return draft(it)
	}
	longText := reviewCtx()
	longText.Review.Text = "Intro. " + long + " outro."

	tests := []struct {
		name string
		rc   ReviewContext
		d    ReportDraft
		want want
	}{
		{"details 19 runes", reviewCtx(), withDetails(runes(19)), invalid(map[string]string{"items[0].details": "at least 20"})},
		{"details 20 runes", reviewCtx(), withDetails(runes(20)), accepted},
		{"details 1000 runes", reviewCtx(), withDetails(runes(1000)), accepted},
		{"details 1001 runes", reviewCtx(), withDetails(runes(1001)), invalid(map[string]string{"items[0].details": "at most 1000"})},
		{"details 19 runes padded with spaces", reviewCtx(), withDetails("   " + runes(19) + " \n\t "), invalid(map[string]string{"items[0].details": "at least 20"})},
		{"details 1000 runes padded with spaces", reviewCtx(), withDetails("  " + runes(1000) + "  "), accepted},
		{"details empty", reviewCtx(), withDetails(""), invalid(map[string]string{"items[0].details": "required"})},
		{"details only spaces", reviewCtx(), withDetails(strings.Repeat(" ", 30)), invalid(map[string]string{"items[0].details": "required"})},
		{"statement 9 runes", reviewCtx(), withStmt(runes(9)), invalid(map[string]string{"publicStatement": "at least 10"})},
		{"statement 10 runes", reviewCtx(), withStmt(runes(10)), accepted},
		{"statement 500 runes", reviewCtx(), withStmt(runes(500)), accepted},
		{"statement 501 runes", reviewCtx(), withStmt(runes(501)), invalid(map[string]string{"publicStatement": "at most 500"})},
		{"statement missing", reviewCtx(), withStmt(""), invalid(map[string]string{"publicStatement": "required"})},
		{"excerpt 1000 runes", longText, withExcerpt(long[:len(runes(1000))]), accepted},
		{"excerpt 1001 runes", longText, withExcerpt(long), invalid(map[string]string{"items[0].excerpt": "at most 1000"})},
		{"0 items", reviewCtx(), draft(), invalid(map[string]string{"items": "between 1 and 11"})},
		{"1 item", reviewCtx(), draft(item(ReasonSpam)), accepted},
		{"11 items", reviewCtx(), draft(allItems()...), accepted},
		{"12 items", reviewCtx(), draft(append(allItems(), item(ReasonSpam))...), invalid(map[string]string{
			"items": "between 1 and 11", "items[11].reason": "duplicate of items[4]",
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateReport(tt.rc, tt.d), tt.want)
		})
	}
}

func TestValidateReportDuplicates(t *testing.T) {
	otherScope := item(ReasonSpam)
	otherScope.Scope = ScopeContent
	otherScope.Excerpt = testExcerpt
	tests := []struct {
		name  string
		items []ReportItem
		want  want
	}{
		{"same reason twice", []ReportItem{item(ReasonSpam), item(ReasonSpam)},
			invalid(map[string]string{"items[1].reason": "duplicate of items[0]"})},
		{"three times names the first", []ReportItem{item(ReasonCompetitor), item(ReasonSpam), item(ReasonCompetitor), item(ReasonCompetitor)},
			invalid(map[string]string{"items[2].reason": "duplicate of items[0]", "items[3].reason": "duplicate of items[0]"})},
		{"two pairs", []ReportItem{item(ReasonSpam), item(ReasonPromotional), item(ReasonPromotional), item(ReasonSpam)},
			invalid(map[string]string{"items[2].reason": "duplicate of items[1]", "items[3].reason": "duplicate of items[0]"})},
		{"same reason under a wrong scope first", []ReportItem{otherScope, item(ReasonSpam)},
			invalid(map[string]string{"items[0].reason": "belongs to scope review", "items[1].reason": "duplicate of items[0]"})},
		{"same details in different reasons are fine", []ReportItem{item(ReasonSpam), item(ReasonWrongCompany)}, accepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateReport(reviewCtx(), draft(tt.items...)), tt.want)
		})
	}
}

func TestValidateReportExcerpt(t *testing.T) {
	edited := reviewCtx()
	edited.Review.Version = 2
	edited.Review.LastReportedVersion = 1
	edited.Review.Text = "The pizza was cold. I have nothing else to add."
	content := func(x string) ReportItem { it := item(ReasonOffensiveOrHarmful); it.Excerpt = x; return it }
	with := func(r Reason, x string) ReportItem { it := item(r); it.Excerpt = x; return it }
	tests := []struct {
		name string
		rc   ReviewContext
		it   ReportItem
		want want
	}{
		{"in the text", reviewCtx(), content("called me an idiot"), accepted},
		{"in the title", reviewCtx(), content("pizza hos Åkes"), accepted},
		{"whole text across lines", reviewCtx(), content(testText), accepted},
		{"absent", reviewCtx(), content("served frozen food"), invalid(map[string]string{"items[0].excerpt": "verbatim"})},
		{"case differs", reviewCtx(), content("Called me an idiot"), invalid(map[string]string{"items[0].excerpt": "verbatim"})},
		{"spans title and text", reviewCtx(), content("Åkes The pizza"), invalid(map[string]string{"items[0].excerpt": "verbatim"})},
		{"extra space around is trimmed", reviewCtx(), content(" called me an idiot "), accepted},
		{"other spacing inside", reviewCtx(), content("called  me an idiot"), invalid(map[string]string{"items[0].excerpt": "verbatim"})},
		{"from an older version", edited, content("called me an idiot"), invalid(map[string]string{"items[0].excerpt": "current version"})},
		{"from the current version", edited, content("nothing else to add"), accepted},
		{"missing on content", reviewCtx(), content(""), invalid(map[string]string{"items[0].excerpt": "required"})},
		{"only spaces on content", reviewCtx(), content(" "), invalid(map[string]string{"items[0].excerpt": "required"})},
		{"on scope review", reviewCtx(), with(ReasonSpam, testExcerpt), invalid(map[string]string{"items[0].excerpt": "must be empty"})},
		{"on scope reviewer", reviewCtx(), with(ReasonCompetitor, testExcerpt), invalid(map[string]string{"items[0].excerpt": "must be empty"})},
		{"a space on scope reviewer", reviewCtx(), with(ReasonMultipleProfiles, " "), invalid(map[string]string{"items[0].excerpt": "must be empty"})},
		{"ignored for an unknown scope", reviewCtx(), ReportItem{Scope: "media", Reason: ReasonSpam, Details: testDetails, Excerpt: "nope"},
			invalid(map[string]string{"items[0].scope": "must be one of"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateReport(tt.rc, draft(tt.it)), tt.want)
		})
	}
}

func TestValidateReportRefusesBinaryAndControlCharacters(t *testing.T) {
	const bad, ctl = "must be valid UTF-8", "control characters"
	withDetails := func(s string) ReportDraft { it := item(ReasonSpam); it.Details = s; return draft(it) }
	withStmt := func(s string) ReportDraft { d := draft(item(ReasonSpam)); d.PublicStatement = s; return d }
	withExcerpt := func(s string) ReportDraft { it := item(ReasonPromotional); it.Excerpt = s; return draft(it) }
	tests := []struct {
		name string
		d    ReportDraft
		want want
	}{
		{"line breaks and tabs are text", withDetails("First line,\r\nsecond line\tand a tab."), accepted},
		{"invalid UTF-8 in details", withDetails(testDetails + "\xff"), invalid(map[string]string{"items[0].details": bad})},
		{"NUL in details", withDetails(testDetails + "\x00"), invalid(map[string]string{"items[0].details": ctl})},
		{"escape in statement", withStmt("\x1b[31m" + testStmt), invalid(map[string]string{"publicStatement": ctl})},
		{"DEL in statement", withStmt(testStmt + "\x7f"), invalid(map[string]string{"publicStatement": ctl})},
		{"C1 control in statement", withStmt(testStmt + "\u0085"), invalid(map[string]string{"publicStatement": ctl})},
		{"truncated rune in excerpt", withExcerpt("called me an idiot\xc3"), invalid(map[string]string{"items[0].excerpt": bad})},
		{"NUL in excerpt", withExcerpt("\x00"), invalid(map[string]string{"items[0].excerpt": ctl})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateReport(reviewCtx(), tt.d), tt.want)
		})
	}
}

func TestReportStateChecksP1(t *testing.T) {
	// Every combination of the three P1 states, with a draft that is itself
	// invalid: the state is checked first and decides the code.
	for _, removed := range []bool{false, true} {
		for _, open := range []bool{false, true} {
			for _, reported := range []bool{false, true} {
				name := fmt.Sprintf("removed=%v/open=%v/reported=%v", removed, open, reported)
				t.Run(name, func(t *testing.T) {
					rc := reviewCtx()
					rc.Review.Version = 3
					rc.Review.LastReportedVersion = 2
					if removed {
						rc.Review.Visibility = Removed
					}
					if open {
						rc.Review.OpenReportID = "rep-9"
						rc.Review.Visibility = UnderInvestigation
						if removed {
							rc.Review.Visibility = Removed
						}
					}
					if reported {
						rc.Review.LastReportedVersion = 3
					}
					w := accepted
					switch {
					case removed:
						w = conflict(CodeReviewRemoved, nil)
					case open:
						w = conflict(CodeReportOpen, nil)
					case reported:
						w = conflict(CodeAlreadyReported, nil)
					}
					check(t, CanReport(rc), w)
					check(t, ValidateReport(rc, draft(item(ReasonSpam))), w)
					if w.kind != 0 {
						check(t, ValidateReport(rc, ReportDraft{}), w)
						if got := AllowedReasons(rc); got != nil {
							t.Errorf("AllowedReasons = %v, want nil when the review cannot be reported", got)
						}
					} else if got := AllowedReasons(rc); !slices.Equal(got, AllReasons()) {
						t.Errorf("AllowedReasons = %v, want all reasons", got)
					}
				})
			}
		}
	}
}

func TestFindReviewerPrecondition(t *testing.T) {
	ngx := item(ReasonNoGenuineExperience)
	req := func(ss ...RequestStatus) []RequestSummary {
		var out []RequestSummary
		for i, s := range ss {
			out = append(out, RequestSummary{ID: fmt.Sprintf("req-%d", i), Status: s})
		}
		return out
	}
	histories := []struct {
		name     string
		requests []RequestSummary
		openID   string
		allowed  bool   // no_genuine_experience allowed for a non-platform review
		reason   string // the conflict's field message otherwise
	}{
		{"none", nil, "", false, "replied to or has expired"},
		{"awaiting", req(RequestAwaitingReply), "req-0", false, "still awaiting a reply"},
		{"replied", req(RequestReplied), "", true, ""},
		{"expired", req(RequestExpired), "", true, ""},
		{"replied then awaiting", req(RequestReplied, RequestAwaitingReply), "req-1", false, "still awaiting a reply"},
		{"expired then replied", req(RequestExpired, RequestReplied), "", true, ""},
		{"replied, open request id not yet in the list", req(RequestReplied), "req-new", false, "still awaiting a reply"},
	}
	for _, src := range []Source{SourceOrganic, SourceInvitedOther, SourceInvitedPlatform} {
		for _, h := range histories {
			t.Run(fmt.Sprintf("%s/%s", src, h.name), func(t *testing.T) {
				rc := reviewCtx()
				rc.Review.Source = src
				rc.Review.OpenRequestID = h.openID
				rc.Requests = h.requests
				var w want
				switch {
				case src == SourceInvitedPlatform:
					w = invalid(map[string]string{"items[1].reason": "invitation proves the experience"})
				case h.allowed:
					w = accepted
				default:
					w = conflict(CodeFindReviewerRequired, map[string]string{"items[1].reason": h.reason})
				}
				check(t, ValidateReport(rc, draft(item(ReasonSpam), ngx)), w)
				// Reasons other than no_genuine_experience do not need Find Reviewer.
				check(t, ValidateReport(rc, draft(item(ReasonSpam), item(ReasonCompetitor))), accepted)
				// What the API offers matches what it accepts.
				if got := slices.Contains(AllowedReasons(rc), ReasonNoGenuineExperience); got != (w.kind == 0) {
					t.Errorf("AllowedReasons includes no_genuine_experience = %v, want %v", got, w.kind == 0)
				}
				if got := len(AllowedReasons(rc)); got < 10 {
					t.Errorf("AllowedReasons has %d reasons, want at least the 10 others", got)
				}
			})
		}
	}
}

func TestValidateReportCollectsEveryProblem(t *testing.T) {
	rc := reviewCtx()
	rc.Review.Source = SourceInvitedPlatform
	d := ReportDraft{
		Items: []ReportItem{
			{Scope: "media", Reason: ReasonSpam, Details: "too short"},
			{Scope: ScopeReviewer, Reason: ReasonPromotional, Details: testDetails, Excerpt: testExcerpt},
			{Scope: ScopeReview, Reason: ReasonSpam, Details: testDetails},
			{Scope: ScopeContent, Reason: ReasonPersonalInformation, Details: testDetails, Excerpt: "Call Bertil"},
			{Scope: ScopeReviewer, Reason: ReasonNoGenuineExperience, Details: testDetails},
			{Scope: ScopeReview, Reason: "rude", Details: testDetails + "\x00"},
		},
		PublicStatement: "Sorry",
	}
	check(t, ValidateReport(rc, d), invalid(map[string]string{
		"items[0].scope":   "must be one of",
		"items[0].details": "at least 20",
		"items[1].reason":  "belongs to scope content, not reviewer",
		"items[1].excerpt": "must be empty",
		"items[2].reason":  "duplicate of items[0]",
		"items[3].excerpt": "verbatim",
		"items[4].reason":  "invitation proves the experience",
		"items[5].reason":  "not a known reason",
		"items[5].details": "control characters",
		"publicStatement":  "at least 10",
	}))
}

func TestErrorsCarryNoReviewerData(t *testing.T) {
	rc := reviewCtx()
	rc.Review.Text = "Written by " + rc.Review.Reviewer.Name + " at " + rc.Review.Reviewer.Email
	it := item(ReasonPromotional)
	it.Excerpt = "not in the review " + rc.Review.Reviewer.Email
	err := ValidateReport(rc, ReportDraft{Items: []ReportItem{it, item(ReasonNoGenuineExperience)}, PublicStatement: "x"})
	if err == nil {
		t.Fatal("got no error, want one")
	}
	for _, pd := range []string{rc.Review.Reviewer.Email, rc.Review.Reviewer.Name} {
		if strings.Contains(err.Error(), pd) {
			t.Errorf("error %q contains reviewer data %q", err, pd)
		}
	}
}

func TestHidesReviewP4(t *testing.T) {
	tests := []struct {
		name              string
		items             []ReportItem
		hides, harmfulOnl bool
	}{
		{"spam, default policy", []ReportItem{item(ReasonSpam)}, true, false},
		{"no_genuine_experience, default policy", []ReportItem{item(ReasonNoGenuineExperience)}, true, false},
		{"offensive, default policy", []ReportItem{item(ReasonOffensiveOrHarmful)}, true, false},
		{"spam, harmful_only", []ReportItem{item(ReasonSpam)}, false, true},
		{"personal information, harmful_only", []ReportItem{item(ReasonPersonalInformation)}, false, true},
		{"offensive, harmful_only", []ReportItem{item(ReasonOffensiveOrHarmful)}, true, true},
		{"offensive among others, harmful_only", []ReportItem{item(ReasonSpam), item(ReasonCompetitor), item(ReasonOffensiveOrHarmful)}, true, true},
		{"all reasons, harmful_only", allItems(), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Policy{HideHarmfulOnly: tt.harmfulOnl}
			if got := p.HidesReview(tt.items); got != tt.hides {
				t.Errorf("HidesReview = %v, want %v", got, tt.hides)
			}
		})
	}
}

func TestNeedsProofP6(t *testing.T) {
	tests := []struct {
		name  string
		items []ReportItem
		want  bool
	}{
		{"no_genuine_experience alone", []ReportItem{item(ReasonNoGenuineExperience)}, true},
		{"no_genuine_experience among others", []ReportItem{item(ReasonSpam), item(ReasonNoGenuineExperience)}, true},
		{"other reviewer reasons", []ReportItem{item(ReasonCompetitor), item(ReasonMultipleProfiles)}, false},
		{"every reason but no_genuine_experience", allItems()[:10], false},
		{"no items", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsProof(tt.items); got != tt.want {
				t.Errorf("NeedsProof = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateRequestMessageAndReply(t *testing.T) {
	ö := func(n int) string { return strings.Repeat("ö", n) }
	tests := []struct {
		name string
		fn   func(string) error
		in   string
		want want
	}{
		{"message 19", ValidateRequestMessage, ö(19), invalid(map[string]string{"message": "at least 20"})},
		{"message 20", ValidateRequestMessage, ö(20), accepted},
		{"message 20 padded", ValidateRequestMessage, "\n " + ö(20) + " \n", accepted},
		{"message 19 padded", ValidateRequestMessage, "  " + ö(19) + "    ", invalid(map[string]string{"message": "at least 20"})},
		{"message 2000", ValidateRequestMessage, ö(2000), accepted},
		{"message 2001", ValidateRequestMessage, ö(2001), invalid(map[string]string{"message": "at most 2000"})},
		{"message empty", ValidateRequestMessage, "", invalid(map[string]string{"message": "required"})},
		{"message with NUL", ValidateRequestMessage, ö(30) + "\x00", invalid(map[string]string{"message": "control characters"})},
		{"reply 1", ValidateReply, "ö", accepted},
		{"reply empty", ValidateReply, "", invalid(map[string]string{"reply": "required"})},
		{"reply only spaces", ValidateReply, " \n\t ", invalid(map[string]string{"reply": "required"})},
		{"reply 2000", ValidateReply, ö(2000), accepted},
		{"reply 2001", ValidateReply, ö(2001), invalid(map[string]string{"reply": "at most 2000"})},
		{"reply invalid UTF-8", ValidateReply, "order \xfe 123", invalid(map[string]string{"reply": "UTF-8"})},
		{"reply with lines", ValidateReply, "Order 123\r\nInvoice 456", accepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, tt.fn(tt.in), tt.want)
		})
	}
}
