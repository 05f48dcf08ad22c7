// Command templ renders an email with shared/mail, whose HTML part is a
// templ component. templ's runtime imports html/template (for a type), so
// an import check would refuse it; the method-lookup check must find no
// method lookup in its binary.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/candorhq/candor/shared/mail"
)

func main() {
	l, err := mail.NewLinks("https://reviews.example.com")
	if err != nil {
		os.Exit(1)
	}
	r, err := mail.NewRenderer(l).Render(os.Getenv("LANG"), mail.ProofRequest{
		BusinessName: os.Args[0], ReplyURL: l.ReviewerLink("tok"), Deadline: time.Now(),
	})
	if err != nil {
		os.Exit(1)
	}
	fmt.Print(r.HTML)
}
