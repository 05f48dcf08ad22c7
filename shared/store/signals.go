package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/moderation"
)

// Reporting signals (docs/misuse.md) are counted per calendar month of the
// report's filing, on BUS#<id> / REPSTATS#<YYYY-MM>, by the transactions that
// already file, close and re-decide reports; the business's review star
// distribution is counted on BUS#<id> / REVIEWSTATS by the transactions that
// create and edit reviews. Reading them is one BatchGetItem of 13 keys.

const (
	skMonthStatsPfx = "REPSTATS#"
	skReviewStats   = "REVIEWSTATS"

	mTotal      = "n_total"
	mStarsPfx   = "n_stars_"
	mOutcomePfx = "n_outcome_"
	mRemovedPfx = "n_removed_"
	mRepeat     = "n_repeat"
	mWeekPfx    = "n_week_"
)

func monthStatsSK(month string) string { return skMonthStatsPfx + month }

// addCounters adds an ADD update of the numeric attributes of (pk, sk) by delta.
func (b *txBuilder) addCounters(pk, sk string, delta statsDelta) {
	if len(delta) == 0 {
		return
	}
	names, values, set := addExpr(delta)
	b.update(pk, sk, set, "", names, values)
}

// monthStats adds delta to the month bucket of a report filed at filedAt.
func (b *txBuilder) monthStats(businessID string, filedAt time.Time, delta statsDelta) {
	b.addCounters(businessPK(businessID), monthStatsSK(moderation.MonthKey(filedAt)), delta)
}

// filedMonth counts a new report in its month: total, stars, ISO week, and
// whether the review had been reported before.
func filedMonth(r moderation.Report, repeat bool) statsDelta {
	d := statsDelta{mTotal: 1, mStarsPfx + strconv.Itoa(r.ReviewStars): 1, mWeekPfx + moderation.WeekKey(r.CreatedAt): 1}
	if repeat {
		d[mRepeat] = 1
	}
	return d
}

// outcomeMonth counts (sign +1) or uncounts (-1) an outcome with its upheld reasons.
func outcomeMonth(d statsDelta, o moderation.Outcome, reasons []moderation.Reason, sign int) statsDelta {
	if d == nil {
		d = statsDelta{}
	}
	d[mOutcomePfx+string(o)] += sign
	if o == moderation.OutcomeRemoved {
		for _, r := range reasons {
			d[mRemovedPfx+string(r)] += sign
		}
	}
	return d
}

// reviewStars counts a review entering (+1) or leaving (-1) a star rating.
func reviewStarsDelta(d statsDelta, stars, sign int) statsDelta {
	if d == nil {
		d = statsDelta{}
	}
	d[mStarsPfx+strconv.Itoa(stars)] += sign
	for k, v := range d {
		if v == 0 {
			delete(d, k)
		}
	}
	return d
}

// reviewStatsUpdate is the TransactWriteItem counting a review's stars change.
func (s *Store) reviewStatsUpdate(businessID string, d statsDelta) (types.TransactWriteItem, bool) {
	if len(d) == 0 {
		return types.TransactWriteItem{}, false
	}
	names, values, set := addExpr(d)
	return types.TransactWriteItem{Update: &types.Update{TableName: aws.String(s.table), Key: s.key(businessPK(businessID), skReviewStats),
		UpdateExpression: aws.String(set), ExpressionAttributeNames: names, ExpressionAttributeValues: values}}, true
}

// ReportingCounts reads the month buckets of the window ending at now's month
// and the review star distribution: one BatchGetItem of 13 keys.
func (s *Store) ReportingCounts(ctx context.Context, businessID string, now time.Time) ([]moderation.MonthCounts, map[int]int, error) {
	months := moderation.WindowMonthKeys(now)
	keys := make([]map[string]types.AttributeValue, 0, len(months)+1)
	for _, m := range months {
		keys = append(keys, s.key(businessPK(businessID), monthStatsSK(m)))
	}
	keys = append(keys, s.key(businessPK(businessID), skReviewStats))
	var items []map[string]types.AttributeValue
	req := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	for attempt := 0; len(req) > 0; attempt++ {
		if attempt > 5 {
			return nil, nil, fmt.Errorf("reporting counts of %s: unprocessed keys remain", businessID)
		}
		out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, nil, fmt.Errorf("reporting counts of %s: %w", businessID, err)
		}
		items = append(items, out.Responses[s.table]...)
		req = out.UnprocessedKeys
	}
	var counts []moderation.MonthCounts
	reviews := map[int]int{}
	for _, it := range items {
		sk, _ := it[AttrSK].(*types.AttributeValueMemberS)
		if sk == nil {
			continue
		}
		nums, err := numbers(it)
		if err != nil {
			return nil, nil, fmt.Errorf("reporting counts of %s: %s: %w", businessID, sk.Value, err)
		}
		if sk.Value == skReviewStats {
			for k, n := range nums {
				if st, err := strconv.Atoi(strings.TrimPrefix(k, mStarsPfx)); err == nil && strings.HasPrefix(k, mStarsPfx) {
					reviews[st] = n
				}
			}
			continue
		}
		m := moderation.MonthCounts{Month: strings.TrimPrefix(sk.Value, skMonthStatsPfx), ByStars: map[int]int{},
			ByOutcome: map[moderation.Outcome]int{}, Removed: map[moderation.Reason]int{}, ByWeek: map[string]int{}}
		for k, n := range nums {
			switch {
			case k == mTotal:
				m.Total = n
			case k == mRepeat:
				m.Repeat = n
			case k == mReplyRemoved:
				m.RepliesRemoved = n
			case strings.HasPrefix(k, mStarsPfx):
				if st, err := strconv.Atoi(strings.TrimPrefix(k, mStarsPfx)); err == nil {
					m.ByStars[st] = n
				}
			case strings.HasPrefix(k, mOutcomePfx):
				m.ByOutcome[moderation.Outcome(strings.TrimPrefix(k, mOutcomePfx))] = n
			case strings.HasPrefix(k, mRemovedPfx):
				m.Removed[moderation.Reason(strings.TrimPrefix(k, mRemovedPfx))] = n
			case strings.HasPrefix(k, mWeekPfx):
				m.ByWeek[strings.TrimPrefix(k, mWeekPfx)] = n
			}
		}
		counts = append(counts, m)
	}
	return counts, reviews, nil
}

// numbers returns the item's n_ attributes as whole numbers.
func numbers(it map[string]types.AttributeValue) (map[string]int, error) {
	out := map[string]int{}
	for name, av := range it {
		nv, ok := av.(*types.AttributeValueMemberN)
		if !ok || !strings.HasPrefix(name, "n_") {
			continue
		}
		n, err := strconv.Atoi(nv.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: not a whole number: %w", name, err)
		}
		out[name] = n
	}
	return out, nil
}
