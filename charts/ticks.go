package charts

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"gonum.org/v1/plot"
)

// niceStep is the smallest 1, 2, 2.5 or 5 times a power of ten that is at
// least v.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= v*(1-1e-9) {
			return f * p
		}
	}
	return 10 * p
}

// numberTicks labels a numeric axis with about five round values, printed
// with thousands separators (none for years).
type numberTicks struct {
	integer bool // only whole-number ticks (counts)
	plain   bool // no thousands separators (years)
	// room is the axis length in label characters; when set, fewer ticks
	// are used until their labels fit side by side.
	room float64
}

var _ plot.Ticker = numberTicks{}

// Ticks implements plot.Ticker.
func (t numberTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: t.format(lo, tickDecimals([]float64{lo}))}}
	}
	var ticks []plot.Tick
	for div := 7.0; div >= 2; div-- {
		ticks = t.ticks(lo, hi, niceStep((hi-lo)/div))
		widest := 0
		for _, tk := range ticks {
			widest = max(widest, utf8.RuneCountInString(tk.Label))
		}
		if t.room == 0 || float64(len(ticks)*(widest+2)) <= t.room {
			break
		}
	}
	return ticks
}

func (t numberTicks) ticks(lo, hi, step float64) []plot.Tick {
	if t.integer && step < 1 {
		step = 1
	}
	var vals []float64
	for i := math.Ceil(lo/step - 1e-9); ; i++ {
		v := i * step
		if v > hi+step*1e-9 || len(vals) > 20 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0 // no "-0"
		}
		vals = append(vals, v)
	}
	dec := tickDecimals(vals)
	// From ten billion up, "20B" reads better than "20,000,000,000".
	compact := math.Max(math.Abs(lo), math.Abs(hi)) >= 1e10
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		label := t.format(v, dec)
		if compact {
			label = compactTick(v)
		}
		ticks[i] = plot.Tick{Value: v, Label: label}
	}
	return ticks
}

func (t numberTicks) format(v float64, dec int) string {
	if t.plain {
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	return formatFixed(v, dec)
}

// compactTick formats a large tick value with a suffix, exactly enough
// for round tick values: 2.5e12 -> "2.5T".
func compactTick(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		div float64
		sfx string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}} {
		if a >= u.div {
			return formatValue(v/u.div) + u.sfx
		}
	}
	return formatValue(v)
}

// timeTicks labels a time axis (values in Unix seconds, UTC) at round
// calendar times: years, months, days, hours, minutes or seconds.
type timeTicks struct {
	dateOnly bool // the data are dates, so no ticks inside a day
	// room is the axis length in label characters; when set, steps are
	// widened until the labels fit side by side.
	room float64
}

var _ plot.Ticker = timeTicks{}

type timeUnit int

const (
	unitSecond timeUnit = iota
	unitMinute
	unitHour
	unitDay
	unitMonth
	unitYear
)

type timeStep struct {
	unit timeUnit
	n    int
}

func (s timeStep) approx() float64 {
	switch s.unit {
	case unitSecond:
		return float64(s.n)
	case unitMinute:
		return float64(s.n) * 60
	case unitHour:
		return float64(s.n) * 3600
	case unitDay:
		return float64(s.n) * 86400
	case unitMonth:
		return float64(s.n) * 30.44 * 86400
	default:
		return float64(s.n) * 365.25 * 86400
	}
}

var timeSteps = []timeStep{
	{unitSecond, 1}, {unitSecond, 5}, {unitSecond, 15}, {unitSecond, 30},
	{unitMinute, 1}, {unitMinute, 5}, {unitMinute, 15}, {unitMinute, 30},
	{unitHour, 1}, {unitHour, 3}, {unitHour, 6}, {unitHour, 12},
	{unitDay, 1}, {unitDay, 2}, {unitDay, 7}, {unitDay, 14},
	{unitMonth, 1}, {unitMonth, 2}, {unitMonth, 3}, {unitMonth, 6},
	{unitYear, 1}, {unitYear, 2}, {unitYear, 5}, {unitYear, 10}, {unitYear, 20},
	{unitYear, 25}, {unitYear, 50}, {unitYear, 100}, {unitYear, 250}, {unitYear, 500}, {unitYear, 1000},
}

const maxTimeTicks = 7

// Ticks implements plot.Ticker.
func (t timeTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	most := float64(maxTimeTicks)
	if t.room > 0 {
		// Labels are up to about 12 characters ("Jan 2, 2006").
		most = min(most, max(2, math.Floor(t.room/14)))
	}
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if t.dateOnly && s.unit < unitDay {
			continue
		}
		if span/s.approx() <= most {
			step = s
			break
		}
	}
	start := time.Unix(int64(math.Floor(lo)), 0).UTC()
	var ticks []plot.Tick
	var prev time.Time
	for tm := alignTime(start, step); len(ticks) <= 2*maxTimeTicks; tm = addStep(tm, step) {
		v := float64(tm.Unix())
		if v > hi {
			break
		}
		if v >= lo {
			ticks = append(ticks, plot.Tick{Value: v, Label: timeLabel(tm, prev, step)})
			prev = tm
		}
	}
	return ticks
}

// alignTime is the first multiple of step at or after t.
func alignTime(t time.Time, s timeStep) time.Time {
	y, mo, d := t.Date()
	var a time.Time
	switch s.unit {
	case unitYear:
		yy := (y / s.n) * s.n
		a = time.Date(yy, 1, 1, 0, 0, 0, 0, time.UTC)
	case unitMonth:
		m0 := (int(mo) - 1) / s.n * s.n
		a = time.Date(y, time.Month(m0+1), 1, 0, 0, 0, 0, time.UTC)
	case unitDay:
		a = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		if s.n == 7 || s.n == 14 { // weeks start on Monday
			a = a.AddDate(0, 0, -((int(a.Weekday()) + 6) % 7))
		}
	default:
		sec := int64(s.approx())
		a = time.Unix(t.Unix()/sec*sec, 0).UTC()
	}
	for a.Before(t) {
		a = addStep(a, s)
	}
	return a
}

func addStep(t time.Time, s timeStep) time.Time {
	switch s.unit {
	case unitYear:
		return t.AddDate(s.n, 0, 0)
	case unitMonth:
		return t.AddDate(0, s.n, 0)
	case unitDay:
		return t.AddDate(0, 0, s.n)
	default:
		return t.Add(time.Duration(s.approx()) * time.Second)
	}
}

// timeLabel formats a tick, naming the year or day only where it changes.
func timeLabel(t, prev time.Time, s timeStep) string {
	newYear := prev.IsZero() || prev.Year() != t.Year()
	newDay := newYear || prev.YearDay() != t.YearDay()
	switch s.unit {
	case unitYear:
		return t.Format("2006")
	case unitMonth:
		if newYear {
			return t.Format("Jan 2006")
		}
		return t.Format("Jan")
	case unitDay:
		if newYear {
			return t.Format("Jan 2, 2006")
		}
		return t.Format("Jan 2")
	case unitSecond:
		if newDay {
			return t.Format("Jan 2 15:04:05")
		}
		return t.Format("15:04:05")
	default:
		if newDay {
			return t.Format("Jan 2 15:04")
		}
		return t.Format("15:04")
	}
}
