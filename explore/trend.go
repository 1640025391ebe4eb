package explore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"datachat/charts"
	"datachat/chat"
)

// Trend candidates.
const (
	maxTrendColumns   = 2   // date/time columns examined
	maxTrendMeasures  = 3   // numbers whose mean over time is examined
	minBuckets        = 4   // fewer periods make no trend
	minPerPeriod      = 5   // nor do fewer rows in a typical period
	maxBuckets        = 400 // more (a span of centuries) are not charted
	minTrendR2        = 0.3 // a weaker linear fit is no trend
	minTrendChange    = 0.1 // nor is a smaller relative change
	betterMeanR2      = 0.2 // a mean replaces the count when its fit is this much better
	peakOverMedian    = 1.5 // a peak this far above the median is mentioned
	partialEdgeMedian = 0.5 // first and last periods this far below the median are likely partial
)

// unitFor picks the period of a trend from its span.
func unitFor(span time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case span > 5*365*day:
		return "year"
	case span > 90*day:
		return "month"
	case span > 3*day:
		return "day"
	case span > 6*time.Hour:
		return "hour"
	}
	return ""
}

// series is one line over time and its linear fit.
type series struct {
	name     string // "" for the row count, else the measure
	x        []time.Time
	y        []float64
	from, to int     // the periods fitted (partial edge periods left out)
	r2       float64 // of the linear fit
	// fitFrom and fitTo are the fitted values at the first and last
	// periods fitted, change the relative change between them.
	fitFrom, fitTo, change float64
	trending               bool
}

// trendCandidates scores counts and means per period of every date or
// timestamp column.
func (t *table) trendCandidates(ctx context.Context, cat chat.Catalog) ([]*candidate, error) {
	var ms []*column
	for _, c := range t.cols {
		if c.measure() && !c.outcome && len(ms) < maxTrendMeasures {
			ms = append(ms, c)
		}
	}
	var out []*candidate
	seen := 0
	for _, d := range t.cols {
		if d.kind != kindTime || !d.hasSpan || d.nonNull < minRows || seen == maxTrendColumns {
			continue
		}
		seen++
		unit := unitFor(d.tmax.Sub(d.tmin))
		if unit == "" {
			continue
		}
		sql := t.trendSQL(d, unit, true, ms)
		res, err := cat.Query(ctx, sql, maxBuckets+1)
		if err != nil {
			return nil, fmt.Errorf("trend of %s: %w", d.name, err)
		}
		if len(res.Rows) < minBuckets || res.Truncated {
			continue
		}
		if len(res.Columns) != 2+len(ms) {
			return nil, fmt.Errorf("trend of %s: unexpected result shape", d.name)
		}
		counts := newSeries("", res.Rows, 1, true)
		if counts == nil || median(counts.y) < minPerPeriod {
			continue // too thin to show a trend
		}
		best := counts
		for i, m := range ms {
			s := newSeries(m.name, res.Rows, 2+i, false)
			if s != nil && s.trending && (best == nil || s.r2 > best.r2+betterMeanR2) {
				best = s
			}
		}
		score := 0.3
		if best.trending {
			score += 0.4 * best.r2
		}
		cols := []string{d.name}
		if best.name != "" {
			cols = append(cols, best.name)
		}
		out = append(out, &candidate{
			kind:  candTrend,
			cols:  cols,
			score: score,
			build: func(ctx context.Context) (*chat.Chart, error) { return t.trendChart(ctx, cat, d, unit, best) },
		})
	}
	return out, nil
}

// newSeries reads column i of the trend rows and fits a line to it. Counts
// leave out first and last periods well below the median, which usually
// cover only part of their period.
func newSeries(name string, rows [][]any, i int, counts bool) *series {
	s := &series{name: name}
	for _, r := range rows {
		ts, ok1 := r[0].(time.Time)
		v, ok2 := toFloat(r[i])
		if ok1 && ok2 {
			s.x = append(s.x, ts)
			s.y = append(s.y, v)
		}
	}
	if len(s.y) < minBuckets {
		return nil
	}
	s.from, s.to = 0, len(s.y)
	if counts && len(s.y) >= 6 {
		med := median(s.y)
		if s.y[0] < partialEdgeMedian*med {
			s.from++
		}
		if s.y[len(s.y)-1] < partialEdgeMedian*med {
			s.to--
		}
	}
	s.fit()
	return s
}

// fit is the least-squares line of y on time (in days) over the fitted
// periods.
func (s *series) fit() {
	xs := make([]float64, 0, s.to-s.from)
	ys := s.y[s.from:s.to]
	for _, t := range s.x[s.from:s.to] {
		xs = append(xs, float64(t.Unix())/86400)
	}
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return
	}
	slope := sxy / sxx
	icept := my - slope*mx
	s.r2 = sxy * sxy / (sxx * syy)
	s.fitFrom = icept + slope*xs[0]
	s.fitTo = icept + slope*xs[len(xs)-1]
	if s.fitFrom != 0 {
		s.change = (s.fitTo - s.fitFrom) / math.Abs(s.fitFrom)
	}
	s.trending = s.r2 >= minTrendR2 && math.Abs(s.change) >= minTrendChange
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// trendSQL counts rows per period of d (when counts is set) and, for each
// of ms, its mean per period. A column with few distinct values (dates) is grouped by value
// first, so date_trunc runs once per value rather than once per row.
func (t *table) trendSQL(d *column, unit string, counts bool, ms []*column) string {
	dq, tq := quoteIdent(d.name), quoteIdent(t.name)
	period := func(x string) string { return fmt.Sprintf("date_trunc('%s', %s)::TIMESTAMP", unit, x) }
	if d.sampleDistinct > d.sampleNonNull/5 {
		exprs := []string{period(dq) + " AS " + quoteIdent(unit)}
		if counts {
			exprs = append(exprs, "count(*) AS n")
		}
		for _, m := range ms {
			exprs = append(exprs, fmt.Sprintf("avg(%s::DOUBLE) AS %s", quoteIdent(m.name), quoteIdent("mean "+m.name)))
		}
		return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1", strings.Join(exprs, ", "), tq, dq)
	}
	inner := []string{dq + " AS d"}
	outer := []string{period("d") + " AS " + quoteIdent(unit)}
	if counts {
		inner = append(inner, "count(*) AS n")
		outer = append(outer, "sum(n)::BIGINT AS n")
	}
	for i, m := range ms {
		mq := quoteIdent(m.name)
		inner = append(inner, fmt.Sprintf("sum(%s::DOUBLE) AS s%d, count(%s) AS c%d", mq, i, mq, i))
		outer = append(outer, fmt.Sprintf("sum(s%d) / nullif(sum(c%d), 0) AS %s", i, i, quoteIdent("mean "+m.name)))
	}
	return fmt.Sprintf("SELECT %s FROM (SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY 1) GROUP BY 1 ORDER BY 1",
		strings.Join(outer, ", "), strings.Join(inner, ", "), tq, dq)
}

// trendChart queries the row count, or the mean of s's measure, per
// period of d.
func (t *table) trendChart(ctx context.Context, cat chat.Catalog, d *column, unit string, s *series) (*chat.Chart, error) {
	var ms []*column
	what, y := "Rows", "n"
	if s.name != "" {
		for _, c := range t.cols {
			if c.name == s.name {
				ms = append(ms, c)
			}
		}
		what, y = "Mean "+s.name, "mean "+s.name
	}
	sql := t.trendSQL(d, unit, s.name == "", ms)
	data, err := query(ctx, cat, sql, maxBuckets+1, false)
	if err != nil {
		return nil, err
	}
	per := fmt.Sprintf("%s per %s", what, unit)
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Line,
			Title:  fmt.Sprintf("%s of %s", per, d.name),
			X:      unit,
			Y:      y,
			XLabel: capitalize(unit),
			YLabel: what,
		},
		Data:    data,
		Finding: s.finding(per, unit),
		SQL:     sql,
	}, nil
}

// finding says which way a series went, or where it peaked.
func (s *series) finding(per, unit string) string {
	first, last := periodLabel(s.x[s.from], unit), periodLabel(s.x[s.to-1], unit)
	if s.trending {
		verb := "rose"
		if s.change < 0 {
			verb = "fell"
		}
		if s.change >= 1 {
			// "rose 2813%" reads worse than the two ends.
			return fmt.Sprintf("%s rose from about %s to %s between %s and %s.", per, sig(s.fitFrom), sig(s.fitTo), first, last)
		}
		return fmt.Sprintf("%s %s about %s from %s to %s (from about %s to %s).",
			per, verb, pct(math.Abs(s.change)), first, last, sig(s.fitFrom), sig(s.fitTo))
	}
	med := median(s.y)
	peak := 0
	for i, v := range s.y {
		if v > s.y[peak] {
			peak = i
		}
	}
	if med > 0 && s.y[peak] >= peakOverMedian*med {
		return fmt.Sprintf("%s stayed mostly around %s from %s to %s, peaking at %s in %s.",
			per, num(med), first, last, num(s.y[peak]), periodLabel(s.x[peak], unit))
	}
	return fmt.Sprintf("%s held steady around %s from %s to %s.", per, num(med), first, last)
}
