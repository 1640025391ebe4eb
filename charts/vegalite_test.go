package charts

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// kindCases is one spec per chart kind (and the "Other" bar), shared by the
// Vega-Lite golden tests and the render tests.
func kindCases() []struct {
	name string
	spec Spec
	data Data
} {
	sales := salesData()
	return []struct {
		name string
		spec Spec
		data Data
	}{
		{"bar", Spec{Kind: Bar, X: "region", Y: "revenue_usd"}, sales},
		{"bar_count", Spec{Kind: Bar, X: "product"}, sales},
		{"bar_other", Spec{Kind: Bar, X: "city", Y: "visits", Title: "Visits by city"}, citiesData(25)},
		{"grouped_bar", Spec{Kind: GroupedBar, X: "region", Y: "revenue_usd", Group: "product"}, sales},
		{"stacked_bar", Spec{Kind: StackedBar, X: "region", Y: "units", Group: "product"}, sales},
		{"histogram", Spec{Kind: Histogram, X: "revenue_usd"}, sales},
		{"line", Spec{Kind: Line, X: "day", Y: "revenue_usd", Group: "product"}, sales},
		{"scatter", Spec{Kind: Scatter, X: "units", Y: "revenue_usd", Group: "region"}, sales},
	}
}

func TestVegaLiteGolden(t *testing.T) {
	for _, tc := range kindCases() {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := VegaLite(tc.spec, tc.data)
			require.NoError(t, err)
			got, err := json.MarshalIndent(spec, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			path := filepath.Join("testdata", "vegalite", tc.name+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create the golden file")
			require.JSONEq(t, string(want), string(got))
		})
	}
}

// TestVegaLiteShape checks properties every spec must have, independent of
// the golden files.
func TestVegaLiteShape(t *testing.T) {
	for _, tc := range kindCases() {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := VegaLite(tc.spec, tc.data)
			require.NoError(t, err)
			require.Equal(t, "https://vega.github.io/schema/vega-lite/v5.json", spec["$schema"])
			values := spec["data"].(map[string]any)["values"]
			require.NotEmpty(t, values)
			_, hasMark := spec["mark"]
			_, hasLayer := spec["layer"]
			require.True(t, hasMark || hasLayer, "spec has no mark")
			enc := spec["encoding"].(map[string]any)
			require.Contains(t, enc, "x")
			require.Contains(t, enc, "y")
			title := spec["title"].(map[string]any)["text"].(string)
			require.NotEmpty(t, title)
		})
	}
}

func TestVegaLiteOtherAndSort(t *testing.T) {
	spec, err := VegaLite(Spec{Kind: Bar, X: "city", Y: "visits"}, citiesData(25))
	require.NoError(t, err)
	sortOrder := spec["encoding"].(map[string]any)["x"].(map[string]any)["sort"].([]string)
	require.Len(t, sortOrder, MaxCategories)
	require.Equal(t, "City 00", sortOrder[0])
	require.Equal(t, "Other (6 more)", sortOrder[MaxCategories-1])
	values := spec["data"].(map[string]any)["values"].([]map[string]any)
	last := values[len(values)-1]
	require.Equal(t, "Other (6 more)", last["city"])
	// Cities 19..24 have 6000+5000+...+1000 visits.
	require.Equal(t, 21000.0, last["visits"])
	require.Contains(t, spec["title"].(map[string]any)["subtitle"], "other 6 are summed")
}

func TestVegaLiteFieldEscaping(t *testing.T) {
	d := Data{Columns: []string{"a.b", "n"}, Types: []string{"VARCHAR", "BIGINT"}, Rows: [][]any{{"x", int64(1)}}}
	spec, err := VegaLite(Spec{Kind: Bar, X: "a.b", Y: "n"}, d)
	require.NoError(t, err)
	x := spec["encoding"].(map[string]any)["x"].(map[string]any)
	require.Equal(t, `a\.b`, x["field"])
	values := spec["data"].(map[string]any)["values"].([]map[string]any)
	require.Equal(t, "x", values[0]["a.b"])
}

func TestVegaLiteCountFieldAvoidsColumns(t *testing.T) {
	d := Data{Columns: []string{"count"}, Types: []string{"VARCHAR"}, Rows: [][]any{{"a"}, {"a"}, {"b"}}}
	spec, err := VegaLite(Spec{Kind: Bar, X: "count"}, d)
	require.NoError(t, err)
	values := spec["data"].(map[string]any)["values"].([]map[string]any)
	require.Equal(t, map[string]any{"count": "a", "count_": 2.0}, values[0])
}
