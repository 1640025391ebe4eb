package sas7bdat

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// The expected-output CSVs come from three projects, each with its own
// conventions. The comparison below reads every cell by the kind of our
// column and accepts exactly these spellings:
//
//	source                 files                         numbers            dates / datetimes / times                 missing
//	kshedden/datareader    test1-6.csv                   %f ("0.636000")    "1965-12-10 00:00:00 +0000 UTC" (Go)      ""
//	epam/parso             charset_*, comp_deleted,      shortest, up to    (none in these files)                     ""
//	                       doubles, file_with_label,     15 significant
//	                       mix_and_missing               digits ("1.1")
//	Roche/pyreadstat       dates.csv, sample.csv,        Python repr        "2061-04-15", "2061-04-15T07:38:33.000000", "" ; "A".."Z", "_",
//	                       missing_sas_formatted.csv     ("1.0")            "07:38:33" or "0:00:00.000000"            "NaN" (special missings)
//
// Other conventions: charset_utf8.csv and sample.csv start with a UTF-8 BOM;
// parso writes a blank character value as "" (we read "" too); pyreadstat's
// missing_sas_formatted.csv spells SAS special missings .A-.Z and ._ by their
// letter, and . as NaN, all of which we read as nil. sample_bincompressed is
// the RDC-compressed twin of sample and shares sample.csv. pandas'
// datetime.csv belongs to a different datetime.sas7bdat than ours (see
// testdata/README.md) and is not used.
var expectedCSV = []struct {
	file, csv string
}{
	{"test1.sas7bdat", "test1.csv"},                        // 32-bit LE, uncompressed
	{"test2.sas7bdat", "test2.csv"},                        // 32-bit LE, RLE
	{"test3.sas7bdat", "test3.csv"},                        // 32-bit LE, RDC
	{"test4.sas7bdat", "test4.csv"},                        // 64-bit LE, uncompressed
	{"test5.sas7bdat", "test5.csv"},                        // 64-bit LE, RLE
	{"test6.sas7bdat", "test6.csv"},                        // 64-bit LE, RDC
	{"charset_lat1.sas7bdat", "charset_lat1.csv"},          // latin1
	{"charset_utf8.sas7bdat", "charset_utf8.csv"},          // UTF-8
	{"comp_deleted.sas7bdat", "comp_deleted.csv"},          // RLE with a deleted row
	{"doubles.sas7bdat", "doubles.csv"},                    // truncated doubles (widths 3-8)
	{"file_with_label.sas7bdat", "file_with_label.csv"},    // dataset label
	{"mix_and_missing.sas7bdat", "mix_and_missing.csv"},    // mixed types, missing values
	{"dates.sas7bdat", "dates.csv"},                        // date, datetime, time formats
	{"sample.sas7bdat", "sample.csv"},                      // dates, times, labels
	{"sample_bincompressed.sas7bdat", "sample.csv"},        // RDC twin of sample
	{"missing_test.sas7bdat", "missing_sas_formatted.csv"}, // special missings .A-.Z, ._
}

func TestExpectedCSV(t *testing.T) {
	for _, tc := range expectedCSV {
		t.Run(tc.file, func(t *testing.T) {
			tab, rows := readFile(t, tc.file)
			raw, err := os.ReadFile("testdata/" + tc.csv)
			require.NoError(t, err)
			raw = []byte(strings.TrimPrefix(string(raw), "\ufeff"))
			want, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
			require.NoError(t, err)
			require.NotEmpty(t, want)

			names := formatstest.ColumnNames(tab)
			require.Equal(t, want[0], names, "column names")
			require.Len(t, rows, len(want)-1, "row count")
			for r, wrow := range want[1:] {
				for c, cell := range wrow {
					if err := cellMatches(tab.Columns[c].Kind, rows[r][c], cell); err != nil {
						t.Errorf("row %d column %s: %v", r+1, names[c], err)
					}
				}
			}
		})
	}
}

// cellMatches checks one value against its expected CSV spelling.
func cellMatches(kind formats.Kind, got any, want string) error {
	if want == "" {
		if got == nil || got == "" {
			return nil
		}
		return fmt.Errorf("got %#v, want missing", got)
	}
	if kind != formats.String && isMissingSpelling(want) {
		if got == nil {
			return nil
		}
		return fmt.Errorf("got %#v, want missing (%q)", got, want)
	}
	switch kind {
	case formats.String:
		if got != want {
			return fmt.Errorf("got %#v, want %q", got, want)
		}
	case formats.Float64:
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			return fmt.Errorf("expected %q is not a number", want)
		}
		g, ok := got.(float64)
		if !ok || !closeEnough(g, w, 1e-9) {
			return fmt.Errorf("got %#v, want %v", got, w)
		}
	case formats.Date:
		w, err := time.Parse("2006-01-02", want[:min(10, len(want))])
		if err != nil {
			return fmt.Errorf("expected %q is not a date", want)
		}
		g, ok := got.(time.Time)
		if !ok || !g.Equal(w) {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	case formats.Timestamp:
		w, err := parseTimestamp(want)
		if err != nil {
			return err
		}
		g, ok := got.(time.Time)
		if !ok || g.Sub(w).Abs() > time.Microsecond {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	case formats.Time:
		w, err := parseClock(want)
		if err != nil {
			return err
		}
		g, ok := got.(time.Duration)
		if !ok || (g-w).Abs() > time.Microsecond {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	default:
		return fmt.Errorf("unexpected kind %v", kind)
	}
	return nil
}

func isMissingSpelling(s string) bool {
	if s == "NaN" || s == "_" {
		return true
	}
	return len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z'
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999",
		"2006-01-02 15:04:05.999999",
		"2006-01-02 15:04:05 -0700 MST",
	} {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("expected %q is not a timestamp", s)
}

// parseClock reads "7:38:33", "07:38:33" or "10:10:10.000000".
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("expected %q is not a time", s)
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, fmt.Errorf("expected %q is not a time", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*1e6)*time.Microsecond, nil
}
