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
		span := d.span()
		unit := unitFor(span.to.Sub(span.from))
		if unit == "" {
			continue
		}
		sql := t.trendSQL(d, unit, span, true, ms)
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
			build: func(ctx context.Context) (*chat.Chart, error) { return t.trendChart(ctx, cat, d, unit, span, best) },
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

// timeSpan is the range of dates a trend shows; cut says it leaves out
// outlying dates.
type timeSpan struct {
	from, to time.Time
	cut      bool
}

// span is the range of d's values, or its 1st to 99th percentile when
// outliers (placeholders like 1900-01-01 or 9999-12-31) would stretch the
// axis more than farTail times.
func (d *column) span() timeSpan {
	full := timeSpan{from: d.tmin, to: d.tmax}
	if d.t01.IsZero() || d.t99.IsZero() || !d.t99.After(d.t01) {
		return full
	}
	body := d.t99.Sub(d.t01)
	if d.t01.Sub(d.tmin) <= farTail*body && d.tmax.Sub(d.t99) <= farTail*body {
		return full
	}
	return timeSpan{from: d.t01, to: d.t99, cut: true}
}

// trendSQL counts rows per period of d (when counts is set) and, for each
// of ms, its mean per period. A column with few distinct values (dates) is grouped by value
// first, so date_trunc runs once per value rather than once per row.
func (t *table) trendSQL(d *column, unit string, span timeSpan, counts bool, ms []*column) string {
	dq, tq := quoteIdent(d.name), quoteIdent(t.name)
	where := dq + " IS NOT NULL"
	if span.cut {
		where = fmt.Sprintf("%s BETWEEN TIMESTAMP '%s' AND TIMESTAMP '%s'", dq,
			span.from.Format("2006-01-02 15:04:05.999999"), span.to.Format("2006-01-02 15:04:05.999999"))
	}
	period := func(x string) string { return fmt.Sprintf("date_trunc('%s', %s)::TIMESTAMP", unit, x) }
	if d.sampleDistinct > d.sampleNonNull/5 {
		exprs := []string{period(dq) + " AS " + quoteIdent(unit)}
		if counts {
			exprs = append(exprs, "count(*) AS n")
		}
		for _, m := range ms {
			exprs = append(exprs, fmt.Sprintf("avg(%s::DOUBLE) AS %s", quoteIdent(m.name), quoteIdent("mean "+m.name)))
		}
		return fmt.Sprintf("SELECT %s FROM %s WHERE %s GROUP BY 1 ORDER BY 1", strings.Join(exprs, ", "), tq, where)
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
	return fmt.Sprintf("SELECT %s FROM (SELECT %s FROM %s WHERE %s GROUP BY 1) GROUP BY 1 ORDER BY 1",
		strings.Join(outer, ", "), strings.Join(inner, ", "), tq, where)
}

// trendChart queries the row count, or the mean of s's measure, per
// period of d.
func (t *table) trendChart(ctx context.Context, cat chat.Catalog, d *column, unit string, span timeSpan, s *series) (*chat.Chart, error) {
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
	sql := t.trendSQL(d, unit, span, s.name == "", ms)
	data, err := query(ctx, cat, sql, maxBuckets+1, false)
	if err != nil {
		return nil, err
	}
	per := fmt.Sprintf("%s per %s", what, unit)
	title := fmt.Sprintf("%s of %s", per, d.name)
	if span.cut {
		title += " (1st to 99th percentile of dates)"
	}
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Line,
			Title:  title,
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
			per, s.value(med), first, last, s.value(s.y[peak]), periodLabel(s.x[peak], unit))
	}
	return fmt.Sprintf("%s held steady around %s from %s to %s.", per, s.value(med), first, last)
}

// value renders a level of the series: counts in whole rows.
func (s *series) value(v float64) string {
	if s.name == "" {
		return thousands(math.Round(v))
	}
	return num(v)
}
