package stack

import (
	"fmt"
	"io"
	"time"
)

// Banner prints the stack's URLs and ready-to-paste tokens.
func Banner(w io.Writer, s *Stack) {
	clockNote := "stands still"
	if s.Clock.Running() {
		clockNote = "runs with real time"
	}
	fmt.Fprintf(w, `
Candor local stack is up.

  Start here        %[1]s/                  (what runs where, the guides, ready-to-copy tokens)
  API               %[1]s            (GET %[1]s/healthz)
  API reference     %[1]s/docs                (the contract, api/openapi.yaml, also at %[1]s/openapi.yaml)
  AWS endpoint      %[2]s            (DynamoDB table %[3]q; aws --endpoint-url %[2]s dynamodb scan --table-name %[3]s)
  Mailbox           %[1]s/_local/mail       (every email sent; click a reviewer's link to answer; also /_local/mail.json)
  Webhooks          %[1]s/_local/webhooks   (every delivery; a demo receiver at %[1]s/_local/webhooks/receiver)
  Business portal   %[1]s/business/reports/{id}, %[1]s/business/requests/{id}   (where emails to a business link)
  Public page       %[1]s/reviews/{id}            (a review as anyone sees it, with the business's reply)
  Clock             %[1]s/_local/clock      (%[5]s; POST {"advance":"72h"} moves it on, and reminders and windows fire at once)
  Faults            %[1]s/_local/faults     (POST {"service":"dynamodb","operation":"TransactWriteItems","error":"ThrottlingException","count":2}
                                                 fails AWS calls as AWS would; GET lists what fired, DELETE clears)
  State machines    aws --endpoint-url %[2]s stepfunctions list-state-machines
  Now               %[4]s
`, s.APIURL, s.AWSURL, s.Table, s.Clock.Now().Format("2006-01-02 15:04:05 MST"), clockNote)
	if s.cfg.DataDir != "" {
		if s.Restored.IsZero() {
			fmt.Fprintf(w, "  Data              %s  (new: saved there when the stack stops)\n", s.cfg.DataDir)
		} else {
			fmt.Fprintf(w, "  Data              %s  (restored, saved %s; saved again when the stack stops)\n",
				s.cfg.DataDir, s.Restored.Format("2006-01-02 15:04:05 MST"))
		}
		if n := len(s.Lost); n > 0 {
			fmt.Fprintf(w, "                    %d workflow execution(s) running at an earlier stop could not be resumed:\n"+
				"                    their objects may wait for a step that will not come.\n", n)
			for i, x := range s.Lost {
				if i == 5 {
					fmt.Fprintf(w, "                      … and %d more\n", n-5)
					break
				}
				fmt.Fprintf(w, "                      %s %s (started %s): %s\n", x.StateMachine, x.Name, x.Started.Format(time.RFC3339), x.Reason)
			}
		}
	}
	if s.Demo == nil {
		fmt.Fprintln(w, "\n  (no demo data: started with -no-seed, or restored data without it)")
		return
	}
	fmt.Fprintf(w, "\nTokens (valid 30 days of real time; also at %s/_local/tokens; use -H \"Authorization: Bearer $BUSINESS_TOKEN\"):\n", s.APIURL)
	for i, t := range s.demoTokenList(false) {
		if i < len(s.Demo.Businesses) {
			fmt.Fprintf(w, "\n  %s, reviews %v\n  export %s=%s\n", t.Who, s.Demo.Businesses[i].Reviews, t.Var, t.Token)
			continue
		}
		fmt.Fprintf(w, "\n  %s\n  export %s=%s\n", t.Who, t.Var, t.Token)
	}
	fmt.Fprintf(w, "\nTry:\n  curl -s -H \"Authorization: Bearer $BUSINESS_TOKEN\" %s/v1/reviews\n\nCtrl-C stops the stack.\n", s.APIURL)
}
