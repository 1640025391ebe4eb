package chat

import (
	"math"
	"time"
)

// monthFunc says how "by month" groups a date column: by year and month
// ("year-month") when the data spans several years, by the month of the
// year alone when the question says so ("month of the year", "calendar
// month") or the data covers one year. Other grouping words pass through.
func monthFunc(st *qstate, c *column, fn string) string {
	if fn != "month" {
		return fn
	}
	for _, p := range []string{"month of the year", "months of the year", "month of year", "months of year", "calendar month", "calendar months"} {
		if st.has(p) {
			st.useWords(p)
			return "month"
		}
	}
	if c.years > 1 {
		return "year-month"
	}
	return "month"
}

// monthBase tells how a whole-number column named for months counts them:
// 1 for 1-12 (twelve seen), 0 for 0-11 (zero seen). ok is false when the
// column is not such a column or the values fit both ways.
func monthBase(c *column) (base int, ok bool) {
	if c == nil || c.kind != kindNumber || c.binary || !c.hasRange {
		return 0, false
	}
	named := false
	ms := stem("month")
	for _, w := range c.words {
		if w == ms {
			named = true
		}
	}
	switch {
	case !named:
		return 0, false
	case c.min == 0 && c.max <= 11:
		return 0, true
	case c.min >= 1 && c.max == 12:
		return 1, true
	}
	return 0, false
}

// monthNamed replaces month numbers in an answer (one value or a list)
// with their English names, counting from base; ok is false if any value
// is not a month number.
func monthNamed(v any, base int) (any, bool) {
	if l, isList := v.([]any); isList {
		out := make([]any, len(l))
		for i, x := range l {
			n, ok := monthNamed(x, base)
			if !ok {
				return nil, false
			}
			out[i] = n
		}
		return out, true
	}
	if _, isBool := v.(bool); isBool {
		return nil, false
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) {
		return nil, false
	}
	m := int(f) - base + 1
	if m < 1 || m > 12 {
		return nil, false
	}
	return time.Month(m).String(), true
}
