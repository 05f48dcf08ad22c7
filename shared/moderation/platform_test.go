package moderation

import (
	"strings"
	"testing"
	"time"
)

func TestValidateBusiness(t *testing.T) {
	ok := BusinessInput{Name: "Åkes Pizzeria", NotificationEmail: "owner@akes.se", Locale: "sv-SE"}
	with := func(f func(*BusinessInput)) BusinessInput { in := ok; f(&in); return in }
	const plain = "plain email address"
	tests := []struct {
		name string
		in   BusinessInput
		want want
	}{
		{"valid", ok, accepted},
		{"no locale", with(func(b *BusinessInput) { b.Locale = "" }), accepted},
		{"locale with underscore", with(func(b *BusinessInput) { b.Locale = "de_AT" }), accepted},
		{"locale with script and region", with(func(b *BusinessInput) { b.Locale = "zh-Hant-TW" }), accepted},
		{"name 200", with(func(b *BusinessInput) { b.Name = strings.Repeat("ö", 200) }), accepted},
		{"name 201", with(func(b *BusinessInput) { b.Name = strings.Repeat("ö", 201) }), invalid(map[string]string{"name": "at most 200"})},
		{"name blank", with(func(b *BusinessInput) { b.Name = "  " }), invalid(map[string]string{"name": "required"})},
		{"name with a control character", with(func(b *BusinessInput) { b.Name = "Åkes\x07" }), invalid(map[string]string{"name": "control characters"})},
		{"email with display name", with(func(b *BusinessInput) { b.NotificationEmail = "Owner <owner@akes.se>" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email in angle brackets", with(func(b *BusinessInput) { b.NotificationEmail = "<owner@akes.se>" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email with a comment", with(func(b *BusinessInput) { b.NotificationEmail = "owner@akes.se (boss)" }), invalid(map[string]string{"notificationEmail": plain})},
		{"two emails", with(func(b *BusinessInput) { b.NotificationEmail = "a@akes.se, b@akes.se" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email with spaces around", with(func(b *BusinessInput) { b.NotificationEmail = " owner@akes.se" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email without domain dot", with(func(b *BusinessInput) { b.NotificationEmail = "owner@akes" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email without @", with(func(b *BusinessInput) { b.NotificationEmail = "owner.akes.se" }), invalid(map[string]string{"notificationEmail": plain})},
		{"email missing", with(func(b *BusinessInput) { b.NotificationEmail = "" }), invalid(map[string]string{"notificationEmail": "required"})},
		{"email too long", with(func(b *BusinessInput) { b.NotificationEmail = strings.Repeat("a", 250) + "@x.se" }), invalid(map[string]string{"notificationEmail": "at most 254"})},
		{"locale word", with(func(b *BusinessInput) { b.Locale = "swedish" }), invalid(map[string]string{"locale": "language tag"})},
		{"locale empty subtag", with(func(b *BusinessInput) { b.Locale = "sv--SE" }), invalid(map[string]string{"locale": "language tag"})},
		{"locale trailing dash", with(func(b *BusinessInput) { b.Locale = "sv-" }), invalid(map[string]string{"locale": "language tag"})},
		{"locale digit primary", with(func(b *BusinessInput) { b.Locale = "s1" }), invalid(map[string]string{"locale": "language tag"})},
		{"everything wrong", BusinessInput{Locale: "?"}, invalid(map[string]string{"name": "required", "notificationEmail": "required", "locale": "language tag"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateBusiness(tt.in), tt.want)
		})
	}
}

func TestNormalizeLocale(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "en"}, {"en", "en"}, {"en-GB", "en"}, {"sv", "sv"}, {"sv-SE", "sv"}, {"SV_se", "sv"},
		{"de", "de"}, {"de_AT", "de"}, {"de-CH", "de"}, {" de ", "de"}, {"fr", "en"}, {"nb-NO", "en"},
		{"sve", "en"}, {"-sv", "en"}, {"dex", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizeLocale(tt.in); got != tt.want {
				t.Errorf("NormalizeLocale(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a", true}, {"rev_01-X", true}, {strings.Repeat("z", 64), true},
		{"", false}, {strings.Repeat("z", 65), false}, {"a b", false}, {"a/b", false},
		{"a.b", false}, {"revö", false}, {"../x", false}, {"a\x00", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidID(tt.in); got != tt.want {
				t.Errorf("ValidID(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// noon is the tests' "now": 2026-03-10 12:00 UTC.
var noon = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func reviewInput() ReviewInput {
	return ReviewInput{
		BusinessID: "biz-1",
		Reviewer:   Reviewer{Email: "anna@example.com", Name: "Anna Svensson", Locale: "sv-SE"},
		Stars:      2,
		Title:      testTitle,
		Text:       testText,
		Source:     SourceOrganic,

		ExperienceDate: "2026-03-01",
	}
}

func TestValidateReviewInput(t *testing.T) {
	with := func(f func(*ReviewInput)) ReviewInput { in := reviewInput(); f(&in); return in }
	tests := []struct {
		name string
		in   ReviewInput
		now  time.Time
		want want
	}{
		{"valid", reviewInput(), noon, accepted},
		{"no title, no locale, version given", with(func(r *ReviewInput) { r.Title, r.Reviewer.Locale, r.Version = "", "", 3 }), noon, accepted},
		{"business id", with(func(r *ReviewInput) { r.BusinessID = "biz/1" }), noon, invalid(map[string]string{"businessId": "1 to 64"})},
		{"reviewer email", with(func(r *ReviewInput) { r.Reviewer.Email = "Anna <anna@example.com>" }), noon, invalid(map[string]string{"reviewer.email": "plain email"})},
		{"reviewer name blank", with(func(r *ReviewInput) { r.Reviewer.Name = " " }), noon, invalid(map[string]string{"reviewer.name": "required"})},
		{"reviewer name 201", with(func(r *ReviewInput) { r.Reviewer.Name = strings.Repeat("å", 201) }), noon, invalid(map[string]string{"reviewer.name": "at most 200"})},
		{"reviewer locale", with(func(r *ReviewInput) { r.Reviewer.Locale = "sv SE" }), noon, invalid(map[string]string{"reviewer.locale": "language tag"})},
		{"reviewer time zone", with(func(r *ReviewInput) { r.Reviewer.TimeZone = "Europe/Stockholm" }), noon, accepted},
		{"reviewer time zone unknown", with(func(r *ReviewInput) { r.Reviewer.TimeZone = "Europe/Atlantis" }), noon, invalid(map[string]string{"reviewer.timeZone": "IANA time zone"})},
		{"stars 0", with(func(r *ReviewInput) { r.Stars = 0 }), noon, invalid(map[string]string{"stars": "between 1 and 5"})},
		{"stars 1", with(func(r *ReviewInput) { r.Stars = 1 }), noon, accepted},
		{"stars 5", with(func(r *ReviewInput) { r.Stars = 5 }), noon, accepted},
		{"stars 6", with(func(r *ReviewInput) { r.Stars = 6 }), noon, invalid(map[string]string{"stars": "between 1 and 5"})},
		{"title 200", with(func(r *ReviewInput) { r.Title = strings.Repeat("é", 200) }), noon, accepted},
		{"title 201", with(func(r *ReviewInput) { r.Title = strings.Repeat("é", 201) }), noon, invalid(map[string]string{"title": "at most 200"})},
		{"text 10000", with(func(r *ReviewInput) { r.Text = strings.Repeat("ü", 10000) }), noon, accepted},
		{"text 10001", with(func(r *ReviewInput) { r.Text = strings.Repeat("ü", 10001) }), noon, invalid(map[string]string{"text": "at most 10000"})},
		{"text blank", with(func(r *ReviewInput) { r.Text = "\n" }), noon, invalid(map[string]string{"text": "required"})},
		{"text with NUL", with(func(r *ReviewInput) { r.Text = "ok\x00" }), noon, invalid(map[string]string{"text": "control characters"})},
		{"source unknown", with(func(r *ReviewInput) { r.Source = "imported" }), noon, invalid(map[string]string{"source": "one of"})},
		{"source missing", with(func(r *ReviewInput) { r.Source = "" }), noon, invalid(map[string]string{"source": "one of"})},
		{"version negative", with(func(r *ReviewInput) { r.Version = -1 }), noon, invalid(map[string]string{"version": "negative"})},
		{"experience today", with(func(r *ReviewInput) { r.ExperienceDate = "2026-03-10" }), noon, accepted},
		{"experience tomorrow, already begun east of UTC", with(func(r *ReviewInput) { r.ExperienceDate = "2026-03-11" }), noon, accepted},
		{"experience tomorrow, begun nowhere yet", with(func(r *ReviewInput) { r.ExperienceDate = "2026-03-11" }),
			time.Date(2026, 3, 10, 9, 59, 0, 0, time.UTC), invalid(map[string]string{"experienceDate": "future"})},
		{"experience tomorrow, just begun at UTC+14", with(func(r *ReviewInput) { r.ExperienceDate = "2026-03-11" }),
			time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), accepted},
		{"experience in two days", with(func(r *ReviewInput) { r.ExperienceDate = "2026-03-12" }), noon, invalid(map[string]string{"experienceDate": "future"})},
		{"experience long ago", with(func(r *ReviewInput) { r.ExperienceDate = "1999-12-31" }), noon, accepted},
		{"experience 29 February of a leap year", with(func(r *ReviewInput) { r.ExperienceDate = "2024-02-29" }), noon, accepted},
		{"experience 29 February otherwise", with(func(r *ReviewInput) { r.ExperienceDate = "2025-02-29" }), noon, invalid(map[string]string{"experienceDate": "real date"})},
		{"experience 31 April", with(func(r *ReviewInput) { r.ExperienceDate = "2025-04-31" }), noon, invalid(map[string]string{"experienceDate": "real date"})},
		{"experience without padding", with(func(r *ReviewInput) { r.ExperienceDate = "2025-4-3" }), noon, invalid(map[string]string{"experienceDate": "real date"})},
		{"experience as a timestamp", with(func(r *ReviewInput) { r.ExperienceDate = "2025-04-03T10:00:00Z" }), noon, invalid(map[string]string{"experienceDate": "real date"})},
		{"experience day first", with(func(r *ReviewInput) { r.ExperienceDate = "03/04/2025" }), noon, invalid(map[string]string{"experienceDate": "real date"})},
		{"experience missing", with(func(r *ReviewInput) { r.ExperienceDate = "" }), noon, invalid(map[string]string{"experienceDate": "required"})},
		{"everything wrong at once", ReviewInput{Version: -2, Reviewer: Reviewer{Locale: "!", TimeZone: "CEST"}}, noon, invalid(map[string]string{
			"businessId": "", "reviewer.email": "", "reviewer.name": "", "reviewer.locale": "", "reviewer.timeZone": "", "stars": "",
			"text": "", "source": "", "experienceDate": "", "version": "",
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidateReviewInput(tt.in, tt.now), tt.want)
		})
	}
}

func TestValidateReviewInputKeepsReviewerDataOutOfErrors(t *testing.T) {
	in := reviewInput()
	in.Reviewer.Email = "Anna Svensson <anna.svensson@example.com>"
	in.Reviewer.Name = "Anna Svensson\x00"
	err := ValidateReviewInput(in, noon)
	if err == nil {
		t.Fatal("got no error, want one")
	}
	for _, pd := range []string{"anna", "Anna", "Svensson"} {
		if strings.Contains(err.Error(), pd) {
			t.Errorf("error %q contains reviewer data %q", err, pd)
		}
	}
}

func TestApplyReviewCreates(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		version int
		want    want
	}{
		{"version omitted", "rev-1", 0, accepted},
		{"version 1", "rev-1", 1, accepted},
		{"version 2", "rev-1", 2, invalid(map[string]string{"version": "must be 1"})},
		{"bad id", "rev 1", 0, invalid(map[string]string{"reviewId": "1 to 64"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := reviewInput()
			in.Version = tt.version
			now := noon.In(time.FixedZone("CET", 3600))
			r, v, changed, err := ApplyReview(nil, tt.id, in, now)
			check(t, err, tt.want)
			if err != nil {
				if changed {
					t.Errorf("changed = true on error, want false")
				}
				return
			}
			wantR := Review{
				ID: tt.id, BusinessID: in.BusinessID, Version: 1, Reviewer: in.Reviewer, Stars: in.Stars,
				Title: in.Title, Text: in.Text, Source: in.Source, ExperienceDate: in.ExperienceDate,
				Visibility: Published, CreatedAt: noon, UpdatedAt: noon,
			}
			if r != wantR {
				t.Errorf("review = %+v\nwant     %+v", r, wantR)
			}
			if r.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt in %v, want UTC", r.CreatedAt.Location())
			}
			wantV := ReviewVersion{Version: 1, Stars: in.Stars, Title: in.Title, Text: in.Text, ExperienceDate: in.ExperienceDate, At: noon, By: VersionByPlatform}
			if v != wantV {
				t.Errorf("version = %+v, want %+v", v, wantV)
			}
			if !changed {
				t.Errorf("changed = false, want true")
			}
		})
	}
}

func TestApplyReviewCreateRejectsInvalidInput(t *testing.T) {
	in := reviewInput()
	in.Stars = 9
	in.Version = 4
	_, _, changed, err := ApplyReview(nil, "rev-1", in, noon)
	check(t, err, invalid(map[string]string{"stars": "between 1 and 5", "version": "must be 1"}))
	if changed {
		t.Errorf("changed = true, want false")
	}
}

func TestApplyReviewUpdates(t *testing.T) {
	created := noon.Add(-48 * time.Hour)
	later := noon
	// existing is version 3 of a review under investigation for a report on
	// version 3, with a Find Reviewer request awaiting a reply.
	existing := func() Review {
		in := reviewInput()
		return Review{
			ID: "rev-1", BusinessID: in.BusinessID, Version: 3, Reviewer: in.Reviewer, Stars: in.Stars,
			Title: in.Title, Text: in.Text, Source: in.Source, ExperienceDate: in.ExperienceDate,
			Visibility: UnderInvestigation, OpenReportID: "rep-1", LastReportedVersion: 3,
			OpenRequestID: "req-1", PublicStatement: testStmt, ReportedAt: created.Add(time.Hour),
			CreatedAt: created, UpdatedAt: created,
		}
	}
	with := func(f func(*ReviewInput)) ReviewInput { in := reviewInput(); f(&in); return in }
	edited := func(v int) ReviewInput {
		return with(func(r *ReviewInput) { r.Text = "Edited: the pizza was fine after all."; r.Stars = 4; r.Version = v })
	}
	editedReview := func(in ReviewInput) Review {
		r := existing()
		r.Version, r.Stars, r.Text, r.Title, r.ExperienceDate, r.Reviewer = 4, in.Stars, in.Text, in.Title, in.ExperienceDate, in.Reviewer
		r.UpdatedAt = later
		return r
	}
	newReviewer := Reviewer{Email: "anna.s@example.org", Name: "Anna S.", Locale: "de"}

	tests := []struct {
		name        string
		in          ReviewInput
		want        want
		wantReview  Review
		wantVersion ReviewVersion
		wantChanged bool
	}{
		{"same content, no version: no-op", reviewInput(), accepted, existing(), ReviewVersion{}, false},
		{"same content, current version: no-op", with(func(r *ReviewInput) { r.Version = 3 }), accepted, existing(), ReviewVersion{}, false},
		{"edit without version", edited(0), accepted, editedReview(edited(0)),
			ReviewVersion{Version: 4, Stars: 4, Title: testTitle, Text: edited(0).Text, ExperienceDate: "2026-03-01", At: later, By: VersionByReviewer}, true},
		{"edit with the next version", edited(4), accepted, editedReview(edited(4)),
			ReviewVersion{Version: 4, Stars: 4, Title: testTitle, Text: edited(0).Text, ExperienceDate: "2026-03-01", At: later, By: VersionByReviewer}, true},
		{"title-only edit", with(func(r *ReviewInput) { r.Title = "Better title" }), accepted,
			func() Review { r := existing(); r.Version, r.Title, r.UpdatedAt = 4, "Better title", later; return r }(),
			ReviewVersion{Version: 4, Stars: 2, Title: "Better title", Text: testText, ExperienceDate: "2026-03-01", At: later, By: VersionByReviewer}, true},
		{"experience date edit", with(func(r *ReviewInput) { r.ExperienceDate = "2026-02-28" }), accepted,
			func() Review {
				r := existing()
				r.Version, r.ExperienceDate, r.UpdatedAt = 4, "2026-02-28", later
				return r
			}(),
			ReviewVersion{Version: 4, Stars: 2, Title: testTitle, Text: testText, ExperienceDate: "2026-02-28", At: later, By: VersionByReviewer}, true},
		{"same content, next version: a new version", with(func(r *ReviewInput) { r.Version = 4 }), accepted,
			func() Review { r := existing(); r.Version, r.UpdatedAt = 4, later; return r }(),
			ReviewVersion{Version: 4, Stars: 2, Title: testTitle, Text: testText, ExperienceDate: "2026-03-01", At: later, By: VersionByReviewer}, true},
		{"reviewer-only change", with(func(r *ReviewInput) { r.Reviewer = newReviewer }), accepted,
			func() Review { r := existing(); r.Reviewer, r.UpdatedAt = newReviewer, later; return r }(), ReviewVersion{}, true},
		{"reviewer-only change at the current version", with(func(r *ReviewInput) { r.Reviewer.Locale = ""; r.Version = 3 }), accepted,
			func() Review { r := existing(); r.Reviewer.Locale, r.UpdatedAt = "", later; return r }(), ReviewVersion{}, true},
		{"edit skipping a version", edited(5), conflict(CodeVersionConflict, nil), Review{}, ReviewVersion{}, false},
		{"edit claiming the current version", edited(3), conflict(CodeVersionConflict, nil), Review{}, ReviewVersion{}, false},
		{"stale replay of an older version", with(func(r *ReviewInput) { r.Text = "Version two text."; r.Version = 2 }), conflict(CodeVersionConflict, nil), Review{}, ReviewVersion{}, false},
		{"same content, older version", with(func(r *ReviewInput) { r.Version = 2 }), conflict(CodeVersionConflict, nil), Review{}, ReviewVersion{}, false},
		{"business id is immutable", with(func(r *ReviewInput) { r.BusinessID = "biz-2" }),
			invalid(map[string]string{"businessId": "immutable"}), Review{}, ReviewVersion{}, false},
		{"source is immutable", with(func(r *ReviewInput) { r.Source = SourceInvitedPlatform }),
			invalid(map[string]string{"source": "immutable"}), Review{}, ReviewVersion{}, false},
		{"immutable fields and invalid content at once", with(func(r *ReviewInput) { r.BusinessID, r.Source, r.Stars = "biz-2", SourceInvitedOther, 0 }),
			invalid(map[string]string{"businessId": "immutable", "source": "immutable", "stars": "between"}), Review{}, ReviewVersion{}, false},
		{"immutable field beats a version conflict", with(func(r *ReviewInput) { r.BusinessID, r.Version = "biz-2", 9 }),
			invalid(map[string]string{"businessId": "immutable"}), Review{}, ReviewVersion{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := existing()
			r, v, changed, err := ApplyReview(&ex, "rev-1", tt.in, later)
			check(t, err, tt.want)
			if ex != existing() {
				t.Errorf("ApplyReview changed *existing to %+v", ex)
			}
			if err != nil {
				if changed {
					t.Errorf("changed = true on error, want false")
				}
				return
			}
			if r != tt.wantReview {
				t.Errorf("review = %+v\nwant     %+v", r, tt.wantReview)
			}
			if v != tt.wantVersion {
				t.Errorf("version = %+v\nwant      %+v", v, tt.wantVersion)
			}
			if changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
		})
	}
}

func TestEditedReviewCanBeReportedAgain(t *testing.T) {
	// P1 across ApplyReview: a closed report on version 1 blocks reporting
	// version 1 again, and the reviewer's edit makes version 2 reportable.
	r, _, _, err := ApplyReview(nil, "rev-1", reviewInput(), noon)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	r.LastReportedVersion = 1
	check(t, CanReport(ReviewContext{Review: r}), conflict(CodeAlreadyReported, nil))

	in := reviewInput()
	in.Text = testText + " Update: they apologised."
	r, _, _, err = ApplyReview(&r, "rev-1", in, noon.Add(time.Hour))
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	check(t, CanReport(ReviewContext{Review: r}), accepted)
	check(t, ValidateReport(ReviewContext{Review: r}, draft(item(ReasonOffensiveOrHarmful))), accepted)
}
