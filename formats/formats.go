// Package formats defines what every file-format reader yields: tables made of
// typed columns and a stream of batches of rows stored by column. Readers
// live in sub-packages (one per format) and know nothing of MCP or DuckDB
// sessions; the datasets package copies their batches into DuckDB's data
// chunks while the reader decodes the next ones.
package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Kind is the logical type of a column. Each kind has one slice of Vector that
// holds its values, and one Go type that Vector.Value returns for them.
type Kind int

const (
	// String values are valid UTF-8 (Vector.Str; Go string).
	String Kind = iota
	// Int64 values are 64-bit integers (Vector.Int; Go int64).
	Int64
	// Float64 values are doubles (Vector.Float; Go float64). NaN and ±Inf are
	// allowed but discouraged: a reader stores a "missing" code as NULL.
	Float64
	// Bool values are booleans (Vector.Bool; Go bool).
	Bool
	// Date values are days since 1970-01-01 (Vector.Int; Go time.Time at
	// midnight UTC).
	Date
	// Timestamp values are microseconds since 1970-01-01 00:00 UTC
	// (Vector.Int; Go time.Time in UTC).
	Timestamp
	// Time values are microseconds since midnight, which statistics packages
	// let exceed a day (Vector.Int; Go time.Duration).
	Time
)

// String returns the kind's name, as DuckDB spells the matching SQL type.
func (k Kind) String() string {
	switch k {
	case String:
		return "VARCHAR"
	case Int64:
		return "BIGINT"
	case Float64:
		return "DOUBLE"
	case Bool:
		return "BOOLEAN"
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Time:
		return "TIME"
	}
	return "VARCHAR"
}

// Column describes one column of a table.
type Column struct {
	// Name is the column name as the file gives it (the catalog sanitises and
	// de-duplicates it; readers should still make names unique and non-empty).
	Name string
	// Kind is the logical type of every non-nil value in the column.
	Kind Kind
	// Label is the variable label (Stata, SAS, SPSS), or "".
	Label string
	// Format is the file's display format for the column (for example "%td",
	// "DATE9.", "F8.2"), or "". Informational only.
	Format string
	// ValueLabels maps codes to labels (Stata value labels, SPSS value labels).
	// Keys have the Go type of the column's values (int64, float64 or string).
	// Nil when the column has none.
	ValueLabels map[any]string
}

// Rows streams a table's rows, a batch at a time.
type Rows interface {
	// Next stores the next rows in b, from row 0 up to at most b.Cap(), and
	// sets b.Len to how many it stored. Each stored value follows the rules
	// of Vector. Next returns io.EOF when no row is left (b.Len is then 0),
	// and any other error when the file is corrupt (wrapped with where it was
	// found); the rows stored before such an error are valid.
	Next(b *Batch) error
}

// Table is one table found in a file: a sheet, an HTML <table>, or the only
// table of a single-table format.
type Table struct {
	// Name distinguishes tables of a multi-table file (sheet name, "1", "2",
	// ...); it is "" for the only table of a single-table format.
	Name string
	// Label is the dataset label the file gives, or "".
	Label string
	// Columns describes the columns, in order.
	Columns []Column
	// Rows streams the rows. It is read once.
	Rows Rows
	// RowCount is the number of rows the file announces, or -1 when unknown.
	// It is a hint for progress reports only.
	RowCount int64
	// Warnings say what the reader skipped or changed (a sheet with no
	// values, say), for the load's result; a reader puts notes about the
	// whole file on its first table.
	Warnings []string
}

// Options are the choices a caller may pass to a reader. Readers ignore the
// options that do not apply to them.
type Options struct {
	// Sheet selects one sheet of a workbook by name ("" = every non-empty sheet).
	Sheet string
	// Record names the repeating XML element that makes a row ("" = detect).
	Record string
	// Encoding overrides the character encoding the file declares ("" = as declared
	// or the format's default).
	Encoding string
	// MaxCellBytes caps one decoded cell/string (0 = the reader's default).
	MaxCellBytes int
}

// OpenFunc is the signature every reader package exports as Open: it reads the
// file's metadata from r (size bytes long) and returns its tables, whose Rows
// then read from r lazily. r must stay open until every table's rows are read.
type OpenFunc func(ctx context.Context, r io.ReaderAt, size int64, opts Options) ([]*Table, error)

// ErrCorrupt is wrapped by readers' errors about malformed input, so callers can
// tell "this file is broken" from I/O failures with errors.Is.
var ErrCorrupt = errors.New("corrupt or unsupported file")

// ErrUnsupported is wrapped by errors about valid files using a feature the
// reader does not support (for example an encrypted workbook or legacy .xls).
var ErrUnsupported = errors.New("unsupported file feature")

// SliceRows is a Rows over rows already in memory; readers of small formats
// (HTML, XML) that must see every value before typing a column use it. Each
// value is nil or of the Go type of its column's kind (see Vector.Set).
type SliceRows struct {
	Data [][]any
	i    int
}

// Next implements Rows.
func (s *SliceRows) Next(b *Batch) error {
	b.Len = 0
	for b.Len < b.Cap() && s.i < len(s.Data) {
		row := s.Data[s.i]
		for c := range b.Cols {
			var v any
			if c < len(row) {
				v = row[c]
			}
			if err := b.Cols[c].Set(b.Len, v); err != nil {
				return fmt.Errorf("row %d: column %d: %w", s.i+1, c+1, err)
			}
		}
		s.i++
		b.Len++
	}
	if b.Len == 0 {
		return io.EOF
	}
	return nil
}
