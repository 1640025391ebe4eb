package xport

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

func readAll(ctx context.Context, data []byte, opts formats.Options) ([]*formats.Table, [][][]any, error) {
	tabs, err := Open(ctx, bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return nil, nil, err
	}
	all := make([][][]any, len(tabs))
	for i, t := range tabs {
		if all[i], err = formatstest.Rows(t, 0); err != nil {
			return tabs, all, err
		}
	}
	return tabs, all, nil
}

func TestIBMToFloat(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    float64
		missing bool
	}{
		{"one", []byte{0x41, 0x10, 0, 0, 0, 0, 0, 0}, 1, false},
		{"minus 118.625", []byte{0xC2, 0x76, 0xA0, 0, 0, 0, 0, 0}, -118.625, false},
		{"0.1", []byte{0x40, 0x19, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}, 0.1, false},
		{"100 in 3 bytes", []byte{0x42, 0x64, 0x00}, 100, false},
		{"1 in 2 bytes", []byte{0x41, 0x10}, 1, false},
		{"zero", make([]byte, 8), 0, false},
		{"tiny", []byte{0x00, 0x10, 0, 0, 0, 0, 0, 0}, math.Ldexp(1, -260), false},
		{"largest", []byte{0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 7.237005577332262e+75, false},
		{"missing .", missingIBM('.'), 0, true},
		{"missing .A", missingIBM('A'), 0, true},
		{"missing .Z", missingIBM('Z'), 0, true},
		{"missing ._", missingIBM('_'), 0, true},
		{"missing . short", []byte{'.', 0, 0}, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := IBMToFloat(tc.in)
			require.Equal(t, !tc.missing, ok)
			if !tc.missing {
				require.InDelta(t, tc.want, got, math.Abs(tc.want)*1e-15)
			}
		})
	}
	// The test encoder agrees with the hand-written bytes above.
	require.Equal(t, []byte{0xC2, 0x76, 0xA0, 0, 0, 0, 0, 0}, floatToIBM(-118.625))
	require.Equal(t, []byte{0x41, 0x10, 0, 0, 0, 0, 0, 0}, floatToIBM(1))
	for _, v := range []float64{0.1, -2.5e-70, 3.14159, 1e75, 123456789.125} {
		got, ok := IBMToFloat(floatToIBM(v))
		require.True(t, ok)
		require.InDelta(t, v, got, math.Abs(v)*1e-15, "round trip %v", v)
	}
}

// TestHandBuiltV5 reads a version 5 library with two members, date, datetime
// and time formats, labels and missing values.
func TestHandBuiltV5(t *testing.T) {
	row := func(id float64, name string, day, ts, tod []byte) []byte {
		b := append([]byte{}, floatToIBM(id)...)
		b = append(b, pad(name, 8)...)
		b = append(b, day...)
		b = append(b, ts...)
		b = append(b, tod[:4]...) // 4-byte numeric: truncated IBM float
		return b
	}
	var obs []byte
	obs = append(obs, row(1, "alpha", floatToIBM(21310), floatToIBM(1841220610.5), floatToIBM(36610))...)
	obs = append(obs, row(2, "", missingIBM('.'), missingIBM('A'), missingIBM('_'))...)
	obs = append(obs, row(-3.5, "ünï", floatToIBM(-29093), floatToIBM(0), floatToIBM(0))...)
	m1 := xmember{
		name: "PEOPLE", label: "People and dates",
		vars: []xvar{
			{name: "ID", label: "Identifier", numeric: true, width: 8},
			{name: "NAME", label: "Name", width: 8, format: "$CHAR", fl: 8},
			{name: "DAY", label: "Birth day", numeric: true, width: 8, format: "DATE", fl: 9},
			{name: "TS", numeric: true, width: 8, format: "DATETIME", fl: 20},
			{name: "TOD", numeric: true, width: 4, format: "TIME", fl: 8},
		},
		obs: obs,
	}
	m2 := xmember{
		name: "SMALL", vars: []xvar{{name: "X", numeric: true, width: 8, format: "BEST", fl: 12}},
		obs: append(floatToIBM(0.1), floatToIBM(42)...),
	}
	data := buildXPT(false, m1, m2)
	tabs, rows, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err)
	require.Len(t, tabs, 2)

	require.Equal(t, "PEOPLE", tabs[0].Name)
	require.Equal(t, "People and dates", tabs[0].Label)
	require.Equal(t, int64(3), tabs[0].RowCount)
	want := []formats.Column{
		{Name: "ID", Kind: formats.Float64, Label: "Identifier"},
		{Name: "NAME", Kind: formats.String, Label: "Name", Format: "$CHAR8."},
		{Name: "DAY", Kind: formats.Date, Label: "Birth day", Format: "DATE9."},
		{Name: "TS", Kind: formats.Timestamp, Format: "DATETIME20."},
		{Name: "TOD", Kind: formats.Time, Format: "TIME8."},
	}
	require.Equal(t, want, tabs[0].Columns)
	require.Equal(t, [][]any{
		{1.0, "alpha", time.Date(2018, 5, 6, 0, 0, 0, 0, time.UTC),
			time.Date(2018, 5, 6, 10, 10, 10, 500_000_000, time.UTC), 10*time.Hour + 10*time.Minute + 10*time.Second},
		{2.0, "", nil, nil, nil},
		{-3.5, "ünï", time.Date(1880, 5, 6, 0, 0, 0, 0, time.UTC), time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), time.Duration(0)},
	}, rows[0])

	require.Equal(t, "SMALL", tabs[1].Name)
	require.Equal(t, [][]any{{0.1}, {42.0}}, rows[1])
}

// TestHandBuiltV8 reads a version 8 library: a 32-character name in the
// namestr and a label longer than 40 characters in a LABELV8 record.
func TestHandBuiltV8(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("a long label ", 6))
	m := xmember{
		name: "A_MEMBER_NAME_LONGER_THAN_EIGHT", label: "v8 data",
		vars: []xvar{
			{name: "SHORTNAM", longName: "a_rather_long_variable_name", label: long[:40], numeric: true, width: 8},
			{name: "S", width: 3},
		},
		obs:        append(floatToIBM(7), "xyz"...),
		longLabels: map[int]string{0: long},
	}
	tabs, rows, err := readAll(t.Context(), buildXPT(true, m), formats.Options{})
	require.NoError(t, err)
	require.Len(t, tabs, 1)
	require.Equal(t, "", tabs[0].Name, "single member: no table name")
	require.Equal(t, "v8 data", tabs[0].Label)
	require.Equal(t, "a_rather_long_variable_name", tabs[0].Columns[0].Name)
	require.Equal(t, long, tabs[0].Columns[0].Label)
	require.Equal(t, [][]any{{7.0, "xyz"}}, rows[0])
}

// TestPadding checks that the blanks padding the last 80-byte record are not
// read as observations.
func TestPadding(t *testing.T) {
	numOnly := xmember{name: "N", vars: []xvar{{name: "X", numeric: true, width: 8}}}
	for i := 0; i < 3; i++ {
		numOnly.obs = append(numOnly.obs, floatToIBM(float64(i))...)
	}
	charOnly := xmember{name: "C", vars: []xvar{{name: "S", width: 10}},
		obs: []byte(pad("first", 10) + pad("second", 10))}
	exact := xmember{name: "E", vars: []xvar{{name: "S", width: 80}}, obs: []byte(pad("row", 80))}
	tabs, rows, err := readAll(t.Context(), buildXPT(false, numOnly, charOnly, exact), formats.Options{})
	require.NoError(t, err)
	require.Len(t, tabs, 3)
	require.Len(t, rows[0], 3)
	require.Equal(t, [][]any{{"first"}, {"second"}}, rows[1])
	require.Equal(t, [][]any{{"row"}}, rows[2])
}

func TestEncoding(t *testing.T) {
	m := xmember{name: "E", vars: []xvar{{name: "S", width: 6}}, obs: []byte("caf\xe9  ")}
	data := buildXPT(false, m)
	// Not valid UTF-8: read as Windows-1252 by default.
	_, rows, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err)
	require.Equal(t, "café", rows[0][0][0])
	// Declared UTF-8: the bad byte becomes U+FFFD.
	_, rows, err = readAll(t.Context(), data, formats.Options{Encoding: "utf-8"})
	require.NoError(t, err)
	require.Equal(t, "caf\uFFFD", rows[0][0][0])
}

func TestCorrupt(t *testing.T) {
	good := buildXPT(false, xmember{name: "M", vars: []xvar{{name: "X", numeric: true, width: 8}},
		obs: floatToIBM(1)})
	nsHeader := bytes.Index(good, []byte(header("NAMESTR ")))
	require.Positive(t, nsHeader)
	tests := []struct {
		name    string
		damage  func(d []byte) []byte
		wantErr string
	}{
		{"empty", func(d []byte) []byte { return nil }, "too short"},
		{"not xport", func(d []byte) []byte { d[0] = 'X'; return d }, "not a SAS transport file"},
		{"library only", func(d []byte) []byte { return d[:240] }, "no members"},
		{"cut in member header", func(d []byte) []byte { return d[:400] }, "file ends"},
		{"variable count huge", func(d []byte) []byte { copy(d[nsHeader+54:], "9999"); return d }, "do not fit"},
		{"variable count garbage", func(d []byte) []byte { copy(d[nsHeader+54:], "ab!?"); return d }, "bad variable count"},
		{"bad variable type", func(d []byte) []byte { d[nsHeader+80+1] = 9; return d }, "neither numeric"},
		{"numeric width 0", func(d []byte) []byte { d[nsHeader+80+5] = 0; return d }, "length 0"},
		{"position huge", func(d []byte) []byte { d[nsHeader+80+84] = 0x7F; return d }, "does not fit"},
		{"overlapping variables", func(d []byte) []byte {
			two := buildXPT(false, xmember{name: "M", vars: []xvar{{name: "X", numeric: true, width: 8}, {name: "Y", numeric: true, width: 8}}})
			i := bytes.Index(two, []byte(header("NAMESTR ")))
			two[i+80+140+87] = 0 // Y at position 0, on top of X
			return two
		}, "overlap"},
		{"garbage after member", func(d []byte) []byte { return append(d, []byte(strings.Repeat("z", 80))...) }, ""},
		{"missing OBS header", func(d []byte) []byte {
			i := bytes.Index(d, []byte(header("OBS     ")))
			d[i] = 'X'
			return d
		}, "expected an OBS header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.damage(bytes.Clone(good))
			_, _, err := readAll(t.Context(), data, formats.Options{})
			formatstest.RequireCorrupt(t, err, tc.wantErr)
		})
	}
}
