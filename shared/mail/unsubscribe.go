package mail

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
)

// Reply emails are the one kind a reviewer can stop with one click (RFC
// 8058): they go out with List-Unsubscribe and List-Unsubscribe-Post, which
// SES's simple SendEmail cannot carry, so they are sent as a raw MIME
// message. Every other email is required by a process and has no such header.

// PublicReviewLink returns the review's public page: <base>/v1/public/reviews/<id>.
func (l Links) PublicReviewLink(reviewID string) string { return l.join("v1/public/reviews", reviewID) }

// UnsubscribeLink returns the one-click unsubscribe address of a token:
// <base>/v1/public/unsubscribe/<token>. A GET shows a page with a button; a POST (the mail
// client's one click, or the button) stops the reply emails.
func (l Links) UnsubscribeLink(token string) string { return l.join("v1/public/unsubscribe", token) }

// RawSESAPI is the part of the SES v1 client that sends raw messages.
// *ses.Client implements it.
type RawSESAPI interface {
	SendRawEmail(ctx context.Context, params *ses.SendRawEmailInput, optFns ...func(*ses.Options)) (*ses.SendRawEmailOutput, error)
}

var _ RawSESAPI = (*ses.Client)(nil)

// SendUnsubscribable renders msg in to's locale and sends it through SES as
// a raw message with the headers "List-Unsubscribe: <unsubscribeURL>" and
// "List-Unsubscribe-Post: List-Unsubscribe=One-Click", returning SES's
// message id. unsubscribeURL must be under the public base URL. Errors
// never contain to's address or name, as for Send.
func (s *Sender) SendUnsubscribable(ctx context.Context, to Recipient, msg Message, unsubscribeURL string) (string, error) {
	name := nameOf(msg)
	raw, ok := s.client.(RawSESAPI)
	if !ok {
		return "", fmt.Errorf("mail: send %s: the SES client cannot send raw messages", name)
	}
	if !s.r.links.under(unsubscribeURL) {
		return "", fmt.Errorf("mail: send %s: unsubscribe link: %w", name, ErrLinkOutsideBase)
	}
	dest, err := destination(to)
	if err != nil {
		return "", fmt.Errorf("mail: send %s: %w", name, err)
	}
	out, err := s.r.Render(to.Locale, msg)
	if err != nil {
		return "", fmt.Errorf("mail: send: %w", err)
	}
	data, err := mimeMessage(s.from, dest, out, unsubscribeURL)
	if err != nil {
		return "", fmt.Errorf("mail: send %s: build the message: %w", name, err)
	}
	res, err := raw.SendRawEmail(ctx, &ses.SendRawEmailInput{RawMessage: &types.RawMessage{Data: data}})
	if err != nil {
		return "", redacted("mail: send "+name+" through SES", err, to, dest)
	}
	if res == nil || aws.ToString(res.MessageId) == "" {
		return "", fmt.Errorf("mail: send %s through SES: no message id in the response", name)
	}
	return *res.MessageId, nil
}

// mimeMessage is a multipart/alternative message of the rendered email's
// text and HTML, quoted-printable, with the one-click unsubscribe headers.
func mimeMessage(from, to string, r Rendered, unsubscribeURL string) ([]byte, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, part := range []struct{ typ, content string }{{"text/plain", r.Text}, {"text/html", r.HTML}} {
		pw, err := w.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=UTF-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write([]byte(part.content)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	// SES adds the Date and Message-ID headers.
	var m bytes.Buffer
	for _, h := range [][2]string{
		{"From", from},
		{"To", to},
		{"Subject", mime.QEncoding.Encode("UTF-8", r.Subject)},
		{"MIME-Version", "1.0"},
		{"List-Unsubscribe", "<" + unsubscribeURL + ">"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		{"Content-Type", "multipart/alternative; boundary=" + w.Boundary()},
	} {
		fmt.Fprintf(&m, "%s: %s\r\n", h[0], h[1])
	}
	m.WriteString("\r\n")
	m.Write(body.Bytes())
	return m.Bytes(), nil
}
