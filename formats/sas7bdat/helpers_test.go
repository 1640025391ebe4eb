package sas7bdat

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
)

// readAll opens a file image and reads every row of its single table.
func readAll(ctx context.Context, data []byte, opts formats.Options) (*formats.Table, [][]any, error) {
	tabs, err := Open(ctx, bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return nil, nil, err
	}
	if len(tabs) != 1 {
		return nil, nil, errors.New("want exactly one table")
	}
	t := tabs[0]
	var out [][]any
	for {
		row := make([]any, len(t.Columns))
		err := t.Rows.Next(row)
		if err == io.EOF {
			return t, out, nil
		}
		if err != nil {
			return t, out, err
		}
		out = append(out, row)
	}
}

func readFile(t *testing.T, name string) (*formats.Table, [][]any) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	tab, rows, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err, name)
	return tab, rows
}

// readstatPath returns the readstat binary, skipping the test when it is
// missing locally and failing it on CI (CI=true), where it must be installed.
func readstatPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("readstat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("readstat not installed (apt-get install readstat): %v", err)
		}
		t.Skip("readstat not installed; skipping differential test")
	}
	return p
}

// closeEnough compares floats within 1e-9 relative (absolute near zero).
func closeEnough(got, want, rel float64) bool {
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= rel*math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
}

// sasNumber turns one of our values back into the number SAS stored: days
// for dates, seconds for timestamps and times.
func sasNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case time.Time:
		sec := float64(x.Unix()+epochSeconds) + float64(x.Nanosecond())/1e9
		return sec, true
	case time.Duration:
		return x.Seconds(), true
	}
	return 0, false
}

func sasDays(v time.Time) float64 {
	return float64(v.Unix()/86400 + epochDays)
}
