package dsa

import (
	"slices"
	"strings"

	"github.com/candorhq/candor/shared/moderation"
)

// mapping is how one reason of the review guidelines appears in a statement.
type mapping struct {
	reason moderation.Reason
	// category is the high-level category of the API v2 the reason falls
	// under; extra are categories it also touches.
	category string
	extra    []string
	// keywords specify the category; a reason without a fitting keyword has
	// KEYWORD_OTHER and its label as category_specification_other, or none.
	keywords []string
	other    string
	// label says what the reason means, in plain English, lower case (from
	// the reason table of docs/product.md); it is the only wording of a reason that
	// reaches a statement besides the reason's code.
	label string
}

// mappings is the table of docs/dsa-statements.md, in precedence order: the
// first reason of a removal in this order gives the statement its category.
// Not-genuine reviews come first: they are what a review platform's
// statements are mostly about, and are classified as
// consumer information with KEYWORD_INAUTHENTIC_USER_REVIEWS.
var mappings = [...]mapping{
	{
		reason:   moderation.ReasonNoGenuineExperience,
		category: CategoryConsumerInformation, extra: []string{CategoryScamsAndFraud},
		keywords: []string{KeywordInauthenticUserReviews},
		label:    "the reviewer had no genuine buying or service experience",
	},
	{
		reason:   moderation.ReasonCompetitor,
		category: CategoryConsumerInformation, extra: []string{CategoryScamsAndFraud},
		keywords: []string{KeywordInauthenticUserReviews},
		label:    "the review was written by a competitor, employee, relative or someone else with a conflict of interest",
	},
	{
		reason:   moderation.ReasonMultipleProfiles,
		category: CategoryConsumerInformation, extra: []string{CategoryScamsAndFraud},
		keywords: []string{KeywordInauthenticUserReviews, KeywordInauthenticAccounts},
		label:    "the same person reviewed through several profiles",
	},
	{
		reason:   moderation.ReasonOffensiveOrHarmful,
		category: CategoryHarmfulSpeech,
		label:    "the review contains offensive or harmful content (threats, hate, discrimination, obscenity or defamation)",
	},
	{
		reason:   moderation.ReasonPersonalInformation,
		category: CategoryDataProtection,
		keywords: []string{KeywordMissingProcessingGround},
		label:    "the review contains someone's personal data",
	},
	{
		reason:   moderation.ReasonRightsViolation,
		category: CategoryIntellectualProp, extra: []string{CategoryDataProtection},
		label: "the review infringes intellectual property, privacy or personality rights",
	},
	{
		reason:   moderation.ReasonPromotional,
		category: CategoryConsumerInformation,
		keywords: []string{KeywordHiddenAdvertisement},
		label:    "the review is advertising or promotion",
	},
	{
		reason:   moderation.ReasonSpam,
		category: CategoryOtherViolationTC,
		keywords: []string{KeywordOther}, other: "spam, gibberish or repeated text",
		label: "the review is spam, gibberish or repeated text",
	},
	{
		reason:   moderation.ReasonWrongCompany,
		category: CategoryOtherViolationTC,
		keywords: []string{KeywordOther}, other: "review about a different business",
		label: "the review is about a different business",
	},
	{
		reason:   moderation.ReasonExperienceTooOld,
		category: CategoryOtherViolationTC,
		keywords: []string{KeywordOther}, other: "review written too long after the experience",
		label: "the review was written more than 12 months after the experience",
	},
	{
		reason:   moderation.ReasonEthicalOrPolitical,
		category: CategoryOtherViolationTC,
		keywords: []string{KeywordOther}, other: "ethical or political statement without a consumer experience",
		label: "the review is a purely ethical or political statement, not an account of an experience",
	},
}

// mappingOf returns the mapping of r, or nil when r is not a known reason.
func mappingOf(r moderation.Reason) *mapping {
	for i := range mappings {
		if mappings[i].reason == r {
			return &mappings[i]
		}
	}
	return nil
}

// classification is the category part of a statement.
type classification struct {
	category  string
	additions []string
	keywords  []string
	other     string
}

// categorise classifies known, distinct reasons given in precedence order:
// the first gives the category; every other category any of them touches
// goes to the additions, and the keywords of all of them are joined, each
// once, in precedence order.
func categorise(reasons []moderation.Reason) classification {
	var c classification
	var others []string
	for i, r := range reasons {
		m := mappingOf(r)
		if i == 0 {
			c.category = m.category
		}
		for _, cat := range append([]string{m.category}, m.extra...) {
			if cat != c.category && !slices.Contains(c.additions, cat) {
				c.additions = append(c.additions, cat)
			}
		}
		for _, k := range m.keywords {
			if !slices.Contains(c.keywords, k) {
				c.keywords = append(c.keywords, k)
			}
		}
		if m.other != "" {
			others = append(others, m.other)
		}
	}
	c.other = strings.Join(others, "; ")
	return c
}
