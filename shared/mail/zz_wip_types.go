package mail

import "time"

// TEMPORARY (coordinator's branch only): the helper's branch defines these.

type ReviewReinstatedForReviewer struct {
	BusinessName, ReviewTitle string
	OnAppeal                  bool
}

type AppealDecided struct {
	Appellant                 string
	ToAppellant               bool
	Outcome                   string
	BusinessName, ReviewTitle string
	Facts                     string
	DecidedAt                 time.Time
	ReportURL                 string
}

func (ReviewReinstatedForReviewer) Name() string     { return "review_reinstated_reviewer" }
func (ReviewReinstatedForReviewer) build(b *builder) { b.invalid("wip") }
func (AppealDecided) Name() string                   { return "appeal_decided" }
func (AppealDecided) build(b *builder)               { b.invalid("wip") }
