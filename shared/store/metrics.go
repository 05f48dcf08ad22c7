package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// The compliance metrics are counters on one item per day
// (METRICS#<yyyy-mm-dd> / DAY) and one per agent and day
// (METRICS#<yyyy-mm-dd> / AGENT#<sub>), added to with ADD by the
// transaction that makes the change they count (moderation.Tally names
// the counters). A day is one partition, read with one Query; a replayed
// or retried transaction fails its own condition or its idempotency key, so
// it counts nothing a second time.

const (
	metricsPKPfx      = "METRICS#"
	skMetricsDay      = "DAY"
	skMetricsAgentPfx = "AGENT#"
)

func metricsPK(day string) string { return metricsPKPfx + day }

// metrics adds the updates of t's counters to the transaction: the day's
// item and, for an agent's event, the agent's day item.
func (b *txBuilder) metrics(t moderation.Tally) {
	day := metricsPK(moderation.MetricsDay(t.At))
	if len(t.Day) > 0 {
		names, values, set := addExpr(t.Day)
		b.update(day, skMetricsDay, set, "", names, values)
	}
	if t.Agent != "" && len(t.ByAgent) > 0 {
		names, values, set := addExpr(t.ByAgent)
		b.update(day, skMetricsAgentPfx+t.Agent, set, "", names, values)
	}
}

// MetricsDays reads the counters of each day in days ("2006-01-02"), one
// Query a day; a day nothing was counted on has empty counters.
func (s *Store) MetricsDays(ctx context.Context, days []string) ([]app.MetricsDay, error) {
	out := make([]app.MetricsDay, 0, len(days))
	for _, d := range days {
		md := app.MetricsDay{Day: d, Counts: map[string]int{}, Agents: map[string]map[string]int{}}
		err := s.readPartition(ctx, metricsPK(d), func(sk string, raw map[string]types.AttributeValue) error {
			counts := map[string]int{}
			for name, av := range raw {
				nv, ok := av.(*types.AttributeValueMemberN)
				if !ok {
					continue
				}
				n, err := strconv.Atoi(nv.Value)
				if err != nil {
					return fmt.Errorf("%s: %s: not a whole number: %w", sk, name, err)
				}
				counts[name] = n
			}
			if agent, ok := strings.CutPrefix(sk, skMetricsAgentPfx); ok {
				md.Agents[agent] = counts
			} else if sk == skMetricsDay {
				md.Counts = counts
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("metrics of %s: %w", d, err)
		}
		out = append(out, md)
	}
	return out, nil
}
