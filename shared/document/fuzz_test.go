package document

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

// FuzzDetect: Detect never panics, answers a type or a Refusal (never
// both), reads only the head, and a detected type's signature really is at
// the start — checked here independently of Detect's own tables.
func FuzzDetect(f *testing.F) {
	for _, seed := range [][]byte{
		nil, []byte("%PDF-1.7"), {0xFF, 0xD8, 0xFF, 0xE0}, pngMagic,
		[]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), ftyp("heic", "mif1", "heic"), ftyp("mif1", "avif"), ftyp("mif1", "hevc"),
		[]byte("MZ\x90\x00"), []byte("<svg"), {0, 0, 0, 0x10, 'f', 't', 'y', 'p'},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, err := Detect(data)
		if (typ == "") == (err == nil) {
			t.Fatalf("Detect = %q, %v: want exactly one of a type and an error", typ, err)
		}
		if _, ok := err.(*Refusal); err != nil && !ok {
			t.Fatalf("error %T is not a Refusal", err)
		}
		if len(data) > SniffLen {
			if typ2, _ := Detect(data[:SniffLen]); typ2 != typ {
				t.Fatalf("the head alone is %q, the whole %q", typ2, typ)
			}
		}
		ok := true
		switch typ {
		case PDF:
			ok = bytes.HasPrefix(data, []byte("%PDF-"))
		case JPEG:
			ok = len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF
		case PNG:
			ok = bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
		case WebP:
			ok = len(data) >= 16 && string(data[:4]) == "RIFF" && string(data[8:15]) == "WEBPVP8"
		case HEIC:
			ok = len(data) >= 16 && string(data[4:8]) == "ftyp" && binary.BigEndian.Uint32(data) >= 16 &&
				(slices.Contains(heicBrands, string(data[8:12])) || string(data[8:12]) == "mif1" || string(data[8:12]) == "msf1")
		}
		if !ok {
			t.Fatalf("Detect said %s, but its signature is not at the start of % x", typ, data[:min(len(data), 16)])
		}
		if len(data) == 0 && reasonOf(err) != ReasonEmpty {
			t.Fatalf("no bytes: %v, want %s", err, ReasonEmpty)
		}
	})
}
