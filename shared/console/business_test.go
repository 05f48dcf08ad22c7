package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

// businessDesk fakes a business's use cases: its sanctions, checked by
// the domain's sanction rules, with the actor each was recorded by.
type businessDesk struct {
	*desk
	now       time.Time
	sanctions []moderation.Sanction
}

func (d *businessDesk) Business(_ context.Context, id string) (moderation.Business, error) {
	if id != "biz-1" {
		return moderation.Business{}, moderation.ErrNotFound
	}
	return moderation.Business{ID: id, Name: "Acme"}, nil
}

func (d *businessDesk) KnownReportingSignals(_ context.Context, id string) (moderation.ReportingSignals, error) {
	return moderation.ReportingSignals{BusinessID: id, From: "2026-01", To: "2026-12", Reports: 12, Reinstated: 9, Removed: 3,
		UnfoundedShare: moderation.Signal{Value: 0.75, Threshold: 0.5, Flagged: true, Explanation: "Most reports were unfounded."}, Flagged: true}, nil
}

func (d *businessDesk) Sanctions(context.Context, string) ([]app.SanctionRecord, error) {
	var out []app.SanctionRecord
	for _, s := range d.sanctions {
		out = append(out, app.SanctionRecord{Sanction: s, Trail: []moderation.AuditEntry{{At: s.CreatedAt, Actor: s.Agent, Action: "sanction." + string(s.Kind)}}})
	}
	return out, nil
}

func (d *businessDesk) WarningProposal(context.Context, string, []moderation.Sanction) (*moderation.MisuseProposal, error) {
	return nil, nil
}

func (d *businessDesk) record(a app.Actor, kind moderation.SanctionKind, note string, until time.Time) (moderation.Sanction, error) {
	if err := moderation.ValidateSanction(kind, note, until, d.now, ""); err != nil {
		return moderation.Sanction{}, err
	}
	s := moderation.Sanction{ID: "snc_" + string(kind), BusinessID: "biz-1", Kind: kind, Status: moderation.SanctionActive, Note: note,
		Agent: "agent:" + a.Subject, CreatedAt: d.now, Until: until}
	d.sanctions = append(d.sanctions, s)
	return s, nil
}

func (d *businessDesk) Warn(_ context.Context, a app.Actor, _, note string, _ *app.Idempotency) (moderation.Sanction, error) {
	return d.record(a, moderation.SanctionWarning, note, d.now.Add(moderation.WarningLifetime))
}

func (d *businessDesk) Suspend(_ context.Context, a app.Actor, _, note string, until time.Time, _ *app.Idempotency) (moderation.Sanction, error) {
	return d.record(a, moderation.SanctionSuspension, note, until)
}

func (d *businessDesk) Lift(_ context.Context, a app.Actor, _, id, _ string, _ *app.Idempotency) (moderation.Sanction, error) {
	for i, s := range d.sanctions {
		if s.ID == id {
			if !s.ActiveAt(d.now) {
				return moderation.Sanction{}, moderation.SanctionNotActive(s)
			}
			d.sanctions[i].Status, d.sanctions[i].LiftedBy = moderation.SanctionEnded, "agent:"+a.Subject
			return d.sanctions[i], nil
		}
	}
	return moderation.Sanction{}, moderation.ErrNotFound
}

// A business's page shows its signals; warn and suspend are recorded with
// the agent's sub as the actor; a refused form shows each problem next to
// its field with what was typed kept; an end typed in the agent's zone is
// read in it; lifting what has ended says so and links back.
func TestBusinessPageWarnsSuspendsAndLifts(t *testing.T) {
	d := &businessDesk{desk: &desk{}, now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	s := newSite(t, d)
	csrf := s.session.CSRF
	body := s.do("GET", "/console/businesses/biz-1", nil).Body.String()
	if !strings.Contains(body, "Most reports were unfounded.") || !strings.Contains(body, `<dd id="reporting">open</dd>`) {
		t.Errorf("the business's page should show its signals and its reporting open:\n%s", body)
	}
	if rec := s.do("GET", "/console/businesses/biz-2", nil); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown business: %d, want 404", rec.Code)
	}

	rec := s.do("POST", "/console/businesses/biz-1/suspend", url.Values{consoleauth.CSRFField: {csrf}, "until": {"next week"}, "note": {"short"}})
	body = rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || len(d.sanctions) != 0 ||
		!strings.Contains(body, `id="suspend-until-error">must be a date and time`) || !strings.Contains(body, `id="suspend-note-error">`) ||
		!strings.Contains(body, `value="next week"`) || !strings.Contains(body, ">short</textarea>") {
		t.Fatalf("a suspension with an unreadable end and a short note: %d; want 422 with both problems by their fields and both kept:\n%s", rec.Code, body)
	}
	if strings.Contains(body, `id="warn-note-error">must`) {
		t.Errorf("the suspension's problems show on the warning's form too")
	}

	rec = s.do("POST", "/console/businesses/biz-1/warn", url.Values{consoleauth.CSRFField: {csrf}, "note": {"Nine of twelve reports were unfounded."}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/businesses/biz-1?notice=warned" {
		t.Fatalf("warn: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = s.do("POST", "/console/businesses/biz-1/suspend", url.Values{consoleauth.CSRFField: {csrf}, "until": {"2026-12-21T10:00"}, "note": {"Reports kept coming after the warning."}})
	if rec.Code != http.StatusSeeOther || len(d.sanctions) != 2 {
		t.Fatalf("suspend: %d, %d sanctions", rec.Code, len(d.sanctions))
	}
	if got := d.sanctions[1]; !got.Until.Equal(time.Date(2026, 12, 21, 9, 0, 0, 0, time.UTC)) || got.Agent != "agent:agent-anna" || d.sanctions[0].Agent != "agent:agent-anna" {
		t.Errorf("suspension until %s by %q; want 10:00 Berlin time (09:00 UTC), by the agent's sub", got.Until, got.Agent)
	}
	body = s.do("GET", "/console/businesses/biz-1", nil).Body.String()
	if !strings.Contains(body, `<dd id="reporting">suspended until 2026-12-21 10:00 CET</dd>`) || !strings.Contains(body, `id="lift-snc_suspension"`) {
		t.Errorf("after the suspension the page should say reporting is suspended until 10:00 CET and offer its lift:\n%s", body)
	}

	d.sanctions[0].Status = moderation.SanctionEnded // lifted meanwhile in another tab
	rec = s.do("POST", "/console/businesses/biz-1/sanctions/snc_warning/lift", url.Values{consoleauth.CSRFField: {csrf}, "note": {"The reports were founded after all."}})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "has ended already") || !strings.Contains(rec.Body.String(), `href="/console/businesses/biz-1"`) {
		t.Errorf("lifting an ended warning: %d; want 409 saying so with a link back:\n%s", rec.Code, rec.Body.String())
	}
}
