package charts

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHumanize(t *testing.T) {
	tests := map[string]string{
		"fare_usd":       "Fare (USD)",
		"PassengerId":    "Passenger ID",
		"user_id":        "User ID",
		"revenueUSD":     "Revenue (USD)",
		"growth_pct":     "Growth (%)",
		"Age":            "Age",
		"total sales":    "Total sales",
		"URLPath":        "URL path",
		"distance-km":    "Distance (km)",
		"usd":            "USD",
		"x":              "X",
		"__":             "__",
		"count_2024":     "Count 2024",
		"élan_vital":     "Élan vital",
		"avg_fare_usd":   "Avg fare (USD)",
		"duration_ms":    "Duration (ms)",
		"file_size_mb":   "File size (MB)",
		"CustomerName":   "Customer name",
		"order.total":    "Order total",
		"HTTPStatusCode": "HTTP status code",
	}
	for in, want := range tests {
		require.Equal(t, want, humanize(in), in)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{1234, "1,234"},
		{-1234567, "-1,234,567"},
		{1234.5, "1,234.5"},
		{1234.567, "1,234.57"},
		{0.5, "0.5"},
		{0.0123, "0.012"},
		{-0.25, "-0.25"},
		{999999.999, "1,000,000"},
		{1e18, "1e+18"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, formatValue(tc.in), "%v", tc.in)
	}
	require.Equal(t, "12,345.60", formatFixed(12345.6, 2))
	require.Equal(t, "0", formatFixed(-0.0001, 0), "no negative zero")
}

func TestCompactValue(t *testing.T) {
	tests := map[float64]string{
		12345:     "12.3k",
		1_000_000: "1M",
		-2.5e9:    "-2.5B",
		512.3292:  "512",
		7.25:      "7.25",
		999:       "999",
	}
	for in, want := range tests {
		require.Equal(t, want, compactValue(in), "%v", in)
	}
}

func TestTruncate(t *testing.T) {
	require.Equal(t, "short", truncate("short", 10))
	require.Equal(t, "a long…", truncate("a long label", 8))
	require.Equal(t, "ünïcö…", truncate("ünïcödé", 6))
}

func TestNumberTicks(t *testing.T) {
	ticks := numberTicks{}.Ticks(0, 530)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	require.Equal(t, []string{"0", "100", "200", "300", "400", "500"}, labels)

	ticks = numberTicks{}.Ticks(0, 25000)
	require.Equal(t, "25,000", ticks[len(ticks)-1].Label)

	ticks = numberTicks{plain: true}.Ticks(1990, 2024)
	require.Equal(t, "1990", ticks[0].Label)

	ticks = numberTicks{integer: true}.Ticks(0, 3)
	for _, tk := range ticks {
		require.Equal(t, math.Trunc(tk.Value), tk.Value, "count axis tick %v", tk.Value)
	}
	ticks = numberTicks{}.Ticks(0, 4e12)
	require.Equal(t, "0", ticks[0].Label)
	require.Equal(t, "4T", ticks[len(ticks)-1].Label)
	ticks = numberTicks{room: 50}.Ticks(0, 4e9)
	require.LessOrEqual(t, len(ticks)*(len("4,000,000,000")+2), 50, "labels fit the room")
	require.GreaterOrEqual(t, len(ticks), 2)
	require.Greater(t, len(numberTicks{}.Ticks(0, 4e9)), len(ticks))
	ticks = numberTicks{}.Ticks(0, 1)
	require.Equal(t, "0.2", ticks[1].Label)
}

func TestBinning(t *testing.T) {
	tests := []struct {
		name      string
		vals      []float64
		integral  bool
		wantStart float64
		wantWidth float64
	}{
		{"one value", []float64{5, 5, 5}, true, 5, 1},
		{"integers get whole-number bins", []float64{0, 0, 1, 1, 1, 2, 3, 5, 8}, true, 0, 2},
		{"narrow integers get one bin each", []float64{1, 2, 2, 3, 3, 3}, true, 1, 1},
		{"uniform 0..100", seq(0, 100, 1), false, 0, 20},
		{"decimals align to the width", seq(0.5, 1.5, 0.01), false, 0.4, 0.2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, width := binning(tc.vals, tc.integral)
			require.Equal(t, tc.wantStart, start)
			require.Equal(t, tc.wantWidth, width)
		})
	}
}

func TestHistogramBinCount(t *testing.T) {
	for _, n := range []int{2, 10, 100, 1000, 100000} {
		vals := make([]any, n)
		for i := range vals {
			// a skewed distribution
			x := float64(i) / float64(n)
			vals[i] = x * x * x * 1000
		}
		d := Data{Columns: []string{"v"}, Types: []string{"DOUBLE"}}
		for _, v := range vals {
			d.Rows = append(d.Rows, []any{v})
		}
		m, err := prepare(t.Context(), Spec{Kind: Histogram, X: "v"}, d)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(m.bins), 3, "n=%d", n)
		require.LessOrEqual(t, len(m.bins), maxBins+1, "n=%d", n)
		total := 0.0
		for _, c := range m.bins {
			total += c
		}
		require.Equal(t, float64(n), total, "every value lands in a bin")
	}
}

func seq(lo, hi, step float64) []float64 {
	var out []float64
	for v := lo; v <= hi; v += step {
		out = append(out, v)
	}
	return out
}

func TestTimeTicks(t *testing.T) {
	day := 86400.0
	jan1 := 1704067200.0 // 2024-01-01 UTC
	ticks := timeTicks{dateOnly: true}.Ticks(jan1, jan1+35*day)
	require.Equal(t, "Jan 1, 2024", ticks[0].Label)
	require.LessOrEqual(t, len(ticks), maxTimeTicks+1)
	ticks = timeTicks{}.Ticks(jan1, jan1+10*365*day)
	require.Equal(t, []string{"2024", "2026", "2028"}, []string{ticks[0].Label, ticks[1].Label, ticks[2].Label})
	ticks = timeTicks{}.Ticks(jan1, jan1+365*day)
	require.Equal(t, []string{"Jan 2024", "Mar", "May"}, []string{ticks[0].Label, ticks[1].Label, ticks[2].Label})
	require.LessOrEqual(t, len(timeTicks{room: 30}.Ticks(jan1, jan1+365*day)), 3)
	ticks = timeTicks{}.Ticks(jan1, jan1+6*3600)
	require.Equal(t, "Jan 1 00:00", ticks[0].Label)
	require.Equal(t, "01:00", ticks[1].Label)
}

type decimal struct{ v float64 }

func (d decimal) Float64() float64 { return d.v }

type uuid [2]byte

func (u uuid) String() string { return "uuid-" + string('a'+rune(u[0])) }

func TestCellConversions(t *testing.T) {
	for _, v := range []any{int8(3), uint64(3), float32(3), big.NewInt(3), decimal{3}, "3", " 3 "} {
		f, ok := toFloat(v)
		require.True(t, ok, "%T", v)
		require.Equal(t, 3.0, f, "%T", v)
	}
	for _, v := range []any{nil, "x", math.NaN(), math.Inf(1), (*big.Int)(nil), true, time.Now()} {
		_, ok := toFloat(v)
		require.False(t, ok, "%T %v", v, v)
	}
	require.Equal(t, "uuid-b", categoryLabel(uuid{1}))
	require.Equal(t, "(missing)", categoryLabel(nil))
	require.Equal(t, "2024-01-02", categoryLabel(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, "2024-01-02 03:04:05", categoryLabel(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
	require.Equal(t, "1.5", categoryLabel(1.5))
	tm, ok := toTime("2024-01-02T03:04:05+02:00")
	require.True(t, ok)
	require.Equal(t, time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC), tm)
	_, ok = toTime("yesterday")
	require.False(t, ok)
}

func TestClassifyType(t *testing.T) {
	tests := map[string]colKind{
		"BIGINT": kindNumber, "decimal(18,3)": kindNumber, "DOUBLE": kindNumber, "HUGEINT": kindNumber,
		"DATE": kindTime, "TIMESTAMP WITH TIME ZONE": kindTime, "TIMESTAMP_NS": kindTime,
		"VARCHAR": kindCategory, "BOOLEAN": kindCategory, "TIME": kindCategory, "ENUM('a','b')": kindCategory,
	}
	for name, want := range tests {
		got, _ := classifyType(name)
		require.Equal(t, want, got, name)
	}
	_, integer := classifyType("INTEGER")
	require.True(t, integer)
	_, integer = classifyType("DECIMAL(10,2)")
	require.False(t, integer)
}
