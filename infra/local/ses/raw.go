package ses

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// maxMIMEDepth bounds how deeply multiparts may nest.
const maxMIMEDepth = 8

// sendRawEmail stores a SendRawEmail request: the sender is Source, else
// the From header; To and Cc come from the headers; envelope recipients in
// Destinations that no header names count as Bcc (with no Destinations, the
// Bcc header does). The first text/plain and the first text/html part that
// are not attachments become the text and HTML parts.
func (o *Outbox) sendRawEmail(f url.Values) (string, *apiError) {
	switch {
	case !hasPrefix(f, "RawMessage."):
		return "", nullMembers([]string{"rawMessage"})
	case !f.Has("RawMessage.Data"):
		return "", nullMembers([]string{"rawMessage.data"})
	}
	data, err := base64.StdEncoding.DecodeString(f.Get("RawMessage.Data"))
	if err != nil {
		return "", invalidParameter("RawMessage.Data is not valid base64.")
	}
	m, err := parseRaw(data)
	if err != nil {
		return "", messageRejected("Raw message is not a well-formed MIME message.")
	}
	if src := f.Get("Source"); src != "" {
		m.From = src
	}
	if m.From == "" {
		return "", invalidParameter("Missing required header 'From'.")
	}
	if dest := members(f, "Destinations"); len(dest) > 0 {
		named := map[string]bool{}
		for _, a := range slices.Concat(m.To, m.Cc) {
			named[bareAddress(a)] = true
		}
		m.Bcc = nil
		for _, d := range dest {
			if !named[bareAddress(d)] {
				m.Bcc = append(m.Bcc, d)
			}
		}
	}
	if err := checkMessage(&m); err != nil {
		return "", err
	}
	if err := o.checkSender(m.From); err != nil {
		return "", err
	}
	return o.add(m), nil
}

// parseRaw reads the headers and the text and HTML parts of a MIME message.
func parseRaw(data []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Message{}, fmt.Errorf("parse raw message: %w", err)
	}
	m := Message{From: strings.TrimSpace(msg.Header.Get("From"))}
	for _, h := range []struct {
		name string
		dst  *[]string
	}{{"To", &m.To}, {"Cc", &m.Cc}, {"Bcc", &m.Bcc}} {
		list, err := msg.Header.AddressList(h.name)
		if errors.Is(err, mail.ErrHeaderNotPresent) {
			continue
		}
		if err != nil {
			return Message{}, fmt.Errorf("parse raw message: %s header: %w", h.name, err)
		}
		for _, a := range list {
			s := a.Address
			if a.Name != "" {
				s = a.String() // the name as an RFC 2047 encoded word if need be
			}
			*h.dst = append(*h.dst, s)
		}
	}
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("parse raw message: subject: %w", err)
	}
	h := msg.Header
	if err := readPart(&m, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), h.Get("Content-Disposition"), msg.Body, 0); err != nil {
		return Message{}, fmt.Errorf("parse raw message: %w", err)
	}
	return m, nil
}

// readPart walks one MIME part, descending into multiparts, and keeps the
// first inline text/plain and text/html bodies it meets.
func readPart(m *Message, contentType, encoding, disposition string, body io.Reader, depth int) error {
	mediaType, params := "text/plain", map[string]string{}
	if contentType != "" {
		var err error
		if mediaType, params, err = mime.ParseMediaType(contentType); err != nil {
			return fmt.Errorf("content type: %w", err)
		}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		if depth >= maxMIMEDepth {
			return errors.New("multiparts nested too deeply")
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := readPart(m, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, depth+1); err != nil {
				return err
			}
		}
	}
	if d, _, _ := mime.ParseMediaType(disposition); d == "attachment" {
		return nil
	}
	var dst *string
	switch mediaType {
	case "text/plain":
		dst = &m.Text
	case "text/html":
		dst = &m.HTML
	}
	if dst == nil || *dst != "" {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // ignores line breaks
	}
	if cs := params["charset"]; cs != "" {
		r, err := charsetReader(cs, body)
		if err != nil {
			return err
		}
		body = r
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	*dst = string(b)
	return nil
}

// charsetReader decodes the named charset (any the WHATWG encoding standard
// knows) to UTF-8.
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii":
		return r, nil
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("charset %q: %w", charset, err)
	}
	return enc.NewDecoder().Reader(r), nil
}
