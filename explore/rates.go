package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"datachat/charts"
	"datachat/chat"
)

// Rate candidates.
const (
	maxRatePairs  = 24   // outcome and category pairs examined
	minGroupShare = 0.01 // groups smaller than this share of the rows (or minRows) are left out
	minRateGap    = 0.05 // the highest and lowest rates must differ by this much
	minRateZ      = 3.0  // significance of the chi-square test, as a normal deviate
)

// group is one category's rows with a known outcome.
type group struct {
	value    any
	n        int64
	fraction float64 // of the rows with the positive outcome
}

// rateCandidates scores the rate of every binary outcome across every
// categorical column, one query per pair (the chart's own query).
func (t *table) rateCandidates(ctx context.Context, cat chat.Catalog) ([]*candidate, error) {
	var outcomes, cats []*column
	for _, c := range t.cols {
		if c.outcome && literal(c.positive) != "" {
			outcomes = append(outcomes, c)
		}
		if c.category() {
			cats = append(cats, c)
		}
	}
	var out []*candidate
	pairs := 0
	for _, o := range outcomes {
		for _, by := range cats {
			if by == o {
				continue
			}
			if pairs++; pairs > maxRatePairs {
				return out, nil
			}
			ch, score, err := t.rateChart(ctx, cat, o, by)
			if err != nil {
				return nil, err
			}
			if ch != nil {
				out = append(out, &candidate{kind: candRate, cols: []string{o.name, by.name}, score: score, chart: ch})
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
// percent, for groups of at least minGroup rows, and scores it. It returns
// a nil chart when the rates do not differ enough.
func (t *table) rateChart(ctx context.Context, cat chat.Catalog, o, by *column) (*chat.Chart, float64, error) {
	oq, bq := quoteIdent(o.name), quoteIdent(by.name)
	rate := alias("rate_pct", by.name)
	n := alias("n", by.name, rate)
	sql := fmt.Sprintf(`SELECT coalesce(CAST(%s AS VARCHAR), '(missing)') AS %s, round(100.0 * count_if(%s = %s) / count(*), 1) AS %s, count(*) AS %s
FROM %s WHERE %s IS NOT NULL GROUP BY 1 HAVING count(*) >= %d ORDER BY 2 DESC, 1`,
		bq, bq, oq, literal(o.positive), quoteIdent(rate), quoteIdent(n), quoteIdent(t.name), oq, minGroup(o.nonNull))
	data, err := query(ctx, cat, sql, 2*maxLowCard, false)
	if err != nil {
		if errors.Is(err, errNoChart) {
			return nil, 0, nil
		}
		return nil, 0, fmt.Errorf("rate of %s by %s: %w", o.name, by.name, err)
	}
	groups := make([]group, 0, len(data.Rows))
	for _, r := range data.Rows {
		rate, _ := toFloat(r[1])
		groups = append(groups, group{value: r[0], n: toInt(r[2]), fraction: rate / 100})
	}
	score := rateScore(groups, o.nonNull)
	if score == 0 {
		return nil, 0, nil
	}
	first, last := groups[0], groups[len(groups)-1]
	noun, yLabel := rateNoun(o)
	finding := fmt.Sprintf("%s is %s for %s vs %s for %s.", noun, pct(first.fraction), groupLabel(by, first.value),
		pct(last.fraction), groupLabel(by, last.value))
	return &chat.Chart{
		Spec: charts.Spec{
			Kind:   charts.Bar,
			Title:  fmt.Sprintf("%s by %s", noun, by.name),
			X:      by.name,
			Y:      rate,
			YLabel: yLabel,
		},
		Data:    data,
		Finding: finding,
		SQL:     sql,
	}, score, nil
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
