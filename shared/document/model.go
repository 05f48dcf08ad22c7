package document

import (
	"time"
)

// ScanStatus is where a document's malware scan stands.
type ScanStatus string

// The scan statuses.
const (
	// ScanPending: uploaded, no result yet. Listed to compliance as
	// pending; not opened.
	ScanPending ScanStatus = "pending"
	// ScanClean: scanned, no threat found. Compliance may open it.
	ScanClean ScanStatus = "clean"
	// ScanThreat: a threat was found. Never shown or opened; compliance is
	// told that a document was withheld.
	ScanThreat ScanStatus = "threat"
	// ScanFailed: the scanner could not scan it (a type it does not
	// support, no access, an internal error). Withheld like a threat, since
	// nobody knows it is harmless; listed as not scanned.
	ScanFailed ScanStatus = "failed"
)

// Valid reports whether s is a known scan status.
func (s ScanStatus) Valid() bool {
	return s == ScanPending || s == ScanClean || s == ScanThreat || s == ScanFailed
}

// The answers that may carry documents: the reviewer's proof of the
// experience, the evidence an agent asked for, and an appeal. A reply to a
// Find Reviewer request takes no attachments, nor does an edit.
const (
	AnswerProof    = "proof"
	AnswerEvidence = "evidence"
	AnswerAppeal   = "appeal"
)

// TakesDocuments (attachment rule) reports whether an answer of kind may
// carry documents: proof, evidence and appeals do; everything else (a Find
// Reviewer reply, an edit) does not.
func TakesDocuments(kind string) bool {
	return kind == AnswerProof || kind == AnswerEvidence || kind == AnswerAppeal
}

// AnswerRef names the reviewer's answer on a report a document belongs to:
// its kind and, for evidence, the round it answers (0 for proof and
// appeals). The zero AnswerRef is an answer not yet sent: the reviewer is
// still composing it and may remove the document.
type AnswerRef struct {
	Kind  string
	Round int
}

// Sent reports whether the answer the document belongs to was sent.
func (a AnswerRef) Sent() bool { return a.Kind != "" }

// Document is the record of one file a reviewer attached: never its name
// or its content, which stay in the bucket, only what compliance needs to
// find, trust and delete it.
type Document struct {
	ID       string // doc_…
	ReportID string
	Answer   AnswerRef
	Size     int64  // bytes
	Type     Type   // as detected from its bytes
	SHA256   string // hex digest of its bytes: compliance can compare a copy it holds
	Scan     ScanStatus
	// UploadedAt is when the upload arrived; ScannedAt when its scan
	// result did (zero while pending).
	UploadedAt time.Time
	ScannedAt  time.Time
}

// The reasons a document cannot be opened.
const (
	ReasonWithheld   Reason = "document_withheld"    // a threat was found, or the scan failed
	ReasonNotScanned Reason = "document_not_scanned" // the scan has not answered yet
)

// CanOpen (viewing rule) lets compliance open a document only once its
// scan found it clean: a pending one is not yet scanned, a threat or a
// failed scan is withheld for good.
func CanOpen(d Document) error {
	switch d.Scan {
	case ScanClean:
		return nil
	case ScanPending:
		return refuse(ReasonNotScanned, "document %s: its malware scan has not answered", d.ID)
	}
	return refuse(ReasonWithheld, "document %s: withheld after its scan (%s)", d.ID, d.Scan)
}

// WithScan (scan rule) is d with a scan result recorded at at, and whether
// that changed it. Results arrive at least once and in any order, so: a
// pending document takes any result; the same result again changes
// nothing; a threat replaces any other result (a document once found
// harmful stays withheld), and nothing replaces a threat or turns a
// withheld document clean. Pending is not a result.
func WithScan(d Document, result ScanStatus, at time.Time) (Document, bool) {
	if !result.Valid() || result == ScanPending || result == d.Scan {
		return d, false
	}
	if d.Scan != ScanPending && result != ScanThreat {
		return d, false
	}
	d.Scan, d.ScannedAt = result, at
	return d, true
}
