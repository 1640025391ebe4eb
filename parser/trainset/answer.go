package trainset

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"datachat/datasets"
)

// Answer types, as the scorer knows them.
const (
	TypeBoolean      = "boolean"
	TypeNumber       = "number"
	TypeCategory     = "category"
	TypeListNumber   = "list[number]"
	TypeListCategory = "list[category]"
)

// Types lists the valid answer types.
var Types = []string{TypeBoolean, TypeNumber, TypeCategory, TypeListNumber, TypeListCategory}

// Kinds lists what a question asks for, one word each, so that the mix of a
// set can be counted.
var Kinds = []string{
	"count",            // rows, overall
	"count_filter",     // rows under a filter
	"count_distinct",   // distinct values
	"aggregate",        // sum, mean, median, min, max, spread of a column
	"aggregate_filter", // the same under a filter
	"argmax",           // the row with the highest or lowest value
	"group_argmax",     // the group with the highest or lowest aggregate
	"most_common",      // the most or least frequent value
	"top_n",            // the N highest or lowest
	"filter_values",    // a column's values on the rows that match
	"lookup",           // one cell of a named row
	"exists",           // is there any row such that
	"all",              // do all rows satisfy
	"compare",          // two groups or two values compared
	"difference",       // between two values or groups
	"percentage",       // a share or percentage
	"first_last",       // earliest or latest by date
	"list_cell",        // cells holding lists
	"time_group",       // grouping by year, month or weekday
	"threshold",        // an aggregate against a number
	"group_values",     // one aggregate per group
	"label",            // a labelled column of a Stata or SPSS file
}

// Question is one line of questions.jsonl (questions.src.jsonl has no
// answer and no split).
type Question struct {
	ID       string `json:"id"`
	File     string `json:"file"`
	Question string `json:"question"`
	SQL      string `json:"sql"`
	Answer   any    `json:"answer,omitempty"`
	Type     string `json:"type"`
	Kind     string `json:"kind"`
	Split    string `json:"split,omitempty"`
}

// banned are SQL functions that pick one row or value among ties without
// saying so: a gold query must make any tie visible instead.
var banned = regexp.MustCompile(`(?i)\b(arg_?max|arg_?min|max_by|min_by|mode|any_value|arbitrary|first|last)\s*\(`)

// Compute runs q's SQL on cat (table t) and returns the answer in the shape
// q's type asks for. It fails on a query that could answer ambiguously: a
// cut (ORDER BY ... LIMIT n) between rows whose order keys tie, a banned
// function, or a result of the wrong shape.
func Compute(ctx context.Context, cat *datasets.Catalog, q Question) (any, error) {
	if m := banned.FindString(q.SQL); m != "" {
		return nil, fmt.Errorf("%s: %s hides ties; use ORDER BY ... LIMIT", q.ID, m)
	}
	if err := checkTies(ctx, cat, q.SQL); err != nil {
		return nil, fmt.Errorf("%s: %w", q.ID, err)
	}
	res, err := cat.Query(ctx, q.SQL, datasets.MaxDataRows)
	if err != nil {
		return nil, fmt.Errorf("%s: run sql: %w", q.ID, err)
	}
	if res.Truncated {
		return nil, fmt.Errorf("%s: result truncated", q.ID)
	}
	if len(res.Columns) != 1 {
		return nil, fmt.Errorf("%s: %d result columns, want 1", q.ID, len(res.Columns))
	}
	var vals []any
	for _, row := range res.Rows {
		v, err := value(row[0], q.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.ID, err)
		}
		vals = append(vals, v)
	}
	switch q.Type {
	case TypeBoolean, TypeNumber, TypeCategory:
		if len(vals) != 1 {
			return nil, fmt.Errorf("%s: %d rows for a %s answer, want 1", q.ID, len(vals), q.Type)
		}
		return vals[0], nil
	case TypeListNumber, TypeListCategory:
		if len(vals) < 2 {
			return nil, fmt.Errorf("%s: %d rows for a list answer, want at least 2", q.ID, len(vals))
		}
		// The scorer ignores order; sorting keeps the file the same from
		// run to run.
		slices.SortFunc(vals, func(a, b any) int {
			if x, ok := a.(float64); ok {
				return cmp.Compare(x, b.(float64))
			}
			return strings.Compare(a.(string), b.(string))
		})
		return vals, nil
	}
	return nil, fmt.Errorf("%s: unknown type %q", q.ID, q.Type)
}

// value checks one cell against the answer type and returns it as JSON
// would decode it (numbers as float64).
func value(v any, typ string) (any, error) {
	switch typ {
	case TypeBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case TypeNumber, TypeListNumber:
		switch x := v.(type) {
		case int64:
			return float64(x), nil
		case float64:
			// DuckDB may add floating-point numbers in a different order
			// from run to run; 12 significant digits keep the file stable
			// and are far finer than the scorer's comparison.
			r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
			return r, nil
		}
	case TypeCategory, TypeListCategory:
		switch x := v.(type) {
		case string:
			return x, nil
		case time.Time:
			if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
				return x.Format("2006-01-02"), nil
			}
			return x.Format("2006-01-02 15:04:05"), nil
		}
	}
	return nil, fmt.Errorf("value %v (%T) does not fit type %s", v, v, typ)
}

// Same reports whether two answers agree as the scorer compares them:
// numbers to 1e-9 relative, lists as multisets.
func Same(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return false
		}
		d := x - y
		if d < 0 {
			d = -d
		}
		return d <= 1e-9*max(1, abs(x), abs(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		used := make([]bool, len(y))
	next:
		for _, e := range x {
			for j, g := range y {
				if !used[j] && Same(e, g) {
					used[j] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

var (
	reOrderBy = regexp.MustCompile(`(?i)\border\s+by\b`)
	reLimit   = regexp.MustCompile(`(?i)\blimit\b`)
	reSelect  = regexp.MustCompile(`(?i)\bselect\b`)
	reFrom    = regexp.MustCompile(`(?i)\bfrom\b`)
	reSetOp   = regexp.MustCompile(`(?i)\b(union|intersect|except)\b`)
	reOffset  = regexp.MustCompile(`(?i)\boffset\b`)
	reLimitN  = regexp.MustCompile(`(?i)^limit\s+(\d+)\s*;?\s*$`)
	reDir     = regexp.MustCompile(`(?i)\s+(asc|desc)?(\s+nulls\s+(first|last))?\s*$`)
	reSubq    = regexp.MustCompile(`(?i)^\s*(select|with)\b`)
)

// checkTies runs, for the statement and each sub-query of it that ends in
// ORDER BY ... LIMIT n, the same query without the limit and with its order
// keys, and fails when the rows whose keys tie with row n reach past the
// cut and do not all give the same result: the cut would then pick among
// tied rows.
func checkTies(ctx context.Context, cat *datasets.Catalog, sql string) error {
	for _, seg := range segments(sql) {
		probe, n, err := tieProbe(seg)
		if err != nil {
			return err
		}
		if probe == "" {
			continue
		}
		res, err := cat.Query(ctx, probe, datasets.MaxDataRows)
		if err != nil {
			return fmt.Errorf("tie check %q: %w", probe, err)
		}
		if len(res.Rows) <= n {
			continue
		}
		k := len(res.Columns) - countTieKeys(res.Columns)
		key := res.Rows[n-1][k:]
		var group [][]any
		past := false
		for i, row := range res.Rows {
			if reflect.DeepEqual(row[k:], key) {
				group = append(group, row[:k])
				past = past || i >= n
			}
		}
		if !past {
			continue
		}
		for _, g := range group[1:] {
			if !reflect.DeepEqual(g, group[0]) {
				return fmt.Errorf("ambiguous: rows tied on the order keys %v reach past row %d and differ (%v, %v) in %q", key, n, group[0], g, seg)
			}
		}
	}
	return nil
}

func countTieKeys(cols []string) int {
	n := 0
	for _, c := range cols {
		if strings.HasPrefix(c, "__tie") {
			n++
		}
	}
	return n
}

// tieProbe rewrites one SELECT that ends in ORDER BY keys LIMIT n into one
// that also returns the keys, without the limit. It returns "" for a SELECT
// without a LIMIT.
func tieProbe(s string) (string, int, error) {
	mask := topLevel(s)
	limit := lastAt(reLimit, s, mask)
	if limit < 0 {
		return "", 0, nil
	}
	m := reLimitN.FindStringSubmatch(s[limit:])
	if m == nil {
		return "", 0, fmt.Errorf("LIMIT must be last and a plain number in %q", s)
	}
	if firstAt(reOffset, s, mask, 0) >= 0 {
		return "", 0, errors.New("OFFSET is not allowed: ask for the row by its rank instead")
	}
	n, _ := strconv.Atoi(m[1])
	order := lastAt(reOrderBy, s, mask)
	if order < 0 || order > limit {
		return "", 0, fmt.Errorf("LIMIT without ORDER BY in %q", s)
	}
	if firstAt(reSetOp, s, mask, 0) >= 0 {
		return "", 0, fmt.Errorf("set operation before LIMIT in %q", s)
	}
	keysText := s[order+len(reOrderBy.FindString(s[order:])) : limit]
	var keys []string
	for _, k := range splitTop(keysText) {
		k = reDir.ReplaceAllString(strings.TrimSpace(k), "")
		if _, err := strconv.Atoi(k); err == nil {
			return "", 0, fmt.Errorf("ORDER BY a column number (%s) in %q: name the expression", k, s)
		}
		keys = append(keys, k)
	}
	sel := firstAt(reSelect, s, mask, 0)
	if sel < 0 {
		return "", 0, fmt.Errorf("no SELECT in %q", s)
	}
	from := firstAt(reFrom, s, mask, sel)
	if from < 0 || from > order {
		return "", 0, fmt.Errorf("no FROM in %q", s)
	}
	var b strings.Builder
	b.WriteString(s[:from])
	for i, k := range keys {
		fmt.Fprintf(&b, ", (%s) AS __tie%d", k, i)
	}
	b.WriteString(" ")
	b.WriteString(s[from:limit])
	return b.String(), n, nil
}

// scan calls visit with each byte of s that is outside quotes and
// double-quoted names, and the parenthesis depth there (a parenthesis
// counts at the depth outside it).
func scan(s string, visit func(i, depth int)) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		case c == ')':
			depth--
		}
		visit(i, depth)
		if c == '(' {
			depth++
		}
	}
}

// topLevel marks the bytes of s outside parentheses, quotes and
// double-quoted names.
func topLevel(s string) []bool {
	mask := make([]bool, len(s))
	scan(s, func(i, depth int) {
		mask[i] = depth == 0 && s[i] != '(' && s[i] != ')'
	})
	return mask
}

func firstAt(re *regexp.Regexp, s string, mask []bool, from int) int {
	for _, loc := range re.FindAllStringIndex(s, -1) {
		if loc[0] >= from && mask[loc[0]] {
			return loc[0]
		}
	}
	return -1
}

func lastAt(re *regexp.Regexp, s string, mask []bool) int {
	at := -1
	for _, loc := range re.FindAllStringIndex(s, -1) {
		if mask[loc[0]] {
			at = loc[0]
		}
	}
	return at
}

// splitTop splits s at commas outside parentheses and quotes.
func splitTop(s string) []string {
	mask := topLevel(s)
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == ',' && mask[i] {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// segments returns s and every parenthesised sub-query in it.
func segments(s string) []string {
	out := []string{s}
	var stack []int
	scan(s, func(i, _ int) {
		switch {
		case s[i] == '(':
			stack = append(stack, i)
		case s[i] == ')' && len(stack) > 0:
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if inner := s[open+1 : i]; reSubq.MatchString(inner) {
				out = append(out, inner)
			}
		}
	})
	return out
}
