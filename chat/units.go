package chat

import (
	"fmt"
	"regexp"
	"strings"
)

// unit is a unit of measure: its dimension and its size in the
// dimension's base unit (grams, metres, seconds, ones).
type unit struct {
	name   string
	dim    string
	factor float64
}

// units maps the words for a unit, full and abbreviated, to the unit.
var units = func() map[string]unit {
	m := map[string]unit{}
	add := func(dim string, factor float64, name string, words ...string) {
		for _, w := range append(words, name) {
			m[w] = unit{name: name, dim: dim, factor: factor}
		}
	}
	add("mass", 1, "grams", "g", "gram", "gr")
	add("mass", 1000, "kilograms", "kg", "kgs", "kilogram", "kilo", "kilos")
	add("mass", 0.001, "milligrams", "mg", "milligram")
	add("mass", 1e6, "tonnes", "tonne", "t")
	add("mass", 453.59237, "pounds", "lb", "lbs", "pound")
	add("length", 1, "metres", "m", "metre", "meter", "meters")
	add("length", 1000, "kilometres", "km", "kms", "kilometre", "kilometer", "kilometers")
	add("length", 0.01, "centimetres", "cm", "centimetre", "centimeter", "centimeters")
	add("length", 0.001, "millimetres", "mm", "millimetre", "millimeter", "millimeters")
	add("length", 1609.344, "miles", "mi", "mile")
	add("time", 1, "seconds", "s", "sec", "secs", "second")
	add("time", 60, "minutes", "min", "mins", "minute")
	add("time", 3600, "hours", "h", "hr", "hrs", "hour")
	add("time", 86400, "days", "day")
	add("scale", 1e3, "thousands", "thousand", "k")
	add("scale", 1e6, "millions", "million", "mn", "mln")
	add("scale", 1e9, "billions", "billion", "bn")
	return m
}()

// unitAsked finds "in grams", "expressed in hours" and the like; short
// abbreviations that read as words ("in m", "in s") are not taken.
var unitAsked = regexp.MustCompile(`(?i)[,(]?\s*\b(?:expressed in|measured in|converted to|in)\s+(?:the\s+)?(grams?|gr|kilograms?|kgs?|kilos?|milligrams?|mg|tonnes?|pounds?|lbs?|metres?|meters?|kilometres?|kilometers?|kms?|centimetres?|centimeters?|cm|millimetres?|millimeters?|mm|miles?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days|thousands?|millions?|billions?)\b\s*\)?`)

// unitRequest removes "in grams" from a question and returns the unit
// asked for, or "".
func unitRequest(q string) (string, string) {
	m := unitAsked.FindStringSubmatchIndex(q)
	if m == nil {
		return q, ""
	}
	return strings.TrimSpace(q[:m[0]] + " " + q[m[1]:]), strings.ToLower(q[m[2]:m[3]])
}

// columnUnit reads the unit a column is in from the last word of its name
// ("weight_kg", "duration_minutes") or a unit word in its label ("Weight
// (kg)").
func columnUnit(c *column) (unit, bool) {
	ws := splitName(c.Name)
	if len(ws) > 1 {
		if u, ok := units[ws[len(ws)-1]]; ok {
			return u, true
		}
	}
	lw := splitName(c.Label)
	for i := len(lw) - 1; i >= 0; i-- {
		if u, ok := units[lw[i]]; ok && (len(lw[i]) > 1 || i == len(lw)-1 && len(lw) > 1) {
			return u, true
		}
	}
	return unit{}, false
}

// withUnit converts a plan's aggregate into the unit asked for, or
// abstains when the column's unit is unknown or of another kind.
func withUnit(p *plan, asked string) *plan {
	want, ok := units[asked]
	if !ok {
		return abstain("I do not know the unit %q", asked)
	}
	if (p.Intent != intentAggregate && p.Intent != intentGroup) || p.Target == "" {
		return abstain("I can only convert averages, totals and the like into %s", want.name)
	}
	c := p.col(p.Target)
	if c == nil {
		return abstain("I could not tell which column to convert into %s", want.name)
	}
	have, ok := columnUnit(c)
	if !ok {
		return abstain("the data does not say which unit %s is in, so I cannot give it in %s", quoteIdent(c.Name), want.name)
	}
	if have.dim != want.dim {
		return abstain("%s is in %s, which do not convert into %s", quoteIdent(c.Name), have.name, want.name)
	}
	f := have.factor / want.factor
	switch {
	case p.Agg == aggVar:
		f *= f
	case p.Agg == aggAvg || p.Agg == aggMedian || p.Agg == aggSum || p.Agg == aggMin || p.Agg == aggMax ||
		p.Agg == aggRange || p.Agg == aggStd || p.Agg == "iqr" || strings.HasPrefix(p.Agg, "quantile:"):
	default:
		return abstain("a %s has no unit to convert into %s", aggName(p.Agg), want.name)
	}
	q := *p
	q.Unit = want.name
	if have.factor != want.factor {
		q.Scale = f
	}
	return &q
}

// scaled multiplies an aggregate expression for a unit conversion.
func (p *plan) scaled(e string) string {
	if p.Scale == 0 || p.Scale == 1 {
		return e
	}
	return fmt.Sprintf("(%s) * %s", e, literal(p.Scale))
}
