package mail

import (
	"context"
	"testing"
)

// BenchmarkRender renders the longest email (a statement of reasons) and the
// most frequent one (a Find Reviewer request).
func BenchmarkRender(b *testing.B) {
	l := testLinks(b)
	r := NewRenderer(l)
	for _, s := range samples(l) {
		if s.name != "review_removed_agent" && s.name != "find_reviewer_request" {
			continue
		}
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render("de", s.msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewRenderer is the cold-start cost of parsing the layouts and the
// three catalogues.
func BenchmarkNewRenderer(b *testing.B) {
	l := testLinks(b)
	b.ReportAllocs()
	for b.Loop() {
		NewRenderer(l)
	}
}

// BenchmarkSend is Send's own cost around the SES call (a fake here).
func BenchmarkSend(b *testing.B) {
	l := testLinks(b)
	s, err := NewSender(&fakeSES{id: "x"}, "Candor <no-reply@candor.example>", NewRenderer(l))
	if err != nil {
		b.Fatal(err)
	}
	to := Recipient{Address: "joerg@example.de", Name: "Jörg Müller", Locale: "de"}
	msg := samples(l)[0].msg
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(ctx, to, msg); err != nil {
			b.Fatal(err)
		}
	}
}
