package chat

import (
	"testing"
	"time"

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

// TestPlanBudget runs out of planning time at once: the engine abstains,
// naming the budget and the flag that sets it, and does not fail.
func TestPlanBudget(t *testing.T) {
	c, err := openDuck(t.Context(), "testdata/prices.csv")
	require.NoError(t, err)
	t.Cleanup(c.Close)
	a := ask(t, NewEmbedded(WithPlanBudget(time.Nanosecond)), c, "Is Oslo more expensive than Lima?")
	require.Nil(t, a.Value, a.Text)
	require.False(t, a.Confident)
	require.Contains(t, a.Text, "planning took longer than the 1ns budget (--plan-budget); try a simpler question")
}
