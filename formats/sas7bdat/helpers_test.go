package sas7bdat

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
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
	rows, err := formatstest.Rows(tabs[0], 0)
	return tabs[0], rows, err
}

func readFile(t *testing.T, name string) (*formats.Table, [][]any) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	tab, rows, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err, name)
	return tab, rows
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
