package stata

import (
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

// readstatQuirks lists the differences from ReadStat 1.1.8 that are ReadStat's
// fault, by file, with the argument why.
var readstatQuirks = map[string]string{
	// ReadStat keeps only GSOs of type 130 (text) and, for a type-129
	// (binary) GSO, skips the header without skipping its contents, so it
	// then fails to find the next "GSO" tag and aborts with "Invalid file".
	// The file is valid: Stata's format description allows binary strLs, and
	// R's readstata13 wrote it with one (a PNG image). Our values for this
	// file are checked in TestStrLBinary instead.
	"stata_strl.dta": "readstat aborts on binary (type 129) GSOs",
}

// readstatColumnQuirks lists columns where ReadStat's values are wrong, by
// file and column, with the argument why; their cells are not compared.
var readstatColumnQuirks = map[[2]string]string{
	// Release 119 splits a strL data cell into a 3-byte v and a 5-byte o
	// (dta_119 help file, section 5.11); ReadStat 1.1.8 splits it 2+6 as in
	// release 118, finds no GSO for the (v,o) it computes and prints "".
	// pandas reads the same file's strLs as we do.
	{"gen119_lsf.dta", "strl"}: "readstat decodes 119 (v,o) cells as 2+6 bytes",
	{"gen119_msf.dta", "strl"}: "readstat decodes 119 (v,o) cells as 2+6 bytes",
}

// TestReadStatDiff compares every corpus file, and a generated file of every
// release and byte order, with what `readstat FILE out.csv` writes.
//
// ReadStat's CSV conventions, and how we compare with them:
//   - numbers: printed with six decimals (more digits for some values), so
//     they are compared within 1e-9 relative plus 5e-7 absolute, the
//     rounding of the printed text; integer columns must match exactly.
//   - missing values (including .a-.z): empty cells.
//   - dates: printed as the raw Stata number, except columns whose format
//     is exactly "%td", which it prints as 2015-12-01 for some files; we
//     convert our date back to Stata units and compare with the floor of the
//     number (we map a fractional period to the period it falls in; ReadStat
//     prints the fraction), and %tc values within a millisecond.
//   - strings: converted to UTF-8 exactly as ours.
func TestReadStatDiff(t *testing.T) {
	rs := formatstest.Readstat(t)
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, p := range corpus(t) {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		inputs = append(inputs, input{filepath.Base(p), data})
	}
	for _, rel := range allReleases {
		for _, msf := range []bool{false, true} {
			c := sampleCase(rel, msf)
			inputs = append(inputs, input{c.name + ".dta", c.w.bytes()})
		}
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, in.name)
			require.NoError(t, os.WriteFile(src, in.data, 0o644))
			out := filepath.Join(dir, "out.csv")
			msg, runErr := formatstest.RunReadstat(t.Context(), rs, src, out)
			if why, ok := readstatQuirks[in.name]; ok {
				require.Error(t, runErr, "readstat now reads %s: remove the quirk %q", in.name, why)
				return
			}
			require.NoError(t, runErr, "readstat: %s", msg)
			want := readReadStatCSV(t, out)
			tab, rows := readAll(t, in.data, formats.Options{})
			require.Equal(t, want[0], formatstest.ColumnNames(tab), "columns")
			require.Len(t, rows, len(want)-1, "row count")
			for r, row := range rows {
				for c, got := range row {
					if _, ok := readstatColumnQuirks[[2]string{in.name, tab.Columns[c].Name}]; ok {
						continue
					}
					if err := matchReadStat(tab.Columns[c], got, want[r+1][c]); err != nil {
						t.Errorf("row %d column %s: %v", r+1, tab.Columns[c].Name, err)
					}
				}
			}
		})
	}
}

// readReadStatCSV reads readstat's CSV output. encoding/csv skips blank
// lines, but in a one-column file a blank line is a row whose value is
// missing, so such files are split by lines instead.
func readReadStatCSV(t testing.TB, path string) [][]string {
	recs := readCSV(t, path)
	if len(recs[0]) != 1 {
		return recs
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	out := make([][]string, len(lines))
	for i, l := range lines {
		if uq, err := strconv.Unquote(l); err == nil {
			l = uq
		}
		out[i] = []string{l}
	}
	return out
}

func matchReadStat(col formats.Column, got any, cell string) error {
	switch g := got.(type) {
	case nil:
		if cell != "" {
			return fmt.Errorf("got nil, readstat %q", cell)
		}
		return nil
	case string:
		if g != cell {
			return fmt.Errorf("got %q, readstat %q", g, cell)
		}
		return nil
	case time.Time:
		if w, err := time.Parse("2006-01-02", cell); err == nil {
			if !g.Equal(w) {
				return fmt.Errorf("got %v, readstat %q", g, cell)
			}
			return nil
		}
		return matchTime(col, g, cell)
	case int64:
		w, err := strconv.ParseFloat(cell, 64)
		if err != nil || float64(g) != w {
			return fmt.Errorf("got %d, readstat %q", g, cell)
		}
		return nil
	case float64:
		w, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			return fmt.Errorf("got %v, readstat %q", g, cell)
		}
		if math.IsInf(w, 0) || math.IsInf(g, 0) {
			if g != w {
				return fmt.Errorf("got %v, readstat %q", g, cell)
			}
			return nil
		}
		if !closeEnough(g, w, 5e-7) {
			return fmt.Errorf("got %v, readstat %q", g, cell)
		}
		return nil
	}
	return fmt.Errorf("unexpected Go type %T", got)
}
