package spss

import (
	"encoding/csv"
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

// The expected-output CSVs next to the corpus files come from pyreadstat's
// test suite. Their conventions, which this test decodes:
//
//   - sample.csv (for sample.sav and sample.zsav): UTF-8 with a byte-order
//     mark; numbers as Python prints floats; dates "2006-01-02"; datetimes
//     "2006-01-02T15:04:05.000000"; times "15:04:05.000000" with the hour
//     not zero-padded ("0:00:00.000000"); an empty field is a missing
//     number or date; labelled columns hold their codes, not the labels.
//   - sample_missing.csv: SPSS's own export: numbers with the print format's
//     decimals ("1.10"), "#NULL!" for system- or user-missing values, and an
//     empty field in the string column for an empty (not missing) string.
//   - missing_sav_unformatted.csv: pyreadstat with user-missing values
//     applied: "NaN" where the value is user-missing. This is what this
//     reader returns (nil).
//   - missing_sav_formatted.csv: pyreadstat keeping user-missing values as
//     numbers: where we return nil the CSV shows the value, which must be
//     one the variable declares user-missing.
//   - missing_sav_labeled.csv: as formatted, with value labels applied: a
//     labelled value shows its label, others the number without decimals.

type csvCase struct {
	sav  string
	csv  string
	null string // the CSV's token for a missing value, besides "" for non-strings
}

func TestExpectedCSV(t *testing.T) {
	for _, c := range []csvCase{
		{"sample.sav", "sample.csv", ""},
		{"sample.zsav", "sample.csv", ""},
		{"sample_missing.sav", "sample_missing.csv", "#NULL!"},
		{"missing_test.sav", "missing_sav_unformatted.csv", "NaN"},
	} {
		t.Run(c.sav+"/"+c.csv, func(t *testing.T) {
			tb := openPath(t, filepath.Join("testdata", c.sav))
			got := formatstest.ReadAll(t, tb)
			header, want := readCSV(t, filepath.Join("testdata", c.csv))
			names := make([]string, len(tb.Columns))
			for i, col := range tb.Columns {
				names[i] = col.Name
			}
			require.Equal(t, header, names)
			require.Len(t, got, len(want))
			for r := range want {
				for i, col := range tb.Columns {
					checkCell(t, col, want[r][i], c.null, got[r][i], "row %d column %s", r+1, col.Name)
				}
			}
		})
	}
}

// TestExpectedUserMissing checks the CSVs that keep user-missing values.
func TestExpectedUserMissing(t *testing.T) {
	tb := openPath(t, "testdata/missing_test.sav")
	got := formatstest.ReadAll(t, tb)
	dec := decoders(tb)
	_, formatted := readCSV(t, "testdata/missing_sav_formatted.csv")
	_, labeled := readCSV(t, "testdata/missing_sav_labeled.csv")
	require.Len(t, got, len(formatted))
	require.Len(t, got, len(labeled))
	sawMissing := false
	for r := range got {
		v, err := strconv.ParseFloat(formatted[r][0], 64)
		require.NoError(t, err)
		if got[r][0] == nil {
			sawMissing = true
			require.True(t, dec[0].userMissing(v), "row %d: %v is nil but not user-missing", r+1, v)
			require.Equal(t, labeled[r][0], tb.Columns[0].ValueLabels[v], "row %d label", r+1)
			continue
		}
		require.InDelta(t, v, got[r][0], 1e-9)
		if lab, ok := tb.Columns[0].ValueLabels[v]; ok {
			require.Equal(t, labeled[r][0], lab)
		} else {
			require.Equal(t, labeled[r][0], strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	require.True(t, sawMissing, "the file has a user-missing value")
}

func readCSV(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	s := strings.TrimPrefix(string(b), "\ufeff")
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	return recs[0], recs[1:]
}

// checkCell compares one value with its CSV text.
func checkCell(t *testing.T, col formats.Column, field, null string, got any, msg string, args ...any) {
	t.Helper()
	if col.Kind == formats.String {
		if null != "" && field == null {
			require.Nil(t, got, append([]any{msg}, args...)...)
			return
		}
		require.Equal(t, field, got, append([]any{msg}, args...)...)
		return
	}
	if field == "" || field == null {
		require.Nil(t, got, append([]any{msg + ": want missing"}, args...)...)
		return
	}
	require.NotNil(t, got, append([]any{msg + ": got missing, want " + field}, args...)...)
	switch col.Kind {
	case formats.Float64:
		want, err := strconv.ParseFloat(field, 64)
		require.NoError(t, err)
		requireClose(t, want, got.(float64), msg, args...)
	case formats.Date:
		want, err := time.Parse("2006-01-02", field)
		require.NoError(t, err)
		require.Equal(t, want, got, append([]any{msg}, args...)...)
	case formats.Timestamp:
		want, err := time.Parse("2006-01-02T15:04:05.999999", field)
		require.NoError(t, err)
		require.Equal(t, want, got, append([]any{msg}, args...)...)
	case formats.Time:
		want := parseClock(t, field)
		require.Equal(t, want, got, append([]any{msg}, args...)...)
	default:
		t.Fatalf("unexpected kind %v", col.Kind)
	}
}

// parseClock parses "H:MM:SS.ffffff".
func parseClock(t *testing.T, s string) time.Duration {
	t.Helper()
	parts := strings.Split(s, ":")
	require.Len(t, parts, 3, s)
	h, err := strconv.Atoi(parts[0])
	require.NoError(t, err)
	m, err := strconv.Atoi(parts[1])
	require.NoError(t, err)
	sec, err := strconv.ParseFloat(parts[2], 64)
	require.NoError(t, err)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(math.Round(sec*1e6))*time.Microsecond
}

func requireClose(t *testing.T, want, got float64, msg string, args ...any) {
	t.Helper()
	tol := 1e-9 * math.Max(math.Abs(want), math.Abs(got))
	require.LessOrEqual(t, math.Abs(want-got), tol, append([]any{msg + ": want %v got %v"}, append(args, want, got)...)...)
}
