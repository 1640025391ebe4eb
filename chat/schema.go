package chat

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"datachat/datasets"
)

// colKind is the planner's view of a column type.
type colKind int

const (
	kindText colKind = iota
	kindNumber
	kindDate
	kindBool
	kindOther
)

// column is a profiled column of a table.
type column struct {
	Name  string
	Type  string
	Label string
	kind  colKind
	isInt bool
	// words are the stems of the name's words (and of the label's when the
	// name is a code); labelWords are the label's stems.
	words      []string
	labelWords []string
	distinct   int64
	nulls      int64
	// min and max of a numeric column, when hasRange.
	min, max float64
	hasRange bool
	// years is how many calendar years a date column spans (0 unknown).
	years int
	// values are the distinct values of a text column with few of them,
	// most frequent first; valueStems holds their stemmed words.
	values     []string
	valueStems [][]string
	// many says the column has many distinct values (names, titles): its
	// values only match capitalised or quoted words.
	many bool
	// partial says values holds only some of the column's values.
	partial bool
	// numText marks a text column whose values are all numbers or missing
	// markers ("NULL", "NA"); it is used as a number through TRY_CAST.
	numText bool
	// binary columns have exactly two values that read as yes and no.
	binary        bool
	truthy, falsy any
}

// schema is a profiled table.
type schema struct {
	info  datasets.TableInfo
	cols  []*column
	words map[string]bool // stems of the table name and label
	// numericNames says some column name holds a number ("Type 1"), so
	// question spans with numbers may name columns.
	numericNames bool
}

func kindOf(typ string) (colKind, bool) {
	t := strings.ToUpper(typ)
	switch {
	case strings.HasPrefix(t, "DECIMAL"), strings.HasPrefix(t, "NUMERIC"):
		return kindNumber, false
	case t == "DOUBLE" || t == "FLOAT" || t == "REAL":
		return kindNumber, false
	case strings.HasSuffix(t, "INT") || strings.HasSuffix(t, "INTEGER") || t == "HUGEINT" || t == "UHUGEINT" || t == "BIGINT":
		return kindNumber, true
	case t == "BOOLEAN":
		return kindBool, false
	case strings.HasPrefix(t, "DATE"), strings.HasPrefix(t, "TIMESTAMP"):
		return kindDate, false
	case t == "VARCHAR" || strings.HasPrefix(t, "VARCHAR") || t == "TEXT" || t == "STRING":
		return kindText, false
	}
	return kindOther, false
}

// profile reads what the planner needs about a table: column kinds,
// distinct and null counts, and the values of low-cardinality text columns.
func profile(ctx context.Context, cat Catalog, t datasets.TableInfo, maxValues int) (*schema, error) {
	s := &schema{info: t, words: map[string]bool{}}
	for _, w := range splitName(t.Name) {
		s.words[stem(w)] = true
	}
	for _, w := range splitName(t.Label) {
		s.words[stem(w)] = true
	}
	var exprs []string
	for _, ci := range t.Columns {
		c := &column{Name: ci.Name, Type: ci.Type, Label: ci.Label}
		c.kind, c.isInt = kindOf(ci.Type)
		for _, w := range splitName(ci.Name) {
			c.words = append(c.words, stem(w))
			if w[0] >= '0' && w[0] <= '9' {
				s.numericNames = true
			}
		}
		for _, w := range splitName(ci.Label) {
			if !stopwords[w] {
				c.labelWords = append(c.labelWords, stem(w))
			}
		}
		s.cols = append(s.cols, c)
		q := quoteIdent(ci.Name)
		switch c.kind {
		case kindOther:
			exprs = append(exprs, "0", fmt.Sprintf("count(*) - count(%s)", q), "NULL", "NULL", "NULL")
		case kindNumber:
			exprs = append(exprs, fmt.Sprintf("count(DISTINCT %s)", q), fmt.Sprintf("count(*) - count(%s)", q),
				fmt.Sprintf("CAST(min(%s) AS DOUBLE)", q), fmt.Sprintf("CAST(max(%s) AS DOUBLE)", q), "NULL")
		case kindText:
			// Missing markers ("NULL", "NA") count as missing.
			marker := fmt.Sprintf("lower(trim(%s)) IN (%s)", q, nullTokens)
			exprs = append(exprs, fmt.Sprintf("count(DISTINCT %s)", q), fmt.Sprintf("count(*) FILTER (WHERE %s IS NULL OR %s)", q, marker),
				"NULL", "NULL", "NULL")
		case kindDate:
			exprs = append(exprs, fmt.Sprintf("count(DISTINCT %s)", q), fmt.Sprintf("count(*) - count(%s)", q),
				fmt.Sprintf("CAST(year(min(%s)) AS DOUBLE)", q), fmt.Sprintf("CAST(year(max(%s)) AS DOUBLE)", q), "NULL")
		default:
			exprs = append(exprs, fmt.Sprintf("count(DISTINCT %s)", q), fmt.Sprintf("count(*) - count(%s)", q), "NULL", "NULL", "NULL")
		}
	}
	if len(s.cols) == 0 {
		return s, nil
	}
	res, err := cat.Query(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(exprs, ", "), quoteIdent(t.Name)), 1)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", t.Name, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 5*len(s.cols) {
		return nil, fmt.Errorf("profile %s: unexpected result shape", t.Name)
	}
	for i, c := range s.cols {
		row := res.Rows[0][5*i:]
		c.distinct, _ = toInt(row[0])
		c.nulls, _ = toInt(row[1])
		if c.kind == kindDate {
			lo, ok1 := toFloat(row[2])
			hi, ok2 := toFloat(row[3])
			if ok1 && ok2 {
				c.years = int(hi-lo) + 1
			}
			continue
		}
		c.min, c.hasRange = toFloat(row[2])
		c.max, _ = toFloat(row[3])
	}
	for _, c := range s.cols {
		switch {
		case c.kind == kindBool:
			c.binary, c.truthy, c.falsy = true, true, false
		case c.kind == kindText && c.distinct > 0 && c.distinct <= int64(maxValues):
			c.many = c.distinct > manyValues
			q := fmt.Sprintf("SELECT %s, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT %d",
				quoteIdent(c.Name), quoteIdent(t.Name), quoteIdent(c.Name), maxValues)
			r, err := cat.Query(ctx, q, maxValues)
			if err != nil {
				return nil, fmt.Errorf("profile %s.%s: %w", t.Name, c.Name, err)
			}
			// The catalog may cut long results; then the list is partial.
			c.partial = r.Truncated || int64(len(r.Rows)) < c.distinct
			for _, row := range r.Rows {
				if v, ok := row[0].(string); ok {
					c.values = append(c.values, v)
					var st []string
					for _, w := range splitName(v) {
						st = append(st, stem(w))
					}
					c.valueStems = append(c.valueStems, st)
				}
			}
			if len(c.values) == 2 && !c.partial {
				a, b := yesNo(c.values[0]), yesNo(c.values[1])
				if a != 0 && b != 0 && a != b {
					c.binary = true
					if a > 0 {
						c.truthy, c.falsy = c.values[0], c.values[1]
					} else {
						c.truthy, c.falsy = c.values[1], c.values[0]
					}
				}
			}
		case c.kind == kindNumber && c.isInt && c.distinct == 2:
			r, err := cat.Query(ctx, fmt.Sprintf("SELECT min(%s), max(%s) FROM %s", quoteIdent(c.Name), quoteIdent(c.Name), quoteIdent(t.Name)), 1)
			if err != nil {
				return nil, fmt.Errorf("profile %s.%s: %w", t.Name, c.Name, err)
			}
			if len(r.Rows) == 1 {
				lo, ok1 := toInt(r.Rows[0][0])
				hi, ok2 := toInt(r.Rows[0][1])
				if ok1 && ok2 && lo == 0 && hi == 1 {
					c.binary, c.truthy, c.falsy = true, int64(1), int64(0)
				}
			}
		}
	}
	if err := numericText(ctx, cat, s, maxValues); err != nil {
		return nil, err
	}
	return s, nil
}

// numericText finds text columns that hold numbers (and missing markers
// such as "NULL" or "NA"), so they can be used as numbers. Listed values
// are checked in Go; larger columns on a sample first, then in full.
func numericText(ctx context.Context, cat Catalog, s *schema, maxValues int) error {
	t := quoteIdent(s.info.Name)
	var cands []*column
	for _, c := range s.cols {
		if c.kind != kindText || c.binary || c.distinct == 0 {
			continue
		}
		if c.values != nil && !c.partial {
			if numbersOnly(c.values) {
				cands = append(cands, c)
			}
			continue
		}
		if c.distinct <= int64(maxValues) {
			continue
		}
		q := quoteIdent(c.Name)
		r, err := cat.Query(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM (SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT 2000)", q, q, t, q), 2000)
		if err != nil {
			return fmt.Errorf("profile %s.%s: %w", s.info.Name, c.Name, err)
		}
		var vals []string
		for _, row := range r.Rows {
			if v, ok := row[0].(string); ok {
				vals = append(vals, v)
			}
		}
		if numbersOnly(vals) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var exprs []string
	for _, c := range cands {
		q := quoteIdent(c.Name)
		num := fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", q)
		exprs = append(exprs, fmt.Sprintf("min(%s)", num), fmt.Sprintf("max(%s)", num),
			fmt.Sprintf("count(*) FILTER (WHERE %s IS NOT NULL AND lower(trim(%s)) NOT IN (%s) AND %s IS NULL)", q, q, nullTokens, num))
	}
	r, err := cat.Query(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(exprs, ", "), t), 1)
	if err != nil {
		return fmt.Errorf("profile %s numbers: %w", s.info.Name, err)
	}
	if len(r.Rows) != 1 || len(r.Rows[0]) != 3*len(cands) {
		return fmt.Errorf("profile %s numbers: unexpected result shape", s.info.Name)
	}
	for i, c := range cands {
		row := r.Rows[0][3*i:]
		lo, ok1 := toFloat(row[0])
		hi, ok2 := toFloat(row[1])
		bad, ok3 := toInt(row[2])
		if ok1 && ok2 && ok3 && bad == 0 {
			c.kind, c.numText, c.min, c.max, c.hasRange = kindNumber, true, lo, hi, true
			c.values, c.valueStems = nil, nil
		}
	}
	return nil
}

// numbersOnly reports whether every value is a number or a missing
// marker, and at least one is a number.
func numbersOnly(vals []string) bool {
	n := 0
	for _, v := range vals {
		v = strings.TrimSpace(v)
		switch strings.ToLower(v) {
		case "", "null", "na", "n/a", "nan", "none", "-":
			continue
		}
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64); err != nil {
			return false
		}
		n++
	}
	return n > 0
}

// manyValues is the distinct count above which a column's values are
// treated as names.
const manyValues = 200

// yesNo reads a value as yes (1), no (-1) or neither (0).
func yesNo(v string) int {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "t", "1":
		return 1
	case "no", "n", "false", "f", "0":
		return -1
	}
	return 0
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString quotes an SQL string literal.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	if i, ok := toInt(v); ok {
		return float64(i), true
	}
	return 0, false
}
