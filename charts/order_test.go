package charts

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNumericCategoriesInNumericOrder: bars of a numbered category (class 1,
// 2, 3; counts of siblings) stand in numeric order, not by height.
func TestNumericCategoriesInNumericOrder(t *testing.T) {
	data := Data{
		Columns: []string{"class", "fare"},
		Types:   []string{"BIGINT", "DOUBLE"},
		Rows:    [][]any{{int64(3), 10.0}, {int64(10), 5.0}, {int64(1), 30.0}, {int64(2), 20.0}, {nil, 1.0}},
	}
	vl, err := VegaLite(Spec{Kind: Bar, X: "class", Y: "fare"}, data)
	require.NoError(t, err)
	x := vl["encoding"].(map[string]any)["x"].(map[string]any)
	require.Equal(t, []string{"1", "2", "3", "10", missingLabel}, x["sort"])

	// Text categories still go by height.
	data.Types[0] = "VARCHAR"
	for _, r := range data.Rows {
		if r[0] != nil {
			r[0] = map[int64]string{1: "first", 2: "second", 3: "third", 10: "tenth"}[r[0].(int64)]
		}
	}
	vl, err = VegaLite(Spec{Kind: Bar, X: "class", Y: "fare"}, data)
	require.NoError(t, err)
	x = vl["encoding"].(map[string]any)["x"].(map[string]any)
	require.Equal(t, []string{"first", "second", "third", "tenth", missingLabel}, x["sort"])
}
