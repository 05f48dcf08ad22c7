package mail

import (
	"context"
	"errors"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

// rawSES records the SendRawEmail calls it gets.
type rawSES struct {
	fakeSES
	raw [][]byte
}

func (f *rawSES) SendRawEmail(_ context.Context, in *ses.SendRawEmailInput, _ ...func(*ses.Options)) (*ses.SendRawEmailOutput, error) {
	f.raw = append(f.raw, in.RawMessage.Data)
	return &ses.SendRawEmailOutput{MessageId: aws.String("0100-raw")}, nil
}

func TestSendUnsubscribableCarriesOneClickHeaders(t *testing.T) {
	l, err := NewLinks("https://reviews.example.com")
	if err != nil {
		t.Fatal(err)
	}
	fake := &rawSES{}
	s, err := NewSender(fake, "Candor <no-reply@candor.example>", NewRenderer(l))
	if err != nil {
		t.Fatal(err)
	}
	unsub := l.UnsubscribeLink("tok123")
	msg := ReplyPublished{BusinessName: "Acme Coffee", Reply: "Tack för ditt omdöme!", PublicURL: l.PublicReviewLink("rev-1"), UnsubscribeURL: unsub, ReportURL: l.ReviewerLink("rEpOrT7kQ2xR7mZpV4cW1yB8nA3")}
	id, err := s.SendUnsubscribable(context.Background(), Recipient{Address: "ana@example.org", Name: "Åsa Berg", Locale: "sv"}, msg, unsub)
	if err != nil || id != "0100-raw" || len(fake.raw) != 1 {
		t.Fatalf("SendUnsubscribable = %q, %v; %d raw sends", id, err, len(fake.raw))
	}
	m, err := mail.ReadMessage(strings.NewReader(string(fake.raw[0])))
	if err != nil {
		t.Fatalf("the raw message does not parse: %v", err)
	}
	if got := m.Header.Get("List-Unsubscribe"); got != "<"+unsub+">" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Acme Coffee har svarat på ditt omdöme" {
		t.Errorf("subject = %q, want the Swedish subject", subject)
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "ana@example.org" {
		t.Errorf("To = %v, %v", to, err)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		types = append(types, p.Header.Get("Content-Type"))
	}
	if strings.Join(types, ",") != "text/plain; charset=UTF-8,text/html; charset=UTF-8" {
		t.Errorf("parts = %v", types)
	}

	if _, err := s.SendUnsubscribable(context.Background(), Recipient{Address: "ana@example.org"}, msg, "https://evil.example/u/x"); !errors.Is(err, ErrLinkOutsideBase) {
		t.Errorf("an unsubscribe link outside the base: %v", err)
	}
}
