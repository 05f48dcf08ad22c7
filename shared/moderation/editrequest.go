package moderation

import (
	"regexp"
	"strings"
	"sync"
)

// EditRequestPhrase is one way of asking a reviewer to edit, delete or
// update a review, which the reply guidelines forbid in a business's reply.
// Pattern is a regular expression matched against the reply folded to lower
// case with its white space collapsed to single spaces.
type EditRequestPhrase struct {
	Locale  string // the language the phrase is in
	Pattern string
}

// The words the phrases are made of, per language.
const (
	enAsk    = `(?:edit|edits|editing|change|changing|update|updating|delete|deleting|remove|removing|amend|amending|revise|revising|modify|modifying|reconsider|reconsidering|withdraw|withdrawing|take down|taking down|adjust|adjusting)`
	enDone   = `(?:edited|changed|updated|deleted|removed|amended|revised|modified|withdrawn|taken down|adjusted)`
	enObject = `(?:your|the|this) (?:\w+ )?(?:review|rating|feedback|stars?)`
	svAsk    = `(?:ändra|ändrar|redigera|redigerar|uppdatera|uppdaterar|ta (?:gärna |nu |snälla )?bort|tar bort|radera|raderar|justera|justerar|höja|höjer|se över|dra tillbaka)`
	svObject = `(?:ditt|din|ert|er) (?:\w+ )?(?:omdöme|recension|betyg|bedömning)`
	svObj2   = `(?:omdömet|recensionen|betyget)`
	svSoft   = `(?:gärna |nu |snälla |vänligen |i så fall )?`
	deAsk    = `(?:ändern|ändert|bearbeiten|aktualisieren|löschen|entfernen|zurückziehen|zurücknehmen|anpassen|korrigieren|überarbeiten|überdenken|revidieren)`
	deAsk2   = `(?:ändern|ändert|ändere|aktualisieren|aktualisiere|löschen|lösche|entfernen|entferne|anpassen|passe|korrigieren|korrigiere|überarbeiten|überarbeite|überdenken|überdenke|ziehen|nehmen)`
	deObject = `(?:ihre|deine|eure|die|diese) (?:\w+ )?(?:bewertung|rezension|sterne|beurteilung)`
)

// EditRequestPhrases is the table of edit requests Candor refuses in a
// reply, in English, Swedish and German. Every reply is checked against
// every language: a business may answer in the reviewer's language rather
// than its own.
var EditRequestPhrases = []EditRequestPhrase{
	// "please update your review", "would you consider deleting the review"
	{LocaleEN, `\b` + enAsk + ` ` + enObject + `\b`},
	// "have your review removed", "could the review be updated"
	{LocaleEN, `\b` + enObject + ` (?:(?:to |could |can |would |will |should )?(?:be|been|get|gets|got|is|was) )?` + enDone + `\b`},
	// "ändra ditt omdöme", "ta bort er recension"
	{LocaleSV, `(?:^|[^\pL])` + svAsk + ` ` + svSoft + svObject + `(?:$|[^\pL])`},
	// "ta bort omdömet", "radera gärna betyget"
	{LocaleSV, `(?:^|[^\pL])` + svAsk + ` ` + svSoft + svObj2 + `(?:$|[^\pL])`},
	// "Ihre Bewertung zu ändern", "die Bewertung löschen"
	{LocaleDE, `(?:^|[^\pL])` + deObject + ` (?:zu |noch |bitte |doch )*` + deAsk + `(?:$|[^\pL])`},
	// "ändern Sie bitte Ihre Bewertung", "löschen Sie die Bewertung"
	{LocaleDE, `(?:^|[^\pL])` + deAsk2 + ` (?:sie |du |ihr )?(?:bitte |doch |noch )*` + deObject + `(?:$|[^\pL])`},
}

var editRequestPatterns = sync.OnceValue(func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(EditRequestPhrases))
	for i, p := range EditRequestPhrases {
		out[i] = regexp.MustCompile(p.Pattern)
	}
	return out
})

// FindEditRequest reports whether text asks the reviewer to edit, delete or
// update the review, and the phrase it matched.
func FindEditRequest(text string) (EditRequestPhrase, bool) {
	folded := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	for i, re := range editRequestPatterns() {
		if re.MatchString(folded) {
			return EditRequestPhrases[i], true
		}
	}
	return EditRequestPhrase{}, false
}
