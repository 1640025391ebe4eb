package chat

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"datachat/charts"
	"datachat/datasets"
)

var (
	visualRe = regexp.MustCompile(`(?i)\b(visuals?|visuali[sz]e|visuali[sz]ations?|charts?|plots?|graphs?|overview|interesting (facts|things|insights|patterns))\b`)
	// visualWords are dropped before planning "a chart of average fare by class".
	visualWords = regexp.MustCompile(`(?i)\b(show me|show|display|draw|make|create|give me|(?:as|in|into|using|with)\s+(?:a|an)?\s*(?:bar|line|column|pie)?\s*(?:charts?|plots?|graphs?)|bar|plots?|charts?|graphs?|visuali[sz]e|visuali[sz]ations?|a|an|of|some|interesting|visuals?|please)\b`)
)

// maxOverviewCharts bounds the charts of an overview.
const maxOverviewCharts = 3

// visualAnswer answers a request for charts: a chart of the asked
// breakdown when the question names one, else an overview of the first
// table. It returns nil when the question is not about visuals.
func (e *Embedded) visualAnswer(ctx context.Context, cat Catalog, req Request, question string) (*Answer, error) {
	if !visualRe.MatchString(question) {
		return nil, nil
	}
	tables, err := tablesFor(ctx, cat, req)
	if err != nil || len(tables) == 0 {
		return nil, nil
	}
	// "What is the plot of Titanic?" asks about a Plot column.
	for _, w := range visualRe.FindAllString(question, -1) {
		for _, t := range tables {
			for _, c := range t.Columns {
				for _, cw := range splitName(c.Name) {
					if stem(cw) == stem(strings.ToLower(strings.Fields(w)[0])) {
						return nil, nil
					}
				}
			}
		}
	}
	rest := strings.Join(strings.Fields(visualWords.ReplaceAllString(question, " ")), " ")
	for _, q := range chartReadings(rest) {
		p, err := e.planFor(ctx, cat, tables, q, nil, maxFollowUpDepth)
		if err != nil {
			return nil, err
		}
		if p.Intent == intentGroup && !p.OrderAgg {
			a, err := e.execute(ctx, cat, p)
			if err != nil || len(a.Charts) == 0 {
				return nil, nil // the caller falls back to the usual answer
			}
			return a, nil
		}
	}
	s, err := e.schemaFor(ctx, cat, tables[0])
	if err != nil {
		return nil, err
	}
	return e.overview(ctx, cat, s)
}

// chartReadings lists the questions a chart request may stand for, most
// literal first: "fare by class" is read as itself, then as "fare rate by
// class" (a yes/no column: "survival by class"), "average fare by class"
// and "number of fare by class".
func chartReadings(rest string) []string {
	if rest == "" {
		return nil
	}
	out := []string{rest}
	if x, y, ok := strings.Cut(rest, " by "); ok && !strings.Contains(x, " ") {
		out = append(out, x+" rate by "+y)
	}
	if strings.Contains(rest, " by ") || strings.Contains(rest, " per ") {
		out = append(out, "average "+rest, "number of "+rest)
	}
	return out
}

// VisualsFunc explores a table and returns up to max charts, most
// interesting first (explore.Visuals is one; chat cannot import it, since
// explore builds on chat's types).
type VisualsFunc func(ctx context.Context, cat Catalog, table string, max int) ([]Chart, error)

// WithVisuals makes overviews ("show me some interesting visuals") use fn
// instead of the engine's own three simple charts.
func WithVisuals(fn VisualsFunc) Option {
	return func(e *Embedded) { e.visuals = fn }
}

// maxVisuals is how many charts an explored overview shows.
const maxVisuals = 4

// overview draws a few charts of a table: the injected explorer's ranked
// charts when there is one, else a rate of a yes/no column by a group, the
// distribution of a numeric column and the counts of a group.
func (e *Embedded) overview(ctx context.Context, cat Catalog, s *schema) (*Answer, error) {
	if e.visuals != nil {
		list, err := e.visuals(ctx, cat, s.info.Name, maxVisuals)
		if err == nil && len(list) > 0 {
			a := &Answer{Confident: true, Charts: list}
			var b strings.Builder
			fmt.Fprintf(&b, "Here %s %d %s of %s (%d %s), most interesting first:\n", plural(int64(len(list)), "is", "are"), len(list),
				plural(int64(len(list)), "chart", "charts"), code(s.info.Name), s.info.Rows, plural(s.info.Rows, "row", "rows"))
			for i, c := range list {
				fmt.Fprintf(&b, "%d. %s\n", i+1, c.Finding)
			}
			a.Text = b.String()
			return a, nil
		}
	}
	var binary, group, number *column
	for _, c := range s.cols {
		switch {
		case c.binary && binary == nil:
			binary = c
		case !c.binary && groupable(c) && c.distinct >= 2 && c.distinct <= charts.MaxCategories && group == nil:
			group = c
		case c.kind == kindNumber && !c.binary && !idLike(c.Name) && c.distinct > charts.MaxCategories && number == nil:
			number = c
		}
	}
	t := quoteIdent(s.info.Name)
	a := &Answer{Confident: true}
	add := func(spec charts.Spec, q, finding string) {
		if len(a.Charts) >= maxOverviewCharts {
			return
		}
		res, err := cat.Query(ctx, q, charts.MaxPoints)
		if err != nil || len(res.Rows) == 0 {
			return
		}
		a.Charts = append(a.Charts, Chart{Spec: spec, Data: charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows},
			Finding: finding, SQL: q})
	}
	if binary != nil && group != nil {
		cond := fmt.Sprintf("%s = %s", quoteIdent(binary.Name), literal(binary.truthy))
		q := fmt.Sprintf("SELECT %s, avg(CASE WHEN %s THEN 1.0 ELSE 0 END) AS rate FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1",
			quoteIdent(group.Name), cond, t, quoteIdent(group.Name))
		finding := e.extremeFinding(ctx, cat, q, fmt.Sprintf("%s rate", binary.Name), group.Name)
		add(charts.Spec{Kind: charts.Bar, X: group.Name, Y: "rate", Title: fmt.Sprintf("%s rate by %s", binary.Name, group.Name)}, q, finding)
	}
	if number != nil {
		q := fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL", quoteIdent(number.Name), t, quoteIdent(number.Name))
		finding := fmt.Sprintf("%s ranges from %s to %s.", number.Name, format(number.min), format(number.max))
		if r, err := cat.Query(ctx, fmt.Sprintf("SELECT median(%s) FROM %s", quoteIdent(number.Name), t), 1); err == nil && len(r.Rows) == 1 {
			finding = fmt.Sprintf("%s ranges from %s to %s, with a median of %s.", number.Name, format(number.min), format(number.max), format(typed(r.Rows[0][0])))
		}
		add(charts.Spec{Kind: charts.Histogram, X: number.Name, Title: "Distribution of " + number.Name}, q, finding)
	}
	if group != nil {
		q := fmt.Sprintf("SELECT %s, count(*) AS rows FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1", quoteIdent(group.Name), t, quoteIdent(group.Name))
		finding := e.extremeFinding(ctx, cat, q, "rows", group.Name)
		add(charts.Spec{Kind: charts.Bar, X: group.Name, Y: "rows", Title: "Rows by " + group.Name}, q, finding)
	}
	if len(a.Charts) == 0 {
		return nil, nil
	}
	// The findings go with the charts; callers show them under each one.
	a.Text = fmt.Sprintf("Here %s %d %s of %s (%d %s).\n", plural(int64(len(a.Charts)), "is", "are"), len(a.Charts),
		plural(int64(len(a.Charts)), "chart", "charts"), code(s.info.Name), s.info.Rows, plural(s.info.Rows, "row", "rows"))
	return a, nil
}

// extremeFinding phrases which group has the highest value of a
// two-column (group, value) query.
func (e *Embedded) extremeFinding(ctx context.Context, cat Catalog, q, measure, group string) string {
	res, err := cat.Query(ctx, q, charts.MaxCategories+1)
	if err != nil || len(res.Rows) == 0 {
		return fmt.Sprintf("%s by %s.", measure, group)
	}
	best := res.Rows[0]
	for _, r := range res.Rows[1:] {
		a, _ := toFloat(r[1])
		b, _ := toFloat(best[1])
		if a > b {
			best = r
		}
	}
	return fmt.Sprintf("%s is highest for %s = %s (%s).", capitalize(measure), group, format(typed(best[0])), format(typed(best[1])))
}

// groupChart is the bar chart of a breakdown answer, or nil when it has
// too many groups to draw.
func groupChart(p *plan, q string, t *datasets.Result) *Chart {
	if t == nil || len(t.Rows) < 2 || len(t.Rows) > charts.MaxCategories || len(t.Columns) != 2 {
		return nil
	}
	y := aggName(p.Agg)
	if p.Target != "" {
		y += " of " + p.Target
	}
	if p.Agg == aggCount {
		y = "rows"
	}
	return &Chart{
		Spec: charts.Spec{Kind: charts.Bar, X: t.Columns[0], Y: t.Columns[1], Title: fmt.Sprintf("%s by %s", capitalize(y), t.Columns[0]), YLabel: capitalize(y)},
		Data: charts.Data{Columns: t.Columns, Types: t.Types, Rows: t.Rows},
		SQL:  q,
	}
}

// shareChart is the bar chart of a breakdown of shares: the percent of
// each group meeting the condition, with the group's row count beside it,
// or nil when it is not such a breakdown or has too many groups to draw.
func shareChart(ctx context.Context, cat Catalog, p *plan) *Chart {
	if p.Agg != "share" || len(p.Cond) == 0 {
		return nil
	}
	var conds []string
	for _, f := range p.Cond {
		conds = append(conds, fmt.Sprintf("%s = %s", f.Col, format(f.Value)))
	}
	cond := strings.Join(conds, " and ")
	name := p.GroupBy
	if p.GroupFunc != "" {
		name = p.GroupFunc
	}
	y := "percent"
	q := fmt.Sprintf("SELECT %s AS %s, round(100.0 * avg(CASE WHEN %s THEN 1 ELSE 0 END), 1) AS %s, count(*) AS rows FROM %s%s GROUP BY 1 ORDER BY 1 NULLS LAST",
		p.groupKey(), quoteIdent(name), andAll(p.Cond), y, quoteIdent(p.Table), where(p.Filters))
	res, err := cat.Query(ctx, q, charts.MaxCategories+1)
	if err != nil || len(res.Rows) < 2 || len(res.Rows) > charts.MaxCategories {
		return nil
	}
	return &Chart{
		Spec: charts.Spec{Kind: charts.Bar, X: name, Y: y, Title: fmt.Sprintf("Percent with %s by %s", cond, name), YLabel: cond + " (%)"},
		Data: charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows},
		SQL:  q,
	}
}
