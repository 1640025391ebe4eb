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

// Rate candidates.
const (
	maxRateColumns = 20   // categorical columns examined
	minGroupShare  = 0.01 // groups smaller than this share of the rows (or minRows) are left out
	minRateGap     = 0.05 // the highest and lowest rates must differ by this much
	minRateZ       = 3.0  // significance of the chi-square test, as a normal deviate
)

// group is one category's rows with a known outcome.
type group struct {
	value    any
	n, yes   int64
	fraction float64
}

// rateCandidates scores the rate of every binary outcome across every
// categorical column, one query per categorical column.
func (t *table) rateCandidates(ctx context.Context, cat chat.Catalog) ([]*candidate, error) {
	var outcomes, cats []*column
	for _, c := range t.cols {
		if c.outcome {
			outcomes = append(outcomes, c)
		}
		if c.category() && len(cats) < maxRateColumns {
			cats = append(cats, c)
		}
	}
	if len(outcomes) == 0 {
		return nil, nil
	}
	var out []*candidate
	for _, by := range cats {
		var exprs []string
		var os []*column
		for _, o := range outcomes {
			if o == by || literal(o.positive) == "" {
				continue
			}
			q := quoteIdent(o.name)
			exprs = append(exprs, fmt.Sprintf("count(%s)", q), fmt.Sprintf("count_if(%s = %s)", q, literal(o.positive)))
			os = append(os, o)
		}
		if len(os) == 0 {
			continue
		}
		sql := fmt.Sprintf("SELECT %s, %s FROM %s GROUP BY 1", quoteIdent(by.name), strings.Join(exprs, ", "), quoteIdent(t.name))
		res, err := cat.Query(ctx, sql, 2*maxLowCard)
		if err != nil {
			return nil, fmt.Errorf("rates by %s: %w", by.name, err)
		}
		for i, o := range os {
			groups := make([]group, 0, len(res.Rows))
			for _, r := range res.Rows {
				groups = append(groups, group{value: r[0], n: toInt(r[1+2*i]), yes: toInt(r[2+2*i])})
			}
			if c := t.rateCandidate(cat, o, by, groups); c != nil {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// minGroup is the fewest rows a group needs to be shown in a rate chart.
func minGroup(total int64) int64 {
	return max(minRows, int64(math.Ceil(minGroupShare*float64(total))))
}

// rateCandidate scores one outcome by one category: the correlation ratio
// of the outcome and the groups big enough to count, times the share of
// the rows those groups cover, if the difference is significant.
func (t *table) rateCandidate(cat chat.Catalog, o, by *column, groups []group) *candidate {
	var total int64
	for _, g := range groups {
		total += g.n
	}
	floor := minGroup(total)
	kept := slices.DeleteFunc(groups, func(g group) bool { return g.n < floor })
	if len(kept) < 2 {
		return nil
	}
	var n, yes int64
	for i := range kept {
		n += kept[i].n
		yes += kept[i].yes
		kept[i].fraction = float64(kept[i].yes) / float64(kept[i].n)
	}
	p := float64(yes) / float64(n)
	if p == 0 || p == 1 {
		return nil
	}
	between := 0.0
	lo, hi := 1.0, 0.0
	for _, g := range kept {
		between += float64(g.n) * (g.fraction - p) * (g.fraction - p)
		lo, hi = min(lo, g.fraction), max(hi, g.fraction)
	}
	eta2 := between / (float64(n) * p * (1 - p))
	chi2 := float64(n) * eta2 // Pearson's chi-square of the 2×k table
	if hi-lo < minRateGap || chiSquareZ(chi2, len(kept)-1) < minRateZ {
		return nil
	}
	coverage := float64(n) / float64(total)
	return &candidate{
		kind:  candRate,
		cols:  []string{o.name, by.name},
		score: 0.3 + math.Sqrt(eta2)*coverage,
		build: func(ctx context.Context) (*chat.Chart, error) { return t.rateChart(ctx, cat, o, by, floor) },
	}
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
// percent, for groups of at least floor rows.
func (t *table) rateChart(ctx context.Context, cat chat.Catalog, o, by *column, floor int64) (*chat.Chart, error) {
	oq, bq := quoteIdent(o.name), quoteIdent(by.name)
	sql := fmt.Sprintf(`SELECT coalesce(CAST(%s AS VARCHAR), '(missing)') AS %s, round(100.0 * count_if(%s = %s) / count(*), 1) AS rate_pct, count(*) AS n
FROM %s WHERE %s IS NOT NULL GROUP BY 1 HAVING count(*) >= %d ORDER BY rate_pct DESC, 1`,
		bq, bq, oq, literal(o.positive), quoteIdent(t.name), oq, floor)
	data, err := query(ctx, cat, sql, 2*maxLowCard)
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
	finding := fmt.Sprintf("%s is %s for %s vs %s for %s.", noun, pct(hi/100), groupLabel(by, first[0]), pct(lo/100), groupLabel(by, last[0]))
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Bar,
			Title:  fmt.Sprintf("%s by %s", noun, by.name),
			X:      by.name,
			Y:      "rate_pct",
			XLabel: by.name,
			YLabel: yLabel,
		},
		Data:    data,
		Finding: finding,
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
