package mail

import (
	"strings"
	"testing"
)

func TestNewLinks(t *testing.T) {
	tests := []struct {
		base    string
		want    string // the normalised base; "" when NewLinks must refuse
		problem string
	}{
		{base: "https://reviews.example.com", want: "https://reviews.example.com"},
		{base: "https://reviews.example.com/", want: "https://reviews.example.com"},
		{base: "HTTPS://Reviews.Example.COM/candor/", want: "https://reviews.example.com/candor"},
		{base: "https://reviews.example.com:8443/a/b", want: "https://reviews.example.com:8443/a/b"},
		{base: "http://127.0.0.1:3000", want: "http://127.0.0.1:3000"},
		{base: "http://localhost:3000/", want: "http://localhost:3000"},
		{base: "http://[::1]:3000", want: "http://[::1]:3000"},
		{base: "", problem: "absolute https"},
		{base: "reviews.example.com", problem: "absolute https"},
		{base: "/candor", problem: "absolute https"},
		{base: "ftp://reviews.example.com", problem: "absolute https"},
		{base: "http://reviews.example.com", problem: "must be https"},
		{base: "http://127.0.0.2:3000", problem: "must be https"},
		{base: "http://localhost.evil.example", problem: "must be https"},
		{base: "https://", problem: "no host"},
		{base: "https://:443", problem: "no host"},
		{base: "https://user:pw@reviews.example.com", problem: "user information"},
		{base: "https://reviews.example.com/?a=1", problem: "query or fragment"},
		{base: "https://reviews.example.com/?", problem: "query or fragment"},
		{base: "https://reviews.example.com/#top", problem: "query or fragment"},
		{base: "https://reviews.example.com/a/../b", problem: "clean"},
		{base: "https://reviews.example.com//a", problem: "clean"},
		{base: "https://reviews.example.com/a/./b", problem: "clean"},
		{base: "https://reviews.example.com/a b", want: "https://reviews.example.com/a%20b"},
		{base: "https://reviews.example.com\n/", problem: "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			l, err := NewLinks(tt.base)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("NewLinks(%q) = %v, %v; want an error saying %q", tt.base, l.Base, err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewLinks(%q): %v", tt.base, err)
			}
			if got := l.Base.String(); got != tt.want {
				t.Errorf("Base = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLinkHelpers(t *testing.T) {
	root, err := NewLinks("https://reviews.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	sub := testLinks(t)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"reviewer link", root.ReviewerLink("tLk9fQ2x-R7_mZ"), "https://reviews.example.com/r/tLk9fQ2x-R7_mZ"},
		{"reviewer link under a path", sub.ReviewerLink("tok"), "https://reviews.example.com/candor/r/tok"},
		{"request link", root.RequestLink("req_1"), "https://reviews.example.com/v1/reviewer-requests/req_1"},
		{"report link", Links{Base: sub.Base}.ReportLink("rpt_1"), "https://reviews.example.com/candor/v1/reports/rpt_1"},
		{"report page of the portal", sub.ReportLink("rpt_1"), "https://business.example.com/reports/rpt_1"},
		{"request page of the portal", sub.RequestLink("req_1"), "https://business.example.com/requests/req_1?tab=reply"},
		{"a slash in an id stays in the portal's segment", sub.ReportLink("a/../x"), "https://business.example.com/reports/a%2F..%2Fx"},
		{"a slash in a token stays in its segment", root.ReviewerLink("a/../../x"), "https://reviews.example.com/r/a%2F..%2F..%2Fx"},
		{"a query in an id stays in its segment", root.ReportLink("x?y#z"), "https://reviews.example.com/v1/reports/x%3Fy%23z"},
		{"no base, no link", Links{}.ReviewerLink("tok"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
			if tt.want != "" && !root.owns(tt.got) && !sub.owns(tt.got) {
				t.Errorf("%q is not a link of its own Links", tt.got)
			}
		})
	}
}

func TestLinksUnder(t *testing.T) {
	l := testLinks(t)
	tests := []struct {
		raw  string
		want bool
	}{
		{"https://reviews.example.com/candor/r/tok", true},
		{"https://reviews.example.com/candor/v1/reports/rpt_1", true},
		{"https://reviews.example.com/candor/r/tok?lang=sv", true},
		{"https://reviews.example.com/candor/r/a%2Fb", true},
		{"https://reviews.example.com/candor", false},
		{"https://reviews.example.com/candor/", false},
		{"https://reviews.example.com/candorx/r/tok", false},
		{"https://REVIEWS.example.com/candor/r/tok", false},
		{"https://reviews.example.com/candor/r/../../x", false},
		{"https://reviews.example.com/candor/r/./tok", false},
		{"https://reviews.example.com/candor/%2E%2E/x", false},
		{"https://reviews.example.com/candor//x", false},
		{"https://reviews.example.com/candor/r/a b", false},
		{"https://reviews.example.com/candor/r/tok\n", false},
		{"https://x@reviews.example.com/candor/r/tok", false},
		{"https://reviews.example.com.evil.example/candor/r/tok", false},
		{"http://reviews.example.com/candor/r/tok", false},
		{"//reviews.example.com/candor/r/tok", false},
		{"mailto:reviews.example.com/candor/r/tok", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			if got := l.under(tt.raw); got != tt.want {
				t.Errorf("under(%q) = %v, want %v", tt.raw, got, tt.want)
			}
		})
	}
}
