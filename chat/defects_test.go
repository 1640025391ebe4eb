package chat

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func openSQL(t *testing.T, name, selectSQL string) *duckCatalog {
	t.Helper()
	c, err := openDuckSQL(t.Context(), name, selectSQL)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// TestRankCountNotTie checks that ranking row counts per group groups by
// the asked column and claims a tie only when the top counts are equal.
func TestRankCountNotTie(t *testing.T) {
	c := openTitanic(t)
	e := NewEmbedded()
	a := ask(t, e, c, "which port had the most passengers?")
	require.Equal(t, "S", a.Value, a.Text)
	require.Contains(t, a.Text, "644")

	// A name column holds one row each: no ranking by it, and no tie.
	crew := openSQL(t, "crew", `SELECT 'sailor ' || i AS sailor_name, CASE WHEN i % 3 = 0 THEN 'cook' ELSE 'deckhand' END AS duty
		FROM range(30) t(i)`)
	a = ask(t, e, crew, "which ship had the most sailors?")
	require.Nil(t, a.Value, a.Text)
	require.NotContains(t, a.Text, "tie")
	a = ask(t, e, crew, "which duty has the most rows?")
	require.Equal(t, "deckhand", a.Value, a.Text)

	tied := openSQL(t, "shifts", `SELECT CASE WHEN i % 2 = 0 THEN 'day' ELSE 'night' END AS shift FROM range(10) t(i)`)
	a = ask(t, e, tied, "which shift has the most rows?")
	require.Nil(t, a.Value, a.Text)
	require.Contains(t, a.Text, "tie")
}

// TestCountAgreement checks singular and plural agreement in count answers.
func TestCountAgreement(t *testing.T) {
	c := openSQL(t, "kennel", `SELECT i AS dog_id, CASE WHEN i = 0 THEN 'collie' WHEN i < 3 THEN 'beagle' ELSE 'pug' END AS breed FROM range(6) t(i)`)
	e := NewEmbedded()
	for _, tc := range []struct{ q, want string }{
		{"how many dogs are collie?", "There is **1** row where"},
		{"how many dogs are beagle?", "There are **2** rows where"},
		{"how many rows are there?", "There are **6** rows."},
	} {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			require.Contains(t, a.Text, tc.want)
		})
	}
	require.Equal(t, "1 row", "1 "+plural(int64(1), "row", "rows"))
	require.Equal(t, "0 rows", "0 "+plural(0.0, "row", "rows"))
}

// TestDistinctTextIDs checks that distinct counts of numeric-looking text
// count the text as written, not its value as a number.
func TestDistinctTextIDs(t *testing.T) {
	c := openSQL(t, "parcels", `SELECT * FROM (VALUES ('007', 'red'), ('7', 'red'), ('0070', 'blue'), ('70', 'blue'), ('NA', 'red'), ('7', 'blue')) v(tracking_code, colour)`)
	e := NewEmbedded()
	a := ask(t, e, c, "how many distinct tracking codes are there?")
	require.Equal(t, int64(4), a.Value, a.Text)
	require.NotContains(t, a.SQL, "TRY_CAST")
}

// TestAnaphoraKeepsFilters checks that "of them", "those" and "among
// them" keep the previous question's filters.
func TestAnaphoraKeepsFilters(t *testing.T) {
	c := openTitanic(t)
	e := NewEmbedded()
	a := ask(t, e, c, "How many passengers survived?", "There are **342** rows where `Survived` = 1.", "how many of them were men?")
	require.Equal(t, int64(109), a.Value, a.Text)

	g := openSQL(t, "garden", `SELECT i AS plant_id, CASE WHEN i % 2 = 0 THEN 'rose' ELSE 'tulip' END AS species,
		CASE WHEN i % 3 = 0 THEN 'red' ELSE 'white' END AS colour, i * 2.0 AS height_cm FROM range(12) t(i)`)
	for _, tc := range []struct {
		follow string
		want   any
	}{
		{"how many of them are red?", int64(2)}, // roses 0,2,4,6,8,10; red 0,6
		{"among them, how many are white?", int64(4)},
		{"what is the average height of those?", 10.0},
	} {
		t.Run(tc.follow, func(t *testing.T) {
			a := ask(t, e, g, "how many plants are rose?", "There are **6** rows where `species` = rose.", tc.follow)
			sameValue(t, tc.want, a.Value, a.Text)
		})
	}
	// Without an earlier question the words are ignored.
	a = ask(t, e, g, "how many of them are red?")
	sameValue(t, int64(4), a.Value, a.Text)
}

// TestCompareValues checks that comparing values of one column gives one
// figure per value, never one pooled figure or contradictory filters.
func TestCompareValues(t *testing.T) {
	c := openSQL(t, "runners", `SELECT i AS runner_id, CASE WHEN i % 2 = 0 THEN 'junior' WHEN i % 3 = 0 THEN 'senior' ELSE 'veteran' END AS category,
		i % 4 = 0 AS finished, 30.0 + i AS minutes FROM range(24) t(i)`)
	e := NewEmbedded()
	byCat := `SELECT avg(minutes) FROM runners WHERE category IN ('junior', 'senior') GROUP BY category ORDER BY category`
	for _, tc := range []struct{ q, ref string }{
		{"average minutes of junior vs senior", byCat},
		{"compare the average minutes of junior and senior", byCat},
		{"average minutes for junior versus senior runners", byCat},
		{"how many finishers and non-finishers", `SELECT count(*) FROM runners GROUP BY finished ORDER BY finished`},
		{"mean minutes of finishers vs non-finishers", `SELECT avg(minutes) FROM runners GROUP BY finished ORDER BY finished`},
	} {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			require.True(t, a.Confident, a.Text)
			sameValue(t, refValue(t, c, tc.ref, true), a.Value, a.Text)
			require.NotRegexp(t, "`(category|finished)` = [a-z0-9]+ and `(category|finished)`", a.Text)
		})
	}
	// Alternatives joined with or stay one pooled figure.
	a := ask(t, e, c, "average minutes of junior or senior")
	sameValue(t, refValue(t, c, `SELECT avg(minutes) FROM runners WHERE category IN ('junior', 'senior')`, false), a.Value, a.Text)
	require.Contains(t, a.Text, "`category` = junior or senior")
	// "and" with a word that adds them up is one pooled figure too.
	a = ask(t, e, c, "what are the total minutes of junior and senior combined?")
	sameValue(t, refValue(t, c, `SELECT sum(minutes) FROM runners WHERE category IN ('junior', 'senior')`, false), a.Value, a.Text)

	ti := openTitanic(t)
	a = ask(t, e, ti, "average age of survivors vs non-survivors")
	sameValue(t, refValue(t, ti, `SELECT avg(Age) FROM titanic GROUP BY Survived ORDER BY Survived`, true), a.Value, a.Text)
}

// TestChartRequests checks that an explicit chart request charts the
// asked breakdown, not an overview.
func TestChartRequests(t *testing.T) {
	c := openSQL(t, "bakery", `SELECT i AS sale_id, CASE WHEN i % 3 = 0 THEN 'bread' WHEN i % 3 = 1 THEN 'cake' ELSE 'pie' END AS product,
		1.5 * (i % 7) AS price, i % 2 = 0 AS returned FROM range(30) t(i)`)
	e := NewEmbedded()
	avgPrice := `SELECT avg(price) FROM bakery GROUP BY product ORDER BY product`
	for _, tc := range []struct{ q, ref string }{
		{"plot price by product", avgPrice},
		{"show average price by product as a bar chart", avgPrice},
		{"chart the average price per product", avgPrice},
		{"show returned by product as a chart", `SELECT avg(CASE WHEN returned THEN 1.0 ELSE 0 END) FROM bakery GROUP BY product ORDER BY product`},
		{"graph the return rate by product", `SELECT avg(CASE WHEN returned THEN 1.0 ELSE 0 END) FROM bakery GROUP BY product ORDER BY product`},
		{"plot sales by product", `SELECT count(*) FROM bakery GROUP BY product ORDER BY product`},
	} {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			require.True(t, a.Confident, a.Text)
			sameValue(t, refValue(t, c, tc.ref, true), a.Value, a.Text)
			require.Len(t, a.Charts, 1, a.Text)
			require.Equal(t, "product", a.Charts[0].Spec.X)
			require.NotEmpty(t, a.Charts[0].SQL)
			require.Len(t, a.Charts[0].Data.Rows, 3)
		})
	}
	// No breakdown named: the overview stays.
	a := ask(t, e, c, "show me some charts")
	require.NotEmpty(t, a.Charts)
	require.Contains(t, a.Text, "charts of")
}

// TestByMonthAcrossYears checks that "by month" keeps years apart when the
// data spans several, unless the month of the year is asked for.
func TestByMonthAcrossYears(t *testing.T) {
	c := openSQL(t, "deliveries", `SELECT DATE '2021-11-01' + INTERVAL (i * 10) DAY AS delivered_on, 1.0 * i AS weight FROM range(60) t(i)`)
	e := NewEmbedded()
	a := ask(t, e, c, "how many rows by month?")
	sameValue(t, refValue(t, c, `SELECT count(*) FROM deliveries GROUP BY strftime(delivered_on, '%Y-%m') ORDER BY 1`, true), a.Value, a.SQL)
	require.Contains(t, a.SQL, "%Y-%m")
	require.Contains(t, a.Text, "2022-01")

	for _, q := range []string{"how many rows by month of the year?", "how many rows by calendar month?"} {
		a = ask(t, e, c, q)
		sameValue(t, refValue(t, c, `SELECT count(*) FROM deliveries GROUP BY month(delivered_on) ORDER BY month(delivered_on)`, true), a.Value, q+"\n"+a.Text)
	}

	one := openSQL(t, "visits", `SELECT DATE '2023-01-03' + INTERVAL (i * 5) DAY AS visit_day FROM range(50) t(i)`)
	a = ask(t, e, one, "number of rows by month")
	require.Contains(t, a.SQL, "month(")
	sameValue(t, refValue(t, one, `SELECT count(*) FROM visits GROUP BY month(visit_day) ORDER BY month(visit_day)`, true), a.Value, a.Text)
}

// TestUnitConversion checks that a unit named in the question converts
// the answer, and that an unknown or foreign unit abstains.
func TestUnitConversion(t *testing.T) {
	c := openSQL(t, "parcels", `SELECT i AS parcel_id, 0.5 + i AS weight_kg, 2.0 * i AS route_km, 30 + i AS transit_minutes,
		1.0 * i AS volume, CASE WHEN i % 2 = 0 THEN 'air' ELSE 'road' END AS mode FROM range(10) t(i)`)
	e := NewEmbedded()
	for _, tc := range []struct{ q, ref string }{
		{"average weight in grams", `SELECT avg(weight_kg) * 1000 FROM parcels`},
		{"what is the total route in metres?", `SELECT sum(route_km) * 1000 FROM parcels`},
		{"average transit in hours", `SELECT avg(transit_minutes) / 60.0 FROM parcels`},
		{"maximum weight in kg", `SELECT max(weight_kg) FROM parcels`},
		{"average weight by mode in grams", `SELECT avg(weight_kg) * 1000 FROM parcels GROUP BY mode ORDER BY mode`},
	} {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			require.True(t, a.Confident, a.Text)
			list := strings.Contains(tc.q, " by ")
			want := refValue(t, c, tc.ref, list)
			if !list {
				wf, _ := toFloat(want)
				gf, ok := toFloat(a.Value)
				require.True(t, ok, a.Text)
				require.InDelta(t, wf, gf, 1e-9, a.Text)
				return
			}
			sameValue(t, want, a.Value, a.Text)
		})
	}
	for _, q := range []string{"average volume in litres", "average volume in grams", "average weight in hours", "how many parcels in thousands"} {
		t.Run(q, func(t *testing.T) {
			a := ask(t, e, c, q)
			require.Nil(t, a.Value, a.Text)
		})
	}
}
