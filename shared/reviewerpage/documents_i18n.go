package reviewerpage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/candorhq/candor/shared/document"
)

// docTexts are the texts of a page's documents in one language: the list
// on the answer's form, the upload page and what the page says when a
// file is refused. A document is named by its type, size and time, never
// by its file's name.
type docTexts struct {
	Heading   string
	Hint      string
	None      string
	Count     func(n, max int) string
	Item      func(kind, size, at string) string
	Remove    string
	RemoveOf  func(item string) string // the remove button's accessible name
	Attach    string
	Attached  string // after an upload was accepted
	Removed   string // after a document was removed
	Types     map[document.Type]string
	Decimal   string // the decimal separator of sizes
	UploadH   string
	UploadP   []string
	FileLabel string
	FileHint  string
	Upload    string
	Back      string
	// Refusals, by document.Reason, and when the file could not be
	// checked (the bucket or the table failed).
	Refused     map[document.Reason]string
	CheckFailed string
	// HintEdits turn the answer field's hint of a page without documents
	// ("Text only, … Attachments are not possible.") into the hint of one
	// with them: each old text is replaced by its new one.
	HintEdits [][2]string
}

// docCatalogues are the documents' texts by language.
var docCatalogues = map[string]*docTexts{
	"en": {
		Heading:  "Documents (optional)",
		Hint:     "You can attach up to 5 files, such as an order confirmation, an invoice or receipt, a delivery note, a screenshot of your customer account or your emails with the business: PDF, JPEG, PNG, WebP or HEIC, at most 10 MB each. Only the compliance team sees them; they are never passed on to the business.",
		None:     "No file attached.",
		Count:    func(n, max int) string { return fmt.Sprintf("%d of %d files attached.", n, max) },
		Item:     func(kind, size, at string) string { return kind + ", " + size + ", attached " + at },
		Remove:   "Remove",
		RemoveOf: func(item string) string { return "Remove " + item },
		Attach:   "Attach a file",
		Attached: "The file is attached. Your text is kept below.",
		Removed:  "The file was removed.",
		Decimal:  ".",
		UploadH:  "Attach a file",
		UploadP: []string{"Your text is saved. Choose one file; after the upload you come back to your answer.",
			"If a page of our file storage says that the upload was refused or has expired, open the link in our email again: your text is kept, and you can choose the file again."},
		FileLabel: "File",
		FileHint:  "PDF, JPEG, PNG, WebP or HEIC, at most 10 MB.",
		Upload:    "Upload",
		Back:      "Back to your answer without attaching",
		Refused: map[document.Reason]string{
			document.ReasonEmpty:           "The file you chose is empty. Choose a file with content.",
			document.ReasonTypeNotAccepted: "The file you chose is not a PDF, JPEG, PNG, WebP or HEIC file (we check what the file contains, not its name). Choose a file of one of these types.",
			document.ReasonTooLarge:        "The file you chose is larger than 10 MB. Choose a smaller file, or a photo or screenshot of the page.",
			document.ReasonTooMany:         "You have attached 5 files, the most one answer can carry. Remove one to attach another.",
		},
		CheckFailed: "The file could not be checked. Please try again in a few minutes; your text is kept.",
		HintEdits:   [][2]string{{"Text only, up to", "Up to"}, {" Attachments are not possible.", " Files go under Documents below."}},
	},
	"sv": {
		Heading:  "Dokument (valfritt)",
		Hint:     "Du kan bifoga upp till 5 filer, till exempel en orderbekräftelse, en faktura eller ett kvitto, en följesedel, en skärmbild av ditt kundkonto eller din e-post med företaget: PDF, JPEG, PNG, WebP eller HEIC, högst 10 MB var. Bara granskningsteamet ser dem; de lämnas aldrig vidare till företaget.",
		None:     "Ingen fil bifogad.",
		Count:    func(n, max int) string { return fmt.Sprintf("%d av %d filer bifogade.", n, max) },
		Item:     func(kind, size, at string) string { return kind + ", " + size + ", bifogad " + at },
		Remove:   "Ta bort",
		RemoveOf: func(item string) string { return "Ta bort " + item },
		Attach:   "Bifoga en fil",
		Attached: "Filen är bifogad. Din text finns kvar nedan.",
		Removed:  "Filen togs bort.",
		Decimal:  ",",
		UploadH:  "Bifoga en fil",
		UploadP: []string{"Din text är sparad. Välj en fil; efter uppladdningen kommer du tillbaka till ditt svar.",
			"Om en sida från vår fillagring säger att uppladdningen nekades eller har gått ut, öppna länken i vårt mejl igen: din text finns kvar och du kan välja filen igen."},
		FileLabel: "Fil",
		FileHint:  "PDF, JPEG, PNG, WebP eller HEIC, högst 10 MB.",
		Upload:    "Ladda upp",
		Back:      "Tillbaka till ditt svar utan att bifoga",
		Refused: map[document.Reason]string{
			document.ReasonEmpty:           "Filen du valde är tom. Välj en fil med innehåll.",
			document.ReasonTypeNotAccepted: "Filen du valde är inte en PDF-, JPEG-, PNG-, WebP- eller HEIC-fil (vi kontrollerar vad filen innehåller, inte dess namn). Välj en fil av någon av dessa typer.",
			document.ReasonTooLarge:        "Filen du valde är större än 10 MB. Välj en mindre fil, eller ett foto eller en skärmbild av sidan.",
			document.ReasonTooMany:         "Du har bifogat 5 filer, det högsta antalet för ett svar. Ta bort en för att bifoga en annan.",
		},
		CheckFailed: "Filen kunde inte kontrolleras. Försök igen om några minuter; din text finns kvar.",
		HintEdits:   [][2]string{{"Endast text, högst", "Högst"}, {" Det går inte att bifoga filer.", " Filer bifogar du under Dokument nedan."}},
	},
	"de": {
		Heading:  "Dokumente (freiwillig)",
		Hint:     "Sie können bis zu 5 Dateien anhängen, etwa eine Bestellbestätigung, eine Rechnung oder Quittung, einen Lieferschein, einen Screenshot Ihres Kundenkontos oder Ihre E-Mails mit dem Unternehmen: PDF, JPEG, PNG, WebP oder HEIC, je höchstens 10 MB. Nur das Prüfteam sieht sie; sie werden nie an das Unternehmen weitergegeben.",
		None:     "Keine Datei angehängt.",
		Count:    func(n, max int) string { return fmt.Sprintf("%d von %d Dateien angehängt.", n, max) },
		Item:     func(kind, size, at string) string { return kind + ", " + size + ", angehängt am " + at },
		Remove:   "Entfernen",
		RemoveOf: func(item string) string { return item + " entfernen" },
		Attach:   "Datei anhängen",
		Attached: "Die Datei ist angehängt. Ihr Text steht weiter unten.",
		Removed:  "Die Datei wurde entfernt.",
		Decimal:  ",",
		UploadH:  "Datei anhängen",
		UploadP: []string{"Ihr Text ist gespeichert. Wählen Sie eine Datei; nach dem Hochladen kommen Sie zu Ihrer Antwort zurück.",
			"Sagt eine Seite unseres Dateispeichers, dass das Hochladen abgelehnt wurde oder abgelaufen ist, öffnen Sie den Link in unserer E-Mail erneut: Ihr Text bleibt erhalten, und Sie können die Datei erneut wählen."},
		FileLabel: "Datei",
		FileHint:  "PDF, JPEG, PNG, WebP oder HEIC, höchstens 10 MB.",
		Upload:    "Hochladen",
		Back:      "Ohne Anhang zurück zu Ihrer Antwort",
		Refused: map[document.Reason]string{
			document.ReasonEmpty:           "Die gewählte Datei ist leer. Wählen Sie eine Datei mit Inhalt.",
			document.ReasonTypeNotAccepted: "Die gewählte Datei ist keine PDF-, JPEG-, PNG-, WebP- oder HEIC-Datei (wir prüfen den Inhalt der Datei, nicht ihren Namen). Wählen Sie eine Datei dieser Arten.",
			document.ReasonTooLarge:        "Die gewählte Datei ist größer als 10 MB. Wählen Sie eine kleinere Datei oder ein Foto oder einen Screenshot der Seite.",
			document.ReasonTooMany:         "Sie haben 5 Dateien angehängt, die meisten, die eine Antwort tragen kann. Entfernen Sie eine, um eine andere anzuhängen.",
		},
		CheckFailed: "Die Datei konnte nicht geprüft werden. Bitte versuchen Sie es in einigen Minuten erneut; Ihr Text bleibt erhalten.",
		HintEdits:   [][2]string{{"Nur Text, höchstens", "Höchstens"}, {" Dateianhänge sind nicht möglich.", " Dateien hängen Sie unten unter Dokumente an."}},
	},
}

// typeNames are the types as every language names them.
var typeNames = map[document.Type]string{document.PDF: "PDF", document.JPEG: "JPEG", document.PNG: "PNG", document.WebP: "WebP", document.HEIC: "HEIC"}

// docTextsFor returns the documents' texts in lang (English for a
// language without them).
func docTextsFor(lang string) *docTexts {
	if t, ok := docCatalogues[lang]; ok {
		return t
	}
	return docCatalogues["en"]
}

// size writes n bytes as a person reads a file's size: "820 KB",
// "1.2 MB" (1 MB = 1024 × 1024 bytes, as document.MaxSize counts), with
// the language's decimal separator.
func (t *docTexts) size(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt(max((n+1023)>>10, 1), 10) + " KB"
	}
	s := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	return strings.Replace(s, ".", t.Decimal, 1) + " MB"
}

// refusal says why a file was refused, or that it could not be checked.
func (t *docTexts) refusal(r document.Reason) string {
	if s, ok := t.Refused[r]; ok {
		return s
	}
	return t.CheckFailed
}
