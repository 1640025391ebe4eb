package sas7bdat

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// ReadStat 1.1.8 (Debian's readstat command) quirks met on this corpus, and
// how the differential test treats each:
//
//	quirk                                              | argument for our behaviour / how compared
//	---------------------------------------------------+--------------------------------------------------------------
//	exits 0 even when it fails; the error is only on   | the test treats "Error processing" on stderr as a failure
//	stderr ("Error processing FILE: ...")              |
//	comp_deleted.sas7bdat: "File has unsupported        | the row pointer's compression byte 5 (= 4|1) marks a deleted
//	compression scheme" (rejects the whole file)       | compressed row; we skip it, as parso's comp_deleted.csv
//	                                                   | shows (3 rows); expected_test.go checks that file
//	zero_variables.sas7bdat: "Unable to allocate       | a valid file with no columns; we return a table with no
//	memory" (calloc of 0 columns)                      | columns and no rows
//	invalid bytes in strings are written through raw   | strings must be valid UTF-8 (the contract): we replace each
//	(malformed_utf8.sas7bdat)                          | bad byte with U+FFFD; the test applies the same replacement
//	                                                   | to readstat's output before comparing
//	dates, datetimes and times are printed as the raw  | we convert them (Date, Timestamp, Time); the test converts
//	SAS number (days / seconds since 1960)             | ours back to days or seconds before comparing
//	numbers printed with %f (6 decimals) unless more   | compared within 5e-7 absolute + 1e-9 relative; datetimes
//	digits are needed to round-trip                    | within 1e-5 s (we round them to the microsecond)
//	special missings .A-.Z and ._ print as empty       | both mean missing: we return nil for every SAS missing
var readstatFails = map[string]string{
	"comp_deleted.sas7bdat":   "unsupported compression scheme",
	"zero_variables.sas7bdat": "Unable to allocate memory",
}

func TestReadstatDiff(t *testing.T) {
	bin := formatstest.Readstat(t)
	files, err := filepath.Glob("testdata/*.sas7bdat")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.csv")
			msg, runErr := formatstest.RunReadstat(t.Context(), bin, path, out)
			tab, rows := readFile(t, name)
			if want, ok := readstatFails[name]; ok {
				require.Error(t, runErr, "readstat now reads %s; drop the quirk entry", name)
				require.Contains(t, msg, want)
				return
			}
			require.NoError(t, runErr)
			want := formatstest.ReadstatCSV(t, out)
			require.NotEmpty(t, want)

			names := formatstest.ColumnNames(tab)
			require.Equal(t, want[0], names, "column names")
			require.Len(t, rows, len(want)-1, "row count")
			bad := 0
			for r, wrow := range want[1:] {
				require.Len(t, wrow, len(names), "row %d width", r+1)
				for c, cell := range wrow {
					if msg := readstatCell(tab.Columns[c].Kind, rows[r][c], cell); msg != "" {
						bad++
						if bad <= 10 {
							t.Errorf("row %d column %s: %s", r+1, names[c], msg)
						}
					}
				}
			}
		})
	}
}

// readstatCell compares one of our values with readstat's CSV spelling and
// returns a description of the difference, or "".
func readstatCell(kind formats.Kind, got any, cell string) string {
	if cell == "" {
		if got == nil || got == "" {
			return ""
		}
		return "readstat has missing, we have " + strconv.Quote(formatstest.ValueString(got))
	}
	if kind == formats.String {
		want := strings.ToValidUTF8(cell, "\uFFFD")
		if got != want {
			return "got " + strconv.Quote(formatstest.ValueString(got)) + ", readstat " + strconv.Quote(want)
		}
		return ""
	}
	w, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return "readstat value " + strconv.Quote(cell) + " is not a number"
	}
	if got == nil {
		return "we have missing, readstat " + cell
	}
	switch kind {
	case formats.Date:
		g := got.(time.Time)
		if sasDays(g) != math.Floor(w) {
			return "got " + g.Format(time.DateOnly) + ", readstat " + cell + " days"
		}
	case formats.Timestamp, formats.Time:
		g, _ := sasNumber(got)
		if math.Abs(g-w) > 1e-5 {
			return "got " + strconv.FormatFloat(g, 'f', -1, 64) + " s, readstat " + cell
		}
	default:
		g := got.(float64)
		if math.Abs(g-w) > 5e-7+1e-9*math.Abs(w) {
			return "got " + strconv.FormatFloat(g, 'g', -1, 64) + ", readstat " + cell
		}
	}
	return ""
}
