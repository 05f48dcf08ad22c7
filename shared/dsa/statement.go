// Package dsa turns the removals of reviews into statements of reasons in the
// DSA Transparency Database format (API v2), the public record that Art. 24(5)
// of the Digital Services Act asks online platforms to submit.
//
// A statement is built from structured fields only: the reasons a removal
// upholds, its ground, whether it was automated or decided on appeal, and two
// dates. No free text written by a person (an agent's note, a business's
// details, a reviewer's reply) can reach it, because [Removal] carries none:
// the texts of a statement are generated from a closed set of sentences.
// docs/dsa-statements.md maps every field to its source.
package dsa

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// Removal is one removal of a review as the store keeps it, free of personal data.
type Removal struct {
	ReportID    string              // e.g. rpt_0192...; the statement's puid derives from it
	Seq         int                 // 0 for a first decision; 1 for a removal decided on appeal (a reversal of a reinstatement)
	Reasons     []moderation.Reason // the reported reasons the removal upholds (non-empty)
	Ground      string              // moderation.GroundNoProofProvided ("no_proof_provided") or moderation.GroundGuidelineViolation ("guideline_violation")
	Automated   bool                // the no-proof removal after the proof window is an automated decision
	OnAppeal    bool
	ContentDate time.Time // when the removed version of the review was published
	DecidedAt   time.Time // the application date of the decision
}

// Platform is what a deployment configures about the statements it publishes.
type Platform struct {
	// TerritorialScope lists the EU/EEA countries (ISO 3166-1 alpha-2) a
	// removal applies in. A removed review is offline everywhere, so this is
	// normally every EEA country: see [EEACountries] and [ParseTerritorialScope].
	TerritorialScope []string
	// PUIDPrefix starts every puid, e.g. "candor": 1–40 of A–Z, a–z, 0–9, "_", "-".
	PUIDPrefix string
	// GuidelinesName names the terms and conditions a removal relies on, e.g.
	// "Candor review guidelines": 1–100 printable ASCII characters.
	GuidelinesName string
	// GuidelinesURL, if set, is published as decision_ground_reference_url:
	// an absolute http(s) URL of at most 500 characters.
	GuidelinesURL string
}

// DefaultPlatform is Candor's configuration when a deployment sets nothing:
// every EEA country, puids starting "candor-", the guidelines named
// "Candor review guidelines" without a URL.
func DefaultPlatform() Platform {
	return Platform{
		TerritorialScope: EEACountries(),
		PUIDPrefix:       "candor",
		GuidelinesName:   "Candor review guidelines",
	}
}

// TDBStatement is one statement of reasons in the shape the DSA Transparency
// Database API v2 accepts. It holds only the fields a removal of a review
// fills; the others of the API (monetary, provision and account restrictions,
// end dates, content language, source identity, illegal-content grounds) do
// not apply and are absent. Marshalled with encoding/json it validates
// against api/schemas/dsa-statement-v2.schema.json (package dsaschema).
type TDBStatement struct {
	DecisionVisibility             []string `json:"decision_visibility"`
	DecisionGround                 string   `json:"decision_ground"`
	DecisionGroundReferenceURL     string   `json:"decision_ground_reference_url,omitempty"`
	IncompatibleContentGround      string   `json:"incompatible_content_ground"`
	IncompatibleContentExplanation string   `json:"incompatible_content_explanation"`
	IncompatibleContentIllegal     string   `json:"incompatible_content_illegal"`
	ContentType                    []string `json:"content_type"`
	Category                       string   `json:"category"`
	CategoryAddition               []string `json:"category_addition,omitempty"`
	CategorySpecification          []string `json:"category_specification,omitempty"`
	CategorySpecificationOther     string   `json:"category_specification_other,omitempty"`
	TerritorialScope               []string `json:"territorial_scope"`
	ContentDate                    string   `json:"content_date"`
	ApplicationDate                string   `json:"application_date"`
	DecisionFacts                  string   `json:"decision_facts"`
	SourceType                     string   `json:"source_type"`
	AutomatedDetection             string   `json:"automated_detection"`
	AutomatedDecision              string   `json:"automated_decision"`
	PUID                           string   `json:"puid"`
}

// The enum values of the Transparency Database API v2 that statements use.
const (
	VisibilityContentRemoved = "DECISION_VISIBILITY_CONTENT_REMOVED"
	GroundIncompatible       = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
	ContentTypeText          = "CONTENT_TYPE_TEXT"
	// SourceOtherNotification: a business's report is an external notice that
	// the review breaks the guidelines, not an Art. 16 notice of illegal
	// content, and businesses are not trusted flaggers (docs/dsa-statements.md).
	SourceOtherNotification = "SOURCE_TYPE_OTHER_NOTIFICATION"
	AutomatedFully          = "AUTOMATED_DECISION_FULLY"
	AutomatedNot            = "AUTOMATED_DECISION_NOT_AUTOMATED"
	No                      = "No"

	CategoryConsumerInformation = "STATEMENT_CATEGORY_CONSUMER_INFORMATION"
	CategoryScamsAndFraud       = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
	CategoryHarmfulSpeech       = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
	CategoryDataProtection      = "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"
	CategoryIntellectualProp    = "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
	CategoryOtherViolationTC    = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"

	KeywordInauthenticUserReviews  = "KEYWORD_INAUTHENTIC_USER_REVIEWS"
	KeywordInauthenticAccounts     = "KEYWORD_INAUTHENTIC_ACCOUNTS"
	KeywordHiddenAdvertisement     = "KEYWORD_HIDDEN_ADVERTISEMENT"
	KeywordMissingProcessingGround = "KEYWORD_MISSING_PROCESSING_GROUND"
	KeywordOther                   = "KEYWORD_OTHER"
)

// The limits of the API v2 on its text fields, in characters.
const (
	maxIncompatibleGround       = 500
	maxIncompatibleExplanation  = 2000
	maxCategorySpecificationOth = 500
	maxDecisionFacts            = 5000
	maxPUID                     = 500
	maxPUIDPrefix               = 40
	maxGuidelinesName           = 100
	maxReferenceURL             = 500
)

// The earliest dates the API accepts.
var (
	minContentDate     = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	minApplicationDate = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
)

// FieldError is one problem with the input of [Statement]: Field is a path
// such as "removal.reasons[2]" or "platform.territorial_scope[0]".
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// PUID returns the platform unique identifier of the statement of the
// removal seq of report reportID: prefix "-" report id "-" seq, e.g.
// "candor-rpt_0192...-0". The same removal always gets the same puid, and
// two removals of one report differ by seq. [Statement] fills it; the API
// may use it to find a statement again.
func PUID(prefix, reportID string, seq int) string {
	return prefix + "-" + reportID + "-" + strconv.Itoa(seq)
}

// Statement returns the statement of reasons for removal r on platform p.
// It refuses, with every problem at once as [*FieldError]s joined into one
// error, input that would make a false or invalid statement: an unknown,
// repeated or missing reason, an unknown ground, a report id that is not one
// (so nothing but an id can reach the puid), dates outside the API's range or
// a decision before the content, an automated decision that is not the
// no-proof removal (Candor decides nothing else automatically) or that is on
// appeal (Art. 20(6) DSA forbids deciding complaints solely by automated
// means), a no-proof removal that upholds anything but exactly the reason
// no_genuine_experience (P6: the automated removal examined nothing else),
// a seq that disagrees with OnAppeal, and an invalid Platform.
//
// The output does not depend on the order of r.Reasons.
func Statement(r Removal, p Platform) (TDBStatement, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	reasons := checkRemoval(r, bad)
	scope := checkPlatform(p, bad)
	if len(errs) > 0 {
		return TDBStatement{}, fmt.Errorf("dsa statement for %s: %w", subject(r), errors.Join(errs...))
	}

	cat := categorise(reasons)
	s := TDBStatement{
		DecisionVisibility:             []string{VisibilityContentRemoved},
		DecisionGround:                 GroundIncompatible,
		DecisionGroundReferenceURL:     p.GuidelinesURL,
		IncompatibleContentGround:      incompatibleGround(p.GuidelinesName, reasons),
		IncompatibleContentExplanation: incompatibleExplanation(reasons, r.Ground),
		IncompatibleContentIllegal:     No,
		ContentType:                    []string{ContentTypeText},
		Category:                       cat.category,
		CategoryAddition:               cat.additions,
		CategorySpecification:          cat.keywords,
		CategorySpecificationOther:     cat.other,
		TerritorialScope:               scope,
		ContentDate:                    r.ContentDate.UTC().Format(time.DateOnly),
		ApplicationDate:                r.DecidedAt.UTC().Format(time.DateOnly),
		DecisionFacts:                  decisionFacts(reasons, r.Ground, r.Automated, r.OnAppeal),
		SourceType:                     SourceOtherNotification,
		AutomatedDetection:             No,
		AutomatedDecision:              AutomatedNot,
		PUID:                           PUID(p.PUIDPrefix, r.ReportID, r.Seq),
	}
	if r.Automated {
		s.AutomatedDecision = AutomatedFully
	}
	// The generated texts fit the API's limits for every input (a test walks
	// them all); this guards against a catalogue edit that breaks that.
	for _, f := range []struct {
		name string
		text string
		max  int
	}{
		{"incompatible_content_ground", s.IncompatibleContentGround, maxIncompatibleGround},
		{"incompatible_content_explanation", s.IncompatibleContentExplanation, maxIncompatibleExplanation},
		{"category_specification_other", s.CategorySpecificationOther, maxCategorySpecificationOth},
		{"decision_facts", s.DecisionFacts, maxDecisionFacts},
		{"puid", s.PUID, maxPUID},
	} {
		if n := len([]rune(f.text)); n > f.max {
			return TDBStatement{}, fmt.Errorf("dsa statement for %s: %s is %d characters, the API allows %d", subject(r), f.name, n, f.max)
		}
	}
	return s, nil
}

// subject names the removal in errors: its report id and seq, or "a removal
// with an invalid report id", so that whatever a wrong id holds is never
// written into an error (and from there into a log line).
func subject(r Removal) string {
	if !ids.Valid("rpt", r.ReportID) {
		return fmt.Sprintf("a removal with an invalid report id, seq %d", r.Seq)
	}
	return fmt.Sprintf("report %s seq %d", r.ReportID, r.Seq)
}

// checkRemoval reports every problem of r through bad and returns its reasons
// in catalogue precedence order (see mapping), or nil if any is wrong.
func checkRemoval(r Removal, bad func(field, format string, args ...any)) []moderation.Reason {
	if !ids.Valid("rpt", r.ReportID) {
		bad("removal.report_id", "is not a report id (rpt_ and 32 hex digits)")
	}
	if r.Seq < 0 {
		bad("removal.seq", "must be 0 or more, got %d", r.Seq)
	} else if r.OnAppeal != (r.Seq > 0) {
		bad("removal.on_appeal", "is %t but seq is %d: a removal on appeal has seq 1 or more, a first decision seq 0", r.OnAppeal, r.Seq)
	}

	var out []moderation.Reason
	ok := len(r.Reasons) > 0
	if !ok {
		bad("removal.reasons", "a removal upholds at least one reason")
	}
	seen := map[moderation.Reason]bool{}
	for i, reason := range r.Reasons {
		field := fmt.Sprintf("removal.reasons[%d]", i)
		switch {
		case mappingOf(reason) == nil:
			bad(field, "unknown reason %q", reason)
			ok = false
		case seen[reason]:
			bad(field, "reason %q appears twice", reason)
			ok = false
		}
		seen[reason] = true
	}
	if ok {
		for _, m := range mappings {
			if seen[m.reason] {
				out = append(out, m.reason)
			}
		}
	}

	switch r.Ground {
	case moderation.GroundGuidelineViolation:
		if r.Automated {
			bad("removal.automated", "a guideline_violation removal is an agent's decision, never automated")
		}
	case moderation.GroundNoProofProvided:
		if !r.Automated {
			bad("removal.automated", "the no_proof_provided removal is taken automatically when the proof window closes")
		}
		if ok && (len(r.Reasons) != 1 || r.Reasons[0] != moderation.ReasonNoGenuineExperience) {
			bad("removal.reasons", "a no_proof_provided removal upholds exactly %q (P6): nothing examined the other reported reasons", moderation.ReasonNoGenuineExperience)
		}
	default:
		bad("removal.ground", "must be %q or %q, got %q", moderation.GroundGuidelineViolation, moderation.GroundNoProofProvided, r.Ground)
	}
	if r.Automated && r.OnAppeal {
		bad("removal.automated", "a decision on appeal is never taken solely by automated means (Art. 20(6) DSA)")
	}

	contentOK := checkDate(r.ContentDate, minContentDate, "removal.content_date", bad)
	decidedOK := checkDate(r.DecidedAt, minApplicationDate, "removal.decided_at", bad)
	if contentOK && decidedOK && r.DecidedAt.UTC().Format(time.DateOnly) < r.ContentDate.UTC().Format(time.DateOnly) {
		bad("removal.decided_at", "%s is before the content date %s", r.DecidedAt.UTC().Format(time.DateOnly), r.ContentDate.UTC().Format(time.DateOnly))
	}
	if !ok {
		return nil
	}
	return out
}

func checkDate(t, min time.Time, field string, bad func(field, format string, args ...any)) bool {
	switch {
	case t.IsZero():
		bad(field, "is missing")
	case t.UTC().Before(min):
		bad(field, "%s is before %s, the earliest date the Transparency Database accepts", t.UTC().Format(time.DateOnly), min.Format(time.DateOnly))
	case t.UTC().Year() > 9999:
		bad(field, "year %d does not fit YYYY-MM-DD", t.UTC().Year())
	default:
		return true
	}
	return false
}

// checkPlatform reports every problem of p through bad and returns its
// territorial scope sorted, as the Transparency Database stores it.
func checkPlatform(p Platform, bad func(field, format string, args ...any)) []string {
	if len(p.TerritorialScope) == 0 {
		bad("platform.territorial_scope", "names no country")
	}
	seen := map[string]bool{}
	for i, c := range p.TerritorialScope {
		field := fmt.Sprintf("platform.territorial_scope[%d]", i)
		switch {
		case !slices.Contains(eeaCountries[:], c):
			bad(field, "%q is not an EU/EEA country code", c)
		case seen[c]:
			bad(field, "%q appears twice", c)
		}
		seen[c] = true
	}
	if n := len(p.PUIDPrefix); n == 0 || n > maxPUIDPrefix || strings.IndexFunc(p.PUIDPrefix, func(c rune) bool { return !puidRune(c) }) >= 0 {
		bad("platform.puid_prefix", "%q must be 1–%d of A–Z, a–z, 0–9, _ and -", p.PUIDPrefix, maxPUIDPrefix)
	}
	if n := len(p.GuidelinesName); n == 0 || n > maxGuidelinesName || strings.IndexFunc(p.GuidelinesName, func(c rune) bool { return c < ' ' || c > '~' }) >= 0 {
		bad("platform.guidelines_name", "must be 1–%d printable ASCII characters", maxGuidelinesName)
	}
	if p.GuidelinesURL != "" {
		u, err := url.Parse(p.GuidelinesURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.GuidelinesURL) > maxReferenceURL {
			bad("platform.guidelines_url", "%q must be an absolute http(s) URL of at most %d characters", p.GuidelinesURL, maxReferenceURL)
		}
	}
	out := slices.Clone(p.TerritorialScope)
	slices.Sort(out)
	return out
}

func puidRune(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
