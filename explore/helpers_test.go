package explore

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{14.4542, "14.45"},
		{512.3292, "512.33"},
		{80, "80"},
		{0.42, "0.42"},
		{0.012345, "0.012"},
		{0, "0"},
		{3045.5, "3,046"},
		{-1234567, "-1,234,567"},
		{-2.5, "-2.5"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, num(tt.in), "num(%v)", tt.in)
	}
}

func TestPctSig(t *testing.T) {
	require.Equal(t, "74%", pct(0.742))
	require.Equal(t, "19%", pct(0.1889))
	require.Equal(t, "0.4%", pct(0.004))
	require.Equal(t, "0%", pct(0))
	require.Equal(t, "100%", pct(1))
	require.Equal(t, "11.4", sig(11.39))
	require.Equal(t, "332", sig(331.63))
	require.Equal(t, "5,590", sig(5586))
	require.Equal(t, "0.00123", sig(0.0012345))
}

func TestSplitWordsAlias(t *testing.T) {
	require.Equal(t, []string{"passenger", "id"}, splitWords("PassengerId"))
	require.Equal(t, []string{"user", "id"}, splitWords("user_id"))
	require.Equal(t, []string{"is", "fraud"}, splitWords("isFraud"))
	require.Equal(t, []string{"html", "page"}, splitWords("HTMLPage"))
	require.Equal(t, "n", alias("n", "Sex"))
	require.Equal(t, "n_", alias("n", "N"))
	require.Equal(t, "n__", alias("n", "n", "n_"))
}

func TestChiSquareZ(t *testing.T) {
	// 3.84 is the 5% critical value of chi-square with 1 degree of freedom
	// (z = 1.64 one-sided); 10.83 the 0.1% one (z = 3.09).
	require.InDelta(t, 1.64, chiSquareZ(3.84, 1), 0.1)
	require.InDelta(t, 3.09, chiSquareZ(10.83, 1), 0.1)
	require.InDelta(t, 3.09, chiSquareZ(16.27, 3), 0.1)
	require.Zero(t, chiSquareZ(0, 2))
	require.Zero(t, chiSquareZ(5, 0))
}

func TestRateScore(t *testing.T) {
	tests := []struct {
		name   string
		groups []group
		total  int64
		want   func(float64) bool
	}{
		{"titanic sex", []group{{"female", 314, 0.742}, {"male", 577, 0.189}}, 891,
			func(s float64) bool { return s > 0.8 && s < 0.9 }},
		{"same rates", []group{{"a", 500, 0.3}, {"b", 500, 0.31}}, 1000,
			func(s float64) bool { return s == 0 }},
		{"big gap, too few rows to be sure", []group{{"a", 10, 0.5}, {"b", 10, 0.2}}, 20,
			func(s float64) bool { return s == 0 }},
		{"one group", []group{{"a", 100, 0.5}}, 100,
			func(s float64) bool { return s == 0 }},
		{"all positive", []group{{"a", 100, 1}, {"b", 100, 1}}, 200,
			func(s float64) bool { return s == 0 }},
		{"covers half the rows", []group{{"a", 250, 0.8}, {"b", 250, 0.2}}, 1000,
			func(s float64) bool { return s > 0.5 && s < 0.65 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := rateScore(tt.groups, tt.total)
			require.True(t, tt.want(s), "score %v", s)
		})
	}
}

func TestBinaryOutcome(t *testing.T) {
	vals := func(a, b any) []valueCount { return []valueCount{{a, 60}, {b, 40}, {nil, 3}} }
	tests := []struct {
		name    string
		col     column
		outcome bool
		pos     any
	}{
		{"0/1", column{name: "Survived", kind: kindNumber, integer: true, values: vals(int64(0), int64(1))}, true, int64(1)},
		{"1.0/0.0", column{name: "flag", kind: kindNumber, values: vals(1.0, 0.0)}, true, 1.0},
		{"1/2", column{name: "group", kind: kindNumber, integer: true, values: vals(int64(1), int64(2))}, false, nil},
		{"bool", column{name: "alive", kind: kindBool, values: vals(false, true)}, true, true},
		{"yes/no", column{name: "Attrition", kind: kindText, values: vals("No", "Yes")}, true, "Yes"},
		{"survived/died", column{name: "fate", kind: kindText, values: vals("died", "survived")}, true, "survived"},
		{"male/female", column{name: "Sex", kind: kindText, values: vals("male", "female")}, false, nil},
		{"named outcome", column{name: "diagnosis", kind: kindText, values: vals("B", "M")}, true, "M"},
		{"three values", column{name: "target", kind: kindText, values: []valueCount{{"a", 1}, {"b", 1}, {"c", 1}}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.col
			c.lowCard = true
			ok, pos := c.binaryOutcome()
			require.Equal(t, tt.outcome, ok)
			require.Equal(t, tt.pos, pos)
		})
	}
}

func TestIDLike(t *testing.T) {
	tests := []struct {
		name string
		col  column
		want bool
	}{
		{"PassengerId", column{name: "PassengerId", kind: kindNumber, integer: true, nonNull: 891, sampleNonNull: 891, sampleDistinct: 891, min: 1, max: 891, hasStats: true}, true},
		{"unnamed sequence", column{name: "row", kind: kindNumber, integer: true, nonNull: 1000, sampleNonNull: 1000, sampleDistinct: 1000, min: 0, max: 999, hasStats: true}, true},
		{"unique but sparse", column{name: "population", kind: kindNumber, integer: true, nonNull: 200, sampleNonNull: 200, sampleDistinct: 200, min: 1000, max: 9e8, hasStats: true}, false},
		{"text key", column{name: "customer_key", kind: kindText, nonNull: 50, sampleDistinct: 50}, true},
		{"repeating ints", column{name: "Age", kind: kindNumber, integer: true, nonNull: 700, sampleNonNull: 700, sampleDistinct: 88, min: 0, max: 80, hasStats: true}, false},
		{"paid is not an id", column{name: "paid", kind: kindNumber, nonNull: 100, sampleNonNull: 100, sampleDistinct: 40, min: 0, max: 1e4, hasStats: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.col.idLike())
		})
	}
}

func TestRateNoun(t *testing.T) {
	tests := []struct {
		name string
		pos  any
		noun string
		axis string
	}{
		{"Survived", int64(1), "Survival rate", "Survived (%)"},
		{"is_fraud", true, "Fraud rate", "is_fraud (%)"},
		{"Churned", "Yes", "Churn rate", "Churned (%)"},
		{"fate", "survived", "Survival rate", "Survived (%)"},
		{"diagnosis", "M", "Share of diagnosis M", "diagnosis = M (%)"},
		{"smoker", "yes", "Smoker rate", "smoker (%)"},
	}
	for _, tt := range tests {
		noun, axis := rateNoun(&column{name: tt.name, positive: tt.pos})
		require.Equal(t, tt.noun, noun, tt.name)
		require.Equal(t, tt.axis, axis, tt.name)
	}
}

func TestUnitFor(t *testing.T) {
	day := 24 * time.Hour
	require.Equal(t, "year", unitFor(20*365*day))
	require.Equal(t, "month", unitFor(3*365*day))
	require.Equal(t, "day", unitFor(30*day))
	require.Equal(t, "hour", unitFor(2*day))
	require.Equal(t, "", unitFor(time.Hour))
}

func TestSeries(t *testing.T) {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := func(ys ...float64) [][]any {
		var out [][]any
		for i, y := range ys {
			out = append(out, []any{start.AddDate(0, i, 0), y})
		}
		return out
	}
	// A rise, with a partial last month left out of the fit.
	s := newSeries("", rows(100, 110, 120, 130, 140, 150, 160, 20), 1, true)
	require.Equal(t, 7, s.to)
	require.True(t, s.trending)
	require.InDelta(t, 1, s.r2, 1e-3)
	require.Equal(t, "Rows per month rose about 60% from Jan 2020 to Jul 2020 (from about 100 to 160).", s.finding("Rows per month", "month"))

	// Flat with one peak.
	s = newSeries("", rows(100, 100, 400, 100, 100, 100), 1, true)
	require.False(t, s.trending)
	require.Equal(t, "Rows per month stayed mostly around 100 from Jan 2020 to Jun 2020, peaking at 400 in Mar 2020.", s.finding("Rows per month", "month"))

	// A fall.
	s = newSeries("x", rows(10, 8, 6, 4), 1, false)
	require.True(t, s.trending)
	require.Contains(t, s.finding("Mean x per month", "month"), "Mean x per month fell about 60%")

	require.Nil(t, newSeries("", rows(1, 2, 3), 1, true), "too few periods")
}

func TestRoundTo(t *testing.T) {
	require.Equal(t, "202.406", literal(roundTo(202.40539999999993, math.Ceil)))
	require.Equal(t, "202.405", literal(roundTo(202.40539999999993, math.Floor)))
	require.Equal(t, "-0.0123457", literal(roundTo(-0.012345678, math.Floor)))
	require.Equal(t, "1.23457e+09", literal(roundTo(1234567890, math.Ceil)))
	require.Equal(t, "0", literal(roundTo(0, math.Ceil)))
}
