// Package golden writes tables as readable text for golden-file tests of the
// format readers, and checks the values against their columns' kinds.
package golden

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"datachat/formats"
)

// Dump reads every row of every table and returns a text rendering of the
// tables: name, label, columns with their kinds, and rows. It fails if a value
// does not have the Go type of its column's kind or a string is not valid
// UTF-8.
func Dump(tables []*formats.Table) (string, error) {
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "table %q label %q announced %d\n", t.Name, t.Label, t.RowCount)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %q %s\n", c.Name, c.Kind)
		}
		n := 0
		err := Each(t, func(row []any) error {
			n++
			parts := make([]string, len(row))
			for i, v := range row {
				parts[i] = format(v, t.Columns[i].Kind)
			}
			fmt.Fprintf(&b, "  row %d: %s\n", n, strings.Join(parts, " | "))
			return nil
		})
		if err != nil {
			return b.String(), fmt.Errorf("table %q row %d: %w", t.Name, n+1, err)
		}
		fmt.Fprintf(&b, "  rows %d\n", n)
	}
	return b.String(), nil
}

// Each reads every row of t, checks each value against its column's kind and
// calls fn with the row (which is reused between calls).
func Each(t *formats.Table, fn func(row []any) error) error {
	b := formats.NewBatch(t.Columns, 5)
	var row []any
	for {
		err := t.Rows.Next(b)
		for r := 0; r < b.Len; r++ {
			row = b.Row(r, row)
			for i, v := range row {
				if err := check(v, t.Columns[i]); err != nil {
					return err
				}
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func check(v any, c formats.Column) error {
	if v == nil {
		return nil
	}
	ok := false
	switch c.Kind {
	case formats.String:
		var s string
		s, ok = v.(string)
		if ok && !utf8.ValidString(s) {
			return fmt.Errorf("column %q: invalid UTF-8 %q", c.Name, s)
		}
	case formats.Int64:
		_, ok = v.(int64)
	case formats.Float64:
		_, ok = v.(float64)
	case formats.Bool:
		_, ok = v.(bool)
	case formats.Date, formats.Timestamp:
		_, ok = v.(time.Time)
	case formats.Time:
		_, ok = v.(time.Duration)
	}
	if !ok {
		return fmt.Errorf("column %q of kind %s holds %T", c.Name, c.Kind, v)
	}
	return nil
}

func format(v any, k formats.Kind) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		if k == formats.Date {
			return v.Format("2006-01-02")
		}
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// Compare compares got with the golden file at path, or rewrites the file
// when update is true.
func Compare(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run the test with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
