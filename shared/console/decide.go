package console

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
)

// previewLink stands, in a previewed email, for the reviewer's link, which
// is made when the email is sent.
const previewLink = "/r/link-made-when-the-email-is-sent"

// showCase renders ticket c's case page with its decision panel d (the
// panel's reasons, rounds and language are filled in here).
func (h *Handler) showCase(w http.ResponseWriter, r *http.Request, c app.TicketCase, status int, f decideForm, problems map[string]string, extra func(*decideView), note noteForm) {
	s, _ := consoleauth.FromContext(r.Context())
	loc := Location(zoneOf(s))
	d := decideOf(c, s.Subject, h.desk.Policy().WithDefaults().MaxReviewerRounds, f, problems)
	if extra != nil {
		extra(&d)
	}
	title := "Ticket " + c.Ticket.ID
	if len(d.Summary) > 0 {
		title = "Error: " + title
	}
	if c.Ticket.Kind == moderation.TicketKindReply {
		v := replyCaseOf(c, h.opt.Clock.Now(), loc, s.Subject)
		v.Decide = d
		render(w, r, status, replyCasePage(h.chrome(r, title), v))
		return
	}
	br, err := h.desk.BusinessReporting(r.Context(), c.Ticket.BusinessID)
	if err != nil {
		h.fail(w, r, "ticket", err)
		return
	}
	v := caseOf(c, br, h.desk.Policy(), h.opt.Clock.Now(), loc, s.Subject)
	v.Decide, v.NoteForm = d, note
	render(w, r, status, casePage(h.chrome(r, title), v))
}

// decide records the agent's decision on a ticket from its case page
// through the decision use case (the JSON API's), or previews the email a
// request to the reviewer would send. A refused form comes back with
// everything typed and each problem next to its field (422); a decision
// the ticket's state forbids says what happened (409). After a decision
// the next oldest open ticket is claimed and its case opens.
func (h *Handler) decide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !ids.Valid("tkt", id) {
		h.fail(w, r, "decide", moderation.ErrNotFound)
		return
	}
	f := decideForm{Outcome: r.PostForm.Get("outcome"), Note: r.PostForm.Get("note"), Kind: r.PostForm.Get("kind"),
		Message: r.PostForm.Get("message"), Upheld: r.PostForm["upheld"]}
	if f.Outcome == moderation.DecideReviewerAction && r.PostForm.Get("preview") != "" {
		h.preview(w, r, id, f)
		return
	}
	d := moderation.Decision{Outcome: f.Outcome, Note: f.Note, Kind: f.Kind, Message: f.Message}
	for _, u := range f.Upheld {
		d.UpheldReasons = append(d.UpheldReasons, moderation.Reason(u))
	}
	_, _, err := h.desk.Decide(r.Context(), actor(r), id, d, nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindInvalid {
		c, err := h.desk.Ticket(r.Context(), id)
		if err != nil {
			h.fail(w, r, "decide", err)
			return
		}
		h.showCase(w, r, c, http.StatusUnprocessableEntity, f, e.Fields, nil, noteForm{})
		return
	}
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindConflict {
		h.conflict(w, r, id, e)
		return
	}
	if err != nil {
		h.fail(w, r, "decide", err)
		return
	}
	h.next(w, r, url.Values{"after": {id}, "decided": {f.Outcome}}, "decided")
}

// preview shows the email the reviewer would get for the request in f,
// in their language, with the form as typed; nothing is recorded.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request, id string, f decideForm) {
	ctx := r.Context()
	c, err := h.desk.Ticket(ctx, id)
	if err != nil {
		h.fail(w, r, "preview", err)
		return
	}
	if c.Ticket.KindOrReview() != moderation.TicketKindReview {
		h.showCase(w, r, c, http.StatusUnprocessableEntity, f, map[string]string{"outcome": "a reply ticket is decided remove or keep"}, nil, noteForm{})
		return
	}
	p := h.desk.Policy()
	d := moderation.Decision{Outcome: f.Outcome, Note: f.Note, Kind: f.Kind, Message: moderation.CleanText(f.Message), Agent: actor(r).Subject}
	if problems := previewProblems(moderation.ValidateDecision(c.Ticket, d, c.Report.Report.Reasons(), p.WithDefaults().MaxReviewerRounds)); len(problems) > 0 {
		h.showCase(w, r, c, http.StatusUnprocessableEntity, f, problems, nil, noteForm{})
		return
	}
	business := c.Ticket.BusinessID
	if b, err := h.desk.Business(ctx, c.Ticket.BusinessID); err == nil && b.Name != "" {
		business = b.Name
	}
	rd, link, err := h.mailRenderer(r)
	if err != nil {
		h.fail(w, r, "preview", err)
		return
	}
	pv, err := previewOf(rd, link, c, business, f, p, h.opt.Clock.Now())
	if err != nil {
		h.fail(w, r, "preview", err)
		return
	}
	h.showCase(w, r, c, http.StatusOK, f, nil, func(d *decideView) { d.Preview = pv }, noteForm{})
}

// mailRenderer renders the reviewer's emails as the task functions do;
// its links point at the host the console is served on, where the
// reviewer pages are too.
func (h *Handler) mailRenderer(r *http.Request) (*mail.Renderer, string, error) {
	scheme := "https"
	host := r.Host
	name := host
	if hn, _, err := net.SplitHostPort(host); err == nil {
		name = hn
	}
	if name == "127.0.0.1" || name == "::1" || name == "localhost" {
		scheme = "http"
	}
	l, err := mail.NewLinks(scheme + "://" + host)
	if err != nil {
		return nil, "", err
	}
	return mail.NewRenderer(l).WithBrand(h.opt.Brand), l.Base.String() + previewLink, nil
}

// conflict says why a decision was not recorded, as the ticket is now,
// and links to the fresh case.
func (h *Handler) conflict(w http.ResponseWriter, r *http.Request, id string, e *moderation.Error) {
	text := "Your decision was not recorded: " + strings.TrimSuffix(e.Message, ".") + "."
	title := "Decision not recorded"
	switch e.Code {
	case moderation.CodeRoundsExhausted:
		title = "No reviewer rounds left"
		text = "The reviewer was already asked as often as the policy allows for this report; decide with what you have."
	case moderation.CodeTicketNotInProgress:
		if c, err := h.desk.Ticket(r.Context(), id); err == nil {
			text = ticketMoved(c.Ticket, c.Decision, actor(r).Subject)
		}
	}
	render(w, r, http.StatusConflict, conflictPage(h.chrome(r, title), text, "/console/tickets/"+id))
}

// ticketMoved says what became of a ticket the agent tried to decide.
func ticketMoved(t moderation.Ticket, last moderation.Decision, agent string) string {
	switch {
	case t.Status == moderation.TicketDecided && last.Agent == agent:
		return "You decided this ticket already (a form sent twice?); the decision recorded is the first."
	case t.Status == moderation.TicketDecided:
		return "Someone else decided: this ticket was decided meanwhile, so yours was not recorded."
	case t.Status == moderation.TicketWaitingForReviewer:
		return "The reviewer was asked meanwhile: the ticket waits for their answer or the window's end, and comes back to the queue then."
	case t.Status == moderation.TicketOpen:
		return "This ticket is not yours any more: it is back in the queue (released, or the reviewer's window closed). Claim it again to decide it."
	case t.Assignee != agent:
		return "This ticket is not yours: another agent holds it."
	}
	return "The ticket changed meanwhile; read it again before you decide."
}

// next claims the oldest open ticket (of either kind, or of the filter the
// request's form carries) for the agent and opens its case with query q; a ticket another agent claimed meanwhile is
// skipped for the next. With none open, the queues show notice.
func (h *Handler) next(w http.ResponseWriter, r *http.Request, q url.Values, notice string) {
	ctx := r.Context()
	var (
		ts  []moderation.Ticket
		err error
	)
	if f, _ := filterOf(r); f != (app.QueueFilter{}) {
		ts, _, err = collectUpTo(ctx, 10, func(ctx context.Context, p app.Page) ([]moderation.Ticket, string, error) {
			return h.desk.QueueTickets(ctx, moderation.TicketOpen, f, p)
		})
	} else {
		ts, _, err = h.desk.ListTickets(ctx, moderation.TicketOpen, "", app.Page{Limit: 10}) // review and reply tickets
	}
	if err != nil {
		h.fail(w, r, "start reviewing", err)
		return
	}
	for _, t := range ts {
		got, err := h.desk.Claim(ctx, actor(r), t.ID, nil)
		if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindConflict {
			continue // another agent was quicker: take the next
		}
		if err != nil {
			h.fail(w, r, "start reviewing", err)
			return
		}
		to := "/console/tickets/" + url.PathEscape(got.ID)
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console?notice="+notice, http.StatusSeeOther)
}

// afterDecision is the notice a case opened by next shows.
func afterDecision(q url.Values) string {
	prev := q.Get("after")
	if !ids.Valid("tkt", prev) {
		return ""
	}
	return decidedNotice(prev, q.Get("decided"))
}
