package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func genOrders(tb testing.TB, n int) string {
	rng := rand.New(rand.NewPCG(7, 8))
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	regions := []string{"north", "south", "east", "west", "central"}
	plans := []string{"basic", "plus", "pro"}
	churn := []float64{0.35, 0.2, 0.08}
	return writeCSV(tb, "orders.csv", "order_id,order_date,region,plan,churned,amount,quantity,score", n, func(i int) string {
		plan := rng.IntN(3)
		c := 0
		if rng.Float64() < churn[plan] {
			c = 1
		}
		amount := math.Exp(3 + rng.NormFloat64())
		qty := int(math.Max(1, amount/10+rng.NormFloat64()*2))
		score := ""
		if rng.Float64() > 0.3 {
			score = fmt.Sprintf("%.1f", 50+rng.NormFloat64()*15)
		}
		return fmt.Sprintf("%d,%s,%s,%s,%d,%.2f,%d,%s", i+1, start.AddDate(0, 0, rng.IntN(3*365)).Format("2006-01-02"),
			regions[rng.IntN(len(regions))], plans[plan], c, amount, qty, score)
	})
}

func BenchmarkVisuals1M(b *testing.B) {
	cat, name := loadTable(b, genOrders(b, 1_000_000))
	var n int
	for b.Loop() {
		cs, err := Visuals(b.Context(), cat, name, 5)
		require.NoError(b, err)
		n = len(cs)
	}
	b.ReportMetric(float64(n), "charts")
}

func TestLargeTable(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 200,000 rows")
	}
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("EXPLORE_ROWS")); err == nil && v > 0 {
		n = v
	}
	cat, name := loadTable(t, genOrders(t, n))
	start := time.Now()
	cs, err := Visuals(t.Context(), timedCatalog{cat, t}, name, 5)
	require.NoError(t, err)
	t.Logf("Visuals took %s", time.Since(start))
	logCharts(t, cs)
	require.GreaterOrEqual(t, len(cs), 3)
	titles := map[string]bool{}
	for _, c := range cs {
		titles[c.Spec.Title] = true
	}
	require.True(t, titles["Churn rate by plan"], "titles %v", titles)
	for _, c := range cs {
		require.NotEqual(t, "order_id", c.Spec.X)
		if c.Spec.Kind == "histogram" || c.Spec.Kind == "scatter" {
			// Sampled: at most sampleRows values, none of them missing.
			require.LessOrEqual(t, len(c.Data.Rows), sampleRows)
			require.Greater(t, len(c.Data.Rows), sampleRows/2)
			for _, r := range c.Data.Rows {
				for _, v := range r {
					require.NotNil(t, v)
				}
			}
		}
	}
	renderAll(t, cs)
}
