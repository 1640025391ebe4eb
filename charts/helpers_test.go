package charts

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// titanicTypes are the DuckDB types read_csv infers for ../testdata/titanic.csv.
var titanicTypes = map[string]string{
	"PassengerId": "BIGINT", "Survived": "BIGINT", "Pclass": "BIGINT", "Name": "VARCHAR",
	"Sex": "VARCHAR", "Age": "DOUBLE", "SibSp": "BIGINT", "Parch": "BIGINT",
	"Ticket": "VARCHAR", "Fare": "DOUBLE", "Cabin": "VARCHAR", "Embarked": "VARCHAR",
}

// loadTitanic reads ../testdata/titanic.csv the way a DuckDB query would
// return it: typed values, empty fields as nil.
func loadTitanic(t testing.TB) Data {
	t.Helper()
	f, err := os.Open("../testdata/titanic.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	d := Data{Columns: recs[0]}
	for _, c := range d.Columns {
		d.Types = append(d.Types, titanicTypes[c])
	}
	for _, rec := range recs[1:] {
		row := make([]any, len(rec))
		for i, s := range rec {
			if s == "" {
				continue
			}
			switch d.Types[i] {
			case "BIGINT":
				v, err := strconv.ParseInt(s, 10, 64)
				require.NoError(t, err)
				row[i] = v
			case "DOUBLE":
				v, err := strconv.ParseFloat(s, 64)
				require.NoError(t, err)
				row[i] = v
			default:
				row[i] = s
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// salesData is a small synthetic sales table: 5 regions × 3 products × 6
// days, revenue in thousands of dollars.
func salesData() Data {
	d := Data{
		Columns: []string{"region", "product", "revenue_usd", "units", "day"},
		Types:   []string{"VARCHAR", "VARCHAR", "DOUBLE", "BIGINT", "DATE"},
	}
	regions := []string{"North", "South", "East", "West", "Central"}
	products := []string{"Widgets", "Gadgets", "Gizmos"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for ri, r := range regions {
		for pi, p := range products {
			for day := range 6 {
				units := int64(10 + (ri*7+pi*13+day*5)%40)
				rev := float64(units)*float64(120+pi*85) + float64(ri*1000) + 0.25
				d.Rows = append(d.Rows, []any{r, p, rev, units, start.AddDate(0, 0, day*7)})
			}
		}
	}
	return d
}

// citiesData has n cities with n-i visits each, to test the "Other" bar.
func citiesData(n int) Data {
	d := Data{Columns: []string{"city", "visits"}, Types: []string{"VARCHAR", "BIGINT"}}
	for i := range n {
		d.Rows = append(d.Rows, []any{fmt.Sprintf("City %02d", i), int64((n - i) * 1000)})
	}
	return d
}
