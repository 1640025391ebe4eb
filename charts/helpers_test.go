package charts

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// titanicTypes are the DuckDB types read_csv infers for testdata/titanic.csv.
var titanicTypes = map[string]string{
	"PassengerId": "BIGINT", "Survived": "BIGINT", "Pclass": "BIGINT", "Name": "VARCHAR",
	"Sex": "VARCHAR", "Age": "DOUBLE", "SibSp": "BIGINT", "Parch": "BIGINT",
	"Ticket": "VARCHAR", "Fare": "DOUBLE", "Cabin": "VARCHAR", "Embarked": "VARCHAR",
}

// loadTitanic reads testdata/titanic.csv the way a DuckDB query would
// return it: typed values, empty fields as nil.
func loadTitanic(t testing.TB) Data {
	t.Helper()
	f, err := os.Open("testdata/titanic.csv")
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
