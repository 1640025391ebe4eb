package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats/formatstest"
)

// TestCodedFilesReadstat writes a small coded table as Stata and SPSS files
// and checks that Debian's readstat reads back every value and missing cell.
func TestCodedFilesReadstat(t *testing.T) {
	bin := formatstest.Readstat(t)
	head := []string{"id", "visited", "region", "score", "city", "kids"}
	rows := [][]string{
		{"1", "2024-01-31", "1", "3.25", "Oslo", "0"},
		{"2", "", "2", "", "Bergen", "3"},
		{"300", "1999-12-31", "", "-7", "", "12"},
		{"40000", "2024-02-29", "3", "1e6", "Tromsø", ""},
	}
	cb := &codebook{label: "test", vars: map[string]variable{
		"visited": {label: "Day of the visit", date: true},
		"region":  {label: "Region", labels: map[int]string{1: "North", 2: "South", 3: "West"}},
		"kids":    {labels: map[int]string{0: "None"}},
	}}
	for _, c := range []struct {
		ext   string
		write func([]string, [][]string, *codebook) ([]byte, error)
		// date gives what readstat prints for a date cell.
		date func(string) string
	}{
		{".dta", dtaBytes, func(s string) string { return s }},
		{".sav", savBytes, func(s string) string { return strconv.FormatInt(day(s).Unix()-spssEpoch.Unix(), 10) }},
	} {
		t.Run(c.ext, func(t *testing.T) {
			data, err := c.write(head, rows, cb)
			require.NoError(t, err)
			dir := t.TempDir()
			in := filepath.Join(dir, "coded"+c.ext)
			require.NoError(t, os.WriteFile(in, data, 0o644))
			out := filepath.Join(dir, "out.csv")
			_, err = formatstest.RunReadstat(t.Context(), bin, in, out)
			require.NoError(t, err)
			got := formatstest.ReadstatCSV(t, out)
			require.Equal(t, head, got[0])
			require.Len(t, got, len(rows)+1)
			for i, r := range rows {
				for j, want := range r {
					cell := got[i+1][j]
					switch {
					case want == "":
						require.Empty(t, cell, "row %d, %s", i+1, head[j])
					case cb.vars[head[j]].date:
						if x, err := strconv.ParseFloat(cell, 64); err == nil {
							cell = strconv.FormatFloat(x, 'f', 0, 64)
						}
						require.Equal(t, c.date(want), cell, "row %d, %s", i+1, head[j])
					default:
						w, err := strconv.ParseFloat(want, 64)
						if err != nil {
							require.Equal(t, want, cell, "row %d, %s", i+1, head[j])
							continue
						}
						x, err := strconv.ParseFloat(cell, 64)
						require.NoError(t, err, "row %d, %s", i+1, head[j])
						require.InDelta(t, w, x, 1e-9, "row %d, %s", i+1, head[j])
					}
				}
			}
		})
	}
}
