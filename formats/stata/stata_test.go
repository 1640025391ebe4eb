package stata

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// corpus lists the .dta files in testdata.
func corpus(t testing.TB) []string {
	files, err := filepath.Glob("testdata/*.dta")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func readFile(t testing.TB, path string) (*formats.Table, [][]any) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return readAll(t, data, formats.Options{})
}

// csvConvention describes how one project wrote its expected-output CSV.
// The expected files come from three places with three conventions:
//
//   - kshedden/datareader (a Go reader; its ref/*.csv): numbers printed with
//     Go's %f (six decimals, so compared as that exact text), missing values
//     as empty cells, %td and %tc values as Go time.Time strings
//     ("2006-11-19 23:13:20 +0000 UTC"), every other date format (%tC, %tw,
//     %tm, %tq, %th, %ty) as the raw Stata number, and — for the files it read
//     with categorical conversion (labelsApplied) — labelled values replaced
//     by their label, unlabelled values of such columns printed as integers.
//   - Roche/pyreadstat sample.csv: UTF-8 with a BOM, numbers in Python's repr
//     (compared within 1e-9 relative), dates as 2018-05-06, datetimes as
//     2018-05-06T10:10:10.000000, and the %tcHH:MM:SS column as a time of day
//     (10:10:10.000000), which we compare with our timestamp's clock time.
//   - Roche/pyreadstat missing_dta_*.csv: read with user-missing values kept,
//     so .a-.z appear as their letters (formatted) or as their value label
//     (labeled; the label of .a in missing_test.dta is "missing"), and NaN
//     for system missing. All of these are nil for us: the contract has no
//     tagged missing values.
type csvConvention struct {
	dta, csv      string
	datareader    bool
	labelsApplied bool
	missingTags   bool     // pyreadstat letters and NaN stand for missing values
	missingLabels []string // labels of .a-.z codes that stand for missing values
	// quirks are cells whose expected value is wrong, by "row,col" (0-based),
	// with the value we return instead and why.
	quirks map[string]quirk
}

type quirk struct {
	want any
	why  string
}

var conventions = []csvConvention{
	{dta: "sample.dta", csv: "sample.csv"},
	{dta: "missing_test.dta", csv: "missing_dta_formatted.csv", missingTags: true},
	{dta: "missing_test.dta", csv: "missing_dta_labeled.csv", missingTags: true, missingLabels: []string{"missing"}},
	{dta: "stata10_115.dta", csv: "stata10_115.csv", datareader: true, labelsApplied: true},
	{dta: "stata11_115.dta", csv: "stata11_115.csv", datareader: true},
	{dta: "stata1_117.dta", csv: "stata1_117.csv", datareader: true},
	{dta: "stata2_115.dta", csv: "stata2_115.csv", datareader: true},
	{dta: "stata2_117.dta", csv: "stata2_117.csv", datareader: true},
	{dta: "stata3_115.dta", csv: "stata3_115.csv", datareader: true},
	{dta: "stata4_115.dta", csv: "stata4_115.csv", datareader: true},
	{dta: "stata4_117.dta", csv: "stata4_117.csv", datareader: true, labelsApplied: true},
	{dta: "stata5_115.dta", csv: "stata5_115.csv", datareader: true},
	{dta: "stata5_117.dta", csv: "stata5_117.csv", datareader: true},
	{dta: "stata6_115.dta", csv: "stata6_115.csv", datareader: true, quirks: map[string]quirk{
		"1,5": {day(3014, 12, 31), "%td value 385330 is 385330 days after 01jan1960; datareader computed it with a time.Duration, which overflows past 292 years and wrapped to 1845-11-21"},
	}},
	{dta: "stata7_115.dta", csv: "stata7_115.csv", datareader: true},
	{dta: "stata8_115.dta", csv: "stata8_115.csv", datareader: true},
	{dta: "test1_115.dta", csv: "test1_115.csv", datareader: true},
}

func TestExpectedCSV(t *testing.T) {
	covered := map[string]bool{}
	for _, conv := range conventions {
		covered[conv.csv] = true
		t.Run(conv.csv, func(t *testing.T) {
			tab, rows := readFile(t, filepath.Join("testdata", conv.dta))
			want := readCSV(t, filepath.Join("testdata", conv.csv))
			require.NotEmpty(t, want)
			header := want[0]
			header[0] = strings.TrimPrefix(header[0], "\uFEFF")
			require.Equal(t, header, formatstest.ColumnNames(tab))
			require.Len(t, rows, len(want)-1, "row count")
			for r, row := range rows {
				for c, got := range row {
					key := fmt.Sprintf("%d,%d", r, c)
					if q, ok := conv.quirks[key]; ok {
						require.Equal(t, q.want, got, "quirk cell %s: %s", key, q.why)
						continue
					}
					cell := want[r+1][c]
					if err := matchExpected(conv, tab.Columns[c], got, cell); err != nil {
						t.Errorf("row %d column %s: %v", r+1, tab.Columns[c].Name, err)
					}
				}
			}
		})
	}
	// Every expected-output CSV in testdata must be covered above.
	csvs, err := filepath.Glob("testdata/*.csv")
	require.NoError(t, err)
	for _, p := range csvs {
		require.True(t, covered[filepath.Base(p)], "no convention for %s", p)
	}
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	require.NoError(t, err)
	return recs
}

// matchExpected compares one of our values with an expected CSV cell.
func matchExpected(conv csvConvention, col formats.Column, got any, cell string) error {
	if got == nil {
		switch {
		case cell == "":
			return nil
		case conv.missingTags && (cell == "NaN" || (len(cell) == 1 && cell[0] >= 'a' && cell[0] <= 'z')):
			return nil
		}
		for _, l := range conv.missingLabels {
			if cell == l {
				return nil
			}
		}
		return fmt.Errorf("got nil, want %q", cell)
	}
	switch g := got.(type) {
	case string:
		if g != cell {
			return fmt.Errorf("got %q, want %q", g, cell)
		}
		return nil
	case time.Time:
		return matchTime(col, g, cell)
	}
	num := toFloat(got)
	if conv.labelsApplied && col.ValueLabels != nil {
		if lab, ok := col.ValueLabels[got]; ok {
			if lab != cell {
				return fmt.Errorf("got %v labelled %q, want %q", got, lab, cell)
			}
			return nil
		}
		if s := strconv.FormatFloat(num, 'f', -1, 64); s != cell {
			return fmt.Errorf("got unlabelled %s, want %q", s, cell)
		}
		return nil
	}
	if conv.datareader {
		if s := strconv.FormatFloat(num, 'f', 6, 64); s != cell {
			return fmt.Errorf("got %s, want %q", s, cell)
		}
		return nil
	}
	want, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return fmt.Errorf("got %v, want %q", got, cell)
	}
	if !closeEnough(num, want, 0) {
		return fmt.Errorf("got %v, want %v", num, want)
	}
	return nil
}

// closeEnough compares within 1e-9 relative, plus abs absolute slack.
func closeEnough(got, want, abs float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(got), math.Abs(want))+abs
}

// matchTime compares a date or timestamp with a cell in any of the forms the
// expected files use; a number is a raw Stata value, whose period must be the
// one we returned (we floor fractional values).
func matchTime(col formats.Column, got time.Time, cell string) error {
	layouts := []struct {
		layout  string
		clock   bool
		dayOnly bool
	}{
		{"2006-01-02 15:04:05.999999999 -0700 MST", false, col.Kind == formats.Date},
		{"2006-01-02T15:04:05.999999", false, false},
		{"2006-01-02", false, false},
		{"15:04:05.999999", true, false},
	}
	for _, l := range layouts {
		w, err := time.Parse(l.layout, cell)
		if err != nil {
			continue
		}
		switch {
		case l.clock:
			h, m, s := got.Clock()
			if h != w.Hour() || m != w.Minute() || s != w.Second() || got.Nanosecond() != w.Nanosecond() {
				return fmt.Errorf("got clock %s, want %q", got.Format("15:04:05.999999"), cell)
			}
		case l.dayOnly:
			if !got.Equal(w.Truncate(24 * time.Hour)) {
				return fmt.Errorf("got %v, want day of %q", got, cell)
			}
		default:
			if !got.Equal(w) {
				return fmt.Errorf("got %v, want %q", got, cell)
			}
		}
		return nil
	}
	want, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return fmt.Errorf("got %v, want %q (not a date or number)", got, cell)
	}
	k := parseDateFormat(col.Format)
	ours := fromTime(k, got)
	if k == dateTC {
		if !closeEnough(ours, want, 1e-3) {
			return fmt.Errorf("got %v (%v ms), want %v ms", got, ours, want)
		}
		return nil
	}
	if ours != math.Floor(want) {
		return fmt.Errorf("got %v (%v in %s units), want %v", got, ours, col.Format, want)
	}
	return nil
}

// fromTime is the inverse of toTime, for comparisons with raw Stata numbers.
func fromTime(k dateKind, t time.Time) float64 {
	y, m := t.Year()-1960, int(t.Month())-1
	switch k {
	case dateTD:
		return float64(floorDiv(int(t.Unix()-stataEpoch), 86400))
	case dateTC:
		return float64(t.Unix()-stataEpoch)*1000 + float64(t.Nanosecond())/1e6
	case dateTW:
		return float64(y*52 + min((t.YearDay()-1)/7, 51))
	case dateTM:
		return float64(y*12 + m)
	case dateTQ:
		return float64(y*4 + m/3)
	case dateTH:
		return float64(y*2 + m/6)
	case dateTY:
		return float64(t.Year())
	}
	return math.NaN()
}
