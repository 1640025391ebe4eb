package formats

import (
	"fmt"
	"io"
	"time"
)

// BatchSize is the batch capacity the datasets package reads with: DuckDB's
// vector size, so that one batch fills one data chunk.
const BatchSize = 2048

// Batch is a block of consecutive rows of a table, stored by column. A reader
// fills it; the caller reuses it for the next rows.
type Batch struct {
	// Len is how many rows the batch holds (rows 0 to Len-1 of each vector).
	Len int
	// Cols holds one vector per column of the table, in order.
	Cols []Vector
	cap  int
}

// NewBatch returns an empty batch with room for capacity rows of cols.
func NewBatch(cols []Column, capacity int) *Batch {
	b := &Batch{Cols: make([]Vector, len(cols)), cap: capacity}
	for i, c := range cols {
		v := &b.Cols[i]
		v.Kind = c.Kind
		v.Null = make([]bool, capacity)
		switch c.Kind {
		case String:
			v.Str = make([]string, capacity)
		case Float64:
			v.Float = make([]float64, capacity)
		case Bool:
			v.Bool = make([]bool, capacity)
		default:
			v.Int = make([]int64, capacity)
		}
	}
	return b
}

// Cap returns how many rows the batch can hold.
func (b *Batch) Cap() int { return b.cap }

// Row returns row r of the batch as Go values (see Vector.Value), for tests
// and small callers; dst is reused when it has room.
func (b *Batch) Row(r int, dst []any) []any {
	if cap(dst) < len(b.Cols) {
		dst = make([]any, len(b.Cols))
	}
	dst = dst[:len(b.Cols)]
	for c := range b.Cols {
		dst[c] = b.Cols[c].Value(r)
	}
	return dst
}

// Fill implements Rows.Next for readers that decode one row at a time:
// next stores a row at index at of b, or returns io.EOF when no row is left
// (or another error, which ends the batch).
func Fill(b *Batch, next func(b *Batch, at int) error) error {
	b.Len = 0
	for b.Len < b.Cap() {
		err := next(b, b.Len)
		if err == io.EOF && b.Len > 0 {
			return nil
		}
		if err != nil {
			return err
		}
		b.Len++
	}
	return nil
}

// Vector is one column of a batch. Null[r] says row r is NULL; otherwise its
// value is in the slice of the column's kind: Str for String, Float for
// Float64, Bool for Bool, and Int for Int64, Date (days since 1970-01-01),
// Timestamp (microseconds since 1970-01-01 UTC) and Time (microseconds). A
// reader stores every row it reports, NULL or not: a vector is reused, so
// what it held before is stale.
type Vector struct {
	Kind  Kind
	Null  []bool
	Int   []int64
	Float []float64
	Str   []string
	Bool  []bool
}

// SetNull stores NULL in row r.
func (v *Vector) SetNull(r int) { v.Null[r] = true }

// SetInt stores x in row r of an Int64, Date, Timestamp or Time vector.
func (v *Vector) SetInt(r int, x int64) { v.Null[r] = false; v.Int[r] = x }

// SetFloat stores x in row r of a Float64 vector.
func (v *Vector) SetFloat(r int, x float64) { v.Null[r] = false; v.Float[r] = x }

// SetStr stores s in row r of a String vector.
func (v *Vector) SetStr(r int, s string) { v.Null[r] = false; v.Str[r] = s }

// SetBool stores x in row r of a Bool vector.
func (v *Vector) SetBool(r int, x bool) { v.Null[r] = false; v.Bool[r] = x }

// SetDate stores the day of t (taken in UTC) in row r of a Date vector.
func (v *Vector) SetDate(r int, t time.Time) { v.SetInt(r, DaysOf(t)) }

// SetTimestamp stores t, to the microsecond, in row r of a Timestamp vector.
func (v *Vector) SetTimestamp(r int, t time.Time) { v.SetInt(r, t.UnixMicro()) }

// SetTime stores d, to the microsecond, in row r of a Time vector.
func (v *Vector) SetTime(r int, d time.Duration) { v.SetInt(r, d.Microseconds()) }

// DaysOf returns the days from 1970-01-01 to the day of t in UTC.
func DaysOf(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// Set stores x, nil or of the Go type of the vector's kind (as Value returns
// them), in row r.
func (v *Vector) Set(r int, x any) error {
	if x == nil {
		v.SetNull(r)
		return nil
	}
	ok := false
	switch v.Kind {
	case String:
		var s string
		if s, ok = x.(string); ok {
			v.SetStr(r, s)
		}
	case Int64:
		var i int64
		if i, ok = x.(int64); ok {
			v.SetInt(r, i)
		}
	case Float64:
		var f float64
		if f, ok = x.(float64); ok {
			v.SetFloat(r, f)
		}
	case Bool:
		var b bool
		if b, ok = x.(bool); ok {
			v.SetBool(r, b)
		}
	case Date, Timestamp:
		var t time.Time
		if t, ok = x.(time.Time); ok && v.Kind == Date {
			v.SetDate(r, t)
		} else if ok {
			v.SetTimestamp(r, t)
		}
	case Time:
		var d time.Duration
		if d, ok = x.(time.Duration); ok {
			v.SetTime(r, d)
		}
	}
	if !ok {
		return fmt.Errorf("a %T value in a %s column", x, v.Kind)
	}
	return nil
}

// Value returns row r as a Go value: nil for NULL, else string, int64,
// float64, bool, time.Time (UTC) for dates and timestamps, or time.Duration.
func (v *Vector) Value(r int) any {
	if v.Null[r] {
		return nil
	}
	switch v.Kind {
	case String:
		return v.Str[r]
	case Int64:
		return v.Int[r]
	case Float64:
		return v.Float[r]
	case Bool:
		return v.Bool[r]
	case Date:
		return time.Unix(v.Int[r]*86400, 0).UTC()
	case Timestamp:
		return time.UnixMicro(v.Int[r]).UTC()
	case Time:
		return time.Duration(v.Int[r]) * time.Microsecond
	}
	return nil
}
