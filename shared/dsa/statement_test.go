package dsa

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

const reportID = "rpt_0192f1c2c1b27c3a9d4e5f60718293a4"

var (
	published = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	decided   = time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)
)

// agentRemoval is a first decision of an agent on the given reasons.
func agentRemoval(reasons ...moderation.Reason) Removal {
	return Removal{
		ReportID: reportID, Reasons: reasons, Ground: moderation.GroundGuidelineViolation,
		ContentDate: published, DecidedAt: decided,
	}
}

func noProofRemoval() Removal {
	return Removal{
		ReportID: reportID, Reasons: []moderation.Reason{moderation.ReasonNoGenuineExperience},
		Ground: moderation.GroundNoProofProvided, Automated: true,
		ContentDate: published, DecidedAt: decided,
	}
}

func mustStatement(t *testing.T, r Removal, p Platform) TDBStatement {
	t.Helper()
	s, err := Statement(r, p)
	if err != nil {
		t.Fatalf("Statement: %v", err)
	}
	return s
}

func TestStatementOfAnAgentsRemoval(t *testing.T) {
	p := DefaultPlatform()
	p.TerritorialScope = []string{"SE", "DE", "AT"}
	p.GuidelinesURL = "https://candor.example/guidelines"
	got := mustStatement(t, agentRemoval(moderation.ReasonSpam, moderation.ReasonCompetitor), p)
	want := TDBStatement{
		DecisionVisibility:             []string{"DECISION_VISIBILITY_CONTENT_REMOVED"},
		DecisionGround:                 "DECISION_GROUND_INCOMPATIBLE_CONTENT",
		DecisionGroundReferenceURL:     "https://candor.example/guidelines",
		IncompatibleContentGround:      "Candor review guidelines, reasons: competitor, spam",
		IncompatibleContentExplanation: "A moderator found that the review breaks the guidelines: the review was written by a competitor, employee, relative or someone else with a conflict of interest; the review is spam, gibberish or repeated text.",
		IncompatibleContentIllegal:     "No",
		ContentType:                    []string{"CONTENT_TYPE_TEXT"},
		Category:                       "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
		CategoryAddition:               []string{"STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"},
		CategorySpecification:          []string{"KEYWORD_INAUTHENTIC_USER_REVIEWS", "KEYWORD_OTHER"},
		CategorySpecificationOther:     "spam, gibberish or repeated text",
		TerritorialScope:               []string{"AT", "DE", "SE"},
		ContentDate:                    "2026-03-14",
		ApplicationDate:                "2026-11-02",
		DecisionFacts: "A business reported the review as breaking the platform's review guidelines. " +
			"The removal upholds these reported reasons: competitor (the review was written by a competitor, employee, relative or someone else with a conflict of interest); spam (the review is spam, gibberish or repeated text). " +
			"Ground: guideline_violation. A moderator examined the report and the review and found that the review breaks the guidelines for these reasons. " +
			"A person took the decision; automated means were not used to decide. " +
			"This is the first decision on the report.",
		SourceType:         "SOURCE_TYPE_OTHER_NOTIFICATION",
		AutomatedDetection: "No",
		AutomatedDecision:  "AUTOMATED_DECISION_NOT_AUTOMATED",
		PUID:               "candor-rpt_0192f1c2c1b27c3a9d4e5f60718293a4-0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Statement:\n got %+v\nwant %+v", got, want)
	}
}

func TestStatementOfTheNoProofRemovalSaysItIsAutomated(t *testing.T) {
	got := mustStatement(t, noProofRemoval(), DefaultPlatform())
	if got.AutomatedDecision != "AUTOMATED_DECISION_FULLY" {
		t.Errorf("automated_decision = %q, want AUTOMATED_DECISION_FULLY", got.AutomatedDecision)
	}
	if got.AutomatedDetection != "No" {
		t.Errorf("automated_detection = %q, want No: a business's report started it", got.AutomatedDetection)
	}
	for _, want := range []string{factUpholdsNoProof, factGroundNoProof, factAutomated, factFirstDecision} {
		if !strings.Contains(got.DecisionFacts, want) {
			t.Errorf("decision_facts %q lacks %q", got.DecisionFacts, want)
		}
	}
	if strings.Contains(got.DecisionFacts, factNotAutomated) {
		t.Errorf("decision_facts of an automated removal says a person decided: %q", got.DecisionFacts)
	}
	if got.IncompatibleContentExplanation != explainNoProof {
		t.Errorf("incompatible_content_explanation = %q, want %q", got.IncompatibleContentExplanation, explainNoProof)
	}
	if !reflect.DeepEqual(got.TerritorialScope, EEACountries()) {
		t.Errorf("territorial_scope = %v, want the EEA", got.TerritorialScope)
	}
}

func TestStatementOnAppeal(t *testing.T) {
	r := agentRemoval(moderation.ReasonOffensiveOrHarmful)
	r.Seq, r.OnAppeal = 1, true
	got := mustStatement(t, r, DefaultPlatform())
	if got.PUID != "candor-rpt_0192f1c2c1b27c3a9d4e5f60718293a4-1" {
		t.Errorf("puid = %q, want seq 1", got.PUID)
	}
	if !strings.Contains(got.DecisionFacts, factOnAppeal) || strings.Contains(got.DecisionFacts, factFirstDecision) {
		t.Errorf("decision_facts %q does not say the decision was taken on appeal", got.DecisionFacts)
	}
	if got.AutomatedDecision != AutomatedNot {
		t.Errorf("automated_decision = %q, want %q", got.AutomatedDecision, AutomatedNot)
	}
}

// TestCategoryOfEachReason is the table of docs/dsa-statements.md.
func TestCategoryOfEachReason(t *testing.T) {
	notGenuine := []string{CategoryScamsAndFraud}
	tests := []struct {
		reason    moderation.Reason
		category  string
		additions []string
		keywords  []string
		other     string
	}{
		{moderation.ReasonNoGenuineExperience, CategoryConsumerInformation, notGenuine, []string{KeywordInauthenticUserReviews}, ""},
		{moderation.ReasonCompetitor, CategoryConsumerInformation, notGenuine, []string{KeywordInauthenticUserReviews}, ""},
		{moderation.ReasonMultipleProfiles, CategoryConsumerInformation, notGenuine, []string{KeywordInauthenticUserReviews, KeywordInauthenticAccounts}, ""},
		{moderation.ReasonOffensiveOrHarmful, CategoryHarmfulSpeech, nil, nil, ""},
		{moderation.ReasonPersonalInformation, CategoryDataProtection, nil, []string{KeywordMissingProcessingGround}, ""},
		{moderation.ReasonRightsViolation, CategoryIntellectualProp, []string{CategoryDataProtection}, nil, ""},
		{moderation.ReasonPromotional, CategoryConsumerInformation, nil, []string{KeywordHiddenAdvertisement}, ""},
		{moderation.ReasonSpam, CategoryOtherViolationTC, nil, []string{KeywordOther}, "spam, gibberish or repeated text"},
		{moderation.ReasonWrongCompany, CategoryOtherViolationTC, nil, []string{KeywordOther}, "review about a different business"},
		{moderation.ReasonExperienceTooOld, CategoryOtherViolationTC, nil, []string{KeywordOther}, "review written too long after the experience"},
		{moderation.ReasonEthicalOrPolitical, CategoryOtherViolationTC, nil, []string{KeywordOther}, "ethical or political statement without a consumer experience"},
	}
	if len(tests) != len(moderation.AllReasons()) {
		t.Fatalf("the table covers %d reasons, moderation has %d", len(tests), len(moderation.AllReasons()))
	}
	for _, tt := range tests {
		t.Run(string(tt.reason), func(t *testing.T) {
			s := mustStatement(t, agentRemoval(tt.reason), DefaultPlatform())
			got := []any{s.Category, s.CategoryAddition, s.CategorySpecification, s.CategorySpecificationOther}
			want := []any{tt.category, tt.additions, tt.keywords, tt.other}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("category, addition, specification, other = %v, want %v", got, want)
			}
		})
	}
}

func TestStatementDoesNotDependOnReasonOrder(t *testing.T) {
	all := moderation.AllReasons()
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	a := mustStatement(t, agentRemoval(all...), DefaultPlatform())
	b := mustStatement(t, agentRemoval(reversed...), DefaultPlatform())
	if !reflect.DeepEqual(a, b) {
		t.Errorf("reordered reasons changed the statement:\n%+v\n%+v", a, b)
	}
	if a.Category != CategoryConsumerInformation {
		t.Errorf("category with every reason = %q, want %q (not-genuine reasons take precedence)", a.Category, CategoryConsumerInformation)
	}
}

func TestPUIDIsStable(t *testing.T) {
	r := agentRemoval(moderation.ReasonPromotional)
	first := mustStatement(t, r, DefaultPlatform()).PUID
	r.DecidedAt = r.DecidedAt.Add(48 * time.Hour)
	r.Reasons = []moderation.Reason{moderation.ReasonSpam}
	if again := mustStatement(t, r, DefaultPlatform()).PUID; again != first {
		t.Errorf("puid of the same report and seq changed: %q then %q", first, again)
	}
	r.Seq, r.OnAppeal = 1, true
	if other := mustStatement(t, r, DefaultPlatform()).PUID; other == first {
		t.Errorf("the removal on appeal has the first decision's puid %q", other)
	}
	p := DefaultPlatform()
	p.PUIDPrefix = "candor-staging"
	if got := mustStatement(t, agentRemoval(moderation.ReasonSpam), p).PUID; got != "candor-staging-"+reportID+"-0" {
		t.Errorf("puid with prefix candor-staging = %q", got)
	}
}

func TestDatesAreUTCDays(t *testing.T) {
	tonga := time.FixedZone("Tonga", 13*3600)
	r := agentRemoval(moderation.ReasonSpam)
	r.ContentDate = time.Date(2026, 3, 15, 8, 0, 0, 0, tonga) // 2026-03-14 19:00 UTC
	r.DecidedAt = time.Date(2026, 11, 3, 10, 0, 0, 0, tonga)  // 2026-11-02 21:00 UTC
	s := mustStatement(t, r, DefaultPlatform())
	if s.ContentDate != "2026-03-14" || s.ApplicationDate != "2026-11-02" {
		t.Errorf("content_date, application_date = %s, %s, want the UTC days 2026-03-14, 2026-11-02", s.ContentDate, s.ApplicationDate)
	}
}

func TestStatementRefusesBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Removal, *Platform)
		fields []string
	}{
		{"no reasons", func(r *Removal, _ *Platform) { r.Reasons = nil }, []string{"removal.reasons"}},
		{"unknown reason", func(r *Removal, _ *Platform) { r.Reasons = []moderation.Reason{"spam", "rude"} }, []string{"removal.reasons[1]"}},
		{"repeated reason", func(r *Removal, _ *Platform) { r.Reasons = []moderation.Reason{"spam", "spam"} }, []string{"removal.reasons[1]"}},
		{"unknown ground", func(r *Removal, _ *Platform) { r.Ground = "removed" }, []string{"removal.ground"}},
		{"report id with personal data", func(r *Removal, _ *Platform) { r.ReportID = "anna@example.com" }, []string{"removal.report_id"}},
		{"id of another kind", func(r *Removal, _ *Platform) { r.ReportID = "rev_0192f1c2c1b27c3a9d4e5f60718293a4" }, []string{"removal.report_id"}},
		{"negative seq", func(r *Removal, _ *Platform) { r.Seq = -1 }, []string{"removal.seq"}},
		{"appeal at seq 0", func(r *Removal, _ *Platform) { r.OnAppeal = true }, []string{"removal.on_appeal"}},
		{"seq 1 not on appeal", func(r *Removal, _ *Platform) { r.Seq = 1 }, []string{"removal.on_appeal"}},
		{"automated agent decision", func(r *Removal, _ *Platform) { r.Automated = true }, []string{"removal.automated"}},
		{"no-proof removal by a person", func(r *Removal, _ *Platform) {
			r.Ground, r.Reasons = moderation.GroundNoProofProvided, []moderation.Reason{moderation.ReasonNoGenuineExperience}
		}, []string{"removal.automated"}},
		{"no-proof removal upholding another reason", func(r *Removal, _ *Platform) {
			r.Ground, r.Automated = moderation.GroundNoProofProvided, true
			r.Reasons = []moderation.Reason{moderation.ReasonNoGenuineExperience, moderation.ReasonSpam}
		}, []string{"removal.reasons"}},
		{"automated on appeal", func(r *Removal, _ *Platform) {
			r.Ground, r.Automated, r.Seq, r.OnAppeal = moderation.GroundNoProofProvided, true, 1, true
			r.Reasons = []moderation.Reason{moderation.ReasonNoGenuineExperience}
		}, []string{"removal.automated"}},
		{"no content date", func(r *Removal, _ *Platform) { r.ContentDate = time.Time{} }, []string{"removal.content_date"}},
		{"content before 2000", func(r *Removal, _ *Platform) { r.ContentDate = time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC) }, []string{"removal.content_date"}},
		{"no decision date", func(r *Removal, _ *Platform) { r.DecidedAt = time.Time{} }, []string{"removal.decided_at"}},
		{"decided before the content", func(r *Removal, _ *Platform) { r.DecidedAt = published.AddDate(0, 0, -1) }, []string{"removal.decided_at"}},
		{"no territorial scope", func(_ *Removal, p *Platform) { p.TerritorialScope = nil }, []string{"platform.territorial_scope"}},
		{"country outside the EEA", func(_ *Removal, p *Platform) { p.TerritorialScope = []string{"DE", "CH"} }, []string{"platform.territorial_scope[1]"}},
		{"country twice", func(_ *Removal, p *Platform) { p.TerritorialScope = []string{"DE", "DE"} }, []string{"platform.territorial_scope[1]"}},
		{"puid prefix with a space", func(_ *Removal, p *Platform) { p.PUIDPrefix = "candor eu" }, []string{"platform.puid_prefix"}},
		{"no guidelines name", func(_ *Removal, p *Platform) { p.GuidelinesName = "" }, []string{"platform.guidelines_name"}},
		{"guidelines url not http", func(_ *Removal, p *Platform) { p.GuidelinesURL = "ftp://candor.example/g" }, []string{"platform.guidelines_url"}},
		{"every problem at once", func(r *Removal, p *Platform) { r.Reasons, r.Ground, p.PUIDPrefix = nil, "", "" },
			[]string{"removal.reasons", "removal.ground", "platform.puid_prefix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, p := agentRemoval(moderation.ReasonSpam), DefaultPlatform()
			tt.change(&r, &p)
			s, err := Statement(r, p)
			if err == nil {
				t.Fatalf("Statement accepted it: %+v", s)
			}
			if !reflect.DeepEqual(s, TDBStatement{}) {
				t.Errorf("Statement returned a statement with its error: %+v", s)
			}
			if strings.Contains(err.Error(), "anna@") {
				t.Errorf("the error repeats the invalid report id: %v", err)
			}
			if got := fieldsOf(err); !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields = %v, want %v (error: %v)", got, tt.fields, err)
			}
		})
	}
}

// fieldsOf returns the Field of every *FieldError joined in err, in order.
func fieldsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		var fe *FieldError
		if errors.As(e, &fe) && e == error(fe) {
			out = append(out, fe.Field)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

func TestParseTerritorialScope(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"EEA", EEACountries(), false},
		{" eu ", EUCountries(), false},
		{"se, DE,at", []string{"AT", "DE", "SE"}, false},
		{"NO", []string{"NO"}, false},
		{"", nil, true},
		{"DE,CH", nil, true},
		{"DE,de", nil, true},
		{"DE,", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseTerritorialScope(tt.in)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseTerritorialScope(%q) = %v, %v; want %v, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if n := len(EUCountries()); n != 27 {
		t.Errorf("EUCountries has %d countries, want 27", n)
	}
	if n := len(EEACountries()); n != 30 {
		t.Errorf("EEACountries has %d countries, want 30", n)
	}
}

func BenchmarkStatement(b *testing.B) {
	r := agentRemoval(moderation.AllReasons()...)
	p := DefaultPlatform()
	for b.Loop() {
		if _, err := Statement(r, p); err != nil {
			b.Fatal(err)
		}
	}
}
