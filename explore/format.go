package explore

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"datachat/datasets"
)

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString quotes an SQL string literal.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// alias returns base, or base with underscores added, so that it differs
// (ignoring case, as SQL does) from every name in taken.
func alias(base string, taken ...string) string {
	for {
		clash := false
		for _, t := range taken {
			clash = clash || strings.EqualFold(t, base)
		}
		if !clash {
			return base
		}
		base += "_"
	}
}

// literal renders a value read from DuckDB as an SQL literal, or "" when it
// has no plain literal form.
func literal(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return quoteString(x)
	}
	return ""
}

// num renders a number for a finding: whole thousands with separators,
// two decimals from 1 up, two significant digits below 1.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return datasets.FormatFloat(v)
	case a >= 1000:
		return thousands(math.Round(v))
	case a >= 1:
		return datasets.FormatFloat(math.Round(v*100) / 100)
	case a == 0:
		return "0"
	}
	p := math.Pow(10, 1-math.Floor(math.Log10(a)))
	return datasets.FormatFloat(math.Round(v*p) / p)
}

// sig renders an estimate to three significant digits.
func sig(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return num(v)
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	r := math.Round(v*p) / p
	if math.Abs(r) >= 1000 {
		return thousands(r)
	}
	return datasets.FormatFloat(r)
}

// thousands renders a whole number with comma separators.
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pct renders a share in [0, 1] as a whole percentage ("74%"), with one
// decimal below 1% so a small share does not read as zero.
func pct(p float64) string {
	v := 100 * p
	if v > 0 && v < 1 {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
}

// splitWords splits a column name into lower-case words at underscores,
// dashes, dots, spaces and camelCase: "PassengerId" gives passenger, id.
func splitWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// label renders a category value for a title or finding.
func label(v any) string {
	if v == nil {
		return "(missing)"
	}
	if s := datasets.FormatValue(v); s != "" {
		return s
	}
	return `""`
}

// periodLabel renders the start of a trend bucket.
func periodLabel(t time.Time, unit string) string {
	switch unit {
	case "year":
		return t.Format("2006")
	case "month":
		return t.Format("Jan 2006")
	case "hour":
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// toFloat reads a numeric value from a query result; NaN and infinities
// (which arrive as strings) do not count.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%s %s", thousands(float64(n)), one)
	}
	return fmt.Sprintf("%s %s", thousands(float64(n)), many)
}
