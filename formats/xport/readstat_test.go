package xport

import (
	"bytes"
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
	"datachat/formats/sas7bdat"
)

// ReadStat 1.1.8 (Debian's readstat command) writes version 8 transport
// files. Its quirks, and how these tests treat them:
//
//	quirk                                              | treatment
//	---------------------------------------------------+---------------------------------------------------------------
//	it cannot write xpt from CSV ("Unsupported file    | CSV + JSON metadata go to Stata (.dta) first, then .dta to
//	format"); only from a binary input                 | .xpt (both steps are readstat)
//	the xpt writer drops display formats (dates from   | date columns arrive as plain numbers (days since 1960); we
//	.dta %td or sas7bdat DATE9. get a blank format)    | compare them as numbers; format-to-date mapping is covered
//	                                                   | by the hand-built files in xport_test.go
//	special missings .A-.Z and ._ are written as       | we read the number stored (the largest IBM float, about
//	0x7FFFFFFFFFFFFFFF, not as 'A' 00 00...; its       | 7.2e75); the comparison accepts it where the source had a
//	reader then prints them as "inf"                   | special missing ('.' itself round-trips as missing)
//	dataset label "(null)" when the source has none    | reported as written
//	dataset labels cut to the 40-byte field            | compared as a prefix
//	exits 0 when it fails; errors only on stderr       | "Error" on stderr counts as a failure
//	cp950.sas7bdat: "string value was longer than the  | skipped: readstat converts to UTF-8, which no longer fits
//	available storage size"                            | the 8-byte column
//	invalid bytes in strings are written raw           | the file is read with Encoding "utf-8" so both sides replace
//	(malformed_utf8)                                   | them with U+FFFD
const ibmMax = 7.237005577332262e+75

var readstatCannotConvert = map[string]bool{
	"comp_deleted.sas7bdat":   true, // readstat cannot read it (see package sas7bdat)
	"zero_variables.sas7bdat": true, // ditto
	"cp950.sas7bdat":          true, // see table above
}

func runReadstat(t *testing.T, bin string, args ...string) {
	t.Helper()
	_, err := formatstest.RunReadstat(t.Context(), bin, args...)
	require.NoError(t, err)
}

// TestReadstatFromCSV writes a CSV with labels, dates, missing values and
// UTF-8 text through readstat (CSV+JSON -> .dta -> .xpt) and checks that we
// read back what was written.
func TestReadstatFromCSV(t *testing.T) {
	bin := formatstest.Readstat(t)
	dir := t.TempDir()
	csvText := "id,name,when,score\n" +
		"1,alpha,2018-05-06,1.5\n" +
		"2,ünïcode,,\n" +
		"3,,1960-01-01,-2.25\n" +
		"4,\"with, comma\",1880-05-06,1e10\n"
	meta := `{"type":"STATA","variables":[` +
		`{"type":"NUMERIC","name":"id","label":"Identifier"},` +
		`{"type":"STRING","name":"name","label":"Name of thing"},` +
		`{"type":"NUMERIC","name":"when","label":"When it happened","format":"DATE"},` +
		`{"type":"NUMERIC","name":"score","label":"Score","format":"NUMBER","decimals":2}]}`
	in, md, dta, xpt := filepath.Join(dir, "in.csv"), filepath.Join(dir, "meta.json"), filepath.Join(dir, "mid.dta"), filepath.Join(dir, "out.xpt")
	require.NoError(t, os.WriteFile(in, []byte(csvText), 0o644))
	require.NoError(t, os.WriteFile(md, []byte(meta), 0o644))
	runReadstat(t, bin, in, md, dta)
	runReadstat(t, bin, dta, xpt)

	data, err := os.ReadFile(xpt)
	require.NoError(t, err)
	tabs, rows, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err)
	require.Len(t, tabs, 1)
	var labels []string
	for _, c := range tabs[0].Columns {
		labels = append(labels, c.Label)
	}
	require.Equal(t, []string{"Identifier", "Name of thing", "When it happened", "Score"}, labels)
	days := func(y int, m time.Month, d int) float64 {
		return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	}
	require.Equal(t, [][]any{
		{1.0, "alpha", days(2018, 5, 6), 1.5},
		{2.0, "ünïcode", nil, nil},
		{3.0, "", 0.0, -2.25},
		{4.0, "with, comma", days(1880, 5, 6), 1e10},
	}, rows[0])
}

// TestReadstatCorpus converts every sas7bdat of the sas7bdat package's corpus
// to xpt with readstat and checks that our xpt reading equals our sas7bdat
// reading of the source and readstat's own reading of the xpt.
func TestReadstatCorpus(t *testing.T) {
	bin := formatstest.Readstat(t)
	files, err := filepath.Glob("../sas7bdat/testdata/*.sas7bdat")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, src := range files {
		name := filepath.Base(src)
		if readstatCannotConvert[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			xpt, out := filepath.Join(dir, "x.xpt"), filepath.Join(dir, "x.csv")
			runReadstat(t, bin, src, xpt)
			runReadstat(t, bin, xpt, out)

			srcData, err := os.ReadFile(src)
			require.NoError(t, err)
			stabs, err := sas7bdat.Open(t.Context(), bytes.NewReader(srcData), int64(len(srcData)), formats.Options{})
			require.NoError(t, err)
			srows := formatstest.ReadAll(t, stabs[0])

			data, err := os.ReadFile(xpt)
			require.NoError(t, err)
			tabs, rows, err := readAll(t.Context(), data, formats.Options{Encoding: "utf-8"})
			require.NoError(t, err)
			require.Len(t, tabs, 1)
			tab := tabs[0]
			require.True(t, strings.HasPrefix(stabs[0].Label, tab.Label) || tab.Label == "(null)", "label %q vs %q", tab.Label, stabs[0].Label)
			require.Len(t, tab.Columns, len(stabs[0].Columns))
			for i, c := range tab.Columns {
				require.Equal(t, stabs[0].Columns[i].Name, c.Name)
				require.Equal(t, stabs[0].Columns[i].Label, c.Label)
			}
			require.Len(t, rows[0], len(srows))

			rs := formatstest.ReadstatCSV(t, out)
			require.Len(t, rs, len(srows)+1)

			bad := 0
			for r := range srows {
				for c := range srows[r] {
					got := rows[0][r][c]
					if msg := sameValue(got, srows[r][c], stabs[0].Columns[c].Kind); msg != "" {
						bad++
						if bad <= 10 {
							t.Errorf("row %d column %s vs sas7bdat: %s", r+1, tab.Columns[c].Name, msg)
						}
					}
					if msg := sameAsReadstat(got, rs[r+1][c]); msg != "" {
						bad++
						if bad <= 10 {
							t.Errorf("row %d column %s vs readstat: %s", r+1, tab.Columns[c].Name, msg)
						}
					}
				}
			}
		})
	}
}

// number turns any non-string value into the number SAS stored.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case time.Time:
		return float64(x.Unix()+3653*86400) + float64(x.Nanosecond())/1e9, true
	case time.Duration:
		return x.Seconds(), true
	}
	return 0, false
}

// sameValue compares our xpt value with our sas7bdat value (of kind) of the
// source; the xpt side has lost formats, so dates arrive as day counts and
// datetimes and times as seconds.
func sameValue(xv, sv any, kind formats.Kind) string {
	if s, ok := sv.(string); ok {
		if xv != s {
			return "xpt " + strconv.Quote(formatstest.ValueString(xv)) + ", sas7bdat " + strconv.Quote(s)
		}
		return ""
	}
	if sv == nil {
		if xv == nil || xv == ibmMax {
			return "" // ibmMax: readstat's encoding of special missings
		}
		return "xpt " + formatstest.ValueString(xv) + ", sas7bdat missing"
	}
	want, _ := number(sv)
	if kind == formats.Date {
		want = float64(sv.(time.Time).Unix()/86400 + 3653)
	}
	got, ok := number(xv)
	if !ok || math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
		return "xpt " + formatstest.ValueString(xv) + ", sas7bdat " + formatstest.ValueString(sv)
	}
	return ""
}

func sameAsReadstat(v any, cell string) string {
	if cell == "" {
		if v == nil || v == "" {
			return ""
		}
		return "readstat missing, we have " + formatstest.ValueString(v)
	}
	if s, ok := v.(string); ok {
		if want := strings.ToValidUTF8(cell, "\uFFFD"); s != want {
			return "got " + strconv.Quote(s) + ", readstat " + strconv.Quote(want)
		}
		return ""
	}
	if cell == "inf" && v == ibmMax {
		return ""
	}
	w, err := strconv.ParseFloat(cell, 64)
	g, ok := number(v)
	if err != nil || !ok || math.Abs(g-w) > 5e-7+1e-9*math.Abs(w) {
		return "got " + formatstest.ValueString(v) + ", readstat " + cell
	}
	return ""
}
