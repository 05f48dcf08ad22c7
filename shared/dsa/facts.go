package dsa

import (
	"strings"

	"github.com/candorhq/candor/shared/moderation"
)

// The fixed sentences of a statement's texts. Together with the reasons'
// codes and labels (mappings) and Platform.GuidelinesName they are every word
// a statement's texts can contain: nothing a person wrote, no id, no date.
const (
	factSource             = "A business reported the review as breaking the platform's review guidelines."
	factUpholds            = "The removal upholds these reported reasons:"
	factUpholdsNoProof     = "The removal upholds the reported reason no_genuine_experience: the business doubted that the reviewer had a genuine buying or service experience."
	factGroundViolation    = "Ground: guideline_violation. A moderator examined the report and the review and found that the review breaks the guidelines for these reasons."
	factGroundNoProof      = "Ground: no_proof_provided. The reviewer was asked by email for proof of a genuine buying or service experience and gave none within the time allowed."
	factAutomated          = "The removal was decided by automated means, without human review, when the time allowed for proof ran out."
	factNotAutomated       = "A person took the decision; automated means were not used to decide."
	factOnAppeal           = "The decision was taken on appeal: the review had first been reinstated, the business appealed, and a moderator who had not taken the first decision reversed it."
	factFirstDecision      = "This is the first decision on the report."
	explainViolation       = "A moderator found that the review breaks the guidelines:"
	explainNoProof         = "The guidelines require every review to rest on a genuine buying or service experience. The business doubted the experience; the reviewer was asked for proof and gave none within the time allowed, so the review is treated as not based on a genuine experience."
	groundReasonsSeparator = ", reasons: "
)

// incompatibleGround names the contractual ground: the guidelines and the
// codes of the reasons upheld, e.g. "Candor review guidelines, reasons:
// competitor, spam".
func incompatibleGround(guidelines string, reasons []moderation.Reason) string {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = string(r)
	}
	return guidelines + groundReasonsSeparator + strings.Join(codes, ", ")
}

// incompatibleExplanation says why the review is incompatible with the
// guidelines on that ground.
func incompatibleExplanation(reasons []moderation.Reason, ground string) string {
	if ground == moderation.GroundNoProofProvided {
		return explainNoProof
	}
	return explainViolation + " " + labels(reasons) + "."
}

// decisionFacts states the facts and circumstances: who started the
// investigation, the reasons upheld, the ground, whether automated means
// decided, and whether the decision was taken on appeal.
func decisionFacts(reasons []moderation.Reason, ground string, automated, onAppeal bool) string {
	parts := []string{factSource}
	if ground == moderation.GroundNoProofProvided {
		// Nothing established that the experience was not genuine, only that
		// no proof came: the facts say so rather than use the reason's label.
		parts = append(parts, factUpholdsNoProof, factGroundNoProof)
	} else {
		coded := make([]string, len(reasons))
		for i, r := range reasons {
			coded[i] = string(r) + " (" + mappingOf(r).label + ")"
		}
		parts = append(parts, factUpholds+" "+strings.Join(coded, "; ")+".", factGroundViolation)
	}
	if automated {
		parts = append(parts, factAutomated)
	} else {
		parts = append(parts, factNotAutomated)
	}
	if onAppeal {
		parts = append(parts, factOnAppeal)
	} else {
		parts = append(parts, factFirstDecision)
	}
	return strings.Join(parts, " ")
}

// labels joins the plain-English labels of reasons with "; ".
func labels(reasons []moderation.Reason) string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = mappingOf(r).label
	}
	return strings.Join(out, "; ")
}
