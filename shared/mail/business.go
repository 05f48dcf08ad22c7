package mail

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The placeholders of the business portal's URL templates.
const (
	ReportPlaceholder  = "{reportId}"
	RequestPlaceholder = "{requestId}"
)

// PageTemplate is a URL template of a page of the platform's business portal,
// such as https://business.example.com/reports/{reportId}: the links of the
// emails to a business open the page a person reads in a browser (the API's
// JSON needs a bearer token, which a browser does not send). Build it with
// [ParsePageTemplate].
type PageTemplate struct {
	prefix, suffix string // the template around its one placeholder
	scheme, host   string
}

// ParsePageTemplate checks a URL template: an absolute https URL (http only
// for 127.0.0.1, ::1 or localhost, the local stack) with a host, no user
// information or fragment, holding placeholder exactly once, in its path or
// query.
func ParsePageTemplate(raw, placeholder string) (PageTemplate, error) {
	if n := strings.Count(raw, placeholder); n != 1 {
		return PageTemplate{}, fmt.Errorf("mail: page template: must hold %s exactly once (found %d)", placeholder, n)
	}
	probe := strings.Replace(raw, placeholder, "id", 1)
	if !plainURL(probe) {
		return PageTemplate{}, errors.New("mail: page template: must be written with URL characters only (percent-escape the rest)")
	}
	u, err := url.Parse(probe)
	switch {
	case err != nil:
		return PageTemplate{}, fmt.Errorf("mail: page template: parse: %w", err)
	case u.Scheme != "https" && u.Scheme != "http":
		return PageTemplate{}, errors.New("mail: page template: must be an absolute https URL")
	case u.Opaque != "" || u.Hostname() == "":
		return PageTemplate{}, errors.New("mail: page template: has no host")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return PageTemplate{}, errors.New("mail: page template: must be https (http only for 127.0.0.1, ::1 or localhost)")
	case u.User != nil:
		return PageTemplate{}, errors.New("mail: page template: must not carry user information")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return PageTemplate{}, errors.New("mail: page template: must not have a fragment")
	case strings.Index(raw, placeholder) < len(u.Scheme)+3+len(u.Host)+1:
		return PageTemplate{}, errors.New("mail: page template: the placeholder must be in the path or the query")
	case u.String() != probe || u.Host != strings.ToLower(u.Host) || !strings.HasPrefix(raw, u.Scheme+"://"):
		return PageTemplate{}, errors.New("mail: page template: must be written in canonical form (lower-case scheme and host)")
	}
	i := strings.Index(raw, placeholder)
	return PageTemplate{prefix: raw[:i], suffix: raw[i+len(placeholder):], scheme: u.Scheme, host: u.Host}, nil
}

// URL returns the template with id in place of the placeholder, escaped so
// that it stays one path segment (or one query value).
func (p PageTemplate) URL(id string) string {
	if p.prefix == "" {
		return ""
	}
	return p.prefix + url.PathEscape(id) + p.suffix
}

// matches reports whether raw is a URL this template makes: its prefix and
// suffix around one escaped, non-empty id without "/" or dot segments.
func (p PageTemplate) matches(raw string) bool {
	if p.prefix == "" || !plainURL(raw) || !strings.HasPrefix(raw, p.prefix) || !strings.HasSuffix(raw, p.suffix) ||
		len(raw) <= len(p.prefix)+len(p.suffix) {
		return false
	}
	id := raw[len(p.prefix) : len(raw)-len(p.suffix)]
	if strings.ContainsAny(id, "/?#&=") || id == "." || id == ".." || strings.Contains(strings.ToLower(id), "%2e") {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && u.String() == raw && u.Scheme == p.scheme && u.Host == p.host && u.User == nil
}

// BusinessPages are the pages of the business portal that emails to a
// business link to.
type BusinessPages struct {
	Report  PageTemplate // a report, {reportId}
	Request PageTemplate // a Find Reviewer request, {requestId}
}

// ParseBusinessPages parses both templates; errors name the setting at fault.
func ParseBusinessPages(report, request string) (BusinessPages, error) {
	rp, err := ParsePageTemplate(report, ReportPlaceholder)
	if err != nil {
		return BusinessPages{}, fmt.Errorf("BUSINESS_REPORT_URL: %w", err)
	}
	rq, err := ParsePageTemplate(request, RequestPlaceholder)
	if err != nil {
		return BusinessPages{}, fmt.Errorf("BUSINESS_REQUEST_URL: %w", err)
	}
	return BusinessPages{Report: rp, Request: rq}, nil
}
