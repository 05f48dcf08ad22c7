package ses_test

import (
	"context"
	"encoding/base64"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"

	localses "github.com/candorhq/candor/infra/local/ses"
)

// multipartMessage is a multipart/alternative message as a mail library
// writes it: an encoded-word subject and display name, a quoted-printable
// text part, a base64 HTML part with wrapped lines, and an attachment.
func multipartMessage(subject, text, html string) []byte {
	var qp strings.Builder
	w := quotedprintable.NewWriter(&qp)
	w.Write([]byte(text))
	w.Close()
	b64 := base64.StdEncoding.EncodeToString([]byte(html))
	var wrapped strings.Builder
	for len(b64) > 76 {
		wrapped.WriteString(b64[:76] + "\r\n")
		b64 = b64[76:]
	}
	wrapped.WriteString(b64)
	return []byte(strings.Join([]string{
		"From: " + (&mail.Address{Name: "Kölner Bäckerei", Address: "no-reply@candor.example"}).String(),
		"To: " + (&mail.Address{Name: "Åsa Berg", Address: "asa@example.se"}).String(),
		"Cc: b@example.de",
		"Subject: " + mime.BEncoding.Encode("UTF-8", subject),
		"MIME-Version: 1.0",
		`Content-Type: multipart/alternative; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		qp.String(),
		"--b1",
		"Content-Type: text/html; charset=UTF-8",
		"Content-Transfer-Encoding: base64",
		"",
		wrapped.String(),
		"--b1",
		"Content-Type: text/plain; name=proof.txt",
		"Content-Disposition: attachment; filename=proof.txt",
		"",
		"not the body",
		"--b1--",
		"",
	}, "\r\n"))
}

func TestSendRawEmail(t *testing.T) {
	const (
		subject = "Grüße från Åsa 🎉 – a subject long enough to be folded over more than one encoded word"
		text    = "Hej Åsa!\r\nSvara här: https://candor.example/r/tok?lang=sv&x=1\r\nStraße 👍🏽"
		html    = "<p>Grüß Gott, <a href=\"https://candor.example/r/tok?lang=sv&amp;x=1\">svara</a> 💌</p>"
	)
	from := (&mail.Address{Name: "Kölner Bäckerei", Address: "no-reply@candor.example"}).String()
	asa := (&mail.Address{Name: "Åsa Berg", Address: "asa@example.se"}).String()
	cases := []struct {
		name string
		in   *ses.SendRawEmailInput
		want localses.Message
	}{
		{
			name: "multipart with headers only",
			in:   &ses.SendRawEmailInput{RawMessage: &types.RawMessage{Data: multipartMessage(subject, text, html)}},
			want: localses.Message{From: from, To: []string{asa}, Cc: []string{"b@example.de"}, Subject: subject, Text: text, HTML: html,
				Links: []string{"https://candor.example/r/tok?lang=sv&x=1"}},
		},
		{
			name: "Source and Destinations: unnamed envelope recipients are Bcc",
			in: &ses.SendRawEmailInput{
				Source:       aws.String("bounce@candor.example"),
				Destinations: []string{"asa@example.se", "B@example.de", "audit@candor.example"},
				RawMessage:   &types.RawMessage{Data: multipartMessage(subject, text, html)},
			},
			want: localses.Message{From: "bounce@candor.example", To: []string{asa}, Cc: []string{"b@example.de"}, Bcc: []string{"audit@candor.example"},
				Subject: subject, Text: text, HTML: html, Links: []string{"https://candor.example/r/tok?lang=sv&x=1"}},
		},
		{
			name: "single part in ISO-8859-1",
			in: &ses.SendRawEmailInput{RawMessage: &types.RawMessage{Data: []byte(
				"From: no-reply@candor.example\r\nTo: r@example.com\r\nSubject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n" +
					"Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe aus K\xf6ln\r\n")}},
			want: localses.Message{From: "no-reply@candor.example", To: []string{"r@example.com"}, Subject: "Grüße", Text: "Grüße aus Köln\r\n", Links: []string{}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			out, err := e.client.SendRawEmail(context.Background(), tc.in)
			if err != nil {
				t.Fatalf("SendRawEmail: %v", err)
			}
			msgs := e.outbox.Messages()
			if len(msgs) != 1 {
				t.Fatalf("outbox has %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if got.ID != aws.ToString(out.MessageId) {
				t.Errorf("stored id %q, SDK got %q", got.ID, aws.ToString(out.MessageId))
			}
			tc.want.ID, tc.want.SentAt = got.ID, got.SentAt
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("stored message\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestSendRawEmailErrors(t *testing.T) {
	cases := []struct {
		name     string
		data     string
		wantCode string
	}{
		{name: "no From and no Source", data: "To: r@example.com\r\nSubject: Hi\r\n\r\nHello\r\n", wantCode: "InvalidParameterValue"},
		{name: "no recipient", data: "From: a@candor.example\r\nSubject: Hi\r\n\r\nHello\r\n", wantCode: "InvalidParameterValue"},
		{name: "no body part", data: "From: a@candor.example\r\nTo: r@example.com\r\nSubject: Hi\r\nContent-Type: image/png\r\n\r\nxx\r\n", wantCode: "MessageRejected"},
		{name: "not a MIME message", data: "this is not a message", wantCode: "MessageRejected"},
		{name: "unknown charset", data: "From: a@candor.example\r\nTo: r@example.com\r\nSubject: Hi\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nHello\r\n", wantCode: "MessageRejected"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.client.SendRawEmail(context.Background(), &ses.SendRawEmailInput{RawMessage: &types.RawMessage{Data: []byte(tc.data)}})
			if got := apiCode(err); got != tc.wantCode {
				t.Errorf("error code = %q, want %q (err: %v)", got, tc.wantCode, err)
			}
			if n := len(e.outbox.Messages()); n != 0 {
				t.Errorf("outbox has %d messages, want 0", n)
			}
		})
	}
}
