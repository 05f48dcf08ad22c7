package pagesfunc

import (
	"context"
	"errors"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
)

// pages adapts the link use cases to the reviewer pages' Backend: the
// pages keep their own view and error vocabulary, the use cases theirs.
type pages struct{ app *app.App }

var _ reviewerpage.Backend = pages{}

var pageStates = map[app.LinkState]reviewerpage.State{
	app.LinkOpen: reviewerpage.StateOpen, app.LinkUsed: reviewerpage.StateUsed, app.LinkExpired: reviewerpage.StateExpired,
}

func (p pages) View(ctx context.Context, hash string) (reviewerpage.View, error) {
	v, err := p.app.ViewLink(ctx, hash)
	if err != nil {
		return reviewerpage.View{}, pageError(err)
	}
	pv := reviewerpage.View{Purpose: v.Purpose, State: pageStates[v.State], Locale: v.Locale, BusinessName: v.BusinessName,
		Message: v.Message, ReviewTitle: v.ReviewTitle, ReviewText: v.ReviewText, ReviewStars: v.ReviewStars, Deadline: v.Deadline,
		TimeZone: v.TimeZone}
	pv.TakesDocuments, pv.Draft = v.TakesDocuments, v.Draft
	for _, d := range v.Documents {
		pv.Documents = append(pv.Documents, reviewerpage.Attached{ID: d.ID, Type: d.Type, Size: d.Size, At: d.UploadedAt})
	}
	if rm := v.Removal; rm != nil {
		pv.Removal = &reviewerpage.Removal{Reasons: rm.Reasons, Facts: rm.Facts, NoProof: rm.NoProof}
	}
	return pv, nil
}

func (p pages) Submit(ctx context.Context, hash string, s reviewerpage.Submission) error {
	return pageError(p.app.SubmitLink(ctx, hash, app.LinkSubmission{Text: s.Text, Title: s.Title, Body: s.Body, Stars: s.Stars, Reason: s.Reason}))
}

// pageError is the one table from the use cases' errors to the pages'.
func pageError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, app.ErrLinkUsed):
		return reviewerpage.ErrUsed
	case errors.Is(err, app.ErrLinkExpired):
		return reviewerpage.ErrExpired
	case errors.Is(err, moderation.ErrNotFound):
		return reviewerpage.ErrNotFound
	}
	return err
}
