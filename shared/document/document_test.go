package document

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// ftyp builds an ISO base media file's first box: size, "ftyp", major
// brand, minor version 0, compatible brands; then some of a meta box.
func ftyp(major string, compatible ...string) []byte {
	b := make([]byte, 16, 64)
	binary.BigEndian.PutUint32(b, uint32(16+4*len(compatible)))
	copy(b[4:], "ftyp"+major)
	for _, c := range compatible {
		b = append(b, c...)
	}
	return append(b, 0, 0, 0, 0x21, 'm', 'e', 't', 'a')
}

func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func reasonOf(err error) Reason {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Reason
	}
	return ""
}

func TestDetect(t *testing.T) {
	realPNG := encoded(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
	realJPEG := encoded(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 24)...)
	tests := []struct {
		name   string
		head   []byte
		want   Type
		reason Reason
	}{
		{"a PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), PDF, ""},
		{"a PNG from image/png", realPNG, PNG, ""},
		{"a JPEG from image/jpeg", realJPEG, JPEG, ""},
		{"a JPEG with an Exif segment", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f'}, JPEG, ""},
		{"a lossy WebP", webp, WebP, ""},
		{"a lossless WebP", []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f"), WebP, ""},
		{"an extended WebP", []byte("RIFF\x30\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00"), WebP, ""},
		{"an iPhone HEIC (heic, compatible mif1)", ftyp("heic", "mif1", "heic"), HEIC, ""},
		{"a 10-bit HEIC (heix)", ftyp("heix", "mif1", "heix"), HEIC, ""},
		{"a HEIF naming HEVC among its brands (mif1, heic)", ftyp("mif1", "mif1", "heic"), HEIC, ""},
		{"a HEIF image sequence of HEVC (msf1, hevc)", ftyp("msf1", "msf1", "hevc"), HEIC, ""},
		{"an AVIF: HEIF but not HEVC", ftyp("avif", "mif1", "miaf"), "", ReasonTypeNotAccepted},
		{"a HEIF of AV1 (mif1, avif)", ftyp("mif1", "mif1", "avif"), "", ReasonTypeNotAccepted},
		{"an MP4 video", ftyp("isom", "isom", "iso2", "mp41"), "", ReasonTypeNotAccepted},
		{"an ftyp box with a bad size", append([]byte{0, 0, 0, 3}, ftyp("heic")[4:]...), "", ReasonTypeNotAccepted},
		{"a Windows executable named .pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), "", ReasonTypeNotAccepted},
		{"an ELF executable", []byte("\x7fELF\x02\x01\x01\x00"), "", ReasonTypeNotAccepted},
		{"HTML", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), "", ReasonTypeNotAccepted},
		{"SVG (an image a browser runs scripts in)", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`), "", ReasonTypeNotAccepted},
		{"a ZIP (and so every DOCX)", []byte("PK\x03\x04\x14\x00\x06\x00"), "", ReasonTypeNotAccepted},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00"), "", ReasonTypeNotAccepted},
		{"plain text", []byte("order number 12345"), "", ReasonTypeNotAccepted},
		{"a PDF behind a byte-order mark", []byte("\xef\xbb\xbf%PDF-1.4"), "", ReasonTypeNotAccepted},
		{"a PDF behind white space", []byte("\n%PDF-1.4"), "", ReasonTypeNotAccepted},
		{"a RIFF that is a WAV", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), "", ReasonTypeNotAccepted},
		{"half a PNG signature", pngMagic[:4], "", ReasonTypeNotAccepted},
		{"no bytes", nil, "", ReasonEmpty},
		{"an empty slice", []byte{}, "", ReasonEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.head)
			if got != tc.want || reasonOf(err) != tc.reason {
				t.Errorf("Detect = %q, %v; want %q, reason %q", got, err, tc.want, tc.reason)
			}
			if (err == nil) != (tc.reason == "") {
				t.Errorf("Detect error = %v, want one only with a reason", err)
			}
		})
	}
}

// TestDetectReadsOnlyTheHead: what follows the first SniffLen bytes does
// not change the answer, so a caller may read only those.
func TestDetectReadsOnlyTheHead(t *testing.T) {
	head := append([]byte("plain text"), make([]byte, SniffLen)...)
	if _, err := Detect(append(head, "%PDF-"...)); reasonOf(err) != ReasonTypeNotAccepted {
		t.Errorf("a PDF signature after the head was found: %v", err)
	}
	big := append([]byte("%PDF-1.7"), make([]byte, 3*SniffLen)...)
	if got, err := Detect(big); got != PDF || err != nil {
		t.Errorf("a long PDF = %q, %v", got, err)
	}
}

func TestCheckSize(t *testing.T) {
	tests := []struct {
		size   int64
		reason Reason
	}{
		{0, ReasonEmpty},
		{-1, ReasonEmpty},
		{1, ""},
		{MaxSize, ""},
		{MaxSize + 1, ReasonTooLarge},
		{11 * 1000 * 1000, ReasonTooLarge},
	}
	for _, tc := range tests {
		if got := reasonOf(CheckSize(tc.size)); got != tc.reason {
			t.Errorf("CheckSize(%d) reason = %q, want %q", tc.size, got, tc.reason)
		}
	}
}

func TestCheckCount(t *testing.T) {
	for n, want := range map[int]Reason{0: "", 1: "", MaxFiles: "", MaxFiles + 1: ReasonTooMany, 50: ReasonTooMany} {
		if got := reasonOf(CheckCount(n)); got != want {
			t.Errorf("CheckCount(%d) reason = %q, want %q", n, got, want)
		}
	}
}

func TestRefusalNamesNoContent(t *testing.T) {
	_, err := Detect([]byte("secret order 4711 for Jane Doe"))
	if err == nil || strings.Contains(err.Error(), "4711") || strings.Contains(err.Error(), "Jane") {
		t.Errorf("refusal %q must not quote the document", err)
	}
}

func TestEveryAcceptedTypeHasAnExtension(t *testing.T) {
	for _, typ := range Accepted() {
		if typ.Extension() == "" {
			t.Errorf("%s has no extension", typ)
		}
	}
	if Type("text/html").Extension() != "" {
		t.Error("an unaccepted type has an extension")
	}
}
