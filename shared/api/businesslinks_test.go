package api_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/infra/local/stack"
)

// businessPage opens the one business-portal link of an email (over real
// HTTP, as a browser would) and checks that it is a page of the local
// portal; the page's body is checked for reviewer data like every business
// response.
func (e *env) businessPage(m ses.Message, path string) page {
	e.t.Helper()
	var link string
	for _, l := range m.Links {
		if strings.HasPrefix(l, e.s.APIURL+path) {
			link = l
		}
	}
	if link == "" {
		e.t.Fatalf("email %q has no link under %s: %v", m.Subject, path, m.Links)
	}
	p := e.openPortalPage(link)
	e.mu.Lock()
	e.businessBodies = append(e.businessBodies, p.body)
	e.mu.Unlock()
	return p
}

func TestReplyEmailOpensTheRequestPageWithTheReply(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	if p := e.postPage(link, url.Values{"reply": {"Order 4711 <b>delivered</b> on 3 October."}}); p.status != 200 {
		t.Fatalf("reply: %d %s", p.status, p.body)
	}
	biz := e.mailsTo(businessAddr)
	if len(biz) != 1 {
		t.Fatalf("business emails = %d, want the reply notice", len(biz))
	}
	if !strings.Contains(biz[0].Subject, "Acme Coffee") || !strings.Contains(biz[0].Text, "Business account: Acme Coffee") {
		t.Errorf("the reply notice does not name the business: %q\n%s", biz[0].Subject, biz[0].Text)
	}
	p := e.businessPage(biz[0], stack.BusinessRequestPath+id)
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("request page: %d %s %s", p.status, p.header.Get("Content-Type"), p.body)
	}
	for _, want := range []string{"Acme Coffee", id, "replied", "Order 4711 &lt;b&gt;delivered&lt;/b&gt; on 3 October."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("request page lacks %q:\n%s", want, p.body)
		}
	}
	if strings.Contains(p.body, "<b>delivered") {
		t.Errorf("request page shows the reply unescaped")
	}
}

func TestExpiryEmailOpensTheRequestPage(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	e.s.Advance(120 * time.Hour)
	biz := e.mailsTo(businessAddr)
	if len(biz) != 1 {
		t.Fatalf("business emails = %d, want the expiry notice", len(biz))
	}
	p := e.businessPage(biz[0], stack.BusinessRequestPath+id)
	if p.status != 200 || !strings.Contains(p.body, "expired") || !strings.Contains(p.body, "Acme Coffee") {
		t.Errorf("request page after expiry: %d %s", p.status, p.body)
	}
}

func TestPortalPagesOfUnknownRecordsAreNotFound(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{stack.BusinessRequestPath + "req_nope", stack.BusinessReportPath + "rpt_nope"} {
		if p := e.openPortalPage(e.s.APIURL + path); p.status != 404 || strings.Contains(p.body, "Acme") {
			t.Errorf("%s: %d %s", path, p.status, p.body)
		}
	}
}

func TestReinstatementEmailOpensTheReportPage(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(200, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "An opinion about the service."}); d.status != 202 {
		t.Fatalf("decision: %d %s", d.status, d.raw)
	}
	biz := e.mailsTo(businessAddr)
	if len(biz) != 1 || !strings.Contains(biz[0].Subject, "Acme Coffee") {
		t.Fatalf("business emails = %+v, want the reinstatement notice naming the business", biz)
	}
	p := e.businessPage(biz[0], stack.BusinessReportPath+rep)
	for _, want := range []string{"Acme Coffee", rep, "reinstated", "closed", "offensive or harmful", "Created at", "We have no record of this order"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("report page lacks %q:\n%s", want, p.body)
		}
	}
}

// openPortalPage GETs a page of the local stand-in of the business portal.
// The portal is the platform's, not Candor's API: its pages are outside
// the API's contract (api/openapi.yaml), like the stack's /_local pages.
func (e *env) openPortalPage(link string) page {
	e.t.Helper()
	res, err := http.Get(link)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, string(b), res.Header}
}
