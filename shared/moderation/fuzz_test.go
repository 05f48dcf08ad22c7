package moderation

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fieldPath is the shape every field path of ValidateReport must have.
var fieldPath = regexp.MustCompile(`^(items(\[\d+\]\.(scope|reason|details|excerpt))?|publicStatement)$`)

// fuzzHistories are the Find Reviewer histories the fuzzer picks from.
var fuzzHistories = [8][]RequestStatus{
	nil,
	{RequestAwaitingReply},
	{RequestReplied},
	{RequestExpired},
	{RequestReplied, RequestAwaitingReply},
	{RequestExpired, RequestExpired},
	{RequestExpired, RequestReplied},
	{RequestReplied, RequestExpired},
}

// fuzzContext builds a review context from the fuzzer's flags: bits 0-1 the
// source, bit 2 removed, bit 3 a report open, bit 4 the version already
// reported, bits 5-7 the Find Reviewer history.
func fuzzContext(title, text string, flags uint8) ReviewContext {
	rc := ReviewContext{Review: Review{
		ID: "rev-1", BusinessID: "biz-1", Version: 2, LastReportedVersion: 1,
		Title: title, Text: text, Visibility: Published,
		Source: [4]Source{SourceOrganic, SourceInvitedPlatform, SourceInvitedOther, ""}[flags&3],
	}}
	if flags&4 != 0 {
		rc.Review.Visibility = Removed
	}
	if flags&8 != 0 {
		rc.Review.OpenReportID = "rep-1"
	}
	if flags&16 != 0 {
		rc.Review.LastReportedVersion = 2
	}
	for i, s := range fuzzHistories[flags>>5] {
		rc.Requests = append(rc.Requests, RequestSummary{ID: "req-" + string(rune('a'+i)), Status: s})
		if s == RequestAwaitingReply {
			rc.Review.OpenRequestID = "req-" + string(rune('a'+i))
		}
	}
	return rc
}

// fuzzDraft builds a draft of n%14 items: the first from the fuzzed strings,
// the others walking the catalogue from shift, sharing the fuzzed details and
// (for content items) excerpt.
func fuzzDraft(statement, scope, reason, details, excerpt string, n, shift uint8) ReportDraft {
	d := ReportDraft{PublicStatement: statement}
	for i := range int(n % 14) {
		if i == 0 {
			d.Items = append(d.Items, ReportItem{Scope: Scope(scope), Reason: Reason(reason), Details: details, Excerpt: excerpt})
			continue
		}
		e := catalogue[(int(shift)+i)%len(catalogue)]
		it := ReportItem{Scope: e.scope, Reason: e.reason, Details: details}
		if e.scope == ScopeContent {
			it.Excerpt = excerpt
		}
		d.Items = append(d.Items, it)
	}
	return d
}

func FuzzValidateReport(f *testing.F) {
	f.Add(testTitle, testText, testStmt, "content", "offensive_or_harmful", testDetails, testExcerpt, uint8(1), uint8(0), uint8(0))
	f.Add(testTitle, testText, testStmt, "reviewer", "no_genuine_experience", testDetails, "", uint8(3), uint8(4), uint8(2<<5))
	f.Add(testTitle, testText, "short", "media", "rude", "short", "x", uint8(13), uint8(9), uint8(1|1<<5))
	f.Add("", "", "", "", "", "", "", uint8(0), uint8(0), uint8(0xff))
	f.Add("ö€😀", "ö€😀\x00", "\xff\xfe statement", "content", "promotional", "\t\n"+testDetails, "😀", uint8(11), uint8(0), uint8(4<<5))
	f.Fuzz(func(t *testing.T, title, text, statement, scope, reason, details, excerpt string, n, shift, flags uint8) {
		rc := fuzzContext(title, text, flags)
		d := fuzzDraft(statement, scope, reason, details, excerpt, n, shift)
		err := ValidateReport(rc, d)
		if again := ValidateReport(rc, d); (err == nil) != (again == nil) || (err != nil && err.Error() != again.Error()) {
			t.Fatalf("ValidateReport is not deterministic: %v, then %v", err, again)
		}
		if err != nil {
			checkFuzzError(t, rc, d, err)
			return
		}
		checkAccepted(t, rc, d)
	})
}

// checkFuzzError asserts the shape of a refusal.
func checkFuzzError(t *testing.T, rc ReviewContext, d ReportDraft, err error) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error is %T (%v), want *Error", err, err)
	}
	if e.Kind < KindInvalid || e.Kind > KindForbidden {
		t.Fatalf("error kind %d is not a known kind", e.Kind)
	}
	for k := range e.Fields {
		if !fieldPath.MatchString(k) {
			t.Errorf("field path %q does not match %v", k, fieldPath)
		}
	}
	if stateErr := CanReport(rc); stateErr != nil {
		if e.Code != stateErr.(*Error).Code {
			t.Fatalf("review state refuses with %q, but ValidateReport said %q", stateErr.(*Error).Code, e.Code)
		}
		return
	}
	switch {
	case e.Kind == KindInvalid && e.Code == CodeValidationFailed:
		if len(e.Fields) == 0 {
			t.Errorf("validation error without fields: %v", e)
		}
	case e.Kind == KindConflict && e.Code == CodeFindReviewerRequired:
		if len(e.Fields) != 1 || !NeedsProof(d.Items) {
			t.Errorf("find_reviewer_required must name the one no_genuine_experience item: %v", e)
		}
	default:
		t.Errorf("unexpected error %v (kind %d)", e, e.Kind)
	}
}

// checkAccepted asserts that an accepted draft satisfies every limit,
// re-deriving each from docs/product.md independently of the implementation.
func checkAccepted(t *testing.T, rc ReviewContext, d ReportDraft) {
	t.Helper()
	if err := CanReport(rc); err != nil {
		t.Fatalf("accepted a report on a review that cannot be reported: %v", err)
	}
	if len(d.Items) < 1 || len(d.Items) > MaxItems {
		t.Fatalf("accepted %d items", len(d.Items))
	}
	seen := map[Reason]bool{}
	for i, it := range d.Items {
		if !slices.Contains(ReasonsFor(it.Scope), it.Reason) {
			t.Errorf("items[%d]: accepted reason %q for scope %q", i, it.Reason, it.Scope)
		}
		if seen[it.Reason] {
			t.Errorf("items[%d]: accepted duplicate reason %q", i, it.Reason)
		}
		seen[it.Reason] = true
		if n := fuzzLen(it.Details); n < MinDetails || n > MaxDetails || !fuzzText(it.Details) {
			t.Errorf("items[%d]: accepted details of %d characters %q", i, n, it.Details)
		}
		if it.Scope == ScopeContent {
			x := CleanText(it.Excerpt)
			if x == "" || fuzzLen(x) > MaxExcerpt || !fuzzText(x) ||
				!strings.Contains(norm.NFC.String(rc.Review.Title), x) && !strings.Contains(norm.NFC.String(rc.Review.Text), x) {
				t.Errorf("items[%d]: accepted excerpt %q", i, it.Excerpt)
			}
		} else if it.Excerpt != "" {
			t.Errorf("items[%d]: accepted excerpt %q on scope %q", i, it.Excerpt, it.Scope)
		}
		if it.Reason == ReasonNoGenuineExperience {
			if rc.Review.Source == SourceInvitedPlatform {
				t.Errorf("items[%d]: accepted no_genuine_experience on a platform-invited review", i)
			}
			var done, open bool
			for _, q := range rc.Requests {
				done = done || q.Status == RequestReplied || q.Status == RequestExpired
				open = open || q.Status == RequestAwaitingReply
			}
			if !done || open || rc.Review.OpenRequestID != "" {
				t.Errorf("items[%d]: accepted no_genuine_experience with Find Reviewer history %v", i, rc.Requests)
			}
			if !slices.Contains(AllowedReasons(rc), ReasonNoGenuineExperience) {
				t.Errorf("accepted no_genuine_experience that AllowedReasons does not offer")
			}
		}
	}
	if n := fuzzLen(d.PublicStatement); n < MinStatement || n > MaxStatement || !fuzzText(d.PublicStatement) {
		t.Errorf("accepted public statement of %d characters %q", n, d.PublicStatement)
	}
}

// fuzzLen counts visible characters as the text rule defines them, written
// out plainly: trimmed, no combining marks or joiners, a run of white space once.
func fuzzLen(s string) int {
	n, blank := 0, false
	for _, r := range strings.TrimFunc(norm.NFC.String(s), isBlank) {
		switch {
		case isBlank(r):
			if !blank {
				n++
			}
			blank = true
		case unicode.In(r, unicode.M) || r == '\u200C' || r == '\u200D':
		default:
			n, blank = n+1, false
		}
	}
	return n
}

// fuzzText reports whether s is text by the rule: valid UTF-8, no control
// character but line breaks and tabs, no format character but the joiners,
// and a letter or digit somewhere.
func fuzzText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' ||
			unicode.Is(unicode.Cf, r) && r != '\u200C' && r != '\u200D'
	}) {
		return false
	}
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.In(r, unicode.L, unicode.N) && !isBlank(r) })
}

func BenchmarkValidateReport(b *testing.B) {
	rc := reviewCtx()
	rc.Review.Text = strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 40) + testText
	d := draft(allItems()...)
	if err := ValidateReport(rc, d); err != nil {
		b.Fatalf("benchmark draft is refused: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateReport(rc, d); err != nil {
			b.Fatal(err)
		}
	}
}
