package infer

import (
	"io"
	"reflect"
	"testing"
	"time"

	"datachat/formats"
)

func TestKind(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   formats.Kind
	}{
		{"ints", []string{"1", "-2", "+3", "0"}, formats.Int64},
		{"ints with empties", []string{"1", "", "  ", "3"}, formats.Int64},
		{"all empty", []string{"", " "}, formats.String},
		{"no values", nil, formats.String},
		{"thousands", []string{"1,234", "12,345,678"}, formats.Int64},
		{"bad grouping", []string{"1,23"}, formats.String},
		{"european decimal comma", []string{"1,5"}, formats.String},
		{"currency int", []string{"$12", "-$1,200", "€5"}, formats.Int64},
		{"currency after sign", []string{"$-5"}, formats.Int64},
		{"leading zero code", []string{"007", "12"}, formats.String},
		{"zero and decimals", []string{"0", "0.5", "10"}, formats.Float64},
		{"floats", []string{"1.5", ".5", "1e-3", "2E+10", "5."}, formats.Float64},
		{"ints and floats", []string{"1", "2.25"}, formats.Float64},
		{"currency float", []string{"$1,234.50", "£0.99"}, formats.Float64},
		{"percent", []string{"12.5%", "50%"}, formats.Float64},
		{"percent and currency", []string{"$5%"}, formats.String},
		{"int overflow", []string{"99999999999999999999"}, formats.String},
		{"nan is text", []string{"NaN", "1"}, formats.String},
		{"inf is text", []string{"Inf"}, formats.String},
		{"hex is text", []string{"0x10"}, formats.String},
		{"bare sign", []string{"-"}, formats.String},
		{"bools", []string{"true", "FALSE", "Yes", "no"}, formats.Bool},
		{"bool and int", []string{"true", "1"}, formats.String},
		{"iso dates", []string{"2024-01-31", "1999-1-2", "2020/12/15"}, formats.Date},
		{"month name dates", []string{"2 Jan 2006", "02-Jan-2006", "January 2, 2006", "Mar 15 2021"}, formats.Date},
		{"invalid day", []string{"2024-02-30"}, formats.String},
		{"ambiguous numeric date", []string{"01/02/2006"}, formats.String},
		{"timestamps", []string{"2024-01-31T10:20:30Z", "2024-01-31 10:20", "2024-01-31T10:20:30.123+02:00", "2024-01-31T10:20:30-0500"}, formats.Timestamp},
		{"dates and timestamps", []string{"2024-01-31", "2024-01-31T10:20:30"}, formats.Timestamp},
		{"bad time", []string{"2024-01-31T25:00"}, formats.String},
		{"mixed", []string{"1", "abc"}, formats.String},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Kind(tt.values); got != tt.want {
				t.Errorf("Kind(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		kind formats.Kind
		in   string
		want any
	}{
		{formats.Int64, "1,234", int64(1234)},
		{formats.Int64, " -$1,200 ", int64(-1200)},
		{formats.Int64, "-9223372036854775808", int64(-9223372036854775808)},
		{formats.Int64, "", nil},
		{formats.Int64, "x", nil},
		{formats.Float64, "12.5%", 12.5},
		{formats.Float64, "$1,234.50", 1234.5},
		{formats.Float64, "7", 7.0},
		{formats.Float64, "1e-3", 0.001},
		{formats.Bool, "Yes", true},
		{formats.Bool, "false", false},
		{formats.Date, "2020/12/15", time.Date(2020, 12, 15, 0, 0, 0, 0, time.UTC)},
		{formats.Date, "January 2, 2006", time.Date(2006, 1, 2, 0, 0, 0, 0, time.UTC)},
		{formats.Timestamp, "2024-01-31T10:20:30.5+02:00", time.Date(2024, 1, 31, 8, 20, 30, 500000000, time.UTC)},
		{formats.Timestamp, "2024-01-31 10:20", time.Date(2024, 1, 31, 10, 20, 0, 0, time.UTC)},
		{formats.Timestamp, "2024-01-31", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		{formats.String, " a b ", " a b "},
		{formats.String, "  ", nil},
		{formats.String, "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+tt.in, func(t *testing.T) {
			if got := Value(tt.kind, tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Value(%v, %q) = %#v, want %#v", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestKindsAndRows(t *testing.T) {
	cells := [][]string{
		{"1", "a", "2024-01-01"},
		{"2", "b"},
		{"", "c", "2024-01-03", "ignored"},
	}
	kinds := Kinds(cells, 3)
	if want := []formats.Kind{formats.Int64, formats.String, formats.Date}; !reflect.DeepEqual(kinds, want) {
		t.Fatalf("Kinds = %v, want %v", kinds, want)
	}

	rows := NewRows(cells, kinds)
	if rows.Len() != 3 {
		t.Fatalf("Len = %d, want 3", rows.Len())
	}
	// A batch of 2 rows: the third row comes in a second batch.
	b := formats.NewBatch([]formats.Column{{Kind: kinds[0]}, {Kind: kinds[1]}, {Kind: kinds[2]}}, 2)
	var got [][]any
	for {
		err := rows.Next(b)
		for r := 0; r < b.Len; r++ {
			got = append(got, b.Row(r, nil))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := [][]any{
		{int64(1), "a", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{int64(2), "b", nil},
		{nil, "c", time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

func FuzzValue(f *testing.F) {
	for _, s := range []string{"1", "1,234.5%", "$-5", "2024-01-31T10:20:30Z", "2 Jan 2006", "yes", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Kind([]string{s})
		v := Value(k, s)
		if v == nil {
			return
		}
		switch k {
		case formats.Int64:
			_ = v.(int64)
		case formats.Float64:
			_ = v.(float64)
		case formats.Bool:
			_ = v.(bool)
		case formats.Date, formats.Timestamp:
			_ = v.(time.Time)
		case formats.String:
			_ = v.(string)
		}
	})
}
