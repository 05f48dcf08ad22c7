package app_test

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

const sanctionNote = "Forty unfounded reports in one month, all reinstated."

// TestSuspensionBlocksReportingUntilLifted: a suspended business cannot
// report; its standing shows the suspension; once lifted it reports again.
func TestSuspensionBlocksReportingUntilLifted(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	s, err := f.app.Suspend(f.ctx, ada, "biz-1", sanctionNote, t0.Add(30*24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ws, ok := f.starts.last(app.MachineSanction); !ok || ws.Name != s.ID {
		t.Errorf("sanction start %+v, want one named %s", ws, s.ID)
	}
	st, err := f.app.ReportingStanding(f.ctx, biz)
	if err != nil || st.Suspension == nil || st.Suspension.ID != s.ID || st.ReportsPerHour != moderation.DefaultPolicy.ReportsPerHour {
		t.Errorf("standing = %+v, %v; want the suspension and the default limits", st, err)
	}
	_, _, err = f.app.SubmitReport(f.ctx, biz, "rev-1", spam, nil)
	wantCode(t, err, moderation.CodeReportingSuspended)
	if v := f.visibility("rev-1"); v != moderation.Published {
		t.Errorf("a suspended business's report changed the review to %s", v)
	}
	if _, err := f.app.Lift(f.ctx, ada, "biz-1", s.ID, "The business showed the reports were right.", nil); err != nil {
		t.Fatal(err)
	}
	f.report("rev-1", spam)
}

func TestSanctionRefusals(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	_, err := f.app.Suspend(f.ctx, ada, "biz-1", sanctionNote, t0.Add(-time.Hour), nil)
	wantCode(t, err, moderation.CodeValidationFailed) // an end in the past
	_, err = f.app.Warn(f.ctx, ada, "biz-nobody", sanctionNote, nil)
	wantCode(t, err, moderation.CodeNotFound)
	w, err := f.app.Warn(f.ctx, ada, "biz-1", sanctionNote, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Until.Equal(t0.Add(moderation.WarningLifetime)) {
		t.Errorf("warning lapses at %s, want %s", w.Until, t0.Add(moderation.WarningLifetime))
	}
	f.clock.Advance(moderation.WarningLifetime)
	_, err = f.app.Lift(f.ctx, ada, "biz-1", w.ID, "Lifted after it lapsed, by mistake.", nil)
	wantCode(t, err, moderation.CodeSanctionNotActive)
}
