package datasets

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatValue renders one value for people: dates without a midnight time,
// numbers without float noise, nested values as JSON, NULL as "".
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatFloat(x)
	case time.Time:
		switch {
		case x.Year() == 1 && x.YearDay() == 1:
			// DuckDB's TIME values arrive on 0001-01-01.
			return x.Format("15:04:05")
		case x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0:
			return x.Format("2006-01-02")
		case x.Nanosecond() == 0:
			return x.Format("2006-01-02 15:04:05")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []any, map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}

// FormatFloat renders a float with at most 4 decimals (more for tiny values),
// trimming trailing zeros.
func FormatFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	a := math.Abs(f)
	if a >= 1e15 {
		// 1e300 as 1e+300, not a 301-digit number.
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	prec := 4
	if a < 0.01 {
		prec = 6
	}
	if a < 1e-6 {
		return strconv.FormatFloat(f, 'g', 4, 64)
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// Markdown renders a result as a GitHub-flavoured markdown table of at most
// maxRows rows (0 = all), with a note when rows were left out.
func (r *Result) Markdown(maxRows int) string {
	if len(r.Columns) == 0 {
		return "(no columns)\n"
	}
	var b strings.Builder
	cell := func(s string) string {
		s = strings.ReplaceAll(s, "|", `\|`)
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", " "), "\n", " ")
		if len([]rune(s)) > 200 {
			s = string([]rune(s)[:199]) + "…"
		}
		return s
	}
	b.WriteString("|")
	for _, c := range r.Columns {
		b.WriteString(" " + cell(c) + " |")
	}
	b.WriteString("\n|")
	for i := range r.Columns {
		if i < len(r.Types) && IsNumeric(r.Types[i]) {
			b.WriteString(" ---: |")
			continue
		}
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	n := len(r.Rows)
	if maxRows > 0 && n > maxRows {
		n = maxRows
	}
	for _, row := range r.Rows[:n] {
		b.WriteString("|")
		for _, v := range row {
			b.WriteString(" " + cell(FormatValue(v)) + " |")
		}
		b.WriteString("\n")
	}
	if n == 0 {
		b.WriteString("\n(no rows)\n")
	}
	if r.CutCells > 0 {
		fmt.Fprintf(&b, "\n(%d long value(s) cut short to fit the character limit, --max-chars; select fewer or shorter columns, e.g. left(col, 100))\n", r.CutCells)
	}
	switch {
	case n < len(r.Rows):
		fmt.Fprintf(&b, "\n(showing %d of %d rows)\n", n, len(r.Rows))
	case r.Truncated:
		fmt.Fprintf(&b, "\n(result truncated at %d rows; add LIMIT or aggregate to see less)\n", len(r.Rows))
	}
	return b.String()
}
