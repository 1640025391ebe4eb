package chat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestComparisonOfTwoRows asks comparisons with no number after "than"
// ("more expensive than Lima"), which once sent the planner round one word
// for ever: each must end, comparing the two rows.
func TestComparisonOfTwoRows(t *testing.T) {
	c, err := openDuck(t.Context(), "testdata/prices.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	e := NewEmbedded()
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"Is Oslo more expensive than Lima?", true},
		{"Is Lima more expensive than Oslo?", false},
		{"Is Oslo less expensive than Lima?", false},
		{"Is Lima less expensive than Oslo?", true},
	} {
		t.Run(tc.q, func(t *testing.T) {
			a := ask(t, e, c, tc.q)
			require.True(t, a.Confident, a.Text)
			require.Equal(t, tc.want, a.Value, a.Text)
		})
	}
}
