package chat

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"datachat/datasets"
)

// errUnsure marks a result the engine will not stand by (ties, empty
// results, several possible values).
var errUnsure = errors.New("unsure")

// Answer answers the last user message of req from the tables of cat.
// Questions it cannot answer with confidence get an abstaining Answer
// (nil Value) with suggestions; only infrastructure failures are errors.
func (e *Embedded) Answer(ctx context.Context, cat Catalog, req Request) (a *Answer, err error) {
	defer func() {
		// The planner is heuristic code run on arbitrary text: a bug in it
		// must cost one answer, not the process.
		if r := recover(); r != nil {
			a, err = e.abstainAnswer(ctx, cat, req, fmt.Sprintf("internal error in the planner (%v)", r)), nil
		}
	}()
	question, history := splitConversation(req.Messages)
	if strings.TrimSpace(question) == "" {
		return e.abstainAnswer(ctx, cat, req, "there is no question to answer"), nil
	}
	if convo, rest, ok := splitCompound(question, history); ok {
		// "... but start with what I asked first": the conversational part
		// first, then the answer to the rest.
		sub := req
		sub.Messages = append(append([]Message(nil), history...), Message{Role: "user", Content: rest})
		a, err := e.Answer(ctx, cat, sub)
		if err != nil {
			return nil, err
		}
		a.Text = convo.Text + "\n\n" + a.Text
		return a, nil
	}
	if a := conversational(question, history); a != nil {
		if a.Text == "" {
			a.Text = e.introduction(ctx, cat, req, greetingRe.MatchString(question))
		}
		return a, nil
	}
	if a, err := e.visualAnswer(ctx, cat, req, question); err != nil || a != nil {
		return a, err
	}
	tables, err := tablesFor(ctx, cat, req)
	if err != nil {
		return &Answer{Text: "I can't answer that: " + err.Error() + "."}, nil
	}
	if len(tables) == 0 {
		return &Answer{Text: "No data is loaded yet. Load a file first, then ask about it."}, nil
	}
	question, digits := roundingRequest(question)
	question, unitWord := unitRequest(question)
	p, err := e.planFor(ctx, cat, tables, question, history, 0)
	if err != nil {
		return nil, err
	}
	if unitWord != "" && p.Intent != intentAbstain {
		p = withUnit(p, unitWord)
	}
	if p.Intent == intentAbstain {
		return e.abstainAnswer(ctx, cat, req, p.Reason), nil
	}
	a, err = e.execute(ctx, cat, p)
	if err == nil && digits >= 0 {
		if f, ok := a.Value.(float64); ok {
			a.Value = math.Round(f*math.Pow10(digits)) / math.Pow10(digits)
			a.Text = fmt.Sprintf("Rounded to %d decimals: **%s**.\n\n", digits, strconv.FormatFloat(a.Value.(float64), 'f', digits, 64)) + a.Text
		}
	}
	if errors.Is(err, errUnsure) {
		return e.abstainAnswer(ctx, cat, req, strings.TrimPrefix(err.Error(), "unsure: ")), nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return e.abstainAnswer(ctx, cat, req, "the query failed ("+err.Error()+")"), nil
	}
	return a, nil
}

// splitConversation returns the last user message and the messages before it.
func splitConversation(msgs []Message) (string, []Message) {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "user" {
			return msgs[i].Content, msgs[:i]
		}
	}
	return "", nil
}

const maxFollowUpDepth = 4

// budgetKey marks a context that already carries the planning budget.
type budgetKey struct{}

// planFor plans a question against the tables, following up on earlier
// questions when the question only adjusts the previous one. Planning
// (after profiling the tables) runs within the engine's plan budget; when
// it runs out the plan abstains and says so, and when ctx itself is done
// planFor returns its error.
func (e *Embedded) planFor(ctx context.Context, cat Catalog, tables []datasets.TableInfo, question string, history []Message, depth int) (p *plan, err error) {
	var schemas []*schema
	for _, t := range tables {
		s, err := e.schemaFor(ctx, cat, t)
		if err != nil {
			return nil, err
		}
		schemas = append(schemas, s)
	}
	if ctx.Value(budgetKey{}) == nil {
		parent := ctx
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithValue(ctx, budgetKey{}, true), e.planBudget)
		defer cancel()
		defer func() {
			switch {
			case err != nil:
			case parent.Err() != nil:
				p, err = nil, parent.Err()
			case ctx.Err() != nil:
				p = abstain("planning took longer than the %s budget (--plan-budget); try a simpler question", e.planBudget)
			}
		}()
	}
	if rest, ok := followUp(question); ok && depth < maxFollowUpDepth && !standalone(ctx, schemas, rest) {
		if prevQ, prevH := splitConversation(history); prevQ != "" {
			prev, err := e.planFor(ctx, cat, tables, prevQ, prevH, depth+1)
			if err != nil {
				return nil, err
			}
			if prev.Intent != intentAbstain && prev.schema != nil {
				return mergeFollowUp(ctx, prev, rest), nil
			}
		}
	}
	if rest, ok := anaphora(question); ok && depth < maxFollowUpDepth {
		// "how many of them were men?": the new question over the rows
		// the previous one selected.
		if prevQ, prevH := splitConversation(history); prevQ != "" {
			prev, err := e.planFor(ctx, cat, tables, prevQ, prevH, depth+1)
			if err != nil {
				return nil, err
			}
			if prev.Intent != intentAbstain && prev.schema != nil {
				if p := planQuestion(ctx, prev.schema, rest); p.Intent != intentAbstain {
					p.Filters = inheritFilters(prev.Filters, p.Filters)
					return p, nil
				}
			}
		}
	}
	var best *plan
	var reasons []string
	for _, s := range schemas {
		if ctx.Err() != nil {
			break
		}
		p := planQuestion(ctx, s, question)
		if p.Intent == intentAbstain {
			reasons = append(reasons, p.Reason)
			continue
		}
		if best != nil {
			return abstain("the question fits several tables (%s, %s); name the one you mean", best.Table, p.Table), nil
		}
		best = p
	}
	if best == nil {
		if len(reasons) == 1 {
			return abstain("%s", reasons[0]), nil
		}
		return abstain("I could not match the question to any loaded table"), nil
	}
	return best, nil
}

// execute runs a plan and phrases its answer.
func (e *Embedded) execute(ctx context.Context, cat Catalog, p *plan) (*Answer, error) {
	switch p.Intent {
	case intentColumnCount:
		n := int64(len(p.schema.info.Columns))
		return &Answer{Text: fmt.Sprintf("%s has **%d** %s.", code(p.Table), n, plural(n, "column", "columns")), Value: n, Confident: true}, nil
	case intentListColumns:
		var names []any
		var lines []string
		for _, c := range p.schema.info.Columns {
			names = append(names, c.Name)
			l := fmt.Sprintf("- %s (%s)", code(c.Name), c.Type)
			if c.Label != "" {
				l += ": " + c.Label
			}
			lines = append(lines, l)
		}
		return &Answer{Text: fmt.Sprintf("%s has %d %s:\n\n%s", code(p.Table), len(names), plural(int64(len(names)), "column", "columns"), strings.Join(lines, "\n")), Value: names, Confident: true}, nil
	case intentDescribe:
		c := p.col(p.Target)
		if c == nil {
			return nil, fmt.Errorf("%w: unknown column", errUnsure)
		}
		text := fmt.Sprintf("%s is a %s column", code(c.Name), strings.ToLower(c.Type))
		value := c.Name
		if c.Label != "" {
			text += fmt.Sprintf(" labelled %q", c.Label)
			value = c.Label
		} else {
			text += " (the file gives it no label)"
		}
		text += fmt.Sprintf(", with %d distinct values and %d missing.", c.distinct, c.nulls)
		if len(c.values) > 0 && len(c.values) <= 12 {
			text += " Its values are " + strings.Join(c.values, ", ") + "."
		}
		return &Answer{Text: text, Value: value, Confident: true}, nil
	}
	q, err := p.sql(e.maxRows)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnsure, err)
	}
	limit := e.maxRows + 1
	res, err := cat.Query(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	value, text, table, err := interpret(p, res, e.maxRows)
	if err != nil {
		return nil, err
	}
	if p.MonthName {
		named, ok := monthNamed(value, p.MonthBase)
		if !ok {
			return nil, fmt.Errorf("%w: a value is not a month number", errUnsure)
		}
		value = named
		text += fmt.Sprintf(" (as month names: %s)", format(named))
	}
	var b strings.Builder
	b.WriteString(text)
	b.WriteString("\n\n```sql\n" + q + "\n```\n")
	if table != nil && len(table.Rows) > 1 {
		b.WriteString("\n" + markdownTable(table, 20))
	}
	a := &Answer{Text: b.String(), Value: value, SQL: q, Confident: true, Table: table}
	if p.Intent == intentGroup && !p.OrderAgg {
		if c := shareChart(ctx, cat, p); c != nil {
			a.Charts = append(a.Charts, *c)
		} else if c := groupChart(p, q, table); c != nil {
			a.Charts = append(a.Charts, *c)
		}
	}
	return a, nil
}

// interpret turns a result into the typed value and a sentence.
func interpret(p *plan, res *datasets.Result, maxRows int) (any, string, *datasets.Result, error) {
	one := func() (any, error) {
		if len(res.Rows) != 1 || len(res.Rows[0]) == 0 {
			return nil, fmt.Errorf("%w: expected one row, got %d", errUnsure, len(res.Rows))
		}
		return res.Rows[0][0], nil
	}
	scope := describeFilters(p.Filters)
	switch p.Intent {
	case intentAggregate:
		v, err := one()
		if err != nil {
			return nil, "", nil, err
		}
		if v == nil {
			return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
		}
		v = typed(v)
		if p.Agg == aggCount {
			return v, fmt.Sprintf("There %s **%s** %s%s.", plural(v, "is", "are"), format(v), plural(v, "row", "rows"), scope), nil, nil
		}
		if p.Unit != "" {
			return v, fmt.Sprintf("The %s of %s%s is **%s** %s.", aggName(p.Agg), code(p.Target), scope, format(v), p.Unit), nil, nil
		}
		return v, fmt.Sprintf("The %s of %s%s is **%s**.", aggName(p.Agg), code(p.Target), scope, format(v)), nil, nil
	case intentShare:
		v, err := one()
		if err != nil {
			return nil, "", nil, err
		}
		if v == nil {
			return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
		}
		v = typed(v)
		cond := strings.TrimPrefix(describeFilters(p.Cond), " where ")
		if f, ok := v.(float64); ok && !p.Percent {
			return v, fmt.Sprintf("A share of **%s** (%s%%) of the rows%s have %s.", format(f), format(100*f), scope, cond), nil, nil
		}
		return v, fmt.Sprintf("**%s%%** of the rows%s have %s.", format(v), scope, cond), nil, nil
	case intentExists, intentAll, intentCompare, intentCompareGroups:
		if len(res.Rows) != 1 {
			return nil, "", nil, fmt.Errorf("%w: expected one row", errUnsure)
		}
		row := res.Rows[0]
		v, ok := row[len(row)-1].(bool)
		if p.Intent == intentExists || p.Intent == intentCompare || p.Intent == intentAll {
			v, ok = row[0].(bool)
		}
		if !ok {
			return nil, "", nil, fmt.Errorf("%w: the comparison has no value (no matching rows)", errUnsure)
		}
		if p.Intent == intentAll {
			if n, _ := toInt(row[1]); n == 0 {
				return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
			}
		}
		return v, yesNoText(v, p, row), nil, nil
	case intentCorrelation:
		v, err := one()
		if err != nil || v == nil {
			return nil, "", nil, fmt.Errorf("%w: no correlation could be computed", errUnsure)
		}
		v = typed(v)
		return v, fmt.Sprintf("The correlation between %s and %s is **%s**.", code(p.Select[0]), code(p.Select[1]), format(v)), nil, nil
	case intentMissing:
		if len(res.Rows) != 1 {
			return nil, "", nil, fmt.Errorf("%w: expected one row", errUnsure)
		}
		t := &datasets.Result{Columns: []string{"column", "missing"}, Types: []string{"VARCHAR", "BIGINT"}}
		var parts []string
		var list []any
		for i, c := range res.Columns {
			n, _ := toInt(res.Rows[0][i])
			t.Rows = append(t.Rows, []any{c, n})
			list = append(list, n)
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%s: %d", code(c), n))
			}
		}
		t.RowCount = len(t.Rows)
		text := "No column has missing values."
		if len(parts) > 0 {
			text = "Missing values per column: " + strings.Join(parts, ", ") + "; the other columns have none."
		}
		return list, text, t, nil
	case intentGroup:
		return interpretGroup(p, res, maxRows, scope)
	case intentRows:
		return interpretRows(p, res, maxRows, scope)
	}
	return nil, "", nil, fmt.Errorf("%w: nothing to answer", errUnsure)
}

func interpretGroup(p *plan, res *datasets.Result, maxRows int, scope string) (any, string, *datasets.Result, error) {
	rows := res.Rows
	if len(rows) == 0 {
		return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
	}
	if p.OrderAgg {
		if len(rows) > p.Limit {
			if fmt.Sprint(rows[p.Limit][1]) == fmt.Sprint(rows[p.Limit-1][1]) {
				return nil, "", nil, fmt.Errorf("%w: there is a tie for place %d", errUnsure, p.Limit)
			}
			rows = rows[:p.Limit]
		}
		var keys []any
		for _, r := range rows {
			keys = append(keys, typed(r[0]))
		}
		t := &datasets.Result{Columns: res.Columns, Types: res.Types, Rows: rows, RowCount: len(rows)}
		what := "the most"
		if !p.Desc {
			what = "the fewest"
		}
		measure := "rows"
		if p.Agg != aggCount {
			what = "the highest"
			if !p.Desc {
				what = "the lowest"
			}
			measure = aggName(p.Agg) + " " + code(p.Target)
			if p.Agg == "share" {
				measure = "percentage of rows with " + strings.TrimPrefix(describeFilters(p.Cond), " where ")
			}
		}
		if p.Single && p.Expect != nil {
			v := fmt.Sprint(keys[0]) == fmt.Sprint(p.Expect)
			return v, fmt.Sprintf("**%s**: %s with %s %s%s is %s (%s).", yesNoWord(v), code(p.GroupBy), what, measure, scope, format(keys[0]), format(typed(rows[0][1]))), t, nil
		}
		if p.Single {
			return keys[0], fmt.Sprintf("%s with %s %s%s is **%s** (%s).", code(p.GroupBy), what, measure, scope, format(keys[0]), format(typed(rows[0][1]))), t, nil
		}
		return keys, fmt.Sprintf("The %d %s of %s with %s %s%s: %s.", len(keys), plural(int64(len(keys)), "value", "values"), code(p.GroupBy), what, measure, scope, formatList(keys)), t, nil
	}
	trunc := false
	if len(rows) > maxRows {
		rows, trunc = rows[:maxRows], true
	}
	var out []any
	var parts []string
	for _, r := range rows {
		v := typed(r[1])
		out = append(out, v)
		parts = append(parts, fmt.Sprintf("%s: %s", format(typed(r[0])), format(v)))
	}
	t := &datasets.Result{Columns: res.Columns, Types: res.Types, Rows: rows, RowCount: len(rows), Truncated: trunc}
	measure := "Row count"
	if p.Agg == "share" {
		measure = "Share with " + strings.TrimPrefix(describeFilters(p.Cond), " where ")
		if p.Percent {
			measure = "Percent with " + strings.TrimPrefix(describeFilters(p.Cond), " where ")
		}
	} else if p.Agg != aggCount {
		measure = capitalize(aggName(p.Agg)) + " of " + code(p.Target)
		if p.Unit != "" {
			measure += " in " + p.Unit
		}
	}
	by := code(p.GroupBy)
	if p.GroupFunc != "" {
		by = p.GroupFunc + " of " + by
	}
	text := fmt.Sprintf("%s by %s%s: %s.", measure, by, scope, strings.Join(parts, "; "))
	if trunc {
		text += fmt.Sprintf(" (first %d groups)", maxRows)
	}
	return out, text, t, nil
}

func interpretRows(p *plan, res *datasets.Result, maxRows int, scope string) (any, string, *datasets.Result, error) {
	rows := res.Rows
	if len(p.Cond) > 0 {
		if len(rows) == 0 {
			return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
		}
		if len(rows) > 1 && fmt.Sprint(rows[0][1]) == fmt.Sprint(rows[1][1]) {
			return nil, "", nil, fmt.Errorf("%w: several rows share the top value", errUnsure)
		}
		v, ok := rows[0][0].(bool)
		if !ok {
			return nil, "", nil, fmt.Errorf("%w: the condition has no value", errUnsure)
		}
		dir := "highest"
		if !p.Desc {
			dir = "lowest"
		}
		return v, fmt.Sprintf("**%s**: the row with the %s %s (%s) %s %s.", yesNoWord(v), dir, code(p.OrderBy), format(typed(rows[0][1])), isWord(v),
			strings.TrimPrefix(describeFilters(p.Cond), " where ")), nil, nil
	}
	if len(rows) == 0 {
		return nil, "", nil, fmt.Errorf("%w: no rows match", errUnsure)
	}
	col := p.Select[0]
	switch {
	case p.OrderBy != "":
		oi := len(res.Columns) - 1
		if len(rows) > p.Limit {
			// A tie at the cut makes the listed rows arbitrary unless the
			// listed column is the sort column itself.
			if col != p.OrderBy && fmt.Sprint(rows[p.Limit][oi]) == fmt.Sprint(rows[p.Limit-1][oi]) {
				return nil, "", nil, fmt.Errorf("%w: several rows tie on %s", errUnsure, p.OrderBy)
			}
			rows = rows[:p.Limit]
		}
	case p.Single && p.Limit == 0:
		if len(rows) > 1 {
			return nil, "", nil, fmt.Errorf("%w: several rows match with different %s", errUnsure, col)
		}
	default:
		if len(rows) > maxRows {
			return nil, "", nil, fmt.Errorf("%w: more than %d rows match", errUnsure, maxRows)
		}
	}
	if p.Nth > 0 {
		// "The second highest" reads differently when values repeat.
		if len(rows) < p.Nth {
			return nil, "", nil, fmt.Errorf("%w: fewer than %d rows", errUnsure, p.Nth)
		}
		oi := len(res.Columns) - 1
		seen := map[string]bool{}
		for _, r := range rows[:p.Nth] {
			k := fmt.Sprint(r[oi])
			if seen[k] {
				return nil, "", nil, fmt.Errorf("%w: values repeat among the top %d", errUnsure, p.Nth)
			}
			seen[k] = true
		}
		rows = rows[p.Nth-1 : p.Nth]
	}
	var vals []any
	for _, r := range rows {
		vals = append(vals, typed(r[0]))
	}
	t := &datasets.Result{Columns: res.Columns, Types: res.Types, Rows: rows, RowCount: len(rows)}
	how := ""
	if p.OrderBy != "" {
		dir := "highest"
		if !p.Desc {
			dir = "lowest"
		}
		how = fmt.Sprintf(" with the %s %s", dir, code(p.OrderBy))
		if len(rows) > 1 {
			how = fmt.Sprintf(" of the %d rows%s", len(rows), how)
		}
	} else if p.Limit > 0 {
		pos := "first"
		if p.FromEnd {
			pos = "last"
		}
		how = fmt.Sprintf(" of the %s %d %s", pos, p.Limit, plural(int64(p.Limit), "row", "rows"))
	}
	if p.Single {
		if p.Nth > 0 {
			how = fmt.Sprintf(" ranked %d by %s", p.Nth, code(p.OrderBy))
		}
		if p.Limit > 0 && len(vals) != 1 {
			return nil, "", nil, fmt.Errorf("%w: expected one value", errUnsure)
		}
		return vals[0], fmt.Sprintf("The %s%s%s is **%s**.", code(col), how, scope, format(vals[0])), t, nil
	}
	kind := ""
	if p.Distinct {
		kind = "distinct "
	}
	return vals, fmt.Sprintf("The %svalues of %s%s%s: %s.", kind, code(col), how, scope, formatList(vals)), t, nil
}

// plural picks the singular or plural form for a count: "1 row", "2 rows",
// "0 rows".
func plural(n any, one, many string) string {
	if f, ok := toFloat(n); ok && (f == 1 || f == -1) {
		return one
	}
	return many
}

func isWord(v bool) string {
	if v {
		return "meets"
	}
	return "does not meet"
}

func yesNoWord(v bool) string {
	if v {
		return "Yes"
	}
	return "No"
}

func yesNoText(v bool, p *plan, row []any) string {
	switch p.Intent {
	case intentExists:
		if p.Negate {
			if v {
				return fmt.Sprintf("**Yes**: no rows%s.", describeFilters(p.Filters))
			}
			return fmt.Sprintf("**No**: there are rows%s.", describeFilters(p.Filters))
		}
		if v {
			return fmt.Sprintf("**Yes**: there are rows%s.", describeFilters(p.Filters))
		}
		return fmt.Sprintf("**No**: no rows%s.", describeFilters(p.Filters))
	case intentAll:
		return fmt.Sprintf("**%s**: %s rows%s have %s.", yesNoWord(v), map[bool]string{true: "all", false: "not all"}[v],
			describeFilters(p.Filters), strings.TrimPrefix(describeFilters(p.Cond), " where "))
	case intentCompare:
		return fmt.Sprintf("**%s**: the %s of %s%s is %s, and the question asks whether it is %s %s.", yesNoWord(v), aggName(p.Agg), code(p.Target),
			describeFilters(p.Filters), format(typed(row[1])), p.Op, format(p.Threshold))
	case intentCompareGroups:
		what := "the row count"
		if p.Target != "" {
			what = aggName(p.Agg) + " of " + code(p.Target)
			if p.Agg == "share" {
				what = "share with " + code(p.Target)
			}
		}
		return fmt.Sprintf("**%s**: %s is %s for %s = %s and %s for %s = %s.", yesNoWord(v), what, format(typed(row[0])), code(p.GroupBy),
			format(p.Groups[0]), format(typed(row[1])), code(p.GroupBy), format(p.Groups[1]))
	}
	return yesNoWord(v)
}

func aggName(a string) string {
	if q, ok := strings.CutPrefix(a, "quantile:"); ok {
		return q + " quantile"
	}
	switch a {
	case "iqr":
		return "interquartile range"
	case aggAvg:
		return "average"
	case aggStd:
		return "standard deviation"
	case aggVar:
		return "variance"
	case aggDistinct:
		return "number of distinct values"
	case aggMin:
		return "minimum"
	case aggMax:
		return "maximum"
	case aggSum:
		return "total"
	case aggCount:
		return "count"
	}
	return a
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func code(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" }

// describeFilters phrases filters as " where ... and ...".
func describeFilters(fs []filter) string {
	if len(fs) == 0 {
		return ""
	}
	var parts []string
	said := map[int]bool{}
	for i, f := range fs {
		if said[i] {
			continue
		}
		c := code(f.Col)
		if f.Op == "=" && len(f.Alts) == 0 {
			// Values of one column are alternatives: "`Pclass` = 1 or 2".
			vals := []string{format(f.Value)}
			for j := i + 1; j < len(fs); j++ {
				if g := fs[j]; g.Op == "=" && g.Col == f.Col && len(g.Alts) == 0 {
					vals = append(vals, format(g.Value))
					said[j] = true
				}
			}
			if len(vals) > 1 {
				parts = append(parts, fmt.Sprintf("%s = %s", c, strings.Join(vals, " or ")))
				continue
			}
		}
		switch f.Op {
		case "null":
			parts = append(parts, c+" missing")
		case "notnull":
			parts = append(parts, c+" present")
		case "between":
			parts = append(parts, fmt.Sprintf("%s between %s and %s", c, format(f.Value), format(f.Value2)))
		default:
			if f.Op == "day=" {
				parts = append(parts, fmt.Sprintf("%s on %s", c, format(f.Value)))
				continue
			}
			if f.Op == "ieq" {
				parts = append(parts, fmt.Sprintf("%s is %q", c, format(f.Value)))
				continue
			}
			if w, ok := map[string]string{"contains": "contains", "notcontains": "does not contain", "starts": "starts with", "ends": "ends with"}[f.Op]; ok {
				parts = append(parts, fmt.Sprintf("%s %s %q", c, w, format(f.Value)))
				continue
			}
			if op, ok := strings.CutPrefix(f.Op, "year"); ok {
				parts = append(parts, fmt.Sprintf("year of %s %s %s", c, op, format(f.Value)))
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %s %s", c, f.Op, format(f.Value)))
		}
	}
	return " where " + strings.Join(parts, " and ")
}

// typed converts a result value to the answer's types: int64, float64,
// bool, string or nil.
func typed(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int64:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	}
	if i, ok := toInt(v); ok {
		return i
	}
	if f, ok := toFloat(v); ok {
		return f
	}
	return fmt.Sprint(v)
}

// format renders a value for the answer text.
func format(v any) string {
	switch x := v.(type) {
	case nil:
		return "(missing)"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		if math.Abs(x) >= 1 {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
		return strconv.FormatFloat(x, 'g', 4, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func formatList(vs []any) string {
	var parts []string
	for i, v := range vs {
		if i == 20 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(vs)))
			break
		}
		parts = append(parts, format(v))
	}
	return strings.Join(parts, ", ")
}

// markdownTable renders up to max rows of a result.
func markdownTable(r *datasets.Result, max int) string {
	var b strings.Builder
	esc := func(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }
	var hdr []string
	for _, c := range r.Columns {
		hdr = append(hdr, esc(c))
	}
	b.WriteString("| " + strings.Join(hdr, " | ") + " |\n|")
	for range r.Columns {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for i, row := range r.Rows {
		if i == max {
			fmt.Fprintf(&b, "\n(%d of %d rows shown)\n", max, len(r.Rows))
			break
		}
		var cells []string
		for _, v := range row {
			cells = append(cells, esc(format(typed(v))))
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// standalone reports whether the rest of a follow-up ("and how many
// survived?") is a whole question by itself on one of the tables.
func standalone(ctx context.Context, schemas []*schema, rest string) bool {
	for _, s := range schemas {
		if p := planQuestion(ctx, s, rest); p.Intent != intentAbstain {
			return true
		}
	}
	return false
}

var roundRe = regexp.MustCompile(`(?i)[,(]?\s*\b(?:rounded|round(?:ed)? off|round it|round)?\s*to\s+(\d|one|two|three|four)\s+(?:decimal places|decimal place|decimal digits|decimals|decimal|places|digits)\b\s*\)?`)

// roundingRequest removes "rounded to 2 decimals" from a question and
// returns the number of digits asked for, or -1.
func roundingRequest(q string) (string, int) {
	m := roundRe.FindStringSubmatchIndex(q)
	if m == nil {
		return q, -1
	}
	d := q[m[2]:m[3]]
	n := map[string]int{"one": 1, "two": 2, "three": 3, "four": 4}[strings.ToLower(d)]
	if d[0] >= '0' && d[0] <= '9' {
		n = int(d[0] - '0')
	}
	return strings.TrimSpace(q[:m[0]] + " " + q[m[1]:]), n
}
