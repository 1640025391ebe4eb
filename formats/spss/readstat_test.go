package spss

import (
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// TestReadstatDifferential compares this reader with Debian's readstat
// command (ReadStat 1.1.8, `readstat FILE out.csv`) on every corpus file and
// on generated files of both byte orders and every compression.
//
// readstat's CSV output differs from ours on purpose in these ways; the
// comparison allows for each:
//
//	| readstat CLI                                   | this reader                         | argument                                                                                   |
//	|------------------------------------------------|-------------------------------------|--------------------------------------------------------------------------------------------|
//	| user-missing values printed as plain values    | nil                                 | SPSS treats them as missing; the contract turns missing codes into NULL; we check the value is one the variable declares user-missing |
//	| dates, datetimes, times printed as SPSS seconds | Date, Timestamp, Time values        | the contract's kinds; we convert back to seconds since 1582-10-14 and compare                |
//	| numbers printed with 6 decimals ("%f"), more only when inexact | exact float64           | compare within half a unit of the last printed digit (plus 1e-9 relative)                  |
//	| system-missing and empty strings both print as empty fields | nil for numbers, "" for strings | SPSS strings have no system-missing value                                               |
//	| dates kept to the second                        | Date truncated to the day           | the column kind is DATE; we compare whole days                                             |
//	| its own writer stores "(null)" as the file label | we report the label the file holds | not a reader difference (see readstat_vls.sav)                                             |
//	| exits 0 even when it rejects a file            | errors wrap formats.ErrCorrupt       | the test checks that readstat wrote its CSV                                                |
//	| finds long string labels and missing values (subtypes 21, 22) by long name only | by long or short name | PSPP's manual gives no rule; the test writer uses long names, as SPSS does      |
func TestReadstatDifferential(t *testing.T) {
	bin := formatstest.Readstat(t)
	files, err := filepath.Glob("testdata/*.sav")
	require.NoError(t, err)
	zfiles, err := filepath.Glob("testdata/*.zsav")
	require.NoError(t, err)
	files = append(files, zfiles...)
	require.NotEmpty(t, files)

	dir := t.TempDir()
	for _, order := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		for comp := range 3 {
			f, _ := richFile(order, comp, 60)
			ext := ".sav"
			if comp == 2 {
				ext = ".zsav"
			}
			p := filepath.Join(dir, fmt.Sprintf("generated_%s_c%d%s", orderName(order), comp, ext))
			require.NoError(t, os.WriteFile(p, f.bytes(), 0o644))
			files = append(files, p)
		}
	}

	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.csv")
			cmd := exec.CommandContext(t.Context(), bin, path, out)
			msg, err := cmd.CombinedOutput()
			require.NoError(t, err, "readstat: %s", msg)
			// readstat exits 0 even when it rejects a file: look for the output.
			fh, err := os.Open(out)
			require.NoError(t, err, "readstat wrote no CSV: %s", msg)
			defer fh.Close()
			recs, err := csv.NewReader(fh).ReadAll()
			require.NoError(t, err)

			tb := openPath(t, path)
			got := formatstest.ReadAll(t, tb)
			dec := decoders(tb)
			require.Equal(t, recs[0], formatstest.ColumnNames(tb))
			require.Len(t, got, len(recs)-1, "row count")
			for r, rec := range recs[1:] {
				for i, c := range tb.Columns {
					compareReadstat(t, c, &dec[i], rec[i], got[r][i], fmt.Sprintf("row %d column %q", r+1, c.Name))
				}
			}
		})
	}
}

func compareReadstat(t *testing.T, col formats.Column, dec *colDecoder, field string, got any, where string) {
	t.Helper()
	if col.Kind == formats.String {
		if got == nil {
			trimmed := strings.TrimRight(field, " ")
			found := false
			for _, m := range dec.strMiss {
				found = found || string(m) == trimmed
			}
			require.True(t, found, "%s: nil but readstat has %q, not a user-missing value", where, field)
			return
		}
		require.Equal(t, field, got, where)
		return
	}
	if got == nil {
		if field == "" {
			return // system-missing
		}
		v, err := strconv.ParseFloat(field, 64)
		require.NoError(t, err, where)
		require.True(t, dec.userMissing(v), "%s: nil but readstat has %s, not a user-missing value", where, field)
		return
	}
	require.NotEmpty(t, field, "%s: readstat has missing, we have %v", where, got)
	want, err := strconv.ParseFloat(field, 64)
	require.NoError(t, err, where)
	tol := 1e-9 * math.Abs(want)
	if i := strings.IndexByte(field, '.'); i >= 0 && !strings.ContainsAny(field, "eE") {
		tol += 0.5 * math.Pow(10, -float64(len(field)-i-1)) * (1 + 1e-9)
	}
	g := spssSeconds(got).(float64)
	switch col.Kind {
	case formats.Date:
		want = math.Floor(want/86400) * 86400
	case formats.Timestamp, formats.Time:
		tol += 1e-6 // we round to microseconds
	}
	require.LessOrEqual(t, math.Abs(g-want), tol, "%s: readstat %s, we %v", where, field, got)
}
