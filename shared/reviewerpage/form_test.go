package reviewerpage

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// The page validates an edit with its own copy of the platform's limits; the
// backend validates again with moderation's. This test keeps the two in step:
// whatever the page accepts, the domain accepts, and the other way round.
func TestEditLimitsAreTheDomains(t *testing.T) {
	now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	base := moderation.ReviewInput{
		BusinessID: "b1", Reviewer: moderation.Reviewer{Email: "r@example.com", Name: "R", Locale: "en"},
		Stars: 3, Title: "t", Text: "x", Source: moderation.SourceOrganic, ExperienceDate: "2026-03-01",
	}
	cases := []struct {
		name  string
		title string
		text  string
		stars string
	}{
		{"title at the limit", strings.Repeat("ä", maxEditTitle), "x", "3"},
		{"title over the limit", strings.Repeat("ä", maxEditTitle+1), "x", "3"},
		{"empty title", "", "x", "3"},
		{"title with a control character", "a\x07b", "x", "3"},
		{"text at the limit", "t", strings.Repeat("ö", maxEditText), "3"},
		{"text over the limit", "t", strings.Repeat("ö", maxEditText+1), "3"},
		{"empty text", "t", "  ", "3"},
		{"text with tabs and line breaks", "t", "a\tb\nc", "3"},
		{"text with DEL", "t", "a\x7fb", "3"},
		{"text with a C1 control", "t", "a\u0085b", "3"},
		{"one star", "t", "x", "1"},
		{"five stars", "t", "x", "5"},
		{"six stars", "t", "x", "6"},
		{"minus one star", "t", "x", "-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := validate(links.PurposeEdit, input{Title: tc.title, Text: tc.text, Stars: tc.stars})
			in := base
			in.Title, in.Text = clean(tc.title), clean(tc.text)
			in.Stars, _ = strconv.Atoi(tc.stars)
			var domain map[string]string
			if merr, ok := moderation.AsError(moderation.ValidateReviewInput(in, now)); ok {
				domain = merr.Fields
			}
			for _, f := range []string{fieldTitle, fieldText, fieldStars} {
				_, page := probs[f]
				_, dom := domain[f]
				if page != dom {
					t.Errorf("field %s: page finds a problem: %v, domain: %v (%q)", f, page, dom, domain[f])
				}
			}
		})
	}
}

func TestReplyLimitsAreTheDomains(t *testing.T) {
	cases := []struct {
		name  string
		reply string
		want  problemKind // -1: accepted
	}{
		{"one character", "x", -1},
		{"2000 characters", strings.Repeat("ü", 2000), -1},
		{"2000 characters after trimming", "  \n" + strings.Repeat("ü", 2000) + "\r\n ", -1},
		{"2001 characters", strings.Repeat("ü", 2001), problemTooLong},
		{"only white space", " \t\r\n", problemRequired},
		{"NUL", "a\x00", problemBadChars},
		{"escape", "\x1b[31m", problemBadChars},
	}
	for _, purpose := range allPurposes {
		if purpose == links.PurposeEdit || purpose == links.PurposeReportReply {
			continue // an edit has no reply; a reply report's text is optional details (TestReplyReportLimitsAreTheDomains)
		}
		for _, tc := range cases {
			t.Run(string(purpose)+"/"+tc.name, func(t *testing.T) {
				sub, probs := validate(purpose, input{Reply: tc.reply})
				pr, bad := probs[fieldReply]
				if tc.want < 0 {
					if bad {
						t.Fatalf("rejected with %+v, want accepted", pr)
					}
					if err := moderation.ValidateReply(sub.Text); err != nil {
						t.Errorf("page sends %q, which the domain refuses: %v", sub.Text, err)
					}
					return
				}
				if !bad || pr.kind != tc.want {
					t.Errorf("problem = %+v (found: %v), want kind %d", pr, bad, tc.want)
				}
			})
		}
	}
}

func TestParseStars(t *testing.T) {
	cases := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"", 0, true}, {"1", 1, true}, {"5", 5, true},
		{"0", 0, false}, {"6", 0, false}, {"3.0", 0, false}, {" 3", 0, false}, {"three", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseStars(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseStars(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

// TestReplyReportLimitsAreTheDomains: the reply report page asks for one of
// the domain's reasons and takes optional details up to the domain's limit;
// what it sends, the domain accepts.
func TestReplyReportLimitsAreTheDomains(t *testing.T) {
	cases := []struct {
		name, reason, details string
		want                  []string // fields with a problem
	}{
		{"reason, no details", "threats_or_aggression", "", nil},
		{"reason and details", "personal_data", "  It names my street.\r\n", nil},
		{"details at the limit", "edit_request", strings.Repeat("ü", moderation.MaxReplyReportDetails), nil},
		{"no reason", "", "", []string{fieldReason}},
		{"unknown reason", "spam", "", []string{fieldReason}},
		{"details too long", "edit_request", strings.Repeat("ü", moderation.MaxReplyReportDetails+1), []string{fieldReply}},
		{"details with a control character", "edit_request", "a\x1b[31m", []string{fieldReply}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub, probs := validate(links.PurposeReportReply, input{Reason: tc.reason, Reply: tc.details})
			if got := probs.fields(); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("problems on %v, want %v", got, tc.want)
			}
			if len(tc.want) > 0 {
				return
			}
			if _, _, err := moderation.ValidateReplyReport(sub.Reason, sub.Text); err != nil {
				t.Errorf("page sends (%q, %q), which the domain refuses: %v", sub.Reason, sub.Text, err)
			}
		})
	}
}
