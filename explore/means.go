package explore

import (
	"context"
	"fmt"
	"math"

	"datachat/charts"
	"datachat/chat"
)

// minEta2 is the smallest share of a number's variance that its groups
// must explain for a chart of its means.
const minEta2 = 0.02

// meanGroup is one category's count, mean and population variance of a
// number.
type meanGroup struct {
	n              int64
	mean, variance float64
}

// meanScore scores a number's means across groups: the correlation ratio
// (the square root of the share of variance between groups) times the
// share of the rows the groups cover; 0 when there are fewer than two
// groups or the difference is small or could be chance.
func meanScore(groups []meanGroup, total int64) float64 {
	if len(groups) < 2 || total == 0 {
		return 0
	}
	var n, sum float64
	for _, g := range groups {
		n += float64(g.n)
		sum += float64(g.n) * g.mean
	}
	grand := sum / n
	var between, within float64
	for _, g := range groups {
		between += float64(g.n) * (g.mean - grand) * (g.mean - grand)
		within += float64(g.n) * g.variance
	}
	if between+within <= 0 {
		return 0
	}
	eta2 := between / (between + within)
	// n·η² is asymptotically chi-square with k-1 degrees of freedom when
	// the means do not differ.
	if eta2 < minEta2 || chiSquareZ(n*eta2, len(groups)-1) < minRateZ {
		return 0
	}
	return 0.2 + 0.45*math.Sqrt(eta2)*n/float64(total)
}

// meanChart queries the mean of m per value of by, for groups of at least
// minGroup rows.
func (t *table) meanChart(ctx context.Context, cat chat.Catalog, m, by *column) (*chat.Chart, error) {
	mq, bq := quoteIdent(m.name), quoteIdent(by.name)
	mean := alias("mean", by.name)
	n := alias("n", by.name, mean)
	sql := fmt.Sprintf(`SELECT coalesce(CAST(%s AS VARCHAR), '(missing)') AS %s, avg(%s::DOUBLE) AS %s, count(*) AS %s
FROM %s WHERE %s IS NOT NULL GROUP BY 1 HAVING count(*) >= %d ORDER BY 2 DESC, 1`,
		bq, bq, mq, quoteIdent(mean), quoteIdent(n), quoteIdent(t.name), mq, minGroup(m.nonNull))
	data, err := query(ctx, cat, sql, 2*maxLowCard, false)
	if err != nil {
		return nil, err
	}
	if len(data.Rows) < 2 {
		return nil, errNoChart
	}
	first, last := data.Rows[0], data.Rows[len(data.Rows)-1]
	hi, _ := toFloat(first[1])
	lo, _ := toFloat(last[1])
	what := "Mean " + m.name
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Bar,
			Title:  fmt.Sprintf("%s by %s", what, by.name),
			X:      by.name,
			Y:      mean,
			YLabel: what,
		},
		Data: data,
		Finding: fmt.Sprintf("%s is %s for %s vs %s for %s.", what, num(hi), groupLabel(by, first[0]),
			num(lo), groupLabel(by, last[0])),
		SQL: sql,
	}, nil
}
