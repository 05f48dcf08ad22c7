package stack

import (
	"context"
	"net/http"
	"time"

	"github.com/candorhq/candor/infra/local/portal"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// The local business portal's pages, which BUSINESS_REPORT_URL and
// BUSINESS_REQUEST_URL point at in the local stack.
const (
	BusinessReportPath  = portal.ReportPath
	BusinessRequestPath = portal.RequestPath
	// PublicReviewPagePath is the local public page of a review.
	PublicReviewPagePath = portal.PublicReviewPath
)

// portalTokenTTL is how long the token a portal page reads the API with lives: one request.
const portalTokenTTL = time.Minute

// owners finds records' businesses in the table.
type owners struct{ st *store.Store }

func (o owners) ReportOwner(ctx context.Context, id string) (string, error) {
	r, _, err := o.st.GetReport(ctx, id)
	return r.BusinessID, err
}

func (o owners) RequestOwner(ctx context.Context, id string) (string, error) {
	r, _, err := o.st.GetRequest(ctx, id)
	return r.BusinessID, err
}

// portalPages serves the local business portal over api (the gateway).
func (s *Stack) portalPages(api http.Handler) http.Handler {
	st := store.New(s.DynamoDB, s.Table)
	return portal.Handler(portal.Config{
		Owners: owners{st: st},
		BusinessName: func(ctx context.Context, id string) (string, error) {
			b, err := st.GetBusiness(ctx, id)
			return b.Name, err
		},
		API: api,
		Token: func(businessID string) string {
			return s.Token("portal@"+businessID, "business", businessID, portalTokenTTL)
		},
		NotFound: func(err error) bool { return moderation.KindOf(err) == moderation.KindNotFound },
		Logger:   s.cfg.Logger.With("component", "business-portal"),
	})
}
