package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/candorhq/candor/shared/moderation"
)

// PlatformStore is what the platform's registrations and the public view
// need of the table.
type PlatformStore interface {
	// PutBusiness creates or updates a business and reports whether it was created.
	PutBusiness(ctx context.Context, b moderation.Business) (moderation.Business, bool, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	CreateReview(ctx context.Context, r moderation.Review, v moderation.ReviewVersion, actor string) error
	UpdateReview(ctx context.Context, r moderation.Review, prevVersion, prevStars int, v *moderation.ReviewVersion, actor string) error
}

// PutBusiness creates or updates a business; it reports whether it was created.
func (a *App) PutBusiness(ctx context.Context, id string, in moderation.BusinessInput) (moderation.Business, bool, error) {
	if !moderation.ValidID(id) {
		return moderation.Business{}, false, moderation.InvalidField("businessId", "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
	}
	in.Name = moderation.CleanText(in.Name)
	if err := moderation.ValidateBusiness(in); err != nil {
		return moderation.Business{}, false, err
	}
	return a.store.PutBusiness(ctx, moderation.Business{ID: id, Name: in.Name, NotificationEmail: in.NotificationEmail,
		Locale: moderation.NormalizeLocale(in.Locale), Domains: in.Domains, UpdatedAt: a.clock.Now()})
}

// PutReview creates a review or records the platform's update of it: a
// change of content is the reviewer's edit and makes a new version. It
// returns the review and whether it was created.
func (a *App) PutReview(ctx context.Context, id string, in moderation.ReviewInput) (moderation.Review, bool, error) {
	if !moderation.ValidID(id) {
		return moderation.Review{}, false, moderation.InvalidField("reviewId", "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
	}
	in.Reviewer.Name, in.Title, in.Text = moderation.CleanText(in.Reviewer.Name), moderation.CleanText(in.Title), moderation.CleanText(in.Text)
	now := a.clock.Now()
	if err := moderation.ValidateReviewInput(in, now); err != nil {
		return moderation.Review{}, false, err
	}
	var existing *moderation.Review
	switch cur, err := a.store.GetReview(ctx, id); {
	case err == nil:
		existing = &cur
	case !errors.Is(err, moderation.ErrNotFound):
		return moderation.Review{}, false, err
	}
	if existing == nil {
		if _, err := a.store.GetBusiness(ctx, in.BusinessID); err != nil {
			if errors.Is(err, moderation.ErrNotFound) {
				err = moderation.InvalidField("businessId", "no such business")
			}
			return moderation.Review{}, false, err
		}
	}
	rev, ver, changed, err := moderation.ApplyReview(existing, id, in, now)
	if err != nil {
		return moderation.Review{}, false, err
	}
	switch {
	case existing == nil:
		err = a.store.CreateReview(ctx, rev, ver, "platform")
	case changed:
		var v *moderation.ReviewVersion
		if ver.Version != 0 {
			v = &ver
		}
		err = a.store.UpdateReview(ctx, rev, existing.Version, existing.Stars, v, "platform")
	}
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeVersionConflict, "the review changed concurrently; send the update again")
	}
	if err != nil {
		return moderation.Review{}, false, fmt.Errorf("put review %s: %w", id, err)
	}
	return rev, existing == nil, nil
}

// PublicReview is what anyone may see of a review: its visibility, the
// review when published, and the business's statement while a report on it
// is open.
type PublicReview struct {
	Review       moderation.Review
	BusinessName string // set when a statement is shown
}

// Public reads a review's public state. It never carries the reviewer to
// the caller's view: the HTTP layer shows no reviewer field at all.
func (a *App) Public(ctx context.Context, id string) (PublicReview, error) {
	if !moderation.ValidID(id) {
		return PublicReview{}, notFound("review")
	}
	rev, err := a.store.GetReview(ctx, id)
	if err != nil {
		return PublicReview{}, err
	}
	pr := PublicReview{Review: rev}
	if rev.Visibility == moderation.UnderInvestigation || (rev.Visibility == moderation.Published && rev.OpenReportID != "") {
		b, err := a.store.GetBusiness(ctx, rev.BusinessID)
		if err != nil && !errors.Is(err, moderation.ErrNotFound) {
			return PublicReview{}, err
		}
		pr.BusinessName = b.Name
	}
	return pr, nil
}
