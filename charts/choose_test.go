package charts

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestChoose(t *testing.T) {
	titanic := loadTitanic(t)
	sales := salesData()
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	aggregated := Data{
		Columns: []string{"Sex", "Pclass", "avg_fare"},
		Types:   []string{"VARCHAR", "BIGINT", "DOUBLE"},
		Rows: [][]any{
			{"female", int64(1), 106.1}, {"female", int64(2), 21.9}, {"female", int64(3), 16.1},
			{"male", int64(1), 67.2}, {"male", int64(2), 19.7}, {"male", int64(3), 12.6},
		},
	}
	untyped := Data{
		Columns: []string{"when", "n"},
		Rows:    [][]any{{day, 3}, {day.AddDate(0, 0, 1), 5}},
	}
	tests := []struct {
		name           string
		data           Data
		x, y, group    string
		want           Spec
		wantErr        error
		wantErrContain string
	}{
		{name: "category+number is a bar", data: sales, x: "region", y: "revenue_usd",
			want: Spec{Kind: Bar, X: "region", Y: "revenue_usd"}},
		{name: "number+category swaps to a bar", data: sales, x: "revenue_usd", y: "region",
			want: Spec{Kind: Bar, X: "region", Y: "revenue_usd"}},
		{name: "date+number is a line", data: sales, x: "day", y: "revenue_usd",
			want: Spec{Kind: Line, X: "day", Y: "revenue_usd"}},
		{name: "number+date swaps to a line", data: sales, x: "units", y: "day",
			want: Spec{Kind: Line, X: "day", Y: "units"}},
		{name: "number+number is a scatter", data: titanic, x: "Age", y: "Fare",
			want: Spec{Kind: Scatter, X: "Age", Y: "Fare"}},
		{name: "one number is a histogram", data: titanic, x: "Age",
			want: Spec{Kind: Histogram, X: "Age"}},
		{name: "only y number without x columns is a histogram", data: Data{Columns: []string{"v"}, Types: []string{"DOUBLE"}, Rows: [][]any{{1.5}}}, y: "v",
			want: Spec{Kind: Histogram, X: "v"}},
		{name: "few-valued integer is a count bar", data: titanic, x: "Pclass",
			want: Spec{Kind: Bar, X: "Pclass"}},
		{name: "one category is a count bar", data: titanic, x: "Sex",
			want: Spec{Kind: Bar, X: "Sex"}},
		{name: "two categories, few groups: grouped count bar", data: titanic, x: "Embarked", y: "Sex",
			want: Spec{Kind: GroupedBar, X: "Embarked", Group: "Sex"}},
		{name: "two categories, many groups: stacked count bar", data: sales, x: "product", y: "region",
			want: Spec{Kind: StackedBar, X: "product", Group: "region"}},
		{name: "category+integer sums the integer", data: titanic, x: "Sex", y: "SibSp",
			want: Spec{Kind: Bar, X: "Sex", Y: "SibSp"}},
		{name: "time+category counts per group", data: sales, x: "day", y: "region",
			want: Spec{Kind: Line, X: "day", Group: "region"}},
		{name: "two categories plus a group is ambiguous", data: sales, x: "day", y: "region", group: "product",
			wantErr: ErrBadSpec, wantErrContain: "both non-numeric"},
		{name: "category+number with group is grouped", data: sales, x: "region", y: "revenue_usd", group: "product",
			want: Spec{Kind: GroupedBar, X: "region", Y: "revenue_usd", Group: "product"}},
		{name: "date with group is a line per group", data: sales, x: "day", y: "units", group: "product",
			want: Spec{Kind: Line, X: "day", Y: "units", Group: "product"}},
		{name: "date alone counts over time", data: sales, x: "day",
			want: Spec{Kind: Line, X: "day"}},
		{name: "case-insensitive names", data: titanic, x: "sex",
			want: Spec{Kind: Bar, X: "Sex"}},
		{name: "only y picks a date x", data: sales, y: "units",
			want: Spec{Kind: Line, X: "day", Y: "units"}},
		{name: "auto prefers time", data: sales,
			want: Spec{Kind: Line, X: "day", Y: "revenue_usd"}},
		{name: "auto on raw rows counts a category and skips ids", data: titanic,
			want: Spec{Kind: Bar, X: "Survived"}},
		{name: "auto on aggregated rows uses the value", data: aggregated,
			want: Spec{Kind: GroupedBar, X: "Sex", Y: "avg_fare", Group: "Pclass"}},
		{name: "a column named paid is no identifier", data: Data{
			Columns: []string{"shop", "paid"}, Types: []string{"VARCHAR", "DOUBLE"},
			Rows: [][]any{{"a", 1.5}, {"b", 2.5}, {"c", 3.5}},
		}, want: Spec{Kind: Bar, X: "shop", Y: "paid"}},
		{name: "inferred types", data: untyped,
			want: Spec{Kind: Line, X: "when", Y: "n"}},
		{name: "unknown column names the available ones", data: sales, x: "revenue",
			wantErr: ErrUnknownColumn, wantErrContain: "available: region, product, revenue_usd, units, day"},
		{name: "no rows", data: Data{Columns: []string{"a"}, Types: []string{"VARCHAR"}},
			wantErr: ErrNoRows, wantErrContain: "columns: a"},
		{name: "histogram cannot take a group", data: titanic, x: "Age", group: "Sex",
			wantErr: ErrBadSpec},
		{name: "nothing chartable", data: Data{Columns: []string{"name"}, Types: []string{"VARCHAR"}, Rows: distinctRows(100)},
			wantErr: ErrBadSpec, wantErrContain: "columns: name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Choose(tc.data, tc.x, tc.y, tc.group)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, tc.wantErrContain)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			// Whatever Choose picks must render.
			_, err = VegaLite(got, tc.data)
			require.NoError(t, err)
		})
	}
}

func distinctRows(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{string(rune('a'+i%26)) + string(rune('A'+i/26))}
	}
	return rows
}
