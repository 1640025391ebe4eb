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
	name           string // "" for the row count, else the measure
	x              []time.Time
	y              []float64
	from, to       int // the periods fitted (partial edge periods left out)
	slope, icept   float64
	r2             float64
	change         float64 // fitted relative change from the first to the last period fitted
	trending       bool
	startFit, endF float64
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
		dq := quoteIdent(d.name)
		exprs := []string{fmt.Sprintf("date_trunc('%s', %s)::TIMESTAMP AS p", unit, dq), "count(*) AS n"}
		for _, m := range ms {
			exprs = append(exprs, fmt.Sprintf("avg(%s::DOUBLE)", quoteIdent(m.name)))
		}
		sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1", strings.Join(exprs, ", "), quoteIdent(t.name), dq)
		res, err := cat.Query(ctx, sql, maxBuckets+1)
		if err != nil {
			return nil, fmt.Errorf("trend of %s: %w", d.name, err)
		}
		if len(res.Rows) < minBuckets || res.Truncated {
			continue
		}
		counts := newSeries("", res.Rows, 1, true)
		best := counts
		for i, m := range ms {
			s := newSeries(m.name, res.Rows, 2+i, false)
			if s != nil && s.trending && (best == nil || s.r2 > best.r2+betterMeanR2) {
				best = s
			}
		}
		if best == nil {
			continue
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
	s.slope = sxy / sxx
	s.icept = my - s.slope*mx
	s.r2 = sxy * sxy / (sxx * syy)
	s.startFit = s.icept + s.slope*xs[0]
	s.endF = s.icept + s.slope*xs[len(xs)-1]
	if s.startFit != 0 {
		s.change = (s.endF - s.startFit) / math.Abs(s.startFit)
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

func (t *table) trendChart(ctx context.Context, cat chat.Catalog, d *column, unit string, s *series) (*chat.Chart, error) {
	dq := quoteIdent(d.name)
	value, what := "count(*) AS n", "Rows"
	y := "n"
	if s.name != "" {
		value, what, y = fmt.Sprintf("avg(%s) AS mean", quoteIdent(s.name)), "Mean "+s.name, "mean"
	}
	sql := fmt.Sprintf("SELECT date_trunc('%s', %s) AS %s, %s FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1",
		unit, dq, quoteIdent(unit), value, quoteIdent(t.name), dq)
	data, err := query(ctx, cat, sql, maxBuckets+1)
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
		return fmt.Sprintf("%s %s about %s from %s to %s (from about %s to %s).",
			per, verb, pct(math.Abs(s.change)), first, last, num(s.startFit), num(s.endF))
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
