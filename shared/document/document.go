// Package document holds the rules a reviewer's document must pass before
// Candor keeps it: its type is read from its first bytes (never from its
// name or the type the browser declares) and must be one of five, it is
// not empty and at most MaxSize, and an answer carries at most MaxFiles.
// It knows no AWS, HTTP or storage; the edges map a Refusal's Reason to a
// message in the reviewer's language.
package document

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
)

// Type is a document's media type, as detected from its bytes.
type Type string

// The accepted types.
const (
	PDF  Type = "application/pdf"
	JPEG Type = "image/jpeg"
	PNG  Type = "image/png"
	WebP Type = "image/webp"
	HEIC Type = "image/heic"
)

// Accepted lists the accepted types, in the order pages name them.
func Accepted() []Type { return []Type{PDF, JPEG, PNG, WebP, HEIC} }

// Extension is the file extension a download of the type is named with.
func (t Type) Extension() string {
	switch t {
	case PDF:
		return ".pdf"
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	case WebP:
		return ".webp"
	case HEIC:
		return ".heic"
	}
	return ""
}

// The limits of documents.
const (
	// MaxSize is the largest document accepted: 10 MB, counted as
	// 10 × 1024 × 1024 bytes so that a file a computer shows as "10 MB" fits.
	MaxSize = 10 << 20
	// MaxFiles is how many documents one answer may carry.
	MaxFiles = 5
	// SniffLen is how many first bytes Detect reads: give it at least this
	// many when the document is longer.
	SniffLen = 512
)

// Reason names why a document is refused; stable, for the edges to map to
// a message.
type Reason string

// The reasons a document is refused.
const (
	ReasonEmpty           Reason = "document_empty"
	ReasonTypeNotAccepted Reason = "document_type_not_accepted"
	ReasonTooLarge        Reason = "document_too_large"
	ReasonTooMany         Reason = "too_many_documents"
)

// Refusal is a document rule a document or an answer breaks.
type Refusal struct {
	Reason Reason
	Detail string // for logs and developers; never the document's content or name
}

func (r *Refusal) Error() string { return "document refused: " + string(r.Reason) + ": " + r.Detail }

func refuse(reason Reason, format string, args ...any) error {
	return &Refusal{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// CheckSize (size rule) accepts a document of 1 to MaxSize bytes.
func CheckSize(size int64) error {
	switch {
	case size <= 0:
		return refuse(ReasonEmpty, "the document has no bytes")
	case size > MaxSize:
		return refuse(ReasonTooLarge, "%d bytes, at most %d", size, MaxSize)
	}
	return nil
}

// CheckCount (count rule) accepts an answer that would carry n documents,
// at most MaxFiles.
func CheckCount(n int) error {
	if n > MaxFiles {
		return refuse(ReasonTooMany, "%d documents, at most %d", n, MaxFiles)
	}
	return nil
}

// Detect (type rule) tells a document's type from its first bytes (head:
// the whole document, or at least its first SniffLen bytes): a PDF starts
// "%PDF-", a JPEG FF D8 FF, a PNG with its 8-byte signature, a WebP is a
// RIFF file of form WEBP with a VP8 chunk, and a HEIC is an ISO base media
// file whose ftyp box names an HEVC image brand (heic, heix, heim, heis,
// or the sequence brands hevc, hevx, hevm, hevs) as its major brand, or
// as a compatible brand of the general HEIF brands mif1 or msf1 — an AVIF,
// which is HEIF too, is not HEIC. Anything else is ReasonTypeNotAccepted,
// no bytes ReasonEmpty.
func Detect(head []byte) (Type, error) {
	if len(head) == 0 {
		return "", refuse(ReasonEmpty, "the document has no bytes")
	}
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return PDF, nil
	case bytes.HasPrefix(head, jpegMagic):
		return JPEG, nil
	case bytes.HasPrefix(head, pngMagic):
		return PNG, nil
	case isWebP(head):
		return WebP, nil
	case isHEIC(head):
		return HEIC, nil
	}
	return "", refuse(ReasonTypeNotAccepted, "the first bytes are none of PDF, JPEG, PNG, WebP or HEIC")
}

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// isWebP: "RIFF", the chunk size, "WEBP", then a VP8, VP8L or VP8X chunk.
func isWebP(b []byte) bool {
	return len(b) >= 16 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP" && string(b[12:15]) == "VP8" &&
		(b[15] == ' ' || b[15] == 'L' || b[15] == 'X')
}

// heicBrands are the ftyp brands of HEVC-coded HEIF (ISO/IEC 23008-12,
// Annex B): images and image sequences.
var heicBrands = []string{"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"}

// isHEIC: an ftyp box first (4-byte size, "ftyp", major brand, minor
// version, compatible brands) whose brands say HEVC-coded HEIF.
func isHEIC(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := binary.BigEndian.Uint32(b[0:4])
	if size < 16 || size%4 != 0 {
		return false
	}
	major := string(b[8:12])
	if slices.Contains(heicBrands, major) {
		return true
	}
	if major != "mif1" && major != "msf1" {
		return false
	}
	end := min(int(size), len(b))
	for i := 16; i+4 <= end; i += 4 {
		if slices.Contains(heicBrands, string(b[i:i+4])) {
			return true
		}
	}
	return false
}
