package chat

import (
	"fmt"
	"strconv"
	"strings"
)

// nullTokens are text values that stand for a missing value.
const nullTokens = `'', 'null', 'na', 'n/a', 'nan', 'none', '-'`

// literal renders a filter value as SQL.
func literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return quoteString(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	}
	return quoteString(fmt.Sprint(v))
}

// numRef is a numeric text column read as a number.
func numRef(col string) string { return fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", quoteIdent(col)) }

// ref renders a column of the plan's table, reading numeric text columns
// as numbers.
func (p *plan) ref(col string) string {
	if c := p.col(col); c != nil && c.numText {
		return numRef(col)
	}
	return quoteIdent(col)
}

func (f filter) sql() string {
	c := quoteIdent(f.Col)
	if f.cast && f.Op != "null" && f.Op != "notnull" {
		c = numRef(f.Col)
	}
	switch f.Op {
	case "null":
		if f.text {
			return fmt.Sprintf("(%s IS NULL OR lower(trim(%s)) IN (%s))", c, c, nullTokens)
		}
		return c + " IS NULL"
	case "notnull":
		if f.text {
			return fmt.Sprintf("(%s IS NOT NULL AND lower(trim(%s)) NOT IN (%s))", c, c, nullTokens)
		}
		return c + " IS NOT NULL"
	case "between":
		return fmt.Sprintf("%s BETWEEN %s AND %s", c, literal(f.Value), literal(f.Value2))
	case "!=":
		return fmt.Sprintf("%s <> %s", c, literal(f.Value))
	}
	if f.sub != "" {
		return fmt.Sprintf("%s %s %s", c, f.Op, f.sub)
	}
	switch f.Op {
	case "ieq":
		parts := []string{fmt.Sprintf("lower(%s) = %s", c, literal(f.Value))}
		for _, a := range f.Alts {
			parts = append(parts, fmt.Sprintf("lower(%s) = %s", quoteIdent(a), literal(f.Value)))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case "contains", "notcontains", "starts", "ends":
		v, _ := f.Value.(string)
		pat := likeEscape(strings.ToLower(v))
		switch f.Op {
		case "starts":
			pat += "%"
		case "ends":
			pat = "%" + pat
		default:
			pat = "%" + pat + "%"
		}
		not := ""
		if f.Op == "notcontains" {
			not = "NOT "
		}
		return fmt.Sprintf("lower(%s) %sLIKE %s ESCAPE '\\'", c, not, quoteString(pat))
	}
	if f.Op == "day=" {
		return fmt.Sprintf("CAST(%s AS DATE) = %s", c, literal(f.Value))
	}
	if op, ok := strings.CutPrefix(f.Op, "year"); ok {
		if op == "between" {
			return fmt.Sprintf("year(%s) BETWEEN %s AND %s", c, literal(f.Value), literal(f.Value2))
		}
		return fmt.Sprintf("year(%s) %s %s", c, op, literal(f.Value))
	}
	if f.Op == "=" && len(f.Alts) > 0 {
		parts := []string{fmt.Sprintf("%s = %s", c, literal(f.Value))}
		for _, a := range f.Alts {
			parts = append(parts, fmt.Sprintf("%s = %s", quoteIdent(a), literal(f.Value)))
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	return fmt.Sprintf("%s %s %s", c, f.Op, literal(f.Value))
}

// andAll joins filters with AND, except that equality filters on the same
// column ("1st or 2nd class") are alternatives joined with OR.
func andAll(fs []filter) string {
	var parts []string
	done := map[int]bool{}
	for i, f := range fs {
		if done[i] {
			continue
		}
		if f.Op != "=" || len(f.Alts) > 0 {
			parts = append(parts, f.sql())
			continue
		}
		alts := []string{f.sql()}
		for j := i + 1; j < len(fs); j++ {
			if fs[j].Op == "=" && fs[j].Col == f.Col && len(fs[j].Alts) == 0 {
				alts = append(alts, fs[j].sql())
				done[j] = true
			}
		}
		if len(alts) == 1 {
			parts = append(parts, alts[0])
		} else {
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	return strings.Join(parts, " AND ")
}

func where(fs []filter, extra ...string) string {
	var parts []string
	if len(fs) > 0 {
		parts = append(parts, andAll(fs))
	}
	parts = append(parts, extra...)
	if len(parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(parts, " AND ")
}

// aggExpr renders an aggregation of a column.
func (p *plan) aggExpr(agg, target string) string {
	c := p.ref(target)
	if q, ok := strings.CutPrefix(agg, "quantile:"); ok {
		return fmt.Sprintf("quantile_cont(%s, %s)", c, q)
	}
	switch agg {
	case aggCount:
		return "count(*)"
	case aggDistinct:
		if col := p.col(target); col != nil && col.numText {
			// Text ids ("007", "7") are distinct as written: a cast to a
			// number would merge them. Missing markers are not values.
			q := quoteIdent(target)
			return fmt.Sprintf("count(DISTINCT CASE WHEN lower(trim(%s)) NOT IN (%s) THEN %s END)", q, nullTokens, q)
		}
		return fmt.Sprintf("count(DISTINCT %s)", c)
	case aggAvg:
		return fmt.Sprintf("avg(%s)", c)
	case aggMedian:
		return fmt.Sprintf("median(%s)", c)
	case aggSum:
		return fmt.Sprintf("sum(%s)", c)
	case aggStd:
		return fmt.Sprintf("stddev_samp(%s)", c)
	case aggVar:
		return fmt.Sprintf("var_samp(%s)", c)
	case aggRange:
		return fmt.Sprintf("max(%s) - min(%s)", c, c)
	case "iqr":
		return fmt.Sprintf("quantile_cont(%s, 0.75) - quantile_cont(%s, 0.25)", c, c)
	case aggMin:
		return fmt.Sprintf("min(%s)", c)
	case aggMax:
		return fmt.Sprintf("max(%s)", c)
	case "share":
		scale := ""
		if p.Percent {
			scale = "100.0 * "
		}
		if len(p.Cond) > 0 {
			return fmt.Sprintf("%savg(CASE WHEN %s THEN 1 ELSE 0 END)", scale, andAll(p.Cond))
		}
		col := p.col(target)
		if col != nil && col.binary {
			return fmt.Sprintf("%savg(CASE WHEN %s = %s THEN 1 ELSE 0 END)", scale, c, literal(col.truthy))
		}
	}
	return ""
}

// groupKey renders the grouping expression.
func (p *plan) groupKey() string {
	c := quoteIdent(p.GroupBy)
	switch p.GroupFunc {
	case "year":
		return "year(" + c + ")"
	case "month":
		return "month(" + c + ")"
	case "year-month":
		return "strftime(" + c + ", '%Y-%m')"
	}
	return c
}

// sql renders the plan as one read-only statement. Ranked plans fetch one
// row more than asked so ties at the cut can be seen.
func (p *plan) sql(maxRows int) (string, error) {
	t := quoteIdent(p.Table)
	switch p.Intent {
	case intentAggregate:
		e := p.aggExpr(p.Agg, p.Target)
		if e == "" {
			return "", fmt.Errorf("no aggregation %q", p.Agg)
		}
		e = p.scaled(e)
		return fmt.Sprintf("SELECT %s AS value FROM %s%s", e, t, where(p.Filters)), nil
	case intentShare:
		if p.Percent {
			return fmt.Sprintf("SELECT 100.0 * count(*) FILTER (WHERE %s) / nullif(count(*), 0) AS percent, count(*) AS rows FROM %s%s",
				andAll(p.Cond), t, where(p.Filters)), nil
		}
		return fmt.Sprintf("SELECT count(*) FILTER (WHERE %s) / nullif(count(*), 0) AS share, count(*) AS rows FROM %s%s",
			andAll(p.Cond), t, where(p.Filters)), nil
	case intentGroup:
		e := p.aggExpr(p.Agg, p.Target)
		if e == "" {
			return "", fmt.Errorf("no aggregation %q", p.Agg)
		}
		e = p.scaled(e)
		key := p.groupKey()
		name := p.GroupBy
		if p.GroupFunc != "" {
			name = p.GroupFunc
		}
		if p.OrderAgg {
			dir := "DESC"
			if !p.Desc {
				dir = "ASC"
			}
			return fmt.Sprintf("SELECT %s AS %s, %s AS value FROM %s%s GROUP BY 1 ORDER BY 2 %s NULLS LAST, 1 LIMIT %d",
				key, quoteIdent(name), e, t, where(p.Filters, key+" IS NOT NULL"), dir, p.Limit+1), nil
		}
		return fmt.Sprintf("SELECT %s AS %s, %s AS value FROM %s%s GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT %d",
			key, quoteIdent(name), e, t, where(p.Filters), maxRows+1), nil
	case intentRows:
		return p.rowsSQL(maxRows), nil
	case intentExists:
		q := fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %s%s) AS value", t, where(p.Filters))
		if p.Negate {
			q = fmt.Sprintf("SELECT NOT EXISTS (SELECT 1 FROM %s%s) AS value", t, where(p.Filters))
		}
		return q, nil
	case intentAll:
		return fmt.Sprintf("SELECT count(*) FILTER (WHERE NOT coalesce(%s, false)) = 0 AS value, count(*) AS rows FROM %s%s",
			andAll(p.Cond), t, where(p.Filters)), nil
	case intentCompare:
		e := p.aggExpr(p.Agg, p.Target)
		if e == "" {
			return "", fmt.Errorf("no aggregation %q", p.Agg)
		}
		return fmt.Sprintf("SELECT %s %s %s AS value, %s AS %s FROM %s%s", e, p.Op, literal(p.Threshold), e, quoteIdent(p.Agg), t, where(p.Filters)), nil
	case intentCompareGroups:
		e := p.aggExpr(p.Agg, p.Target)
		if e == "" {
			return "", fmt.Errorf("no aggregation %q", p.Agg)
		}
		g := quoteIdent(p.GroupBy)
		a := fmt.Sprintf("%s FILTER (WHERE %s = %s)", e, g, literal(p.Groups[0]))
		b := fmt.Sprintf("%s FILTER (WHERE %s = %s)", e, g, literal(p.Groups[1]))

		return fmt.Sprintf("SELECT %s AS a, %s AS b, (%s) %s (%s) AS value FROM %s%s", a, b, a, p.Op, b, t, where(p.Filters)), nil
	case intentCorrelation:
		return fmt.Sprintf("SELECT corr(%s, %s) AS correlation FROM %s", p.ref(p.Select[0]), p.ref(p.Select[1]), t), nil
	case intentMissing:
		s := p.schema
		var parts []string
		for _, c := range s.info.Columns {
			parts = append(parts, fmt.Sprintf("count(*) - count(%s) AS %s", quoteIdent(c.Name), quoteIdent(c.Name)))
		}
		if len(parts) == 0 {
			return "", fmt.Errorf("table has no columns")
		}
		return fmt.Sprintf("SELECT %s FROM %s", strings.Join(parts, ", "), t), nil
	}
	return "", nil
}

func (p *plan) rowsSQL(maxRows int) string {
	t := quoteIdent(p.Table)
	if len(p.Cond) > 0 {
		o := p.ref(p.OrderBy)
		dir := "ASC"
		if p.Desc {
			dir = "DESC"
		}
		return fmt.Sprintf("SELECT coalesce(%s, false) AS value, %s FROM %s%s ORDER BY %s %s LIMIT 2",
			andAll(p.Cond), o, t, where(p.Filters, o+" IS NOT NULL"), o, dir)
	}
	var cols []string
	for _, s := range p.Select {
		if r := p.ref(s); r != quoteIdent(s) {
			cols = append(cols, r+" AS "+quoteIdent(s))
		} else {
			cols = append(cols, r)
		}
	}
	sel := strings.Join(cols, ", ")
	switch {
	case p.OrderBy != "":
		o := p.ref(p.OrderBy)
		dir := "ASC"
		if p.Desc {
			dir = "DESC"
		}
		if len(p.Select) != 1 || p.Select[0] != p.OrderBy {
			sel += ", " + o
		}
		return fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s %s LIMIT %d", sel, t, where(p.Filters, o+" IS NOT NULL"), o, dir, p.Limit+1)
	case p.Limit > 0 && p.FromEnd:
		return fmt.Sprintf("SELECT %s FROM %s%s LIMIT %d OFFSET greatest((SELECT count(*) FROM %s%s) - %d, 0)",
			sel, t, where(p.Filters), p.Limit, t, where(p.Filters), p.Limit)
	case p.Limit > 0:
		return fmt.Sprintf("SELECT %s FROM %s%s LIMIT %d", sel, t, where(p.Filters), p.Limit)
	case p.Single:
		return fmt.Sprintf("SELECT DISTINCT %s FROM %s%s LIMIT 2", sel, t, where(p.Filters))
	case p.Distinct:
		return fmt.Sprintf("SELECT DISTINCT %s FROM %s%s ORDER BY 1 LIMIT %d", sel, t, where(p.Filters, p.ref(p.Select[0])+" IS NOT NULL"), maxRows+1)
	}
	return fmt.Sprintf("SELECT %s FROM %s%s LIMIT %d", sel, t, where(p.Filters), maxRows+1)
}

// likeEscape escapes LIKE wildcards so a searched text matches literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
