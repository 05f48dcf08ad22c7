package mail

import (
	"strings"
	"testing"
)

func TestParsePageTemplate(t *testing.T) {
	tests := []struct {
		raw     string
		problem string // "" when the template is accepted
		id, url string // an id and the URL it makes
	}{
		{"https://business.example.com/reports/{reportId}", "", "rpt_1", "https://business.example.com/reports/rpt_1"},
		{"https://business.example.com/app?report={reportId}&tab=x", "", "a b", "https://business.example.com/app?report=a%20b&tab=x"},
		{"http://127.0.0.1:3000/business/reports/{reportId}", "", "r", "http://127.0.0.1:3000/business/reports/r"},
		{"http://business.example.com/reports/{reportId}", "must be https", "", ""},
		{"https://business.example.com/reports/", "exactly once", "", ""},
		{"https://business.example.com/{reportId}/{reportId}", "exactly once", "", ""},
		{"https://{reportId}.example.com/r", "in the path or the query", "", ""},
		{"https://user@business.example.com/r/{reportId}", "user information", "", ""},
		{"https://business.example.com/r/{reportId}#top", "fragment", "", ""},
		{"ftp://business.example.com/r/{reportId}", "absolute https", "", ""},
		{"/reports/{reportId}", "absolute https", "", ""},
		{"https://Business.example.com/r/{reportId}", "canonical", "", ""},
		{"https://business.example.com/r/{reportId} x", "URL characters", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			p, err := ParsePageTemplate(tt.raw, ReportPlaceholder)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("ParsePageTemplate(%q) = %v; want an error saying %q", tt.raw, err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePageTemplate(%q): %v", tt.raw, err)
			}
			if got := p.URL(tt.id); got != tt.url {
				t.Errorf("URL(%q) = %q, want %q", tt.id, got, tt.url)
			}
			if !p.matches(p.URL(tt.id)) {
				t.Errorf("matches(%q) = false for a URL the template made", p.URL(tt.id))
			}
		})
	}
}

func TestPageTemplateMatchesOnlyItsOwnURLs(t *testing.T) {
	p, err := ParsePageTemplate("https://business.example.com/reports/{reportId}", ReportPlaceholder)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{
		"https://business.example.com/reports/",
		"https://business.example.com/reports/a/b",
		"https://business.example.com/reports/..",
		"https://business.example.com/reports/%2e%2e",
		"https://business.example.com/reports/a?x=1",
		"https://business.example.com.evil.example/reports/a",
		"https://evil.example/reports/a",
		"http://business.example.com/reports/a",
	} {
		if p.matches(raw) {
			t.Errorf("matches(%q) = true, want false", raw)
		}
	}
}

func TestParseBusinessPagesNamesTheSetting(t *testing.T) {
	_, err := ParseBusinessPages("https://b.example.com/r/{reportId}", "https://b.example.com/q/{reportId}")
	if err == nil || !strings.HasPrefix(err.Error(), "BUSINESS_REQUEST_URL: ") {
		t.Fatalf("err = %v, want one naming BUSINESS_REQUEST_URL", err)
	}
	_, err = ParseBusinessPages("http://b.example.com/r/{reportId}", "https://b.example.com/q/{requestId}")
	if err == nil || !strings.HasPrefix(err.Error(), "BUSINESS_REPORT_URL: ") {
		t.Fatalf("err = %v, want one naming BUSINESS_REPORT_URL", err)
	}
}
