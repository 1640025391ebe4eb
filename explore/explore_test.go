package explore

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
	"datachat/datasets/fetch"
)

// loadTable loads the file at path into a fresh session catalog through the
// real fetcher and returns the catalog and the table name.
func loadTable(t testing.TB, path string) (*datasets.Catalog, string) {
	t.Helper()
	ctx := context.Background()
	path, err := filepath.Abs(path)
	require.NoError(t, err)
	dir := filepath.Dir(path)
	f, err := fetch.New(fetch.Config{AllowDirs: []string{dir}, CacheDir: t.TempDir()})
	require.NoError(t, err)
	m, err := datasets.NewManager(datasets.Config{StagingRoot: t.TempDir(), ReadDirs: []string{dir}, Fetcher: datasets.Guarded(f)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	cat, err := m.Catalog(ctx, "s")
	require.NoError(t, err)
	tables, err := cat.Load(ctx, path, datasets.LoadOptions{})
	require.NoError(t, err)
	require.Len(t, tables, 1)
	return cat, tables[0].Name
}

// writeCSV writes a CSV file with a header and rows made by row(i).
func writeCSV(t testing.TB, name, header string, n int, row func(i int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range n {
		b.WriteString(row(i) + "\n")
	}
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// renderAll checks that every chart renders as a PNG and as a Vega-Lite
// spec, and writes the PNGs to $EXPLORE_PNG_DIR when it is set.
func renderAll(t *testing.T, cs []chat.Chart) {
	t.Helper()
	dir := os.Getenv("EXPLORE_PNG_DIR")
	for i, c := range cs {
		png, err := charts.Render(t.Context(), c.Spec, c.Data, "png")
		require.NoError(t, err, "render %q", c.Spec.Title)
		require.Equal(t, "\x89PNG", string(png[:4]))
		_, err = charts.VegaLite(c.Spec, c.Data)
		require.NoError(t, err, "vega-lite %q", c.Spec.Title)
		if dir != "" {
			name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
			require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_%d.png", name, i+1)), png, 0o644))
		}
	}
}

// rates reads the rate column of a rate chart by category.
func rates(t *testing.T, c chat.Chart) map[string]float64 {
	t.Helper()
	xi, yi := -1, -1
	for i, name := range c.Data.Columns {
		switch name {
		case c.Spec.X:
			xi = i
		case c.Spec.Y:
			yi = i
		}
	}
	require.True(t, xi >= 0 && yi >= 0, "columns %v", c.Data.Columns)
	out := map[string]float64{}
	for _, r := range c.Data.Rows {
		v, ok := toFloat(r[yi])
		require.True(t, ok)
		out[fmt.Sprint(r[xi])] = v
	}
	return out
}

func logCharts(t *testing.T, cs []chat.Chart) {
	for i, c := range cs {
		t.Logf("%d. %s %q [%s] %s", i+1, c.Spec.Kind, c.Spec.Title, c.Spec.YLabel, c.Finding)
	}
}

func TestTitanic(t *testing.T) {
	cat, name := loadTable(t, "../testdata/titanic.csv")
	start := time.Now()
	cs, err := Visuals(t.Context(), cat, name, 5)
	require.NoError(t, err)
	t.Logf("Visuals took %s", time.Since(start))
	logCharts(t, cs)
	require.GreaterOrEqual(t, len(cs), 3)
	require.LessOrEqual(t, len(cs), 5)

	// The two strongest effects come first, in either order.
	byX := map[string]chat.Chart{}
	for _, c := range cs[:2] {
		require.Equal(t, charts.Bar, c.Spec.Kind)
		require.Equal(t, "rate_pct", c.Spec.Y)
		require.Equal(t, "Survived (%)", c.Spec.YLabel)
		byX[c.Spec.X] = c
	}
	require.Contains(t, byX, "Sex")
	require.Contains(t, byX, "Pclass")

	sex := rates(t, byX["Sex"])
	require.InDelta(t, 100*233.0/314, sex["female"], 0.06)
	require.InDelta(t, 100*109.0/577, sex["male"], 0.06)
	require.Equal(t, "Survival rate is 74% for female vs 19% for male.", byX["Sex"].Finding)
	require.Equal(t, "Survival rate by Sex", byX["Sex"].Spec.Title)

	class := rates(t, byX["Pclass"])
	require.InDelta(t, 100*136.0/216, class["1"], 0.06)
	require.InDelta(t, 100*87.0/184, class["2"], 0.06)
	require.InDelta(t, 100*119.0/491, class["3"], 0.06)
	require.Equal(t, "Survival rate is 63% for Pclass 1 vs 24% for Pclass 3.", byX["Pclass"].Finding)

	hist := false
	for _, c := range cs {
		if c.Spec.Kind == charts.Histogram && (c.Spec.X == "Age" || c.Spec.X == "Fare") {
			hist = true
		}
		require.NotEmpty(t, c.Finding)
		require.NotEmpty(t, c.SQL)
		require.NotEqual(t, "PassengerId", c.Spec.X)
	}
	require.True(t, hist, "a histogram of Age or Fare")

	for _, c := range cs {
		if c.Spec.Kind == charts.Histogram && c.Spec.X == "Fare" {
			require.Equal(t, "Fare is right-skewed: median 14.45, but up to 512.33.", c.Finding)
		}
	}

	renderAll(t, cs)
}

func TestTitanicDefaultMax(t *testing.T) {
	cat, name := loadTable(t, "../testdata/titanic.csv")
	cs, err := Visuals(t.Context(), cat, strings.ToUpper(name), 0)
	require.NoError(t, err)
	require.Len(t, cs, DefaultMax)
	one, err := Visuals(t.Context(), cat, name, 1)
	require.NoError(t, err)
	require.Len(t, one, 1)
	require.Equal(t, cs[0].Spec, one[0].Spec)
}

func TestUnknownTable(t *testing.T) {
	cat, _ := loadTable(t, "../testdata/titanic.csv")
	_, err := Visuals(t.Context(), cat, "nope", 4)
	require.ErrorContains(t, err, `unknown table "nope"`)
}

func TestTrend(t *testing.T) {
	// Orders over three years, half as many again at the end as at the
	// start, with amounts that do not trend.
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	path := writeCSV(t, "orders.csv", "order_date,amount,region", 6000, func(i int) string {
		// Inverse of the distribution function of a density growing
		// linearly from 2 to 3 over [0, 1].
		day := int((math.Sqrt(4+5*rng.Float64()) - 2) * 3 * 365)
		return fmt.Sprintf("%s,%.2f,%s", start.AddDate(0, 0, day).Format("2006-01-02"), 20+rng.Float64()*80,
			[]string{"north", "south", "east", "west"}[rng.IntN(4)])
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	require.Equal(t, charts.Line, cs[0].Spec.Kind)
	require.Equal(t, "order_date", strings.TrimPrefix(cs[0].Spec.Title, "Rows per month of "))
	require.Regexp(t, `^Rows per month rose about (4\d|5\d)% from Jan 2021 to Dec 2023 \(from about 1\d\d to 2\d\d\)\.$`, cs[0].Finding)
	require.Greater(t, len(cs[0].Data.Rows), 30)
	renderAll(t, cs)
}

func TestCorrelated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	path := writeCSV(t, "body.csv", "person_id,height_cm,weight_kg,shoe", 3000, func(i int) string {
		h := 150 + rng.NormFloat64()*10 + 20
		w := 0.9*h - 85 + rng.NormFloat64()*6
		return fmt.Sprintf("%d,%.1f,%.1f,%d", i+1, h, w, 36+rng.IntN(10))
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	require.Equal(t, charts.Scatter, cs[0].Spec.Kind)
	require.Equal(t, "height_cm", cs[0].Spec.X)
	require.Equal(t, "weight_kg", cs[0].Spec.Y)
	require.Contains(t, cs[0].Finding, "strongly correlated (r = 0.8")
	require.LessOrEqual(t, len(cs[0].Data.Rows), sampleRows)
	for _, c := range cs {
		require.NotEqual(t, "person_id", c.Spec.X, "identifiers are not charted")
	}
	renderAll(t, cs)
}

func TestDegenerate(t *testing.T) {
	tests := []struct {
		name, header string
		rows         int
		row          func(i int) string
		maxCharts    int
	}{
		{"all null", "a", 20, func(int) string { return "" }, 0},
		{"one row", "a,b,c", 1, func(int) string { return "1,x,2020-01-01" }, 0},
		{"constant", "a,b", 50, func(int) string { return "7,same" }, 0},
		{"ids only", "id,code_id", 100, func(i int) string { return fmt.Sprintf("%d,%d", i, 1000+i) }, 0},
		{"two rows", "x,y,flag", 2, func(i int) string { return fmt.Sprintf("%d,%d,%d", i, 2*i, i%2) }, 1},
		{"names", "name,city", 40, func(i int) string { return fmt.Sprintf("person %d,city %d", i, i) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCSV(t, "d.csv", tt.header, tt.rows, tt.row)
			cat, name := loadTable(t, path)
			cs, err := Visuals(t.Context(), cat, name, 4)
			require.NoError(t, err)
			logCharts(t, cs)
			require.LessOrEqual(t, len(cs), tt.maxCharts)
			renderAll(t, cs)
		})
	}
}

func TestOutcomeWords(t *testing.T) {
	// A yes/no outcome in text, by a category that matters and one that
	// does not.
	rng := rand.New(rand.NewPCG(5, 6))
	path := writeCSV(t, "churn.csv", "customer_id,plan,region,Churned", 2000, func(i int) string {
		plan := []string{"basic", "plus", "pro"}[i%3]
		p := map[string]float64{"basic": 0.4, "plus": 0.2, "pro": 0.05}[plan]
		churn := "No"
		if rng.Float64() < p {
			churn = "Yes"
		}
		return fmt.Sprintf("C%05d,%s,%s,%s", i, plan, []string{"n", "s"}[rng.IntN(2)], churn)
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	require.Equal(t, "Churn rate by plan", cs[0].Spec.Title)
	require.Regexp(t, `^Churn rate is \d+% for basic vs \d% for pro\.$`, cs[0].Finding)
	for _, c := range cs {
		require.NotEqual(t, "Churn rate by region", c.Spec.Title, "no significant difference by region")
	}
	renderAll(t, cs)
}

func TestCancelled(t *testing.T) {
	cat, name := loadTable(t, "../testdata/titanic.csv")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Visuals(ctx, cat, name, 4)
	require.Error(t, err)
}

func TestMeanTrendOverHours(t *testing.T) {
	// Sensor readings every minute for two days: a steady count per hour,
	// a temperature that climbs.
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(9, 10))
	path := writeCSV(t, "sensor.csv", "reading_id,taken_at,temperature", 2*24*60, func(i int) string {
		return fmt.Sprintf("%d,%s,%.2f", i+1, start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04:05"),
			15+float64(i)/200+rng.NormFloat64())
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	require.Equal(t, charts.Line, cs[0].Spec.Kind)
	require.Equal(t, "Mean temperature per hour of taken_at", cs[0].Spec.Title)
	require.Equal(t, "hour", cs[0].Spec.X)
	require.Len(t, cs[0].Data.Rows, 48)
	require.Regexp(t, `^Mean temperature per hour rose about \d+% from 2024-03-01 00:00 to 2024-03-02 23:00`, cs[0].Finding)
	renderAll(t, cs)
}

func TestBoolOutcomeAndAwkwardNames(t *testing.T) {
	// A boolean outcome by a category named "n", a column whose name has
	// quotes and spaces, and a text column of free-form names.
	rng := rand.New(rand.NewPCG(11, 12))
	path := writeCSV(t, "odd.csv", `n,"my ""odd"" col",is_late,name`, 1500, func(i int) string {
		grp := []string{"a", "b", "c"}[i%3]
		late := rng.Float64() < map[string]float64{"a": 0.1, "b": 0.5, "c": 0.9}[grp]
		return fmt.Sprintf("%s,%.3f,%t,person %d", grp, rng.ExpFloat64()*10, late, i)
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 5)
	require.NoError(t, err)
	logCharts(t, cs)
	require.GreaterOrEqual(t, len(cs), 2)
	require.Equal(t, "Late rate by n", cs[0].Spec.Title)
	require.Equal(t, "n", cs[0].Spec.X)
	require.NotEqual(t, cs[0].Spec.X, cs[0].Spec.Y)
	r := rates(t, cs[0])
	require.InDelta(t, 10, r["a"], 5)
	require.InDelta(t, 90, r["c"], 5)
	require.Regexp(t, `^Late rate is \d+% for c vs \d+% for a\.$`, cs[0].Finding)
	hist := false
	for _, c := range cs {
		hist = hist || (c.Spec.Kind == charts.Histogram && c.Spec.X == `my "odd" col`)
		require.NotEqual(t, "name", c.Spec.X)
	}
	require.True(t, hist, "a histogram of the quoted column")
	renderAll(t, cs)
}

func TestHugeValues(t *testing.T) {
	// DuckDB refuses the standard deviation of values near the largest
	// double; the other columns must still be explored.
	rng := rand.New(rand.NewPCG(13, 14))
	path := writeCSV(t, "huge.csv", "huge,normal,kind", 200, func(i int) string {
		return fmt.Sprintf("%g,%.3f,%s", 1.7e308*float64(1-2*(i%2)), rng.NormFloat64()*3+10, []string{"x", "y", "y", "z"}[i%4])
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	found := false
	for _, c := range cs {
		found = found || c.Spec.X == "normal"
	}
	require.True(t, found, "a chart of the normal column")
	renderAll(t, cs)
}

func TestTopValuesWithMissing(t *testing.T) {
	path := writeCSV(t, "pets.csv", "pet,age", 100, func(i int) string {
		pet := []string{"cat", "cat", "cat", "dog", "dog", "", "", "", "", "fish"}[i%10]
		return fmt.Sprintf("%s,%d", pet, i%17)
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	var top *chat.Chart
	for i := range cs {
		if cs[i].Spec.Title == "Most common pet values" {
			top = &cs[i]
		}
	}
	require.NotNil(t, top)
	require.Equal(t, "cat is the most common pet value (30%), then dog (20%); 40% of rows have no pet.", top.Finding)
	renderAll(t, cs)
}

func TestMeansByCategory(t *testing.T) {
	// Salaries that differ by department but not by office.
	rng := rand.New(rand.NewPCG(15, 16))
	path := writeCSV(t, "staff.csv", "department,office,salary", 900, func(i int) string {
		dept := []string{"sales", "engineering", "support"}[i%3]
		base := map[string]float64{"sales": 60000, "engineering": 95000, "support": 45000}[dept]
		return fmt.Sprintf("%s,%s,%.0f", dept, []string{"paris", "lyon"}[rng.IntN(2)], base+rng.NormFloat64()*8000)
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	require.NotEmpty(t, cs)
	require.Equal(t, "Mean salary by department", cs[0].Spec.Title)
	require.Equal(t, charts.Bar, cs[0].Spec.Kind)
	require.Regexp(t, `^Mean salary is 9\d,\d{3} for engineering vs 4\d,\d{3} for support\.$`, cs[0].Finding)
	for _, c := range cs {
		require.NotEqual(t, "Mean salary by office", c.Spec.Title)
	}
	renderAll(t, cs)
}

func TestRandomTables(t *testing.T) {
	// Mixed, messy columns: every call must succeed and every chart render.
	gens := []func(r *rand.Rand, i int) string{
		func(r *rand.Rand, i int) string { return fmt.Sprint(r.IntN(3)) },
		func(r *rand.Rand, i int) string { return fmt.Sprintf("%.3f", r.ExpFloat64()*100) },
		func(r *rand.Rand, i int) string { return []string{"a", "b", "", "c"}[r.IntN(4)] },
		func(r *rand.Rand, i int) string { return fmt.Sprint(r.IntN(2) == 0) },
		func(r *rand.Rand, i int) string {
			return time.Date(2000+r.IntN(30), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		},
		func(r *rand.Rand, i int) string { return fmt.Sprint(i) },
		func(r *rand.Rand, i int) string { return "" },
		func(r *rand.Rand, i int) string { return fmt.Sprintf("word%d", r.IntN(500)) },
		func(r *rand.Rand, i int) string { return fmt.Sprintf("%d", r.IntN(40)-20) },
		func(r *rand.Rand, i int) string { return []string{"yes", "no"}[r.IntN(2)] },
	}
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 99))
			ncols := 1 + r.IntN(6)
			var cols []func(*rand.Rand, int) string
			var header []string
			for j := range ncols {
				cols = append(cols, gens[r.IntN(len(gens))])
				header = append(header, fmt.Sprintf("c%d", j))
			}
			rows := []int{5, 30, 300, 3000}[r.IntN(4)]
			path := writeCSV(t, "r.csv", strings.Join(header, ","), rows, func(i int) string {
				var cells []string
				for _, g := range cols {
					if r.IntN(10) == 0 {
						cells = append(cells, "")
					} else {
						cells = append(cells, g(r, i))
					}
				}
				return strings.Join(cells, ",")
			})
			cat, name := loadTable(t, path)
			cs, err := Visuals(t.Context(), cat, name, 5)
			require.NoError(t, err)
			require.LessOrEqual(t, len(cs), 5)
			logCharts(t, cs)
			renderAll(t, cs)
			for _, c := range cs {
				require.NotEmpty(t, c.Finding)
				require.NotEmpty(t, c.SQL)
				res, err := cat.Query(t.Context(), c.SQL, 0)
				require.NoError(t, err, "the chart's SQL runs: %s", c.SQL)
				require.NotEmpty(t, res.Rows)
			}
		})
	}
}

func TestPlaceholderDates(t *testing.T) {
	// Two years of signups, with a few placeholder dates far outside.
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(17, 18))
	path := writeCSV(t, "signups.csv", "signup_date,plan", 2000, func(i int) string {
		d := start.AddDate(0, 0, rng.IntN(730)).Format("2006-01-02")
		switch i % 400 {
		case 0:
			d = "1900-01-01"
		case 1:
			d = "9999-12-31"
		}
		return fmt.Sprintf("%s,%s", d, []string{"free", "free", "paid"}[rng.IntN(3)])
	})
	cat, name := loadTable(t, path)
	cs, err := Visuals(t.Context(), cat, name, 4)
	require.NoError(t, err)
	logCharts(t, cs)
	var trend *chat.Chart
	for i := range cs {
		if cs[i].Spec.Kind == charts.Line {
			trend = &cs[i]
		}
	}
	require.NotNil(t, trend)
	require.Equal(t, "Rows per month of signup_date (1st to 99th percentile of dates)", trend.Spec.Title)
	require.Len(t, trend.Data.Rows, 24)
	renderAll(t, cs)
}
