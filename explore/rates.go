package explore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"datachat/charts"
	"datachat/chat"
)

// Rate and mean candidates.
const (
	maxGroupColumns  = 12   // categorical columns examined
	maxGroupMeasures = 10   // measures whose means are compared across groups
	minGroupShare    = 0.01 // groups smaller than this share of the rows (or minRows) are left out
	minRateGap       = 0.05 // the highest and lowest rates must differ by this much
	minRateZ         = 3.0  // significance of the chi-square test, as a normal deviate
)

// group is one category's rows with a known outcome.
type group struct {
	value    any
	n        int64
	fraction float64 // of the rows with the positive outcome
}

// groupCandidates splits the rows by every categorical column, one query
// per column, and scores the rate of every binary outcome and the mean of
// every measure across the groups.
func (t *table) groupCandidates(ctx context.Context, cat chat.Catalog) ([]*candidate, error) {
	var outcomes, measures, cats []*column
	for _, c := range t.cols {
		switch {
		case c.outcome && literal(c.positive) != "":
			outcomes = append(outcomes, c)
		case c.measure() && len(measures) < maxGroupMeasures:
			measures = append(measures, c)
		}
		if c.category() && len(cats) < maxGroupColumns {
			cats = append(cats, c)
		}
	}
	if len(outcomes)+len(measures) == 0 {
		return nil, nil
	}
	var out []*candidate
	for _, by := range cats {
		var exprs []string
		var os []*column
		for _, o := range outcomes {
			if o != by {
				q := quoteIdent(o.name)
				exprs = append(exprs, fmt.Sprintf("count(%s)", q), fmt.Sprintf("count_if(%s = %s)", q, literal(o.positive)))
				os = append(os, o)
			}
		}
		for _, m := range measures {
			d := quoteIdent(m.name) + "::DOUBLE"
			exprs = append(exprs, fmt.Sprintf("count(%s)", d), fmt.Sprintf("avg(%s)", d), fmt.Sprintf("var_pop(%s)", d))
		}
		if len(exprs) == 0 {
			continue
		}
		sql := fmt.Sprintf("SELECT %s, %s FROM %s GROUP BY 1", quoteIdent(by.name), strings.Join(exprs, ", "), quoteIdent(t.name))
		res, err := cat.Query(ctx, sql, 2*maxLowCard)
		if err != nil {
			return nil, fmt.Errorf("groups of %s: %w", by.name, err)
		}
		for i, o := range os {
			floor := minGroup(o.nonNull)
			var groups []group
			for _, r := range res.Rows {
				n, yes := toInt(r[1+2*i]), toInt(r[2+2*i])
				if n >= floor {
					groups = append(groups, group{value: r[0], n: n, fraction: float64(yes) / float64(n)})
				}
			}
			if score := rateScore(groups, o.nonNull); score > 0 {
				out = append(out, &candidate{
					kind:  candRate,
					cols:  []string{o.name, by.name},
					score: score,
					build: func(ctx context.Context) (*chat.Chart, error) { return t.rateChart(ctx, cat, o, by) },
				})
			}
		}
		base := 1 + 2*len(os)
		for i, m := range measures {
			floor := minGroup(m.nonNull)
			var groups []meanGroup
			for _, r := range res.Rows {
				j := base + 3*i
				n := toInt(r[j])
				mean, ok1 := toFloat(r[j+1])
				v, ok2 := toFloat(r[j+2])
				if n >= floor && ok1 && ok2 {
					groups = append(groups, meanGroup{n: n, mean: mean, variance: v})
				}
			}
			if score := meanScore(groups, m.nonNull); score > 0 {
				out = append(out, &candidate{
					kind:  candMean,
					cols:  []string{m.name, by.name},
					score: score,
					build: func(ctx context.Context) (*chat.Chart, error) { return t.meanChart(ctx, cat, m, by) },
				})
			}
		}
	}
	return out, nil
}

// minGroup is the fewest rows a group needs to be shown in a rate chart.
func minGroup(total int64) int64 {
	return max(minRows, int64(math.Ceil(minGroupShare*float64(total))))
}

// rateScore scores one outcome by one category: the correlation ratio of
// the outcome and the groups big enough to count, times the share of the
// rows those groups cover; 0 when the difference is small or could be
// chance.
func rateScore(groups []group, total int64) float64 {
	if len(groups) < 2 || total == 0 {
		return 0
	}
	var n, yes float64
	for _, g := range groups {
		n += float64(g.n)
		yes += g.fraction * float64(g.n)
	}
	p := yes / n
	if p <= 0 || p >= 1 {
		return 0
	}
	between := 0.0
	lo, hi := 1.0, 0.0
	for _, g := range groups {
		between += float64(g.n) * (g.fraction - p) * (g.fraction - p)
		lo, hi = min(lo, g.fraction), max(hi, g.fraction)
	}
	eta2 := between / (n * p * (1 - p))
	chi2 := n * eta2 // Pearson's chi-square of the 2×k table
	if hi-lo < minRateGap || chiSquareZ(chi2, len(groups)-1) < minRateZ {
		return 0
	}
	return 0.3 + math.Sqrt(eta2)*n/float64(total)
}

// chiSquareZ converts a chi-square statistic with df degrees of freedom to
// an approximate standard normal deviate (Wilson and Hilferty, 1931).
func chiSquareZ(chi2 float64, df int) float64 {
	k := float64(df)
	if k <= 0 || chi2 <= 0 {
		return 0
	}
	v := 2 / (9 * k)
	return (math.Cbrt(chi2/k) - (1 - v)) / math.Sqrt(v)
}

// rateChart queries the rate of o's positive value per value of by, in
// percent, for groups of at least minGroup rows.
func (t *table) rateChart(ctx context.Context, cat chat.Catalog, o, by *column) (*chat.Chart, error) {
	oq, bq := quoteIdent(o.name), quoteIdent(by.name)
	rate := alias("rate_pct", by.name)
	n := alias("n", by.name, rate)
	sql := fmt.Sprintf(`SELECT coalesce(CAST(%s AS VARCHAR), '(missing)') AS %s, round(100.0 * count_if(%s = %s) / count(*), 1) AS %s, count(*) AS %s
FROM %s WHERE %s IS NOT NULL GROUP BY 1 HAVING count(*) >= %d ORDER BY 2 DESC, 1`,
		bq, bq, oq, literal(o.positive), quoteIdent(rate), quoteIdent(n), quoteIdent(t.name), oq, minGroup(o.nonNull))
	data, err := query(ctx, cat, sql, 2*maxLowCard, false)
	if err != nil {
		return nil, err
	}
	if len(data.Rows) < 2 {
		return nil, errNoChart
	}
	first, last := data.Rows[0], data.Rows[len(data.Rows)-1]
	hi, _ := toFloat(first[1])
	lo, _ := toFloat(last[1])
	noun, yLabel := rateNoun(o)
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Bar,
			Title:  fmt.Sprintf("%s by %s", noun, by.name),
			X:      by.name,
			Y:      rate,
			YLabel: yLabel,
		},
		Data:    data,
		Finding: fmt.Sprintf("%s is %s for %s vs %s for %s.", noun, pct(hi/100), groupLabel(by, first[0]), pct(lo/100), groupLabel(by, last[0])),
		SQL:     sql,
	}, nil
}

// groupLabel names one category in a finding: text as it is ("female"),
// anything else after the column name ("Pclass 1").
func groupLabel(by *column, v any) string {
	s := label(v)
	switch {
	case s == "(missing)":
		return "missing " + by.name
	case by.kind == kindText:
		return s
	}
	return by.name + " " + s
}

// nounForms turn an outcome's verb or adjective into the noun of its rate.
var nounForms = map[string]string{
	"survived": "survival", "died": "death", "churned": "churn", "converted": "conversion",
	"defaulted": "default", "approved": "approval", "accepted": "acceptance", "passed": "pass",
	"failed": "failure", "purchased": "purchase", "clicked": "click", "subscribed": "subscription",
	"retained": "retention", "responded": "response", "admitted": "admission", "readmitted": "readmission",
	"cancelled": "cancellation", "canceled": "cancellation", "won": "win", "lost": "loss",
	"completed": "completion", "returned": "return", "attended": "attendance", "delayed": "delay",
	"married": "marriage", "employed": "employment", "enrolled": "enrolment", "vaccinated": "vaccination",
}

// genericYes are positive values that say nothing by themselves.
var genericYes = map[string]bool{"yes": true, "y": true, "true": true, "t": true, "1": true, "on": true}

// rateNoun names the rate of an outcome ("Survival rate") and its axis
// title ("Survived (%)").
func rateNoun(o *column) (noun, axis string) {
	pos := label(o.positive)
	if !genericYes[strings.ToLower(pos)] {
		if yesWords[strings.ToLower(pos)] {
			// A telling value (survived/died): name the rate after it.
			return capitalize(wordsNoun([]string{strings.ToLower(pos)})) + " rate", capitalize(pos) + " (%)"
		}
		return fmt.Sprintf("Share of %s %s", o.name, pos), fmt.Sprintf("%s = %s (%%)", o.name, pos)
	}
	words := splitWords(o.name)
	for len(words) > 1 && (words[0] == "is" || words[0] == "has" || words[0] == "was" || words[0] == "did" || words[0] == "had") {
		words = words[1:]
	}
	if len(words) == 0 {
		return o.name + " rate", o.name + " (%)"
	}
	return capitalize(wordsNoun(words)) + " rate", o.name + " (%)"
}

func wordsNoun(words []string) string {
	words = slices.Clone(words)
	if n, ok := nounForms[words[len(words)-1]]; ok {
		words[len(words)-1] = n
	}
	return strings.Join(words, " ")
}
