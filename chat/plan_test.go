package chat

import (
	"context"
	"testing"

	"datachat/datasets"

	"github.com/stretchr/testify/require"
)

// TestPlanShapes checks the planner's structured output, apart from SQL
// and phrasing.
func TestPlanShapes(t *testing.T) {
	c := openTitanic(t)
	s, err := profile(t.Context(), c, c.tables[0], 2000)
	require.NoError(t, err)
	for _, tc := range []struct {
		q    string
		want plan
	}{
		{"How many rows are there?", plan{Intent: intentAggregate, Agg: aggCount, Single: true}},
		{"What is the average age of female passengers?", plan{Intent: intentAggregate, Agg: aggAvg, Target: "Age",
			Filters: []filter{{Col: "Sex", Op: "=", Value: "female"}}, Single: true}},
		{"Average fare per class for survivors", plan{Intent: intentGroup, Agg: aggAvg, Target: "Fare", GroupBy: "Pclass",
			Filters: []filter{{Col: "Survived", Op: "=", Value: int64(1)}}}},
		{"Which sex has the most passengers?", plan{Intent: intentGroup, Agg: aggCount, GroupBy: "Sex", OrderAgg: true, Desc: true,
			Limit: 1, Single: true, GroupOnly: true}},
		{"List the names of the 2 oldest passengers in 3rd class", plan{Intent: intentRows, Select: []string{"Name"}, OrderBy: "Age",
			Desc: true, Limit: 2, Filters: []filter{{Col: "Pclass", Op: "=", Value: 3.0}}}},
		{"Are there passengers older than 70 with a missing cabin?", plan{Intent: intentExists, Filters: []filter{
			{Col: "Age", Op: ">", Value: 70.0}, {Col: "Cabin", Op: "null", text: true}}, Single: true}},
		{"Total fare paid by the survivors", plan{Intent: intentAggregate, Agg: aggSum, Target: "Fare",
			Filters: []filter{{Col: "Survived", Op: "=", Value: int64(1)}}, Single: true}},
		{"Mean fare grouped by sex", plan{Intent: intentGroup, Agg: aggAvg, Target: "Fare", GroupBy: "Sex"}},
		{"What is the population of Mars?", plan{Intent: intentAbstain}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			p := planQuestion(t.Context(), s, tc.q)
			if tc.want.Intent == intentAbstain {
				require.Equal(t, intentAbstain, p.Intent)
				require.NotEmpty(t, p.Reason)
				return
			}
			for i := range p.Filters {
				p.Filters[i].pos = 0
			}
			got := *p
			got.schema, got.Table = nil, ""
			require.Equal(t, tc.want, got)
		})
	}
}

// labelled adds variable labels to a catalog's columns, as Stata or SPSS
// files carry them.
type labelled struct {
	*duckCatalog
	labels map[string]string
}

func (l labelled) Tables(ctx context.Context) []datasets.TableInfo {
	var out []datasets.TableInfo
	for _, t := range l.duckCatalog.Tables(ctx) {
		cols := append([]datasets.ColumnInfo(nil), t.Columns...)
		for i := range cols {
			cols[i].Label = l.labels[cols[i].Name]
		}
		t.Columns = cols
		out = append(out, t)
	}
	return out
}

func TestLabels(t *testing.T) {
	raw, err := openDuckSQL(t.Context(), "survey", `SELECT i AS id, 20000 + i * 100 AS q17, i % 4 AS q3,
		CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END AS v9 FROM range(200) t(i)`)
	require.NoError(t, err)
	t.Cleanup(raw.Close)
	c := labelled{raw, map[string]string{"q17": "Household income", "q3": "Number of children", "v9": "Area type"}}
	e := NewEmbedded()
	a := ask(t, e, c, "What is the average household income?")
	sameValue(t, refValue(t, raw, `SELECT avg(q17) FROM survey`, false), a.Value, a.Text)
	a = ask(t, e, c, "What is the median household income in urban areas?")
	sameValue(t, refValue(t, raw, `SELECT median(q17) FROM survey WHERE v9 = 'urban'`, false), a.Value, a.Text)
	a = ask(t, e, c, "What does q3 mean?")
	require.Equal(t, "Number of children", a.Value)
	a = ask(t, e, c, "What is the maximum number of children?")
	sameValue(t, refValue(t, raw, `SELECT max(q3) FROM survey`, false), a.Value, a.Text)
	for _, q := range Suggestions(c.Tables(t.Context())) {
		a := ask(t, e, c, q)
		require.NotNil(t, a.Value, "suggestion %q: %s", q, a.Text)
	}
}
