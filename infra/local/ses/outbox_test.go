package ses_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

func TestMessagesAreCopies(t *testing.T) {
	e := newEnv(t)
	sendAll(t, e, email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "https://candor.example/r/1", ""))
	got := e.outbox.Messages()
	got[0].To[0] = "changed@example.com"
	got[0].Links[0] = "https://evil.example/"
	got[0].Subject = "changed"
	again := e.outbox.Messages()[0]
	if again.To[0] != "r@example.com" || again.Links[0] != "https://candor.example/r/1" || again.Subject != "Hi" {
		t.Errorf("changing a returned message changed the outbox: to %q, links %q, subject %q", again.To, again.Links, again.Subject)
	}
}

func TestReset(t *testing.T) {
	e := newEnv(t, func(o *ses.Options) { o.RetryMaxAttempts = 1 })
	ctx := context.Background()
	sendAll(t, e, email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", ""))
	if _, err := e.client.VerifyEmailIdentity(ctx, &ses.VerifyEmailIdentityInput{EmailAddress: aws.String("ops@candor.example")}); err != nil {
		t.Fatalf("VerifyEmailIdentity: %v", err)
	}
	e.outbox.Fail(5, "Throttling")

	e.outbox.Reset()

	if n := len(e.outbox.Messages()); n != 0 {
		t.Errorf("after Reset the outbox has %d messages, want 0", n)
	}
	ids, err := e.client.ListIdentities(ctx, &ses.ListIdentitiesInput{})
	if err != nil {
		t.Fatalf("ListIdentities: %v", err)
	}
	if len(ids.Identities) != 0 {
		t.Errorf("after Reset identities = %q, want none", ids.Identities)
	}
	if _, err := e.client.SendEmail(ctx, email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", "")); err != nil {
		t.Errorf("first send after Reset failed (%v): pending failures should be forgotten", err)
	}
}
