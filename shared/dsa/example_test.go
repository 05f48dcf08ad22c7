package dsa_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/dsa"
	"github.com/candorhq/candor/shared/moderation"
)

// The automated removal of a review whose reviewer gave no proof of a
// genuine experience, as the Transparency Database receives it.
func ExampleStatement() {
	p := dsa.DefaultPlatform()
	p.TerritorialScope = []string{"SE", "DE"}
	s, err := dsa.Statement(dsa.Removal{
		ReportID:    "rpt_0192f1c2c1b27c3a9d4e5f60718293a4",
		Reasons:     []moderation.Reason{moderation.ReasonNoGenuineExperience},
		Ground:      moderation.GroundNoProofProvided,
		Automated:   true,
		ContentDate: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
		DecidedAt:   time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC),
	}, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.MarshalIndent(s, "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "decision_visibility": [
	//     "DECISION_VISIBILITY_CONTENT_REMOVED"
	//   ],
	//   "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
	//   "incompatible_content_ground": "Candor review guidelines, reasons: no_genuine_experience",
	//   "incompatible_content_explanation": "The guidelines require every review to rest on a genuine buying or service experience. The business doubted the experience; the reviewer was asked for proof and gave none within the time allowed, so the review is treated as not based on a genuine experience.",
	//   "incompatible_content_illegal": "No",
	//   "content_type": [
	//     "CONTENT_TYPE_TEXT"
	//   ],
	//   "category": "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
	//   "category_addition": [
	//     "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
	//   ],
	//   "category_specification": [
	//     "KEYWORD_INAUTHENTIC_USER_REVIEWS"
	//   ],
	//   "territorial_scope": [
	//     "DE",
	//     "SE"
	//   ],
	//   "content_date": "2026-03-14",
	//   "application_date": "2026-11-02",
	//   "decision_facts": "A business reported the review as breaking the platform's review guidelines. The removal upholds the reported reason no_genuine_experience: the business doubted that the reviewer had a genuine buying or service experience. Ground: no_proof_provided. The reviewer was asked by email for proof of a genuine buying or service experience and gave none within the time allowed. The removal was decided by automated means, without human review, when the time allowed for proof ran out. This is the first decision on the report.",
	//   "source_type": "SOURCE_TYPE_OTHER_NOTIFICATION",
	//   "automated_detection": "No",
	//   "automated_decision": "AUTOMATED_DECISION_FULLY",
	//   "puid": "candor-rpt_0192f1c2c1b27c3a9d4e5f60718293a4-0"
	// }
}
