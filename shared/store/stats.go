package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// A business's reporting counters live on one item (BUS#<id> / REPORTSTATS)
// as numbers updated with ADD by every transaction that files, moves or
// closes one of its reports, so the summary is one GetItem however many
// reports there are.

// statsDelta is a change of the counters: attribute name → amount.
type statsDelta map[string]int

const (
	statTotal     = "n_total"
	statStatusPfx = "n_status_"
	statOutcome   = "n_outcome_"
	statReasonPfx = "n_reason_"
	statStarsPfx  = "n_stars_"
)

// filed counts a new report: its status, each of its reasons and its stars.
func filed(r moderation.Report) statsDelta {
	d := statsDelta{statTotal: 1, statStatusPfx + string(r.Status): 1, statStarsPfx + strconv.Itoa(r.ReviewStars): 1}
	for _, it := range r.Items {
		d[statReasonPfx+string(it.Reason)]++
	}
	return d
}

// moved counts a report leaving status from for status to.
func moved(from, to moderation.ReportStatus) statsDelta {
	if from == to {
		return nil
	}
	return statsDelta{statStatusPfx + string(from): -1, statStatusPfx + string(to): 1}
}

// closed counts a report closing with an outcome.
func closed(from moderation.ReportStatus, o moderation.Outcome) statsDelta {
	d := statsDelta{statOutcome + string(o): 1}
	for k, n := range moved(from, moderation.ReportClosed) {
		d[k] = n
	}
	return d
}

// ReportStats reads a business's reporting counters (all zero when it never reported).
func (s *Store) ReportStats(ctx context.Context, businessID string) (app.ReportStats, error) {
	st := app.ReportStats{ByStatus: map[moderation.ReportStatus]int{}, ByOutcome: map[moderation.Outcome]int{},
		ByReason: map[moderation.Reason]int{}, ByStars: map[int]int{}}
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: s.key(businessPK(businessID), skReportStats),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return st, fmt.Errorf("report stats of %s: %w", businessID, err)
	}
	for name, av := range res.Item {
		nv, ok := av.(*types.AttributeValueMemberN)
		if !ok || !strings.HasPrefix(name, "n_") {
			continue
		}
		n, err := strconv.Atoi(nv.Value)
		if err != nil {
			return st, fmt.Errorf("report stats of %s: %s: %w", businessID, name, errors.Join(err, errors.New("not a whole number")))
		}
		switch {
		case name == statTotal:
			st.Total = n
		case strings.HasPrefix(name, statStatusPfx):
			st.ByStatus[moderation.ReportStatus(strings.TrimPrefix(name, statStatusPfx))] = n
		case strings.HasPrefix(name, statOutcome):
			st.ByOutcome[moderation.Outcome(strings.TrimPrefix(name, statOutcome))] = n
		case strings.HasPrefix(name, statReasonPfx):
			st.ByReason[moderation.Reason(strings.TrimPrefix(name, statReasonPfx))] = n
		case strings.HasPrefix(name, statStarsPfx):
			if k, err := strconv.Atoi(strings.TrimPrefix(name, statStarsPfx)); err == nil {
				st.ByStars[k] = n
			}
		}
	}
	return st, nil
}
