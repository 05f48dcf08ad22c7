package ses_test

import (
	"net/http"

	"github.com/candorhq/candor/infra/local/edge"
	localses "github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/shared/clock"
)

// The local stack mounts the stand-in on its AWS edge, where the functions'
// SES client (BaseEndpoint set to the edge) finds it, and serves the
// mailbox next to the API.
func Example() {
	clk := clock.NewManual(start)
	outbox := localses.NewOutbox(clk)

	aws := edge.New()
	aws.Mount("ses", "", outbox.Handler()) // also routes SigV4 scope "email"

	api := http.NewServeMux()
	api.Handle("GET /_local/mail", outbox.MailboxPage())
	api.Handle("GET /_local/mail.json", outbox.MailboxJSON())

	_, _ = aws, api // serve them on 127.0.0.1:4566 and :3000
}
