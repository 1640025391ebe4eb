package chat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"How many passengers are older than 30?", []string{"how", "many", "passengers", "are", "older", "than", "30"}},
		{"temperature below -5 and max - min", []string{"temperature", "below", "-5", "and", "max", "min"}},
		{"fares over $1,000 in the 'History and Tradition' category", []string{"fares", "over", "$1,000", "in", "the", "history and tradition", "category"}},
		{"orders after 2020-01-31", []string{"orders", "after", "2020-01-31"}},
		{"owner 'O'Brien' and \"the 'best' one\" isn't", []string{"owner", "o'brien", "and", "the 'best' one", "is", "not"}},
		{"don't the women's 2nd class", []string{"do", "not", "the", "women", "2nd", "class"}},
	} {
		var got []string
		for _, tk := range tokenize(tc.in) {
			got = append(got, tk.raw)
		}
		require.Equal(t, tc.want, got, tc.in)
	}
	toks := tokenize("below -5, over $1,000 or 2nd or 20%")
	require.Equal(t, -5.0, toks[1].num)
	require.True(t, toks[3].money)
	require.Equal(t, 1000.0, toks[3].num)
	require.True(t, toks[5].ordinal)
	require.True(t, toks[7].percent)
}

func TestStem(t *testing.T) {
	for _, tc := range [][2]string{
		{"smokers", "smok"}, {"smoking", "smok"}, {"survived", "surviv"}, {"survival", "surviv"},
		{"categories", "category"}, {"classes", "class"}, {"children", "child"}, {"bmis", "bmi"},
		{"analysis", "analysis"}, {"ages", "age"}, {"age", "age"},
	} {
		require.Equal(t, tc[1], stem(tc[0]), tc[0])
	}
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Age (years)", []string{"age", "years"}},
		{"is_smoker", []string{"is", "smoker"}},
		{"totalCharges", []string{"total", "charges"}},
		{"HTTPStatusCode", []string{"http", "status", "code"}},
		{"Type 1", []string{"type", "1"}},
		{"SibSp", []string{"sib", "sp"}},
	} {
		require.Equal(t, tc.want, splitName(tc.in), tc.in)
	}
}
