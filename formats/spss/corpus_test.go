package spss

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// spssBase is the SPSS date origin, computed here independently of the
// package's constant.
var spssBase = time.Date(1582, time.October, 14, 0, 0, 0, 0, time.UTC)

// spssSeconds converts a value back to what the file stores, as readstat
// prints it: seconds since 1582-10-14 for dates, timestamps and times.
func spssSeconds(v any) any {
	switch x := v.(type) {
	case time.Time:
		return float64(x.Unix()-spssBase.Unix()) + float64(x.Nanosecond())/1e9
	case time.Duration:
		return x.Seconds()
	}
	return v
}

func TestEpochConstant(t *testing.T) {
	require.Equal(t, spssBase.Unix(), int64(spssEpochUnix))
}

type wantCol struct {
	name, format string
	kind         formats.Kind
	label        string
}

// TestCorpusMetadata checks the corpus files without expected CSVs: columns,
// kinds, formats, labels, row counts and some values. The values are what
// `readstat FILE -` prints (dates as SPSS seconds, user-missing values as
// numbers); cells this reader turns into nil because they are user-missing
// are listed as such, with the number readstat shows in the comment.
func TestCorpusMetadata(t *testing.T) {
	tests := []struct {
		file   string
		label  string
		rows   int
		cols   []wantCol
		values map[[2]int]any // {row, col} -> value in readstat's terms
		vl     map[string]map[any]string
	}{
		{
			file: "datetime.sav", rows: 2,
			cols: []wantCol{
				{"date", "ADATE10", formats.Date, ""},
				{"date.posix", "DATETIME20", formats.Timestamp, ""},
				{"time", "TIME11.2", formats.Time, ""},
			},
			values: map[[2]int]any{
				{0, 0}: 13630723200.0, {0, 1}: 6306150067200.0, {0, 2}: 43870.09,
				{1, 0}: 13630809600.0, {1, 1}: 13630867160.0, {1, 2}: 57560.01,
			},
		},
		{
			file: "hebrews.sav", label: "jamovi data set", rows: 99,
			cols:   []wantCol{{"ותק_ב", "F8.0", formats.Float64, ""}},
			values: map[[2]int]any{{0, 0}: 33.0, {1, 0}: 34.0, {98, 0}: 26.0},
		},
		{
			file: "iris.sav", rows: 150,
			cols: []wantCol{
				{"Sepal.Length", "F8.2", formats.Float64, ""},
				{"Sepal.Width", "F8.2", formats.Float64, ""},
				{"Petal.Length", "F8.2", formats.Float64, ""},
				{"Petal.Width", "F8.2", formats.Float64, ""},
				{"Species", "F8.0", formats.Float64, ""},
			},
			values: map[[2]int]any{{0, 0}: 5.1, {0, 1}: 3.5, {0, 4}: 1.0, {149, 4}: 3.0},
			vl:     map[string]map[any]string{"Species": {1.0: "setosa", 2.0: "versicolor", 3.0: "virginica"}},
		},
		{
			file: "labelled-num-na.sav", rows: 2,
			cols:   []wantCol{{"VAR00002", "F8.0", formats.Float64, "Only one value"}},
			values: map[[2]int]any{{0, 0}: 1.0, {1, 0}: nil}, // readstat: 9 (user-missing)
			vl:     map[string]map[any]string{"VAR00002": {1.0: "This is one"}},
		},
		{
			file: "labelled-str.sav", rows: 2,
			cols:   []wantCol{{"gender", "A1", formats.String, ""}},
			values: map[[2]int]any{{0, 0}: "M", {1, 0}: "F"},
			vl:     map[string]map[any]string{"gender": {"M": "Male", "F": "Female"}},
		},
		{
			file: "ordered_category.sav", rows: 4,
			cols:   []wantCol{{"Col1", "F8.2", formats.Float64, ""}},
			values: map[[2]int]any{{0, 0}: 1.0, {3, 0}: 2.0},
			vl:     map[string]map[any]string{"Col1": {1.0: "high", 2.0: "low", 3.0: "medium"}},
		},
		{
			file: "simple_alltypes.sav", rows: 6,
			cols: []wantCol{
				{"x", "F6.0", formats.Float64, "Numeric variable with value labels"},
				{"y", "ADATE10", formats.Date, "Date variable"},
				{"z", "F6.2", formats.Float64, "Numberic variable with missing value range"},
				{"str", "A40", formats.String, "40 character string"},
				{"bool1", "F6.2", formats.Float64, "Response #1"},
				{"bool2", "F6.2", formats.Float64, "Response #2"},
				{"bool3", "F6.2", formats.Float64, "Response #3"},
				{"ca_subvar_1", "A1", formats.String, ""},
				{"ca_subvar_2", "A1", formats.String, ""},
				{"ca_subvar_3", "A1", formats.String, ""},
				{"date", "SDATE10", formats.Date, ""},
				{"quarter", "QYR8", formats.Date, ""},
			},
			values: map[[2]int]any{
				{0, 0}: 1.0, {0, 1}: 13166064000.0, {0, 2}: nil, // readstat: -9 (in the missing range)
				{2, 2}: 1.234, {2, 3}: "reg-green-blue-whatever",
				{3, 1}: 6113318400.0, {3, 2}: nil, // readstat: 999 (user-missing)
				{4, 0}: nil, {4, 1}: nil, {4, 3}: "", {4, 4}: nil, // readstat: x=8 (user-missing)
				{5, 0}: 9.0, {5, 3}: "MORE JUNK", {5, 10}: 13639536000.0, {5, 11}: 13639449600.0,
			},
			vl: map[string]map[any]string{"x": {1.0: "red", 2.0: "green", 3.0: "blue"}, "z": {999.0: "skipped"}},
		},
		{
			file: "string_labeled_value.sav", rows: 2,
			cols:   []wantCol{{"v611", "A5", formats.String, "REGION - NUTS CODES"}},
			values: map[[2]int]any{{0, 0}: "BE33", {1, 0}: "BE35"},
		},
		{
			file: "test_width.sav", rows: 5,
			cols: []wantCol{
				{"ResponseId", "A18", formats.String, "Response ID"},
				{"StartDate", "A1024", formats.String, "Start Date"},
				{"Duration__in_seconds_", "F40.2", formats.Float64, "Duration (in seconds)"},
				{"Finished", "F1.0", formats.Float64, "True"},
			},
			values: map[[2]int]any{{0, 0}: "R_0001xAxQxIo2PVH", {0, 1}: "2020-07-13 23:19:55", {4, 2}: 957.0, {4, 3}: 2.0},
			vl:     map[string]map[any]string{"Finished": {1.0: "False", 2.0: "True"}},
		},
		{
			file: "variable-label.sav", rows: 1,
			cols:   []wantCol{{"sex", "F8.0", formats.Float64, "Gender"}},
			values: map[[2]int]any{{0, 0}: 1.0},
			vl:     map[string]map[any]string{"sex": {1.0: "female"}},
		},
		{
			// Written by readstat 1.1.8 from readstat_vls_source.csv/.json.
			file: "readstat_vls.sav", label: "(null)", rows: 6,
			cols: []wantCol{
				{"id", "F8.2", formats.Float64, "Identifier"},
				{"name", "A5", formats.String, "Name"},
				{"score", "F8.2", formats.Float64, ""},
				{"when", "F8.2", formats.Float64, ""},
				{"long", "A301", formats.String, ""},
			},
			values: map[[2]int]any{
				{0, 1}: "n0 é", {4, 2}: 6.0, {4, 3}: 13744857600.0,
				{2, 4}: strings.Repeat("x", 300) + "2", {5, 0}: nil, {5, 1}: "", {5, 4}: "",
			},
			vl: map[string]map[any]string{"id": {1.0: "one"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tb := openPath(t, filepath.Join("testdata", tt.file))
			require.Equal(t, tt.label, tb.Label)
			require.Equal(t, int64(tt.rows), tb.RowCount)
			require.Len(t, tb.Columns, len(tt.cols))
			for i, c := range tt.cols {
				got := tb.Columns[i]
				require.Equal(t, c, wantCol{got.Name, got.Format, got.Kind, got.Label}, "column %d", i)
			}
			for name, want := range tt.vl {
				found := false
				for _, c := range tb.Columns {
					if c.Name == name {
						found = true
						require.Equal(t, want, c.ValueLabels, name)
					}
				}
				require.True(t, found, name)
			}
			rows := formatstest.ReadAll(t, tb)
			require.Len(t, rows, tt.rows)
			for at, want := range tt.values {
				got := spssSeconds(rows[at[0]][at[1]])
				if w, ok := want.(float64); ok {
					require.NotNil(t, got, "%v", at)
					requireClose(t, w, got.(float64), "cell %v", at)
					continue
				}
				require.Equal(t, want, got, "cell %v", at)
			}
		})
	}
}

func TestStringLabelsLarge(t *testing.T) {
	tb := openPath(t, "testdata/string_labeled_value.sav")
	vl := tb.Columns[0].ValueLabels
	require.Greater(t, len(vl), 150)
	require.Equal(t, "Prov. Namur", vl["BE35"])
	require.Equal(t, "Republic of Cyprus", vl["CY"])
}
